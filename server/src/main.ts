import { fileURLToPath } from 'node:url';
import { initMixDoc } from '@mixroom/shared/model';
import { parseConfig } from './config/Config.ts';
import { createServer } from './createServer.ts';
import { createJsonLogger } from './log/Logger.ts';
import { authorizeEveryoneAsOwner } from './sync/Authorize.ts';

/**
 * Composition root: parses the environment once, builds the infrastructure and wires every
 * module. To add HTTP routes, add one line to `routes` below.
 */
const DEFAULT_SAMPLE_RATE = 48_000;

const env = parseConfig(process.env);
const config = {
  ...env,
  clientDistDir: env.clientDistDir ?? fileURLToPath(new URL('../../client/dist', import.meta.url)),
};
const logger = createJsonLogger(config.logLevel, (line) => process.stdout.write(line));

const server = await createServer(config, {
  logger,
  authorize: authorizeEveryoneAsOwner,
  // A new room starts as an empty mix titled after its id (renamed later in the UI).
  initRoom: (doc, roomId) => initMixDoc(doc, { title: roomId, sampleRate: DEFAULT_SAMPLE_RATE }),
  routes: [
    // One line per module, e.g.:
    // (app, s) => app.route('/api/rooms/:room/stems', createStemsApp(s)),
  ],
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down', { signal });
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error('shutdown failed', { error: String(error) });
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
