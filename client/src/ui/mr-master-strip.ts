import { LitElement, css, html } from 'lit';
import type { MasterState } from '@mixroom/shared/model';
import { MIX_RANGES } from '@mixroom/shared/model';
import { ControlRouter } from '../mix/edit/ControlRouter.ts';
import type { MixActions, StripRef } from '../mix/edit/MixActions.ts';
import { AnimationFrameController } from '../lit/AnimationFrameController.ts';
import type { LoudnessReader, MeterReader } from '../mix/heard/MeterReader.ts';
import type { Toucher } from './mr-channel-strip.ts';
import './mr-fader.ts';
import './mr-knob.ts';
import './mr-meter.ts';
import { slowAria } from '../lit/slowAria.ts';

const REF: StripRef = { scope: 'master', id: 'master' };

/**
 * The master strip: glue compressor and limiter switches and their main knobs, the master
 * fader, true peak meter and momentary / short-term loudness (LUFS) readouts.
 */
export class MrMasterStrip extends LitElement {
  static override properties = {
    master: { attribute: false },
    actions: { attribute: false },
    meter: { attribute: false },
    loudness: { attribute: false },
    touchers: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare master: MasterState | null;
  declare actions: MixActions | null;
  declare meter: MeterReader | null;
  declare loudness: LoudnessReader | null;
  declare touchers: readonly Toucher[];
  declare readOnly: boolean;
  private readonly router = new ControlRouter(
    () => this.actions,
    () => REF,
  );
  private readonly loudnessReadout = new AnimationFrameController(this, (now) => {
    const l = this.loudness?.();
    const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) || v < -70 ? '—' : v.toFixed(1));
    const m = this.renderRoot.querySelector('.m');
    const s = this.renderRoot.querySelector('.s');
    if (m) m.textContent = fmt(l?.momentary);
    if (s) s.textContent = fmt(l?.shortTerm);
    // For screen readers: a meter value four times a second, not a text change per frame.
    const aria = (v: number | undefined) => {
      const shown = v === undefined || !Number.isFinite(v) || v < -70 ? null : Math.round(v * 10) / 10;
      return { 'aria-valuenow': String(shown === null ? -70 : Math.min(0, shown)), 'aria-valuetext': shown === null ? 'silent' : `${shown.toFixed(1)} LUFS` };
    };
    this.ariaM(m, now, aria(l?.momentary));
    this.ariaS(s, now, aria(l?.shortTerm));
  });
  private readonly ariaM = slowAria(250);
  private readonly ariaS = slowAria(250);

  constructor() {
    super();
    this.master = null;
    this.actions = null;
    this.meter = null;
    this.loudness = null;
    this.touchers = [];
    this.readOnly = false;
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; width: 132px; flex: none; background: #1e2229; border-left: 2px solid #0b0d10; position: relative;
      font: 10px/1.2 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    .touch { position: absolute; inset: 0; pointer-events: none; border: 2px solid transparent; z-index: 2; }
    .sec { border-bottom: 1px solid #111418; padding: 3px; display: flex; gap: 3px; align-items: center; justify-content: space-around; flex-wrap: wrap; }
    button { font: 600 10px/1 var(--mr-font, system-ui); color: #aeb6c0; background: #2b3038; border: 1px solid #3a414b; border-radius: 2px; padding: 3px 4px; cursor: pointer; }
    button[aria-pressed='true'] { background: #2f5d87; color: #fff; border-color: #4fb3ff; }
    button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); }
    mr-knob { --knob-size: 24px; }
    .lufs { display: grid; grid-template-columns: auto 1fr; gap: 2px 6px; padding: 4px 6px; font-family: var(--mr-mono, ui-monospace, monospace); border-bottom: 1px solid #111418; }
    .lufs b { color: #7fd6ff; text-align: right; font-weight: 600; }
    .faders { display: flex; justify-content: center; gap: 4px; padding: 4px 2px; flex: 1; }
    mr-meter { height: 154px; width: 18px; }
    .name { text-align: center; padding: 4px 2px; font-weight: 700; font-size: 11px; border-top: 3px solid #e8ecf1; background: #15181c; letter-spacing: 0.08em; }
  `;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.router.endAll();
  }

  override render() {
    const m = this.master;
    if (!m) return html``;
    const ro = this.readOnly;
    const touch = this.touchers[0];
    return html`
      <div class="touch" style=${touch ? `border-color:${touch.color}` : ''}></div>
      <div style="display:flex;flex-direction:column;flex:1" @control-start=${this.router.handle} @control-input=${this.router.handle}
        @control-end=${this.router.handle} @control-set=${this.router.handle}>
        <div class="sec">
          <button aria-pressed=${String(m.glue.on)} aria-label="Master glue compressor on" ?disabled=${ro}
            @click=${() => this.set('glue.on', !m.glue.on)}>GLUE</button>
          <mr-knob data-path="glue.threshold" .value=${m.glue.threshold} .min=${MIX_RANGES.glueThreshold.min} .max=${MIX_RANGES.glueThreshold.max}
            .defaultValue=${-10} .step=${0.1} unit="dB" caption="thr" label="Master glue threshold" ?disabled=${ro}></mr-knob>
          <mr-knob data-path="glue.ratio" .value=${m.glue.ratio} .min=${MIX_RANGES.glueRatio.min} .max=${MIX_RANGES.glueRatio.max}
            .defaultValue=${2} .step=${0.1} unit="ratio" caption="ratio" label="Master glue ratio" ?disabled=${ro}></mr-knob>
        </div>
        <div class="sec">
          <button aria-pressed=${String(m.limiter.on)} aria-label="Master limiter on" ?disabled=${ro}
            @click=${() => this.set('limiter.on', !m.limiter.on)}>LIMIT</button>
          <mr-knob data-path="limiter.ceiling" .value=${m.limiter.ceiling} .min=${MIX_RANGES.limiterCeiling.min}
            .max=${MIX_RANGES.limiterCeiling.max} .defaultValue=${-1} .step=${0.1} unit="dB" caption="ceiling"
            label="Master limiter ceiling" ?disabled=${ro}></mr-knob>
        </div>
        <div class="lufs" role="group" aria-label="Master loudness">
          <span aria-hidden="true">M LUFS</span><b class="m" role="meter" aria-label="Momentary loudness" aria-valuemin="-70" aria-valuemax="0"
            aria-valuenow="-70" aria-valuetext="silent">—</b>
          <span aria-hidden="true">S LUFS</span><b class="s" role="meter" aria-label="Short-term loudness" aria-valuemin="-70" aria-valuemax="0"
            aria-valuenow="-70" aria-valuetext="silent">—</b>
        </div>
        <div class="faders">
          <mr-fader data-path="gain" .value=${m.gain} .defaultValue=${0} label="Master fader" ?disabled=${ro}></mr-fader>
          <mr-meter .reader=${this.meter} label="Master peak level"></mr-meter>
        </div>
        <div class="name">MASTER</div>
      </div>
    `;
  }

  private set(path: string, value: number | boolean): void {
    this.actions?.set(REF, path, value);
  }
}

customElements.define('mr-master-strip', MrMasterStrip);
declare global {
  interface HTMLElementTagNameMap {
    'mr-master-strip': MrMasterStrip;
  }
}
