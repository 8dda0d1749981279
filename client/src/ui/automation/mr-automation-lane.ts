import { LitElement, css, html, nothing, svg } from 'lit';
import { laneValueAt, type AutomationCurve, type AutomationLane, type AutomationPoint } from '@mixroom/shared/model';
import { AnimationFrameController } from '../../lit/AnimationFrameController.ts';
import { DragController } from '../../lit/DragController.ts';
import type { StripRef } from '../../mix/edit/MixActions.ts';
import { formatTime } from '../../transport/formatTime.ts';
import { rulerStep, snapToBars } from '../../transport/rulerStep.ts';
import { AUTOMATION_MODES, type AutomationMode } from '../../automation/LaneChoices.ts';
import type { LaneEditActions, LanePointMove } from '../../automation/LaneEditActions.ts';
import type { LaneParam } from '../../automation/laneParam.ts';
import { lanePositionToValue, roundForUnit, stepLaneValue, valueToLanePosition } from '../../automation/laneScale.ts';
import { formatLaneValue } from '../../automation/formatLaneValue.ts';
import type { ThrottledCommit } from '../../automation/createThrottledCommit.ts';

export const LANE_HEADER_W = 168;
const LANE_H = 46;
/** Vertical room kept free above and below the curve so points at the extremes stay grabbable. */
const PAD = 5;

const MODE_WORDS: Record<AutomationMode, string> = { read: 'Read', touch: 'Touch', latch: 'Latch', write: 'Write' };

export interface LaneModeDetail {
  strip: StripRef;
  path: string;
  mode: AutomationMode;
}

interface PointDrag {
  kind: 'points';
  x0: number;
  y0: number;
  anchor: string;
  origin: Map<string, { time: number; pos: number }>;
  commit: ThrottledCommit<readonly LanePointMove[]> | null;
  moved: boolean;
}

interface MarqueeDrag {
  kind: 'marquee';
  x0: number;
  y0: number;
  x: number;
  y: number;
  additive: boolean;
  moved: boolean;
}

/**
 * One automation lane under a track, a bus or the master in the arrange view: its header (what it
 * automates, the value at the playhead, this person's arming mode, curve and hide buttons)
 * and the curve between its points. Click adds a point (snapped to the bar grid when the song
 * has a tempo; Alt places it freely), drag moves the selected points, Shift-click and a
 * marquee select, Delete removes, arrows nudge (Shift: fine), C toggles linear/step. Every
 * point is a focusable button named with its time and value; Alt+arrows move between them.
 */
export class MrAutomationLane extends LitElement {
  static override properties = {
    strip: { attribute: false },
    param: { attribute: false },
    lane: { attribute: false },
    name: { type: String },
    color: { type: String },
    start: { type: Number },
    pxPerSecond: { type: Number, attribute: false },
    width: { type: Number },
    tempo: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
    mode: { type: String },
    edits: { attribute: false },
    position: { attribute: false },
    selected: { state: true },
    preview: { state: true },
    focusId: { state: true },
  };

  declare strip: StripRef;
  declare param: LaneParam;
  declare lane: AutomationLane;
  /** What the lane automates in words, e.g. `Vox fader`. */
  declare name: string;
  declare color: string;
  /** Song time at the plot's left edge, seconds. */
  declare start: number;
  declare pxPerSecond: number;
  /** Plot width in px. */
  declare width: number;
  declare tempo: number | null;
  declare readOnly: boolean;
  declare mode: AutomationMode;
  declare edits: LaneEditActions | null;
  /** The playhead (read per frame for the value readout). */
  declare position: (() => number) | null;
  declare selected: ReadonlySet<string>;
  /** Dragged points where the pointer has them, until the drag's commits come back. */
  declare preview: ReadonlyMap<string, { time: number; value: number }> | null;
  declare focusId: string | null;

  private readonly readout = new AnimationFrameController(this, () => this.drawNow());
  private readonly drag = new DragController<PointDrag | MarqueeDrag>(this, {
    start: (e) => this.dragStart(e),
    move: (d, e) => this.dragMove(d, e),
    end: (d, e) => this.dragEnd(d, e),
    abandon: (d) => {
      if (d.kind === 'points') d.commit?.end();
      this.preview = null;
    },
  });

  constructor() {
    super();
    this.strip = { scope: 'track', id: '' };
    this.lane = { points: [] };
    this.name = '';
    this.color = '#4fb3ff';
    this.start = 0;
    this.pxPerSecond = 8;
    this.width = 800;
    this.tempo = null;
    this.readOnly = false;
    this.mode = 'read';
    this.edits = null;
    this.position = null;
    this.selected = new Set();
    this.preview = null;
    this.focusId = null;
  }

  static override styles = css`
    :host { display: flex; height: ${LANE_H}px; border-bottom: 1px solid #0b0d10; background: #121519; position: relative;
      font: 10px/1.2 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    .hdr { position: sticky; left: 0; z-index: 2; width: ${LANE_HEADER_W}px; flex: none; box-sizing: border-box; background: #181b20;
      border-right: 1px solid #0b0d10; display: flex; flex-direction: column; justify-content: center; gap: 3px; padding: 0 6px 0 10px; }
    .line { display: flex; align-items: center; gap: 4px; min-width: 0; }
    .nm { flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: #aeb6c0; }
    .now { font: 10px/1 var(--mr-mono, ui-monospace, monospace); color: #d8dde3; white-space: nowrap; }
    select { font: 10px var(--mr-font, system-ui); background: #0f1114; color: #aeb6c0; border: 1px solid #2a2f37; border-radius: 2px; padding: 0 2px; height: 18px; }
    select.armed { color: #111; background: #e05050; border-color: #ff7070; }
    select.armed.touch, select.armed.latch { background: #e0a030; border-color: #ffc060; }
    button { font: 600 10px/1 var(--mr-font, system-ui); height: 18px; min-width: 20px; border-radius: 2px; border: 1px solid #3a414b;
      background: #2b3038; color: #aeb6c0; cursor: pointer; padding: 0 4px; }
    button:disabled { opacity: 0.4; cursor: default; }
    button:focus-visible, select:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
    .plot { position: sticky; left: ${LANE_HEADER_W}px; flex: none; height: 100%; overflow: hidden; cursor: crosshair; outline: none; touch-action: none; }
    .plot:focus-visible { box-shadow: inset 0 0 0 1px var(--mr-accent, #4fb3ff); }
    :host([read-only]) .plot { cursor: default; }
    svg { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
    .pt { position: absolute; width: 9px; height: 9px; margin: -5px 0 0 -5px; border-radius: 50%; box-sizing: border-box; border: 1.5px solid; background: #121519;
      cursor: grab; padding: 0; min-width: 0; }
    .pt.step { border-radius: 1px; }
    .pt[aria-pressed='true'] { background: #fff; border-color: #fff; }
    .pt:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
    .dot { position: absolute; width: 5px; height: 5px; margin: -3px 0 0 -3px; border-radius: 50%; background: #fff; pointer-events: none; display: none; }
    .marquee { position: absolute; border: 1px dashed #ffffffaa; background: #ffffff14; pointer-events: none; }
  `;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('lane') && this.selected.size) {
      const ids = new Set(this.lane.points.map((p) => p.id));
      const kept = [...this.selected].filter((id) => ids.has(id));
      if (kept.length !== this.selected.size) this.selected = new Set(kept);
    }
  }

  /** The points as shown: the lane, with a running drag's points where the pointer has them. */
  private get points(): readonly AutomationPoint[] {
    const preview = this.preview;
    if (!preview) return this.lane.points;
    return this.lane.points.map((p) => {
      const m = preview.get(p.id);
      return m ? { ...p, ...m } : p;
    }).sort((a, b) => a.time - b.time);
  }

  private x(t: number): number {
    return (t - this.start) * this.pxPerSecond;
  }

  private y(value: number): number {
    return PAD + (1 - valueToLanePosition(this.param, value)) * (LANE_H - 2 * PAD);
  }

  private posAtY(y: number): number {
    return 1 - (y - PAD) / (LANE_H - 2 * PAD);
  }

  override render() {
    if (!this.param) return nothing;
    const pts = this.points;
    const ro = this.readOnly;
    const armed = this.mode !== 'read';
    return html`
      <div class="hdr" role="group" aria-label="${this.name} automation">
        <div class="line"><span class="nm" title=${this.name}>${this.name}</span><span class="now" aria-hidden="true"></span></div>
        <div class="line">
          <select class="${armed ? `armed ${this.mode}` : ''}" aria-label="${this.name} automation mode" title="Recording mode: only you are armed"
            ?disabled=${ro} @change=${this.onModeChange}>
            ${AUTOMATION_MODES.map((m) => html`<option value=${m} ?selected=${m === this.mode}>${MODE_WORDS[m]}</option>`)}
          </select>
          <button aria-label="${this.name}: make the selected points ${this.selectionCurve() === 'step' ? 'linear' : 'step'}"
            title="Curve of the selected points: linear or step (C)" ?disabled=${ro || this.selected.size === 0}
            @click=${() => this.toggleCurve()}>${this.selectionCurve() === 'step' ? '⌐' : '⁄'}</button>
          <button aria-label="Clear the ${this.name} automation" title="Remove every point of this lane" ?disabled=${ro || this.lane.points.length === 0}
            @click=${() => this.edits?.clear(this.strip, this.param.path)}>Clr</button>
          <button aria-label="Hide the ${this.name} lane" title="Hide this lane (only for you)" @click=${this.hide}>✕</button>
        </div>
      </div>
      <div class="plot" style="width:${this.width}px" tabindex="0" role="group"
        aria-label="${this.name} automation lane, ${pts.length} point${pts.length === 1 ? '' : 's'}. Click or Enter adds a point; arrows nudge, Delete removes, C toggles the curve."
        @pointerdown=${this.drag.down} @keydown=${this.onPlotKey}>
        ${svg`<svg aria-hidden="true"><path d=${this.curvePath(pts)} fill="none" stroke=${this.color} stroke-width="1.5" stroke-opacity=${pts.length ? 1 : 0.3}></path></svg>`}
        ${this.renderPoints(pts)}
        <div class="dot"></div>
        ${this.renderMarquee()}
      </div>
    `;
  }

  private renderPoints(pts: readonly AutomationPoint[]) {
    const focusId = pts.some((p) => p.id === this.focusId) ? this.focusId : (pts.find((p) => this.x(p.time) >= 0)?.id ?? pts[0]?.id ?? null);
    return pts.map((p, i) => {
      const x = this.x(p.time);
      if (x < -10 || x > this.width + 10) return nothing;
      const sel = this.selected.has(p.id);
      return html`<button class="pt ${p.curve}" style="left:${x}px;top:${this.y(p.value)}px;border-color:${this.color}" data-id=${p.id}
        tabindex=${p.id === focusId ? 0 : -1} aria-pressed=${String(sel)}
        aria-label="${this.name} point ${i + 1} of ${pts.length}: ${formatTime(p.time)}, ${formatLaneValue(this.param, p.value)}${p.curve === 'step' ? ', step' : ''}"
        @pointerdown=${this.drag.down} @keydown=${this.onPointKey} @focus=${() => (this.focusId = p.id)}
        @dblclick=${() => this.setCurve([p.id], p.curve === 'step' ? 'linear' : 'step')}></button>`;
    });
  }

  private renderMarquee() {
    const d = this.drag.active;
    if (!d || d.kind !== 'marquee' || !d.moved) return nothing;
    return html`<div class="marquee" style="left:${Math.min(d.x0, d.x)}px;top:${Math.min(d.y0, d.y)}px;width:${Math.abs(d.x - d.x0)}px;height:${Math.abs(d.y - d.y0)}px"></div>`;
  }

  /** The curve across the visible window: held before the first point and after the last. */
  private curvePath(pts: readonly AutomationPoint[]): string {
    const first = pts[0];
    if (!first) {
      const y = LANE_H / 2;
      return `M0 ${y} H${this.width}`;
    }
    const w = this.width;
    const parts = [`M${Math.min(0, this.x(first.time))} ${this.y(first.value)}`];
    const curved = this.param.law !== 'linear';
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i]!;
      const b = pts[i + 1];
      const xa = this.x(a.time);
      parts.push(`L${xa} ${this.y(a.value)}`);
      if (!b) break;
      const xb = this.x(b.time);
      if (xb < 0 || xa > w) {
        parts.push(`M${xb} ${this.y(b.value)}`);
        continue;
      }
      if (a.curve === 'step') parts.push(`L${xb} ${this.y(a.value)}`);
      else if (curved) {
        // Straight in the model's unit is curved on a fader or log scale: draw it every 4 px.
        for (let x = Math.max(xa, 0) + 4; x < Math.min(xb, w); x += 4) {
          const t = this.start + x / this.pxPerSecond;
          parts.push(`L${x} ${this.y(a.value + ((b.value - a.value) * (t - a.time)) / (b.time - a.time))}`);
        }
      }
    }
    const last = pts[pts.length - 1]!;
    parts.push(`L${Math.max(w, this.x(last.time))} ${this.y(last.value)}`);
    return parts.join(' ');
  }

  /** The value at the playhead, written straight into the DOM each frame (no re-render). */
  private drawNow(): void {
    const now = this.renderRoot.querySelector<HTMLElement>('.now');
    const dot = this.renderRoot.querySelector<HTMLElement>('.dot');
    if (!now || !dot || !this.position || !this.param) return;
    const pts = this.points;
    if (pts.length === 0) {
      now.textContent = '';
      dot.style.display = 'none';
      return;
    }
    const t = this.position();
    const v = laneValueAt({ points: pts }, t);
    const text = formatLaneValue(this.param, v);
    if (now.textContent !== text) now.textContent = text;
    const x = this.x(t);
    dot.style.display = x < 0 || x > this.width ? 'none' : '';
    dot.style.left = `${x}px`;
    dot.style.top = `${this.y(v)}px`;
  }

  private selectionCurve(): AutomationCurve {
    const sel = this.lane.points.filter((p) => this.selected.has(p.id));
    return sel.length > 0 && sel.every((p) => p.curve === 'step') ? 'step' : 'linear';
  }

  private toggleCurve(): void {
    const ids = [...this.selected];
    if (ids.length) this.setCurve(ids, this.selectionCurve() === 'step' ? 'linear' : 'step');
  }

  private setCurve(ids: readonly string[], curve: AutomationCurve): void {
    if (this.readOnly || this.param.switch) return;
    this.edits?.setCurve(this.strip, this.param.path, ids, curve);
  }

  private timeAt(clientX: number, free: boolean): number {
    const rect = this.plotRect();
    const t = Math.max(0, this.start + (clientX - rect.left) / this.pxPerSecond);
    return free ? t : snapToBars(t, this.pxPerSecond, this.tempo);
  }

  private plotRect(): DOMRect {
    return this.renderRoot.querySelector<HTMLElement>('.plot')!.getBoundingClientRect();
  }

  private dragStart(e: PointerEvent): PointDrag | MarqueeDrag | null {
    if (e.button !== 0) return null;
    const rect = this.plotRect();
    const target = e.currentTarget as HTMLElement;
    const id = target.dataset['id'];
    if (id) {
      e.stopPropagation();
      target.focus();
      if (e.shiftKey) {
        const next = new Set(this.selected);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        this.selected = next;
        return null;
      }
      if (!this.selected.has(id)) this.selected = new Set([id]);
      if (this.readOnly) return null;
      const origin = new Map<string, { time: number; pos: number }>();
      for (const p of this.lane.points) if (this.selected.has(p.id)) origin.set(p.id, { time: p.time, pos: valueToLanePosition(this.param, p.value) });
      return { kind: 'points', x0: e.clientX, y0: e.clientY, anchor: id, origin, commit: null, moved: false };
    }
    (e.currentTarget as HTMLElement).focus();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    return { kind: 'marquee', x0: x, y0: y, x, y, additive: e.shiftKey, moved: false };
  }

  private dragMove(d: PointDrag | MarqueeDrag, e: PointerEvent): void {
    if (d.kind === 'marquee') {
      const rect = this.plotRect();
      d.x = e.clientX - rect.left;
      d.y = e.clientY - rect.top;
      d.moved ||= Math.abs(d.x - d.x0) > 4 || Math.abs(d.y - d.y0) > 4;
      this.requestUpdate();
      return;
    }
    if (!d.moved && Math.abs(e.clientX - d.x0) < 3 && Math.abs(e.clientY - d.y0) < 3) return;
    d.moved = true;
    const anchor = d.origin.get(d.anchor)!;
    // The grabbed point lands on the grid (Alt: anywhere); the others keep their distance to it.
    const raw = anchor.time + (e.clientX - d.x0) / this.pxPerSecond;
    const dt = (e.altKey ? Math.max(0, raw) : snapToBars(raw, this.pxPerSecond, this.tempo)) - anchor.time;
    const dpos = -(e.clientY - d.y0) / (LANE_H - 2 * PAD);
    const moves: LanePointMove[] = [];
    for (const [id, o] of d.origin) {
      moves.push({ id, time: Math.max(0, o.time + dt), value: lanePositionToValue(this.param, o.pos + dpos) });
    }
    this.preview = new Map(moves.map((m) => [m.id, { time: m.time, value: m.value }]));
    d.commit ??= this.edits?.drag(this.strip, this.param.path) ?? null;
    d.commit?.update(moves);
  }

  private dragEnd(d: PointDrag | MarqueeDrag, e: PointerEvent): void {
    if (d.kind === 'points') {
      d.commit?.end();
      this.preview = null;
      return;
    }
    if (e.type === 'pointercancel') return;
    if (d.moved) {
      const [x0, x1] = [Math.min(d.x0, d.x), Math.max(d.x0, d.x)];
      const [y0, y1] = [Math.min(d.y0, d.y), Math.max(d.y0, d.y)];
      const inside = this.lane.points.filter((p) => {
        const x = this.x(p.time);
        const y = this.y(p.value);
        return x >= x0 && x <= x1 && y >= y0 && y <= y1;
      });
      this.selected = new Set([...(d.additive ? this.selected : []), ...inside.map((p) => p.id)]);
      this.requestUpdate();
      return;
    }
    if (this.readOnly || !this.edits) {
      this.selected = new Set();
      return;
    }
    const time = this.timeAt(e.clientX, e.altKey);
    const value = lanePositionToValue(this.param, this.posAtY(d.y0));
    this.addPoint(time, value);
  }

  private addPoint(time: number, value: number): void {
    const curve: AutomationCurve = this.param.switch ? 'step' : 'linear';
    const id = this.edits?.add(this.strip, this.param.path, { time, value: roundForUnit(this.param, value), curve }) ?? null;
    this.selected = new Set(id ? [id] : []);
    if (id) this.focusId = id;
  }

  private onPlotKey(e: KeyboardEvent): void {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' && !this.readOnly && this.position) {
      // A point at the playhead, on the lane's value there (or the middle of an empty lane).
      e.preventDefault();
      e.stopPropagation();
      const t = this.position();
      const v = this.lane.points.length ? laneValueAt(this.lane, t) : lanePositionToValue(this.param, 0.5);
      this.addPoint(snapToBars(t, this.pxPerSecond, this.tempo), v);
      void this.updateComplete.then(() => this.focusPoint(this.focusId));
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      e.stopPropagation();
      const t = this.position?.() ?? this.start;
      const pts = this.lane.points;
      const p = e.key === 'ArrowRight' ? (pts.find((q) => q.time >= t) ?? pts[pts.length - 1]) : ([...pts].reverse().find((q) => q.time <= t) ?? pts[0]);
      if (p) this.focusPoint(p.id, true);
    }
  }

  private onPointKey(e: KeyboardEvent): void {
    const id = (e.currentTarget as HTMLElement).dataset['id'];
    if (!id) return;
    const pts = this.lane.points;
    const i = pts.findIndex((p) => p.id === id);
    const handled = (): void => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      handled();
      const next = pts[i + (e.key === 'ArrowRight' ? 1 : -1)];
      if (next) this.focusPoint(next.id, !e.shiftKey, e.shiftKey);
      return;
    }
    const targets = () => (this.selected.has(id) ? pts.filter((p) => this.selected.has(p.id)) : pts.filter((p) => p.id === id));
    switch (e.key) {
      case ' ':
      case 'Enter': {
        handled();
        const next = new Set(e.shiftKey || e.ctrlKey || e.metaKey ? this.selected : []);
        if (next.has(id) && (e.shiftKey || e.ctrlKey || e.metaKey)) next.delete(id);
        else next.add(id);
        this.selected = next;
        return;
      }
      case 'Escape':
        handled();
        this.selected = new Set();
        return;
      case 'Delete':
      case 'Backspace': {
        handled();
        if (this.readOnly) return;
        const ids = targets().map((p) => p.id);
        // Focus stays in the lane: on the point after the removed ones, else the one before.
        const after = pts.slice(i + 1).find((p) => !ids.includes(p.id)) ?? [...pts.slice(0, i)].reverse().find((p) => !ids.includes(p.id));
        this.edits?.remove(this.strip, this.param.path, ids);
        this.selected = new Set();
        void this.updateComplete.then(() => (after ? this.focusPoint(after.id) : this.renderRoot.querySelector<HTMLElement>('.plot')?.focus()));
        return;
      }
      case 'c':
      case 'C': {
        handled();
        const sel = targets();
        this.setCurve(sel.map((p) => p.id), sel.every((p) => p.curve === 'step') ? 'linear' : 'step');
        return;
      }
      case 'ArrowLeft':
      case 'ArrowRight':
      case 'ArrowUp':
      case 'ArrowDown': {
        handled();
        if (this.readOnly) return;
        const sign = e.key === 'ArrowRight' || e.key === 'ArrowUp' ? 1 : -1;
        const horizontal = e.key === 'ArrowLeft' || e.key === 'ArrowRight';
        // Time moves by a grid step (a beat with a tempo, else a tenth of the ruler); Shift: 10 ms.
        const grid = rulerStep(this.pxPerSecond, this.tempo).step / (this.tempo ? 4 : 10);
        const dt = e.shiftKey ? 0.01 : grid;
        const moves = targets().map((p) => ({
          id: p.id,
          time: horizontal ? Math.max(0, p.time + sign * dt) : p.time,
          value: horizontal ? p.value : stepLaneValue(this.param, p.value, sign, e.shiftKey),
        }));
        this.edits?.nudge(this.strip, this.param.path, moves);
        return;
      }
    }
  }

  private focusPoint(id: string | null, select = false, extend = false): void {
    if (!id) return;
    this.focusId = id;
    if (select) this.selected = new Set([id]);
    else if (extend) this.selected = new Set([...this.selected, id]);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`.pt[data-id="${CSS.escape(id)}"]`)?.focus());
  }

  private onModeChange(e: Event): void {
    const mode = (e.target as HTMLSelectElement).value as AutomationMode;
    this.dispatchEvent(new CustomEvent<LaneModeDetail>('lane-mode', { detail: { strip: this.strip, path: this.param.path, mode }, bubbles: true, composed: true }));
  }

  private hide(): void {
    this.dispatchEvent(new CustomEvent<{ strip: StripRef; path: string }>('lane-hide', { detail: { strip: this.strip, path: this.param.path }, bubbles: true, composed: true }));
  }
}

customElements.define('mr-automation-lane', MrAutomationLane);
declare global {
  interface HTMLElementTagNameMap {
    'mr-automation-lane': MrAutomationLane;
  }
}
