import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { afterEach, describe, expect, it } from 'vitest';
import { getMixRoot, initMixDoc, type MixState } from '@mixroom/shared/model';
import { addTrack, setTrackParam } from '@mixroom/shared/ops';
import { presenceUserOf, createOrigin } from '@mixroom/shared/protocol';
import { HeardMix } from './HeardMix.ts';

/** Whoever builds the test's mix (no UndoManager tracks it). */
const setup = createOrigin('server', 'test-setup');

const awarenesses: Awareness[] = [];
afterEach(() => awarenesses.splice(0).forEach((a) => a.destroy()));

function room() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000 });
  addTrack(doc, { id: 'kick', name: 'Kick', stem: null }, setup);
  addTrack(doc, { id: 'bass', name: 'Bass', stem: null }, setup);
  const awareness = new Awareness(doc);
  awarenesses.push(awareness);
  return { doc, awareness, heard: new HeardMix(doc, awareness) };
}

/** An engineer elsewhere: their awareness state reaches ours encoded, as over the network. */
function peer(into: Awareness) {
  const a = new Awareness(new Y.Doc());
  awarenesses.push(a);
  const user = presenceUserOf({ userId: 'eng', name: 'Eng', role: 'engineer' });
  return (state: Record<string, unknown>) => {
    a.setLocalState({ user, ...state });
    applyAwarenessUpdate(into, encodeAwarenessUpdate(a, [a.clientID]), 'net');
  };
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const gain = (s: MixState, id: string) => s.tracks.find((t) => t.id === id)!.gain;

describe('HeardMix', () => {
  it('feeds every subscriber the same state, once per burst of changes', async () => {
    const { doc, heard } = room();
    const ui: MixState[] = [];
    const engine: MixState[] = [];
    heard.subscribe((s) => ui.push(s));
    heard.subscribe((s) => engine.push(s));
    for (const value of [-3, -6, -9]) setTrackParam(doc, { trackId: 'kick', param: 'gain', value }, setup);
    // Current before the notification, too.
    expect(gain(heard.state, 'kick')).toBe(-9);
    await flush();
    expect(ui).toHaveLength(1);
    expect(engine).toHaveLength(1);
    expect(ui[0]).toBe(engine[0]);
    expect(gain(ui[0]!, 'kick')).toBe(-9);
  });

  it("applies other people's drags; presence-only updates notify nobody", async () => {
    const { awareness, heard } = room();
    const seen: MixState[] = [];
    heard.subscribe((s) => seen.push(s));
    const send = peer(awareness);
    send({ gesture: { target: 'kick', param: 'gain', value: -12 } });
    await flush();
    expect(seen).toHaveLength(1);
    expect(gain(seen[0]!, 'kick')).toBe(-12);
    expect(gain(heard.document, 'kick')).toBe(0); // not committed yet
    // A playhead update with the same gesture in flight: nothing new to hear or show.
    send({ gesture: { target: 'kick', param: 'gain', value: -12 }, playhead: { position: 3, playing: true, at: 1 } });
    await flush();
    expect(seen).toHaveLength(1);
    send({});
    await flush();
    expect(seen).toHaveLength(2);
    expect(gain(seen[1]!, 'kick')).toBe(0);
  });

  it('keeps the objects of strips that did not change, so only the moved strip re-renders', async () => {
    const { doc, heard } = room();
    const before = heard.state;
    heard.subscribe(() => undefined);
    setTrackParam(doc, { trackId: 'kick', param: 'pan', value: 0.5 }, setup);
    await flush();
    const after = heard.state;
    expect(after.tracks.find((t) => t.id === 'kick')).not.toBe(before.tracks.find((t) => t.id === 'kick'));
    expect(after.tracks.find((t) => t.id === 'bass')).toBe(before.tracks.find((t) => t.id === 'bass'));
    expect(after.master).toBe(before.master);
  });

  it('observes the document and awareness only while someone subscribes', async () => {
    const { doc, awareness, heard } = room();
    // Yjs and lib0 keep their handlers here; a leaked observer would stay listed.
    const deepHandlers = () => (getMixRoot(doc) as unknown as { _dEH: { l: unknown[] } })._dEH.l.length;
    const awarenessHandlers = () => (awareness as unknown as { _observers: Map<string, Set<unknown>> })._observers.get('change')?.size ?? 0;
    const idle = { deep: deepHandlers(), awareness: awarenessHandlers() };
    const calls: MixState[] = [];
    const offA = heard.subscribe((s) => calls.push(s));
    const offB = heard.subscribe((s) => calls.push(s));
    expect(deepHandlers()).toBe(idle.deep + 1);
    expect(awarenessHandlers()).toBe(idle.awareness + 1);
    offA();
    offB();
    expect(deepHandlers()).toBe(idle.deep);
    expect(awarenessHandlers()).toBe(idle.awareness);
    setTrackParam(doc, { trackId: 'bass', param: 'gain', value: -4 }, setup);
    await flush();
    expect(calls).toHaveLength(0);
    // Unobserved, it still answers with the current mix.
    expect(gain(heard.state, 'bass')).toBe(-4);
  });
});
