import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** An independent meter: ffmpeg's ebur128 filter (BS.1770-4, 4x true peak) on a file as ffmpeg decodes it. */
export interface FfmpegLoudness {
  integratedLufs: number;
  truePeakDb: number;
}

/**
 * Integrated loudness and true peak of `file` by ffmpeg's ebur128. Its printed summary has one
 * decimal; the per-frame metadata it can attach has three (LUFS, and linear true peak), so the
 * last frame's values are read from there.
 */
export async function ffmpegLoudness(file: string): Promise<FfmpegLoudness> {
  const meta = `${file}.r128.txt`;
  try {
    await exec('ffmpeg', ['-nostats', '-hide_banner', '-v', 'error', '-i', file, '-af', `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${meta}`, '-f', 'null', '-']);
    const text = await readFile(meta, 'utf8');
    const last = (key: string): number => {
      const all = [...text.matchAll(new RegExp(`^lavfi\\.r128\\.${key.replace('.', '\\.')}=(-?[\\d.]+|-?inf)$`, 'gm'))];
      if (all.length === 0) throw new Error(`ffmpeg printed no ${key} for ${file}`);
      return Number(all.at(-1)![1]!.replace('inf', 'Infinity'));
    };
    return { integratedLufs: last('I'), truePeakDb: 20 * Math.log10(last('true_peak')) };
  } finally {
    await rm(meta, { force: true });
  }
}

/** Planar float channels as ffmpeg decodes `file` (its own demuxer and decoder). */
export async function ffmpegDecode(file: string, channels = 2): Promise<Float32Array[]> {
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', file, '-f', 'f32le', '-c:a', 'pcm_f32le', '-'], { encoding: 'buffer', maxBuffer: 1 << 30 });
  const inter = new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length));
  const n = inter.length / channels;
  const out = Array.from({ length: channels }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) out[c]![i] = inter[channels * i + c]!;
  return out;
}
