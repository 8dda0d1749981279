import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';

/** CPU time (user + system, ms), memory and system calls of another process, read from Linux /proc. */
export interface ProcessUsage {
  readonly cpuMs: number;
  readonly rssBytes: number;
  readonly peakRssBytes: number;
  /** write-family system calls (write, writev, pwrite) of all its threads so far; NaN if unreadable. */
  readonly writeCalls: number;
}

/** The unit of /proc CPU times (100 on practically every Linux). */
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export async function readProcessUsage(pid: number): Promise<ProcessUsage> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  // Readable for our own children only (same user); a socket's writev counts here too.
  const io = await readFile(`/proc/${pid}/io`, 'utf8').catch(() => '');
  const writeCalls = Number(/^syscw:\s+(\d+)/m.exec(io)?.[1] ?? NaN);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM'), writeCalls };
}
