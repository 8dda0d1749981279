import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc, readMixState, type AutomationLane, type MixState } from '@mixroom/shared/model';
import { addSend, addTrack } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';
import { applyLaneValues } from './applyLaneValues.ts';

const setup = createOrigin('server', 'test-setup');

function mix(): MixState {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(doc, { id: 'vox', name: 'Vox', stem: null }, setup);
  addTrack(doc, { id: 'gtr', name: 'Gtr', stem: null }, setup);
  addSend(doc, { fromId: 'vox', busId: 'rev', level: -20 }, setup);
  return readMixState(doc);
}

const lane = (...pts: [number, number, ('linear' | 'step')?][]): AutomationLane => ({
  points: pts.map(([time, value, curve], i) => ({ id: `p${i}`, time, value, curve: curve ?? 'linear' })),
});

describe('applyLaneValues', () => {
  it('shows each automated control at its lane value at the playhead, the rest at their static value', () => {
    const s = mix();
    const vox = s.tracks[0]!;
    const automated: MixState = {
      ...s,
      tracks: [
        {
          ...vox,
          automation: {
            gain: lane([0, -10], [2, 0]),
            mute: lane([0, 0, 'step'], [1.5, 1, 'step']),
            'sends.rev.level': lane([0, -30], [2, -10]),
            'eq.bands.1.gain': lane([1, 6, 'step'], [3, -6]),
          },
        },
        s.tracks[1]!,
      ],
      master: { ...s.master, automation: { 'limiter.ceiling': lane([0, -1], [4, -3]) } },
    };
    const at1 = applyLaneValues(automated, 1);
    const v = at1.tracks[0]!;
    expect(v.gain).toBeCloseTo(-5, 9);
    expect(v.mute).toBe(false);
    expect(v.sends.find((x) => x.bus === 'rev')!.level).toBeCloseTo(-20, 9);
    expect(v.eq.bands[1]!.gain).toBe(6);
    expect(v.pan).toBe(vox.pan);
    expect(at1.master.limiter.ceiling).toBeCloseTo(-1.5, 9);
    // The strip nobody automated is the same object: the console does not re-render it.
    expect(at1.tracks[1]).toBe(s.tracks[1]);
    const at2 = applyLaneValues(automated, 2.5);
    expect(at2.tracks[0]!.mute).toBe(true);
    expect(at2.tracks[0]!.gain).toBe(0);
    // The document itself is untouched.
    expect(automated.tracks[0]!.gain).toBe(vox.gain);
  });

  it('returns the same state when nothing is automated', () => {
    const s = mix();
    expect(applyLaneValues(s, 3)).toBe(s);
  });
});
