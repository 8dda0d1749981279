/**
 * The one shape every sample-level kernel in `@mixroom/shared/dsp` has, so the plan
 * runner, the browser AudioWorklets and the server bake drive them all the same way.
 *
 * Contract (every implementation keeps it, and its tests check it):
 * - `constructor(sampleRate)`: allocates every buffer the kernel will ever need.
 * - `setParams(p)`: validates and clamps a partial parameter object. A NaN or non-finite
 *   number throws {@link DspParamError} and changes nothing. The first call after
 *   construction or `reset()` applies at once; later calls start a deterministic linear
 *   ramp of {@link PARAM_RAMP_SECONDS} (counted in samples) from the current value at the
 *   next processed sample, so two renders that change a parameter at the same sample index
 *   produce the same samples whatever their block sizes.
 * - `snapParams(p)`: as `setParams`, but the new values apply at once (no ramp) while the
 *   audio state (filters, delay lines, envelopes) is kept: where the song time jumps (a
 *   seek, a loop wrap, a start), the old values must not ramp into the new place.
 * - `reset()`: clears all audio state (filters, delay lines, envelopes) and snaps ramps.
 * - `process(inputs, outputs, frames, sidechain?, at?)`: processes `frames` samples of each
 *   channel. `inputs`/`outputs` are arrays of channels (1 = mono, 2 = stereo), each at least
 *   `frames` long; an output channel may be the same array as the input channel (in place).
 *   Channels: the panner, reverb and delay take 1 or 2 input channels and always write 2;
 *   every other kernel processes min(inputs.length, outputs.length, 2) channels (stereo
 *   kernels are linked) and leaves any further output channel untouched, so give them
 *   matching channel counts (an AudioWorklet with channelCountMode 'explicit' does).
 *   `inputs` has at least one channel: where an AudioWorklet input is inactive (zero
 *   channels), the wrapper passes a silent block so tails (reverb, delay) keep ringing.
 *   Output never depends on how the signal is cut into blocks (128 in a worklet, 4096 in
 *   the bake). No allocation happens inside `process`. `at` is the song frame of the
 *   block's first sample at the kernel's input, where something plays: a kernel working at
 *   control rate (the de-esser) places its sub-blocks by it, so the worklet and the bake cut
 *   the same ones; the others ignore it.
 * - `latencyFrames`: the kernel's constant delay in samples (0 for most); the caller
 *   delay-compensates parallel paths with it.
 */
export interface DspProcessor<P> {
  readonly sampleRate: number;
  /** Constant processing delay in sample frames. */
  readonly latencyFrames: number;
  /** Validate, clamp and apply (ramped) a partial parameter set. Throws DspParamError on NaN. */
  setParams(params: Partial<P>): void;
  /** Validate, clamp and apply at once (no ramp), keeping the audio state. Throws DspParamError on NaN. */
  snapParams(params: Partial<P>): void;
  /** The current target parameters (after clamping). */
  getParams(): Readonly<P>;
  /** Clear audio state. */
  reset(): void;
  /**
   * Process one block. `sidechain` is used only by kernels that have a detector input
   * (the compressor); others ignore it. `at`: the song frame of the first sample, if known.
   */
  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number, sidechain?: readonly Float32Array[], at?: number): void;
}

/**
 * Duration of the linear ramp a parameter change takes inside a kernel. The browser's
 * native nodes get the same ramp (`linearRampToValueAtTime` over this duration) so both
 * sides agree during changes too.
 */
export const PARAM_RAMP_SECONDS = 0.01;

/** Number of frames of a parameter ramp at `sampleRate`. */
export function paramRampFrames(sampleRate: number): number {
  return Math.max(1, Math.round(PARAM_RAMP_SECONDS * sampleRate));
}
