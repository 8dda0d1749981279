import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const clientRoot = fileURLToPath(new URL('../../client', import.meta.url));
const entry = fileURLToPath(new URL('./appWorkletEntry.ts', import.meta.url));

/**
 * The AudioWorklet bundle as the production app build emits it: Vite with the client's
 * own config (client/vite.config.ts) resolving `mixroomWorklet.ts?worker&url`. Returns
 * the emitted worklet file's code.
 */
export async function bundleAppWorklet(): Promise<string> {
  const result = await build({
    root: clientRoot,
    configFile: fileURLToPath(new URL('../../client/vite.config.ts', import.meta.url)),
    logLevel: 'silent',
    build: { write: false, sourcemap: false, rollupOptions: { input: entry } },
  });
  for (const out of Array.isArray(result) ? result : [result]) {
    if (!('output' in out)) continue;
    const file = out.output.find((o) => o.fileName.includes('mixroomWorklet') && o.fileName.endsWith('.js'));
    if (!file) continue;
    return file.type === 'chunk' ? file.code : typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
  }
  throw new Error('the app build emitted no mixroomWorklet bundle');
}
