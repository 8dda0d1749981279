import { parseClusterSettings } from './cluster/ClusterSettings.ts';
import { parseConfig } from './config/Config.ts';
import { createJsonLogger } from './log/Logger.ts';
import { startBakeWorkers } from './startBakeWorkers.ts';

/**
 * `pnpm worker`: bake workers of a cluster deployment (see `startBakeWorkers`). On SIGTERM
 * the running bake gets BAKE_DRAIN_MS to finish, then goes back to the queue for another
 * worker; the process exits 0.
 */
const logger = createJsonLogger(parseConfig(process.env).logLevel, (line) => process.stdout.write(line));
const settings = parseClusterSettings(process.env);
const workers = await startBakeWorkers({ env: process.env, logger });

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('worker draining', { signal, running: workers.running, drainMs: settings.bakeDrainMs });
  workers.drain(settings.bakeDrainMs).then(
    () => {
      logger.info('worker stopped');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error('worker shutdown failed', { error: String(error) });
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
