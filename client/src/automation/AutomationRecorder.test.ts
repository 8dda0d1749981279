import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { getMixRoot, initMixDoc, laneValueAt, lanesOf, readMixState, type AutomationLane } from '@mixroom/shared/model';
import { addAutomationPoint, addTrack, type GestureScheduler } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';
import type { MixEngine } from '../audio/MixEngine.ts';
import { createMixActions } from '../mix/edit/createMixActions.ts';
import { UNDO_CAPTURE_MS } from '../mix/sync/RoomSession.ts';
import { RoomTransport } from '../transport/RoomTransport.ts';
import { applyLaneValues } from './applyLaneValues.ts';
import { AutomationRecorder } from './AutomationRecorder.ts';
import { createLaneEditActions } from './createLaneEditActions.ts';
import { LaneChoices, type AutomationMode } from './LaneChoices.ts';
import { paramValueOf } from './paramValueOf.ts';
import { withAutomationRecording } from './withAutomationRecording.ts';
import { manualClock } from './manualClock.testkit.ts';

const setup = createOrigin('server', 'test-setup');
const VOX = { scope: 'track', id: 'vox' } as const;

/**
 * The engine's clock as the transport sees it, running on the test clock (the audio itself is
 * measured in the browser tests): the recorder reads the song position from the real
 * RoomTransport over it.
 */
function clockEngine(clock: GestureScheduler): MixEngine & { setBuffering(on: boolean): void } {
  let at = 0;
  let playing = false;
  let buffering = false;
  /** When the song clock last started moving (null while stopped or buffering). */
  let movingSince: number | null = null;
  const statusListeners = new Set<() => void>();
  const settle = () => {
    if (movingSince !== null) at += (clock.now() - movingSince) / 1000;
    movingSince = null;
  };
  const engine = {
    get playing() {
      return playing;
    },
    play() {
      playing = true;
      movingSince = buffering ? null : clock.now();
      return 0;
    },
    stop() {
      settle();
      playing = false;
    },
    seek(t: number) {
      settle();
      at = t;
      if (playing && !buffering) movingSince = clock.now();
    },
    setLoop() {},
    position: () => at + (movingSince === null ? 0 : (clock.now() - movingSince) / 1000),
    playbackStatus: () => ({ buffering, waitingFor: [] }),
    onPlaybackStatus: (l: () => void) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    /** A stem chunk late: still playing, but the song clock stands still until it arrives. */
    setBuffering(on: boolean) {
      if (on === buffering) return;
      settle();
      buffering = on;
      if (playing && !on) movingSince = clock.now();
      for (const l of [...statusListeners]) l();
    },
  };
  return engine as unknown as MixEngine & { setBuffering(on: boolean): void };
}

/** `recorderClock` wraps the clock the recorder alone runs on (to see its sampling ticks). */
function room(recorderClock: (clock: GestureScheduler) => GestureScheduler = (c) => c) {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(doc, { id: 'vox', name: 'Vox', stem: null }, setup);
  const origin = createOrigin('local-user', 'ana');
  const undo = new Y.UndoManager(getMixRoot(doc), { trackedOrigins: new Set([origin]), captureTimeout: UNDO_CAPTURE_MS });
  const clock = manualClock();
  const transport = new RoomTransport();
  const engine = clockEngine(clock);
  transport.attach(engine);
  transport.setDuration(60);
  const choices = new LaneChoices();
  const onError = (e: unknown) => {
    throw e;
  };
  const edits = createLaneEditActions({ doc, origin, undo, onError, scheduler: clock });
  const recorder = new AutomationRecorder({
    choices,
    edits,
    transport,
    lane: (strip, path) => lanesOf(readMixState(doc), strip.scope, strip.id)[path] ?? { points: [] },
    current: (strip, path) => paramValueOf(applyLaneValues(readMixState(doc), transport.position()), strip, path),
    scheduler: recorderClock(clock),
  });
  const base = createMixActions({ doc, origin, undo, awareness: new Awareness(doc), setTouching: () => undefined, onError, scheduler: clock });
  const actions = withAutomationRecording(base, recorder);
  const lane = (): AutomationLane => lanesOf(readMixState(doc), 'track', 'vox')['gain'] ?? { points: [] };
  const gain = () => readMixState(doc).tracks[0]!.gain;
  /** Plays from `from` seconds; the song advances with the clock. */
  const playFrom = (from: number) => {
    transport.seek(from);
    transport.play();
  };
  /** Advances the song to `to` seconds (the clock moves in display frames). */
  const runTo = (to: number) => {
    while (transport.position() < to - 1e-9) clock.advance(Math.min(16, (to - transport.position()) * 1000));
  };
  return { doc, undo, clock, transport, engine, choices, actions, recorder, lane, gain, playFrom, runTo, origin };
}

const at = (lane: AutomationLane, t: number) => laneValueAt(lane, t);

/**
 * A ride on the Vox fader armed in `mode`: over a -10 dB lane from 0 to 10 s (unless `overLane`
 * is false), playing from 1 s, the fader grabbed at 2 s, moved to `value` and let go at `releaseAt`.
 */
function ride(mode: AutomationMode, value: number, releaseAt: number, overLane = true) {
  const r = room();
  if (overLane) for (const t of [0, 10]) addAutomationPoint(r.doc, { address: { kind: 'track', trackId: 'vox', param: 'gain' }, time: t, value: -10 }, setup);
  r.choices.setMode(VOX, 'gain', mode);
  r.playFrom(1);
  r.runTo(2);
  const g = r.actions.gesture(VOX, 'gain');
  g.update(value);
  r.runTo(releaseAt);
  g.end(value);
  return r;
}

describe('AutomationRecorder', () => {
  it('Write records the control from the play position until stop, as one undo step', () => {
    const r = room();
    r.choices.setMode(VOX, 'gain', 'write');
    r.playFrom(2);
    r.runTo(2.5);
    const g = r.actions.gesture(VOX, 'gain');
    for (let i = 1; i <= 10; i++) {
      g.update(-0.6 * i);
      r.runTo(2.5 + i * 0.05);
    }
    g.end(-6);
    r.runTo(4);
    r.transport.pause();
    const lane = r.lane();
    expect(lane.points[0]!.time).toBeCloseTo(2, 6);
    expect(at(lane, 2.3)).toBe(0);
    expect(at(lane, 2.75)).toBeLessThan(-2);
    expect(at(lane, 2.75)).toBeGreaterThan(-4);
    expect(at(lane, 3.5)).toBe(-6);
    expect(at(lane, 3.99)).toBe(-6);
    // About 20 points a second while moving, one moving hold point while still.
    expect(lane.points.length).toBeLessThan(20);
    // The static fader never moved: the ride went into the lane.
    expect(r.gain()).toBe(0);
    r.undo.undo();
    expect(r.lane().points).toEqual([]);
  });

  it('Touch writes while held, then glides back onto the lane it had', () => {
    const r = ride('touch', -3, 3);
    r.runTo(5);
    r.transport.pause();
    const lane = r.lane();
    expect(at(lane, 1.5)).toBe(-10);
    expect(at(lane, 2.5)).toBe(-3);
    expect(at(lane, 2.99)).toBe(-3);
    expect(at(lane, 3.05)).toBeGreaterThan(-10);
    expect(at(lane, 3.05)).toBeLessThan(-3);
    expect(at(lane, 3.2)).toBe(-10);
    expect(at(lane, 7)).toBe(-10);
    r.undo.undo();
    expect(r.lane().points.map((p) => [p.time, p.value])).toEqual([
      [0, -10],
      [10, -10],
    ]);
  });

  it('Latch keeps writing the last value after release until stop', () => {
    const r = ride('latch', -4, 2.5);
    r.runTo(6);
    r.transport.pause();
    const lane = r.lane();
    expect(at(lane, 1.9)).toBe(-10);
    expect(at(lane, 4)).toBe(-4);
    expect(at(lane, 5.99)).toBe(-4);
    expect(at(lane, 6.2)).toBe(-10);
  });

  it('a pass goes on through a buffering stall (the song clock stands still, then plays on): no false jump', () => {
    const r = ride('latch', -4, 2.5, false);
    r.runTo(3);
    // Stalled for a second and a half of wall time at 3 s, then playing on.
    r.engine.setBuffering(true);
    r.clock.advance(1500);
    expect(r.transport.position()).toBeCloseTo(3, 6);
    r.engine.setBuffering(false);
    r.runTo(6);
    r.transport.pause();
    const lane = r.lane();
    expect(at(lane, 2.2)).toBe(-4);
    expect(at(lane, 5.5)).toBe(-4);
    expect(lane.points[lane.points.length - 1]!.time).toBeGreaterThan(5.9);
  });

  it('commits a ride at most ~10 times a second, so the peer sees the lane grow', () => {
    const r = room();
    r.choices.setMode(VOX, 'gain', 'touch');
    r.playFrom(0);
    r.runTo(1);
    let commits = 0;
    r.doc.on('update', (_u: Uint8Array, o: unknown) => {
      if (o === r.origin) commits++;
    });
    const g = r.actions.gesture(VOX, 'gain');
    for (let i = 1; i <= 120; i++) {
      g.update(-Math.abs(Math.sin(i / 10)) * 12);
      r.runTo(1 + i / 60);
    }
    g.end(-6);
    r.transport.pause();
    // 2 s of riding: ~20 throttled writes plus the punch-in and the punch-out.
    expect(commits).toBeGreaterThanOrEqual(15);
    expect(commits).toBeLessThanOrEqual(25);
    expect(r.lane().points.length).toBeGreaterThan(15);
  });

  it('thins a 4-minute Write ride to well under the lane limit, within 0.1 dB of what the fader did', () => {
    // Each recorder tick samples the fader: note where the song was and what the fader showed.
    const ticks: { time: number; value: number }[] = [];
    let fader = 0;
    let position = () => 0;
    const r = room((clock) => ({
      ...clock,
      setTimeout: (fn, ms) =>
        clock.setTimeout(() => {
          ticks.push({ time: position(), value: fader });
          fn();
        }, ms),
    }));
    position = () => r.transport.position();
    r.transport.setDuration(300);
    r.choices.setMode(VOX, 'gain', 'write');
    r.playFrom(0);
    const g = r.actions.gesture(VOX, 'gain');
    // A vocal ride moved every display frame: a slow swell, a wobble, a 6 dB drop every other 32 s.
    const ride = (t: number) => Math.round((-8 + 5 * Math.sin((2 * Math.PI * t) / 7) + 1.5 * Math.sin((2 * Math.PI * t) / 1.3) - (Math.floor(t / 32) % 2) * 6) * 10) / 10;
    while (r.transport.position() < 240) {
      fader = ride(r.transport.position());
      g.update(fader);
      r.clock.advance(16);
    }
    g.end(fader);
    r.transport.pause();
    const lane = r.lane();
    const sampled = ticks.filter((k) => k.time > 0 && k.time < 240);
    let worst = 0;
    for (const k of sampled) worst = Math.max(worst, Math.abs(laneValueAt(lane, k.time) - k.value));
    console.log(`4-min Write ride: ${sampled.length} samples -> ${lane.points.length} points; largest gap to the fader at a sample ${worst.toFixed(3)} dB`);
    expect(sampled.length).toBeGreaterThan(4000);
    expect(lane.points.length).toBeLessThan(2048);
    expect(worst).toBeLessThanOrEqual(0.1 + 1e-9);
    // Still one undo step.
    r.undo.undo();
    expect(r.lane().points).toEqual([]);
  });

  it('leaves controls alone in Read, and when the song is not playing', () => {
    const r = room();
    r.choices.setMode(VOX, 'gain', 'touch');
    r.actions.set(VOX, 'gain', -2);
    expect(r.gain()).toBe(-2);
    r.choices.setMode(VOX, 'gain', 'read');
    r.playFrom(0);
    r.runTo(0.5);
    r.actions.set(VOX, 'gain', -3);
    r.runTo(1);
    r.transport.pause();
    expect(r.gain()).toBe(-3);
    expect(r.lane().points).toEqual([]);
  });
});
