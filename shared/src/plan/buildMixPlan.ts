import type { EqBandState, Id, MixState, PanLaw, PassFilterState } from '../model/MixState.ts';
import { withAddedRecordParams } from '../model/withAddedParams.ts';
import { dbToGain } from '../dsp/decibels.ts';
import { DELAY_SPEC, REVERB_SPEC } from '../model/BusSpec.ts';
import { MASTER_SPEC } from '../model/MasterSpec.ts';
import { settingsOf } from '../model/ParamTable.ts';
import { repairMixState } from '../model/repairMixState.ts';
import { TRACK_SPEC } from '../model/TrackSpec.ts';
import { computeAudibility } from './computeAudibility.ts';
import { MIX_PLAN_VERSION } from './MixPlan.ts';
import type { BiquadPlanNode, MixPlan, PannerPlanNode, PlanEdge, PlanNode, PlanNodeId, PlanOwner } from './MixPlan.ts';
import { inputNodeId } from './inputNodeId.ts';
import { planNodeId } from './planNodeId.ts';
import { resolveRouting } from './resolveRouting.ts';
import { sortPlanNodes } from './sortPlanNodes.ts';
import { validateMixPlan } from './validateMixPlan.ts';
import { stripAutomation, type StripAutomation } from './automation/stripAutomation.ts';
import type { ParamSchedule } from './automation/ParamSchedule.ts';

/** A node before the builder gives it an id, owner and (by default) the strip's channels. */
type NodeSpec = PlanNode extends infer N ? (N extends PlanNode ? Omit<N, 'id' | 'owner' | 'channels'> & { channels?: 1 | 2 } : never) : never;

const MASTER: PlanOwner = { kind: 'master', id: '' };

/**
 * Builds the audio graph of a mix state. Pure and deterministic: equal states give
 * deep-equal plans, with nodes in a stable topological order.
 *
 * Track strip: source -> trim (with polarity) -> hpf -> lpf -> gate -> eq0..eq3 -> comp ->
 * deess -> sat -> fader -> pan -> mute -> (group bus | master) (console order: filters,
 * gate, EQ, dynamics). The gate's key (input 1) is the key track's `lpf` output, before
 * that track's own gate, so two gates keying each other never form a cycle. The compressor's sidechain (input 1) is the
 * key track's `eq3` output: post-EQ, pre-compressor, pre-fader and independent of the
 * key's mute/solo, so a muted "ghost kick" still ducks the bass and no key path can form
 * a cycle. Pre-fader sends tap `sat`, post-fader sends tap `fader` (before pan).
 *
 * Bus strip: in -> [effect, aux only] -> fader -> pan -> mute -> (group | master); group
 * pre-fader sends tap `in`, post-fader sends tap `fader`.
 *
 * Master: fader (sums everything) -> glue (compressor) -> limiter -> out.
 *
 * Throws {@link PlanError} when a number the plan uses is not finite (a corrupt state).
 */
export function buildMixPlan(input: MixState): MixPlan {
  // The contract says tracks and buses come sorted by (order, id); re-sorting makes the
  // plan independent of how a caller built its arrays.
  const byOrder = <T extends { order: number; id: string }>(a: T, b: T) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // The model's repair (the one every peer and the server apply to the live document) comes
  // first, so a hand-written or stale state gets exactly the routing the room would give it;
  // resolveRouting then only reads a graph that is already valid.
  // A snapshot from before a parameter existed is heard as it was mixed (e.g. the Web Audio pan law before v3).
  const filled = withAddedRecordParams(input);
  const state: MixState = repairMixState({ ...filled, tracks: [...filled.tracks].sort(byOrder), buses: [...filled.buses].sort(byOrder) }).state;
  const routing = resolveRouting(state);
  const sr = state.session.sampleRate;
  const lanes = new Map<Id, StripAutomation>([
    ...state.tracks.map((t) => [t.id, stripAutomation(t, 'track', sr)] as const),
    ...state.buses.map((b) => [b.id, stripAutomation(b, 'bus', sr)] as const),
  ]);
  // A mute lane wins over the static mute: who is heard is resolved as if the strip were
  // unmuted, and its lane then opens and closes it and its sends (a strip another's solo
  // silences stays silent). A group this keeps open under solo that a static mute would close
  // carries only that gated strip, so a closed lane sounds as the static mute (test/muteLaneSolo).
  const unmuted = <S extends { id: Id; mute: boolean }>(s: S): S => (lanes.get(s.id)?.open ? { ...s, mute: false } : s);
  const audible = computeAudibility({ ...state, tracks: state.tracks.map(unmuted), buses: state.buses.map(unmuted) }, routing);
  const nodes: PlanNode[] = [];
  const edges: PlanEdge[] = [];
  const trackIds = new Set(state.tracks.map((t) => t.id));
  let frames = 0;

  const chainOf = (owner: PlanOwner, channels: 1 | 2) => {
    let prev: PlanNodeId | null = null;
    return (node: NodeSpec): PlanNodeId => {
      const id = planNodeId(owner, node.role);
      nodes.push({ ...node, id, owner, channels: node.channels ?? channels } as unknown as PlanNode);
      if (prev !== null) edges.push({ from: prev, to: id, input: 0 });
      prev = id;
      return id;
    };
  };

  for (const track of state.tracks) {
    const owner: PlanOwner = { kind: 'track', id: track.id };
    const channels: 1 | 2 = track.stem !== null && track.stem.channels >= 2 ? 2 : 1;
    if (track.stem) frames = Math.max(frames, Math.round((track.stem.frames * state.session.sampleRate) / track.stem.sampleRate));
    const add = chainOf(owner, channels);
    const auto = lanes.get(track.id)!;
    add({ kind: 'source', role: 'source', trackId: track.id, stem: track.stem });
    add({ kind: 'gain', role: 'trim', gain: (track.polarity ? -1 : 1) * dbToGain(track.trim) });
    add(passFilter('hpf', 'highpass', track.eq.hpf));
    add(passFilter('lpf', 'lowpass', track.eq.lpf));
    const gt = track.gate;
    const gateKey = gt.sidechain !== null && gt.sidechain !== track.id && trackIds.has(gt.sidechain) ? gt.sidechain : null;
    const gate = add({ kind: 'gate', role: 'gate', params: settingsOf(TRACK_SPEC.gate.params, gt), bypass: !gt.on, sidechain: gateKey !== null });
    // The key track's filters, before its own gate: two gates keying each other cannot loop.
    if (gateKey !== null) edges.push({ from: planNodeId({ kind: 'track', id: gateKey }, 'lpf'), to: gate, input: 1 });
    track.eq.bands.forEach((band, i) => add(eqBand(`eq${i}`, band, auto.linear(`eq.bands.${i}.freq`), auto.linear(`eq.bands.${i}.gain`))));
    const c = track.comp;
    const key = c.sidechain !== null && c.sidechain !== track.id && trackIds.has(c.sidechain) ? c.sidechain : null;
    const comp = add({
      kind: 'compressor',
      role: 'comp',
      params: settingsOf(TRACK_SPEC.comp.params, c),
      bypass: !c.on,
      sidechain: key !== null,
      ...automated({ threshold: auto.linear('comp.threshold') }),
    });
    if (key !== null) edges.push({ from: planNodeId({ kind: 'track', id: key }, 'eq3'), to: comp, input: 1 });
    // Every strip has one (bypassed when off); `listen` is only ever set by a listener's monitor layer.
    add({ kind: 'deesser', role: 'deess', params: { ...settingsOf(TRACK_SPEC.deess.params, track.deess), listen: false }, bypass: !track.deess.on, sidechain: false });
    add({
      kind: 'saturation',
      role: 'sat',
      params: settingsOf(TRACK_SPEC.sat.params, track.sat),
      bypass: !track.sat.on || track.sat.mix <= 0,
      sidechain: false,
      ...automated({ drive: auto.linear('sat.drive') }),
    });
    add({ kind: 'gain', role: 'fader', gain: dbToGain(track.gain), ...automated({ gain: auto.gain('gain') }) });
    add({ kind: 'panner', role: 'pan', pan: track.pan, law: track.panLaw, channels: 2, ...panAutomation(auto, track.panLaw, channels) });
    const mute = add({ kind: 'gain', role: 'mute', ...muteGain(auto, audible.strip(track.id)), channels: 2 });
    edges.push({ from: mute, to: inputNodeId(routing.output.get(track.id) ?? 'master'), input: 0 });
  }

  for (const bus of state.buses) {
    const owner: PlanOwner = { kind: 'bus', id: bus.id };
    const add = chainOf(owner, 2);
    const auto = lanes.get(bus.id)!;
    add({ kind: 'gain', role: 'in', gain: 1 });
    if (bus.kind === 'aux' && bus.effect !== null) {
      const fx = bus.effect;
      if (fx.type === 'reverb') {
        add({ kind: 'reverb', role: 'fx', params: settingsOf(REVERB_SPEC, fx), bypass: false, sidechain: false });
      } else {
        add({ kind: 'delay', role: 'fx', params: settingsOf(DELAY_SPEC, fx), bypass: false, sidechain: false });
      }
    }
    add({ kind: 'gain', role: 'fader', gain: dbToGain(bus.gain), ...automated({ gain: auto.gain('gain') }) });
    add({ kind: 'panner', role: 'pan', pan: bus.pan, law: bus.panLaw, ...panAutomation(auto, bus.panLaw, 2) });
    const mute = add({ kind: 'gain', role: 'mute', ...muteGain(auto, audible.strip(bus.id)) });
    edges.push({ from: mute, to: inputNodeId(routing.output.get(bus.id) ?? 'master'), input: 0 });
  }

  const channelsOf = (kind: 'track' | 'bus', id: Id): 1 | 2 => nodes.find((n) => n.id === planNodeId({ kind, id }, 'fader'))?.channels ?? 2;
  for (const send of routing.sends) {
    const owner: PlanOwner = { kind: send.from.kind, id: send.from.id };
    const tap = planNodeId(owner, send.pre ? (send.from.kind === 'track' ? 'sat' : 'in') : 'fader');
    const id = planNodeId(owner, `send:${send.bus}`);
    const open = audible.send(send);
    const auto = lanes.get(send.from.id)!;
    const level = open ? auto.gated(auto.gain(`sends.${send.bus}.level`), dbToGain(send.level)) : undefined;
    const gain = open ? dbToGain(send.level) : 0;
    nodes.push({ kind: 'gain', id, owner, role: `send:${send.bus}`, channels: channelsOf(send.from.kind, send.from.id), gain, ...(level ? { automation: { gain: level } } : {}) });
    edges.push({ from: tap, to: id, input: 0 }, { from: id, to: inputNodeId(send.bus), input: 0 });
  }

  const m = state.master;
  const add = chainOf(MASTER, 2);
  const auto = stripAutomation(m, 'master', sr);
  add({ kind: 'gain', role: 'fader', gain: dbToGain(m.gain), ...automated({ gain: auto.gain('gain') }) });
  const g = m.glue;
  add({
    kind: 'compressor',
    role: 'glue',
    params: settingsOf(MASTER_SPEC.glue.params, g),
    bypass: !g.on,
    sidechain: false,
  });
  add({
    kind: 'limiter',
    role: 'limiter',
    params: settingsOf(MASTER_SPEC.limiter.params, m.limiter),
    bypass: !m.limiter.on,
    sidechain: false,
    ...automated({ ceiling: auto.linear('limiter.ceiling') }),
  });
  add({ kind: 'output', role: 'out' });

  const sorted = sortPlanNodes(nodes, edges);
  return validateMixPlan({ version: MIX_PLAN_VERSION, sampleRate: state.session.sampleRate, nodes: sorted.nodes, edges: sorted.edges, frames });
}

function passFilter(role: string, type: 'highpass' | 'lowpass', f: PassFilterState): NodeSpec & Pick<BiquadPlanNode, 'kind'> {
  // The spec's lowpass/highpass Q is a resonance in dB; the model stores a linear Q.
  return { kind: 'biquad', role, type, frequency: f.freq, q: 20 * Math.log10(Math.max(f.q, 1e-4)), gain: 0, bypass: !f.on };
}

function eqBand(role: string, b: EqBandState, freq: ParamSchedule | null, gain: ParamSchedule | null): NodeSpec & Pick<BiquadPlanNode, 'kind'> {
  // A band at 0 dB is flat for the gain-bearing types: skip it (notch and bandpass ignore
  // gain), unless a lane moves it.
  const flat = b.gain === 0 && gain === null && (b.type === 'peaking' || b.type === 'lowshelf' || b.type === 'highshelf');
  return { kind: 'biquad', role, type: b.type, frequency: b.freq, q: b.q, gain: b.gain, bypass: !b.on || flat, ...automated({ frequency: freq, gain }) };
}

/** `{ automation }` holding the given schedules that exist, or nothing when none does. */
function automated<K extends string>(schedules: Record<K, ParamSchedule | null | undefined>): { automation?: Partial<Record<K, ParamSchedule>> } {
  const present = Object.entries(schedules).filter((e): e is [string, ParamSchedule] => e[1] != null);
  return present.length > 0 ? { automation: Object.fromEntries(present) as Partial<Record<K, ParamSchedule>> } : {};
}

/** A pan lane; under the balance law a stereo input gets the two channel gains following it. */
function panAutomation(auto: StripAutomation, law: PanLaw, inputChannels: 1 | 2): { automation?: PannerPlanNode['automation'] } {
  const pan = auto.linear('pan');
  if (!pan) return {};
  return { automation: law === 'balance' && inputChannels === 2 ? { pan, ...auto.balance(pan) } : { pan } };
}

/** A strip's mute gain: open or closed as resolved, or following its mute lane when it is heard at all. */
function muteGain(auto: StripAutomation, audible: boolean): { gain: number; automation?: { gain: ParamSchedule } } {
  if (!audible || !auto.open) return { gain: audible ? 1 : 0 };
  return { gain: 1, automation: { gain: auto.open } };
}
