import { defineConfig } from 'vite';

// The AudioWorklet bundle is built from source with the app: main.ts imports
// `./audio/worklet/mixroomWorklet.ts?worker&url`, which Vite bundles (shared/dsp kernels
// included) into its own self-contained file and replaces with that file's URL, passed to
// createEngine({ workletUrl }). 'iife' keeps the worklet free of import statements, so
// `audioWorklet.addModule` never has to resolve chunks.
export default defineConfig({
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'iife' },
});
