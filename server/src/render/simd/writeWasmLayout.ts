import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WASM_LAYOUT_FILES } from './WASM_LAYOUT_FILES.ts';

// `build:wasm` runs this before compiling: the AssemblyScript constants from their one description.
for (const { file, source } of WASM_LAYOUT_FILES) {
  writeFileSync(file, source());
  process.stdout.write(`wrote ${fileURLToPath(file)}\n`);
}
