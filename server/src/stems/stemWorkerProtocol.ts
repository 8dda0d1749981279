import type { ApiErrorCode } from '@mixroom/shared/protocol';
import type { ProcessedStem, StemJob } from './ProcessedStem.ts';

/** The one message a stem worker receives: the file's bytes (transferred) and the job. */
export interface ToStemWorker {
  readonly bytes: Uint8Array;
  readonly job: StemJob;
}

/** The one message it answers with before exiting. */
export type FromStemWorker =
  | { readonly ok: true; readonly stem: ProcessedStem }
  /** An ApiError (the file is refused), or anything else that went wrong (`code` null). */
  | { readonly ok: false; readonly code: ApiErrorCode | null; readonly message: string };
