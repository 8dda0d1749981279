// Worker threads start without the parent's TypeScript loader (see render/workers/trackWorker.entry.cjs):
// tsx's in-thread CommonJS hook compiles our modules; the decoders (ESM packages with their
// WASM inlined) are loaded with native import() by the decode functions, not compiled.
require('tsx/cjs/api').register();
require('./stemWorker.ts');
