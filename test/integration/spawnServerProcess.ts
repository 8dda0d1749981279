import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serverProcessEnv } from './syncHarness.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Its stdout lines (JSON log lines once it logs). */
  readonly lines: string[];
}

/**
 * Starts `server/src/main.ts` as a real child process keeping its files in `dataDir` (see
 * serverProcessEnv), with `env` added, and waits for its listening line.
 */
export function spawnServerProcess(dataDir: string, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env: serverProcessEnv(dataDir, env),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg: string; url?: string };
      if (entry.msg === 'server listening') resolve({ child, url: entry.url!, lines });
    });
  });
}

/** kill -9, resolved once it is gone. */
export function kill9(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}
