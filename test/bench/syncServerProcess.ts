import { parseConfig } from '../../server/src/config/Config.ts';
import { createServer } from '../../server/src/createServer.ts';
import { createJsonLogger } from '../../server/src/log/Logger.ts';

// The sync server alone (createServer with its embedded defaults: durable local log, everyone
// owner), without the product's auth, S3, stems and review modules: what syncBench compares
// with the reference server, which has none of those either.
const config = parseConfig(process.env);
const server = await createServer(config, {
  logger: createJsonLogger(config.logLevel, (line) => process.stdout.write(line)),
});
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
