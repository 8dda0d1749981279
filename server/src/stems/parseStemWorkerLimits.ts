import { z } from 'zod';
import { DEFAULT_STEM_WORKER_LIMITS, MIN_STEM_WORKER_HEAP_MB, type StemWorkerLimits } from './runStemWorker.ts';

const schema = z.object({
  STEM_WORKER_HEAP_MB: z.coerce.number().int().min(MIN_STEM_WORKER_HEAP_MB).default(DEFAULT_STEM_WORKER_LIMITS.heapMb),
  STEM_WORKER_TIMEOUT_MS: z.coerce.number().int().min(1).default(DEFAULT_STEM_WORKER_LIMITS.timeoutMs),
});

/** Parses STEM_WORKER_HEAP_MB / STEM_WORKER_TIMEOUT_MS (the stem decoding worker's bounds) at boot. */
export function parseStemWorkerLimits(env: Readonly<Record<string, string | undefined>>): StemWorkerLimits {
  const r = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!r.success) {
    throw new Error(`Invalid stem worker configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { heapMb: r.data.STEM_WORKER_HEAP_MB, timeoutMs: r.data.STEM_WORKER_TIMEOUT_MS };
}
