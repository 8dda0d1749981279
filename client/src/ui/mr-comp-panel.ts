import { LitElement, html, svg, nothing } from 'lit';
import type { TrackState } from '@mixroom/shared/model';
import { MIX_RANGES } from '@mixroom/shared/model';
import { ControlRouter } from '../mix/edit/ControlRouter.ts';
import type { MixActions } from '../mix/edit/MixActions.ts';
import { AnimationFrameController } from '../lit/AnimationFrameController.ts';
import type { GainReductionReader } from '../mix/heard/MeterReader.ts';
import { DYNAMICS_GRAPH_PX, dynamicsPanelStyles } from './dynamicsPanelStyles.ts';
import './mr-knob.ts';

const G = DYNAMICS_GRAPH_PX;
const GR_MAX = 20;

/** Static soft-knee transfer curve (dB in -> dB out), the textbook gain computer. */
function transfer(x: number, threshold: number, ratio: number, knee: number): number {
  if (knee > 0 && Math.abs(x - threshold) <= knee / 2) {
    return x + ((1 / ratio - 1) * Math.pow(x - threshold + knee / 2, 2)) / (2 * knee);
  }
  return x > threshold ? threshold + (x - threshold) / ratio : x;
}

/**
 * Track dynamics: compressor (threshold, ratio, attack, release, knee, makeup, sidechain
 * source) with its transfer curve and a live gain-reduction meter, plus saturation.
 */
export class MrCompPanel extends LitElement {
  static override properties = {
    track: { attribute: false },
    tracks: { attribute: false },
    actions: { attribute: false },
    gainReduction: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare track: TrackState | null;
  /** Candidate sidechain sources. */
  declare tracks: readonly TrackState[];
  declare actions: MixActions | null;
  declare gainReduction: GainReductionReader | null;
  declare readOnly: boolean;
  private readonly grMeter = new AnimationFrameController(this, () => {
    const gr = Math.max(0, this.gainReduction?.() ?? 0);
    const bar = this.renderRoot.querySelector<HTMLElement>('.gr i');
    const val = this.renderRoot.querySelector('.grv');
    if (bar) bar.style.height = `${Math.min(100, (gr / GR_MAX) * 100)}%`;
    if (val) val.textContent = `GR ${gr.toFixed(1)} dB`;
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

  static override styles = dynamicsPanelStyles;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.router.endAll();
  }

  override render() {
    const t = this.track;
    if (!t) return nothing;
    const c = t.comp;
    const s = t.sat;
    const ro = this.readOnly;
    const n = t.name;
    const toXY = (db: number) => G - ((db + 60) / 60) * G;
    const pts: string[] = [];
    for (let x = -60; x <= 0; x += 1) pts.push(`${((x + 60) / 60) * G},${toXY(Math.min(0, transfer(x, c.threshold, c.ratio, c.knee) + c.makeup))}`);
    return html`
      <section role="group" aria-label="${n} compressor" @control-start=${this.router.handle} @control-input=${this.router.handle}
        @control-end=${this.router.handle} @control-set=${this.router.handle}>
        <h3>COMPRESSOR
          <button aria-pressed=${String(c.on)} aria-label="${n} compressor on" ?disabled=${ro} @click=${() => this.set('comp.on', !c.on)}>ON</button>
          <label>key <select aria-label="${n} compressor sidechain source" ?disabled=${ro}
            @change=${(e: Event) => this.setSidechain((e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${c.sidechain === null}>self</option>
            ${this.tracks.filter((o) => o.id !== t.id).map((o) => html`<option value=${o.id} ?selected=${c.sidechain === o.id}>${o.name}</option>`)}
          </select></label>
        </h3>
        <div class="row">
          <svg viewBox="0 0 ${G} ${G}" aria-label="${n} compressor transfer curve" role="img">
            <line x1="0" y1=${G} x2=${G} y2="0" stroke="#2a2f37" />
            <line x1=${((c.threshold + 60) / 60) * G} x2=${((c.threshold + 60) / 60) * G} y1="0" y2=${G} stroke="#3a414b" stroke-dasharray="2 2" />
            ${svg`<polyline points=${pts.join(' ')} fill="none" stroke=${c.on ? '#e0a030' : '#5d6570'} stroke-width="2" />`}
          </svg>
          <div class="gr" role="meter" aria-label="${n} gain reduction" aria-valuemin="0" aria-valuemax=${GR_MAX}><i></i></div>
          <div style="display:grid;grid-template-columns:repeat(3,auto);gap:2px 4px">
            <mr-knob data-path="comp.threshold" .value=${c.threshold} .min=${MIX_RANGES.compThreshold.min} .max=${MIX_RANGES.compThreshold.max}
              .step=${0.1} unit="dB" caption="threshold" .defaultValue=${-18} label="${n} compressor threshold" ?disabled=${ro}></mr-knob>
            <mr-knob data-path="comp.ratio" .value=${c.ratio} .min=${MIX_RANGES.compRatio.min} .max=${MIX_RANGES.compRatio.max} taper="log"
              unit="ratio" caption="ratio" .defaultValue=${4} label="${n} compressor ratio" ?disabled=${ro}></mr-knob>
            <mr-knob data-path="comp.knee" .value=${c.knee} .min=${MIX_RANGES.compKnee.min} .max=${MIX_RANGES.compKnee.max} .step=${0.1}
              unit="dB" caption="knee" .defaultValue=${6} label="${n} compressor knee" ?disabled=${ro}></mr-knob>
            <mr-knob data-path="comp.attack" .value=${c.attack} .min=${MIX_RANGES.compAttack.min} .max=${MIX_RANGES.compAttack.max} taper="log"
              unit="s" caption="attack" .defaultValue=${0.01} label="${n} compressor attack" ?disabled=${ro}></mr-knob>
            <mr-knob data-path="comp.release" .value=${c.release} .min=${MIX_RANGES.compRelease.min} .max=${MIX_RANGES.compRelease.max} taper="log"
              unit="s" caption="release" .defaultValue=${0.15} label="${n} compressor release" ?disabled=${ro}></mr-knob>
            <mr-knob data-path="comp.makeup" .value=${c.makeup} .min=${MIX_RANGES.compMakeup.min} .max=${MIX_RANGES.compMakeup.max} .step=${0.1}
              unit="dB" caption="makeup" .defaultValue=${0} label="${n} compressor makeup gain" ?disabled=${ro}></mr-knob>
          </div>
        </div>
        <div class="grv" aria-hidden="true">GR 0.0 dB</div>
      </section>
      <section role="group" aria-label="${n} saturation" @control-start=${this.router.handle} @control-input=${this.router.handle}
        @control-end=${this.router.handle} @control-set=${this.router.handle}>
        <h3>SATURATION
          <button aria-pressed=${String(s.on)} aria-label="${n} saturation on" ?disabled=${ro} @click=${() => this.set('sat.on', !s.on)}>ON</button>
        </h3>
        <div class="row">
          <mr-knob data-path="sat.drive" .value=${s.drive} .min=${MIX_RANGES.satDrive.min} .max=${MIX_RANGES.satDrive.max} .step=${0.1}
            unit="dB" caption="drive" .defaultValue=${0} label="${n} saturation drive" ?disabled=${ro}></mr-knob>
          <mr-knob data-path="sat.mix" .value=${s.mix} .min=${0} .max=${1} .step=${0.01} unit="mix" caption="mix" .defaultValue=${1}
            label="${n} saturation mix" ?disabled=${ro}></mr-knob>
        </div>
      </section>
    `;
  }

  private set(path: string, value: number | boolean): void {
    if (this.track && this.actions) this.actions.set({ scope: 'track', id: this.track.id }, path, value);
  }

  private setSidechain(value: string): void {
    if (this.track && this.actions) this.actions.set({ scope: 'track', id: this.track.id }, 'comp.sidechain', value === '' ? null : value);
  }
}

customElements.define('mr-comp-panel', MrCompPanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-comp-panel': MrCompPanel;
  }
}
