import { LitElement, css, html, nothing } from 'lit';
import type { RoomSession } from '../mix/sync/RoomSession.ts';
import type { HeardMix } from '../mix/heard/HeardMix.ts';
import type { FollowMode } from '../transport/FollowMode.ts';
import type { MonitorState } from '../mix/heard/MonitorState.ts';
import type { PeerPlayheads } from '../transport/PeerPlayheads.ts';
import type { RoomTransport } from '../transport/RoomTransport.ts';
import type { CommentMarker } from '../review/CommentMarker.ts';
import type { MixerMeters } from './mr-mixer.ts';
import type { MixActions } from '../mix/edit/MixActions.ts';
import type { StemMedia } from '../stems/StemMedia.ts';
import { PresenceController } from '../mix/sync/PresenceController.ts';
import { SubscriptionController } from '../lit/SubscriptionController.ts';
import { UndoController } from '../mix/sync/UndoController.ts';
import { stripOfControl } from '../mix/edit/ControlId.ts';
import { describeParam } from '../mix/edit/describeControl.ts';
import { shortcutOf } from '../shortcuts/roomShortcuts.ts';
import type { StripEditDetail, Toucher } from './mr-channel-strip.ts';
import type { PlayheadMark } from './mr-track-list.ts';
import type { Transport, TransportSnapshot } from '../transport/Transport.ts';
import type { ConnectionStatus } from '../mix/sync/ConnectionStatus.ts';
import type { MixState } from '@mixroom/shared/model';
import { applyLaneValues } from '../automation/applyLaneValues.ts';
import { LaneFollowController } from '../automation/LaneFollowController.ts';
import type { LaneChoices } from '../automation/LaneChoices.ts';
import type { LaneEditActions } from '../automation/LaneEditActions.ts';
import './mr-connection-badge.ts';
import './mr-knob.ts';
import './mr-mixer.ts';
import './mr-presence-bar.ts';
import './mr-strip-inspector.ts';
import './mr-track-list.ts';
import './mr-transport.ts';
import './mr-undo-history.ts';
import './help/mr-shortcut-sheet.ts';
import type { MrShortcutSheet } from './help/mr-shortcut-sheet.ts';
import { HEADPHONES } from './help/listenButton.ts';

/** The private monitor knob's name: what it is, and that only this user hears it. */
const MONITOR_VOLUME = 'Monitor mix: my volume (only you hear this)';

/** Comment markers for the timeline (the review feature plugs in here). */
export interface MarkerSource {
  markers(): readonly CommentMarker[];
  onChange(listener: () => void): () => void;
}

/**
 * What this person hears when it is not the live mix (a saved version played from review):
 * the console shows it, locked, under a banner saying so.
 */
export interface HeardPlayback {
  /** The version's mix while it plays, null for the live mix. */
  state(): MixState | null;
  /** `v1 “Rough”` while a version plays, null for the live mix. */
  label(): string | null;
  /** Back to the live mix (Esc). */
  backToLive(): void;
  /** Returns the disposer. */
  onChange(listener: () => void): () => void;
}

/** Everything the room view needs, wired once in main.ts. */
export interface RoomServices {
  roomId: string;
  /** The room's title as its owner named it (null: not known, e.g. an open room). */
  roomTitle: string | null;
  session: RoomSession;
  /** The mix as heard (document + other people's drags), shared with the engine. */
  heard: HeardMix;
  actions: MixActions;
  /** This person's automation lanes shown and armed (local). */
  laneChoices: LaneChoices;
  /** Lane point edits through the shared ops (null: this build has no lane ops). */
  laneEdits: LaneEditActions | null;
  transport: RoomTransport;
  peerPlayheads: PeerPlayheads;
  follow: FollowMode;
  monitor: MonitorState;
  meters: MixerMeters;
  media: StemMedia;
  markers: MarkerSource;
  playback: HeardPlayback;
  /** AudioContext state ('suspended' until the first gesture, then 'running'). */
  audioState(): string;
  onAudioStateChange(listener: () => void): () => void;
  /** Whether this user's role may edit the mix. */
  canEdit: boolean;
  /** Whether this user's role may comment (a range dragged on the waveforms offers it). */
  canComment: boolean;
  /** Last refused edit or load failure to show the user. */
  onNotice(listener: (message: string) => void): () => void;
}

/**
 * The room: header (people, connection, undo, private monitor), transport, the arrange
 * view with waveforms and playheads, the editor for the selected strip, and the console.
 * Owns the keyboard shortcuts. Everything it shows comes from controllers bound to the
 * shared document, presence and the local transport.
 */
export class MrRoom extends LitElement {
  static override properties = {
    services: { attribute: false },
    focusedTrack: { state: true },
    selectedStrip: { state: true },
    notice: { state: true },
    showUpload: { state: true },
    mixerHidden: { state: true },
  };

  declare services: RoomServices;
  declare focusedTrack: string | null;
  declare selectedStrip: string | null;
  declare notice: string | null;
  declare showUpload: boolean;
  declare mixerHidden: boolean;
  /** The mix as heard (other people's drags move faders live). */
  private mix!: SubscriptionController<MixState>;
  private presence!: PresenceController;
  private connection!: SubscriptionController<ConnectionStatus>;
  private undo!: UndoController;
  private transportCtl!: SubscriptionController<TransportSnapshot>;
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly disposers: (() => void)[] = [];

  constructor() {
    super();
    this.focusedTrack = null;
    this.selectedStrip = null;
    this.notice = null;
    this.showUpload = false;
    this.mixerHidden = false;
  }

  /** The mix as heard, or a version played from review. */
  private get heardOrPlayed(): MixState {
    return this.services.playback.state() ?? this.mix.value;
  }

  /** What the console shows: that mix with each automated control at its lane's value at the playhead. */
  private get shown(): MixState {
    return applyLaneValues(this.heardOrPlayed, this.services.transport.position());
  }

  private readonly position = (): number => this.services.transport.position();

  /** Controllers need the services, which arrive as a property right after construction. */
  override connectedCallback(): void {
    if (!this.mix) {
      const s = this.services;
      this.mix = new SubscriptionController(this, (cb) => s.heard.subscribe(cb), () => s.heard.state);
      this.presence = new PresenceController(this, s.session.connection.awareness);
      this.connection = new SubscriptionController(this, (cb) => s.session.connection.onStatus(cb), () => s.session.connection.status);
      this.undo = new UndoController(this, s.session.undo);
      // Discrete transport changes (play, stop, seek, loop); the clock draws itself per frame.
      this.transportCtl = new SubscriptionController(this, (cb) => s.transport.onChange(cb), () => s.transport.snapshot());
      new SubscriptionController(this, (cb) => s.monitor.onChange(cb));
      new SubscriptionController(this, (cb) => s.follow.onChange(cb));
      new SubscriptionController(this, (cb) => s.media.onChange(cb));
      new SubscriptionController(this, (cb) => s.markers.onChange(cb));
      new SubscriptionController(this, (cb) => s.playback.onChange(cb));
      new SubscriptionController(this, (cb) => s.onAudioStateChange(cb));
      new SubscriptionController(this, (cb) => s.laneChoices.onChange(cb));
      // Automated faders and knobs move with the playhead.
      new LaneFollowController(this, () => this.heardOrPlayed, () => s.transport.position());
    }
    super.connectedCallback();
    const onKey = (e: KeyboardEvent) => this.onKey(e);
    window.addEventListener('keydown', onKey);
    this.disposers.push(() => window.removeEventListener('keydown', onKey));
    this.disposers.push(
      this.services.onNotice((message) => {
        this.notice = message;
        if (this.noticeTimer) clearTimeout(this.noticeTimer);
        this.noticeTimer = setTimeout(() => (this.notice = null), 5000);
      }),
    );
  }

  /**
   * Where the room's top bars end (header, and the "Listening to" banner when shown), as
   * `--mr-top-inset` on the page: the notices stack below it and never cover the banner.
   */
  private insetObserver: ResizeObserver | null = null;
  private observeTopInset(): void {
    const bars = [this.renderRoot.querySelector('header'), this.renderRoot.querySelector('.heard')].filter((e): e is HTMLElement => e !== null);
    const publish = () => {
      const bottom = Math.max(0, ...bars.map((b) => b.getBoundingClientRect().bottom));
      document.documentElement.style.setProperty('--mr-top-inset', `${Math.round(bottom)}px`);
    };
    this.insetObserver?.disconnect();
    this.insetObserver = new ResizeObserver(publish);
    for (const b of bars) this.insetObserver.observe(b);
    publish();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.insetObserver?.disconnect();
    this.insetObserver = null;
    for (const d of this.disposers.splice(0)) d();
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
  }

  static override styles = css`
    :host { position: relative; display: flex; flex-direction: column; height: 100vh; height: 100dvh; overflow: hidden;
      background: #121417; color: var(--mr-text, #d8dde3); font: 12px/1.3 var(--mr-font, system-ui, sans-serif); }
    header { display: flex; align-items: center; gap: 8px; padding: 0 10px; min-height: 40px; flex: none; background: #1b1e23;
      border-bottom: 1px solid #0b0d10; min-width: 0; }
    header > * { flex: none; }
    /* People give way first when the window narrows: their list scrolls, the tools stay. */
    header mr-presence-bar { flex: 0 1 auto; min-width: 60px; overflow-x: auto; scrollbar-width: none; }
    header .title { flex: 0 1 auto; }
    /* The approval status keeps its words (on one line); the people list gives way first. */
    ::slotted([slot='status']) { flex: none; }
    header .spacer { flex: 1 1 0; }
    .brand { font-weight: 800; letter-spacing: 0.12em; font-size: 12px; color: #7fd6ff; }
    .title { font-weight: 600; font-size: 13px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 220px; min-width: 40px; }
    .spacer { flex: 1; }
    .loading { display: inline-flex; align-items: center; gap: 6px; color: #8a939e; font-size: 11px; white-space: nowrap; }
    .loading progress { width: 90px; height: 6px; accent-color: #4fb3ff; }
    button.tool { height: 26px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer;
      font: 600 11px/1 var(--mr-font, system-ui); padding: 0 9px; white-space: nowrap; }
    button.tool:disabled { opacity: 0.4; cursor: default; }
    button.tool:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
    button.tool[aria-pressed='true'] { background: #2f5d87; border-color: #4fb3ff; }
    .monitor { display: flex; align-items: center; gap: 4px; padding-left: 8px; border-left: 1px solid #2e333b; color: #8a939e; font-size: 10px; }
    .monitor mr-knob { --knob-size: 22px; flex-direction: row; gap: 4px; }
    .mon-label { display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; }
    button.help { min-width: 26px; padding: 0 7px; font-size: 13px; }
    .heard { display: flex; align-items: center; gap: 10px; padding: 6px 12px; flex: none; background: #2f5d87; color: #fff; font-weight: 600;
      border-bottom: 1px solid #4fb3ff; }
    .heard button { margin-left: auto; }
    .body { flex: 1; min-height: 0; display: flex; min-width: 0; }
    .main { position: relative; flex: 1; min-width: 0; min-height: 0; display: grid; grid-template-rows: auto minmax(120px, 1fr) auto;
      grid-template-columns: minmax(0, 1fr); }
    .mid { display: flex; min-height: 0; min-width: 0; }
    mr-track-list { flex: 1; min-width: 0; }
    /* The channel editor floats over the console like a plug-in window, clear of the master strip. */
    mr-strip-inspector { position: absolute; top: 78px; right: 138px; max-height: calc(100% - 82px); width: 560px; max-width: calc(100% - 150px);
      z-index: 10; border: 1px solid #3a414b; border-radius: 4px; box-shadow: 0 12px 32px #000c; }
    mr-mixer { height: 420px; max-height: 60vh; min-height: 0; }
    mr-mixer[hidden] { display: none; }
    .notice { position: fixed; bottom: 16px; left: 50%; transform: translateX(-50%); background: #2a1416; border: 1px solid #8a2a2e; color: #ffd0d2;
      padding: 8px 14px; border-radius: 4px; z-index: 20; font-size: 12px; }
    .upload { position: absolute; top: 44px; right: 12px; z-index: 15; width: 420px; max-width: calc(100% - 24px); box-sizing: border-box;
      background: #1b1e23; border: 1px solid #3a414b; border-radius: 4px; box-shadow: 0 8px 24px #000a; padding: 8px; }
    .upload[hidden] { display: none; }
    @media (max-width: 1180px) {
      header { gap: 6px; padding: 0 6px; }
      .brand { display: none; }
      .monitor { padding-left: 4px; }
      .mon-words { display: none; }
    }
    /* A phone: the room is for listening and review; the console and edit tools stay on bigger screens. */
    @media (max-width: 700px) {
      .edit-tools, .monitor, mr-mixer, mr-strip-inspector, header .loading, button.help, .heard .long { display: none !important; }
      .title { max-width: 34vw; }
    }
  `;


  /**
   * The transport as this user drives it: taking the wheel (play, stop, seek) leaves follow
   * mode, so following never fights the user. Follow mode itself drives the raw transport.
   */
  private userTransport: Transport | null = null;
  private get driven(): Transport {
    if (this.userTransport) return this.userTransport;
    const t = this.services.transport;
    const unfollow = () => {
      if (this.services.follow.following !== null) this.services.follow.follow(null);
    };
    this.userTransport = {
      position: () => t.position(),
      snapshot: () => t.snapshot(),
      play: () => (unfollow(), t.play()),
      pause: () => (unfollow(), t.pause()),
      stop: () => (unfollow(), t.stop()),
      seek: (time) => (unfollow(), t.seek(time)),
      setLoop: (range) => t.setLoop(range),
      setLoopEnabled: (on) => t.setLoopEnabled(on),
      onChange: (l) => t.onChange(l),
    };
    return this.userTransport;
  }

  private touchers(): Map<string, Toucher[]> {
    const map = new Map<string, Toucher[]>();
    for (const p of this.presence.peers) {
      if (p.isLocal || !p.touching) continue;
      const strip = stripOfControl(p.touching);
      if (!strip) continue;
      const list = map.get(strip) ?? [];
      const [scope = '', id = '', ...path] = p.touching.split(':');
      list.push({ name: p.user.name, color: p.user.color, what: describeParam(this.shown, path.join(':'), scope === 'bus' ? id : undefined) });
      map.set(strip, list);
    }
    return map;
  }

  private readonly playheads = (): PlayheadMark[] => {
    const s = this.services;
    const marks: PlayheadMark[] = [{ key: 'local', name: 'You', color: '#e8ecf1', time: s.transport.position() }];
    for (const p of this.presence.peers) {
      if (p.isLocal) continue;
      const t = s.peerPlayheads.estimate(p.clientId);
      if (t !== null) marks.push({ key: String(p.clientId), name: p.user.name, color: p.user.color, time: t });
    }
    return marks;
  };

  /**
   * The room's title: the mix's own (renamed in the room) or, while the mix still carries
   * its id (rooms made before titles reached the mix), the title its owner gave it.
   */
  private get title_(): string {
    const mixTitle = this.shown.session.title;
    return mixTitle && mixTitle !== this.services.roomId ? mixTitle : (this.services.roomTitle ?? mixTitle ?? this.services.roomId);
  }

  private bannerShown: boolean | null = null;
  override updated(): void {
    const title = `${this.title_} · Mixroom`;
    if (document.title !== title) document.title = title;
    const banner = this.services.playback.label() !== null;
    if (banner !== this.bannerShown) {
      this.bannerShown = banner;
      this.observeTopInset();
    }
  }

  override render() {
    const s = this.services;
    const state = this.shown;
    const snap = this.transportCtl.value;
    const following = s.follow.following;
    const followed = following === null ? null : (this.presence.peers.find((p) => p.clientId === following)?.user.name ?? null);
    const heard = s.playback.label();
    // A saved version is heard as it was saved: its values show, nobody edits them here.
    const readOnly = !s.canEdit || this.connection.value.readOnlyRole !== null || heard !== null;
    const selTrack = this.selectedStrip?.startsWith('track:') ? state.tracks.find((t) => `track:${t.id}` === this.selectedStrip) ?? null : null;
    const selBus = this.selectedStrip?.startsWith('bus:') ? state.buses.find((b) => `bus:${b.id}` === this.selectedStrip) ?? null : null;
    const touchers = this.touchers();
    const lastStep = this.undo.canUndo ? s.session.history.undoSteps()[0] : undefined;
    const nextRedo = this.undo.canRedo ? s.session.history.redoSteps()[0] : undefined;
    return html`
      <header>
        <span class="brand">MIXROOM</span>
        <span class="title" title=${this.title_}>${this.title_}</span>
        <mr-connection-badge .status=${this.connection.value}></mr-connection-badge>
        ${this.renderLoading(state.tracks.filter((t) => t.stem).length)}
        <!-- Room-level status from other modules (the approval badge from review). -->
        <slot name="status"></slot>
        <span class="spacer"></span>
        <mr-presence-bar .peers=${this.presence.peers} .away=${this.presence.away} .following=${following} .mix=${state}
          @follow-change=${(e: CustomEvent<{ clientId: number | null }>) => s.follow.follow(e.detail.clientId)}></mr-presence-bar>
        <span class="edit-tools" style="display:contents">
          <button class="tool" aria-label="Undo my last change" title=${lastStep ? `Undo ${lastStep.description} (Ctrl/Cmd+Z): only your own changes` : 'Undo (Ctrl/Cmd+Z): only your own changes'}
            ?disabled=${!this.undo.canUndo} @click=${() => s.session.undo.undo()}>Undo</button>
          <button class="tool" aria-label="Redo my change" title=${nextRedo ? `Redo ${nextRedo.description} (Ctrl/Cmd+Shift+Z)` : 'Redo (Ctrl/Cmd+Shift+Z)'}
            ?disabled=${!this.undo.canRedo} @click=${() => s.session.undo.redo()}>Redo</button>
          <mr-undo-history .history=${s.session.history}></mr-undo-history>
          <button class="tool" aria-pressed=${String(!this.mixerHidden)} aria-label="Show the mixer" title="Show or hide the console (more room for tracks)"
            @click=${() => (this.mixerHidden = !this.mixerHidden)}>Mixer</button>
          <button class="tool" aria-pressed=${String(this.showUpload)} aria-label="Upload stems" ?disabled=${!s.canEdit}
            @click=${() => (this.showUpload = !this.showUpload)}>Upload</button>
        </span>
        <div class="monitor" role="group" aria-label="Monitor mix (only you hear this)"
          title="Monitor mix: your own listening volume and private listens. Only you hear them; the shared mix is unchanged.">
          <span class="mon-label" aria-hidden="true">${HEADPHONES}<span class="mon-words">My volume</span></span>
          <mr-knob .value=${s.monitor.volumeDb} .min=${-60} .max=${12} .defaultValue=${0} .step=${0.5} unit="dB"
            label=${MONITOR_VOLUME}
            @control-input=${(e: CustomEvent<{ value: number }>) => s.monitor.setVolumeDb(e.detail.value)}
            @control-end=${(e: CustomEvent<{ value: number }>) => s.monitor.setVolumeDb(e.detail.value)}
            @control-set=${(e: CustomEvent<{ value: number }>) => s.monitor.setVolumeDb(e.detail.value)}></mr-knob>
          ${s.monitor.listening.size
            ? html`<button class="tool" aria-label="Stop my private listens (${s.monitor.listening.size})" title="Stop listening privately: hear the whole mix again"
                @click=${() => s.monitor.clearListen()}>Private listen ×${s.monitor.listening.size}</button>`
            : nothing}
        </div>
        <button class="tool help" aria-label="Keyboard shortcuts" aria-haspopup="dialog" title="Keyboard shortcuts (?)" @click=${() => this.openHelp()}>?</button>
        <!-- The review toggle (with its unread count) from the review feature. -->
        <slot name="review"></slot>
      </header>
      ${heard
        ? html`<div class="heard" role="status" data-testid="heard-banner">
            <span>Listening to ${heard}<span class="long"> — the console shows it, locked. Esc returns to the live mix.</span></span>
            <button class="tool" @click=${() => s.playback.backToLive()}>Back to live</button>
          </div>`
        : nothing}
      <div class="body">
      <div class="main">
      <mr-transport .transport=${this.driven} .snapshot=${snap} .tempo=${state.session.tempo} .following=${followed}
        .audioState=${s.audioState()} ?read-only=${readOnly}
        .waiting=${snap.waitingFor.map((stem) => state.tracks.find((t) => t.stem?.key === stem.key)?.name ?? stem.fileName)}
        @tempo-change=${(e: CustomEvent<{ tempo: number | null }>) => s.actions.setTempo(e.detail.tempo)}></mr-transport>
      <div class="mid" @track-focus=${(e: CustomEvent<{ id: string }>) => (this.focusedTrack = e.detail.id)}
        @seek=${(e: CustomEvent<{ time: number }>) => this.seekByUser(e.detail.time)}
        @loop-change=${(e: CustomEvent<{ range: { start: number; end: number } }>) => {
          s.transport.setLoop(e.detail.range);
          s.transport.setLoopEnabled(true);
        }}
        @listen-toggle=${(e: CustomEvent<{ id: string }>) => s.monitor.toggleListen(e.detail.id)}
        @marker-select=${(e: CustomEvent<{ id: string; time: number }>) => this.seekByUser(e.detail.time)}>
        <mr-track-list .tracks=${state.tracks} .peaks=${s.media.peaks()} .loadProgress=${s.media.progress()} .duration=${snap.duration}
          .tempo=${state.session.tempo} .loop=${snap.loop} .loopEnabled=${snap.loopEnabled} .markers=${s.markers.markers()}
          .playheads=${this.playheads} .actions=${s.actions} ?read-only=${readOnly} .listening=${s.monitor.listening}
          .focusedTrack=${this.focusedTrack} ?read-only-comments=${!s.canComment} .mix=${state} .choices=${s.laneChoices}
          .laneEdits=${s.laneEdits} .position=${this.position}></mr-track-list>
        ${selTrack || selBus
          ? html`<mr-strip-inspector .track=${selTrack} .bus=${selBus} .auxes=${state.buses.filter((x) => x.kind === 'aux')}
              .sampleRate=${state.session.sampleRate} .actions=${s.actions} ?read-only=${readOnly}
              .touchers=${touchers.get(selTrack ? `track:${selTrack.id}` : `bus:${selBus!.id}`) ?? []} .tracks=${state.tracks}
              .gainReduction=${selTrack ? s.meters.gainReduction(`track:${selTrack.id}`) : null}
              .gateReduction=${selTrack ? s.meters.reduction(`track:${selTrack.id}`, 'gate') : null}
              .deessReduction=${selTrack ? s.meters.reduction(`track:${selTrack.id}`, 'deess') : null}
              ?band-listening=${selTrack ? s.monitor.bandListening.has(selTrack.id) : false}
              @band-listen-toggle=${(e: CustomEvent<{ id: string }>) => s.monitor.toggleBandListen(e.detail.id)}
              @close=${() => (this.selectedStrip = null)}></mr-strip-inspector>`
          : nothing}
      </div>
      <mr-mixer ?hidden=${this.mixerHidden} .state=${state} .actions=${s.actions} .touchers=${touchers} .meters=${s.meters} .listening=${s.monitor.listening}
        ?read-only=${readOnly} .selected=${this.selectedStrip}
        @strip-edit=${(e: CustomEvent<StripEditDetail>) => this.toggleEditor(`${e.detail.ref.scope}:${e.detail.ref.id}`)}
        @listen-toggle=${(e: CustomEvent<{ id: string }>) => s.monitor.toggleListen(e.detail.id)}
        @focusin=${(e: FocusEvent) => this.onMixerFocus(e)}></mr-mixer>
      <!-- Stays mounted while hidden: closing the panel must not abort uploads in flight. -->
      <div class="upload" role="dialog" aria-label="Upload stems" ?hidden=${!this.showUpload}>
        <mr-upload-panel .room=${s.roomId} .sessionRate=${state.session.sampleRate} ?disabled=${!s.canEdit}></mr-upload-panel>
      </div>
      </div>
      <!-- The review drawer docks here: the room narrows beside it, the master stays in view. -->
      <slot name="side"></slot>
      </div>
      ${this.notice ? html`<div class="notice" role="alert">${this.notice}</div>` : nothing}
      <mr-shortcut-sheet></mr-shortcut-sheet>
    `;
  }

  /** The "?" sheet: every shortcut; focus comes back here when it closes. */
  private openHelp(): void {
    void this.renderRoot.querySelector<MrShortcutSheet>('mr-shortcut-sheet')?.show();
  }

  /** Stems whose audio at the playhead is still being read (Play waits for the audible ones). */
  private renderLoading(withAudio: number) {
    const progress = this.services.media.progress();
    if (progress.size === 0 || withAudio === 0) return nothing;
    let sum = 0;
    for (const f of progress.values()) sum += f;
    const done = withAudio - progress.size + sum;
    const pct = Math.round((done / withAudio) * 100);
    return html`<span class="loading" role="status" aria-label="Loading audio ${pct} percent">
      Loading audio ${withAudio - progress.size}/${withAudio}
      <progress max="100" value=${pct} aria-hidden="true"></progress></span>`;
  }

  private toggleEditor(key: string): void {
    this.selectedStrip = this.selectedStrip === key ? null : key;
  }

  private onMixerFocus(e: FocusEvent): void {
    const strip = e.composedPath().find((n): n is HTMLElement => n instanceof HTMLElement && n.dataset['strip'] !== undefined);
    const key = strip?.dataset['strip'];
    if (key?.startsWith('track:')) this.focusedTrack = key.slice('track:'.length);
  }

  /** A seek by this user stops following (they took the wheel). */
  private seekByUser(time: number): void {
    this.driven.seek(time);
  }

  private onKey(e: KeyboardEvent): void {
    const s = this.services;
    const shortcut = shortcutOf(e);
    switch (shortcut) {
      case 'undo':
        e.preventDefault();
        s.session.undo.undo();
        return;
      case 'redo':
        e.preventDefault();
        s.session.undo.redo();
        return;
      case 'help':
        e.preventDefault();
        this.openHelp();
        return;
      case 'back-to-live':
        if (s.playback.label() === null) return;
        e.preventDefault();
        s.playback.backToLive();
        return;
      case 'play':
        e.preventDefault();
        if (this.driven.snapshot().playing) this.driven.pause();
        else this.driven.play();
        return;
      case 'start': {
        e.preventDefault();
        const snap = this.driven.snapshot();
        this.driven.seek(snap.loopEnabled && snap.loop ? snap.loop.start : 0);
        return;
      }
      case 'loop': {
        const snap = s.transport.snapshot();
        if (!snap.loop) s.transport.setLoop({ start: s.transport.position(), end: s.transport.position() + 8 });
        s.transport.setLoopEnabled(!snap.loopEnabled);
        return;
      }
      case 'mute':
      case 'solo': {
        const track = this.shown.tracks.find((t) => t.id === this.focusedTrack);
        if (!track) return;
        e.preventDefault();
        const param = shortcut;
        s.actions.set({ scope: 'track', id: track.id }, param, !track[param]);
        return;
      }
      default:
        return;
    }
  }
}

customElements.define('mr-room', MrRoom);
declare global {
  interface HTMLElementTagNameMap {
    'mr-room': MrRoom;
  }
}
