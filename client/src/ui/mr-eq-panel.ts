import { LitElement, css, html, svg, nothing } from 'lit';
import type { EqBandState, EqBandType, TrackState } from '@mixroom/shared/model';
import { EQ_BAND_TYPES, MIX_RANGES } from '@mixroom/shared/model';
import { DragController } from '../lit/DragController.ts';
import { ControlRouter } from '../mix/edit/ControlRouter.ts';
import type { Gesture, MixActions } from '../mix/edit/MixActions.ts';
import { eqResponseDb } from '../mix/eqResponseDb.ts';
import { formatValue } from '../mix/formatValue.ts';
import './mr-knob.ts';

const W = 536;
const H = 190;
const F_MIN = 20;
const F_MAX = 20000;
const DB_RANGE = 24;
const POINTS = 256;
const FREQS = Float32Array.from({ length: POINTS }, (_, i) => F_MIN * Math.pow(F_MAX / F_MIN, i / (POINTS - 1)));

const xOf = (f: number) => (Math.log(f / F_MIN) / Math.log(F_MAX / F_MIN)) * W;
const fOf = (x: number) => F_MIN * Math.pow(F_MAX / F_MIN, Math.min(1, Math.max(0, x / W)));
const yOf = (db: number) => H / 2 - (db / DB_RANGE) * (H / 2);
const dbOf = (y: number) => ((H / 2 - y) / (H / 2)) * DB_RANGE;

type HandleKey = 'hpf' | 'lpf' | '0' | '1' | '2' | '3';
interface Drag {
  key: HandleKey;
  freq: number;
  gain: number;
  gainBearing: boolean;
  gesture: Gesture;
}

const BAND_COLORS = ['#ff8c5a', '#e6d23a', '#3ecf8e', '#4fb3ff'];

/** What each band type is called on a console (the stored names are Web Audio's). */
const BAND_TYPE_LABELS: Record<EqBandType, string> = {
  peaking: 'Bell',
  lowshelf: 'Low shelf',
  highshelf: 'High shelf',
  notch: 'Notch',
  bandpass: 'Band pass',
};

/**
 * The track EQ: the live frequency-response curve computed from the very biquads the
 * engine builds (the plan's nodes through the Web Audio spec formulas), draggable band
 * handles (drag = frequency and gain, wheel = Q), and knobs for every band parameter.
 */
export class MrEqPanel extends LitElement {
  static override properties = {
    track: { attribute: false },
    sampleRate: { type: Number },
    actions: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare track: TrackState | null;
  declare sampleRate: number;
  declare actions: MixActions | null;
  declare readOnly: boolean;
  /** Dragging a handle: frequency and gain (when the band has one) as one gesture, so they move together for everyone. */
  private readonly drag = new DragController<Drag>(this, {
    start: (e) => this.startDrag(e),
    move: (d, e) => this.moveDrag(d, e),
    end: (d) => d.gesture.end(d.freq, d.gainBearing ? d.gain : undefined),
    abandon: (d) => d.gesture.end(Number.NaN),
  });
  private readonly router = new ControlRouter(
    () => this.actions,
    () => (this.track ? { scope: 'track', id: this.track.id } : null),
  );

  constructor() {
    super();
    this.track = null;
    this.sampleRate = 48000;
    this.actions = null;
    this.readOnly = false;
  }

  static override styles = css`
    :host { display: block; font: 10px/1.2 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    svg.graph { display: block; width: ${W}px; height: ${H}px; background: #0e1013; border: 1px solid #2a2f37; border-radius: 3px; touch-action: none; }
    .grid { stroke: #20252c; stroke-width: 1; }
    .zero { stroke: #3a414b; }
    .lbl { fill: #5d6570; font-size: 9px; font-family: var(--mr-mono, ui-monospace, monospace); }
    .curve { fill: none; stroke: #7fd6ff; stroke-width: 2; }
    .area { fill: #4fb3ff22; stroke: none; }
    .h { cursor: grab; stroke: #0b0d10; stroke-width: 1.5; }
    .h:focus-visible { outline: none; stroke: #fff; stroke-width: 2.5; }
    .h.off { opacity: 0.35; }
    .bands { display: grid; grid-template-columns: repeat(6, 1fr); gap: 4px; margin-top: 6px; }
    .band { background: #1b1e23; border: 1px solid #2a2f37; border-radius: 3px; padding: 3px; display: flex; flex-direction: column; align-items: center; gap: 2px; }
    .band header { display: flex; gap: 3px; align-items: center; width: 100%; justify-content: space-between; flex-wrap: wrap; }
    .band .knobs { display: flex; gap: 2px; flex-wrap: wrap; justify-content: center; }
    mr-knob { --knob-size: 22px; }
    button { font: 600 9px/1 var(--mr-font, system-ui); color: #aeb6c0; background: #2b3038; border: 1px solid #3a414b; border-radius: 2px; padding: 2px 4px; cursor: pointer; }
    button[aria-pressed='true'] { background: #2f5d87; color: #fff; border-color: #4fb3ff; }
    /* The type names its own row, full width: "High shelf" never truncates. */
    select { order: 3; flex: 1 0 100%; min-width: 0; font: 10px var(--mr-font, system-ui); background: #15181c; color: #c9ced6; border: 1px solid #2a2f37; border-radius: 2px; padding: 1px 0; }
    .sw { width: 8px; height: 8px; border-radius: 50%; display: inline-block; }
  `;

  /** The track as the curve should show it: the stored values, or the values being dragged. */
  private shownTrack(): TrackState | null {
    const t = this.track;
    const d = this.drag.active;
    if (!t || !d) return t;
    if (d.key === 'hpf' || d.key === 'lpf') return { ...t, eq: { ...t.eq, [d.key]: { ...t.eq[d.key], freq: d.freq } } };
    const bands = t.eq.bands.map((b, i) => (String(i) === d.key ? { ...b, freq: d.freq, gain: d.gain } : b)) as TrackState['eq']['bands'];
    return { ...t, eq: { ...t.eq, bands } };
  }

  private curve(track: TrackState): number[] {
    return Array.from(eqResponseDb(track, this.sampleRate, FREQS));
  }

  override render() {
    const t = this.shownTrack();
    if (!t) return nothing;
    const db = this.curve(t);
    const pts = db.map((v, i) => `${xOf(FREQS[i]!).toFixed(1)},${yOf(Math.max(-DB_RANGE - 6, Math.min(DB_RANGE + 6, v))).toFixed(1)}`);
    const path = `M ${pts.join(' L ')}`;
    const area = `${path} L ${W},${H / 2} L 0,${H / 2} Z`;
    const ro = this.readOnly;
    const name = t.name;
    return html`
      <svg class="graph" viewBox="0 0 ${W} ${H}" role="group" aria-label="${name} EQ frequency response">
        ${[50, 100, 200, 500, 1000, 2000, 5000, 10000].map(
          (f) => svg`<line class="grid" x1=${xOf(f)} x2=${xOf(f)} y1="0" y2=${H} /><text class="lbl" x=${xOf(f) + 2} y=${H - 3}>${f >= 1000 ? `${f / 1000}k` : f}</text>`,
        )}
        ${[-18, -12, -6, 6, 12, 18].map((d) => svg`<line class="grid" x1="0" x2=${W} y1=${yOf(d)} y2=${yOf(d)} /><text class="lbl" x="2" y=${yOf(d) - 2}>${d > 0 ? '+' : ''}${d}</text>`)}
        <line class="grid zero" x1="0" x2=${W} y1=${H / 2} y2=${H / 2} />
        <path class="area" d=${area} />
        <path class="curve" d=${path} />
        ${this.renderHandle('hpf', t.eq.hpf.freq, 0, t.eq.hpf.on, '#c9ced6', `${name} high-pass`)}
        ${this.renderHandle('lpf', t.eq.lpf.freq, 0, t.eq.lpf.on, '#c9ced6', `${name} low-pass`)}
        ${t.eq.bands.map((b, i) => this.renderHandle(String(i) as HandleKey, b.freq, this.gainBearing(b) ? b.gain : 0, b.on, BAND_COLORS[i]!, `${name} EQ band ${i + 1}`))}
      </svg>
      <div class="bands" @control-start=${this.router.handle} @control-input=${this.router.handle} @control-end=${this.router.handle}
        @control-set=${this.router.handle}>
        ${(['hpf', 'lpf'] as const).map(
          (k) => html`<div class="band" role="group" aria-label="${name} ${k === 'hpf' ? 'high-pass' : 'low-pass'} filter">
            <header><b>${k.toUpperCase()}</b>
              <button aria-pressed=${String(t.eq[k].on)} aria-label="${name} ${k === 'hpf' ? 'high-pass' : 'low-pass'} on" ?disabled=${ro}
                @click=${() => this.set(`eq.${k}.on`, !t.eq[k].on)}>ON</button></header>
            <div class="knobs">
              <mr-knob data-path="eq.${k}.freq" .value=${t.eq[k].freq} .min=${MIX_RANGES.filterFreq.min} .max=${MIX_RANGES.filterFreq.max}
                taper="log" unit="Hz" .defaultValue=${k === 'hpf' ? 30 : 18000} label="${name} ${k} frequency" ?disabled=${ro}></mr-knob>
              <mr-knob data-path="eq.${k}.q" .value=${t.eq[k].q} .min=${MIX_RANGES.filterQ.min} .max=${MIX_RANGES.filterQ.max}
                taper="log" unit="Q" .defaultValue=${0.707} label="${name} ${k} Q" ?disabled=${ro}></mr-knob>
            </div>
          </div>`,
        )}
        ${t.eq.bands.map((b, i) => this.renderBand(name, b, i, ro))}
      </div>
    `;
  }

  private gainBearing(b: EqBandState): boolean {
    return b.type === 'peaking' || b.type === 'lowshelf' || b.type === 'highshelf';
  }

  private renderBand(name: string, b: EqBandState, i: number, ro: boolean) {
    return html`<div class="band" role="group" aria-label="${name} EQ band ${i + 1}">
      <header>
        <span class="sw" style="background:${BAND_COLORS[i]}"></span>
        <select aria-label="${name} EQ band ${i + 1} type" ?disabled=${ro} @change=${(e: Event) => this.setAny(`eq.bands.${i}.type`, (e.target as HTMLSelectElement).value)}>
          ${EQ_BAND_TYPES.map((ty) => html`<option value=${ty} ?selected=${b.type === ty}>${BAND_TYPE_LABELS[ty]}</option>`)}
        </select>
        <button aria-pressed=${String(b.on)} aria-label="${name} EQ band ${i + 1} on" ?disabled=${ro}
          @click=${() => this.set(`eq.bands.${i}.on`, !b.on)}>ON</button>
      </header>
      <div class="knobs">
        <mr-knob data-path="eq.bands.${i}.freq" .value=${b.freq} .min=${MIX_RANGES.eqFreq.min} .max=${MIX_RANGES.eqFreq.max} taper="log" unit="Hz"
          .defaultValue=${b.freq} label="${name} EQ band ${i + 1} frequency" ?disabled=${ro}></mr-knob>
        <mr-knob data-path="eq.bands.${i}.gain" .value=${b.gain} .min=${MIX_RANGES.eqGain.min} .max=${MIX_RANGES.eqGain.max} unit="dB" .step=${0.1}
          .defaultValue=${0} label="${name} EQ band ${i + 1} gain" ?disabled=${ro || !this.gainBearing(b)}></mr-knob>
        <mr-knob data-path="eq.bands.${i}.q" .value=${b.q} .min=${MIX_RANGES.eqQ.min} .max=${MIX_RANGES.eqQ.max} taper="log" unit="Q"
          .defaultValue=${1} label="${name} EQ band ${i + 1} Q" ?disabled=${ro}></mr-knob>
      </div>
    </div>`;
  }

  private renderHandle(key: HandleKey, freq: number, gain: number, on: boolean, color: string, label: string) {
    return svg`<circle class="h ${on ? '' : 'off'}" cx=${xOf(freq)} cy=${yOf(gain)} r="7" fill=${color} tabindex="0" role="slider"
      aria-label=${`${label} handle`} aria-valuetext=${`${formatValue(freq, 'Hz')}, ${formatValue(gain, 'dB')}`}
      data-key=${key} @pointerdown=${this.drag.down} @wheel=${(e: WheelEvent) => this.onWheel(e, key)}
      @keydown=${(e: KeyboardEvent) => this.onHandleKey(e, key)} @dblclick=${() => this.resetHandle(key)}></circle>`;
  }

  private pathOf(key: HandleKey, param: 'freq' | 'gain' | 'q'): string {
    return key === 'hpf' || key === 'lpf' ? `eq.${key}.${param}` : `eq.bands.${key}.${param}`;
  }

  private current(key: HandleKey): { freq: number; gain: number; q: number; gainBearing: boolean } {
    const t = this.track!;
    if (key === 'hpf' || key === 'lpf') return { freq: t.eq[key].freq, gain: 0, q: t.eq[key].q, gainBearing: false };
    const b = t.eq.bands[Number(key)]!;
    return { freq: b.freq, gain: b.gain, q: b.q, gainBearing: this.gainBearing(b) };
  }

  private startDrag(e: PointerEvent): Drag | null {
    const key = (e.currentTarget as SVGElement).dataset['key'] as HandleKey;
    if (this.readOnly || !this.actions || !this.track || e.button !== 0) return null;
    e.preventDefault();
    const ref = { scope: 'track' as const, id: this.track.id };
    const c = this.current(key);
    const gesture = c.gainBearing
      ? this.actions.gesture(ref, this.pathOf(key, 'freq'), this.pathOf(key, 'gain'))
      : this.actions.gesture(ref, this.pathOf(key, 'freq'));
    return { key, freq: c.freq, gain: c.gain, gainBearing: c.gainBearing, gesture };
  }

  private moveDrag(d: Drag, e: PointerEvent): void {
    const svgEl = this.renderRoot.querySelector('svg.graph')!;
    const rect = svgEl.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * W;
    const y = ((e.clientY - rect.top) / rect.height) * H;
    const freq = Number(fOf(x).toPrecision(4));
    const gain = Math.round(Math.min(DB_RANGE, Math.max(-DB_RANGE, dbOf(y))) * 10) / 10;
    d.freq = freq;
    if (d.gainBearing) d.gain = gain;
    this.requestUpdate();
    d.gesture.update(freq, d.gainBearing ? gain : undefined);
  }

  private onWheel(e: WheelEvent, key: HandleKey): void {
    if (this.readOnly) return;
    e.preventDefault();
    const q = this.current(key).q * (e.deltaY < 0 ? 1.1 : 1 / 1.1);
    this.set(this.pathOf(key, 'q'), Number(q.toPrecision(3)));
  }

  private onHandleKey(e: KeyboardEvent, key: HandleKey): void {
    if (this.readOnly) return;
    const c = this.current(key);
    const fine = e.shiftKey ? 0.25 : 1;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      e.stopPropagation();
      const factor = Math.pow(2, ((e.key === 'ArrowRight' ? 1 : -1) * fine) / 6);
      this.nudge(this.pathOf(key, 'freq'), Number((c.freq * factor).toPrecision(4)));
    } else if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && c.gainBearing) {
      e.preventDefault();
      e.stopPropagation();
      this.nudge(this.pathOf(key, 'gain'), Math.round((c.gain + (e.key === 'ArrowUp' ? 0.5 : -0.5) * fine) * 10) / 10);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      e.stopPropagation();
      this.resetHandle(key);
    }
  }

  private resetHandle(key: HandleKey): void {
    if (this.readOnly || key === 'hpf' || key === 'lpf') return;
    this.set(this.pathOf(key, 'gain'), 0);
  }

  private set(path: string, value: number | boolean): void {
    if (this.track && this.actions) this.actions.set({ scope: 'track', id: this.track.id }, path, value);
  }

  private nudge(path: string, value: number): void {
    if (this.track && this.actions) this.actions.nudge({ scope: 'track', id: this.track.id }, path, value);
  }

  private setAny(path: string, value: string): void {
    if (this.track && this.actions) this.actions.set({ scope: 'track', id: this.track.id }, path, value);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.router.endAll();
  }
}

customElements.define('mr-eq-panel', MrEqPanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-eq-panel': MrEqPanel;
  }
}
