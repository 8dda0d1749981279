import { css, html, nothing } from 'lit';
import { DEESSER_MODES, TRACK_SPEC } from '@mixroom/shared/model';
import { DynamicsPanel, type DynamicsKnob } from './DynamicsPanel.ts';
import { dynamicsPanelStyles } from './dynamicsPanelStyles.ts';

const SPEC = TRACK_SPEC.deess.params;
const H = 60;

const KNOBS: readonly DynamicsKnob[] = [
  { path: 'deess.freq', caption: 'freq', word: 'frequency', unit: 'Hz', taper: 'log', range: SPEC.freq.range, default: SPEC.freq.default },
  { path: 'deess.threshold', caption: 'threshold', unit: 'dB', step: 0.1, range: SPEC.threshold.range, default: SPEC.threshold.default },
  { path: 'deess.range', caption: 'range', unit: 'dB', step: 0.1, range: SPEC.range.range, default: SPEC.range.default },
];

/**
 * A track's de-esser: switch, split/wide, band frequency, threshold, range, a live
 * gain-reduction meter, and BAND, which plays the detector band alone for this listener only
 * (a `band-listen-toggle` event the room routes to the private monitor, never to the mix).
 */
export class MrDeessPanel extends DynamicsPanel {
  static override properties = {
    bandListening: { type: Boolean, attribute: 'band-listening' },
  };

  /** This listener hears the band alone (private). */
  declare bandListening: boolean;

  constructor() {
    super();
    this.bandListening = false;
  }

  static override styles = [
    dynamicsPanelStyles,
    css`
      .row { gap: 6px; }
      button.band[aria-pressed='true'] { background: #7a5a12; border-color: #e0a030; }
      .gr { height: ${H}px; }
    `,
  ];

  protected override reductionMax(): number {
    return SPEC.range.range.max;
  }

  override render() {
    const t = this.track;
    if (!t) return nothing;
    const d = t.deess;
    const ro = this.readOnly;
    const n = t.name;
    return this.section(
      `${n} de-esser`,
      html`<h3>DE-ESSER
          <button aria-pressed=${String(d.on)} aria-label="${n} de-esser on" ?disabled=${ro} @click=${() => this.set('deess.on', !d.on)}>ON</button>
          ${DEESSER_MODES.map(
            (m) => html`<button aria-pressed=${String(d.mode === m)} aria-label="${n} de-esser ${m}" ?disabled=${ro}
              title=${m === 'split' ? 'Split: turn down the band only' : 'Wide: turn down the whole signal'} @click=${() => this.set('deess.mode', m)}>${m.toUpperCase()}</button>`,
          )}
          <button class="band" aria-pressed=${String(this.bandListening)} aria-label="${n} de-esser band listen (only you hear this)"
            title="Hear the band alone (only you hear this)" @click=${this.toggleBand}>BAND</button>
        </h3>
        <div class="row">
          ${this.knobs('de-esser', KNOBS, d)}
          ${this.reductionMeter(`${n} de-esser gain reduction`)}
          <div class="grv" aria-hidden="true">GR 0.0 dB</div>
        </div>`,
    );
  }

  private readonly toggleBand = (): void => {
    if (!this.track) return;
    this.dispatchEvent(new CustomEvent('band-listen-toggle', { detail: { id: this.track.id }, bubbles: true, composed: true }));
  };
}

customElements.define('mr-deess-panel', MrDeessPanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-deess-panel': MrDeessPanel;
  }
}
