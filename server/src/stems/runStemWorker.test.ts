import { describe, expect, it } from 'vitest';
import { encodeWavFixture } from '../../../test/integration/stems-fixtures/encodeWavFixture.ts';
import { floatWav } from '../../../test/renderFixtures.ts';
import { testSignal } from '../../../test/integration/stems-fixtures/testSignal.ts';
import { flacBomb } from '../../../test/security/craftDecoderBombs.ts';
import { MIN_STEM_WORKER_HEAP_MB, runStemWorker } from './runStemWorker.ts';
import { parseStemWorkerLimits } from './parseStemWorkerLimits.ts';

const FS = 48000;
const job = (fileName: string, maxSeconds = 600) => ({ fileName, maxSeconds, sessionRate: FS });

describe('runStemWorker', () => {
  it("decodes in a worker whose heap limit does not count samples: the budget is what bounds them", async () => {
    // 3 minutes of stereo 32-bit float: 69 MB of samples in a worker with a 48 MB heap.
    const wav = floatWav([new Float32Array(180 * FS).fill(0.25), new Float32Array(180 * FS).fill(-0.25)], FS);
    const stem = await runStemWorker(wav, job('long.wav'), { heapMb: 48, timeoutMs: 120_000 });
    expect(stem).toMatchObject({ format: 'wav', frames: 180 * FS, channels: 2, sampleRate: FS, byteLength: 44 + 180 * FS * 8 });
    expect(stem.playbackWav).toBeNull();
    expect(stem.peaks.byteLength).toBeGreaterThan(1000);
    // The bytes were moved to the worker, not copied.
    expect(wav.byteLength).toBe(0);
    // So a bomb is stopped by the budget (here 60 s), not by the heap limit.
    await expect(runStemWorker(flacBomb(64 * 1024), job('bomb.flac', 60), { heapMb: 48, timeoutMs: 120_000 })).rejects.toMatchObject({
      code: 'too-long',
      message: '"bomb.flac": The FLAC file does not declare its length and decodes past the limit of 1 min 0 s.',
    });
  });

  it('passes refusals through with their code, and turns a dead or slow worker into a clear error', async () => {
    await expect(runStemWorker(new TextEncoder().encode('not audio at all, just text'), job('notes.wav'))).rejects.toMatchObject({
      code: 'not-audio',
      message: expect.stringMatching(/^"notes\.wav": This file is not audio we recognise/),
    });
    const wav = () => encodeWavFixture(testSignal(1, FS), FS, '16');
    // The smallest heap allowed is too small for this decode: the worker fails alone.
    await expect(runStemWorker(wav(), job('a.wav'), { heapMb: MIN_STEM_WORKER_HEAP_MB, timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'unprocessable',
      message: expect.stringMatching(/^"a\.wav" could not be processed: (decoding it needed more than 8 MB of memory|the decoder (crashed|stopped)).*Nothing was stored\.$/),
    });
    // Below it a worker could take the whole process down (Node 24): refused before starting.
    await expect(runStemWorker(wav(), job('z.wav'), { heapMb: 2, timeoutMs: 60_000 })).rejects.toThrow(/at least 8 MB/);
    await expect(runStemWorker(wav(), job('b.wav'), { heapMb: 256, timeoutMs: 1 })).rejects.toMatchObject({
      code: 'unprocessable',
      message: '"b.wav" could not be processed: decoding it took longer than 0 s. Nothing was stored.',
    });
    const abort = new AbortController();
    const running = runStemWorker(wav(), job('c.wav'), undefined, abort.signal);
    abort.abort(new Error('upload cancelled'));
    await expect(running).rejects.toThrow('upload cancelled');
  });

  it('refuses a heap limit below the floor at boot, with the variable named', () => {
    expect(() => parseStemWorkerLimits({ STEM_WORKER_HEAP_MB: '2' })).toThrow(/STEM_WORKER_HEAP_MB/);
    expect(parseStemWorkerLimits({ STEM_WORKER_HEAP_MB: '8' }).heapMb).toBe(8);
  });
});
