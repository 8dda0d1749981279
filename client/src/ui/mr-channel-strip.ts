import { LitElement, css, html, nothing } from 'lit';
import type { BusState, SendState, TrackState } from '@mixroom/shared/model';
import { MIX_RANGES } from '@mixroom/shared/model';
import { ControlRouter } from '../mix/edit/ControlRouter.ts';
import type { MixActions, StripRef } from '../mix/edit/MixActions.ts';
import { AnimationFrameController } from '../lit/AnimationFrameController.ts';
import type { GainReductionReader, MeterReader } from '../mix/heard/MeterReader.ts';
import './mr-fader.ts';
import './mr-knob.ts';
import './mr-meter.ts';
import { listenButton } from './help/listenButton.ts';

/** A person touching one of this strip's controls right now. */
export interface Toucher {
  name: string;
  color: string;
  /** The control they hold in words, e.g. `fader` or `EQ band 2 gain` (see describeControl). */
  what: string;
}

export interface StripEditDetail {
  ref: StripRef;
  panel: 'eq' | 'comp';
}

/**
 * One console channel strip for a track or a bus: trim and polarity, EQ/dynamics access,
 * saturation, sends, pan, mute/solo/listen, fader with meter. Every control is named for
 * screen readers as "<strip name> <control>". It writes only through `actions`.
 */
export class MrChannelStrip extends LitElement {
  static override properties = {
    strip: { attribute: false },
    kind: { type: String, reflect: true },
    auxes: { attribute: false },
    actions: { attribute: false },
    touchers: { attribute: false },
    meter: { attribute: false },
    gainReduction: { attribute: false },
    gateReduction: { attribute: false },
    deessReduction: { attribute: false },
    listening: { type: Boolean, reflect: true },
    readOnly: { type: Boolean, attribute: 'read-only' },
    selected: { type: Boolean, reflect: true },
    outputs: { attribute: false },
    renaming: { state: true },
    silenced: { type: Boolean, reflect: true },
  };

  declare strip: TrackState | BusState | null;
  declare kind: 'track' | 'bus';
  declare auxes: readonly BusState[];
  declare actions: MixActions | null;
  declare touchers: readonly Toucher[];
  declare meter: MeterReader | null;
  declare gainReduction: GainReductionReader | null;
  /** How far the track's gate is closed (dB): its switch lights while the gate is open. */
  declare gateReduction: GainReductionReader | null;
  /** The track's de-esser reduction (dB): its DS switch shows it as a bar. */
  declare deessReduction: GainReductionReader | null;
  declare listening: boolean;
  declare readOnly: boolean;
  declare selected: boolean;
  /** Possible output targets (group buses) besides master. */
  declare outputs: readonly BusState[];
  declare renaming: boolean;
  /** Implicitly muted because another strip is soloed (shown dimmed, like a console's solo-mute). */
  declare silenced: boolean;
  private readonly router = new ControlRouter(
    () => this.actions,
    () => (this.strip ? this.ref : null),
  );
  /** Keeps the gain-reduction bar moving without re-rendering the strip. */
  private readonly grMeter = new AnimationFrameController(this, () => {
    const bar = this.renderRoot.querySelector<HTMLElement>('.gr i');
    if (bar && this.gainReduction) bar.style.width = `${Math.min(100, (this.gainReduction() / 20) * 100)}%`;
    const gate = this.renderRoot.querySelector<HTMLElement>('button.gate');
    if (gate) gate.toggleAttribute('data-open', this.gateOn && (this.gateReduction?.() ?? 0) < 1);
    const ds = this.renderRoot.querySelector<HTMLElement>('button.ds');
    if (ds) ds.style.setProperty('--ds-gr', `${Math.min(100, ((this.deessReduction?.() ?? 0) / 12) * 100)}%`);
  });

  constructor() {
    super();
    this.strip = null;
    this.kind = 'track';
    this.auxes = [];
    this.actions = null;
    this.touchers = [];
    this.meter = null;
    this.gainReduction = null;
    this.gateReduction = null;
    this.deessReduction = null;
    this.listening = false;
    this.readOnly = false;
    this.selected = false;
    this.outputs = [];
    this.renaming = false;
    this.silenced = false;
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; align-items: stretch; width: 78px; flex: none; box-sizing: border-box;
      background: var(--mr-panel, #1b1e23); border-right: 1px solid #0b0d10; border-left: 1px solid #2a2f37;
      font: 10px/1.2 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); position: relative; }
    :host([selected]) { background: #20252c; }
    :host([silenced]) .faders, :host([silenced]) .name { opacity: 0.4; }
    :host([silenced]) button.m { border-color: #e0a030; color: #e0a030; }
    :host([kind='bus']) { background: #1a1f26; }
    .head { height: 6px; }
    .touch { position: absolute; inset: 0; pointer-events: none; border: 2px solid transparent; border-radius: 2px; z-index: 2; }
    .who { position: absolute; top: 8px; left: 2px; right: 2px; z-index: 3; display: flex; flex-direction: column; gap: 1px; pointer-events: none; }
    .who span { font-size: 9px; padding: 1px 3px; border-radius: 2px; color: #0b0d10; font-weight: 600; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
    .sec { border-bottom: 1px solid #111418; padding: 2px; display: flex; justify-content: space-around; align-items: center; gap: 2px; }
    .proc { height: 92px; display: flex; flex-direction: column; border-bottom: 1px solid #111418; box-sizing: border-box; }
    .proc .sec:last-child { border-bottom: none; }
    .pair { display: flex; gap: 2px; width: 100%; align-items: center; }
    mr-knob.tiny { --knob-size: 16px; flex-direction: row; gap: 2px; }
    .sec.col { flex-direction: column; }
    button { font: 600 10px/1 var(--mr-font, system-ui, sans-serif); color: #aeb6c0; background: #2b3038; border: 1px solid #3a414b;
      border-radius: 2px; padding: 3px 0; min-width: 20px; cursor: pointer; flex: 1; }
    button:hover { background: #343a44; }
    button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
    button[aria-pressed='true'].m { background: #e0a030; color: #111; border-color: #e0a030; }
    button[aria-pressed='true'].s { background: #e6d23a; color: #111; border-color: #e6d23a; }
    button[aria-pressed='true'].l { background: #3ecf8e; color: #111; border-color: #3ecf8e; }
    button[aria-pressed='true'].on { background: #2f5d87; color: #fff; border-color: #4fb3ff; }
    button[aria-pressed='true'].pol { background: #7a4fd0; color: #fff; border-color: #9b7bff; }
    button[aria-pressed='true'].law { background: #2f5d87; color: #fff; border-color: #4fb3ff; }
    button.law { flex: 0 0 auto; min-width: 26px; font-size: 9px; align-self: center; }
    button:disabled { opacity: 0.5; cursor: default; }
    button.gate[data-open] { box-shadow: inset 0 -3px 0 #3ecf8e; }
    button.ds { position: relative; }
    button.ds::after { content: ''; position: absolute; left: 0; bottom: 0; height: 3px; width: var(--ds-gr, 0%); background: #e0a030; }
    .gr { width: 100%; height: 3px; background: #0b0d10; margin-top: 2px; position: relative; }
    .gr i { position: absolute; right: 0; top: 0; bottom: 0; background: #e0a030; }
    .faders { display: flex; justify-content: center; gap: 3px; padding: 3px 2px 2px; flex: 1; align-items: flex-start; }
    mr-meter { height: 154px; width: 10px; margin-top: 0; }
    .sends { display: grid; grid-template-columns: 1fr 1fr; gap: 1px; padding: 2px; border-bottom: 1px solid #111418; height: 44px; box-sizing: border-box; overflow: hidden; }
    /* Two lines of 11 px: "Lead vocal double" reads whole in a 74 px strip. */
    .name { text-align: center; padding: 2px 2px; font-weight: 600; font-size: 11px; line-height: 12px; height: 24px; display: flex; align-items: center;
      justify-content: center; overflow-wrap: anywhere; hyphens: auto; overflow: hidden; border-top: 3px solid var(--strip-color, #666); background: #15181c; }
    input.rename { font: 600 11px var(--mr-font, system-ui); width: 100%; box-sizing: border-box; background: #0b0d10; color: #fff;
      border: 1px solid var(--mr-accent, #4fb3ff); padding: 3px 2px; text-align: center; }
    select { width: 100%; font: 10px var(--mr-font, system-ui); background: #15181c; color: #aeb6c0; border: 1px solid #2a2f37; border-radius: 2px; }
    mr-knob { --knob-size: 26px; }
    .kind { font-size: 9px; color: #8a939e; text-align: center; text-transform: uppercase; letter-spacing: 0.05em; padding-top: 18px; height: 46px; box-sizing: border-box; }
    .kind b { color: #d8dde3; font-size: 10px; }
  `;

  private get gateOn(): boolean {
    return this.kind === 'track' && (this.strip as TrackState | null)?.gate.on === true;
  }

  private get ref(): StripRef {
    return { scope: this.kind, id: this.strip?.id ?? '' };
  }

  override render() {
    const s = this.strip;
    if (!s) return nothing;
    const name = s.name;
    const isTrack = this.kind === 'track';
    const track = isTrack ? (s as TrackState) : null;
    const ro = this.readOnly;
    const touch = this.touchers[0];
    const sends = new Map<string, SendState>(s.sends.map((x) => [x.bus, x]));
    const auxTargets = this.auxes.filter((b) => b.id !== s.id);
    // The pan law only matters for a stereo input: a bus, or a track with a stereo stem.
    const stereo = !track || (track.stem?.channels ?? 1) >= 2;
    return html`
      <div class="touch" style=${touch ? `border-color:${touch.color}` : ''}></div>
      ${this.touchers.length
        ? html`<div class="who" aria-live="polite">
            ${this.touchers.map((t) => html`<span style="background:${t.color}" title="${t.name} is adjusting ${name} ${t.what}">${t.name}</span>`)}
          </div>`
        : nothing}
      <div class="head" style="background:${s.color}"></div>
      <div
        @control-start=${this.router.handle}
        @control-input=${this.router.handle}
        @control-end=${this.router.handle}
        @control-set=${this.router.handle}
        style="display:flex;flex-direction:column;flex:1"
      >
        <div class="proc">
        ${track
          ? html`<div class="sec">
              <mr-knob data-path="trim" .value=${track.trim} .min=${MIX_RANGES.trim.min} .max=${MIX_RANGES.trim.max} .defaultValue=${0}
                .step=${0.1} unit="dB" label="${name} input trim" ?disabled=${ro} style="--knob-size:20px"></mr-knob>
              <button class="pol" aria-pressed=${String(track.polarity)} aria-label="${name} polarity invert" title="Polarity invert"
                ?disabled=${ro} @click=${() => this.set('polarity', !track.polarity)}>Ø</button>
              <button class="on gate" aria-pressed=${String(track.gate.on)} aria-label="${name} gate on" title="Gate on/off (lit while open)"
                ?disabled=${ro} @click=${() => this.set('gate.on', !track.gate.on)}>G</button>
            </div>
            <div class="sec col">
              <div class="pair">
                <button class="on" aria-pressed=${String(this.selected)} aria-label="${name} EQ and dynamics editor" title="Open the EQ / dynamics editor"
                  @click=${() => this.edit('eq')}>EQ</button>
                <button class="on" aria-pressed=${String(track.comp.on)} aria-label="${name} compressor on" title="Compressor on/off"
                  ?disabled=${ro} @click=${() => this.set('comp.on', !track.comp.on)}>CMP</button>
                <button class="on ds" aria-pressed=${String(track.deess.on)} aria-label="${name} de-esser on" title="De-esser on/off (the bar: its reduction)"
                  ?disabled=${ro} @click=${() => this.set('deess.on', !track.deess.on)}>DS</button>
              </div>
              <div class="gr" aria-hidden="true" title="Gain reduction"><i style="width:0"></i></div>
              <div class="pair">
                <button class="on" aria-pressed=${String(track.sat.on)} aria-label="${name} saturation on" title="Saturation on/off"
                  ?disabled=${ro} @click=${() => this.set('sat.on', !track.sat.on)}>SAT</button>
                <mr-knob data-path="sat.drive" .value=${track.sat.drive} .min=${MIX_RANGES.satDrive.min} .max=${MIX_RANGES.satDrive.max}
                  .defaultValue=${0} .step=${0.1} unit="dB" label="${name} saturation drive" ?disabled=${ro} class="tiny" compact></mr-knob>
              </div>
            </div>`
          : html`<div class="kind">${(s as BusState).kind === 'aux' ? 'AUX RETURN' : 'GROUP'}<br /><b>${(s as BusState).effect?.type ?? ''}</b></div>
              ${(s as BusState).effect
                ? html`<div class="sec"><button class="on" aria-pressed=${String(this.selected)} aria-label="${name} effect editor"
                    title="Edit the return's effect" @click=${() => this.edit('eq')}>FX</button></div>`
                : nothing}`}
        </div>
        <div class="sends" role="group" aria-label="${name} sends">
          ${auxTargets.map((aux) => {
            const send = sends.get(aux.id);
            return html`<mr-knob data-path="sends.${aux.id}.level" .value=${send?.level ?? MIX_RANGES.sendLevel.min}
              .min=${MIX_RANGES.sendLevel.min} .max=${MIX_RANGES.sendLevel.max} .defaultValue=${-12} .step=${0.1} unit="dB"
              caption=${aux.name.slice(0, 6)} label="${name} send to ${aux.name}" ?disabled=${ro}
              style="--knob-size:18px;--knob-color:${aux.color}"></mr-knob>`;
          })}
        </div>
        <div class="sec">
          <mr-knob data-path="pan" .value=${s.pan} .min=${-1} .max=${1} .defaultValue=${0} .step=${0.01} unit="pan"
            label="${name} pan" ?disabled=${ro} style="--knob-size:22px"></mr-knob>
          ${stereo
            ? html`<button class="law" aria-pressed=${String(s.panLaw === 'balance')} aria-label="${name} stereo pan as balance" ?disabled=${ro}
                title=${s.panLaw === 'balance'
                  ? 'Pan law: balance. Panning turns the other side down and never raises the level. Click for the Web Audio law.'
                  : 'Pan law: Web Audio (folds one side into the other: hard left on equal channels is +3 LU, +6 dB peak). Click for balance.'}
                @click=${() => this.set('panLaw', s.panLaw === 'balance' ? 'webaudio' : 'balance')}>BAL</button>`
            : nothing}
        </div>
        <div class="sec">
          <button class="m" aria-pressed=${String(s.mute)} aria-label="${name} mute" ?disabled=${ro}
            title=${this.silenced ? 'Muted by another strip\'s solo' : 'Mute (M)'}
            @click=${() => this.set('mute', !s.mute)}>M</button>
          <button class="s" aria-pressed=${String(s.solo)} aria-label="${name} solo" title="Solo (S)" ?disabled=${ro}
            @click=${() => this.set('solo', !s.solo)}>S</button>
          ${listenButton(name, this.listening, () => this.toggleListen())}
        </div>
        <div class="faders">
          <mr-fader data-path="gain" .value=${s.gain} .defaultValue=${0} label="${name} fader" ?disabled=${ro}></mr-fader>
          <mr-meter .reader=${this.meter} label="${name} level"></mr-meter>
        </div>
        ${this.outputs.length
          ? html`<select aria-label="${name} output" ?disabled=${ro} @change=${(e: Event) => this.set('output', (e.target as HTMLSelectElement).value)}>
              <option value="master" ?selected=${s.output === 'master'}>Master</option>
              ${this.outputs.filter((o) => o.id !== s.id).map((o) => html`<option value=${o.id} ?selected=${s.output === o.id}>${o.name}</option>`)}
            </select>`
          : nothing}
        ${this.renaming
          ? html`<input class="rename" aria-label="New name for ${name}" .value=${name} maxlength="100"
              @keydown=${this.onRenameKey} @blur=${this.commitRename} />`
          : html`<div class="name" style="--strip-color:${s.color}" title="${name} (double-click to rename)"
              @dblclick=${() => !ro && this.startRename()}>${name}</div>`}
      </div>
    `;
  }

  override updated(): void {
    this.style.setProperty('--strip-color', this.strip?.color ?? '#666');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.router.endAll();
  }

  private set(path: string, value: number | boolean | string): void {
    if (this.strip && this.actions) this.actions.set(this.ref, path, value);
  }

  private startRename(): void {
    this.renaming = true;
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>('input.rename');
      input?.focus();
      input?.select();
    });
  }

  private onRenameKey(e: KeyboardEvent): void {
    e.stopPropagation(); // typing a name must not trigger M/S/L/space shortcuts
    if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
    else if (e.key === 'Escape') this.renaming = false;
  }

  private readonly commitRename = (e: Event): void => {
    if (!this.renaming) return;
    this.renaming = false;
    const name = (e.target as HTMLInputElement).value.trim();
    if (this.strip && this.actions && name && name !== this.strip.name) this.actions.rename(this.ref, name);
  };

  private edit(panel: 'eq' | 'comp'): void {
    this.dispatchEvent(new CustomEvent<StripEditDetail>('strip-edit', { detail: { ref: this.ref, panel }, bubbles: true, composed: true }));
  }

  private toggleListen(): void {
    this.dispatchEvent(new CustomEvent<{ id: string }>('listen-toggle', { detail: { id: this.strip?.id ?? '' }, bubbles: true, composed: true }));
  }
}

customElements.define('mr-channel-strip', MrChannelStrip);
declare global {
  interface HTMLElementTagNameMap {
    'mr-channel-strip': MrChannelStrip;
  }
}
