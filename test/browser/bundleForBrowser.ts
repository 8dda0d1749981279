import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles a TypeScript entry (and everything it imports, shared/dsp included) into one
 * ES module with Vite, in memory, the way the app build does. Used for the worklet bundle
 * and the test harness page.
 */
export async function bundleForBrowser(entry: string): Promise<string> {
  const result = await build({
    root: repoRoot,
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      target: 'esnext',
      modulePreload: false,
      rollupOptions: { input: entry, output: { format: 'es' }, preserveEntrySignatures: 'strict' },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const out of outputs) {
    if (!('output' in out)) continue;
    const chunk = out.output.find((o) => o.type === 'chunk' && o.isEntry);
    if (chunk && chunk.type === 'chunk') return chunk.code;
  }
  throw new Error(`bundling ${entry} produced no entry chunk`);
}
