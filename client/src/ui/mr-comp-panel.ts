import { html, svg, nothing } from 'lit';
import { TRACK_SPEC } from '@mixroom/shared/model';
import { DynamicsPanel, type DynamicsKnob } from './DynamicsPanel.ts';
import { DYNAMICS_GRAPH_PX, dynamicsPanelStyles } from './dynamicsPanelStyles.ts';

const G = DYNAMICS_GRAPH_PX;
const GR_MAX = 20;

/** Static soft-knee transfer curve (dB in -> dB out), the textbook gain computer. */
function transfer(x: number, threshold: number, ratio: number, knee: number): number {
  if (knee > 0 && Math.abs(x - threshold) <= knee / 2) {
    return x + ((1 / ratio - 1) * Math.pow(x - threshold + knee / 2, 2)) / (2 * knee);
  }
  return x > threshold ? threshold + (x - threshold) / ratio : x;
}

const C = TRACK_SPEC.comp.params;
const S = TRACK_SPEC.sat.params;
/** Ranges and reset values from the record: a double-click gives what a new track has. */
const COMP_KNOBS: readonly DynamicsKnob[] = [
  { path: 'comp.threshold', caption: 'threshold', unit: 'dB', step: 0.1, range: C.threshold.range, default: C.threshold.default },
  { path: 'comp.ratio', caption: 'ratio', unit: 'ratio', taper: 'log', range: C.ratio.range, default: C.ratio.default },
  { path: 'comp.knee', caption: 'knee', unit: 'dB', step: 0.1, range: C.knee.range, default: C.knee.default },
  { path: 'comp.attack', caption: 'attack', unit: 's', taper: 'log', range: C.attack.range, default: C.attack.default },
  { path: 'comp.release', caption: 'release', unit: 's', taper: 'log', range: C.release.range, default: C.release.default },
  { path: 'comp.makeup', caption: 'makeup', word: 'makeup gain', unit: 'dB', step: 0.1, range: C.makeup.range, default: C.makeup.default },
];
const SAT_KNOBS: readonly DynamicsKnob[] = [
  { path: 'sat.drive', caption: 'drive', unit: 'dB', step: 0.1, range: S.drive.range, default: S.drive.default },
  { path: 'sat.mix', caption: 'mix', unit: 'mix', step: 0.01, range: S.mix.range, default: S.mix.default },
];

/**
 * Track dynamics: compressor (threshold, ratio, attack, release, knee, makeup, sidechain
 * source) with its transfer curve and a live gain-reduction meter, plus saturation.
 */
export class MrCompPanel extends DynamicsPanel {
  static override styles = dynamicsPanelStyles;

  protected override reductionMax(): number {
    return GR_MAX;
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
      ${this.section(
        `${n} compressor`,
        html`<h3>COMPRESSOR
            <button aria-pressed=${String(c.on)} aria-label="${n} compressor on" ?disabled=${ro} @click=${() => this.set('comp.on', !c.on)}>ON</button>
            ${this.keySelect(`${n} compressor sidechain source`, c.sidechain, 'comp.sidechain')}
          </h3>
          <div class="row">
            <svg viewBox="0 0 ${G} ${G}" aria-label="${n} compressor transfer curve" role="img">
              <line x1="0" y1=${G} x2=${G} y2="0" stroke="#2a2f37" />
              <line x1=${((c.threshold + 60) / 60) * G} x2=${((c.threshold + 60) / 60) * G} y1="0" y2=${G} stroke="#3a414b" stroke-dasharray="2 2" />
              ${svg`<polyline points=${pts.join(' ')} fill="none" stroke=${c.on ? '#e0a030' : '#5d6570'} stroke-width="2" />`}
            </svg>
            ${this.reductionMeter(`${n} gain reduction`)}
            <div style="display:grid;grid-template-columns:repeat(3,auto);gap:2px 4px">${this.knobs('compressor', COMP_KNOBS, c)}</div>
          </div>
          <div class="grv" aria-hidden="true">GR 0.0 dB</div>`,
      )}
      ${this.section(
        `${n} saturation`,
        html`<h3>SATURATION
            <button aria-pressed=${String(s.on)} aria-label="${n} saturation on" ?disabled=${ro} @click=${() => this.set('sat.on', !s.on)}>ON</button>
          </h3>
          <div class="row">${this.knobs('saturation', SAT_KNOBS, s)}</div>`,
      )}
    `;
  }
}

customElements.define('mr-comp-panel', MrCompPanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-comp-panel': MrCompPanel;
  }
}
