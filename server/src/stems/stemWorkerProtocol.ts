import type { ProcessedStem, StemJob } from './ProcessedStem.ts';
import type { StemErrorCode } from './StemError.ts';

/** The one message a stem worker receives: the file's bytes (transferred) and the job. */
export interface ToStemWorker {
  readonly bytes: Uint8Array;
  readonly job: StemJob;
}

/** The one message it answers with before exiting. */
export type FromStemWorker =
  | { readonly ok: true; readonly stem: ProcessedStem }
  /** A StemError (the file is refused), or anything else that went wrong (`code` null). */
  | { readonly ok: false; readonly code: StemErrorCode | null; readonly message: string };
