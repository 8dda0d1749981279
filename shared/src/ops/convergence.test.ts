import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { MixState } from '../model/MixState.ts';
import { initMixDoc } from '../model/initMixDoc.ts';
import { readMixState } from '../model/readMixState.ts';
import { validateMixState } from '../model/validateMixState.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { MixOpError } from './MixOpError.ts';
import { TRACK_PARAMS, type TrackParam } from './TRACK_PARAMS.ts';
import { MASTER_PARAMS, type MasterParam } from './MASTER_PARAMS.ts';
import { addBus } from './addBus.ts';
import { addSend } from './addSend.ts';
import { addTrack } from './addTrack.ts';
import { applyMixState } from './applyMixState.ts';
import { createPeerNetwork, type PeerNetwork, type SimPeer } from './createPeerNetwork.testkit.ts';
import { moveBus } from './moveBus.ts';
import { moveTrack } from './moveTrack.ts';
import { removeBus } from './removeBus.ts';
import { removeSend } from './removeSend.ts';
import { removeTrack } from './removeTrack.ts';
import { renameTrack } from './renameTrack.ts';
import { repairMix } from './repairMix.ts';
import { setBusEffectParam } from './setBusEffectParam.ts';
import { setBusParam } from './setBusParam.ts';
import { setMasterParam } from './setMasterParam.ts';
import { setOutput } from './setOutput.ts';
import { setSendParam } from './setSendParam.ts';
import { setSidechain } from './setSidechain.ts';
import { setTrackParam } from './setTrackParam.ts';
import type { ParamSpec } from './ParamSpec.ts';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const STEPS = 400;

function init(doc: Y.Doc) {
  initMixDoc(doc, { title: 'Fuzz', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  const o = createOrigin('server', 'seed');
  addTrack(doc, { name: 'Kick', stem: null, id: 'kick' }, o);
  addTrack(doc, { name: 'Bass', stem: null, id: 'bass' }, o);
  addTrack(doc, { name: 'Vox', stem: null, id: 'vox' }, o);
  addBus(doc, { kind: 'group', name: 'Drums', id: 'ga' }, o);
  addBus(doc, { kind: 'group', name: 'Music', id: 'gb' }, o);
  addBus(doc, { kind: 'group', name: 'Stems', id: 'gc' }, o);
}

function randomValue(gen: prng.PRNG, spec: ParamSpec): unknown {
  if (prng.uint32(gen, 0, 40) === 0) return prng.oneOf(gen, [Number.NaN, Infinity, 'x', null]);
  if (spec.kind === 'boolean') return prng.bool(gen);
  if (spec.kind === 'enum') return prng.oneOf(gen, [...spec.values]);
  const { min, max } = spec.range;
  return min - 1 + prng.real53(gen) * (max - min + 2); // sometimes just outside: clamped
}

/** One seeded-random user action on `peer`. Refusals (MixOpError) are part of the game. */
function randomOp(net: PeerNetwork, peer: SimPeer, counter: { n: number }, snapshots: MixState[]) {
  const gen = net.gen;
  const doc = peer.doc;
  const o = peer.user;
  const state = readMixState(doc);
  const trackIds = state.tracks.map((t) => t.id);
  const busIds = state.buses.map((b) => b.id);
  const groups = state.buses.filter((b) => b.kind === 'group').map((b) => b.id);
  const auxes = state.buses.filter((b) => b.kind === 'aux').map((b) => b.id);
  const pick = <T>(xs: readonly T[], fallback: T): T => (xs.length > 0 ? prng.oneOf(gen, [...xs]) : fallback);
  const strip = () => pick([...trackIds, ...busIds], 'missing');
  const fresh = () => `p${peer.index}n${counter.n++}`;
  const ops: (() => void)[] = [
    () => addTrack(doc, { name: `T${counter.n}`, stem: null, id: fresh() }, o),
    () => removeTrack(doc, { trackId: pick(trackIds, 'missing') }, o),
    () => renameTrack(doc, { trackId: pick(trackIds, 'missing'), name: prng.word(gen, 0, 6) }, o),
    () => moveTrack(doc, { trackId: pick(trackIds, 'missing'), toIndex: prng.uint32(gen, 0, 5) }, o),
    () => {
      const param = prng.oneOf(gen, Object.keys(TRACK_PARAMS)) as TrackParam;
      setTrackParam(doc, { trackId: pick(trackIds, 'missing'), param, value: randomValue(gen, TRACK_PARAMS[param]) as never }, o);
    },
    () => addBus(doc, { kind: prng.bool(gen) ? 'group' : 'aux', name: 'B', id: fresh(), effect: prng.bool(gen) ? 'delay' : 'reverb' }, o),
    () => removeBus(doc, { busId: pick(busIds, 'missing') }, o),
    () => moveBus(doc, { busId: pick(busIds, 'missing'), toIndex: prng.uint32(gen, 0, 5) }, o),
    () => setOutput(doc, { id: strip(), output: prng.bool(gen) ? 'master' : pick(groups, 'master') }, o),
    () => setOutput(doc, { id: pick(groups, 'missing'), output: pick(groups, 'master') }, o),
    () => addSend(doc, { fromId: prng.bool(gen) ? pick(trackIds, 'missing') : pick(groups, 'missing'), busId: pick(auxes, 'missing') }, o),
    () => removeSend(doc, { fromId: strip(), busId: pick(auxes, 'missing') }, o),
    () => setSendParam(doc, { fromId: strip(), busId: pick(auxes, 'missing'), param: 'level', value: randomValue(gen, { kind: 'number', range: { min: -100, max: 12, unit: 'dB' } }) as number }, o),
    () => setSidechain(doc, { trackId: pick(trackIds, 'missing'), source: prng.bool(gen) ? null : pick(trackIds, 'missing') }, o),
    () => setBusParam(doc, { busId: pick(busIds, 'missing'), param: 'gain', value: prng.real53(gen) * -40 }, o),
    () => setBusEffectParam(doc, { busId: pick(auxes, 'missing'), param: 'damping', value: 1000 + prng.real53(gen) * 9000 }, o),
    () => {
      const param = prng.oneOf(gen, Object.keys(MASTER_PARAMS)) as MasterParam;
      setMasterParam(doc, { param, value: randomValue(gen, MASTER_PARAMS[param]) as never }, o);
    },
    () => snapshots.push(state),
    () => snapshots.length > 0 && applyMixState(doc, pick(snapshots, state), o),
  ];
  try {
    prng.oneOf(gen, ops)();
  } catch (error) {
    if (!(error instanceof MixOpError)) throw error;
  }
}

/** The conflicts the brief names, made on purpose while the peers are partitioned. */
function scriptedConflicts(net: PeerNetwork) {
  const [a, b, c] = net.peers as [SimPeer, SimPeer, SimPeer];
  for (const p of net.peers) net.disconnect(p);
  // Group output cycle: A->B on one peer, B->A on another, and B->C, C->A on a third.
  setOutput(a.doc, { id: 'ga', output: 'gb' }, a.user);
  setOutput(b.doc, { id: 'gb', output: 'ga' }, b.user);
  setOutput(c.doc, { id: 'gc', output: 'ga' }, c.user);
  // The same send created on three peers at once, with different levels.
  addSend(a.doc, { fromId: 'vox', busId: 'rev', level: -6 }, a.user);
  addSend(b.doc, { fromId: 'vox', busId: 'rev', level: -12 }, b.user);
  addSend(c.doc, { fromId: 'vox', busId: 'rev', level: -18, pre: true }, c.user);
  // A bus deleted while others send and route to it; a track deleted while sidechained.
  removeBus(a.doc, { busId: 'dly' }, a.user);
  addSend(b.doc, { fromId: 'kick', busId: 'dly' }, b.user);
  addSend(c.doc, { fromId: 'gc', busId: 'dly' }, c.user);
  setOutput(c.doc, { id: 'bass', output: 'gb' }, c.user);
  removeBus(a.doc, { busId: 'gb' }, a.user);
  setSidechain(b.doc, { trackId: 'bass', source: 'kick' }, b.user);
  removeTrack(c.doc, { trackId: 'kick' }, c.user);
  for (const p of net.peers) net.reconnect(p);
}

describe('convergence of concurrent mix edits', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: every peer ends with the same valid mix`, () => {
      const net = createPeerNetwork(seed % 2 === 0 ? 4 : 3, seed, init);
      const counter = { n: 0 };
      const snapshots: MixState[] = [];
      scriptedConflicts(net);
      for (let step = 0; step < STEPS; step++) {
        const r = prng.uint32(net.gen, 0, 99);
        if (r < 45) randomOp(net, prng.oneOf(net.gen, [...net.peers]), counter, snapshots);
        else if (r < 93) for (let i = prng.uint32(net.gen, 1, 6); i > 0; i--) net.deliverOne();
        else if (r < 97) net.disconnect(prng.oneOf(net.gen, [...net.peers]));
        else net.reconnect(prng.oneOf(net.gen, [...net.peers]));
      }
      net.settle();

      const states = net.peers.map((p) => readMixState(p.doc));
      for (const state of states) {
        expect(state).toEqual(states[0]);
        expect(validateMixState(state)).toEqual({ ok: true, state });
      }
      // Quiescent: the documents themselves are repaired, not just their snapshots.
      for (const p of net.peers) expect(repairMix(p.doc, createOrigin('repair', 'check'))).toEqual([]);
      expect(net.repairs()).toBeGreaterThan(0);
      const final = states[0]!;
      console.log(
        `seed ${seed}: ${net.peers.length} peers, ${final.tracks.length} tracks, ${final.buses.length} buses, ${net.repairs()} repair transactions`,
      );
      net.destroy();
    });
  }
});
