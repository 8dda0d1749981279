import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BakeError } from './BakeError.ts';
import { openWavStream } from './openWavStream.ts';
import type { StemSource } from './StemSource.ts';

/**
 * Stems from a folder, by key: `<dir>/<key>` (keys may contain '/'), with `.wav` tried as a
 * suffix. For the CLI, the bench and tests. Keys cannot escape the folder.
 */
export function createFileStemSource(dir: string): StemSource {
  const root = path.resolve(dir);
  return {
    async open(key, signal) {
      const candidates = [key, `${key}.wav`].map((k) => path.resolve(root, k));
      let file: string | null = null;
      for (const candidate of candidates) {
        if (!candidate.startsWith(root + path.sep)) {
          throw new BakeError('stem-missing', `Stem key "${key}" points outside the stems folder.`, { stemKey: key });
        }
        const info = await stat(candidate).catch(() => null);
        if (info?.isFile()) {
          file = candidate;
          break;
        }
      }
      if (file === null) {
        throw new BakeError('stem-missing', `Stem "${key}" is missing: no file ${candidates[0]} (or .wav).`, { stemKey: key });
      }
      // 1 MiB reads: few syscalls, bounded memory.
      const stream = createReadStream(file, { highWaterMark: 1 << 20, signal });
      const close = async (): Promise<void> => {
        stream.destroy();
      };
      const opened = await openWavStream(stream, `Stem "${key}"`, close);
      return opened;
    },
  };
}
