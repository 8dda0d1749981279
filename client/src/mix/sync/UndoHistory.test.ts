import { describe, expect, it } from 'vitest';
import { readMixState } from '@mixroom/shared/model';
import { twoPeerMix } from '../edit/twoPeerMix.testkit.ts';
import { UndoHistory } from './UndoHistory.ts';

/** Two people on one mix, each with their own undo and its history. */
function room() {
  const { a, b, A, B } = twoPeerMix([{ id: 'kick', name: 'Kick' }, { id: 'pad', name: 'Pad' }]);
  return { a, b, A: { ...A, history: new UndoHistory(a, A.undo, A.origin) }, B: { ...B, history: new UndoHistory(b, B.undo, B.origin) } };
}

const kick = { scope: 'track', id: 'kick' } as const;
const pad = { scope: 'track', id: 'pad' } as const;
const words = (h: UndoHistory) => h.undoSteps().map((s) => s.description);

describe('UndoHistory', () => {
  it("lists only my own steps, newest first, in words with from → to", () => {
    const { A, B } = room();
    A.actions.set(pad, 'gain', -3);
    B.actions.set(kick, 'gain', -6);
    A.actions.set(pad, 'mute', true);
    expect(words(A.history)).toEqual(['Pad: muted', 'Pad: fader 0.0 dB → -3.0 dB']);
    expect(words(B.history)).toEqual(['Kick: fader 0.0 dB → -6.0 dB']);
  });

  it("describes merged nudges as one step, without someone else's edit made in between", () => {
    const { a, A, B } = room();
    A.actions.nudge(pad, 'gain', -0.5);
    A.actions.nudge(pad, 'gain', -1);
    B.actions.set(kick, 'gain', -6);
    B.actions.set(pad, 'solo', true);
    A.actions.nudge(pad, 'gain', -1.5);
    expect(words(A.history)).toEqual(['Pad: fader 0.0 dB → -1.5 dB']);
    A.undo.undo();
    const pad_ = readMixState(a).tracks.find((t) => t.id === 'pad')!;
    expect([pad_.gain, pad_.solo]).toEqual([0, true]);
  });

  it('moves a step to the redo list with its words, and back', () => {
    const { A } = room();
    A.actions.set(pad, 'gain', -3);
    A.actions.set(kick, 'gain', 2);
    A.undo.undo();
    expect(words(A.history)).toEqual(['Pad: fader 0.0 dB → -3.0 dB']);
    expect(A.history.redoSteps().map((s) => s.description)).toEqual(['Kick: fader 0.0 dB → +2.0 dB']);
    A.undo.redo();
    expect(words(A.history)).toEqual(['Kick: fader 0.0 dB → +2.0 dB', 'Pad: fader 0.0 dB → -3.0 dB']);
    expect(A.history.redoSteps()).toEqual([]);
    // Undone and redone again: the words survive every move.
    A.undo.undo();
    A.undo.redo();
    expect(words(A.history)[0]).toBe('Kick: fader 0.0 dB → +2.0 dB');
  });

  it('undoes back to a chosen step, and tells its listeners', () => {
    const { a, A } = room();
    let told = 0;
    const off = A.history.onChange(() => told++);
    A.actions.set(pad, 'gain', -3);
    A.actions.set(kick, 'gain', 2);
    A.actions.set(kick, 'mute', true);
    expect(told).toBeGreaterThanOrEqual(3);
    A.history.undoBack(2);
    const state = readMixState(a);
    expect(state.tracks.find((t) => t.id === 'kick')).toMatchObject({ gain: 0, mute: false });
    expect(state.tracks.find((t) => t.id === 'pad')!.gain).toBe(-3);
    expect(words(A.history)).toEqual(['Pad: fader 0.0 dB → -3.0 dB']);
    off();
    const before = told;
    A.actions.set(pad, 'gain', -4);
    expect(told).toBe(before);
    A.history.destroy();
  });

  it('sums up a step that changed several things', () => {
    const { A } = room();
    A.actions.gesture(pad, 'eq.bands.1.freq', 'eq.bands.1.gain').end(640, 3);
    const [step] = A.history.undoSteps();
    expect(step!.lines).toHaveLength(2);
    expect(step!.description).toMatch(/^Pad: EQ band 2 .* \(\+1 more\)$/);
  });
});
