import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { noise, nullDb, tempDir, writeStem } from './renderFixtures.ts';

const exec = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FRAMES = 48000 * 2;
let dir: string;
let dispose: () => Promise<void>;
const left = noise(FRAMES, 0.25, 21);
const right = noise(FRAMES, 0.25, 22);

/** Runs the real CLI (what `pnpm bake` runs) as a child process. */
const bake = (...args: string[]) =>
  exec(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/render/cli.ts'), ...args], { cwd: root }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  await writeStem(dir, 'keys.wav', [left, right]);
  const state = testMix.state([testMix.track('k', { name: 'Keys', stem: { ...testMix.stem('keys.wav', 2, FRAMES), fileName: 'keys.wav' } })]);
  await writeFile(path.join(dir, 'room.json'), JSON.stringify(state));
  await writeFile(path.join(dir, 'plan.json'), JSON.stringify(buildMixPlan(state)));
  const broken = testMix.state([...state.tracks, testMix.track('v', { name: 'Lead vocal', stem: testMix.stem('vocal-take-3.wav', 1, FRAMES) })]);
  await writeFile(path.join(dir, 'broken.json'), JSON.stringify(broken));
});
afterAll(() => dispose());

describe('pnpm bake (CLI)', () => {
  it('bakes a room mix state to FLAC headlessly and prints hash and loudness', async () => {
    const out = path.join(dir, 'mix.flac');
    const r = await bake(path.join(dir, 'room.json'), '--out', out, '--workers', '2');
    expect(r.stderr).toMatch(/baking 100\.0%/);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { format: string; sha256: string; frames: number; loudness: { integratedLufs: number } };
    expect(result.format).toBe('flac');
    expect(result.frames).toBe(FRAMES);
    expect(result.loudness.integratedLufs).toBeLessThan(0);
    const decoder = new FLACDecoder();
    await decoder.ready;
    const decoded = await decoder.decodeFile(new Uint8Array(await readFile(out)));
    decoder.free();
    // 24-bit dithered: within a few LSB of the unity mix (the stem itself).
    expect(nullDb(decoded.channelData[0]!, left)).toBeLessThan(-130);
    expect(nullDb(decoded.channelData[1]!, right)).toBeLessThan(-130);
  });

  it('bakes a plan JSON to the same bytes as the mix state it came from', async () => {
    const a = await bake(path.join(dir, 'room.json'), '--out', path.join(dir, 'a.wav'), '--format', 'wav16');
    const b = await bake(path.join(dir, 'plan.json'), '--out', path.join(dir, 'b.wav'), '--format', 'wav16', '--block', '1000');
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout).sha256).toBe(JSON.parse(a.stdout).sha256);
  });

  it('exits 1 naming the track when a stem is missing, 2 on bad usage', async () => {
    const r = await bake(path.join(dir, 'broken.json'), '--out', path.join(dir, 'x.wav'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stem-missing.*Track "Lead vocal".*vocal-take-3\.wav/);
    const usage = await bake(path.join(dir, 'room.json'));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Usage: pnpm bake/);
    const badFormat = await bake(path.join(dir, 'room.json'), '--out', path.join(dir, 'x.ogg'));
    expect(badFormat.code).toBe(2);
  });
});
