import { LitElement, css, html, nothing } from 'lit';
import type { TrackState } from '@mixroom/shared/model';
import type { MixActions } from '../controllers/MixActions.ts';
import type { GainReductionReader } from './MeterReader.ts';
import type { Toucher } from './mr-channel-strip.ts';
import './mr-comp-panel.ts';
import './mr-eq-panel.ts';

/** The editor docked beside the arrange view for one track: EQ, then dynamics and saturation. */
export class MrStripInspector extends LitElement {
  static override properties = {
    track: { attribute: false },
    tracks: { attribute: false },
    sampleRate: { type: Number },
    actions: { attribute: false },
    gainReduction: { attribute: false },
    touchers: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare track: TrackState | null;
  declare tracks: readonly TrackState[];
  declare sampleRate: number;
  declare actions: MixActions | null;
  declare gainReduction: GainReductionReader | null;
  declare touchers: readonly Toucher[];
  declare readOnly: boolean;

  constructor() {
    super();
    this.track = null;
    this.tracks = [];
    this.sampleRate = 48000;
    this.actions = null;
    this.gainReduction = null;
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
  `;

  override render() {
    const t = this.track;
    if (!t) return nothing;
    return html`
      <header>
        <span class="chip" style="background:${t.color}"></span>
        <h2>${t.name} — channel editor</h2>
        ${this.touchers.map((p) => html`<span class="who" style="background:${p.color}">${p.name}: ${p.path}</span>`)}
        <button aria-label="Close ${t.name} editor" @click=${() => this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }))}>✕</button>
      </header>
      <mr-eq-panel .track=${t} .sampleRate=${this.sampleRate} .actions=${this.actions} ?read-only=${this.readOnly}></mr-eq-panel>
      <mr-comp-panel .track=${t} .tracks=${this.tracks} .actions=${this.actions} .gainReduction=${this.gainReduction}
        ?read-only=${this.readOnly}></mr-comp-panel>
    `;
  }
}

customElements.define('mr-strip-inspector', MrStripInspector);
declare global {
  interface HTMLElementTagNameMap {
    'mr-strip-inspector': MrStripInspector;
  }
}
