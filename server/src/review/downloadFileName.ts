import { RENDER_FORMAT_INFO } from '@mixroom/shared/review';
import type { RenderFormat, VersionRecord } from '@mixroom/shared/review';

/**
 * What tells two formats with one extension apart (both WAVs); nothing for a format its
 * extension already names (`.flac`, `.mp3`), so a name never says the format twice.
 */
const VARIANT: Readonly<Record<RenderFormat, string>> = { wav24: '24bit', wav16: '16bit', flac: '', mp3: '' };

/**
 * `<room>-v<n>-<version name>[-APPROVED][-24bit|-16bit].<ext>`, e.g.
 * `night-drive-v2-vocal-up-APPROVED-24bit.wav` or `night-drive-v2-vocal-up.flac`: says where
 * a file came from once it sits in a downloads folder, and which one was signed off. Only
 * `[a-z0-9-]` in the name parts.
 */
export function downloadFileName(roomTitle: string, version: Pick<VersionRecord, 'number' | 'name'>, format: RenderFormat, approved: boolean): string {
  const parts = [slug(roomTitle) || 'room', `v${version.number}`, slug(version.name), approved ? 'APPROVED' : '', VARIANT[format]].filter(Boolean);
  return `${parts.join('-')}.${RENDER_FORMAT_INFO[format].ext}`;
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}
