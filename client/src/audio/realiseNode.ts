import { balanceGains } from '@mixroom/shared/dsp';
import type { BiquadPlanNode, PannerPlanNode, ParamSchedule, PlanNode, ProcessorPlanNode } from '@mixroom/shared/plan';
import { BiquadFilterNode, ChannelMergerNode, ChannelSplitterNode, GainNode, StereoPannerNode } from 'standardized-audio-context';
import type { IAudioNode, IAudioParam, IBiquadFilterNode } from 'standardized-audio-context';
import type { AutomationScheduler } from './createAutomationScheduler.ts';
import { createWorkletNode } from './createWorkletNode.ts';
import type { EngineContext } from './MixEngine.ts';
import type { RealisedNode } from './RealisedNode.ts';
import { jumpParam, rampParam } from './rampParam.ts';
import type { FromWorkletMessage, TimelineSegment, ToKernelMessage } from './worklet/WorkletMessage.ts';

/**
 * Creates the Web Audio realisation of one plan node. Native nodes where the spec fixes
 * the math (gain, biquad, stereo panner; the balance law's splitter, gains and merger); an
 * AudioWorklet around the shared/dsp kernel for every processor. Sources become a unity GainNode that the transport's buffer sources
 * feed, so transport restarts never touch the rest of the graph.
 */
export function realiseNode(
  context: EngineContext,
  node: PlanNode,
  inputChannels: 1 | 2,
  onError: (message: string) => void,
  automation: AutomationScheduler,
  inputLatency: number,
): RealisedNode {
  const explicit = { channelCount: node.channels, channelCountMode: 'explicit' as const, channelInterpretation: 'speakers' as const };
  // Frames the node's input lags the stems: its lanes play that much later (as in the bake).
  let delay = inputLatency;
  const simple = (n: IAudioNode<EngineContext>, update: (next: PlanNode, time: number) => void, params: IAudioParam[] = []): RealisedNode => ({
    plan: node,
    input: n,
    output: n,
    update(next, time, latency) {
      delay = latency ?? delay;
      update(next, time);
    },
    gainReduction: () => 0,
    dispose: () => {
      for (const p of params) automation.forget(p);
      n.disconnect();
    },
  });
  /**
   * A param follows its lane when it has one (its static value is then ignored: Read mode),
   * else ramps to its static value (handed back from a lane that went away).
   */
  const follow = (param: IAudioParam, schedule: ParamSchedule | undefined, value: number, time: number) => {
    if (schedule) automation.bind(param, schedule, value, time, { delay });
    else if (automation.follows(param)) automation.bind(param, null, value, time);
    else rampParam(param, value, time);
  };

  switch (node.kind) {
    case 'source':
      return simple(new GainNode(context, { gain: 1, ...explicit }), () => {});
    case 'gain': {
      const g = new GainNode(context, { gain: node.gain, ...explicit });
      if (node.automation?.gain) automation.bind(g.gain, node.automation.gain, node.gain, 0, { delay });
      return simple(
        g,
        (next, time) => {
          if (next.kind === 'gain') follow(g.gain, next.automation?.gain, Math.fround(next.gain), time);
        },
        [g.gain],
      );
    }
    case 'biquad': {
      const b = new BiquadFilterNode(context, { ...explicit });
      setBiquad(context, b, node, null, 0);
      // A bypassed band (off) is a wire: its lanes have nothing to move.
      const lanes = (n: BiquadPlanNode) => (n.bypass ? undefined : n.automation);
      const bindLanes = (n: BiquadPlanNode, time: number, force: boolean) => {
        const a = lanes(n);
        if (a?.frequency) automation.bind(b.frequency, a.frequency, n.frequency, time, { force, delay });
        else if (automation.follows(b.frequency)) automation.bind(b.frequency, null, n.bypass ? context.sampleRate / 2 : n.frequency, time);
        if (a?.gain) automation.bind(b.gain, a.gain, n.gain, time, { force, delay });
        else if (automation.follows(b.gain)) automation.bind(b.gain, null, n.bypass ? 0 : n.gain, time);
      };
      bindLanes(node, 0, false);
      let current = node;
      return simple(
        b,
        (next, time) => {
          if (next.kind !== 'biquad') return;
          // setBiquad moves the static values (its jumps replace a param's events), then the lanes take over.
          const jump = next.bypass !== current.bypass || next.type !== current.type;
          setBiquad(context, b, next, current, time, jump ? undefined : lanes(next));
          bindLanes(next, time, jump);
          current = next;
        },
        [b.frequency, b.gain],
      );
    }
    case 'panner': {
      if (node.law === 'balance' && inputChannels === 2) return realiseBalance(context, node, follow, automation, () => delay, (d) => (delay = d));
      // The spec's 'clamped-max' would keep a mono strip mono (and its mono pan law), but
      // standardized-audio-context refuses 'clamped-max' (its Bug #105), so the same
      // effect is had with an explicit channel count equal to the input's. A mono input
      // gets the spec's mono law under either pan law.
      const p = new StereoPannerNode(context, { pan: node.pan, channelCount: inputChannels, channelCountMode: 'explicit' });
      if (node.automation?.pan) automation.bind(p.pan, node.automation.pan, node.pan, 0, { delay });
      return simple(
        p,
        (next, time) => {
          if (next.kind === 'panner') follow(p.pan, next.automation?.pan, next.pan, time);
        },
        [p.pan],
      );
    }
    case 'output':
      return simple(context.destination as IAudioNode<EngineContext>, () => {});
    default:
      return realiseProcessor(context, node, onError, automation, inputLatency);
  }
}

/**
 * The balance law on a stereo input: L and R each through a native GainNode set to
 * `balanceGains(pan)` (float32, as the bake's kernel multiplies), between a splitter and a
 * merger. Gains are spec-exact, so the bake nulls against it. A pan move ramps the two
 * gains (the kernel ramps the pan; only live playback ever ramps, never a bake).
 */
function realiseBalance(
  context: EngineContext,
  node: PannerPlanNode,
  follow: (param: IAudioParam, schedule: ParamSchedule | undefined, value: number, time: number) => void,
  automation: AutomationScheduler,
  delay: () => number,
  setDelay: (frames: number) => void,
): RealisedNode {
  const split = new ChannelSplitterNode(context, { numberOfOutputs: 2 });
  const merge = new ChannelMergerNode(context, { numberOfInputs: 2 });
  const { gl, gr } = balanceGains(node.pan);
  const one = { channelCount: 1, channelCountMode: 'explicit' as const, channelInterpretation: 'discrete' as const };
  const left = new GainNode(context, { gain: gl, ...one });
  const right = new GainNode(context, { gain: gr, ...one });
  split.connect(left, 0).connect(merge, 0, 0);
  split.connect(right, 1).connect(merge, 0, 1);
  // A pan lane plays as the two gains following it (the plan's dense balance-law schedules).
  if (node.automation?.left) automation.bind(left.gain, node.automation.left, gl, 0, { delay: delay() });
  if (node.automation?.right) automation.bind(right.gain, node.automation.right, gr, 0, { delay: delay() });
  return {
    plan: node,
    input: split,
    output: merge,
    update(next, time, latency) {
      if (next.kind !== 'panner') return;
      if (latency !== undefined) setDelay(latency);
      const g = balanceGains(next.pan);
      follow(left.gain, next.automation?.left, g.gl, time);
      follow(right.gain, next.automation?.right, g.gr, time);
    },
    gainReduction: () => 0,
    dispose() {
      automation.forget(left.gain);
      automation.forget(right.gain);
      for (const n of [split, left, right, merge]) n.disconnect();
    },
  };
}

function realiseProcessor(
  context: EngineContext,
  node: ProcessorPlanNode,
  onError: (message: string) => void,
  automation: AutomationScheduler,
  inputLatency: number,
): RealisedNode {
  const w = createWorkletNode(context, node);
  // An automated kernel computes its params from the song frame, and the gate and de-esser
  // place their control-rate sub-blocks by it (as the bake does): they are told where the song plays.
  let current = node;
  let delay = inputLatency;
  let segments: readonly TimelineSegment[] = [];
  const timed = (n: ProcessorPlanNode) => n.kind === 'deesser' || n.kind === 'gate' || (n.automation !== undefined && Object.keys(n.automation).length > 0);
  const post = () => {
    if (timed(current)) w.port.postMessage({ type: 'timeline', segments: [...segments], delay } satisfies ToKernelMessage);
  };
  const unwatch = automation.onTimeline((s) => {
    segments = s.map(({ when, off, until }) => ({ when, off, until }));
    post();
  });
  let gr = 0;
  const syncs = new Map<number, () => void>();
  let nextSync = 0;
  w.port.onmessage = (e: MessageEvent<FromWorkletMessage>) => {
    if (e.data.type === 'gr') gr = e.data.gainReduction;
    else if (e.data.type === 'synced') {
      syncs.get(e.data.id)?.();
      syncs.delete(e.data.id);
    }
    else if (e.data.type === 'error') onError(`${node.id}: ${e.data.message}`);
  };
  w.onprocessorerror = () => onError(`${node.id}: the worklet processor failed`);
  return {
    plan: node,
    input: w,
    output: w,
    update(next, _time, latency) {
      if (next.kind !== node.kind) return;
      const had = timed(current);
      const moved = latency !== undefined && latency !== delay;
      current = next;
      delay = latency ?? delay;
      w.port.postMessage({ type: 'update', node: next } satisfies ToKernelMessage);
      if ((timed(next) && !had) || moved) post();
    },
    settled: () =>
      new Promise<void>((resolve) => {
        const id = nextSync++;
        syncs.set(id, resolve);
        w.port.postMessage({ type: 'sync', id } satisfies ToKernelMessage);
      }),
    gainReduction: () => gr,
    dispose() {
      unwatch();
      // Nobody waits on a disposed node.
      for (const resolve of syncs.values()) resolve();
      syncs.clear();
      w.port.onmessage = null;
      w.port.close();
      w.disconnect();
    },
  };
}

/**
 * Bypass is realised as a lowpass at Nyquist: the spec's (and Chromium's) limit case is
 * exactly b0 = 1, all else 0, so the signal passes bit for bit, matching the bake's copy.
 * Type and bypass switch at once; frequency, Q and gain ramp.
 */
function setBiquad(
  context: EngineContext,
  b: IBiquadFilterNode<EngineContext>,
  node: BiquadPlanNode,
  prev: BiquadPlanNode | null,
  time: number,
  lanes?: BiquadPlanNode['automation'],
): void {
  const nyquist = context.sampleRate / 2;
  const target = node.bypass ? { type: 'lowpass' as const, frequency: nyquist, q: 0, gain: 0 } : { type: node.type, frequency: node.frequency, q: node.q, gain: node.gain };
  const jump = prev === null || prev.bypass !== node.bypass || prev.type !== node.type;
  if (b.type !== target.type) b.type = target.type;
  const params = [[b.frequency, target.frequency], [b.Q, target.q], [b.gain, target.gain]] as const;
  if (prev === null) {
    // A fresh node: plain values, no automation (constant-parameter rendering path).
    for (const [param, v] of params) param.value = v;
    return;
  }
  if (jump) {
    for (const [param, v] of params) jumpParam(param, v, time);
    return;
  }
  // An automated param follows its lane, not the static value (Read mode).
  if (!lanes?.frequency) rampParam(b.frequency, target.frequency, time);
  rampParam(b.Q, target.q, time);
  if (!lanes?.gain) rampParam(b.gain, target.gain, time);
}
