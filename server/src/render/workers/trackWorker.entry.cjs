// Worker threads start without the parent's TypeScript loader when the parent is vitest
// (and a plain `node` process has none). tsx's CommonJS hook compiles the worker's modules
// in this thread, synchronously: its ESM hook would start a separate loader thread per
// worker and resolve every module through it (about twice the start-up CPU). So nothing
// the worker imports may use top-level await or be an ESM-only package.
require('tsx/cjs/api').register();
require('./trackWorker.ts');
