import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface JsonLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface NodeProcess {
  readonly child: ChildProcess;
  readonly name: string;
  readonly lines: JsonLine[];
  /** Resolves with the first line (past or future) that matches. */
  waitForLine(match: (line: JsonLine) => boolean, timeoutMs?: number): Promise<JsonLine>;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
  kill9(): Promise<void>;
  /** SIGTERM, then the exit code. */
  terminate(): Promise<number | string>;
}

/**
 * Runs one of the server's entries (`server/src/main.ts`, `server/src/worker.ts`) as a real
 * child process, collecting its JSON log lines.
 */
export function spawnNode(entry: string, name: string, env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: JsonLine[] = [];
  const waiters = new Set<{ match: (l: JsonLine) => boolean; resolve: (l: JsonLine) => void }>();
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    let line: JsonLine;
    try {
      line = JSON.parse(text) as JsonLine;
    } catch {
      return;
    }
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.match(line)) {
        waiters.delete(w);
        w.resolve(line);
      }
    }
  });
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return {
    child,
    name,
    lines,
    exited,
    waitForLine(match, timeoutMs = 60_000) {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${name}: no matching log line in ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
        }, timeoutMs);
        void exited.then((code) => {
          if (!waiters.has(waiter)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          reject(new Error(`${name} exited (${code}) before the log line; stderr: ${stderr.slice(-2000)}`));
        });
        const original = waiter.resolve;
        waiter.resolve = (l) => {
          clearTimeout(timer);
          original(l);
        };
      });
    },
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
