import { LitElement, css, html, nothing } from 'lit';
import { DEESSER_MODES, TRACK_SPEC, type TrackState } from '@mixroom/shared/model';
import { ControlRouter } from '../mix/edit/ControlRouter.ts';
import type { MixActions } from '../mix/edit/MixActions.ts';
import { AnimationFrameController } from '../lit/AnimationFrameController.ts';
import type { GainReductionReader } from '../mix/heard/MeterReader.ts';
import './mr-knob.ts';
import { dynamicsPanelStyles } from './dynamicsPanelStyles.ts';

const SPEC = TRACK_SPEC.deess.params;
const GR_MAX = SPEC.range.range.max;
const H = 60;

/**
 * A track's de-esser: switch, split/wide, band frequency, threshold, range, a live
 * gain-reduction meter, and BAND, which plays the detector band alone for this listener only
 * (a `band-listen-toggle` event the room routes to the private monitor, never to the mix).
 */
export class MrDeessPanel extends LitElement {
  static override properties = {
    track: { attribute: false },
    actions: { attribute: false },
    gainReduction: { attribute: false },
    bandListening: { type: Boolean, attribute: 'band-listening' },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare track: TrackState | null;
  declare actions: MixActions | null;
  declare gainReduction: GainReductionReader | null;
  /** This listener hears the band alone (private). */
  declare bandListening: boolean;
  declare readOnly: boolean;
  private readonly grMeter = new AnimationFrameController(this, () => {
    const gr = Math.max(0, this.gainReduction?.() ?? 0);
    const bar = this.renderRoot.querySelector<HTMLElement>('.gr i');
    const val = this.renderRoot.querySelector('.grv');
    const meter = this.renderRoot.querySelector('.gr');
    if (bar) bar.style.height = `${Math.min(100, (gr / GR_MAX) * 100)}%`;
    if (meter) meter.setAttribute('aria-valuenow', gr.toFixed(1));
    if (val) val.textContent = `GR ${gr.toFixed(1)} dB`;
  });
  private readonly router = new ControlRouter(
    () => this.actions,
    () => (this.track ? { scope: 'track', id: this.track.id } : null),
  );

  constructor() {
    super();
    this.track = null;
    this.actions = null;
    this.gainReduction = null;
    this.bandListening = false;
    this.readOnly = false;
  }

  static override styles = [
    dynamicsPanelStyles,
    css`
      .row { gap: 6px; }
      button.band[aria-pressed='true'] { background: #7a5a12; border-color: #e0a030; }
      .gr { height: ${H}px; }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.router.endAll();
  }

  override render() {
    const t = this.track;
    if (!t) return nothing;
    const d = t.deess;
    const ro = this.readOnly;
    const n = t.name;
    return html`
      <section role="group" aria-label="${n} de-esser" @control-start=${this.router.handle} @control-input=${this.router.handle}
        @control-end=${this.router.handle} @control-set=${this.router.handle}>
        <h3>DE-ESSER
          <button aria-pressed=${String(d.on)} aria-label="${n} de-esser on" ?disabled=${ro} @click=${() => this.set('deess.on', !d.on)}>ON</button>
          ${DEESSER_MODES.map(
            (m) => html`<button aria-pressed=${String(d.mode === m)} aria-label="${n} de-esser ${m}" ?disabled=${ro}
              title=${m === 'split' ? 'Split: turn down the band only' : 'Wide: turn down the whole signal'} @click=${() => this.set('deess.mode', m)}>${m.toUpperCase()}</button>`,
          )}
          <button class="band" aria-pressed=${String(this.bandListening)} aria-label="${n} de-esser band listen (only you hear this)"
            title="Hear the band alone (only you hear this)" @click=${this.toggleBand}>BAND</button>
        </h3>
        <div class="row">
          <mr-knob data-path="deess.freq" .value=${d.freq} .min=${SPEC.freq.range.min} .max=${SPEC.freq.range.max} taper="log"
            unit="Hz" caption="freq" .defaultValue=${SPEC.freq.default} label="${n} de-esser frequency" ?disabled=${ro}></mr-knob>
          <mr-knob data-path="deess.threshold" .value=${d.threshold} .min=${SPEC.threshold.range.min} .max=${SPEC.threshold.range.max}
            .step=${0.1} unit="dB" caption="threshold" .defaultValue=${SPEC.threshold.default} label="${n} de-esser threshold" ?disabled=${ro}></mr-knob>
          <mr-knob data-path="deess.range" .value=${d.range} .min=${SPEC.range.range.min} .max=${SPEC.range.range.max} .step=${0.1}
            unit="dB" caption="range" .defaultValue=${SPEC.range.default} label="${n} de-esser range" ?disabled=${ro}></mr-knob>
          <div class="gr" role="meter" aria-label="${n} de-esser gain reduction" aria-valuemin="0" aria-valuemax=${GR_MAX} aria-valuenow="0"><i></i></div>
          <div class="grv" aria-hidden="true">GR 0.0 dB</div>
        </div>
      </section>
    `;
  }

  private readonly toggleBand = (): void => {
    if (!this.track) return;
    this.dispatchEvent(new CustomEvent('band-listen-toggle', { detail: { id: this.track.id }, bubbles: true, composed: true }));
  };

  private set(path: string, value: number | boolean | string): void {
    if (this.track && this.actions) this.actions.set({ scope: 'track', id: this.track.id }, path, value);
  }
}

customElements.define('mr-deess-panel', MrDeessPanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-deess-panel': MrDeessPanel;
  }
}
