import { RENDER_FORMAT_INFO } from '@mixroom/shared/review';
import type { RenderFormat, VersionRecord } from '@mixroom/shared/review';

/**
 * `<room>-v<n>-<version name>[-APPROVED]-<format>.<ext>`, e.g.
 * `night-drive-v2-vocal-up-APPROVED-wav24.wav`: says where a file came from once it sits
 * in a downloads folder, and which one was signed off. Only `[a-z0-9-]` in the name parts.
 */
export function downloadFileName(roomTitle: string, version: Pick<VersionRecord, 'number' | 'name'>, format: RenderFormat, approved: boolean): string {
  const parts = [slug(roomTitle) || 'room', `v${version.number}`, slug(version.name), approved ? 'APPROVED' : '', format].filter(Boolean);
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
