import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc, readMixState } from '@mixroom/shared/model';
import { addBus, addSend, addTrack } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';
import { automatablePaths } from './laneParam.ts';

const origin = createOrigin('server', 'test');

describe('automatablePaths', () => {
  it("offers a lane for each send the strip has, and none for a send it lacks (its points would be refused)", () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
    addTrack(doc, { id: 'vox', name: 'Vox', stem: null }, origin);
    const group = addBus(doc, { kind: 'group', name: 'Group 1' }, origin);
    let state = readMixState(doc);
    expect(automatablePaths('track', 'vox', state).filter((p) => p.startsWith('sends.'))).toEqual([]);
    expect(automatablePaths('track', 'vox', state).slice(0, 3)).toEqual(['gain', 'pan', 'mute']);
    addSend(doc, { fromId: 'vox', busId: 'dly' }, origin);
    addSend(doc, { fromId: group, busId: 'rev' }, origin);
    state = readMixState(doc);
    expect(automatablePaths('track', 'vox', state).filter((p) => p.startsWith('sends.'))).toEqual(['sends.dly.level']);
    expect(automatablePaths('bus', group, state)).toEqual(['gain', 'pan', 'mute', 'sends.rev.level']);
    // An aux return has no sends (no send cycles by construction); the master has its two.
    expect(automatablePaths('bus', 'rev', state)).toEqual(['gain', 'pan', 'mute']);
    expect(automatablePaths('master', 'master', state)).toEqual(['gain', 'limiter.ceiling']);
  });
});
