/**
 * Runs one bake in its own process for bakeBench.ts, so the peak RSS it reports is the
 * bake's alone. argv: <plan.json> <stemsDir> <out.wav> <workers> <blockFrames>.
 * Prints one JSON line: wall seconds, peak RSS, RSS samples along the render, result.
 */
import { readFile } from 'node:fs/promises';
import type { MixPlan } from '@mixroom/shared/plan';
import { createFileStemSource } from '../../server/src/render/createFileStemSource.ts';
import { renderBake } from '../../server/src/render/renderBake.ts';

const [planPath, stemsDir, outFile, workers, blockFrames] = process.argv.slice(2);
const plan = JSON.parse(await readFile(planPath!, 'utf8')) as MixPlan;
const rssAt: { percent: number; rssMb: number }[] = [];
let nextMark = 10;
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
const cpu = process.cpuUsage(); // whole process: main thread and every worker thread
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024, rssAt, sha256: result.sha256, loudness: result.loudness, workers: result.workers })}\n`,
);
