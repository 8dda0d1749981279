import { css, html, svg, nothing } from 'lit';
import { TRACK_SPEC } from '@mixroom/shared/model';
import { gateCurve } from '@mixroom/shared/dsp';
import { DynamicsPanel, type DynamicsKnob } from './DynamicsPanel.ts';
import { DYNAMICS_GRAPH_PX, dynamicsPanelStyles } from './dynamicsPanelStyles.ts';

const G = DYNAMICS_GRAPH_PX;
/** The curve shows key levels from this to 0 dBFS. */
const FLOOR_DB = -90;
const P = TRACK_SPEC.gate.params;

/** The knobs, in their grid's order (ranges and reset values come from the record). */
const KNOBS: readonly DynamicsKnob[] = (
  [
    ['threshold', 'threshold', 'dB', 'lin', 0.1],
    ['range', 'range', 'dB', 'lin', 0.1],
    ['ratio', 'ratio', 'ratio', 'log', 0],
    ['hysteresis', 'hysteresis', 'dB', 'lin', 0.1],
    ['attack', 'attack', 's', 'log', 0],
    ['hold', 'hold', 's', 'lin', 0.001],
    ['release', 'release', 's', 'log', 0],
    ['scHpf', 'key HPF', 'Hz', 'log', 0],
  ] as const satisfies readonly (readonly [keyof typeof P, string, DynamicsKnob['unit'], 'lin' | 'log', number])[]
).map(([key, caption, unit, taper, step]) => ({ path: `gate.${key}`, caption, unit, taper, step, range: P[key].range, default: P[key].default }));

/**
 * The track's gate / expander (first in the dynamics, after the filters): switch, key
 * source, the closed-gate curve with the hysteresis' close level, its controls and a live
 * gain-reduction meter (how far the gate is closed).
 */
export class MrGatePanel extends DynamicsPanel {
  static override styles = [
    dynamicsPanelStyles,
    css`
      :host { --gr-color: #3ecf8e; }
      .knobs { display: grid; grid-template-columns: repeat(4, auto); gap: 2px 4px; }
    `,
  ];

  protected override reductionMax(): number {
    return -(this.track?.gate.range ?? P.range.default);
  }

  protected override reductionText(gr: number): string {
    return gr < 0.05 ? 'OPEN' : super.reductionText(gr);
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
    return this.section(
      `${n} gate`,
      html`<h3>GATE
          <button aria-pressed=${String(g.on)} aria-label="${n} gate on" ?disabled=${ro} @click=${() => this.set('gate.on', !g.on)}>ON</button>
          ${this.keySelect(`${n} gate key source`, g.sidechain, 'gate.sidechain')}
        </h3>
        <div class="row">
          <svg viewBox="0 0 ${G} ${G}" aria-label="${n} gate curve" role="img">
            <line x1="0" y1=${G} x2=${G} y2="0" stroke="#2a2f37" />
            <line x1=${x(g.threshold)} x2=${x(g.threshold)} y1="0" y2=${G} stroke="#3a414b" stroke-dasharray="2 2" />
            ${g.hysteresis > 0 ? svg`<line x1=${x(close)} x2=${x(close)} y1="0" y2=${G} stroke="#2d4a3c" stroke-dasharray="1 3" />` : nothing}
            ${svg`<polyline points=${pts.join(' ')} fill="none" stroke=${g.on ? '#3ecf8e' : '#5d6570'} stroke-width="2" />`}
          </svg>
          ${this.reductionMeter(`${n} gate gain reduction`)}
          <div class="knobs">${this.knobs('gate', KNOBS, g)}</div>
        </div>
        <div class="grv" aria-hidden="true">OPEN</div>`,
    );
  }
}

customElements.define('mr-gate-panel', MrGatePanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-gate-panel': MrGatePanel;
  }
}
