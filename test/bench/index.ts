import type { BenchModule } from './BenchModule.ts';

/**
 * `pnpm bench [name...]` runs every benchmark listed here, or only the named ones. To add
 * one: export `run` from a module in this folder (see BenchModule) and add one line below.
 */
const BENCHES: Record<string, () => Promise<BenchModule>> = {
  sync: () => import('./syncBench.ts'),
  // Quiet rooms without their Y.Doc: heap per room and the first edit's wake, hibernation off vs on.
  hibernate: () => import('./hibernationBench.ts'),
  // The JS kernels as the browser's worklets run them (x-realtime per kernel, vs Chromium's native nodes).
  dsp: async () => {
    const { run } = await import('./dspBench.ts');
    return { run: async () => void (await run()) };
  },
  bake: () => import('./bakeBench.ts'),
  // Time to first sound in the 40-stem room (real server and S3, the built client in Chromium), vs whole decoded stems.
  firstSound: () => import('./firstSoundBench.ts'),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));
let failed = false;
for (const [name, load] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n=== bench: ${name} ===`);
  try {
    await (await load()).run({ signal: controller.signal });
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
