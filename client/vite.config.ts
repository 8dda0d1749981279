import { defineConfig } from 'vite';

/**
 * `pnpm dev` (repo root) runs this dev server and the Mixroom server side by side. The page
 * and everything it calls stay on this one origin: API, sync socket, join pages and object
 * links are proxied to the server, which runs with PUBLIC_URL set to this origin so its
 * Origin checks and invite links agree with the browser.
 */
const server = process.env['MIXROOM_DEV_SERVER'] ?? 'http://localhost:8787';
const proxied = { target: server, changeOrigin: false };

// The AudioWorklet bundle is built from source with the app: main.ts imports
// `./audio/worklet/mixroomWorklet.ts?worker&url`, which Vite bundles (shared/dsp kernels
// included) into its own self-contained file and replaces with that file's URL, passed to
// createEngine({ workletUrl }). 'iife' keeps the worklet free of import statements, so
// `audioWorklet.addModule` never has to resolve chunks.
export default defineConfig({
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'iife' },
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
