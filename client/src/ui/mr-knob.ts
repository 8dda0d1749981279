import { LitElement, css, html, svg } from 'lit';
import { ControlDragController } from '../mix/edit/ControlDragController.ts';
import { onControlKey, type ControlKeyStep } from '../mix/edit/onControlKey.ts';
import { formatValue, type ValueUnit } from '../mix/formatValue.ts';

const THROW_PX = 160;
/** Share of the knob's travel a key press moves it: Shift+arrow, arrow, Page Up/Down. */
const KNOB_KEY_STEPS: Readonly<Record<ControlKeyStep, number>> = { fine: 0.005, normal: 0.02, coarse: 0.1 };
const ARC = 270;

/**
 * A rotary control for pan, trim, sends, EQ and dynamics parameters. Linear or
 * logarithmic (frequencies) taper; bipolar knobs draw their arc from the centre.
 * Vertical drag, Shift/Alt for fine, double-click or Delete resets; an ARIA slider named by `label`.
 */
export class MrKnob extends LitElement {
  static override properties = {
    value: { type: Number },
    min: { type: Number },
    max: { type: Number },
    defaultValue: { type: Number, attribute: 'default-value' },
    label: { type: String },
    caption: { type: String },
    unit: { type: String },
    taper: { type: String },
    step: { type: Number },
    disabled: { type: Boolean, reflect: true },
    compact: { type: Boolean, reflect: true },
  };

  declare value: number;
  declare min: number;
  declare max: number;
  declare defaultValue: number;
  declare label: string;
  /** Short text under the knob; the full `label` is the accessible name. */
  declare caption: string;
  declare unit: ValueUnit;
  declare taper: 'lin' | 'log';
  declare step: number;
  declare disabled: boolean;
  /** Hides the value text (it stays in the tooltip and the accessible value). */
  declare compact: boolean;
  private lastY = 0;
  private readonly drag = new ControlDragController(this, {
    value: () => this.value,
    disabled: () => this.disabled,
    begin: (e) => {
      this.lastY = e.clientY;
    },
    next: (e, fine, dragged) => {
      const dy = (this.lastY - e.clientY) / fine;
      this.lastY = e.clientY;
      return this.fromNorm(this.toNorm(dragged) + dy / THROW_PX);
    },
  });

  constructor() {
    super();
    this.value = 0;
    this.min = 0;
    this.max = 1;
    this.defaultValue = 0;
    this.label = 'Knob';
    this.caption = '';
    this.unit = 'dB';
    this.taper = 'lin';
    this.step = 0;
    this.disabled = false;
    this.compact = false;
  }

  static override styles = css`
    :host { display: inline-flex; flex-direction: column; align-items: center; gap: 1px; user-select: none; touch-action: none;
      font: 10px/1.1 var(--mr-font, system-ui, sans-serif); color: var(--mr-muted, #8a939e); }
    .dial { width: var(--knob-size, 30px); height: var(--knob-size, 30px); cursor: ns-resize; outline: none; border-radius: 50%; }
    .dial:focus-visible { box-shadow: 0 0 0 2px var(--mr-accent, #4fb3ff); }
    :host([disabled]) .dial { opacity: 0.45; cursor: default; }
    .val { font-family: var(--mr-mono, ui-monospace, monospace); color: var(--mr-text, #d8dde3); white-space: nowrap; }
    svg { display: block; width: 100%; height: 100%; }
    :host([compact]) .val { display: none; }
  `;

  private get shown(): number {
    return this.drag.shown;
  }

  private toNorm(v: number): number {
    if (this.taper === 'log') return Math.log(v / this.min) / Math.log(this.max / this.min);
    return (v - this.min) / (this.max - this.min);
  }

  private fromNorm(n: number): number {
    const c = Math.min(1, Math.max(0, n));
    const v = this.taper === 'log' ? this.min * Math.pow(this.max / this.min, c) : this.min + c * (this.max - this.min);
    return this.quantise(v);
  }

  private quantise(v: number): number {
    const clamped = Math.min(this.max, Math.max(this.min, v));
    if (this.step > 0) return Math.round(clamped / this.step) * this.step;
    // Three significant digits is finer than anyone hears and keeps the document tidy.
    return Number(clamped.toPrecision(4));
  }

  override render() {
    const n = Math.min(1, Math.max(0, this.toNorm(this.shown)));
    const start = -ARC / 2;
    const angle = start + n * ARC;
    const bipolar = this.min < 0 && this.max > 0 && this.taper === 'lin';
    const from = bipolar ? 0 : start;
    const arc = (a0: number, a1: number) => {
      const r = 12;
      const p = (a: number) => [15 + r * Math.sin((a * Math.PI) / 180), 15 - r * Math.cos((a * Math.PI) / 180)];
      const [x0, y0] = p(Math.min(a0, a1));
      const [x1, y1] = p(Math.max(a0, a1));
      const large = Math.abs(a1 - a0) > 180 ? 1 : 0;
      return `M ${x0} ${y0} A ${r} ${r} 0 ${large} 1 ${x1} ${y1}`;
    };
    return html`
      <div
        class="dial"
        role="slider"
        tabindex=${this.disabled ? -1 : 0}
        aria-label=${this.label}
        aria-valuemin=${this.min}
        aria-valuemax=${this.max}
        aria-valuenow=${this.shown}
        aria-valuetext=${formatValue(this.shown, this.unit)}
        aria-disabled=${this.disabled ? 'true' : 'false'}
        title=${`${this.label}: ${formatValue(this.shown, this.unit)}`}
        @pointerdown=${this.drag.down}
        @dblclick=${() => this.drag.reset(this.defaultValue)}
        @keydown=${this.onKey}
      >
        <svg viewBox="0 0 30 30" aria-hidden="true">
          <path d=${arc(start, start + ARC)} stroke="#0b0d10" stroke-width="3" fill="none" />
          ${Math.abs(angle - from) > 0.5
            ? svg`<path d=${arc(from, angle)} stroke="var(--knob-color, var(--mr-accent, #4fb3ff))" stroke-width="3" fill="none" />`
            : null}
          <circle cx="15" cy="15" r="8.5" fill="#2b3038" stroke="#454c57" />
          <line x1="15" y1="15" x2=${15 + 8 * Math.sin((angle * Math.PI) / 180)} y2=${15 - 8 * Math.cos((angle * Math.PI) / 180)}
            stroke="#e8ecf1" stroke-width="2" stroke-linecap="round" />
        </svg>
      </div>
      <span class="val" aria-hidden="true">${formatValue(this.shown, this.unit)}</span>
      ${this.caption ? html`<span aria-hidden="true">${this.caption}</span>` : null}
    `;
  }

  private onKey(e: KeyboardEvent): void {
    if (this.disabled) return;
    onControlKey(this, e, this.defaultValue, (direction, step) => this.fromNorm(this.toNorm(this.value) + direction * KNOB_KEY_STEPS[step]));
  }
}

customElements.define('mr-knob', MrKnob);
declare global {
  interface HTMLElementTagNameMap {
    'mr-knob': MrKnob;
  }
}
