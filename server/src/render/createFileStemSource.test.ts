import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStemSource } from './createFileStemSource.ts';

/** A 16-bit stereo WAV at 48 kHz: a `junk` chunk of `junkBytes` before fmt, then `frames` frames of a counting pattern. */
function wav(frames: number, junkBytes: number): { file: Uint8Array; data: Uint8Array } {
  const data = new Uint8Array(frames * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 9)) & 0xff;
  const parts: Uint8Array[] = [];
  const chunk = (id: string, body: Uint8Array) => {
    const head = new Uint8Array(8);
    for (let i = 0; i < 4; i++) head[i] = id.charCodeAt(i);
    new DataView(head.buffer).setUint32(4, body.length, true);
    parts.push(head, body, ...(body.length & 1 ? [new Uint8Array(1)] : []));
  };
  chunk('junk', new Uint8Array(junkBytes).fill(0x55));
  const fmt = new Uint8Array(16);
  const f = new DataView(fmt.buffer);
  f.setUint16(0, 1, true);
  f.setUint16(2, 2, true);
  f.setUint32(4, 48000, true);
  f.setUint32(8, 48000 * 4, true);
  f.setUint16(12, 4, true);
  f.setUint16(14, 16, true);
  chunk('fmt ', fmt);
  chunk('data', data);
  const body = parts.reduce((n, p) => n + p.length, 0);
  const file = new Uint8Array(12 + body);
  file.set([82, 73, 70, 70], 0);
  new DataView(file.buffer).setUint32(4, body + 4, true);
  file.set([87, 65, 86, 69], 8);
  let at = 12;
  for (const p of parts) {
    file.set(p, at);
    at += p.length;
  }
  return { file, data };
}

describe('createFileStemSource', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mixroom-file-stems-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The first read is small (the header); a header longer than it, a file shorter than it
  // and a data section spanning several 1 MiB reads must all come through byte for byte,
  // both through `data` and at `localFile.dataOffset` (where a bake worker reads).
  it.each([
    { name: 'small file', frames: 1000, junk: 3 },
    { name: 'header past the first read', frames: 300_000, junk: 200_000 },
    { name: 'header straddling the first read', frames: 600_000, junk: 65_530 },
    { name: 'several chunks', frames: 700_001, junk: 9 },
  ])('$name: every data byte, in order, once', async ({ name, frames, junk }) => {
    const { file, data } = wav(frames, junk);
    await writeFile(path.join(dir, `${name}.wav`), file);
    const stream = await createFileStemSource(dir).open(name, new AbortController().signal);
    expect(stream.frames).toBe(frames);
    expect(stream.channels).toBe(2);
    expect(stream.localFile?.dataOffset).toBe(file.length - data.length);
    expect(Buffer.compare(file.subarray(stream.localFile!.dataOffset), data)).toBe(0);
    const got = new Uint8Array(data.length);
    let at = 0;
    for await (const chunk of stream.data) {
      expect(at + chunk.length).toBeLessThanOrEqual(data.length);
      got.set(chunk, at);
      at += chunk.length;
    }
    expect(at).toBe(data.length);
    // (Buffer.compare: vitest's deep equality walks megabytes element by element.)
    expect(Buffer.compare(got, data)).toBe(0);
    await stream.close();
  });
});
