/**
 * Page-side entry for test/dynamicsPanels.test.ts (bundled by bundleForBrowser): the real
 * channel editor's gate, compressor and de-esser panels on a real mix document, edited through
 * the app's real MixActions (shared/ops with this user's origin); the gain-reduction reader
 * (shared by the three) is set by the test.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { initMixDoc, readMixState } from '@mixroom/shared/model';
import { addTrack } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';
import { createMixActions } from '../../client/src/mix/edit/createMixActions.ts';
import '../../client/src/ui/mr-comp-panel.ts';
import '../../client/src/ui/mr-deess-panel.ts';
import '../../client/src/ui/mr-gate-panel.ts';

const doc = new Y.Doc();
const origin = createOrigin('local-user', 'tester');
initMixDoc(doc, { title: 'gate', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
addTrack(doc, { name: 'Snare top', stem: null, id: 'top' }, origin);
addTrack(doc, { name: 'Snare bottom', stem: null, id: 'bottom' }, origin);
const errors: string[] = [];
const actions = createMixActions({
  doc,
  origin,
  undo: new Y.UndoManager(doc.getMap('mix'), { trackedOrigins: new Set([origin]) }),
  awareness: new Awareness(doc),
  setTouching: () => undefined,
  onError: (e) => errors.push(String(e)),
});

let reduction = 0;
const panels = (['mr-gate-panel', 'mr-comp-panel', 'mr-deess-panel'] as const).map((tag) => document.createElement(tag));
const panel = panels[0]!;
for (const p of panels) {
  p.actions = actions;
  p.gainReduction = () => reduction;
  document.body.append(p);
}
const show = () => {
  const state = readMixState(doc);
  for (const p of panels) {
    p.tracks = state.tracks;
    p.track = state.tracks.find((t) => t.id === 'bottom') ?? null;
  }
};
show();
doc.on('update', show);

(window as unknown as { harness: unknown }).harness = {
  gate: () => readMixState(doc).tracks.find((t) => t.id === 'bottom')!.gate,
  track: () => readMixState(doc).tracks.find((t) => t.id === 'bottom')!,
  errors: () => errors,
  setReduction: (db: number) => {
    reduction = db;
  },
  meter: () => {
    const root = panel.shadowRoot!;
    return { bar: root.querySelector<HTMLElement>('.gr i')!.style.height, text: root.querySelector('.grv')!.textContent };
  },
};
