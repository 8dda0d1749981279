import { measureLoudness } from '@mixroom/shared/dsp';
import { computeWaveformPeaks } from './computeWaveformPeaks.ts';
import type { DecodedAudio } from './DecodedAudio.ts';
import type { StemAnalysis } from './StemAnalysis.ts';
import type { WaveformPeaks } from '@mixroom/shared/protocol';

const finite = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 100) / 100 : null);

/** Loudness (BS.1770-4 / R128), true and sample peak, and waveform peaks of a decoded stem. */
export function analyzeStem(audio: DecodedAudio): { loudness: StemAnalysis['loudness']; peaks: WaveformPeaks } {
  const l = measureLoudness(audio.channelData, audio.sampleRate);
  let samplePeak = 0;
  for (const ch of audio.channelData) for (let i = 0; i < ch.length; i++) samplePeak = Math.max(samplePeak, Math.abs(ch[i]!));
  return {
    loudness: {
      integratedLufs: finite(l.integrated),
      loudnessRangeLu: finite(l.range) ?? 0,
      maxMomentaryLufs: finite(l.maxMomentary),
      maxShortTermLufs: finite(l.maxShortTerm),
      truePeakDbtp: finite(l.truePeak),
      truePeakPerChannelDbtp: l.truePeakPerChannel.map(finite),
      samplePeakDbfs: finite(samplePeak > 0 ? 20 * Math.log10(samplePeak) : -Infinity),
    },
    peaks: computeWaveformPeaks(audio.channelData, audio.sampleRate),
  };
}
