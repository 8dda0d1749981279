import { LitElement, css, html, nothing } from 'lit';
import { AnimationFrameController } from '../lit/AnimationFrameController.ts';
import type { Transport, TransportSnapshot } from '../transport/Transport.ts';
import { formatBars, formatTime } from '../transport/formatTime.ts';
import { slowAria } from '../lit/slowAria.ts';

/** `Song position 0:12 of 1:04`: the clock as a screen reader says it, in whole seconds. */
function spokenPosition(t: number, duration: number): string {
  const mmss = (x: number) => `${Math.floor(x / 60)}:${String(Math.floor(x % 60)).padStart(2, '0')}`;
  return `Song position ${mmss(t)}${duration > 0 ? ` of ${mmss(duration)}` : ''}`;
}

/**
 * Transport bar: stop, play/pause, loop, the clock in mm:ss.mmm (and bars when the
 * session has a tempo), and "Buffering" with the tracks waited for while Play holds for
 * their audio. The clock is written straight to the DOM every frame so playback
 * never re-renders the bar.
 */
export class MrTransport extends LitElement {
  static override properties = {
    transport: { attribute: false },
    snapshot: { attribute: false },
    tempo: { attribute: false },
    following: { attribute: false },
    audioState: { attribute: false },
    waiting: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare transport: Transport | null;
  declare snapshot: TransportSnapshot | null;
  declare tempo: number | null;
  /** Name of the person being followed, or null. */
  declare following: string | null;
  /** 'running' once audio is unlocked by a gesture; anything else shows a hint. */
  declare audioState: string;
  /** Names of the tracks playback is waiting for while it buffers. */
  declare waiting: readonly string[];
  declare readOnly: boolean;
  private readonly clock = new AnimationFrameController(this, (now) => {
    const t = this.transport?.position() ?? 0;
    const digits = this.renderRoot.querySelector('.clock .digits');
    if (digits) digits.textContent = formatTime(t);
    const bars = this.renderRoot.querySelector('.bars');
    if (bars && this.tempo) bars.textContent = formatBars(t, this.tempo);
    // The digits change every frame and are hidden from assistive tech; its name carries the
    // time in whole seconds instead (a screen reader queries it; it changes once a second).
    this.spoken(this.renderRoot.querySelector('.clock'), now, { 'aria-label': spokenPosition(t, this.snapshot?.duration ?? 0) });
  });
  private readonly spoken = slowAria(250);

  constructor() {
    super();
    this.transport = null;
    this.snapshot = null;
    this.tempo = null;
    this.following = null;
    this.audioState = 'running';
    this.waiting = [];
    this.readOnly = false;
  }

  static override styles = css`
    :host { display: flex; align-items: center; gap: 6px; height: 40px; padding: 0 10px; background: #181b20; border-bottom: 1px solid #0b0d10;
      font: 12px/1 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    button { height: 28px; min-width: 34px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer;
      font: 600 13px/1 var(--mr-font, system-ui); display: inline-flex; align-items: center; justify-content: center; padding: 0 8px; }
    button:hover { background: #343a44; }
    button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
    button[aria-pressed='true'] { background: #2f5d87; border-color: #4fb3ff; color: #fff; }
    button.play[aria-pressed='true'] { background: #1f7a4d; border-color: #3ecf8e; }
    .clock { font: 600 18px/1 var(--mr-mono, ui-monospace, monospace); background: #0b0d10; color: #7fd6ff; padding: 5px 10px; border-radius: 3px;
      min-width: 112px; text-align: right; letter-spacing: 0.02em; }
    .bars { font: 600 14px/1 var(--mr-mono, ui-monospace, monospace); background: #0b0d10; color: #e6d23a; padding: 7px 8px; border-radius: 3px; min-width: 64px; text-align: right; }
    .muted { color: #8a939e; font-size: 11px; }
    @media (max-width: 700px) {
      :host { gap: 4px; padding: 0 6px; }
      .bars, .bpm, .muted { display: none !important; }
      .clock { min-width: 0; font-size: 15px; padding: 5px 6px; }
      button { min-width: 30px; padding: 0 6px; }
    }
    .follow { color: #0b0d10; background: #e6d23a; padding: 4px 8px; border-radius: 10px; font-size: 11px; font-weight: 600; }
    .hint { color: #e0a030; font-size: 11px; }
    .buffering { color: #0b0d10; background: #7fd6ff; padding: 4px 8px; border-radius: 10px; font-size: 11px; font-weight: 600; white-space: nowrap;
      max-width: 340px; overflow: hidden; text-overflow: ellipsis; animation: pulse 1s ease-in-out infinite alternate; }
    @keyframes pulse { from { opacity: 1; } to { opacity: 0.55; } }
    button.play.buffering { border-color: #7fd6ff; }
    label.bpm { display: inline-flex; align-items: center; gap: 4px; color: #8a939e; font-size: 11px; }
    label.bpm input { width: 46px; font: 600 12px var(--mr-mono, ui-monospace, monospace); background: #0b0d10; color: #e6d23a; border: 1px solid #2a2f37;
      border-radius: 3px; padding: 4px; text-align: right; }
    svg { width: 14px; height: 14px; fill: currentColor; }
  `;

  override render() {
    const s = this.snapshot;
    const playing = s?.playing ?? false;
    const buffering = s?.buffering ?? false;
    return html`
      <button aria-label="Stop" title="Stop (return to start)" @click=${() => this.transport?.stop()}>
        <svg viewBox="0 0 10 10" aria-hidden="true"><rect x="1" y="1" width="8" height="8" /></svg>
      </button>
      <button class="play ${buffering ? 'buffering' : ''}" aria-label=${playing ? 'Pause' : 'Play'} aria-pressed=${String(playing)} title="Play/pause (Space)"
        @click=${() => (playing ? this.transport?.pause() : this.transport?.play())}>
        ${playing
          ? html`<svg viewBox="0 0 10 10" aria-hidden="true"><rect x="1.5" y="1" width="2.5" height="8" /><rect x="6" y="1" width="2.5" height="8" /></svg>`
          : html`<svg viewBox="0 0 10 10" aria-hidden="true"><path d="M2 1 L9 5 L2 9 Z" /></svg>`}
      </button>
      <button aria-label="Go to start" title="Go to start (Home)" @click=${() => this.transport?.seek(s?.loopEnabled && s.loop ? s.loop.start : 0)}>
        <svg viewBox="0 0 10 10" aria-hidden="true"><rect x="1" y="1" width="1.5" height="8" /><path d="M9 1 L3 5 L9 9 Z" /></svg>
      </button>
      <button aria-label="Loop" aria-pressed=${String(s?.loopEnabled ?? false)} title="Loop (L)"
        @click=${() => this.toggleLoop()}>⟲</button>
      <div class="clock" role="timer" aria-label=${spokenPosition(this.transport?.position() ?? 0, s?.duration ?? 0)}><span class="digits" aria-hidden="true">00:00.000</span></div>
      ${this.tempo ? html`<div class="bars" aria-label="Bar, beat, sixteenth">1.1.1</div>` : nothing}
      <label class="bpm">BPM<input type="number" min="20" max="400" step="0.1" placeholder="—" aria-label="Tempo in beats per minute (empty for none)"
        .value=${this.tempo === null ? '' : String(this.tempo)} ?disabled=${this.readOnly} @change=${this.onTempo} /></label>
      <span class="muted">${s && s.duration ? `/ ${formatTime(s.duration)}` : ''}</span>
      ${s?.loop ? html`<span class="muted">loop ${formatTime(s.loop.start)}–${formatTime(s.loop.end)}</span>` : nothing}
      ${buffering ? this.renderBuffering() : nothing}
      ${this.following ? html`<span class="follow" role="status">Following ${this.following}</span>` : nothing}
      ${this.audioState !== 'running' ? html`<span class="hint" role="status">Click anywhere to enable audio</span>` : nothing}
    `;
  }

  /** Play was pressed: everything starts together once the audio under the playhead is in. */
  private renderBuffering() {
    const names = this.waiting;
    const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ');
    return html`<span class="buffering" role="status" data-buffering title=${names.length ? `Waiting for ${names.join(', ')}` : 'Buffering'}>
      Buffering${shown ? html` · ${shown}` : nothing}</span>`;
  }

  private onTempo(e: Event): void {
    const raw = (e.target as HTMLInputElement).value.trim();
    const tempo = raw === '' ? null : Number(raw);
    if (tempo !== null && !Number.isFinite(tempo)) return;
    this.dispatchEvent(new CustomEvent<{ tempo: number | null }>('tempo-change', { detail: { tempo }, bubbles: true, composed: true }));
  }

  private toggleLoop(): void {
    const t = this.transport;
    if (!t) return;
    const s = t.snapshot();
    if (!s.loop && !s.loopEnabled) {
      // No range yet: loop the next eight seconds from the playhead, a useful default.
      const start = t.position();
      t.setLoop({ start, end: Math.min(s.duration || start + 8, start + 8) });
    }
    t.setLoopEnabled(!s.loopEnabled);
  }
}

customElements.define('mr-transport', MrTransport);
declare global {
  interface HTMLElementTagNameMap {
    'mr-transport': MrTransport;
  }
}
