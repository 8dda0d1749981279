import { laneValueAt, MIN_POINT_GAP_SECONDS, type AutomationLane } from '@mixroom/shared/model';
import { GESTURE_COMMIT_MS, type GestureScheduler } from '@mixroom/shared/ops';
import { controlId } from '../mix/edit/ControlId.ts';
import type { StripRef } from '../mix/edit/MixActions.ts';
import type { Transport } from '../transport/Transport.ts';
import type { AutomationMode, LaneChoices } from './LaneChoices.ts';
import type { LaneEditActions, LaneRecordPass, NewLanePoint } from './LaneEditActions.ts';
import { laneParamOf, type LaneParam } from './laneParam.ts';
import { rideTolerance, roundForUnit } from './laneScale.ts';
import { RideThinner, type RideSample } from './RideThinner.ts';

/** How often a pass samples its control while playing (the thinner keeps only the samples a line needs). */
export const RECORD_SAMPLE_MS = 50;
/** After a punch-out the lane glides back to what it held before over this long (like AutoMatch). */
export const PUNCH_OUT_GLIDE_SECONDS = 0.1;
/** A playhead further than this from where the clock should be is a seek or a loop jump. */
const JUMP_SECONDS = 0.3;
/** Half the lanes' minimum point gap: a range starting here keeps the point written at its left edge. */
const AFTER = MIN_POINT_GAP_SECONDS / 2;

export interface AutomationRecorderOptions {
  choices: LaneChoices;
  edits: LaneEditActions;
  transport: Transport;
  /** The lane as the document holds it now. */
  lane(strip: StripRef, path: string): AutomationLane;
  /** What the control shows now: the lane's value at the playhead, else the static value. */
  current(strip: StripRef, path: string): number | null;
  /** Publishes the control this user records (presence highlight on every peer). */
  setTouching?(control: string | null): void;
  scheduler: GestureScheduler;
}

interface Pass {
  strip: StripRef;
  path: string;
  param: LaneParam;
  mode: AutomationMode;
  /** The lane before the pass: where a punch-out glides back to. */
  old: AutomationLane;
  writer: LaneRecordPass;
  value: number;
  held: boolean;
  /** Thins the samples into the points the lane keeps (a 4-minute ride fits well under the lane limit). */
  thinner: RideThinner;
  /** Settled points not yet written, and the start of the span the next write replaces (after the last settled point written). */
  pending: NewLanePoint[];
  from: number;
  lastSample: RideSample;
  lastWriteAt: number;
}

const key = (strip: StripRef, path: string) => controlId(strip.scope, strip.id, path);

/**
 * Records this person's control moves into lanes while the song plays. Arming is local (Read,
 * Touch, Latch, Write per lane in LaneChoices). Write records from the play position until
 * stop; Touch while the control is held, then the lane takes over again (a short glide back);
 * Latch from the first touch until stop, holding the last value after release. A pass samples
 * the control every RECORD_SAMPLE_MS, thins the samples as they come (RideThinner: the lane stays
 * within rideTolerance of what the control did) and writes its new span at most every
 * GESTURE_COMMIT_MS through one range write, so peers see the lane grow live; each pass is one
 * undo step.
 */
export class AutomationRecorder {
  private readonly passes = new Map<string, Pass>();
  private timer: unknown = null;
  private lastTick: { at: number; position: number } | null = null;
  private readonly disposers: (() => void)[] = [];

  constructor(private readonly options: AutomationRecorderOptions) {
    this.disposers.push(
      options.transport.onChange((snap) => this.onTransport(snap.playing)),
      options.choices.onChange(() => this.onArming()),
    );
    this.startWrites();
  }

  /** Whether a move of this control now records into its lane (armed, and the song plays). */
  captures(strip: StripRef, path: string): boolean {
    return this.playing() && this.options.choices.mode(strip, path) !== 'read' && laneParamOf(strip.scope, path) !== null;
  }

  /** The control was grabbed: Touch and Latch punch in, Write takes the control's value. */
  touch(strip: StripRef, path: string, value?: number): void {
    if (!this.captures(strip, path)) return;
    const pass = this.passes.get(key(strip, path)) ?? this.begin(strip, path, value);
    if (!pass) return;
    pass.held = true;
    if (value !== undefined) this.input(strip, path, value);
  }

  /** The control moved. */
  input(strip: StripRef, path: string, value: number): void {
    const pass = this.passes.get(key(strip, path));
    if (!pass || !Number.isFinite(value)) return;
    pass.value = roundForUnit(pass.param, value);
  }

  /** The control was let go: Touch punches out, Latch and Write keep the value until stop. */
  release(strip: StripRef, path: string, value?: number): void {
    const pass = this.passes.get(key(strip, path));
    if (!pass) return;
    if (value !== undefined && Number.isFinite(value)) this.input(strip, path, value);
    pass.held = false;
    if (pass.mode === 'touch') this.finish(pass, this.now());
  }

  /** A single edit (keyboard step, reset, switch): a touch and a release at once. */
  set(strip: StripRef, path: string, value: number): void {
    if (!this.captures(strip, path)) return;
    this.touch(strip, path, value);
    const pass = this.passes.get(key(strip, path));
    if (pass) {
      this.sample(pass, this.now());
      this.release(strip, path);
    }
  }

  dispose(): void {
    this.stopAll();
    for (const d of this.disposers.splice(0)) d();
  }

  private playing(): boolean {
    const snap = this.options.transport.snapshot();
    return snap.playing && !snap.buffering;
  }

  private now(): number {
    return this.options.transport.position();
  }

  private begin(strip: StripRef, path: string, value?: number): Pass | null {
    const param = laneParamOf(strip.scope, path);
    const mode = this.options.choices.mode(strip, path);
    if (!param || mode === 'read') return null;
    const t = this.now();
    const old = this.options.lane(strip, path);
    const shown = this.options.current(strip, path);
    const start = roundForUnit(param, value ?? shown ?? (param.range.min + param.range.max) / 2);
    // The lane before the punch-in stays as it was: it reaches its own value here first.
    const before = old.points.length ? laneValueAt(old, t) : null;
    const jump = before !== null && before !== start;
    const first = { time: jump ? t + MIN_POINT_GAP_SECONDS : t, value: start };
    const pass: Pass = {
      strip,
      path,
      param,
      mode,
      old,
      writer: this.options.edits.record(strip, path),
      value: start,
      held: false,
      thinner: new RideThinner((v) => rideTolerance(param, v), param.switch),
      pending: jump ? [this.point(param, t, before)] : [],
      from: t,
      lastSample: first,
      lastWriteAt: -Infinity,
    };
    for (const p of pass.thinner.push(first)) pass.pending.push(this.point(pass.param, p.time, p.value));
    this.passes.set(key(strip, path), pass);
    this.options.setTouching?.(key(strip, path));
    this.write(pass);
    this.schedule();
    return pass;
  }

  private point(param: LaneParam, time: number, value: number): NewLanePoint {
    return { time: Math.max(0, time), value, curve: param.switch ? 'step' : 'linear' };
  }

  /** Feeds the control's value at `t` to the thinner (a value changed at the very time of the last sample lands just after it). */
  private sample(pass: Pass, t: number): void {
    const last = pass.lastSample;
    if (t <= last.time) {
      if (pass.value === last.value) return;
      t = last.time + MIN_POINT_GAP_SECONDS;
    }
    pass.lastSample = { time: t, value: pass.value };
    for (const p of pass.thinner.push(pass.lastSample)) pass.pending.push(this.point(pass.param, p.time, p.value));
  }

  /**
   * Writes the pass's new span: the points settled since the last write and the open end (the
   * newest sample), replacing everything after the last settled point written, so the open end
   * written before slides or settles and the lane holds only the thinned ride.
   */
  private write(pass: Pass): void {
    const points = [...pass.pending];
    const end = pass.thinner.end;
    if (end) points.push(this.point(pass.param, end.time, end.value));
    const last = points[points.length - 1];
    if (!last) return;
    pass.writer.write({ from: Math.min(pass.from, points[0]!.time), to: last.time, points });
    const settled = pass.pending[pass.pending.length - 1];
    if (settled) pass.from = settled.time + AFTER;
    pass.pending = [];
    pass.lastWriteAt = this.options.scheduler.now();
  }

  /** Ends a pass at song time `t`: writes what is left and glides back onto the old lane. */
  private finish(pass: Pass, t: number): void {
    this.passes.delete(key(pass.strip, pass.path));
    this.sample(pass, Math.max(t, pass.lastSample.time));
    this.write(pass);
    const end = pass.lastSample.time;
    const after = pass.old.points.length && pass.old.points[pass.old.points.length - 1]!.time > end ? end + PUNCH_OUT_GLIDE_SECONDS : null;
    if (after !== null) {
      const back = laneValueAt(pass.old, after);
      if (back !== pass.value) pass.writer.write({ from: end + AFTER, to: after, points: [this.point(pass.param, after, back)] });
    }
    pass.writer.end();
    if (this.passes.size === 0) this.options.setTouching?.(null);
  }

  /** Ends every pass at `t` (default: where the song is, or was before a jump or a stop). */
  private stopAll(t = this.endPosition()): void {
    for (const pass of [...this.passes.values()]) this.finish(pass, t);
    if (this.timer !== null) this.options.scheduler.clearTimeout(this.timer);
    this.timer = null;
    this.lastTick = null;
  }

  /** Write lanes record from the play position without a touch. */
  private startWrites(): void {
    if (!this.playing()) return;
    for (const { strip, path, mode } of this.options.choices.armed()) {
      if (mode === 'write' && !this.passes.has(key(strip, path))) this.begin(strip, path);
    }
  }

  /** The song position a pass ends on: now, unless the playhead just jumped (stop, seek, loop). */
  private endPosition(): number {
    const t = this.now();
    if (!this.lastTick) return t;
    return Math.abs(t - this.expectedPosition()) > JUMP_SECONDS ? this.lastTick.position : t;
  }

  private onTransport(playing: boolean): void {
    if (!playing) {
      this.stopAll();
      return;
    }
    // A seek while playing: the passes end where the song was, Write lanes start again here.
    if (this.lastTick && Math.abs(this.now() - this.expectedPosition()) > JUMP_SECONDS) this.stopAll();
    this.startWrites();
    this.schedule();
  }

  private onArming(): void {
    for (const pass of [...this.passes.values()]) {
      const mode = this.options.choices.mode(pass.strip, pass.path);
      if (mode !== pass.mode) this.finish(pass, this.now());
    }
    this.startWrites();
  }

  private expectedPosition(): number {
    const tick = this.lastTick;
    if (!tick) return this.now();
    return tick.position + (this.options.scheduler.now() - tick.at) / 1000;
  }

  private schedule(): void {
    if (this.timer !== null || this.passes.size === 0) return;
    this.timer = this.options.scheduler.setTimeout(() => this.tick(), RECORD_SAMPLE_MS);
  }

  private tick(): void {
    this.timer = null;
    if (!this.playing()) {
      // Buffering (the clock stands still) or stopped: stop events end the passes. The song
      // clock waits while wall time runs on: the expectation restarts where it stands, or the
      // playback going on after the stall would read as a jump and end every pass there.
      if (this.lastTick) this.lastTick = { at: this.options.scheduler.now(), position: this.now() };
      if (this.passes.size) this.timer = this.options.scheduler.setTimeout(() => this.tick(), RECORD_SAMPLE_MS);
      return;
    }
    const t = this.now();
    if (this.lastTick && Math.abs(t - this.expectedPosition()) > JUMP_SECONDS) {
      // A loop jump: what was recorded ends where the song was; Write lanes go on from here.
      this.stopAll(this.lastTick.position);
      this.startWrites();
      return;
    }
    for (const pass of this.passes.values()) {
      this.sample(pass, t);
      if (this.options.scheduler.now() - pass.lastWriteAt >= GESTURE_COMMIT_MS) this.write(pass);
    }
    this.lastTick = { at: this.options.scheduler.now(), position: t };
    this.schedule();
  }
}
