import path from 'node:path';
import { parseArgs } from 'node:util';
import { BakeError } from './BakeError.ts';
import { BAKE_FORMATS, isBakeFormat, type BakeFormat } from './BakeFormat.ts';
import { createFileStemSource } from './input/createFileStemSource.ts';
import { loadBakeInput } from './loadBakeInput.ts';
import { renderBake } from './renderBake.ts';

const USAGE = `Usage: pnpm bake <room-or-plan.json> --out mix.wav [--format ${BAKE_FORMATS.join('|')}]
                  [--stems-dir DIR] [--workers N] [--block FRAMES]

Bakes a mix headlessly with the same DSP as the browser. The input is a MixPlan JSON or a
MixState JSON (a room's mix or a version snapshot). Stems are read from --stems-dir (default:
the input file's folder) by their StemRef key, as WAV. The format defaults from --out's
extension (.wav = 24-bit). Progress goes to stderr, the result (hash, loudness) to stdout.`;

/** `pnpm bake`: exit 0 with a JSON result, 2 on bad usage, 1 on a bake error (message on stderr). */
export async function main(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        format: { type: 'string', short: 'f' },
        'stems-dir': { type: 'string' },
        workers: { type: 'string' },
        block: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const input = positionals[0];
  if (!input || positionals.length > 1 || !values.out) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const format = values.format ?? formatFromExtension(values.out);
  if (!isBakeFormat(format)) {
    process.stderr.write(`Unknown format "${format}"; use one of ${BAKE_FORMATS.join(', ')}.\n`);
    return 2;
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  const blockFrames = values.block === undefined ? undefined : Number(values.block);
  if ((workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) || (blockFrames !== undefined && !Number.isInteger(blockFrames))) {
    process.stderr.write('--workers and --block take positive integers.\n');
    return 2;
  }

  const controller = new AbortController();
  const onSignal = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    const { plan, trackNames } = await loadBakeInput(input);
    const stemsDir = values['stems-dir'] ?? path.dirname(path.resolve(input));
    const result = await renderBake(plan, {
      format,
      stems: createFileStemSource(stemsDir),
      outFile: path.resolve(values.out),
      signal: controller.signal,
      trackNames,
      ...(workers !== undefined ? { workers } : {}),
      ...(blockFrames !== undefined ? { blockFrames } : {}),
      onProgress: (p) => {
        const eta = p.etaSeconds === null ? '' : `, ${p.etaSeconds.toFixed(1)} s left`;
        process.stderr.write(`\rbaking ${p.percent.toFixed(1)}% (${p.xRealtime.toFixed(1)}x realtime${eta})   `);
      },
    });
    process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify({ out: path.resolve(values.out), ...result }, null, 2)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write('\n');
    if (err instanceof BakeError) {
      process.stderr.write(`bake failed (${err.code}): ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

function formatFromExtension(file: string): BakeFormat | string {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.wav') return 'wav24';
  if (ext === '.flac') return 'flac';
  if (ext === '.mp3') return 'mp3';
  return ext.slice(1);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('render/cli.ts')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
