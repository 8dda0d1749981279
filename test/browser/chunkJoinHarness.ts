/**
 * Page-side harness (bundled for Chromium by bundleForBrowser): plays one mono stem through
 * the client's chunked transport in an OfflineAudioContext, with one chunk's read held back
 * until after playback started, as a slow network would. Its transport's start delay is
 * `arriveAt`: a chunk arriving after play() can start no earlier than that, exactly as a
 * live chunk arriving at context time t starts at t + startDelay. (standardized-audio-context
 * offers no OfflineAudioContext.suspend to stop the render where the read completes.)
 */
import { createTransport } from '../../client/src/audio/createTransport.ts';
import { OfflineAudioContext } from '../../client/src/audio/index.ts';
import { bufferStemReader } from '../../client/src/audio/StemReader.ts';
import type { StemReader } from '../../client/src/audio/StemReader.ts';
import { noiseStem } from './testStems.ts';

export interface LateJoinJob {
  frames: number;
  chunkFrames: number;
  /** Index of the chunk whose read completes late. */
  late: number;
  /** Context seconds from which the late chunk can play (the transport's start delay). */
  arriveAt: number;
  seek: number;
  seed: number;
}

function encode(a: Float32Array): string {
  const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
  return btoa(s);
}

async function lateJoin(job: LateJoinJob): Promise<string> {
  const sampleRate = 48000;
  const context = new OfflineAudioContext({ numberOfChannels: 1, length: job.frames, sampleRate });
  const whole = context.createBuffer(1, job.frames, sampleRate);
  whole.copyToChannel(noiseStem(job.frames, 0.5, job.seed), 0);
  const inner = bufferStemReader(whole);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const reader: StemReader = {
    channels: 1,
    sampleRate,
    frames: job.frames,
    read: async (start, n, signal) => {
      if (start / job.chunkFrames === job.late) await gate;
      return inner.read(start, n, signal);
    },
  };
  const transport = createTransport(context, { startDelay: job.arriveAt, chunkFrames: job.chunkFrames, budgetBytes: Infinity, onProgress: () => {}, onError: () => {} });
  transport.setSource('s', context.destination);
  void transport.setReader('s', reader);
  await new Promise((r) => setTimeout(r, 50)); // every other chunk read
  transport.seek(job.seek);
  transport.play(0); // at frame 0: every chunk read so far plays from there
  release();
  await new Promise((r) => setTimeout(r, 50)); // the late read completes and its chunk joins
  const out = await context.startRendering();
  transport.dispose();
  return encode(out.getChannelData(0));
}

(globalThis as unknown as { chunkJoinHarness: unknown }).chunkJoinHarness = { lateJoin };
