import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatWav, noise } from '../../../../test/renderFixtures.ts';
import { createFileStemSource } from './createFileStemSource.ts';

/**
 * The render fixtures' float stereo WAV of `frames` frames with a `junk` chunk of
 * `junkBytes` inserted before its fmt chunk (a header as long as wanted), and its data bytes.
 */
function wav(frames: number, junkBytes: number): { file: Uint8Array; data: Uint8Array } {
  const plain = floatWav([noise(frames, 0.5, 1), noise(frames, 0.5, 2)]);
  const junk = new Uint8Array(8 + junkBytes + (junkBytes & 1)).fill(0x55);
  junk.set([106, 117, 110, 107], 0); // "junk"
  new DataView(junk.buffer).setUint32(4, junkBytes, true);
  const file = new Uint8Array(plain.length + junk.length);
  file.set(plain.subarray(0, 12), 0);
  file.set(junk, 12);
  file.set(plain.subarray(12), 12 + junk.length);
  new DataView(file.buffer).setUint32(4, file.length - 8, true); // the RIFF size
  return { file, data: plain.subarray(44) };
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
