import type { StemService } from './StemService.ts';

/**
 * Runs `sweepStaleUploads` now and then every `intervalMs`; returns the disposer.
 * Failures are reported, never thrown: a sweep retried an hour later loses nothing.
 */
export function startUploadSweeper(
  service: StemService,
  options: { intervalMs: number; maxAgeMs: number; onError?: (error: unknown) => void; onSwept?: (count: number) => void },
): () => void {
  const controller = new AbortController();
  const run = () => {
    service.sweepStaleUploads(options.maxAgeMs, controller.signal).then(
      (n) => n > 0 && options.onSwept?.(n),
      (error: unknown) => controller.signal.aborted || options.onError?.(error),
    );
  };
  run();
  const timer = setInterval(run, options.intervalMs);
  timer.unref?.();
  return () => {
    controller.abort();
    clearInterval(timer);
  };
}
