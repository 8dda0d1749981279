import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { initMixDoc } from '../model/initMixDoc.ts';
import { readMixState } from '../model/readMixState.ts';
import { presenceUserOf } from '../protocol/Presence.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { addTrack } from './addTrack.ts';
import { createFakeScheduler } from './createFakeScheduler.testkit.ts';
import { GESTURE_FIELD, createGesture, type GestureAwarenessState } from './createGesture.ts';
import { readRemoteGestures } from './readRemoteGestures.ts';
import { removeTrack } from './removeTrack.ts';
import { setTrackParam } from './setTrackParam.ts';

const origin = createOrigin('local-user', 'u1');
const awarenesses: Awareness[] = [];
afterEach(() => awarenesses.splice(0).forEach((a) => a.destroy()));

function setup() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000 });
  const trackId = addTrack(doc, { name: 'Bass', stem: null }, origin);
  const awareness = new Awareness(doc);
  awarenesses.push(awareness);
  // What the server stamps on an engineer's presence (peers apply gestures only from editors).
  awareness.setLocalStateField('user', presenceUserOf({ userId: 'u1', name: 'Eng', role: 'engineer' }));
  const scheduler = createFakeScheduler();
  const commits: number[] = [];
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.origin === origin && tr.changed.size > 0) commits.push(scheduler.now());
  });
  const published: (GestureAwarenessState | null)[] = [];
  awareness.on('change', () => published.push(awareness.getLocalState()?.[GESTURE_FIELD] ?? null));
  const gesture = createGesture({
    doc,
    awareness,
    origin,
    target: trackId,
    param: 'gain',
    apply: (d, value, o) => setTrackParam(d, { trackId, param: 'gain', value }, o),
    scheduler,
  });
  return { doc, trackId, awareness, scheduler, gesture, commits, published };
}

describe('createGesture', () => {
  it('streams at frame rate through awareness and commits at most 10 times a second', () => {
    const { doc, scheduler, gesture, commits, published, trackId } = setup();
    // A 2 s drag with pointer events at 250 Hz (faster than the display).
    for (let i = 0; i < 500; i++) {
      gesture.update(-i / 50);
      scheduler.advance(4);
    }
    gesture.end();
    const durationS = 2;
    const gestures = published.filter((p) => p !== null);
    // Awareness: at most one publish per 1/60 s frame (+1 for the leading edge).
    expect(gestures.length).toBeLessThanOrEqual(durationS * 60 + 1);
    expect(gestures.length).toBeGreaterThanOrEqual(durationS * 60 - 2);
    expect(gestures.every((g) => g.target === trackId && g.param === 'gain')).toBe(true);
    // Doc: at most one commit per 100 ms plus the release.
    expect(commits.length).toBeLessThanOrEqual(durationS * 10 + 2);
    expect(commits.length).toBeGreaterThanOrEqual(durationS * 10 - 1);
    for (let i = 1; i < commits.length - 1; i++) expect(commits[i]! - commits[i - 1]!).toBeGreaterThanOrEqual(100);
    // Release commits the exact last value and clears the presence field.
    expect(readMixState(doc).tracks[0]!.gain).toBe(-499 / 50);
    expect(published.at(-1)).toBeNull();
    expect(scheduler.pending()).toBe(0);
  });

  it('a trailing commit lands without further input, and peers see the in-progress value', () => {
    const { doc, scheduler, gesture, awareness } = setup();
    const peerDoc = new Y.Doc();
    const peer = new Awareness(peerDoc);
    awarenesses.push(peer);
    awareness.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
      applyAwarenessUpdate(peer, encodeAwarenessUpdate(awareness, [...added!, ...updated!, ...removed!]), 'net');
    });
    gesture.update(-1);
    scheduler.advance(10);
    gesture.update(-2);
    expect(readMixState(doc).tracks[0]!.gain).toBe(-1);
    scheduler.advance(20);
    expect(peer.getStates().get(doc.clientID)?.[GESTURE_FIELD]).toMatchObject({ value: -2 });
    expect(readRemoteGestures(peer)).toEqual(new Map([[doc.clientID, { target: expect.any(String), param: 'gain', value: -2 }]]));
    // Its own gesture is not remote.
    expect(readRemoteGestures(awareness).size).toBe(0);
    scheduler.advance(100);
    expect(readMixState(doc).tracks[0]!.gain).toBe(-2);
    gesture.end();
    gesture.end();
    expect(peer.getStates().get(doc.clientID)?.[GESTURE_FIELD]).toBeNull();
    expect(readRemoteGestures(peer).size).toBe(0);
    peerDoc.destroy();
  });

  it('stops committing, without throwing, when a peer deletes the strip mid-drag', () => {
    const { doc, scheduler, gesture, trackId } = setup();
    gesture.update(-3);
    removeTrack(doc, { trackId }, createOrigin('remote', 'u2'));
    scheduler.advance(150);
    gesture.update(-4);
    scheduler.advance(150);
    expect(() => gesture.end()).not.toThrow();
    expect(readMixState(doc).tracks).toEqual([]);
  });

  it('refuses a non-finite value', () => {
    const { gesture } = setup();
    expect(() => gesture.update(Number.NaN)).toThrow(/finite/);
    gesture.end();
  });
});

describe('createGesture with a paired parameter (an EQ point)', () => {
  it('publishes and commits frequency and gain together, so no peer ever reads half a move', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 't', sampleRate: 48000 });
    const trackId = addTrack(doc, { name: 'Bass', stem: null }, origin);
    const awareness = new Awareness(doc);
    awarenesses.push(awareness);
    awareness.setLocalStateField('user', presenceUserOf({ userId: 'u1', name: 'Eng', role: 'engineer' }));
    const scheduler = createFakeScheduler();
    const band = () => readMixState(doc).tracks[0]!.eq.bands[1]!;
    // Every state of the band the document ever held, read after each transaction.
    const docStates: Array<[number, number]> = [];
    doc.on('afterTransaction', () => docStates.push([band().freq, band().gain]));
    const published: GestureAwarenessState[] = [];
    awareness.on('change', () => {
      const g = awareness.getLocalState()?.[GESTURE_FIELD] as GestureAwarenessState | null;
      if (g) published.push(g);
    });
    const gesture = createGesture({
      doc,
      awareness,
      origin,
      target: trackId,
      param: 'eq.bands.1.freq',
      alsoParam: 'eq.bands.1.gain',
      apply: (d, value, o, also) =>
        d.transact(() => {
          setTrackParam(d, { trackId, param: 'eq.bands.1.freq', value }, o);
          if (also !== null) setTrackParam(d, { trackId, param: 'eq.bands.1.gain', value: also }, o);
        }, o),
      scheduler,
    });
    // A diagonal drag: the point moves along gain = (freq - 400) / 100.
    const path = Array.from({ length: 120 }, (_, i) => [400 + i * 5, i * 0.05] as const);
    for (const [f, g] of path) {
      gesture.update(f, g);
      scheduler.advance(4);
    }
    gesture.end();
    const onPath = ([f, g]: readonly [number, number]) => Math.abs((f - 400) / 100 - g) < 1e-9;
    expect(published.length).toBeGreaterThan(20);
    expect(published.every((p) => p.also?.param === 'eq.bands.1.gain' && onPath([p.value, p.also.value]))).toBe(true);
    const during = docStates.slice(1);
    expect(during.length).toBeGreaterThan(3);
    expect(during.every(onPath)).toBe(true);
    expect(band()).toMatchObject({ freq: path.at(-1)![0], gain: path.at(-1)![1] });
    // Peers read the pair from awareness as one gesture.
    const peer = new Awareness(new Y.Doc());
    awarenesses.push(peer);
    gesture.update(999, 1);
    const g2 = createGesture({ doc, awareness, origin, target: trackId, param: 'eq.bands.1.freq', alsoParam: 'eq.bands.1.gain', apply: () => {}, scheduler });
    g2.update(1000, 6);
    applyAwarenessUpdate(peer, encodeAwarenessUpdate(awareness, [awareness.clientID]), null);
    expect([...readRemoteGestures(peer).values()]).toEqual([{ target: trackId, param: 'eq.bands.1.freq', value: 1000, also: { param: 'eq.bands.1.gain', value: 6 } }]);
    g2.end();
  });
});
