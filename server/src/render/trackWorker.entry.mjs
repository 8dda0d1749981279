// Worker threads start without the parent's TypeScript loader when the parent is vitest
// (and a plain `node` process has none): register tsx in this thread, then load the worker.
import { register } from 'tsx/esm/api';

register();
await import('./trackWorker.ts');
