import type * as Y from 'yjs';
import { readMixState } from '@mixroom/shared/model';
import { addSend, setMasterParam, setSendParam, setTrackParam } from '@mixroom/shared/ops';
import type { TransactionOrigin } from '@mixroom/shared/protocol';
import type { DEMO_STEM_FILES } from './synthesizeDemoStems.ts';

type DemoTrack = (typeof DEMO_STEM_FILES)[number] extends `${infer Name}.wav` ? Name : never;

/**
 * The demo's starting mix: fader, pan and reverb send per track, and the master limiter on
 * at -1 dBTP. Measured on a bake (test/integration/stems-demo.test.ts): about -14 LUFS with
 * the limiter taking under 2 dB off the loudest peaks; without it the sum of the stems at
 * unity peaks at +3 dBTP and clips.
 */
export const DEMO_MIX: Readonly<Record<DemoTrack, { gain: number; pan: number; reverb?: number }>> = {
  Kick: { gain: -2, pan: 0 },
  Snare: { gain: -3, pan: -0.05, reverb: -20 },
  Hats: { gain: -1, pan: 0.3 },
  Bass: { gain: -3, pan: 0 },
  Keys: { gain: -4, pan: -0.35 },
  Guitar: { gain: -4, pan: 0.35 },
  'Lead Vocal': { gain: -1, pan: 0, reverb: -14 },
  Pad: { gain: -6, pan: 0 },
};

/** The demo master: the true-peak limiter on at -1 dBTP, so no version of the demo clips. */
export const DEMO_LIMITER = { ceiling: -1, release: 0.05 } as const;

/**
 * Writes the demo's starting mix into a room holding the demo tracks (matched by name;
 * others are left alone): levels, pans, sends to the room's first reverb return, and the
 * master limiter.
 */
export function applyDemoMix(doc: Y.Doc, origin: TransactionOrigin): void {
  const state = readMixState(doc);
  const reverb = state.buses.find((b) => b.kind === 'aux' && b.effect?.type === 'reverb');
  doc.transact(() => {
    for (const track of state.tracks) {
      const settings = DEMO_MIX[track.name as DemoTrack];
      if (!settings) continue;
      setTrackParam(doc, { trackId: track.id, param: 'gain', value: settings.gain }, origin);
      setTrackParam(doc, { trackId: track.id, param: 'pan', value: settings.pan }, origin);
      if (settings.reverb !== undefined && reverb) {
        if (!track.sends.some((s) => s.bus === reverb.id)) addSend(doc, { fromId: track.id, busId: reverb.id, level: settings.reverb }, origin);
        else setSendParam(doc, { fromId: track.id, busId: reverb.id, param: 'level', value: settings.reverb }, origin);
      }
    }
    setMasterParam(doc, { param: 'limiter.ceiling', value: DEMO_LIMITER.ceiling }, origin);
    setMasterParam(doc, { param: 'limiter.release', value: DEMO_LIMITER.release }, origin);
    setMasterParam(doc, { param: 'limiter.on', value: true }, origin);
  }, origin);
}
