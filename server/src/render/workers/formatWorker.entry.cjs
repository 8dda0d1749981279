// Same start-up as the track workers (see ./trackWorker.entry.cjs): tsx's in-thread
// CommonJS hook, so nothing imported here may use top-level await.
require('tsx/cjs/api').register();
require('./formatWorker.ts');
