import { parseConfig } from './config/Config.ts';
import { createJsonLogger } from './log/Logger.ts';
import { startMixroom } from './startMixroom.ts';

/**
 * The process entry: reads the environment once, runs the product (see `startMixroom`,
 * the composition root) and shuts it down cleanly on SIGINT/SIGTERM, exiting 0.
 */
const logger = createJsonLogger(parseConfig(process.env).logLevel, (line) => process.stdout.write(line));
const mixroom = await startMixroom({ env: process.env, logger });

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  // SIGTERM (systemd, a rolling deploy) drains: readiness false, flush, sockets closed 1001.
  (signal === 'SIGTERM' ? mixroom.drain() : mixroom.close()).then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error('shutdown failed', { error: String(error) });
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
