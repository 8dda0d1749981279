import { currentLogFields } from './LogContext.ts';

/** Structured logger injected into every server module. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * One JSON object per line, to the given sink (stdout in main.ts). Each line carries the
 * fields of the request it was written for (`requestId`, `roomId`: see `runWithLogFields`),
 * then the logger's own (see {@link childLogger}), then the call's.
 */
export function createJsonLogger(level: LogLevel, write: (line: string) => void, base: Record<string, unknown> = {}): Logger {
  const min = LEVELS[level];
  const emit = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...currentLogFields(), ...fields }) + '\n');
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** A logger that adds `fields` (e.g. `{ node }`, `{ roomId }`) to every line of `parent`. */
export function childLogger(parent: Logger, fields: Record<string, unknown>): Logger {
  const at = (write: Logger['info']) => (msg: string, more?: Record<string, unknown>) => write(msg, { ...fields, ...more });
  return { debug: at(parent.debug.bind(parent)), info: at(parent.info.bind(parent)), warn: at(parent.warn.bind(parent)), error: at(parent.error.bind(parent)) };
}
