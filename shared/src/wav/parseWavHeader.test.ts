import { describe, expect, it } from 'vitest';
import { parseWavHeader, WavHeaderError } from './parseWavHeader.ts';
import { WAV_HEADER_BYTES, writeWavHeader } from './writeWavHeader.ts';

const header = (fields: Partial<Parameters<typeof writeWavHeader>[1]> = {}): Uint8Array => {
  const out = new Uint8Array(WAV_HEADER_BYTES);
  writeWavHeader(out, { channels: 2, sampleRate: 48000, bitsPerSample: 24, float: false, dataBytes: 600, ...fields });
  return out;
};

/** `chunk` (id, body) inserted before the fmt chunk of `wav`. */
const withChunk = (wav: Uint8Array, id: string, body: Uint8Array): Uint8Array => {
  const padded = body.length + (body.length & 1);
  const out = new Uint8Array(wav.length + 8 + padded);
  out.set(wav.subarray(0, 12));
  out.set([...id].map((c) => c.charCodeAt(0)), 12);
  new DataView(out.buffer).setUint32(16, body.length, true);
  out.set(body, 20);
  out.set(wav.subarray(12), 20 + padded);
  return out;
};

describe('parseWavHeader', () => {
  it('reads what writeWavHeader wrote, from the shortest prefix that holds the data chunk header', () => {
    const bytes = header();
    for (let n = 0; n < WAV_HEADER_BYTES; n++) expect(parseWavHeader(bytes.subarray(0, n))).toMatchObject({ pending: true });
    expect(parseWavHeader(bytes)).toEqual({
      formatTag: 1,
      channels: 2,
      sampleRate: 48000,
      blockAlign: 6,
      bitsPerSample: 24,
      sampleFormat: 'pcm24',
      dataOffset: 44,
      dataBytes: 600,
    });
    expect(parseWavHeader(header({ float: true, bitsPerSample: 64, channels: 1 }))).toMatchObject({ formatTag: 3, sampleFormat: 'float64', blockAlign: 8 });
  });

  it('skips odd-sized chunks with their pad byte and says which chunk the bytes end inside', () => {
    const bytes = withChunk(header(), 'LIST', new Uint8Array(5));
    expect(parseWavHeader(bytes)).toMatchObject({ dataOffset: 44 + 14 });
    expect(parseWavHeader(bytes.subarray(0, 20))).toEqual({ pending: true, cutChunk: 'LIST', sawFmt: false });
    expect(parseWavHeader(bytes.subarray(0, 40))).toEqual({ pending: true, cutChunk: 'fmt ', sawFmt: false });
    expect(parseWavHeader(bytes.subarray(0, 57))).toEqual({ pending: true, cutChunk: null, sawFmt: true });
  });

  it('takes an RF64 data size from its ds64 chunk', () => {
    const ds64 = new Uint8Array(28);
    new DataView(ds64.buffer).setBigUint64(8, 6n * 1_000_000_000n, true);
    const bytes = withChunk(header({ dataBytes: 0xffffffff }), 'ds64', ds64);
    bytes.set([0x52, 0x46, 0x36, 0x34]); // RF64
    expect(parseWavHeader(bytes)).toMatchObject({ dataBytes: 6_000_000_000 });
  });

  it('refuses what can never become a header, naming the problem', () => {
    const problem = (bytes: Uint8Array, options = {}) => {
      try {
        parseWavHeader(bytes, options);
      } catch (error) {
        expect(error).toBeInstanceOf(WavHeaderError);
        return (error as WavHeaderError).problem;
      }
      return 'accepted';
    };
    expect(problem(new TextEncoder().encode('ID3\u0004 this is an mp3 file'))).toBe('not-wav');
    expect(problem(Uint8Array.from([...header().subarray(0, 12), ...header().subarray(36)]))).toBe('data-before-fmt');
    const shortFmt = header();
    new DataView(shortFmt.buffer).setUint32(16, 14, true);
    expect(problem(shortFmt)).toBe('fmt-too-short');
    expect(problem(withChunk(header(), 'LIST', new Uint8Array(2000)), { maxChunkBytes: 1024 })).toBe('chunk-too-large');
    expect(problem(withChunk(header(), 'LIST', new Uint8Array(2000)))).toBe('accepted');
  });

  it('leaves encodings it does not decode to the reader', () => {
    const alaw = header({ bitsPerSample: 8 });
    new DataView(alaw.buffer).setUint16(20, 6, true);
    expect(parseWavHeader(alaw)).toMatchObject({ formatTag: 6, sampleFormat: null });
  });
});
