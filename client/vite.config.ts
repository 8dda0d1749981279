import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

/**
 * `pnpm dev` (repo root) runs this dev server and the Mixroom server side by side. The page
 * and everything it calls stay on this one origin: API, sync socket, join pages and object
 * links are proxied to the server, which runs with PUBLIC_URL set to this origin so its
 * Origin checks and invite links agree with the browser.
 */
const server = process.env['MIXROOM_DEV_SERVER'] ?? 'http://localhost:8787';
const proxied = { target: server, changeOrigin: false };

const WORKLET_ENTRY = fileURLToPath(new URL('./src/audio/worklet/mixroomWorklet.ts', import.meta.url));
const WORKLET_DEV_PATH = '/@mixroom/worklet.js';

/**
 * In dev, `?worker&url` serves the worklet as an ES module with imports, which
 * `audioWorklet.addModule` (through standardized-audio-context's wrapper) cannot run. So
 * the dev server answers the worklet URL with the same self-contained iife bundle a
 * production build emits, rebuilt on each request (a page reload picks up kernel edits).
 */
function workletBundleInDev(): Plugin {
  return {
    name: 'mixroom-worklet-dev',
    apply: 'serve',
    enforce: 'pre',
    load(id) {
      if (id.startsWith(WORKLET_ENTRY) && id.includes('worker') && id.includes('url')) return `export default ${JSON.stringify(WORKLET_DEV_PATH)};`;
      return null;
    },
    configureServer(dev) {
      dev.middlewares.use(WORKLET_DEV_PATH, (_req, res, next) => {
        build({
          configFile: false,
          logLevel: 'silent',
          build: { write: false, minify: false, sourcemap: 'inline', lib: { entry: WORKLET_ENTRY, formats: ['iife'], name: 'mixroomWorklet', fileName: 'worklet' } },
        }).then((result) => {
          const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
          const chunk = outputs.find((o) => o.type === 'chunk');
          if (!chunk || chunk.type !== 'chunk') throw new Error('the worklet build emitted no chunk');
          res.setHeader('content-type', 'text/javascript');
          res.setHeader('cache-control', 'no-store');
          res.end(chunk.code);
        }, next);
      });
    },
  };
}

// The AudioWorklet bundle is built from source with the app: main.ts imports
// `./audio/worklet/mixroomWorklet.ts?worker&url`, which Vite bundles (shared/dsp kernels
// included) into its own self-contained file and replaces with that file's URL, passed to
// createEngine({ workletUrl }). 'iife' keeps the worklet free of import statements, so
// `audioWorklet.addModule` never has to resolve chunks.
export default defineConfig({
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'iife' },
  plugins: [workletBundleInDev()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': proxied,
      '/join': proxied,
      '/healthz': proxied,
      '/sync': { ...proxied, ws: true },
    },
  },
});
