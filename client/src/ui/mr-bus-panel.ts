import { LitElement, css, html, nothing } from 'lit';
import type { BusState } from '@mixroom/shared/model';
import { MIX_RANGES } from '@mixroom/shared/model';
import { ControlRouter } from '../mix/edit/ControlRouter.ts';
import type { MixActions } from '../mix/edit/MixActions.ts';
import './mr-knob.ts';

/** The editor of an aux return's effect: reverb (decay, pre-delay, damping) or delay (time, feedback, damping). */
export class MrBusPanel extends LitElement {
  static override properties = {
    bus: { attribute: false },
    actions: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare bus: BusState | null;
  declare actions: MixActions | null;
  declare readOnly: boolean;
  private readonly router = new ControlRouter(
    () => this.actions,
    () => (this.bus ? { scope: 'bus', id: this.bus.id } : null),
  );

  constructor() {
    super();
    this.bus = null;
    this.actions = null;
    this.readOnly = false;
  }

  static override styles = css`
    :host { display: block; font: 10px/1.2 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    section { background: #1b1e23; border: 1px solid #2a2f37; border-radius: 3px; padding: 6px; display: flex; gap: 10px; align-items: flex-start; }
    label { display: flex; flex-direction: column; gap: 3px; color: #8a939e; }
    select { font: 11px var(--mr-font, system-ui); background: #15181c; color: #d8dde3; border: 1px solid #2a2f37; padding: 3px; }
    mr-knob { --knob-size: 30px; }
    p { color: #8a939e; margin: 6px 0 0; }
  `;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.router.endAll();
  }

  override render() {
    const b = this.bus;
    if (!b) return nothing;
    const ro = this.readOnly;
    const n = b.name;
    const fx = b.effect;
    if (!fx) return html`<p>${n} is a group bus: route tracks to it with their output selector.</p>`;
    return html`
      <section role="group" aria-label="${n} effect" @control-start=${this.router.handle} @control-input=${this.router.handle}
        @control-end=${this.router.handle} @control-set=${this.router.handle}>
        <label>Effect
          <select aria-label="${n} effect type" ?disabled=${ro}
            @change=${(e: Event) => this.actions?.set({ scope: 'bus', id: b.id }, 'effect.type', (e.target as HTMLSelectElement).value)}>
            <option value="reverb" ?selected=${fx.type === 'reverb'}>Reverb</option>
            <option value="delay" ?selected=${fx.type === 'delay'}>Delay</option>
          </select>
        </label>
        ${fx.type === 'reverb'
          ? html`
              <mr-knob data-path="effect.decay" .value=${fx.decay} .min=${MIX_RANGES.reverbDecay.min} .max=${MIX_RANGES.reverbDecay.max} taper="log"
                unit="s" caption="decay" .defaultValue=${1.8} label="${n} reverb decay" ?disabled=${ro}></mr-knob>
              <mr-knob data-path="effect.preDelay" .value=${fx.preDelay} .min=${MIX_RANGES.reverbPreDelay.min} .max=${MIX_RANGES.reverbPreDelay.max}
                unit="s" caption="pre-delay" .defaultValue=${0.02} label="${n} reverb pre-delay" ?disabled=${ro}></mr-knob>
              <mr-knob data-path="effect.damping" .value=${fx.damping} .min=${MIX_RANGES.effectDamping.min} .max=${MIX_RANGES.effectDamping.max} taper="log"
                unit="Hz" caption="damping" .defaultValue=${8000} label="${n} reverb damping" ?disabled=${ro}></mr-knob>`
          : html`
              <mr-knob data-path="effect.time" .value=${fx.time} .min=${MIX_RANGES.delayTime.min} .max=${MIX_RANGES.delayTime.max} taper="log"
                unit="s" caption="time" .defaultValue=${0.375} label="${n} delay time" ?disabled=${ro}></mr-knob>
              <mr-knob data-path="effect.feedback" .value=${fx.feedback} .min=${MIX_RANGES.delayFeedback.min} .max=${MIX_RANGES.delayFeedback.max}
                unit="mix" caption="feedback" .defaultValue=${0.3} label="${n} delay feedback" ?disabled=${ro}></mr-knob>
              <mr-knob data-path="effect.damping" .value=${fx.damping} .min=${MIX_RANGES.effectDamping.min} .max=${MIX_RANGES.effectDamping.max} taper="log"
                unit="Hz" caption="damping" .defaultValue=${6000} label="${n} delay damping" ?disabled=${ro}></mr-knob>`}
      </section>
    `;
  }
}

customElements.define('mr-bus-panel', MrBusPanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-bus-panel': MrBusPanel;
  }
}
