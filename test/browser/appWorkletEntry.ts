/// <reference types="vite/client" />
// Imports the worklet exactly as the app's main.ts does, so Vite (with client/vite.config.ts)
// emits the production worklet bundle; see bundleAppWorklet.ts. The global keeps the
// import from being tree-shaken away.
import workletUrl from '../../client/src/audio/worklet/mixroomWorklet.ts?worker&url';

(globalThis as { mixroomWorkletUrl?: string }).mixroomWorkletUrl = workletUrl;
