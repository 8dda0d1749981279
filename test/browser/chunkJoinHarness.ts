/**
 * Page-side harness (bundled for Chromium by bundleForBrowser): plays mono stems through
 * the client's chunked transport in an OfflineAudioContext, each stem on its own output
 * channel, with one stem's chunk read held back until after playback started, as a slow
 * network would. The transport's start delay is `arriveAt`: audio arriving after play()
 * can start no earlier than that, exactly as live audio arriving at context time t starts
 * at t + startDelay. (standardized-audio-context offers no OfflineAudioContext.suspend to
 * stop the render where the read completes.)
 */
import { createTransport } from '../../client/src/audio/createTransport.ts';
import type { PlaybackStatus } from '../../client/src/audio/createTransport.ts';
import { OfflineAudioContext } from '../../client/src/audio/index.ts';
import { bufferStemReader } from '../../client/src/audio/StemReader.ts';
import type { StemReader } from '../../client/src/audio/StemReader.ts';
import { noiseStem } from './testStems.ts';

export interface LateJoinJob {
  frames: number;
  chunkFrames: number;
  /** One noise stem per seed, stem i on output channel i (ids `s0`, `s1`, ...). */
  seeds: number[];
  /** The stem (index) whose read of chunk `late` completes late. */
  lateStem: number;
  late: number;
  /** Stems playback waits for (indices); null: all. */
  awaited: number[] | null;
  /** Context seconds from which the late chunk can play (the transport's start delay). */
  arriveAt: number;
  seek: number;
  loop?: { start: number; end: number };
}

export interface LateJoinResult {
  channels: string[];
  /** Every status the transport reported, in order. */
  statuses: PlaybackStatus[];
}

function encode(a: Float32Array): string {
  const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
}

async function lateJoin(job: LateJoinJob): Promise<LateJoinResult> {
  const sampleRate = 48000;
  const n = job.seeds.length;
  const context = new OfflineAudioContext({ numberOfChannels: n, length: job.frames, sampleRate });
  const statuses: PlaybackStatus[] = [];
  const transport = createTransport(context, {
    startDelay: job.arriveAt,
    chunkFrames: job.chunkFrames,
    budgetBytes: Infinity,
    waitTimeout: 10,
    onProgress: () => {},
    onError: () => {},
    onStatus: (s) => statuses.push(s),
    onSkip: () => {},
  });
  const merger = context.createChannelMerger(n);
  merger.connect(context.destination);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  job.seeds.forEach((seed, i) => {
    const whole = context.createBuffer(1, job.frames, sampleRate);
    whole.copyToChannel(noiseStem(job.frames, 0.5, seed), 0);
    const inner = bufferStemReader(whole);
    const reader: StemReader =
      i === job.lateStem
        ? {
            ...inner,
            read: async (start, count, signal) => {
              if (start / job.chunkFrames === job.late) await held;
              return inner.read(start, count, signal);
            },
          }
        : inner;
    const target = context.createGain();
    target.channelCount = 1;
    target.channelCountMode = 'explicit';
    target.connect(merger, 0, i);
    transport.setSource(`s${i}`, target);
    void transport.setReader(`s${i}`, reader);
  });
  transport.setAwaited(job.awaited === null ? null : new Set(job.awaited.map((i) => `s${i}`)));
  await new Promise((r) => setTimeout(r, 50)); // every other chunk read
  if (job.loop) transport.setLoop(job.loop);
  transport.seek(job.seek);
  transport.play(0); // at frame 0: everything ready so far plays from there
  release();
  await new Promise((r) => setTimeout(r, 50)); // the late read completes and playback goes on
  const out = await context.startRendering();
  transport.dispose();
  return { channels: Array.from({ length: n }, (_, c) => encode(out.getChannelData(c))), statuses };
}

(globalThis as unknown as { chunkJoinHarness: unknown }).chunkJoinHarness = { lateJoin };
