import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import { getMixRoot, readMixState } from '@mixroom/shared/model';
import { createOrigin } from '@mixroom/shared/protocol';
import { UNDO_CAPTURE_MS } from '../sync/RoomSession.ts';
import { createMixActions } from './createMixActions.ts';
import { twoPeerMix } from './twoPeerMix.testkit.ts';

const room = () => twoPeerMix([{ id: 'kick', name: 'Kick' }, { id: 'bass', name: 'Bass' }]);

const gain = (doc: Y.Doc, id: string) => readMixState(doc).tracks.find((t) => t.id === id)!.gain;

describe('per-user undo', () => {
  it("undoes only my own change, on a strip nobody else touched", () => {
    const { a, b, A, B } = room();
    A.actions.set({ scope: 'track', id: 'kick' }, 'gain', -6);
    B.actions.set({ scope: 'track', id: 'bass' }, 'gain', -3);
    A.undo.undo();
    expect(gain(a, 'kick')).toBe(0);
    expect(gain(b, 'kick')).toBe(0);
    expect(gain(a, 'bass')).toBe(-3);
    expect(B.undo.canUndo()).toBe(true);
    expect(A.undo.canUndo()).toBe(false);
  });

  it("never reverts someone else's later change to the same parameter", () => {
    const { a, b, A, B } = room();
    A.actions.set({ scope: 'track', id: 'kick' }, 'gain', -6);
    B.actions.set({ scope: 'track', id: 'kick' }, 'gain', -3);
    A.undo.undo();
    expect(gain(a, 'kick')).toBe(-3);
    expect(gain(b, 'kick')).toBe(-3);
  });

  it('makes one drag one undo step', () => {
    let now = 0;
    const timers: { at: number; fn: () => void }[] = [];
    const { a } = room();
    const origin = createOrigin('local-user', 'ana');
    const undo = new Y.UndoManager(getMixRoot(a), { trackedOrigins: new Set([origin]), captureTimeout: 400 });
    const actions = createMixActions({
      doc: a,
      origin,
      undo,
      awareness: new Awareness(a),
      setTouching: () => undefined,
      onError: (e) => {
        throw e;
      },
      scheduler: {
        now: () => now,
        setTimeout: (fn, ms) => timers.push({ at: now + ms, fn }),
        clearTimeout: () => undefined,
      },
    });
    actions.set({ scope: 'track', id: 'kick' }, 'gain', -1);
    let commits = 0;
    a.on('update', (_u: Uint8Array, o: unknown) => {
      if (o === origin) commits++;
    });
    const g = actions.gesture({ scope: 'track', id: 'kick' }, 'gain');
    for (let i = 1; i <= 20; i++) {
      now += 16;
      g.update(-1 - i * 0.5);
      const due = timers.filter((t) => t.at <= now);
      for (const t of due) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    }
    // Throttled: the document saw a few commits during the drag, not one per input event.
    expect(commits).toBeGreaterThan(1);
    expect(commits).toBeLessThanOrEqual(5);
    g.end(-12);
    expect(gain(a, 'kick')).toBe(-12);
    undo.undo();
    expect(gain(a, 'kick')).toBe(-1); // the whole drag, back to before it
    undo.undo();
    expect(gain(a, 'kick')).toBe(0);
  });
});

describe('keyboard nudges', () => {
  // The UndoManager reads lib0's clock (Date.now captured at import), so these run in real time.
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('merges nudges on one control made in quick succession into one undo step', () => {
    const { a, A } = room();
    const kick = { scope: 'track', id: 'kick' } as const;
    for (let i = 1; i <= 4; i++) A.actions.nudge(kick, 'gain', -0.5 * i);
    expect(gain(a, 'kick')).toBe(-2);
    A.undo.undo();
    expect(gain(a, 'kick')).toBe(0);
    expect(A.undo.canUndo()).toBe(false);
  });

  it('keeps nudges apart across a pause longer than the capture window, another control, or any other edit', async () => {
    const { a, A } = room();
    const kick = { scope: 'track', id: 'kick' } as const;
    const bass = { scope: 'track', id: 'bass' } as const;
    A.actions.nudge(kick, 'gain', -0.5);
    await pause(UNDO_CAPTURE_MS + 150);
    A.actions.nudge(kick, 'gain', -1);
    A.actions.nudge(bass, 'gain', -0.5);
    A.actions.set(kick, 'mute', true);
    A.actions.nudge(kick, 'gain', -1.5);
    const steps = () => [gain(a, 'kick'), gain(a, 'bass'), readMixState(a).tracks.find((t) => t.id === 'kick')!.mute];
    expect(steps()).toEqual([-1.5, -0.5, true]);
    A.undo.undo();
    expect(steps()).toEqual([-1, -0.5, true]);
    A.undo.undo();
    expect(steps()).toEqual([-1, -0.5, false]);
    A.undo.undo();
    expect(steps()).toEqual([-1, 0, false]);
    A.undo.undo();
    expect(steps()).toEqual([-0.5, 0, false]);
    A.undo.undo();
    expect(steps()).toEqual([0, 0, false]);
  });
});
