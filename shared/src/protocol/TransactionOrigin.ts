/**
 * Every Yjs transaction carries a typed origin so observers can tell who wrote what:
 * the UndoManager tracks only the local user's origin, the engine can skip its own
 * echoes, and the server can tell relayed client updates from its own writes.
 */
export const ORIGIN_KINDS = ['local-user', 'remote', 'server', 'migration', 'repair'] as const;
export type OriginKind = (typeof ORIGIN_KINDS)[number];

export interface TransactionOrigin {
  readonly kind: OriginKind;
  /** The writing user's id for `local-user`; the subsystem for `server`. */
  readonly actor: string;
}

/** Creates an origin object. Keep one per user/session: UndoManager compares by identity. */
export function createOrigin(kind: OriginKind, actor: string): TransactionOrigin {
  return Object.freeze({ kind, actor });
}

/** Type guard for origins found on a Y.Transaction (which may also be a provider object). */
export function isTransactionOrigin(value: unknown): value is TransactionOrigin {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TransactionOrigin).kind === 'string' &&
    (ORIGIN_KINDS as readonly string[]).includes((value as TransactionOrigin).kind) &&
    typeof (value as TransactionOrigin).actor === 'string'
  );
}
