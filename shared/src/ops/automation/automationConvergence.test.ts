import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { MIN_POINT_GAP_SECONDS, type AutomationCurve } from '../../model/AutomationLane.ts';
import { sendBusOfPath } from '../../model/AutomationRecord.ts';
import type { MixState } from '../../model/MixState.ts';
import { initMixDoc } from '../../model/initMixDoc.ts';
import { readMixState } from '../../model/readMixState.ts';
import { validateMixState } from '../../model/validateMixState.ts';
import { createOrigin } from '../../protocol/TransactionOrigin.ts';
import { MixOpError } from '../MixOpError.ts';
import type { ParamAddress } from '../ParamAddress.ts';
import { addSend } from '../addSend.ts';
import { addTrack } from '../addTrack.ts';
import { applyMixState } from '../applyMixState.ts';
import { createPeerNetwork, type PeerNetwork, type SimPeer } from '../createPeerNetwork.testkit.ts';
import { removeBus } from '../removeBus.ts';
import { removeSend } from '../removeSend.ts';
import { removeTrack } from '../removeTrack.ts';
import { addAutomationPoint } from './addAutomationPoint.ts';
import { clearAutomationLane } from './clearAutomationLane.ts';
import { moveAutomationPoint } from './moveAutomationPoint.ts';
import { removeAutomationPoints } from './removeAutomationPoints.ts';
import { setAutomationCurve } from './setAutomationCurve.ts';
import { writeAutomationRange } from './writeAutomationRange.ts';

const fader: ParamAddress = { kind: 'track', trackId: 'vox', param: 'gain' };

function init(doc: Y.Doc) {
  initMixDoc(doc, { title: 'Lanes', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  const o = createOrigin('server', 'seed');
  addTrack(doc, { name: 'Lead Vocal', stem: null, id: 'vox' }, o);
  addTrack(doc, { name: 'Bass', stem: null, id: 'bass' }, o);
  addSend(doc, { fromId: 'vox', busId: 'rev' }, o);
  addSend(doc, { fromId: 'vox', busId: 'dly' }, o);
  addSend(doc, { fromId: 'bass', busId: 'dly' }, o);
  addAutomationPoint(doc, { address: fader, time: 1, value: -6, id: 'p1' }, o);
  addAutomationPoint(doc, { address: fader, time: 2, value: -3, id: 'p2' }, o);
  addAutomationPoint(doc, { address: fader, time: 3, value: 0, id: 'p3' }, o);
}

/** Every peer reads the same valid mix. */
function expectConverged(net: PeerNetwork): MixState {
  const states = net.peers.map((p) => readMixState(p.doc));
  for (const s of states) {
    expect(s).toEqual(states[0]);
    expect(validateMixState(s)).toEqual({ ok: true, state: s });
  }
  return states[0]!;
}

const gainLane = (s: MixState) => s.tracks.find((t) => t.id === 'vox')!.automation.gain?.points ?? [];

/** Runs `edits` with every peer offline, then lets them meet. */
function concurrently(net: PeerNetwork, edits: ((peer: SimPeer) => void)[]): MixState {
  for (const p of net.peers) net.disconnect(p);
  edits.forEach((edit, i) => edit(net.peers[i]!));
  net.settle();
  return expectConverged(net);
}

describe('automation lanes under concurrent edits', () => {
  it('three users insert at the same time: all three points kept, spaced, in id order', () => {
    const net = createPeerNetwork(3, 1, init);
    const s = concurrently(
      net,
      ['c', 'a', 'b'].map((id, i) => (p) => void addAutomationPoint(p.doc, { address: fader, time: 10, value: -i, id: `x${id}` }, p.user)),
    );
    const lane = gainLane(s);
    expect(lane.map((p) => p.id)).toEqual(['p1', 'p2', 'p3', 'xa', 'xb', 'xc']);
    const times = lane.slice(3).map((p) => p.time);
    expect(times[0]).toBe(10);
    expect(times[1]).toBeCloseTo(10 + MIN_POINT_GAP_SECONDS, 12);
    expect(times[2]).toBeCloseTo(10 + 2 * MIN_POINT_GAP_SECONDS, 12);
    net.destroy();
  });

  it('two users move the same point: one point, one winner, the same on every peer', () => {
    const net = createPeerNetwork(3, 2, init);
    const s = concurrently(net, [
      (p) => moveAutomationPoint(p.doc, { address: fader, id: 'p2', time: 5 }, p.user),
      (p) => moveAutomationPoint(p.doc, { address: fader, id: 'p2', value: -20 }, p.user),
      (p) => setAutomationCurve(p.doc, { address: fader, id: 'p2', curve: 'step' }, p.user),
    ]);
    const lane = gainLane(s);
    expect(lane.filter((p) => p.id === 'p2')).toHaveLength(1);
    expect(lane).toHaveLength(3);
    // Whole-point writes: the winner is one of the three edits, never a blend of two.
    const p2 = lane.find((p) => p.id === 'p2')!;
    expect([
      [5, -3, 'linear'],
      [2, -20, 'linear'],
      [2, -3, 'step'],
    ]).toContainEqual([p2.time, p2.value, p2.curve]);
    net.destroy();
  });

  it('move against delete: the moved point survives where it was moved to', () => {
    const net = createPeerNetwork(2, 3, init);
    const s = concurrently(net, [
      (p) => void removeAutomationPoints(p.doc, { address: fader, ids: ['p2', 'p3'] }, p.user),
      (p) => moveAutomationPoint(p.doc, { address: fader, id: 'p2', time: 7 }, p.user),
    ]);
    expect(gainLane(s).map((p) => [p.id, p.time])).toEqual([
      ['p1', 1],
      ['p2', 7],
    ]);
    net.destroy();
  });

  it('insert against clear and against a span write: the new points survive, the old ones go', () => {
    const net = createPeerNetwork(3, 4, init);
    const s = concurrently(net, [
      (p) => void clearAutomationLane(p.doc, { address: fader }, p.user),
      (p) => void addAutomationPoint(p.doc, { address: fader, time: 1.5, value: 3, id: 'new1' }, p.user),
      (p) => void writeAutomationRange(p.doc, { address: fader, from: 0, to: 10, points: [{ time: 2, value: -12, id: 'rec1' }] }, p.user),
    ]);
    expect(gainLane(s).map((p) => p.id)).toEqual(['new1', 'rec1']);
    net.destroy();
  });

  it('a point added to a send lane while the bus is removed is gone with the send on every peer', () => {
    const net = createPeerNetwork(2, 5, init);
    const sendLane: ParamAddress = { kind: 'send', fromId: 'vox', busId: 'rev', param: 'level' };
    const s = concurrently(net, [
      (p) => removeBus(p.doc, { busId: 'rev' }, p.user),
      (p) => void addAutomationPoint(p.doc, { address: sendLane, time: 4, value: -9 }, p.user),
    ]);
    expect(s.tracks.find((t) => t.id === 'vox')!.automation['sends.rev.level']).toBeUndefined();
    net.destroy();
  });
});

const SEEDS = [11, 12, 13, 14, 15, 16, 17, 18];
const STEPS = 300;
const ADDRESSES: readonly ParamAddress[] = [
  fader,
  { kind: 'track', trackId: 'vox', param: 'mute' },
  { kind: 'track', trackId: 'vox', param: 'eq.bands.1.freq' },
  { kind: 'send', fromId: 'vox', busId: 'dly', param: 'level' },
  { kind: 'send', fromId: 'bass', busId: 'dly', param: 'level' },
  { kind: 'track', trackId: 'bass', param: 'pan' },
  { kind: 'bus', busId: 'rev', param: 'gain' },
  { kind: 'master', param: 'gain' },
];

/** Where each visible point lives: id -> strip id ('master' for the master) and lane path. */
function visiblePoints(s: MixState): Map<string, { strip: string; path: string }> {
  const out = new Map<string, { strip: string; path: string }>();
  for (const strip of [...s.tracks, ...s.buses, { id: 'master', automation: s.master.automation }]) {
    for (const [path, lane] of Object.entries(strip.automation)) for (const p of lane.points) out.set(p.id, { strip: strip.id, path });
  }
  return out;
}

interface Ledger {
  inserted: Map<string, { strip: string; path: string }>;
  deleted: Set<string>;
  /** Strips removed at some point (by an op or a restored snapshot): a restore makes a new map, so their old points may go. */
  removed: Set<string>;
  snapshots: MixState[];
}

/** One seeded-random lane edit by `peer`; what it made appear or vanish goes in the ledger. */
function randomLaneOp(net: PeerNetwork, peer: SimPeer, ledger: Ledger) {
  const gen = net.gen;
  const { doc, user } = peer;
  const before = readMixState(doc);
  const seen = visiblePoints(before);
  const address = prng.oneOf(gen, [...ADDRESSES]);
  // A coarse grid makes same-time inserts from different peers common.
  const time = () => (prng.uint32(gen, 0, 40) === 0 ? Number.NaN : prng.uint32(gen, 0, 30) * 0.5);
  const value = () => -30 + prng.real53(gen) * 40;
  const someIds = () => [...seen.keys()].filter(() => prng.bool(gen));
  const anyId = () => (seen.size > 0 ? prng.oneOf(gen, [...seen.keys()]) : 'none');
  const ops: (() => unknown)[] = [
    () => addAutomationPoint(doc, { address, time: time(), value: value() }, user),
    () => addAutomationPoint(doc, { address, time: time(), value: value() }, user),
    () => moveAutomationPoint(doc, { address, id: anyId(), time: time() }, user),
    () => moveAutomationPoint(doc, { address, id: anyId(), value: value() }, user),
    () => setAutomationCurve(doc, { address, id: anyId(), curve: prng.oneOf(gen, ['linear', 'step'] as AutomationCurve[]) }, user),
    () => removeAutomationPoints(doc, { address, ids: someIds() }, user),
    () => {
      const from = prng.uint32(gen, 0, 20) * 0.5;
      const to = from + prng.uint32(gen, 0, 10) * 0.5;
      const points = Array.from({ length: prng.uint32(gen, 0, 4) }, () => ({ time: from + prng.real53(gen) * (to - from), value: value() }));
      return writeAutomationRange(doc, { address, from, to, points }, user);
    },
    () => prng.uint32(gen, 0, 4) === 0 && clearAutomationLane(doc, { address }, user),
    () => prng.uint32(gen, 0, 6) === 0 && removeSend(doc, { fromId: 'vox', busId: 'dly' }, user),
    () => addSend(doc, { fromId: 'vox', busId: 'dly' }, user),
    () => prng.uint32(gen, 0, 20) === 0 && removeTrack(doc, { trackId: 'bass' }, user),
    () => ledger.snapshots.push(before),
    () => prng.uint32(gen, 0, 3) === 0 && ledger.snapshots.length > 0 && applyMixState(doc, prng.oneOf(gen, ledger.snapshots), user),
  ];
  try {
    prng.oneOf(gen, ops)();
  } catch (error) {
    if (!(error instanceof MixOpError)) throw error;
  }
  const afterState = readMixState(doc);
  const after = visiblePoints(afterState);
  for (const [id, where] of after) if (!seen.has(id)) ledger.inserted.set(id, where);
  for (const id of seen.keys()) if (!after.has(id)) ledger.deleted.add(id);
  const strips = (s: MixState) => [...s.tracks, ...s.buses].map((x) => x.id);
  const now = new Set(strips(afterState));
  for (const id of strips(before)) if (!now.has(id)) ledger.removed.add(id);
}

describe('automation lanes: seeded random interleavings', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: every peer reads the same valid lanes and no inserted point is lost`, () => {
      const net = createPeerNetwork(seed % 2 === 0 ? 3 : 2, seed, init);
      const ledger: Ledger = { inserted: new Map(), deleted: new Set(), removed: new Set(), snapshots: [] };
      for (const [id, where] of visiblePoints(readMixState(net.peers[0]!.doc))) ledger.inserted.set(id, where);
      for (let step = 0; step < STEPS; step++) {
        const r = prng.uint32(net.gen, 0, 99);
        if (r < 50) randomLaneOp(net, prng.oneOf(net.gen, [...net.peers]), ledger);
        else if (r < 93) for (let i = prng.uint32(net.gen, 1, 6); i > 0; i--) net.deliverOne();
        else if (r < 97) net.disconnect(prng.oneOf(net.gen, [...net.peers]));
        else net.reconnect(prng.oneOf(net.gen, [...net.peers]));
      }
      net.settle();
      const final = expectConverged(net);
      const visible = visiblePoints(final);
      // Nothing appears that no one inserted.
      for (const id of visible.keys()) expect(ledger.inserted.has(id)).toBe(true);
      // Every inserted point no one deleted is there, unless its strip or send is gone.
      const alive = (strip: string, path: string) => {
        if (strip === 'master') return true;
        if (ledger.removed.has(strip)) return false;
        const s = final.tracks.find((t) => t.id === strip) ?? final.buses.find((b) => b.id === strip);
        const bus = sendBusOfPath(path);
        return s !== undefined && (bus === null || s.sends.some((x) => x.bus === bus));
      };
      const lost = [...ledger.inserted].filter(([id, w]) => !ledger.deleted.has(id) && !visible.has(id) && alive(w.strip, w.path));
      expect(lost).toEqual([]);
      const lanes = [...final.tracks, ...final.buses].reduce((n, s) => n + Object.keys(s.automation).length, Object.keys(final.master.automation).length);
      const kept = [...ledger.inserted.keys()].filter((id) => visible.has(id)).length;
      console.log(`seed ${seed}: ${net.peers.length} peers, ${ledger.inserted.size} points inserted, ${ledger.deleted.size} deleted, ${kept} in ${lanes} lanes at the end`);
      net.destroy();
    });
  }
});
