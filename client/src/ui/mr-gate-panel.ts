import { LitElement, css, html, svg, nothing } from 'lit';
import type { TrackState } from '@mixroom/shared/model';
import { TRACK_SPEC } from '@mixroom/shared/model';
import { gateCurve } from '@mixroom/shared/dsp';
import { ControlRouter } from '../mix/edit/ControlRouter.ts';
import type { MixActions } from '../mix/edit/MixActions.ts';
import { AnimationFrameController } from '../lit/AnimationFrameController.ts';
import type { GainReductionReader } from '../mix/heard/MeterReader.ts';
import { DYNAMICS_GRAPH_PX, dynamicsPanelStyles } from './dynamicsPanelStyles.ts';
import './mr-knob.ts';

const G = DYNAMICS_GRAPH_PX;
/** The curve shows key levels from this to 0 dBFS. */
const FLOOR_DB = -90;
const P = TRACK_SPEC.gate.params;

/** One knob's table entry: its path below the track, caption, unit and taper (ranges and defaults come from the record). */
const KNOBS = [
  ['threshold', 'threshold', 'dB', 'lin', 0.1],
  ['range', 'range', 'dB', 'lin', 0.1],
  ['ratio', 'ratio', 'ratio', 'log', 0],
  ['hysteresis', 'hysteresis', 'dB', 'lin', 0.1],
  ['attack', 'attack', 's', 'log', 0],
  ['hold', 'hold', 's', 'lin', 0.001],
  ['release', 'release', 's', 'log', 0],
  ['scHpf', 'key HPF', 'Hz', 'log', 0],
] as const satisfies readonly (readonly [keyof typeof P, string, string, 'lin' | 'log', number])[];

/**
 * The track's gate / expander (first in the dynamics, after the filters): switch, key
 * source, the closed-gate curve with the hysteresis' close level, its controls and a live
 * gain-reduction meter (how far the gate is closed).
 */
export class MrGatePanel extends LitElement {
  static override properties = {
    track: { attribute: false },
    tracks: { attribute: false },
    actions: { attribute: false },
    gainReduction: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare track: TrackState | null;
  /** Candidate key sources. */
  declare tracks: readonly TrackState[];
  declare actions: MixActions | null;
  declare gainReduction: GainReductionReader | null;
  declare readOnly: boolean;
  private readonly grMeter = new AnimationFrameController(this, () => {
    const max = -(this.track?.gate.range ?? P.range.default) || 1;
    const gr = Math.max(0, this.gainReduction?.() ?? 0);
    const bar = this.renderRoot.querySelector<HTMLElement>('.gr i');
    const val = this.renderRoot.querySelector('.grv');
    if (bar) bar.style.height = `${Math.min(100, (gr / max) * 100)}%`;
    if (val) val.textContent = gr < 0.05 ? 'OPEN' : `GR ${gr.toFixed(1)} dB`;
  });
  private readonly router = new ControlRouter(
    () => this.actions,
    () => (this.track ? { scope: 'track', id: this.track.id } : null),
  );

  constructor() {
    super();
    this.track = null;
    this.tracks = [];
    this.actions = null;
    this.gainReduction = null;
    this.readOnly = false;
  }

  static override styles = [
    dynamicsPanelStyles,
    css`
      :host { --gr-color: #3ecf8e; }
      .knobs { display: grid; grid-template-columns: repeat(4, auto); gap: 2px 4px; }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.router.endAll();
  }

  override render() {
    const t = this.track;
    if (!t) return nothing;
    const g = t.gate;
    const ro = this.readOnly;
    const n = t.name;
    const x = (db: number) => ((db - FLOOR_DB) / -FLOOR_DB) * G;
    const y = (db: number) => G - ((Math.max(FLOOR_DB, db) - FLOOR_DB) / -FLOOR_DB) * G;
    const pts: string[] = [];
    for (let level = FLOOR_DB; level <= 0; level += 0.5) pts.push(`${x(level)},${y(level + gateCurve(level, g.threshold, g.ratio, g.range))}`);
    const close = g.threshold - g.hysteresis;
    return html`
      <section role="group" aria-label="${n} gate" @control-start=${this.router.handle} @control-input=${this.router.handle}
        @control-end=${this.router.handle} @control-set=${this.router.handle}>
        <h3>GATE
          <button aria-pressed=${String(g.on)} aria-label="${n} gate on" ?disabled=${ro} @click=${() => this.set('gate.on', !g.on)}>ON</button>
          <label>key <select aria-label="${n} gate key source" ?disabled=${ro}
            @change=${(e: Event) => this.setKey((e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${g.sidechain === null}>self</option>
            ${this.tracks.filter((o) => o.id !== t.id).map((o) => html`<option value=${o.id} ?selected=${g.sidechain === o.id}>${o.name}</option>`)}
          </select></label>
        </h3>
        <div class="row">
          <svg viewBox="0 0 ${G} ${G}" aria-label="${n} gate curve" role="img">
            <line x1="0" y1=${G} x2=${G} y2="0" stroke="#2a2f37" />
            <line x1=${x(g.threshold)} x2=${x(g.threshold)} y1="0" y2=${G} stroke="#3a414b" stroke-dasharray="2 2" />
            ${g.hysteresis > 0 ? svg`<line x1=${x(close)} x2=${x(close)} y1="0" y2=${G} stroke="#2d4a3c" stroke-dasharray="1 3" />` : nothing}
            ${svg`<polyline points=${pts.join(' ')} fill="none" stroke=${g.on ? '#3ecf8e' : '#5d6570'} stroke-width="2" />`}
          </svg>
          <div class="gr" role="meter" aria-label="${n} gate gain reduction" aria-valuemin="0" aria-valuemax=${-g.range}><i></i></div>
          <div class="knobs">
            ${KNOBS.map(([key, caption, unit, taper, step]) => {
              const spec = P[key];
              return html`<mr-knob data-path="gate.${key}" .value=${g[key]} .min=${spec.range.min} .max=${spec.range.max} taper=${taper}
                .step=${step} unit=${unit} caption=${caption} .defaultValue=${spec.default} label="${n} gate ${caption}" ?disabled=${ro}></mr-knob>`;
            })}
          </div>
        </div>
        <div class="grv" aria-hidden="true">OPEN</div>
      </section>
    `;
  }

  private set(path: string, value: number | boolean): void {
    if (this.track && this.actions) this.actions.set({ scope: 'track', id: this.track.id }, path, value);
  }

  private setKey(value: string): void {
    if (this.track && this.actions) this.actions.set({ scope: 'track', id: this.track.id }, 'gate.sidechain', value === '' ? null : value);
  }
}

customElements.define('mr-gate-panel', MrGatePanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-gate-panel': MrGatePanel;
  }
}
