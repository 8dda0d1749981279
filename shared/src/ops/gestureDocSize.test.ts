import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { initMixDoc } from '../model/initMixDoc.ts';
import { readMixState } from '../model/readMixState.ts';
import { createOrigin, type TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import { addTrack } from './addTrack.ts';
import { createFakeScheduler } from './createFakeScheduler.testkit.ts';
import { createGesture } from './createGesture.ts';
import { setTrackParam } from './setTrackParam.ts';

/**
 * The rationale for createGesture, measured: two users drag the same fader at the same
 * time, pointer events at display rate (60/s each). Written straight to the document, the
 * alternating writes leave one tombstone each that cannot merge with its neighbours; through
 * createGesture the document sees at most 10 writes per second per user.
 */
const FRAMES_PER_USER = 10_000; // 167 s of dragging each at 60 fps: 20k alternating writes
const REFERENCE_WRITES = 216_000; // the brief's figure: 216k alternating writes gave 2.1 MB

const awarenesses: Awareness[] = [];
afterEach(() => awarenesses.splice(0).forEach((a) => a.destroy()));

function twoPeers() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  initMixDoc(a, { title: 't', sampleRate: 48000 });
  const trackId = addTrack(a, { name: 'Lead', stem: null, id: 'lead' }, createOrigin('server', 'init'));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  // Live network: every update reaches the other peer at once.
  a.on('update', (u: Uint8Array, o: unknown) => o !== 'net' && Y.applyUpdate(b, u, 'net'));
  b.on('update', (u: Uint8Array, o: unknown) => o !== 'net' && Y.applyUpdate(a, u, 'net'));
  const baseline = Y.encodeStateAsUpdate(a).byteLength;
  return { a, b, trackId, baseline };
}

describe('gesture throttling keeps the document small', () => {
  it('alternating frame-rate writes vs the same drags through createGesture', () => {
    const ua = createOrigin('local-user', 'alice');
    const ub = createOrigin('local-user', 'bob');

    const raw = twoPeers();
    for (let i = 0; i < FRAMES_PER_USER; i++) {
      setTrackParam(raw.a, { trackId: raw.trackId, param: 'gain', value: -(i % 600) / 10 }, ua);
      setTrackParam(raw.b, { trackId: raw.trackId, param: 'gain', value: -((i + 300) % 600) / 10 }, ub);
    }
    const rawBytes = Y.encodeStateAsUpdate(raw.a).byteLength - raw.baseline;

    const thr = twoPeers();
    const scheduler = createFakeScheduler();
    const pairs: [Y.Doc, TransactionOrigin][] = [
      [thr.a, ua],
      [thr.b, ub],
    ];
    const gestures = pairs.map(([doc, origin]) => {
      const awareness = new Awareness(doc as Y.Doc);
      awarenesses.push(awareness);
      return createGesture({
        doc: doc as Y.Doc,
        awareness,
        origin,
        target: thr.trackId,
        param: 'gain',
        apply: (d, value, o) => setTrackParam(d, { trackId: thr.trackId, param: 'gain', value }, o),
        scheduler,
      });
    });
    for (let i = 0; i < FRAMES_PER_USER; i++) {
      gestures[0]!.update(-(i % 600) / 10);
      gestures[1]!.update(-((i + 300) % 600) / 10);
      scheduler.advance(1000 / 60);
    }
    gestures.forEach((g) => g.end());
    const thrBytes = Y.encodeStateAsUpdate(thr.a).byteLength - thr.baseline;

    // One user alone: consecutive writes by one client merge into one deleted run.
    const solo = twoPeers();
    for (let i = 0; i < 2 * FRAMES_PER_USER; i++) {
      setTrackParam(solo.a, { trackId: solo.trackId, param: 'gain', value: -(i % 600) / 10 }, ua);
    }
    const soloBytes = Y.encodeStateAsUpdate(solo.a).byteLength - solo.baseline;

    const writes = 2 * FRAMES_PER_USER;
    const perWrite = rawBytes / writes;
    console.log(
      [
        `alternating, unthrottled: ${writes} writes -> ${rawBytes} B (${perWrite.toFixed(1)} B/write; ` +
          `x${REFERENCE_WRITES / writes} = ${((perWrite * REFERENCE_WRITES) / 1e6).toFixed(2)} MB for ${REFERENCE_WRITES} writes)`,
        `same drags through createGesture (<=10 commits/s/user): ${thrBytes} B, ${(rawBytes / thrBytes).toFixed(1)}x smaller`,
        `one user alone, ${writes} writes: ${soloBytes} B`,
      ].join('\n'),
    );

    expect(readMixState(raw.a)).toEqual(readMixState(raw.b));
    expect(readMixState(thr.a)).toEqual(readMixState(thr.b));
    // Same order as the brief's 2.1 MB for 216k writes (~10 B per alternating write).
    expect(perWrite * REFERENCE_WRITES).toBeGreaterThan(1e6);
    expect(perWrite * REFERENCE_WRITES).toBeLessThan(5e6);
    // 60 fps input vs <= 10 commits/s: at least 5x fewer bytes.
    expect(thrBytes * 5).toBeLessThan(rawBytes);
    expect(soloBytes * 50).toBeLessThan(rawBytes);
  });
});
