/**
 * Runs one bake in its own process for bakeBench.ts, so the peak RSS it reports is the
 * bake's alone. argv: <plan.json> <stemsDir> <out.wav> <workers> <blockFrames>.
 * Prints one JSON line: wall seconds, peak RSS, RSS samples along the render, result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { MixPlan } from '@mixroom/shared/plan';
import { createFileStemSource } from '../../server/src/render/createFileStemSource.ts';
import { renderBake } from '../../server/src/render/renderBake.ts';

const [planPath, stemsDir, outFile, workers, blockFrames] = process.argv.slice(2);
const plan = JSON.parse(await readFile(planPath!, 'utf8')) as MixPlan;
const rssAt: { percent: number; rssMb: number }[] = [];
let nextMark = 10;
/** CPU seconds of each OS thread of this process so far, by thread id (Linux /proc; empty elsewhere). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, USER_HZ 100
    } catch {
      // the thread ended between readdir and read
    }
  }
  return out;
}
// Worker threads end with the bake, so their CPU is sampled along the way (last sample wins).
const threads = new Map<string, number>();
const sampleThreads = (): void => threadCpu().forEach((cpu, tid) => threads.set(tid, cpu));
const mainTid = String(process.pid);
const mainBefore = threadCpu().get(mainTid) ?? 0;
const sampler = setInterval(sampleThreads, 50);
const t0 = performance.now();
const result = await renderBake(plan, {
  format: 'wav24',
  stems: createFileStemSource(stemsDir!),
  outFile: outFile!,
  workers: Number(workers),
  blockFrames: Number(blockFrames),
  onProgress: (p) => {
    if (p.percent >= nextMark) {
      rssAt.push({ percent: Math.round(p.percent), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) });
      while (nextMark <= p.percent) nextMark += 10;
    }
  },
});
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
sampleThreads();
const cpu = process.cpuUsage(); // whole process: main thread and every worker thread
const others = [...threads].filter(([tid]) => tid !== mainTid).map(([, c]) => c).sort((a, b) => b - a);
const threadCpuSeconds = {
  /** The bake's main thread during the bake (reading stems, bus sums, master chain, metering, encoding). */
  mainDuringBake: (threads.get(mainTid) ?? 0) - mainBefore,
  /** The busiest other threads: the track workers (sampled every 50 ms, so up to 50 ms short). */
  workers: others.slice(0, result.workers),
  /** Everything else: GC and compiler helpers, libuv's file I/O pool. */
  rest: others.slice(result.workers).reduce((a, b) => a + b, 0),
};
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024, rssAt, threadCpuSeconds, sha256: result.sha256, loudness: result.loudness, workers: result.workers })}\n`,
);
