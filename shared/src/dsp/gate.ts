import type { Decibels, GateSettings } from '../model/MixState.ts';
import { TRACK_SPEC } from '../model/TrackSpec.ts';
import { biquadCoefficients, type BiquadCoefficients } from './biquad.ts';
import { checkParamsObject, checkSampleRate, clampSettings } from './clampParam.ts';
import { CONTROL_GLIDE, CONTROL_SUB_BLOCK, subBlockPhase } from './controlSubBlock.ts';
import { deterministicExp } from './deterministicExp.ts';
import { deterministicLog } from './deterministicLog.ts';
import type { DspProcessor } from './DspProcessor.ts';
import { paramRampFrames } from './DspProcessor.ts';
import { GATE_SLOT, GATE_STATE_SLOTS, type GateStateSlot } from './gateState.ts';
import { LinearRamp } from './LinearRamp.ts';

/**
 * Gate / downward expander settings: the model's gate section (model/TrackSpec.ts)
 * without its switch. Attack and release are time constants τ of the gain in dB (a step
 * gets 63.2 % of the way in τ); hold is a time.
 */
export type GateParams = GateSettings;

const DB_PER_NEPER = 20 / Math.LN10;
const NEPER_PER_DB = Math.LN10 / 20;
/** Added to the key's peak before its logarithm: silence reads as -600 dB, never -∞ (0·-∞ is NaN at ratio 1). */
const LEVEL_BIAS = 1e-30;
/** The gain (dB) snaps to its target within this: an open gate is exactly unity, a closed one exactly the range. */
const SNAP_DB = 1e-9;
/**
 * Added to and removed from the key filter's input to its first state: values under ~1e-36
 * become 0. In silence the states then circle at 1e-40..1e-34 (−700 dB) instead of decaying
 * into the denormals: once the guard drops the second state's share, the first, alone, grows
 * by |a1| > 1 (a Butterworth high-pass below fs/8.5: every key corner from a 17 kHz rate
 * up) until it feeds the second again. Measured over 20 s of silence at 22.05-96 kHz.
 */
const DENORMAL_GUARD = 1e-20;
/** Key filter outputs beyond this (an infinite or NaN key sample) reset the filter. */
const KEY_CEIL = 1e30;
/** The key high-pass's Q: Butterworth, as the Web Audio spec's highpass takes it (dB). */
const KEY_HPF_Q_DB = 20 * Math.log10(Math.SQRT1_2);

// Slots of GateProcessor.f (a Float64Array: the sample loop's values stay unboxed doubles),
// laid out by gateState.ts, which the bake's WebAssembly twin reads too.
const F_GAIN_DB = GATE_SLOT.gainDb; // smoothed gain, dB <= 0
const F_OPEN = GATE_SLOT.open; // 1 while open (or holding), else 0
const F_HOLD = GATE_SLOT.hold; // hold frames left
const F_GR_PEAK = GATE_SLOT.grPeak; // meter: largest reduction since the last reading, dB >= 0
const F_PHASE = GATE_SLOT.phase; // frames of the running control sub-block done (song frame mod SUB)
const F_PEAK = GATE_SLOT.keyPeak; // the key's largest linked peak in the running sub-block
const F_FROM = GATE_SLOT.gainFrom; // linear gain the running sub-block glides from ...
const F_TO = GATE_SLOT.gainTo; // ... and reaches at its last frame
const F_Z = GATE_SLOT.z0; // key high-pass state: z1, z2 of channel 0, then of channel 1
const F_OPEN_LEVEL = GATE_SLOT.openLevel; // linear key level that opens the gate: 10^(threshold/20)
const F_CLOSE_LEVEL = GATE_SLOT.closeLevel; // below this the hold runs out and the gate closes: 10^((threshold - hysteresis)/20)
const F_FLOOR_LEVEL = GATE_SLOT.floorLevel; // below this the expander's curve is under the range: 10^((threshold + range/(ratio - 1))/20); -1 at ratio 1
const F_THRESHOLD = GATE_SLOT.threshold;
const F_RANGE = GATE_SLOT.range;
const F_SLOPE = GATE_SLOT.slope; // ratio - 1: dB of gain per dB under the threshold
const F_RANGE_LIN = GATE_SLOT.rangeLin; // 10^(range/20)
const F_HOLD_FRAMES = GATE_SLOT.holdFrames;
const F_SMOOTH = GATE_SLOT.releaseCoef; // release a, 1 - a, attack a, 1 - a (consecutive: picked at F_SMOOTH + 2·opening)
const F_COEF = GATE_SLOT.b0; // key high-pass b0, c1, c2, a1, a2 (gateState.ts)
const F_SIZE = GATE_STATE_SLOTS.length;
const SUB = CONTROL_SUB_BLOCK;
const GLIDE = CONTROL_GLIDE;

/**
 * {@link GateProcessor.steadyState}: the state block by name (gateState.ts), for the bake's
 * WebAssembly transcription.
 */
export type GateSteadyState = { readonly [K in GateStateSlot]: number };

const DEFAULT_GATE: GateParams = { threshold: -40, range: -80, ratio: 100, attack: 0.0005, hold: 0.05, release: 0.15, hysteresis: 6, scHpf: 20 };

/**
 * The gate's static curve: the gain (dB, <= 0) for a steady key level (dB) while the gate is
 * closed. Downward expansion 1:ratio below the threshold, never below the range. An open
 * gate (the key reached the threshold and has not yet stayed below threshold - hysteresis
 * for longer than the hold) has gain 0.
 */
export function gateCurve(level: Decibels, threshold: Decibels, ratio: number, range: Decibels): Decibels {
  if (level >= threshold) return 0;
  // + 0 turns the -0 of ratio 1 into 0.
  return Math.max(range, (ratio - 1) * (level - threshold)) + 0;
}

/**
 * Stereo-linked gate and downward expander, keyed by its own input or by another track
 * (the `sidechain` channels), through a 12 dB/oct high-pass on the key (`scHpf`) so a kick's
 * bleed does not open a snare gate.
 *
 * The key is filtered and its linked peak (the larger |h| of the key channels) taken on
 * every sample; the rest runs at control rate, once per sub-block of
 * {@link CONTROL_SUB_BLOCK} song frames (16: 0.33 ms at 48 kHz, counted from the song's first
 * frame, never from a block's start: `process`'s `at`), on the sub-block's key peak p: p >=
 * 10^(threshold/20) opens the gate; while p stays >= 10^((threshold − hysteresis)/20) the
 * hold is re-armed; once below, the gate stays open `hold` seconds more (counted in
 * sub-blocks), then closes. Open, the target gain is 0 dB; closed, it is {@link gateCurve}
 * of p (a hard gate at the maximum ratio, 100: one dB under the threshold is 99 dB of
 * attenuation, so the range rules). The gain is smoothed in dB by a branching one-pole (its
 * coefficient the per-sample one to the 16th power): the attack coefficient while it rises
 * (opening), the release one while it falls, so both are first-order time constants. Over
 * the next sub-block the linear gain glides from the previous value to the new one, reaching
 * it at the sub-block's last frame. Inaudible: the gain moves without steps along a line
 * through points 0.33 ms apart, the static curve is the same, and opening and closing come
 * at most one sub-block (0.33 ms) later; a settled gate (open at unity, or closed at the
 * range) glides from a gain to itself, so its output is its input times that gain exactly.
 * Why: the logarithm, smoother and exponential per sample were most of the bake's cost of a
 * gate that opens and closes or expands. A
 * fresh (or reset) gate is closed, as a long silence leaves it: the browser's worklet runs
 * on the silence before a start and the bake starts at the song's first frame, so both meet
 * the first hit in the same state (a stem loud from its first frame opens over the attack).
 *
 * Levels use {@link deterministicLog}/{@link deterministicExp} (plain IEEE arithmetic), so
 * the browser worklet and the bake compute the same doubles, as the compressor does. The
 * key filter's coefficients come from {@link biquadCoefficients} (the spec's highpass).
 * No lookahead: latency 0.
 */
export class GateProcessor implements DspProcessor<GateParams> {
  readonly sampleRate: number;
  readonly latencyFrames = 0;
  private params: GateParams = { ...DEFAULT_GATE };
  private readonly threshold = new LinearRamp(DEFAULT_GATE.threshold);
  private readonly range = new LinearRamp(DEFAULT_GATE.range);
  private readonly ratio = new LinearRamp(DEFAULT_GATE.ratio);
  private readonly hysteresis = new LinearRamp(DEFAULT_GATE.hysteresis);
  private readonly rampFrames: number;
  private fresh = true;
  private readonly coef: BiquadCoefficients = { b0: 1, b1: 0, b2: 0, a1: 0, a2: 0 };
  private readonly f = new Float64Array(F_SIZE);

  constructor(sampleRate: number) {
    this.sampleRate = checkSampleRate(sampleRate);
    this.rampFrames = paramRampFrames(sampleRate);
    this.updateTimes();
    this.updateCurve(this.threshold.value, this.range.value, this.ratio.value, this.hysteresis.value);
    this.closeAsAfterSilence();
  }

  /**
   * Threshold, range, ratio and hysteresis ramp (10 ms); attack, hold and release apply to
   * the next sample, as does the key filter's corner (it shapes only the detector).
   */
  setParams(p: Partial<GateParams>): void {
    this.assign(p, this.fresh);
  }

  /** Applies `p` at once, like the first call after a reset, keeping the audio state: a seek or a loop jump. */
  snapParams(p: Partial<GateParams>): void {
    this.assign(p, true);
  }

  private assign(p: Partial<GateParams>, snap: boolean): void {
    checkParamsObject(p);
    const next = { ...this.params };
    clampSettings(p, TRACK_SPEC.gate.params, next, { scHpf: this.sampleRate / 2 });
    this.params = next;
    const apply = snap ? (r: LinearRamp, v: number) => r.snap(v) : (r: LinearRamp, v: number) => r.rampTo(v, this.rampFrames);
    apply(this.threshold, next.threshold);
    apply(this.range, next.range);
    apply(this.ratio, next.ratio);
    apply(this.hysteresis, next.hysteresis);
    const fresh = this.fresh;
    this.fresh = false;
    this.updateTimes();
    this.updateCurve(this.threshold.value, this.range.value, this.ratio.value, this.hysteresis.value);
    // A fresh gate is closed, as after silence: the browser's worklet runs on the silence
    // before a start, the bake starts at the song's first frame, and both must meet the
    // first hit in the same state.
    if (fresh) this.closeAsAfterSilence();
  }

  getParams(): Readonly<GateParams> {
    return this.params;
  }

  reset(): void {
    const f = this.f;
    f[F_OPEN] = 0;
    f[F_HOLD] = 0;
    f[F_GR_PEAK] = 0;
    f[F_PHASE] = 0;
    f[F_PEAK] = 0;
    f.fill(0, F_Z, F_Z + 4);
    this.threshold.snap(this.params.threshold);
    this.range.snap(this.params.range);
    this.ratio.snap(this.params.ratio);
    this.hysteresis.snap(this.params.hysteresis);
    this.fresh = true;
    this.updateCurve(this.threshold.value, this.range.value, this.ratio.value, this.hysteresis.value);
    // Closed, as after silence (see setParams).
    this.closeAsAfterSilence();
  }

  /** The gain a long silence leaves (the range, or 0 dB for an expander at 1:1), settled: its sub-blocks glide from it to itself. */
  private closeAsAfterSilence(): void {
    const f = this.f;
    const g = gateCurve(DB_PER_NEPER * Math.log(LEVEL_BIAS), this.threshold.value, this.ratio.value, this.range.value);
    f[F_GAIN_DB] = g;
    f[F_FROM] = f[F_TO] = g === 0 ? 1 : g === f[F_RANGE] ? f[F_RANGE_LIN]! : deterministicExp(g * NEPER_PER_DB);
  }

  /**
   * The state block (audio state and settled constants) the sample loop runs on, for a
   * transcription of the kernel that must compute the same doubles (the bake's strip
   * chains). Valid while no parameter ramps.
   */
  steadyState(): GateSteadyState {
    return Object.fromEntries(GATE_STATE_SLOTS.map((name, i) => [name, this.f[i]!])) as GateSteadyState;
  }

  /** Gain reduction (dB, >= 0) applied to the last processed sample. */
  get gainReductionDb(): Decibels {
    return -this.f[F_GAIN_DB]!;
  }

  /** True while the gate is open or holding. */
  get open(): boolean {
    return this.f[F_OPEN] === 1;
  }

  /** Largest gain reduction (dB, >= 0) since the previous call: what a meter shows. */
  takeGainReductionPeak(): Decibels {
    const p = this.f[F_GR_PEAK]!;
    this.f[F_GR_PEAK] = -this.f[F_GAIN_DB]!;
    return p;
  }

  private updateTimes(): void {
    const f = this.f;
    const fs = this.sampleRate;
    const p = this.params;
    // The one-pole once per sub-block: a^SUB = e^(−SUB/(τ·fs)).
    const rel = deterministicExp(-SUB / (p.release * fs));
    const att = deterministicExp(-SUB / (p.attack * fs));
    f[F_SMOOTH] = rel;
    f[F_SMOOTH + 1] = 1 - rel;
    f[F_SMOOTH + 2] = att;
    f[F_SMOOTH + 3] = 1 - att;
    f[F_HOLD_FRAMES] = Math.round(p.hold * fs);
    const c = biquadCoefficients('highpass', p.scHpf, KEY_HPF_Q_DB, 0, fs, this.coef);
    f[F_COEF] = c.b0;
    // The states' input gains with the output substituted (see run).
    f[F_COEF + 1] = c.b1 - c.a1 * c.b0;
    f[F_COEF + 2] = c.b2 - c.a2 * c.b0;
    f[F_COEF + 3] = c.a1;
    f[F_COEF + 4] = c.a2;
  }

  /** The curve's constants for threshold T, range G, ratio R, hysteresis H (the same arithmetic while ramping and settled). */
  private updateCurve(T: number, G: number, R: number, H: number): void {
    const f = this.f;
    const slope = R - 1;
    f[F_THRESHOLD] = T;
    f[F_RANGE] = G;
    f[F_SLOPE] = slope;
    f[F_OPEN_LEVEL] = deterministicExp(T * NEPER_PER_DB);
    f[F_CLOSE_LEVEL] = deterministicExp((T - H) * NEPER_PER_DB);
    f[F_FLOOR_LEVEL] = slope > 0 ? deterministicExp((T + G / slope) * NEPER_PER_DB) : -1;
    f[F_RANGE_LIN] = deterministicExp(G * NEPER_PER_DB);
  }

  /**
   * `at`: the song frame of the block's first sample (at the gate's input), which places the
   * control sub-blocks; without it (nothing plays), they follow on from the previous block.
   */
  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number, sidechain?: readonly Float32Array[], at?: number): void {
    const channels = Math.min(inputs.length, outputs.length, 2);
    if (channels === 0 || frames <= 0) return;
    if (at !== undefined && Number.isFinite(at)) this.f[F_PHASE] = subBlockPhase(at);
    const key = sidechain !== undefined && sidechain.length > 0 ? sidechain : inputs;
    const k0 = key[0]!;
    const k1 = key.length > 1 ? key[1]! : k0;
    const in0 = inputs[0]!;
    const in1 = channels > 1 ? inputs[1]! : in0;
    const out0 = outputs[0]!;
    const out1 = channels > 1 ? outputs[1]! : out0;
    let i = 0;
    // While a parameter ramps, each sample gets its own curve; one run per sample.
    const th = this.threshold;
    const rg = this.range;
    const ra = this.ratio;
    const hy = this.hysteresis;
    while (i < frames && (th.ramping || rg.ramping || ra.ramping || hy.ramping)) {
      this.updateCurve(th.next(), rg.next(), ra.next(), hy.next());
      this.run(k0, k1, in0, in1, out0, out1, i, i + 1);
      i++;
      if (!(th.ramping || rg.ramping || ra.ramping || hy.ramping)) this.updateCurve(th.value, rg.value, ra.value, hy.value);
    }
    if (i < frames) this.run(k0, k1, in0, in1, out0, out1, i, frames);
  }

  /**
   * Samples [from, to) with the curve constants in `f`: per sample the key filter, the
   * sub-block's key peak and the output with the gliding gain; at each sub-block's last
   * frame the control step (open / hold / close, the curve, the one-pole, the next gain).
   */
  private run(k0: Float32Array, k1: Float32Array, in0: Float32Array, in1: Float32Array, out0: Float32Array, out1: Float32Array, from: number, to: number): void {
    const f = this.f;
    const b0 = f[F_COEF]!;
    const c1 = f[F_COEF + 1]!;
    const c2 = f[F_COEF + 2]!;
    const a1 = f[F_COEF + 3]!;
    const a2 = f[F_COEF + 4]!;
    const openLevel = f[F_OPEN_LEVEL]!;
    const closeLevel = f[F_CLOSE_LEVEL]!;
    const floorLevel = f[F_FLOOR_LEVEL]!;
    const T = f[F_THRESHOLD]!;
    const G = f[F_RANGE]!;
    const slope = f[F_SLOPE]!;
    const rangeLin = f[F_RANGE_LIN]!;
    const holdFrames = f[F_HOLD_FRAMES]!;
    const stereoKey = k1 !== k0;
    let z0 = f[F_Z]!;
    let z1 = f[F_Z + 1]!;
    let z2 = f[F_Z + 2]!;
    let z3 = f[F_Z + 3]!;
    let g = f[F_GAIN_DB]!;
    let open = f[F_OPEN]!;
    let hold = f[F_HOLD]!;
    let grPeak = f[F_GR_PEAK]!;
    let phase = f[F_PHASE]!;
    let peak = f[F_PEAK]!;
    let gFrom = f[F_FROM]!;
    let gTo = f[F_TO]!;
    let i = from;
    while (i < to) {
      // This call's frames of the running sub-block; a settled gain (gliding to itself) is that gain.
      const end = Math.min(to, i + SUB - phase);
      const glide = gTo !== gFrom;
      const step = gTo - gFrom;
      for (; i < end; i++, phase++) {
        // Key high-pass (transposed direct form II, doubles, h substituted into the states:
        // a state's recursion is then one product and one difference), then the linked peak.
        const x0 = k0[i]!;
        let h0 = b0 * x0 + z0;
        const u0 = c1 * x0 + z1 + DENORMAL_GUARD - DENORMAL_GUARD;
        z1 = c2 * x0 - a2 * z0;
        z0 = u0 - a1 * z0;
        if (!(Math.abs(h0) < KEY_CEIL)) {
          // An infinite or NaN key sample: it opens the gate (as a huge peak) and the filter restarts.
          h0 = KEY_CEIL;
          z0 = 0;
          z1 = 0;
        }
        // The sub-block's key peak: the largest |h| of either key channel.
        const p0 = Math.abs(h0);
        if (p0 > peak) peak = p0;
        if (stereoKey) {
          const x1 = k1[i]!;
          let h1 = b0 * x1 + z2;
          const u1 = c1 * x1 + z3 + DENORMAL_GUARD - DENORMAL_GUARD;
          z3 = c2 * x1 - a2 * z2;
          z2 = u1 - a1 * z2;
          if (!(Math.abs(h1) < KEY_CEIL)) {
            h1 = KEY_CEIL;
            z2 = 0;
            z3 = 0;
          }
          const p1 = Math.abs(h1);
          if (p1 > peak) peak = p1;
        }
        // The gain glides across the sub-block (from a gain to itself: exactly that gain).
        const gain = glide ? gFrom + step * GLIDE[phase]! : gFrom;
        // Both reads before the writes: in mono, in1/out1 are in0/out0 (possibly in place).
        const y0 = in0[i]!;
        const y1 = in1[i]!;
        out0[i] = y0 * gain;
        out1[i] = y1 * gain;
      }
      if (phase === SUB) {
        // Open at the threshold; the hold re-arms while the key reaches the close level, and
        // runs out a sub-block at a time.
        if (peak >= openLevel) open = 1;
        if (open === 1) {
          if (peak >= closeLevel) hold = holdFrames;
          else {
            hold -= SUB;
            if (!(hold > 0)) {
              hold = 0;
              open = 0;
            }
          }
        }
        let target = 0;
        if (open === 0) {
          target = G;
          if (peak > floorLevel) {
            const e = slope * (DB_PER_NEPER * deterministicLog(peak + LEVEL_BIAS) - T);
            if (e > G) target = e;
          }
        }
        // Attack while the gain rises (opening), release while it falls.
        const up = 2 * +(target > g);
        g = f[F_SMOOTH + up]! * g + f[F_SMOOTH + up + 1]! * target;
        const d = g - target;
        if (d < SNAP_DB && d > -SNAP_DB) g = target;
        if (-g > grPeak) grPeak = -g;
        gFrom = gTo;
        gTo = g === 0 ? 1 : g === G ? rangeLin : deterministicExp(g * NEPER_PER_DB);
        peak = 0;
        phase = 0;
      }
    }
    f[F_PHASE] = phase;
    f[F_PEAK] = peak;
    f[F_FROM] = gFrom;
    f[F_TO] = gTo;
    f[F_Z] = z0;
    f[F_Z + 1] = z1;
    f[F_Z + 2] = z2;
    f[F_Z + 3] = z3;
    f[F_GAIN_DB] = g;
    f[F_OPEN] = open;
    f[F_HOLD] = hold;
    f[F_GR_PEAK] = grPeak;
  }
}
