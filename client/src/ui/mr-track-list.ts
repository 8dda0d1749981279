import { LitElement, css, html, nothing } from 'lit';
import type { AutomationLane, AutomationLanes, BusState, MixState, TrackState } from '@mixroom/shared/model';
import { AnimationFrameController } from '../lit/AnimationFrameController.ts';
import type { MixActions } from '../mix/edit/MixActions.ts';
import { listenButton } from './help/listenButton.ts';
import type { LoopRange } from '../transport/Transport.ts';
import type { CommentMarker } from '../review/CommentMarker.ts';
import type { PeakLane } from '../stems/PeakLane.ts';
import { formatTimecode } from '../review/formatReview.ts';
import type { LaneChoices } from '../automation/LaneChoices.ts';
import type { LaneEditActions } from '../automation/LaneEditActions.ts';
import { automatablePaths, laneParamOf } from '../automation/laneParam.ts';
import { describeParam } from '../mix/edit/describeControl.ts';
import type { StripRef } from '../mix/edit/MixActions.ts';
import type { LanePickerItem, LaneShowDetail } from './automation/mr-lane-picker.ts';
import type { LaneModeDetail } from './automation/mr-automation-lane.ts';
import './automation/mr-automation-lane.ts';
import './automation/mr-lane-picker.ts';
import './mr-timeline.ts';
import './mr-waveform.ts';

const HEADER_W = 168;
const ROW_H = 36;

/** A playhead to draw: the local one and each peer's. */
export interface PlayheadMark {
  key: string;
  name: string;
  color: string;
  time: number;
}

/**
 * The arrange view: a ruler and one lane per track with its waveform, zoomable
 * (Ctrl/Cmd-wheel or the +/- buttons) and scrollable, with every person's playhead; under
 * the tracks a row per bus and the master, and under any strip the automation lanes this
 * person shows. Click a lane or the ruler to seek; a row is focusable so M/S act on it.
 */
export class MrTrackList extends LitElement {
  static override properties = {
    tracks: { attribute: false },
    peaks: { attribute: false },
    loadProgress: { attribute: false },
    duration: { type: Number },
    tempo: { attribute: false },
    loop: { attribute: false },
    loopEnabled: { attribute: false },
    markers: { attribute: false },
    playheads: { attribute: false },
    actions: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
    listening: { attribute: false },
    focusedTrack: { attribute: false },
    readOnlyComments: { type: Boolean, attribute: 'read-only-comments' },
    mix: { attribute: false },
    choices: { attribute: false },
    laneEdits: { attribute: false },
    position: { attribute: false },
    pxPerSecond: { state: true },
    scrollLeftPx: { state: true },
    viewWidth: { state: true },
    selection: { state: true },
  };

  declare tracks: readonly TrackState[];
  declare peaks: ReadonlyMap<string, readonly PeakLane[]>;
  declare loadProgress: ReadonlyMap<string, number>;
  declare duration: number;
  declare tempo: number | null;
  declare loop: LoopRange | null;
  declare loopEnabled: boolean;
  declare markers: readonly CommentMarker[];
  /** Read once per frame; the first entry is drawn as the local playhead. */
  declare playheads: (() => readonly PlayheadMark[]) | null;
  declare actions: MixActions | null;
  declare readOnly: boolean;
  declare listening: ReadonlySet<string>;
  declare focusedTrack: string | null;
  /** This person cannot comment (a listener): a selection offers only the loop. */
  declare readOnlyComments: boolean;
  /** The whole mix (lanes of the master, names of the buses sends go to). */
  declare mix: MixState | null;
  /** This person's lanes shown and arming (local, never shared). */
  declare choices: LaneChoices | null;
  declare laneEdits: LaneEditActions | null;
  /** The local playhead, read per frame by the lanes' value readouts. */
  declare position: (() => number) | null;
  declare pxPerSecond: number;
  declare scrollLeftPx: number;
  declare viewWidth: number;
  /** A time range dragged across the waveforms: comment on it, or loop it. */
  declare selection: { start: number; end: number } | null;
  private selecting: { from: number; x: number; pointerId: number } | null = null;
  private resize = new ResizeObserver(() => this.measure());
  private readonly playheadLoop = new AnimationFrameController(this, () => this.drawPlayheads());

  constructor() {
    super();
    this.tracks = [];
    this.peaks = new Map();
    this.loadProgress = new Map();
    this.duration = 0;
    this.tempo = null;
    this.loop = null;
    this.loopEnabled = false;
    this.markers = [];
    this.playheads = null;
    this.actions = null;
    this.readOnly = false;
    this.listening = new Set();
    this.focusedTrack = null;
    this.readOnlyComments = false;
    this.mix = null;
    this.choices = null;
    this.laneEdits = null;
    this.position = null;
    this.pxPerSecond = 8;
    this.scrollLeftPx = 0;
    this.viewWidth = 800;
    this.selection = null;
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; background: #121417; position: relative;
      font: 11px/1.2 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    .top { display: flex; height: 34px; flex: none; }
    .corner { width: ${HEADER_W}px; flex: none; display: flex; align-items: center; gap: 4px; padding: 0 6px; box-sizing: border-box;
      background: #15181c; border-bottom: 1px solid #0b0d10; border-right: 1px solid #0b0d10; }
    .corner button { font: 600 11px/1 var(--mr-font, system-ui); background: #2b3038; color: #aeb6c0; border: 1px solid #3a414b; border-radius: 2px; width: 22px; height: 20px; cursor: pointer; }
    .corner span { color: #8a939e; font-size: 10px; }
    mr-timeline { flex: 1; }
    .scroller { flex: 1; overflow: auto; position: relative; min-height: 0; }
    .content { position: relative; }
    .row { display: flex; height: ${ROW_H}px; border-bottom: 1px solid #0b0d10; }
    .row:focus { outline: none; }
    .row:focus-visible .hdr, .row.focused .hdr { background: #262c35; box-shadow: inset 2px 0 0 var(--mr-accent, #4fb3ff); }
    .hdr { position: sticky; left: 0; z-index: 2; width: ${HEADER_W}px; flex: none; box-sizing: border-box; background: #1b1e23;
      border-right: 1px solid #0b0d10; display: flex; align-items: center; gap: 4px; padding: 0 6px 0 0; }
    .chip { width: 4px; align-self: stretch; }
    /* One line each, cut with an ellipsis (the full name is the title and the row's label): wrapped names ran over the stem line. */
    .nm { flex: 1; min-width: 0; overflow: hidden; font-weight: 600; line-height: 12px; white-space: nowrap; text-overflow: ellipsis; }
    .sub { color: #8a939e; font-size: 9px; font-weight: 400; display: block; overflow: hidden; text-overflow: ellipsis; }
    .hdr button { font: 700 10px/1 var(--mr-font, system-ui); width: 20px; height: 18px; border-radius: 2px; border: 1px solid #3a414b;
      background: #2b3038; color: #aeb6c0; cursor: pointer; padding: 0; }
    .hdr button[aria-pressed='true'].m { background: #e0a030; color: #111; }
    .hdr button[aria-pressed='true'].s { background: #e6d23a; color: #111; }
    .hdr button[aria-pressed='true'].l { background: #3ecf8e; color: #111; }
    .lane { position: sticky; left: ${HEADER_W}px; flex: none; background: #15181c; cursor: text; }
    .lane mr-waveform { height: 100%; }
    .ph { position: absolute; top: 0; bottom: 0; width: 0; border-left: 1px solid; pointer-events: none; z-index: 3; will-change: transform; }
    .ph span { position: absolute; top: 0; left: 2px; font-size: 9px; padding: 0 3px; border-radius: 2px; color: #0b0d10; white-space: nowrap; font-weight: 600; }
    .overlay { position: absolute; top: 0; bottom: 0; left: ${HEADER_W}px; right: 0; pointer-events: none; overflow: hidden; }
    .empty { padding: 24px; color: #8a939e; }
    .sel { position: absolute; top: 0; bottom: 0; background: #ffb34722; border-left: 1px solid #ffb347; border-right: 1px solid #ffb347; }
    .selbar { position: absolute; bottom: 8px; z-index: 4; display: flex; gap: 6px; align-items: center; padding: 4px 6px; background: #1b1e23;
      border: 1px solid #ffb347; border-radius: 4px; box-shadow: 0 4px 14px #000a; font-size: 11px; white-space: nowrap; }
    .selbar button { font: 600 11px/1 var(--mr-font, system-ui); color: #d8dde3; background: #2b3038; border: 1px solid #3a414b; border-radius: 3px;
      padding: 4px 8px; cursor: pointer; }
    .selbar button.go { background: #5a4217; border-color: #ffb347; }
    .corner button:focus-visible, .hdr button:focus-visible, .selbar button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.unwatchChoices?.();
    this.unwatchChoices = null;
    this.watched = null;
  }

  /** Lane choices change outside lit's view of properties: re-render on each. */
  private unwatchChoices: (() => void) | null = null;
  private watched: LaneChoices | null = null;
  private watchChoices(): void {
    if (this.watched === this.choices && (this.unwatchChoices || !this.choices)) return;
    this.unwatchChoices?.();
    this.watched = this.choices;
    this.unwatchChoices = this.choices?.onChange(() => this.requestUpdate()) ?? null;
  }

  private measure(): void {
    const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
    if (scroller) this.viewWidth = Math.max(100, scroller.clientWidth - HEADER_W);
  }

  private get start(): number {
    return this.scrollLeftPx / this.pxPerSecond;
  }

  override render() {
    const total = Math.max(this.duration, 10) * this.pxPerSecond + 40;
    return html`
      <div class="top">
        <div class="corner">
          <button aria-label="Zoom out" title="Zoom out (Ctrl/Cmd + wheel)" @click=${() => this.zoom(1 / 1.5)}>−</button>
          <button aria-label="Zoom in" title="Zoom in (Ctrl/Cmd + wheel)" @click=${() => this.zoom(1.5)}>+</button>
          <button aria-label="Zoom to fit" title="Fit the song" @click=${this.fit}>↔</button>
          <span>${this.tracks.length} tracks</span>
        </div>
        <mr-timeline .start=${this.start} .width=${this.viewWidth} .pxPerSecond=${this.pxPerSecond} .duration=${this.duration}
          .tempo=${this.tempo} .loop=${this.loop} .loopEnabled=${this.loopEnabled} .markers=${this.markers}></mr-timeline>
      </div>
      <div class="scroller" @scroll=${this.onScroll} @wheel=${this.onWheel}>
        <div class="content" style="width:${HEADER_W + total}px">
          ${this.tracks.length === 0 ? html`<div class="empty">No tracks yet: upload stems to start mixing.</div>` : nothing}
          ${this.tracks.map((t) => html`${this.renderRow(t)}${this.renderLanes({ scope: 'track', id: t.id }, t.name, t.color, t)}`)}
          ${this.mix && this.tracks.length ? this.renderBusAndMasterRows(this.mix) : nothing}
        </div>
      </div>
      <div class="overlay" style="top:0">${this.renderSelection()}<div class="ph-host"></div></div>
      ${this.renderSelectionBar()}
    `;
  }

  private renderSelection() {
    const sel = this.selection;
    if (!sel) return nothing;
    const x = (sel.start - this.start) * this.pxPerSecond;
    return html`<div class="sel" style="left:${x}px;width:${Math.max(1, (sel.end - sel.start) * this.pxPerSecond)}px"></div>`;
  }

  private renderSelectionBar() {
    const sel = this.selection;
    if (!sel || this.selecting) return nothing;
    const x = Math.min(Math.max(HEADER_W + 4, HEADER_W + (sel.start - this.start) * this.pxPerSecond), HEADER_W + this.viewWidth - 330);
    const span = `${formatTimecode(sel.start)} – ${formatTimecode(sel.end)}`;
    return html`<div class="selbar" role="group" aria-label="Selected range ${span}" style="left:${Math.max(4, x)}px">
      <span>${span}</span>
      ${this.readOnlyComments
        ? nothing
        : html`<button class="go" data-testid="range-comment" @click=${() => this.commentOnSelection()}>Comment on this range</button>`}
      <button @click=${() => this.loopSelection()}>Loop it</button>
      <button aria-label="Clear the selection" @click=${() => (this.selection = null)}>✕</button>
    </div>`;
  }

  private commentOnSelection(): void {
    const sel = this.selection;
    if (!sel) return;
    this.selection = null;
    this.emit('comment-range', { start: sel.start, end: sel.end });
  }

  private loopSelection(): void {
    const sel = this.selection;
    if (!sel) return;
    this.selection = null;
    this.emit('loop-change', { range: { start: sel.start, end: sel.end } });
  }

  private renderRow(t: TrackState) {
    const ro = this.readOnly;
    const listening = this.listening.has(t.id);
    const stem = t.stem;
    const sub = stem ? `${stem.channels === 1 ? 'mono' : `${stem.channels} ch`} · ${Math.round(stem.sampleRate / 100) / 10} kHz` : 'no audio';
    return html`<div class="row ${this.focusedTrack === t.id ? 'focused' : ''}" tabindex="0" role="group" aria-label="Track ${t.name}"
        data-track=${t.id} @focus=${() => this.emit('track-focus', { id: t.id })}>
      <div class="hdr">
        <div class="chip" style="background:${t.color}"></div>
        <div class="nm" title=${t.name}>${t.name}<span class="sub">${sub}</span></div>
        <button class="m" aria-pressed=${String(t.mute)} aria-label="${t.name} mute" ?disabled=${ro}
          @click=${() => this.actions?.set({ scope: 'track', id: t.id }, 'mute', !t.mute)}>M</button>
        <button class="s" aria-pressed=${String(t.solo)} aria-label="${t.name} solo" ?disabled=${ro}
          @click=${() => this.actions?.set({ scope: 'track', id: t.id }, 'solo', !t.solo)}>S</button>
        ${listenButton(t.name, listening, () => this.emit('listen-toggle', { id: t.id }))}
        ${this.renderPicker({ scope: 'track', id: t.id }, t.name, t)}
      </div>
      <div class="lane" style="width:${this.viewWidth}px" @pointerdown=${this.onLaneDown}>
        <mr-waveform .peaks=${this.peaks.get(t.id) ?? []} .start=${this.start} .pxPerSecond=${this.pxPerSecond} color=${t.color}
          .loaded=${this.loadProgress.get(t.id) ?? 1}></mr-waveform>
      </div>
    </div>`;
  }

  /** Under the tracks, in the console's order: the group buses, the aux returns, then the master. */
  private renderBusAndMasterRows(mix: MixState) {
    const buses = [...mix.buses.filter((b) => b.kind === 'group'), ...mix.buses.filter((b) => b.kind === 'aux')];
    return html`${buses.map((b) => this.renderStripRow({ scope: 'bus', id: b.id }, b.name, b.color, busWords(b), b))}
      ${this.renderStripRow({ scope: 'master', id: 'master' }, 'Master', '#e8ecf1', null, mix.master)}`;
  }

  /** A bus's or the master's own row: only its lane picker (it has no waveform), its lanes below it. */
  private renderStripRow(ref: StripRef, name: string, color: string, sub: string | null, state: { automation: AutomationLanes }) {
    const label = ref.scope === 'master' ? 'Master' : `Bus ${name}`;
    return html`<div class="row ${ref.scope}" role="group" aria-label=${label} data-strip="${ref.scope}:${ref.id}">
        <div class="hdr"><div class="chip" style="background:${color}"></div>
          <div class="nm" title=${name}>${name}${sub ? html`<span class="sub">${sub}</span>` : nothing}</div>${this.renderPicker(ref, name, state)}</div>
        <div class="lane" style="width:${this.viewWidth}px"></div>
      </div>
      ${this.renderLanes(ref, name, color, state)}`;
  }

  private laneName(strip: StripRef, name: string, path: string): string {
    return `${name} ${describeParam(this.mix, path, strip.scope === 'bus' ? strip.id : undefined)}`;
  }

  private renderPicker(strip: StripRef, name: string, state: { automation: AutomationLanes }) {
    if (!this.choices || !this.mix) return nothing;
    const lanes = state.automation;
    const items: LanePickerItem[] = automatablePaths(strip.scope, strip.id, this.mix).map((path) => ({
      path,
      label: describeParam(this.mix, path),
      shown: this.choices!.isShown(strip, path),
      active: (lanes[path]?.points.length ?? 0) > 0,
    }));
    return html`<mr-lane-picker .strip=${strip} name=${name} .items=${items}
      @lane-show=${(e: CustomEvent<LaneShowDetail>) => this.choices?.setShown(e.detail.strip, e.detail.path, e.detail.shown)}></mr-lane-picker>`;
  }

  private renderLanes(strip: StripRef, name: string, color: string, state: { automation: AutomationLanes }) {
    const choices = this.choices;
    if (!choices || !this.mix) return nothing;
    const shown = choices.shownLanes(strip);
    if (shown.length === 0) return nothing;
    const valid = new Set(automatablePaths(strip.scope, strip.id, this.mix));
    const lanes = state.automation;
    const empty: AutomationLane = { points: [] };
    return shown.map((path) => {
      const param = laneParamOf(strip.scope, path);
      if (!param || !valid.has(path)) return nothing;
      return html`<mr-automation-lane .strip=${strip} .param=${param} .lane=${lanes[path] ?? empty} name=${this.laneName(strip, name, path)}
        color=${color} .start=${this.start} .pxPerSecond=${this.pxPerSecond} .width=${this.viewWidth} .tempo=${this.tempo}
        ?read-only=${this.readOnly} mode=${choices.mode(strip, path)} .edits=${this.laneEdits} .position=${this.position}
        data-lane="${strip.scope}:${strip.id}:${path}"
        @lane-mode=${(e: CustomEvent<LaneModeDetail>) => choices.setMode(e.detail.strip, e.detail.path, e.detail.mode)}
        @lane-hide=${(e: CustomEvent<{ strip: StripRef; path: string }>) => choices.setShown(e.detail.strip, e.detail.path, false)}></mr-automation-lane>`;
    });
  }

  private drawPlayheads(): void {
    const host = this.renderRoot.querySelector<HTMLElement>('.ph-host');
    if (!host || !this.playheads) return;
    const marks = this.playheads();
    while (host.children.length < marks.length) {
      const div = document.createElement('div');
      div.className = 'ph';
      div.appendChild(document.createElement('span'));
      host.appendChild(div);
    }
    while (host.children.length > marks.length) host.lastElementChild!.remove();
    marks.forEach((m, i) => {
      const div = host.children[i] as HTMLElement;
      const x = (m.time - this.start) * this.pxPerSecond;
      div.style.transform = `translateX(${x}px)`;
      div.style.height = `${this.clientHeight}px`;
      div.style.borderColor = m.color;
      div.style.display = x < -2 || x > this.viewWidth + 2 ? 'none' : '';
      div.dataset['key'] = m.key;
      const label = div.firstElementChild as HTMLElement;
      label.textContent = i === 0 ? '' : m.name;
      label.style.background = m.color;
      label.style.display = i === 0 ? 'none' : '';
    });
  }

  private onScroll(e: Event): void {
    this.scrollLeftPx = (e.target as HTMLElement).scrollLeft;
  }

  private onWheel(e: WheelEvent): void {
    if (!(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    this.zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2);
  }

  private zoom(factor: number): void {
    const centre = this.start + this.viewWidth / this.pxPerSecond / 2;
    this.pxPerSecond = Math.min(2000, Math.max(0.5, this.pxPerSecond * factor));
    this.updateComplete.then(() => {
      const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
      if (scroller) scroller.scrollLeft = Math.max(0, centre * this.pxPerSecond - this.viewWidth / 2);
    });
  }

  private fit(): void {
    if (this.duration > 0) this.pxPerSecond = Math.max(0.5, (this.viewWidth - 20) / this.duration);
    const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
    if (scroller) scroller.scrollLeft = 0;
  }

  /** Fits the song the first time a duration is known, so a fresh room shows everything. */
  private fitted = false;
  override updated(changed: Map<string, unknown>): void {
    this.watchChoices();
    if (changed.has('duration') && this.duration > 0 && !this.fitted) {
      this.fitted = true;
      this.measure();
      this.fit();
    }
  }

  private timeAtX(lane: HTMLElement, clientX: number): number {
    const rect = lane.getBoundingClientRect();
    const t = Math.max(0, this.start + (clientX - rect.left) / this.pxPerSecond);
    return this.duration > 0 ? Math.min(t, this.duration) : t;
  }

  /** A click seeks; a drag across the waveforms selects a range (comment on it, or loop it). */
  private onLaneDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    const lane = e.currentTarget as HTMLElement;
    const time = this.timeAtX(lane, e.clientX);
    this.emit('seek', { time });
    this.selection = null;
    this.selecting = { from: time, x: e.clientX, pointerId: e.pointerId };
    lane.setPointerCapture?.(e.pointerId);
    lane.onpointermove = (ev) => {
      const s = this.selecting;
      if (!s || ev.pointerId !== s.pointerId || Math.abs(ev.clientX - s.x) < 4) return;
      const t = this.timeAtX(lane, ev.clientX);
      this.selection = { start: Math.min(s.from, t), end: Math.max(s.from, t) };
    };
    lane.onpointerup = lane.onpointercancel = (ev) => {
      if (!this.selecting || ev.pointerId !== this.selecting.pointerId) return;
      this.selecting = null;
      lane.onpointermove = lane.onpointerup = lane.onpointercancel = null;
      // A range shorter than a tenth of a second is a click.
      if (this.selection && this.selection.end - this.selection.start < 0.1) this.selection = null;
      this.requestUpdate();
    };
  }

  private emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

/** What a bus is, under its name. */
function busWords(bus: BusState): string {
  return bus.kind === 'group' ? 'group bus' : `aux return · ${bus.effect?.type ?? 'effect'}`;
}

customElements.define('mr-track-list', MrTrackList);
declare global {
  interface HTMLElementTagNameMap {
    'mr-track-list': MrTrackList;
  }
}
