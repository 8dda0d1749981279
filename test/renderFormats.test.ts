import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMixPlan, type MixPlan } from '@mixroom/shared/plan';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { BakeError } from '../server/src/render/BakeError.ts';
import { BAKE_FORMATS, BAKE_FORMAT_INFO, type BakeFormat } from '../server/src/render/BakeFormat.ts';
import type { BakeProgress } from '../server/src/render/BakeProgress.ts';
import { bakeMix, DEFAULT_BAKE_BLOCK_FRAMES } from '../server/src/render/bakeMix.ts';
import { createFileStemSource } from '../server/src/render/input/createFileStemSource.ts';
import { createMasterEncoder } from '../server/src/render/encode/createMasterEncoder.ts';
import { createMp3Encoder } from '../server/src/render/encode/createMp3Encoder.ts';
import { resolveMp3Encoder } from '../server/src/render/encode/resolveMp3Encoder.ts';
import { createNativeFlacEncoder } from '../server/src/render/encode/createNativeFlacEncoder.ts';
import { resolveFlacEncoder } from '../server/src/render/encode/resolveFlacEncoder.ts';
import { createBakeTempDir } from '../server/src/render/deliver/bakeTempDir.ts';
import { createS3StemSource } from '../server/src/render/input/createS3StemSource.ts';
import { renderBake } from '../server/src/render/renderBake.ts';
import { renderBakeFormats } from '../server/src/render/renderBakeFormats.ts';
import { createS3Client } from '../server/src/storage/createS3Client.ts';
import { startEmbeddedS3, type EmbeddedS3 } from '../server/src/storage/startEmbeddedS3.ts';
import { bakeBenchMix } from './bench/bakeBenchMix.ts';
import { floatWav, noise, sine, tempDir, writeStem } from './renderFixtures.ts';

const BUCKET = 'mixroom-render-formats-test';
const RATE = 48000;
const FRAMES = RATE * 2 + 333;
const LONG = RATE * 30;

let dir: string;
let dispose: () => Promise<void>;
let s3server: EmbeddedS3;
let s3: S3Client;
/** Full strips, reverb and delay buses, glue and limiter: every kernel the master meets. */
let plan: MixPlan;

const stemKey = (name: string) => `rooms/r2/stems/${createHash('sha256').update(name).digest('hex')}/source.wav`;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const store = (keyPrefix: string, client?: S3Client) => ({ get s3() { return client ?? s3; }, bucket: BUCKET, keyPrefix });
const listKeys = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();

beforeAll(async () => {
  ({ dir, dispose } = await tempDir());
  const stems = path.join(dir, 'stems');
  await mkdir(stems);
  for (let i = 0; i < 3; i++) {
    const fade = (x: Float32Array) => x.map((v, j) => v * (1 - j / FRAMES)); // quiet tail: dither matters
    await writeStem(stems, `s${i}.wav`, [fade(noise(FRAMES, 0.4, 10 + i)), sine(FRAMES, 110 * (i + 1), 0.3)]);
  }
  plan = buildMixPlan(bakeBenchMix(3, FRAMES, RATE, (i) => `s${i}.wav`));
  s3server = await startEmbeddedS3({ dataDir: path.join(dir, 's3'), port: 0 });
  s3 = createS3Client({ endpoint: s3server.endpoint, region: 'us-east-1', ...s3server.credentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const drums = [noise(RATE * 2, 0.4, 3), noise(RATE * 2, 0.4, 4)];
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: stemKey('long'), Body: floatWav([noise(LONG, 0.2, 5), noise(LONG, 0.2, 6)]) }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: stemKey('drums'), Body: floatWav(drums) }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: stemKey('cut'), Body: floatWav(drums).subarray(0, 44 + RATE * 4) }));
});

afterAll(async () => {
  s3?.destroy();
  await s3server?.close();
  await dispose?.();
});

const fileStems = () => createFileStemSource(path.join(dir, 'stems'));
const s3Plan = (name: string, frames: number) =>
  buildMixPlan(testMix.state([testMix.track(name, { stem: { key: stemKey(name), fileName: `${name}.wav`, sampleRate: RATE, channels: 2, frames } })]));

/**
 * Independent reference for one format: its own render of the plan feeding one encoder, bytes
 * concatenated in memory and header patches applied, exactly as a single-format bake does.
 * The MP3 encodes the master clipped at full scale at the gain its bake recorded.
 */
async function referenceHash(format: BakeFormat, gainDb: number): Promise<string> {
  const stream = await bakeMix(plan, { stems: fileStems(), workers: 2 });
  const parts: Uint8Array[] = [];
  const totalFrames = stream.info.frames;
  const g = 10 ** (gainDb / 20);
  const atGain = (c: Float32Array) => c.map((x) => Math.max(-1, Math.min(1, x)) * g);
  const flacChoice = await resolveFlacEncoder('auto');
  try {
    let patches: { offset: number; bytes: Uint8Array }[];
    if (format === 'mp3') {
      // Through the LAME the bake's default (MP3_ENCODER=auto) picks on this machine.
      const encoder = await createMp3Encoder({ sampleRate: RATE, channels: 2, totalFrames, encoder: await resolveMp3Encoder('auto'), onBytes: (chunks) => parts.push(...chunks.map((c) => c.slice())) });
      try {
        for await (const block of stream) await encoder.encode(block.channels.map(atGain), block.frames);
        await encoder.finish();
        patches = encoder.headerPatches();
      } finally {
        encoder.dispose();
      }
    } else if (format === 'flac' && flacChoice.kind === 'native') {
      // Through the flac the bake's default (FLAC_ENCODER=auto) picks on this machine.
      const encoder = await createNativeFlacEncoder({ sampleRate: RATE, channels: 2, totalFrames, maxBlockFrames: DEFAULT_BAKE_BLOCK_FRAMES, onBytes: (c) => parts.push(c.slice()) }, flacChoice.command);
      try {
        for await (const block of stream) await encoder.encode(block.channels, block.frames);
        await encoder.finish();
        patches = encoder.headerPatches();
      } finally {
        encoder.dispose();
      }
    } else {
      const encoder = await createMasterEncoder(format, { sampleRate: RATE, channels: 2, totalFrames, maxBlockFrames: DEFAULT_BAKE_BLOCK_FRAMES });
      try {
        for await (const block of stream) parts.push(...encoder.encode(block.channels, block.frames));
        parts.push(...encoder.finish());
        patches = encoder.headerPatches();
      } finally {
        encoder.dispose();
      }
    }
    const bytes = Buffer.concat(parts);
    for (const p of patches) bytes.set(p.bytes, p.offset);
    return sha(bytes);
  } finally {
    await stream.close();
  }
}

describe('renderBakeFormats: every format from one render pass', () => {
  it('gives each format the exact bytes of its separate single-format bake, and one loudness report', async () => {
    const outDir = path.join(dir, 'out');
    await mkdir(outDir);
    const outFiles = Object.fromEntries(BAKE_FORMATS.map((f) => [f, path.join(outDir, `mix-${f}.${BAKE_FORMAT_INFO[f].extension}`)]));
    const progress: BakeProgress[] = [];
    const onePass = await renderBakeFormats(plan, { stems: fileStems(), formats: BAKE_FORMATS, workers: 2, outFiles, onProgress: (p) => progress.push(p) });
    expect(onePass.files.map((f) => f.format)).toEqual([...BAKE_FORMATS]);
    expect(new Set(onePass.files.map((f) => f.sha256)).size).toBe(4); // wav24 and flac hold the same samples, not the same bytes

    for (const file of onePass.files) {
      const written = new Uint8Array(await readFile(outFiles[file.format]!));
      expect(sha(written)).toBe(file.sha256);
      expect(written.length).toBe(file.bytes);
      const single = await renderBake(plan, { stems: fileStems(), format: file.format, workers: 2 });
      const reference = await referenceHash(file.format, file.measurement.gainDb);
      console.log(`${file.format}: one-pass ${file.sha256.slice(0, 16)} single ${single.sha256.slice(0, 16)} reference ${reference.slice(0, 16)} (${file.bytes} bytes)`);
      expect(file.sha256).toBe(single.sha256);
      expect(file.sha256).toBe(reference);
      expect(file.bytes).toBe(single.bytes);
      expect(single.loudness).toEqual(onePass.loudness);
    }
    expect(onePass.loudness.integratedLufs).not.toBeNull();
    expect(onePass.frames).toBe(FRAMES);

    // One pass, one progress: rising to 100 % once, over the plan's frames.
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(p.framesTotal).toBe(FRAMES);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.framesDone).toBeGreaterThanOrEqual(progress[i - 1]!.framesDone);
    expect(progress.filter((p) => p.percent === 100)).toHaveLength(1);
    expect(progress.at(-1)).toMatchObject({ percent: 100, etaSeconds: 0 });
  });

  it('encoder threads give exactly the bytes and measurements of encoding every format on one thread', async () => {
    const threaded = await renderBakeFormats(plan, { stems: fileStems(), formats: BAKE_FORMATS, workers: 2 });
    const inline = await renderBakeFormats(plan, { stems: fileStems(), formats: BAKE_FORMATS, workers: 2, encodeInThreads: false });
    for (const [i, file] of threaded.files.entries()) {
      console.log(`${file.format}: threads ${file.sha256.slice(0, 16)} one thread ${inline.files[i]!.sha256.slice(0, 16)}`);
      expect(file.sha256).toBe(inline.files[i]!.sha256);
      expect(file.measurement).toEqual(inline.files[i]!.measurement);
    }
    expect(threaded.loudness).toEqual(inline.loudness);
  });

  it('an encoder thread killed mid-encode fails the bake cleanly: typed error, nothing in S3, no temp file', async () => {
    const tmp = path.join(dir, 'tmp-killed');
    await mkdir(tmp);
    for (const victim of ['mp3', 'flac'] as const) {
      let killed = false;
      let threads: { format: BakeFormat; worker: { terminate(): Promise<number> } }[] = [];
      const err = await renderBakeFormats(s3Plan('long', LONG), {
        stems: createS3StemSource({ s3, bucket: BUCKET }),
        formats: BAKE_FORMATS,
        store: store(`rooms/r2/killed-${victim}`),
        tmpDir: tmp,
        blockFrames: 4096,
        onEncoderThreads: (t) => (threads = t),
        onProgress: (p) => {
          if (!killed && p.framesDone > LONG / 4) {
            killed = true;
            void threads.find((t) => t.format === victim)!.worker.terminate();
          }
        },
      }).catch((e: unknown) => e);
      expect(killed).toBe(true);
      expect(err).toBeInstanceOf(BakeError);
      expect((err as BakeError).code).toBe('worker');
      expect((err as BakeError).message).toContain(`${victim} encoder thread stopped`);
      // A native encoder (LAME, flac) outlives its thread unless the bake kills it.
      await expect.poll(codecChildren, { timeout: 10_000 }).toEqual([]);
      expect(await listKeys(`rooms/r2/killed-${victim}/`)).toEqual([]);
      expect(await readdir(tmp)).toEqual([]);
    }
  });

  it('stores every format under <prefix>/<sha256>.<ext> with its hash in metadata', async () => {
    const result = await renderBakeFormats(plan, { stems: fileStems(), formats: ['wav24', 'mp3'], workers: 2, store: store('rooms/r2/bakes/') });
    for (const file of result.files) {
      expect(file.stored?.key).toBe(`rooms/r2/bakes/${file.sha256}.${BAKE_FORMAT_INFO[file.format].extension}`);
      const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: file.stored!.key }));
      expect(sha(new Uint8Array(await obj.Body!.transformToByteArray()))).toBe(file.sha256);
      expect(obj.Metadata?.sha256).toBe(file.sha256);
      expect(obj.ContentType).toBe(file.contentType);
    }
  });

  it('with the embedded store in this process, moves the files into its files: its S3 API serves them as uploaded; a failed store rolls back', async () => {
    const tmp = path.join(dir, 'tmp-embedded');
    await mkdir(tmp);
    const embedded = (keyPrefix: string) => ({ ...store(keyPrefix), embeddedDataDir: path.join(dir, 's3') });
    const drums = s3Plan('drums', RATE * 2);
    const stems = () => createS3StemSource({ s3, bucket: BUCKET });
    const result = await renderBakeFormats(drums, { stems: stems(), formats: BAKE_FORMATS, store: embedded('rooms/r2/embedded'), tmpDir: tmp });
    const uploaded = await renderBakeFormats(drums, { stems: stems(), formats: BAKE_FORMATS, store: store('rooms/r2/uploaded') });
    expect(await listKeys('rooms/r2/embedded/')).toEqual(result.files.map((f) => f.stored!.key).sort());
    for (const [i, file] of result.files.entries()) {
      expect(file.sha256).toBe(uploaded.files[i]!.sha256);
      expect(file.stored?.key).toBe(`rooms/r2/embedded/${file.sha256}.${BAKE_FORMAT_INFO[file.format].extension}`);
      const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: file.stored!.key }));
      const bytes = new Uint8Array(await obj.Body!.transformToByteArray());
      expect(sha(bytes)).toBe(file.sha256);
      expect(obj.Metadata?.sha256).toBe(file.sha256);
      expect(obj.ContentType).toBe(file.contentType);
      expect(obj.ETag).toBe(JSON.stringify(createHash('md5').update(bytes).digest('hex')));
    }
    expect(await readdir(tmp)).toEqual([]);

    // The MP3's object path taken by a folder: its store fails, and the three files stored before it are removed.
    const mp3 = result.files.find((f) => f.format === 'mp3')!;
    await mkdir(path.join(dir, 's3', BUCKET, `rooms/r2/embedded-fail/${mp3.sha256}.mp3._S3rver_object`), { recursive: true });
    const err = await renderBakeFormats(drums, { stems: stems(), formats: BAKE_FORMATS, store: embedded('rooms/r2/embedded-fail'), tmpDir: tmp }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).code).toBe('storage');
    expect(await listKeys('rooms/r2/embedded-fail/')).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('cancelled mid-render: rejects with "cancelled", stores nothing, leaves no temp file', async () => {
    const tmp = path.join(dir, 'tmp-cancel');
    await mkdir(tmp);
    const controller = new AbortController();
    let abortedAt: number | null = null;
    const err = await renderBakeFormats(s3Plan('long', LONG), {
      stems: createS3StemSource({ s3, bucket: BUCKET }),
      formats: BAKE_FORMATS,
      store: store('rooms/r2/cancelled'),
      tmpDir: tmp,
      blockFrames: 4096,
      signal: controller.signal,
      onProgress: (p) => {
        if (abortedAt === null && p.framesDone > 0) {
          abortedAt = p.percent;
          controller.abort();
        }
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).code).toBe('cancelled');
    expect(abortedAt!).toBeLessThan(100);
    await expect.poll(codecChildren, { timeout: 10_000 }).toEqual([]);
    expect(await listKeys('rooms/r2/cancelled/')).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('a bake process killed mid-bake leaves its folder; the next bake on the host removes it, never a live process\'s', async () => {
    const tmp = path.join(dir, 'tmp-dead');
    await mkdir(tmp);
    const child = (mode: 'bake' | 'hold', plan?: MixPlan) => {
      const args = { endpoint: s3server.endpoint, credentials: s3server.credentials, bucket: BUCKET, plan, tmpDir: tmp, mode };
      const script = fileURLToPath(new URL('./bakeProcessChild.ts', import.meta.url));
      const p = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const said = new Promise<string>((resolve, reject) => {
        p.stdout!.on('data', (d: Buffer) => resolve(d.toString().trim()));
        p.on('exit', (code) => reject(new Error(`the ${mode} process exited (${code}) before it said anything`)));
      });
      return { p, said };
    };
    const killed = (p: ChildProcess) => new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));
    const baking = child('bake', s3Plan('long', LONG));
    const holding = child('hold');
    try {
      expect(await baking.said).toBe('progress');
      baking.p.kill('SIGSTOP'); // frozen mid-bake, then killed: no code of it runs again
      expect(await holding.said).toBe('held');
      const [dead] = (await readdir(tmp)).filter((n) => n.includes(`-${baking.p.pid}-`));
      // Mid-bake: every format's file and the MP3's master spool are there.
      expect((await readdir(path.join(tmp, dead!))).length).toBe(5);
      baking.p.kill('SIGKILL');
      await killed(baking.p);
      const ours = await createBakeTempDir(tmp); // a bake of this (live) process, in progress
      const before = (await readdir(tmp)).sort();
      expect(before).toContain(dead);
      await renderBakeFormats(s3Plan('drums', RATE * 2), { stems: createS3StemSource({ s3, bucket: BUCKET }), formats: BAKE_FORMATS, tmpDir: tmp });
      // The dead process's folder is gone; the live process's and this one's stay.
      expect((await readdir(tmp)).sort()).toEqual(before.filter((n) => n !== dead));
      expect(await readdir(tmp)).toContain(path.basename(ours));
      expect((await readdir(tmp)).filter((n) => n.includes(`-${holding.p.pid}-`))).toHaveLength(1);
    } finally {
      baking.p.kill('SIGKILL');
      holding.p.kill('SIGKILL');
      await Promise.all([killed(baking.p), killed(holding.p)]);
    }
  });

  it('a truncated stem fails the whole bake: no object in S3, no temp file', async () => {
    const tmp = path.join(dir, 'tmp-cut');
    await mkdir(tmp);
    const err = await renderBakeFormats(s3Plan('cut', RATE * 2), {
      stems: createS3StemSource({ s3, bucket: BUCKET }),
      formats: BAKE_FORMATS,
      store: store('rooms/r2/cut'),
      tmpDir: tmp,
    }).catch((e: unknown) => e);
    expect((err as BakeError).code).toBe('stem-truncated');
    expect(await listKeys('rooms/r2/cut/')).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('one failed upload rolls back the others it created, keeps objects stored earlier, and removes every temp file', async () => {
    // A real S3 client whose mp3 PUTs the network refuses (a middleware in the real SDK stack).
    const flaky = createS3Client({ endpoint: s3server.endpoint, region: 'us-east-1', ...s3server.credentials, forcePathStyle: true });
    flaky.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string };
        if (context.commandName === 'PutObjectCommand' && input.Key?.endsWith('.mp3')) throw new Error('connection reset by peer');
        return next(args);
      },
      { step: 'initialize', name: 'refuseMp3' },
    );
    const tmp = path.join(dir, 'tmp-rollback');
    await mkdir(tmp);
    try {
      const drums = s3Plan('drums', RATE * 2);
      const fresh = await renderBakeFormats(drums, { stems: createS3StemSource({ s3, bucket: BUCKET }), formats: BAKE_FORMATS, store: store('rooms/r2/fresh', flaky), tmpDir: tmp }).catch((e: unknown) => e);
      expect((fresh as BakeError).code).toBe('storage');
      expect((fresh as BakeError).message).toContain('connection reset');
      expect(await listKeys('rooms/r2/fresh/')).toEqual([]);
      expect(await readdir(tmp)).toEqual([]);

      // The same version stored before (content-addressed keys): a failed re-bake must not delete it.
      const good = await renderBakeFormats(drums, { stems: createS3StemSource({ s3, bucket: BUCKET }), formats: ['wav24', 'flac'], store: store('rooms/r2/kept') });
      const keptKeys = good.files.map((f) => f.stored!.key).sort();
      const again = await renderBakeFormats(drums, { stems: createS3StemSource({ s3, bucket: BUCKET }), formats: BAKE_FORMATS, store: store('rooms/r2/kept', flaky), tmpDir: tmp }).catch((e: unknown) => e);
      expect((again as BakeError).code).toBe('storage');
      expect(await listKeys('rooms/r2/kept/')).toEqual(keptKeys);
      expect(await readdir(tmp)).toEqual([]);
    } finally {
      flaky.destroy();
    }
  });

  it('a PCM encoder fed a block larger than it was sized for refuses it with a typed error, and still encodes after', async () => {
    // (The MP3 encoders take any block size.)
    for (const format of ['wav24', 'wav16', 'flac'] as const) {
      const encoder = await createMasterEncoder(format, { sampleRate: RATE, channels: 2, totalFrames: 4096, maxBlockFrames: 1024 });
      try {
        const big = [sine(2048, 440, 0.5), sine(2048, 440, 0.5)];
        let caught: unknown = null;
        try {
          encoder.encode(big, 2048);
        } catch (err) {
          caught = err;
        }
        expect(caught, format).toBeInstanceOf(BakeError);
        expect((caught as BakeError).code).toBe('encoder');
        expect((caught as BakeError).message).toMatch(/2048 frames is larger than the encoder's 1024/);
        // (FLAC may buffer these frames until its own block fills: no bytes yet is fine.)
        expect(() => encoder.encode(big.map((c) => c.subarray(0, 1024)), 1024), format).not.toThrow();
      } finally {
        encoder.dispose();
      }
    }
  });

  it('refuses an empty, unknown or repeated format list with a typed error before rendering', async () => {
    for (const formats of [[], ['ogg'], ['wav24', 'wav24']] as unknown as BakeFormat[][]) {
      const err = await renderBakeFormats(plan, { stems: fileStems(), formats }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BakeError);
      expect((err as BakeError).code).toBe('plan-invalid');
    }
  });
});

/** Native MP3 encoders (`lame`) this process started that still run. */
function codecChildren(): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && ['lame', 'flac', 'mpg123', 'mpg123.bin'].includes(comm) && !/^Z/.test(stat.slice(stat.lastIndexOf(')') + 2))) out.push(Number(pid));
    } catch {
      // it ended meanwhile
    }
  }
  return out;
}
