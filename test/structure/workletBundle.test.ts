/**
 * The AudioWorklet bundle carries the dsp kernels and the record spec tables they clamp
 * with, and nothing of the document layer: yjs (and its lib0) would be dead weight loaded
 * into every audio thread, and a second yjs copy breaks constructor checks. The spec tables
 * (model/*Spec.ts) are pure data; the record files (model/*Record.ts), which import yjs for
 * their migrations, stay out of the worklet's imports altogether, so this does not rest on
 * the bundler dropping them.
 */
import { execFile } from 'node:child_process';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../integration/syncHarness.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const clientRoot = fileURLToPath(new URL('../../client', import.meta.url));
const viteBin = join(createRequire(import.meta.url).resolve('vite/package.json'), '../bin/vite.js');
const dirs: { path: string; remove(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => d.remove()));
});

/** The packages (under node_modules) and shared/ folders a built script's source map names. */
async function sourcesOf(file: string): Promise<{ packages: Set<string>; shared: Set<string> }> {
  const map = JSON.parse(await readFile(`${file}.map`, 'utf8')) as { sources: string[] };
  const packages = new Set<string>();
  const shared = new Set<string>();
  for (const s of map.sources) {
    const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s); // the last node_modules/ (pnpm nests them)
    if (pkg) packages.add(pkg[1]!);
    const folder = /shared\/src\/([^/]+)\//.exec(s);
    if (folder) shared.add(folder[1]!);
  }
  return { packages, shared };
}

/** Every module `entry` (relative to the repo root) reaches through imports that stay at run time (type-only ones are erased). */
async function runtimeImportsOf(entry: string): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(repoRoot); // dependency-cruiser reports paths relative to the cwd
  try {
    const { output } = await cruise([entry], {
      tsPreCompilationDeps: false,
      tsConfig: { fileName: 'client/tsconfig.json' },
      // Follow `@mixroom/shared/...` through the package's exports into shared/src.
      enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'], extensions: ['.ts', '.js'] },
      doNotFollow: { path: 'node_modules' },
      combinedDependencies: true,
    });
    return (output as ICruiseResult).modules.map((m) => m.source);
  } finally {
    process.chdir(cwd);
  }
}

const isYjs = (m: string) => /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?(yjs|lib0)\//.test(m);

describe('the AudioWorklet bundle', () => {
  it("imports no yjs or lib0, not even through a module the bundler would drop", async () => {
    const worklet = await runtimeImportsOf('client/src/audio/worklet/mixroomWorklet.ts');
    // It really read the worklet: its kernels and the spec tables they clamp with.
    expect(worklet).toEqual(expect.arrayContaining(['shared/src/dsp/compressor.ts', 'shared/src/model/TrackSpec.ts', 'shared/src/plan/automation/createAutomatedProcessor.ts']));
    expect(worklet.filter(isYjs)).toEqual([]);
    expect(worklet.filter((m) => /^shared\/src\/model\/\w+Record\.ts$/.test(m))).toEqual([]);
    // The same reading of a record file finds yjs, so the check above can fail.
    expect((await runtimeImportsOf('shared/src/model/TrackRecord.ts')).some(isYjs)).toBe(true);
  });


  it('holds the kernels and spec tables but no yjs or lib0 (the app bundle does)', async () => {
    const dir = await makeTempDir('mixroom-worklet-');
    dirs.push(dir);
    // The production build exactly as `pnpm start` runs it (vitest's NODE_ENV=test left out).
    const env = { ...process.env };
    delete env['NODE_ENV'];
    await promisify(execFile)(process.execPath, [viteBin, 'build', '--logLevel', 'warn', '--emptyOutDir', '--outDir', dir.path], { cwd: clientRoot, env });
    const scripts = (await readdir(join(dir.path, 'assets'))).filter((f) => f.endsWith('.js'));
    const worklet = scripts.filter((f) => f.startsWith('mixroomWorklet'));
    expect(worklet).toHaveLength(1);
    const workletFile = join(dir.path, 'assets', worklet[0]!);
    const inWorklet = await sourcesOf(workletFile);
    console.log(`worklet bundle: ${(await stat(workletFile)).size} bytes; packages: ${[...inWorklet.packages].join(', ') || 'none'}; shared/: ${[...inWorklet.shared].join(', ')}`);
    expect(inWorklet.shared).toContain('dsp');
    expect(inWorklet.shared).toContain('model'); // the spec tables the kernels clamp with
    expect([...inWorklet.packages].filter((p) => p === 'yjs' || p === 'lib0')).toEqual([]);
    // The same reading of the app bundle finds yjs, so the check above can fail.
    const app = await Promise.all(scripts.filter((f) => !f.startsWith('mixroomWorklet')).map((f) => sourcesOf(join(dir.path, 'assets', f))));
    expect(app.some((s) => s.packages.has('yjs'))).toBe(true);
  });
});
