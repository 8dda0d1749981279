/**
 * The parent's flags minus its module loaders (`--import tsx` and the like), for a worker
 * thread whose entry registers tsx's in-thread CommonJS hook itself (see
 * render/workers/trackWorker.entry.cjs): an inherited ESM loader would start one more loader thread
 * per worker, about 0.1 CPU-s each to boot. Everything else (--cpu-prof, heap limits, ...) is kept.
 */
export function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (/^--(import|loader|experimental-loader|require)$/.test(arg) || arg === '-r') i++;
    else if (!/^--(import|loader|experimental-loader|require)=/.test(arg)) out.push(arg);
  }
  return out;
}
