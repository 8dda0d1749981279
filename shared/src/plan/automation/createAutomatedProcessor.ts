import { createPlanProcessor, type PlanProcessor } from '../createPlanProcessor.ts';
import type { ProcessorPlanNode } from '../MixPlan.ts';
import type { ParamSchedule } from './ParamSchedule.ts';
import { ScheduleCursor } from './ScheduleCursor.ts';

/**
 * Song frames between two automation updates of a processor kernel: every multiple of
 * this, the kernel gets its automated params' values there (and ramps to them over
 * PARAM_RAMP_SECONDS, its usual smoothing). Counted in song frames, so the worklet (128-frame
 * quanta at any offset) and the bake (any block size) update on the same frames. Where the
 * song frame jumps instead (a seek, a loop wrap, a start), the values apply at once.
 */
export const AUTOMATION_CONTROL_FRAMES = 128;

/** A plan processor whose `process` also takes the song frame of the block's first sample. */
export interface AutomatedProcessor extends PlanProcessor {
  /**
   * `at`: the song frame at the node's input (stems' frame minus the input latency) of the
   * first sample; undefined while nothing plays (the automated params hold). A block whose
   * `at` does not continue the previous block's (or follows one where nothing played) is a
   * jump: the kernel's params take the values there at once, without a ramp.
   */
  process(inputs: readonly Float32Array[], outputs: readonly Float32Array[], frames: number, sidechain?: readonly Float32Array[], at?: number): void;
}

type Values = Record<string, number>;

/**
 * {@link createPlanProcessor} for a node that may carry automation (compressor threshold,
 * saturation drive, limiter ceiling): control-rate values from the node's schedules, the
 * same in the browser's worklet and in the bake. A static edit of an automated param does
 * nothing (the lane wins). Starts on the lanes' values at the song's start.
 */
export function createAutomatedProcessor(node: ProcessorPlanNode, sampleRate: number): AutomatedProcessor {
  const schedules = Object.entries((node.automation ?? {}) as Record<string, ParamSchedule | undefined>).filter((e): e is [string, ParamSchedule] => e[1] !== undefined);
  if (schedules.length === 0 || node.bypass) return automatable(createPlanProcessor(node, sampleRate), node, sampleRate);
  return automatable(null, node, sampleRate);
}

function automatable(plain: PlanProcessor | null, first: ProcessorPlanNode, sampleRate: number): AutomatedProcessor {
  let cursors: [string, ScheduleCursor][] = [];
  const setCursors = (n: ProcessorPlanNode) => {
    const entries = Object.entries((n.automation ?? {}) as Record<string, ParamSchedule | undefined>);
    cursors = entries.filter((e): e is [string, ParamSchedule] => e[1] !== undefined).map(([k, s]) => [k, new ScheduleCursor(s, sampleRate)]);
  };
  setCursors(first);
  const valuesAt = (frame: number): Values => Object.fromEntries(cursors.map(([k, c]) => [k, c.valueAt(frame)]));
  let applied: Values = valuesAt(0);
  let base = first;
  const withValues = (n: ProcessorPlanNode, v: Values) => ({ ...n, params: { ...n.params, ...v } }) as ProcessorPlanNode;
  const proc = plain ?? createPlanProcessor(withValues(first, applied), sampleRate);
  let lastControl = Number.NaN;
  /** The song frame a block continuing the previous one starts at; NaN after silence or at first. */
  let expected = Number.NaN;

  const apply = (control: number, snap: boolean) => {
    lastControl = control;
    if (cursors.length === 0) return;
    const v = valuesAt(control);
    // A jump snaps even to unchanged values: a ramp still running from before is cut too.
    if (!snap && cursors.every(([k]) => v[k] === applied[k])) return;
    applied = v;
    proc.update(withValues(base, applied), snap);
  };

  return {
    latencyFrames: proc.latencyFrames,
    update(next) {
      base = next;
      setCursors(next);
      // A new lane takes over from the next control frame; without lanes the static params rule.
      applied = Object.fromEntries(cursors.map(([k]) => [k, applied[k] ?? (next.params as unknown as Values)[k]!]));
      lastControl = Number.NaN;
      proc.update(withValues(next, applied));
    },
    process(inputs, outputs, frames, sidechain, at) {
      const jumped = at !== expected;
      expected = at === undefined ? Number.NaN : at + frames;
      if (cursors.length === 0 || at === undefined) {
        proc.process(inputs, outputs, frames, sidechain, at);
        return;
      }
      const C = AUTOMATION_CONTROL_FRAMES;
      let i = 0;
      while (i < frames) {
        const f = at + i;
        const control = Math.floor(f / C) * C;
        if (i === 0 && jumped) apply(control, true);
        else if (control !== lastControl) apply(control, false);
        const n = Math.min(frames - i, control + C - f);
        if (i === 0 && n === frames) proc.process(inputs, outputs, frames, sidechain, at);
        else {
          const cut = (chs: readonly Float32Array[]) => chs.map((c) => c.subarray(i, i + n));
          proc.process(cut(inputs), cut(outputs), n, sidechain && cut(sidechain), f);
        }
        i += n;
      }
    },
    gainReductionDb: () => proc.gainReductionDb(),
  };
}
