import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WASM_LAYOUT_FILES } from './WASM_LAYOUT_FILES.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverDir = path.join(here, '../../..');

/** Compiles a module with its package script's arguments into a temporary folder; returns the bytes. */
async function build(script: string, wasm: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mixroom-asc-'));
  try {
    const pkg = JSON.parse(await readFile(path.join(serverDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const args = pkg.scripts[script]!.split(/\s+/).slice(1);
    const outAt = args.indexOf('-o');
    args[outAt + 1] = path.join(dir, wasm);
    const { main } = await import('assemblyscript/asc');
    const result = await main(args.map((a) => (a.endsWith('.ts') ? path.join(serverDir, a) : a)));
    expect(result.error, result.stderr.toString()).toBeNull();
    return await readFile(path.join(dir, wasm));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the committed WebAssembly is built from its sources', () => {
  it('the generated AssemblyScript layouts are those of chainProgram.ts, masterBusLayout.ts and shared/dsp', async () => {
    for (const { file, source } of WASM_LAYOUT_FILES) {
      expect(await readFile(file, 'utf8'), `${path.basename(fileURLToPath(file))}: run \`pnpm --filter @mixroom/server build:wasm\``).toBe(source());
    }
  });

  it('the committed stripChain.wasm is the build of shared/src/dsp/stripChain.as.ts', async () => {
    const fresh = await build('build:wasm:chain', 'stripChain.wasm');
    const committed = await readFile(path.join(here, 'stripChain.wasm'));
    expect(Buffer.compare(fresh, committed), 'rebuild with `pnpm --filter @mixroom/server build:wasm`').toBe(0);
  });

  it('the committed masterBus.wasm is the build of shared/src/dsp/masterBus.as.ts', async () => {
    const fresh = await build('build:wasm:master', 'masterBus.wasm');
    const committed = await readFile(path.join(here, 'masterBus.wasm'));
    expect(Buffer.compare(fresh, committed), 'rebuild with `pnpm --filter @mixroom/server build:wasm`').toBe(0);
  });
});
