import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { initMixDoc, readMixState } from '@mixroom/shared/model';
import { addSend, addTrack } from '@mixroom/shared/ops';
import { applyRemoteGestures } from './applyRemoteGestures.ts';
import { createOrigin } from '@mixroom/shared/protocol';

/** Whoever builds the test's mix (no UndoManager tracks it). */
const setup = createOrigin('server', 'test-setup');

function mix() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(doc, { id: 'kick', name: 'Kick', stem: null }, setup);
  addSend(doc, { fromId: 'kick', busId: 'rev', level: -20 }, setup);
  return readMixState(doc);
}

describe('applyRemoteGestures', () => {
  it("shows peers' in-progress values on tracks, EQ bands, sends, buses and the master", () => {
    const state = mix();
    const out = applyRemoteGestures(state, [
      { target: 'kick', param: 'gain', value: -7.5 },
      { target: 'kick', param: 'eq.bands.2.freq', value: 3150 },
      { target: 'kick>rev', param: 'level', value: -9 },
      { target: 'rev', param: 'pan', value: 0.5 },
      { target: 'master', param: 'limiter.ceiling', value: -2 },
    ]);
    const kick = out.tracks[0]!;
    expect(kick.gain).toBe(-7.5);
    expect(kick.eq.bands[2].freq).toBe(3150);
    expect(kick.sends.find((s) => s.bus === 'rev')!.level).toBe(-9);
    expect(out.buses.find((b) => b.id === 'rev')!.pan).toBe(0.5);
    expect(out.master.limiter.ceiling).toBe(-2);
    // The input state is untouched (it is the document's view).
    expect(state.tracks[0]!.gain).toBe(0);
  });

  it("moves an EQ point's frequency and gain together, each clamped like the ops", () => {
    const out = applyRemoteGestures(mix(), [{ target: 'kick', param: 'eq.bands.1.freq', value: 720, also: { param: 'eq.bands.1.gain', value: 99 } }]);
    expect(out.tracks[0]!.eq.bands[1]).toMatchObject({ freq: 720, gain: 24 });
  });

  it('treats awareness as untrusted: clamps like the ops, ignores unknown targets and params', () => {
    const state = mix();
    const out = applyRemoteGestures(state, [
      { target: 'kick', param: 'gain', value: 500 },
      { target: 'kick', param: 'pan', value: Number.NaN },
      { target: 'kick', param: 'name', value: 3 },
      { target: 'kick', param: '__proto__.polluted', value: 1 },
      { target: 'ghost', param: 'gain', value: -3 },
      { target: 'kick>nowhere', param: 'level', value: -3 },
    ]);
    expect(out.tracks[0]!.gain).toBe(12); // the fader's maximum
    expect(out.tracks[0]!.pan).toBe(0);
    expect(out.tracks[0]!.name).toBe('Kick');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(out.tracks).toHaveLength(1);
  });
});
