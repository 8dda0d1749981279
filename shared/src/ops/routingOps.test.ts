import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '../model/initMixDoc.ts';
import { readMixState } from '../model/readMixState.ts';
import { validateMixState } from '../model/validateMixState.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { MixOpError } from './MixOpError.ts';
import { addBus } from './addBus.ts';
import { addSend } from './addSend.ts';
import { addTrack } from './addTrack.ts';
import { moveBus } from './moveBus.ts';
import { moveTrack } from './moveTrack.ts';
import { removeBus } from './removeBus.ts';
import { removeSend } from './removeSend.ts';
import { removeTrack } from './removeTrack.ts';
import { renameBus } from './renameBus.ts';
import { renameTrack } from './renameTrack.ts';
import { setBusEffectParam } from './setBusEffectParam.ts';
import { setBusEffectType } from './setBusEffectType.ts';
import { setBusParam } from './setBusParam.ts';
import { setMasterParam } from './setMasterParam.ts';
import { setOutput } from './setOutput.ts';
import { setSendParam } from './setSendParam.ts';
import { setSessionTempo } from './setSessionTempo.ts';
import { setSessionTitle } from './setSessionTitle.ts';
import { setSidechain } from './setSidechain.ts';
import { setStripColor } from './setStripColor.ts';

const o = createOrigin('local-user', 'u1');

function setup() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  const kick = addTrack(doc, { name: 'Kick', stem: null, id: 'kick' }, o);
  const bass = addTrack(doc, { name: 'Bass', stem: null, id: 'bass' }, o);
  const drums = addBus(doc, { kind: 'group', name: 'Drums', id: 'drums' }, o);
  return { doc, kick, bass, drums };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof MixOpError ? e.code : `other: ${String(e)}`;
  }
  return 'none';
}

describe('routing ops', () => {
  it('sends: add once per bus, set level/pre/on, remove', () => {
    const { doc } = setup();
    addSend(doc, { fromId: 'kick', busId: 'rev', level: -12 }, o);
    addSend(doc, { fromId: 'kick', busId: 'rev', level: 0 }, o); // already there: unchanged
    addSend(doc, { fromId: 'kick', busId: 'dly', pre: true }, o);
    setSendParam(doc, { fromId: 'kick', busId: 'rev', param: 'level', value: 99 }, o);
    setSendParam(doc, { fromId: 'kick', busId: 'rev', param: 'on', value: false }, o);
    let kick = readMixState(doc).tracks.find((t) => t.id === 'kick')!;
    expect(kick.sends).toEqual([
      { bus: 'dly', level: 0, pre: true, on: true },
      { bus: 'rev', level: 12, pre: false, on: false },
    ]);
    removeSend(doc, { fromId: 'kick', busId: 'dly' }, o);
    kick = readMixState(doc).tracks.find((t) => t.id === 'kick')!;
    expect(kick.sends.map((s) => s.bus)).toEqual(['rev']);
    expect(code(() => addSend(doc, { fromId: 'kick', busId: 'drums' }, o))).toBe('invalid-target');
    expect(code(() => addSend(doc, { fromId: 'rev', busId: 'dly' }, o))).toBe('invalid-target');
    expect(code(() => addSend(doc, { fromId: 'kick', busId: 'gone' }, o))).toBe('unknown-bus');
    expect(code(() => setSendParam(doc, { fromId: 'kick', busId: 'dly', param: 'level', value: 1 }, o))).toBe('unknown-bus');
    expect(code(() => setSendParam(doc, { fromId: 'kick', busId: 'rev', param: 'level', value: Number.NaN }, o))).toBe('not-finite');
  });

  it('the same send added by two users at once converges on one send', () => {
    const { doc: a } = setup();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    addSend(a, { fromId: 'kick', busId: 'rev', level: -6 }, o);
    addSend(b, { fromId: 'kick', busId: 'rev', level: -20, pre: true }, createOrigin('local-user', 'u2'));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const sa = readMixState(a).tracks.find((t) => t.id === 'kick')!.sends;
    expect(sa).toHaveLength(1);
    expect([-6, -20]).toContain(sa[0]!.level);
    expect(readMixState(b)).toEqual(readMixState(a));
  });

  it('outputs: group buses only, no self-route, no cycle', () => {
    const { doc } = setup();
    const sub = addBus(doc, { kind: 'group', name: 'Sub', id: 'sub' }, o);
    setOutput(doc, { id: 'kick', output: 'drums' }, o);
    setOutput(doc, { id: 'drums', output: sub }, o);
    expect(code(() => setOutput(doc, { id: 'sub', output: 'drums' }, o))).toBe('would-create-cycle');
    expect(code(() => setOutput(doc, { id: 'drums', output: 'drums' }, o))).toBe('would-create-cycle');
    expect(code(() => setOutput(doc, { id: 'kick', output: 'rev' }, o))).toBe('invalid-target');
    expect(code(() => setOutput(doc, { id: 'kick', output: 'nope' }, o))).toBe('unknown-bus');
    // A group feeding an aux that returns into the group would loop.
    setOutput(doc, { id: 'rev', output: 'drums' }, o);
    expect(code(() => addSend(doc, { fromId: 'drums', busId: 'rev' }, o))).toBe('would-create-cycle');
    const state = readMixState(doc);
    expect(state.tracks.find((t) => t.id === 'kick')!.output).toBe('drums');
    expect(state.buses.find((b) => b.id === 'drums')!.output).toBe('sub');
    expect(validateMixState(state).ok).toBe(true);
  });

  it('sidechain: another existing track only; removing the source clears it', () => {
    const { doc } = setup();
    setSidechain(doc, { trackId: 'bass', source: 'kick' }, o);
    expect(readMixState(doc).tracks.find((t) => t.id === 'bass')!.comp.sidechain).toBe('kick');
    expect(code(() => setSidechain(doc, { trackId: 'bass', source: 'bass' }, o))).toBe('invalid-target');
    expect(code(() => setSidechain(doc, { trackId: 'bass', source: 'nope' }, o))).toBe('unknown-track');
    removeTrack(doc, { trackId: 'kick' }, o);
    const state = readMixState(doc);
    expect(state.tracks.map((t) => [t.id, t.comp.sidechain])).toEqual([['bass', null]]);
  });

  it('removing a bus reroutes its sources to master and drops sends to it', () => {
    const { doc } = setup();
    setOutput(doc, { id: 'kick', output: 'drums' }, o);
    addSend(doc, { fromId: 'kick', busId: 'rev' }, o);
    addSend(doc, { fromId: 'drums', busId: 'rev' }, o);
    removeBus(doc, { busId: 'drums' }, o);
    removeBus(doc, { busId: 'rev' }, o);
    const state = readMixState(doc);
    expect(state.buses.map((b) => b.id)).toEqual(['dly']);
    expect(state.tracks.find((t) => t.id === 'kick')).toMatchObject({ output: 'master', sends: [] });
    expect(code(() => removeBus(doc, { busId: 'drums' }, o))).toBe('unknown-bus');
  });

  it('bus, effect, master and session params; names, colors, order', () => {
    const { doc } = setup();
    setBusParam(doc, { busId: 'drums', param: 'gain', value: -3 }, o);
    setBusParam(doc, { busId: 'rev', param: 'pan', value: -2 }, o);
    setBusEffectParam(doc, { busId: 'rev', param: 'decay', value: 3.5 }, o);
    expect(code(() => setBusEffectParam(doc, { busId: 'rev', param: 'feedback', value: 0.5 }, o))).toBe('unknown-param');
    expect(code(() => setBusEffectParam(doc, { busId: 'drums', param: 'decay', value: 1 }, o))).toBe('invalid-target');
    setBusEffectType(doc, { busId: 'dly', type: 'reverb' }, o);
    setMasterParam(doc, { param: 'limiter.on', value: true }, o);
    setMasterParam(doc, { param: 'limiter.ceiling', value: 3 }, o);
    setMasterParam(doc, { param: 'glue.ratio', value: 4 }, o);
    expect(code(() => setMasterParam(doc, { param: 'glue.ratio', value: Infinity }, o))).toBe('not-finite');
    setSessionTitle(doc, { title: ' Final mix ' }, o);
    setSessionTempo(doc, { tempo: 1000 }, o);
    expect(code(() => setSessionTempo(doc, { tempo: Number.NaN }, o))).toBe('not-finite');
    renameTrack(doc, { trackId: 'kick', name: 'Kick In' }, o);
    renameBus(doc, { busId: 'drums', name: 'Drum Bus' }, o);
    expect(code(() => renameBus(doc, { busId: 'drums', name: '' }, o))).toBe('invalid-value');
    setStripColor(doc, { id: 'kick', color: '#ABCDEF' }, o);
    expect(code(() => setStripColor(doc, { id: 'kick', color: 'red' }, o))).toBe('invalid-value');
    moveTrack(doc, { trackId: 'bass', toIndex: 0 }, o);
    moveBus(doc, { busId: 'drums', toIndex: 0 }, o);
    const s = readMixState(doc);
    expect(s.buses.map((b) => [b.id, b.name])).toEqual([
      ['drums', 'Drum Bus'],
      ['rev', 'Reverb'],
      ['dly', 'Delay'],
    ]);
    expect(s.buses[0]!.gain).toBe(-3);
    expect(s.buses[1]).toMatchObject({ pan: -1, effect: { type: 'reverb', decay: 3.5 } });
    expect(s.buses[2]!.effect).toEqual({ type: 'reverb', decay: 2, preDelay: 0.02, damping: 8000 });
    expect(s.master.limiter).toEqual({ on: true, ceiling: 0, release: 0.05 });
    expect(s.master.glue.ratio).toBe(4);
    expect(s.session).toMatchObject({ title: 'Final mix', tempo: 400 });
    expect(s.tracks.map((t) => [t.id, t.name, t.color])).toEqual([
      ['bass', 'Bass', s.tracks[0]!.color],
      ['kick', 'Kick In', '#abcdef'],
    ]);
    expect(validateMixState(s).ok).toBe(true);
  });

  it('moves repeatedly between the same neighbours without breaking order', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 't', sampleRate: 48000 });
    const ids = ['a', 'b', 'c'].map((id) => addTrack(doc, { name: id, stem: null, id }, o));
    // Bounce c and b around index 1: each move halves the gap to a, so after ~1074 moves
    // float midpoints run out and the move must renumber.
    let minGap = Infinity;
    for (let i = 0; i < 600; i++) {
      moveTrack(doc, { trackId: 'c', toIndex: 1 }, o);
      moveTrack(doc, { trackId: 'b', toIndex: 1 }, o);
      const [x, y] = readMixState(doc).tracks;
      minGap = Math.min(minGap, y!.order - x!.order);
      expect(readMixState(doc).tracks.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    }
    expect(minGap).toBeLessThan(1e-300);
    // Equal orders (two peers moved into the same slot at once) are renumbered too.
    doc.transact(() => ['a', 'b', 'c'].forEach((id) => (doc.getMap('mix').get('tracks') as Y.Map<Y.Map<unknown>>).get(id)!.set('order', 5)));
    moveTrack(doc, { trackId: 'a', toIndex: 1 }, o);
    expect(readMixState(doc).tracks.map((t) => t.id)).toEqual(['b', 'a', 'c']);
    moveTrack(doc, { trackId: 'a', toIndex: 99 }, o);
    expect(readMixState(doc).tracks.map((t) => t.id)).toEqual(['b', 'c', 'a']);
    expect(ids).toHaveLength(3);
  });
});
