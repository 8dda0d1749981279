import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line written while handling one request (or socket upgrade) carries. */
export interface LogFields {
  readonly requestId?: string;
  readonly roomId?: string;
  readonly [field: string]: unknown;
}

const storage = new AsyncLocalStorage<LogFields>();

/**
 * Runs `fn` (and everything it awaits) with `fields` added to every log line, whichever
 * module's logger writes it: modules get their logger at construction, long before any
 * request, so the request's ids travel with the async context instead of through arguments.
 */
export function runWithLogFields<T>(fields: LogFields, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/**
 * Adds `fields` to the current async context from here on (an event listener cannot wrap
 * the listeners after it; see the sync upgrade in createServer).
 */
export function enterLogFields(fields: LogFields): void {
  storage.enterWith({ ...storage.getStore(), ...fields });
}

/** The fields of the current context (none outside a request). */
export function currentLogFields(): LogFields | undefined {
  return storage.getStore();
}
