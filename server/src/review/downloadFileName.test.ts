import { describe, expect, it } from 'vitest';
import { RENDER_FORMATS, RENDER_FORMAT_INFO } from '@mixroom/shared/review';
import { downloadFileName } from './downloadFileName.ts';

describe('downloadFileName', () => {
  it('never says the format twice, and tells the two WAVs apart', () => {
    const v = { number: 2, name: 'Vocal up!' };
    expect(downloadFileName('Demo', v, 'flac', true)).toBe('demo-v2-vocal-up-APPROVED.flac');
    expect(downloadFileName('Demo', v, 'mp3', false)).toBe('demo-v2-vocal-up.mp3');
    expect(downloadFileName('Night Drive', v, 'wav24', true)).toBe('night-drive-v2-vocal-up-APPROVED-24bit.wav');
    expect(downloadFileName('Night Drive', v, 'wav16', false)).toBe('night-drive-v2-vocal-up-16bit.wav');
    for (const f of RENDER_FORMATS) {
      for (const approved of [false, true]) {
        const name = downloadFileName('Song', { number: 1, name: 'take' }, f, approved);
        const ext = RENDER_FORMAT_INFO[f].ext;
        expect(name.endsWith(`.${ext}`)).toBe(true);
        const words = name.slice(0, -ext.length - 1).split('-');
        expect(words).not.toContain(f);
        expect(words).not.toContain(ext);
      }
    }
  });

  it('keeps only safe characters, and names a room without a usable title', () => {
    expect(downloadFileName('Ünïcödé / “Title”', { number: 10, name: '../../etc' }, 'wav24', false)).toBe('unicode-title-v10-etc-24bit.wav');
    expect(downloadFileName('***', { number: 1, name: '' }, 'mp3', false)).toBe('room-v1.mp3');
  });
});
