import { channelWeights } from './channelWeights.ts';
import { KWeightingFilter } from './KWeightingFilter.ts';
import { type ChannelPeakMeter, TruePeakMeter } from './TruePeakMeter.ts';

/** Loudness in LUFS (LKFS); -Infinity for silence. */
export type Lufs = number;
/** Loudness difference in LU. */
export type LoudnessUnits = number;

/** Absolute gate of BS.1770-4 (integrated) and EBU Tech 3342 (LRA). */
export const ABSOLUTE_GATE_LUFS = -70;
/** Relative gate for integrated loudness, below the absolute-gated mean. */
export const RELATIVE_GATE_LU = -10;
/** Relative gate for loudness range (EBU Tech 3342). */
export const LRA_RELATIVE_GATE_LU = -20;

/** Everything the meter reports at the end of a programme. */
export interface LoudnessSummary {
  /** Gated integrated loudness (BS.1770-4). */
  integrated: Lufs;
  /** Loudness range (EBU Tech 3342), 10th to 95th percentile of gated short-term values. */
  range: LoudnessUnits;
  /** Highest momentary (400 ms) loudness. */
  maxMomentary: Lufs;
  /** Highest short-term (3 s) loudness. */
  maxShortTerm: Lufs;
  /** True peak per channel in dBTP (4x oversampled, BS.1770-4 Annex 2). */
  truePeakPerChannel: number[];
  /** Highest true peak over all channels, dBTP. */
  truePeak: number;
}

/** Options of {@link LoudnessMeter}. */
export interface LoudnessMeterOptions {
  /**
   * Makes each channel's true-peak meter (default: {@link TruePeakMeter}). Any replacement
   * must read exactly what TruePeakMeter reads; the server bake uses a WebAssembly one.
   */
  truePeakMeter?: () => ChannelPeakMeter;
}

const energyToLufs = (e: number): Lufs => (e > 0 ? -0.691 + 10 * Math.log10(e) : -Infinity);
const lufsToEnergy = (l: Lufs): number => Math.pow(10, (l + 0.691) / 10);
const toDb = (linear: number): number => (linear > 0 ? 20 * Math.log10(linear) : -Infinity);

/**
 * Streaming BS.1770-4 / EBU R128 loudness meter over planar float channels.
 *
 * Works in 100 ms sub-blocks: a momentary block (400 ms) is four of them and a short-term
 * block (3 s) thirty, so the 75 % overlap of the gating blocks (BS.1770-4) and the 10 Hz
 * short-term rate for LRA (Tech 3342) fall out of one running list of sub-block energies.
 * Pure: no I/O, usable in a worklet, the server analysis and the bake.
 */
export class LoudnessMeter {
  readonly sampleRate: number;
  readonly channels: number;
  private readonly weights: Float64Array;
  private readonly filters: KWeightingFilter[];
  private readonly peaks: ChannelPeakMeter[];
  private readonly subBlockFrames: number;
  /** Weighted mean square of each completed 100 ms sub-block. */
  private readonly subBlocks: number[] = [];
  /** Energy of every completed 400 ms gating block (one per 100 ms step). */
  private readonly momentaryBlocks: number[] = [];
  /** Energy of every completed 3 s block (one per 100 ms step). */
  private readonly shortTermBlocks: number[] = [];
  private partialSum = 0;
  private partialFrames = 0;

  /**
   * @param sampleRate in Hz.
   * @param channels number of planar channels that `process` will receive.
   * @param options see {@link LoudnessMeterOptions}.
   */
  constructor(sampleRate: number, channels: number, options: LoudnessMeterOptions = {}) {
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`LoudnessMeter: bad channel count ${channels}`);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.weights = channelWeights(channels);
    this.filters = Array.from({ length: channels }, () => new KWeightingFilter(sampleRate));
    this.peaks = Array.from({ length: channels }, options.truePeakMeter ?? (() => new TruePeakMeter()));
    this.subBlockFrames = Math.round(sampleRate / 10);
  }

  /**
   * Feeds one block of planar samples; every channel must have the same length. Blocks of
   * any size may be fed; 100 ms boundaries are tracked internally.
   */
  process(block: readonly Float32Array[]): void {
    if (block.length !== this.channels) throw new RangeError(`LoudnessMeter: expected ${this.channels} channels, got ${block.length}`);
    const frames = block[0]!.length;
    for (let c = 0; c < this.channels; c++) this.peaks[c]!.process(block[c]!);
    let offset = 0;
    while (offset < frames) {
      const take = Math.min(frames - offset, this.subBlockFrames - this.partialFrames);
      for (let c = 0; c < this.channels; c++) {
        this.partialSum += this.weights[c]! * this.filters[c]!.sumOfSquares(block[c]!, offset, offset + take);
      }
      this.partialFrames += take;
      offset += take;
      if (this.partialFrames === this.subBlockFrames) this.completeSubBlock();
    }
  }

  private completeSubBlock(): void {
    this.subBlocks.push(this.partialSum / this.subBlockFrames);
    this.partialSum = 0;
    this.partialFrames = 0;
    const n = this.subBlocks.length;
    if (n >= 4) this.momentaryBlocks.push(this.meanOfLast(4));
    if (n >= 30) this.shortTermBlocks.push(this.meanOfLast(30));
  }

  private meanOfLast(count: number): number {
    let s = 0;
    for (let i = this.subBlocks.length - count; i < this.subBlocks.length; i++) s += this.subBlocks[i]!;
    return s / count;
  }

  /** Loudness of the last complete 400 ms window; -Infinity before 400 ms. */
  momentary(): Lufs {
    const b = this.momentaryBlocks;
    return b.length ? energyToLufs(b[b.length - 1]!) : -Infinity;
  }

  /** Loudness of the last complete 3 s window; -Infinity before 3 s. */
  shortTerm(): Lufs {
    const b = this.shortTermBlocks;
    return b.length ? energyToLufs(b[b.length - 1]!) : -Infinity;
  }

  /** Gated integrated loudness of everything fed so far (BS.1770-4 section 2.8). */
  integrated(): Lufs {
    const absGate = lufsToEnergy(ABSOLUTE_GATE_LUFS);
    let sum = 0;
    let n = 0;
    for (const e of this.momentaryBlocks) if (e > absGate) (sum += e), n++;
    if (n === 0) return -Infinity;
    const relGate = lufsToEnergy(energyToLufs(sum / n) + RELATIVE_GATE_LU);
    sum = 0;
    n = 0;
    for (const e of this.momentaryBlocks) if (e > absGate && e > relGate) (sum += e), n++;
    return n ? energyToLufs(sum / n) : -Infinity;
  }

  /** Loudness range in LU (EBU Tech 3342); 0 when fewer than two gated short-term blocks. */
  loudnessRange(): LoudnessUnits {
    const absGate = lufsToEnergy(ABSOLUTE_GATE_LUFS);
    const gated = this.shortTermBlocks.filter((e) => e > absGate);
    if (gated.length < 2) return 0;
    const mean = gated.reduce((a, b) => a + b, 0) / gated.length;
    const relGate = lufsToEnergy(energyToLufs(mean) + LRA_RELATIVE_GATE_LU);
    const values = gated.filter((e) => e > relGate).map(energyToLufs).sort((a, b) => a - b);
    if (values.length < 2) return 0;
    const at = (p: number) => values[Math.round((values.length - 1) * p)]!;
    return at(0.95) - at(0.1);
  }

  /** True peak per channel in dBTP. */
  truePeakPerChannel(): number[] {
    return this.peaks.map((p) => toDb(p.linearPeak));
  }

  /** All readings at once. */
  summary(): LoudnessSummary {
    const perChannel = this.truePeakPerChannel();
    return {
      integrated: this.integrated(),
      range: this.loudnessRange(),
      maxMomentary: energyToLufs(this.momentaryBlocks.reduce((a, b) => Math.max(a, b), 0)),
      maxShortTerm: energyToLufs(this.shortTermBlocks.reduce((a, b) => Math.max(a, b), 0)),
      truePeakPerChannel: perChannel,
      truePeak: perChannel.reduce((a, b) => Math.max(a, b), -Infinity),
    };
  }
}
