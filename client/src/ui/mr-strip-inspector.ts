import { LitElement, css, html, nothing } from 'lit';
import type { BusState, TrackState } from '@mixroom/shared/model';
import { MIX_RANGES } from '@mixroom/shared/model';
import { ControlRouter } from '../mix/edit/ControlRouter.ts';
import type { MixActions } from '../mix/edit/MixActions.ts';
import type { GainReductionReader } from '../mix/heard/MeterReader.ts';
import type { Toucher } from './mr-channel-strip.ts';
import './mr-bus-panel.ts';
import './mr-comp-panel.ts';
import './mr-gate-panel.ts';
import './mr-deess-panel.ts';
import './mr-knob.ts';
import './mr-eq-panel.ts';

/**
 * The channel editor for one strip: for a track its gate, EQ, dynamics, saturation and sends
 * (level, pre/post, on); for an aux return its effect.
 */
export class MrStripInspector extends LitElement {
  static override properties = {
    track: { attribute: false },
    bus: { attribute: false },
    auxes: { attribute: false },
    tracks: { attribute: false },
    sampleRate: { type: Number },
    actions: { attribute: false },
    gainReduction: { attribute: false },
    gateReduction: { attribute: false },
    deessReduction: { attribute: false },
    bandListening: { type: Boolean, attribute: 'band-listening' },
    touchers: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare track: TrackState | null;
  declare bus: BusState | null;
  /** Aux returns a track can send to. */
  declare auxes: readonly BusState[];
  declare tracks: readonly TrackState[];
  declare sampleRate: number;
  declare actions: MixActions | null;
  declare gainReduction: GainReductionReader | null;
  /** How far the track's gate is closed (dB). */
  declare gateReduction: GainReductionReader | null;
  /** The track's de-esser gain reduction (dB). */
  declare deessReduction: GainReductionReader | null;
  /** This listener hears the track's de-esser band alone (private monitor). */
  declare bandListening: boolean;
  declare touchers: readonly Toucher[];
  declare readOnly: boolean;

  constructor() {
    super();
    this.track = null;
    this.bus = null;
    this.auxes = [];
    this.tracks = [];
    this.sampleRate = 48000;
    this.actions = null;
    this.gainReduction = null;
    this.gateReduction = null;
    this.deessReduction = null;
    this.bandListening = false;
    this.touchers = [];
    this.readOnly = false;
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 6px; padding: 6px 8px; background: #15181c; overflow: auto; min-height: 0;
      font: 11px/1.2 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    header { display: flex; align-items: center; gap: 8px; }
    .chip { width: 10px; height: 10px; border-radius: 2px; }
    h2 { margin: 0; font-size: 12px; flex: 1; }
    .who { font-size: 10px; padding: 2px 6px; border-radius: 8px; color: #0b0d10; font-weight: 600; }
    button { font: 600 11px/1 var(--mr-font, system-ui); color: #d8dde3; background: #2b3038; border: 1px solid #3a414b; border-radius: 3px; padding: 3px 8px; cursor: pointer; }
    button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); }
    .sends { display: flex; gap: 6px; flex-wrap: wrap; background: #1b1e23; border: 1px solid #2a2f37; border-radius: 3px; padding: 4px 6px; }
    .sends h3 { margin: 0; font-size: 10px; letter-spacing: 0.08em; color: #8a939e; width: 100%; }
    .send { display: flex; align-items: center; gap: 4px; border-right: 1px solid #2a2f37; padding-right: 6px; }
    .send button { font: 600 9px/1 var(--mr-font, system-ui); padding: 2px 5px; }
    .send button[aria-pressed='true'] { background: #2f5d87; border-color: #4fb3ff; color: #fff; }
    mr-knob { --knob-size: 24px; }
  `;

  private readonly router = new ControlRouter(
    () => this.actions,
    () => (this.track ? { scope: 'track', id: this.track.id } : null),
  );

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.router.endAll();
  }

  private renderSends(t: TrackState) {
    if (this.auxes.length === 0) return nothing;
    const ro = this.readOnly;
    const ref = { scope: 'track' as const, id: t.id };
    return html`<div class="sends" role="group" aria-label="${t.name} sends" @control-start=${this.router.handle}
      @control-input=${this.router.handle} @control-end=${this.router.handle} @control-set=${this.router.handle}>
      <h3>SENDS</h3>
      ${this.auxes.map((aux) => {
        const send = t.sends.find((x) => x.bus === aux.id);
        return html`<div class="send">
          <mr-knob data-path="sends.${aux.id}.level" .value=${send?.level ?? MIX_RANGES.sendLevel.min} .min=${MIX_RANGES.sendLevel.min}
            .max=${MIX_RANGES.sendLevel.max} .step=${0.1} .defaultValue=${-12} unit="dB" caption=${aux.name}
            label="${t.name} send to ${aux.name} level" ?disabled=${ro} style="--knob-color:${aux.color}"></mr-knob>
          <button aria-pressed=${String(send?.pre ?? false)} aria-label="${t.name} send to ${aux.name} pre-fader" ?disabled=${ro}
            title="Pre-fader: the send ignores the channel fader" @click=${() => this.actions?.set(ref, `sends.${aux.id}.pre`, !(send?.pre ?? false))}>PRE</button>
          <button aria-pressed=${String(send?.on ?? false)} aria-label="${t.name} send to ${aux.name} on" ?disabled=${ro || !send}
            @click=${() => this.actions?.set(ref, `sends.${aux.id}.on`, !(send?.on ?? false))}>ON</button>
        </div>`;
      })}
    </div>`;
  }

  override render() {
    const b = this.bus;
    if (b) {
      return html`
        <header>
          <span class="chip" style="background:${b.color}"></span>
          <h2>${b.name} — ${b.kind === 'aux' ? 'aux return' : 'group bus'}</h2>
          <button aria-label="Close ${b.name} editor" @click=${() => this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }))}>✕</button>
        </header>
        <mr-bus-panel .bus=${b} .actions=${this.actions} ?read-only=${this.readOnly}></mr-bus-panel>
      `;
    }
    const t = this.track;
    if (!t) return nothing;
    return html`
      <header>
        <span class="chip" style="background:${t.color}"></span>
        <h2>${t.name} — channel editor</h2>
        ${this.touchers.map((p) => html`<span class="who" style="background:${p.color}">${p.name}: ${p.what}</span>`)}
        <button aria-label="Close ${t.name} editor" @click=${() => this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }))}>✕</button>
      </header>
      <mr-gate-panel .track=${t} .tracks=${this.tracks} .actions=${this.actions} .gainReduction=${this.gateReduction}
        ?read-only=${this.readOnly}></mr-gate-panel>
      <mr-eq-panel .track=${t} .sampleRate=${this.sampleRate} .actions=${this.actions} ?read-only=${this.readOnly}></mr-eq-panel>
      <mr-comp-panel .track=${t} .tracks=${this.tracks} .actions=${this.actions} .gainReduction=${this.gainReduction}
        ?read-only=${this.readOnly}></mr-comp-panel>
      <mr-deess-panel .track=${t} .actions=${this.actions} .gainReduction=${this.deessReduction} ?band-listening=${this.bandListening}
        ?read-only=${this.readOnly}></mr-deess-panel>
      ${this.renderSends(t)}
    `;
  }
}

customElements.define('mr-strip-inspector', MrStripInspector);
declare global {
  interface HTMLElementTagNameMap {
    'mr-strip-inspector': MrStripInspector;
  }
}
