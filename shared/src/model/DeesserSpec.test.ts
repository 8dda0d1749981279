import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { migrateMixDoc } from '../ops/migrateMixDoc.ts';
import { MixOpError } from '../ops/MixOpError.ts';
import { setTrackParam } from '../ops/setTrackParam.ts';
import { buildMixPlan } from '../plan/buildMixPlan.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { DEESSER_SINCE } from './DeesserSpec.ts';
import { initMixDoc } from './initMixDoc.ts';
import { getMixRoot, getSessionMap } from './mixDocAccessors.ts';
import { readMixState } from './readMixState.ts';
import { CURRENT_SCHEMA_VERSION } from './schemaVersion.ts';
import { defaultTrack, trackToDocShape } from './TrackRecord.ts';
import { validateMixState } from './validateMixState.ts';
import { withAddedRecordParams } from './withAddedParams.ts';
import { syncYMap } from './syncYMap.ts';

const origin = createOrigin('migration', 'server');

/** A document stored just before the de-esser existed: one track without a 'deess' map. */
function docBeforeDeesser(): Y.Doc {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 'Old', sampleRate: 48000 });
  doc.transact(() => {
    getSessionMap(doc)!.set('schemaVersion', DEESSER_SINCE - 1);
    const shape = trackToDocShape(defaultTrack('vox', 'Vox', null, 0));
    delete (shape as Record<string, unknown>).deess;
    const tracks = getMixRoot(doc).get('tracks') as Y.Map<unknown>;
    const vox = new Y.Map<unknown>();
    tracks.set('vox', vox);
    syncYMap(vox, shape);
  });
  return doc;
}

describe('track de-esser in the model (schema 6)', () => {
  it('the schema reaches the de-esser step', () => {
    expect(CURRENT_SCHEMA_VERSION).toBeGreaterThanOrEqual(DEESSER_SINCE);
  });

  it('a document from before gets the section stored, switched off, and stays editable', () => {
    const doc = docBeforeDeesser();
    const vox = () => (getMixRoot(doc).get('tracks') as Y.Map<Y.Map<unknown>>).get('vox')!;
    expect(vox().has('deess')).toBe(false);
    migrateMixDoc(doc, origin);
    const stored = vox().get('deess');
    expect(stored).toBeInstanceOf(Y.Map);
    expect((stored as Y.Map<unknown>).toJSON()).toEqual({ on: false, mode: 'split', freq: 6000, threshold: -30, range: 6 });
    const state = readMixState(doc);
    expect(validateMixState(state).ok).toBe(true);
    setTrackParam(doc, { trackId: 'vox', param: 'deess.on', value: true }, createOrigin('local-user', 'u'));
    setTrackParam(doc, { trackId: 'vox', param: 'deess.freq', value: 99999 }, createOrigin('local-user', 'u'));
    expect(readMixState(doc).tracks[0]!.deess).toMatchObject({ on: true, freq: 16000 });
    // Bad values are refused with a typed error and change nothing; listen is not a parameter.
    const before = readMixState(doc).tracks[0]!.deess;
    for (const [param, value] of [['deess.mode', 'loud'], ['deess.freq', NaN], ['deess.threshold', 'x'], ['deess.on', 1], ['deess.listen', true]] as const) {
      expect(() => setTrackParam(doc, { trackId: 'vox', param: param as 'deess.on', value: value as never }, createOrigin('local-user', 'u'))).toThrow(MixOpError);
    }
    expect(readMixState(doc).tracks[0]!.deess).toEqual(before);
  });

  it('a snapshot from before validates, reads the de-esser off and plans it bypassed (sounds unchanged)', () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 'Old', sampleRate: 48000 });
    const now = readMixState(doc);
    const track = defaultTrack('vox', 'Vox', { key: 'k', fileName: 'v.wav', sampleRate: 48000, channels: 1, frames: 48000 }, 0);
    const { deess: _, ...old } = track;
    const snapshot = { ...now, tracks: [old] } as unknown as typeof now;
    expect(validateMixState(snapshot).ok).toBe(true);
    expect(withAddedRecordParams(snapshot).tracks[0]!.deess.on).toBe(false);
    const plan = buildMixPlan(snapshot);
    const node = plan.nodes.find((n) => n.id === 'track:vox:deess');
    expect(node).toMatchObject({ kind: 'deesser', bypass: true });
    expect(plan).toEqual(buildMixPlan({ ...snapshot, tracks: [track] }));
  });
});
