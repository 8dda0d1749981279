import { startMixroom, type RunningMixroom } from '../../server/src/startMixroom.ts';
import { createMemoryLogger, makeTempDir, type LogLine } from './syncHarness.ts';

export interface TestMixroom extends RunningMixroom {
  readonly lines: LogLine[];
  readonly dataDir: string;
}

/**
 * The whole product exactly as `pnpm start` wires it (server/src/startMixroom.ts), on port 0
 * with the embedded S3 on a free loopback port and every folder in a fresh temp dir.
 * `env` adds or overrides variables (PUBLIC_URL, OPEN_ROOMS, limits...); the demo is not
 * seeded unless `seedDemo` is set. Closing removes the temp dir.
 */
export async function startTestMixroom(
  options: { env?: Record<string, string>; seedDemo?: boolean; now?: () => number; clientDistDir?: string } = {},
): Promise<TestMixroom> {
  const dir = await makeTempDir('mixroom-product-');
  const lines: LogLine[] = [];
  const mixroom = await startMixroom({
    env: {
      PORT: '0',
      DATA_DIR: `${dir.path}/data`,
      S3_DATA_DIR: `${dir.path}/s3`,
      S3_EMBEDDED_PORT: '0',
      CLIENT_DIST_DIR: options.clientDistDir ?? `${dir.path}/no-client`,
      ...options.env,
    },
    logger: createMemoryLogger(lines),
    seedDemo: options.seedDemo ?? false,
    bakeWorkers: 1,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    ...mixroom,
    lines,
    dataDir: dir.path,
    close: async () => {
      await mixroom.close();
      await dir.remove();
    },
  };
}
