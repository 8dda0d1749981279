/**
 * No globals in production: the `window.__mixroom` hook the e2e tests read the live objects
 * through exists only in builds made in the `e2e` mode (test/e2e/roomHarness.ts buildClient).
 * The production build (`pnpm start`, `pnpm --filter @mixroom/client build`) leaves it out.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildClient } from '../e2e/roomHarness.ts';
import { makeTempDir } from '../integration/syncHarness.ts';

const clientRoot = fileURLToPath(new URL('../../client', import.meta.url));
const viteBin = join(createRequire(import.meta.url).resolve('vite/package.json'), '../bin/vite.js');
const dirs: { path: string; remove(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => d.remove()));
});

/** The JavaScript files a build wrote (app and worklet bundles; source maps aside) that mention the hook. */
async function withHook(outDir: string): Promise<{ scripts: number; hooked: string[] }> {
  const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.js'));
  const hooked: string[] = [];
  for (const f of files) if ((await readFile(join(outDir, f), 'utf8')).includes('__mixroom')) hooked.push(f);
  return { scripts: files.length, hooked };
}

describe('the client build', () => {
  it('production: no window.__mixroom; the e2e build has it', async () => {
    const dir = await makeTempDir('mixroom-bundle-');
    dirs.push(dir);
    // Exactly `vite build` in client/ as `pnpm start` runs it (vitest's NODE_ENV=test left out).
    const env = { ...process.env };
    delete env['NODE_ENV'];
    await promisify(execFile)(process.execPath, [viteBin, 'build', '--logLevel', 'warn', '--emptyOutDir', '--outDir', `${dir.path}/production`], { cwd: clientRoot, env });
    await buildClient(`${dir.path}/e2e`);
    const production = await withHook(`${dir.path}/production`);
    const e2e = await withHook(`${dir.path}/e2e`);
    expect(production.scripts).toBeGreaterThan(1); // the app and the worklet
    expect(production.hooked).toEqual([]);
    expect(e2e.hooked).toHaveLength(1);
  });
});
