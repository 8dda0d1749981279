import { LitElement, css, html, nothing } from 'lit';
import type { LoopRange } from '../transport/Transport.ts';
import { formatTime } from '../transport/formatTime.ts';
import { rulerStep } from '../transport/rulerStep.ts';
import { DragController } from '../lit/DragController.ts';
import type { CommentMarker } from '../review/CommentMarker.ts';

/**
 * The ruler above the lanes: time or bar numbers, the loop range, and comment markers.
 * Click seeks; Shift-drag (or drag on the loop strip) sets the loop range.
 */
export class MrTimeline extends LitElement {
  static override properties = {
    start: { type: Number },
    width: { type: Number },
    pxPerSecond: { type: Number, attribute: false },
    duration: { type: Number },
    tempo: { attribute: false },
    loop: { attribute: false },
    loopEnabled: { type: Boolean, attribute: false },
    markers: { attribute: false },
  };

  declare start: number;
  declare width: number;
  declare pxPerSecond: number;
  declare duration: number;
  declare tempo: number | null;
  declare loop: LoopRange | null;
  declare loopEnabled: boolean;
  declare markers: readonly CommentMarker[];
  /** Dragging a loop range: from where the pointer went down. */
  private readonly loopDrag = new DragController<{ from: number }>(this, {
    start: (e) => (e.button === 0 ? { from: this.timeAt(e.clientX) } : null),
    move: (d, e) => {
      const t = this.timeAt(e.clientX);
      this.loop = { start: Math.min(d.from, t), end: Math.max(d.from, t) };
    },
    end: (d, e) => {
      const t = this.timeAt(e.clientX);
      if (e.type === 'pointercancel' || Math.abs(t - d.from) * this.pxPerSecond < 4) return;
      this.dispatchEvent(
        new CustomEvent('loop-change', { detail: { range: { start: Math.min(d.from, t), end: Math.max(d.from, t) } }, bubbles: true, composed: true }),
      );
    },
  });

  constructor() {
    super();
    this.start = 0;
    this.width = 800;
    this.pxPerSecond = 20;
    this.duration = 0;
    this.tempo = null;
    this.loop = null;
    this.loopEnabled = false;
    this.markers = [];
  }

  static override styles = css`
    :host { display: block; position: relative; height: 34px; background: #15181c; border-bottom: 1px solid #0b0d10; overflow: hidden;
      font: 10px/1 var(--mr-mono, ui-monospace, monospace); color: #8a939e; user-select: none; cursor: pointer; }
    .loopbar { position: absolute; left: 0; right: 0; top: 0; height: 10px; background: #111418; cursor: ew-resize; }
    .loop { position: absolute; top: 0; height: 10px; background: #2f5d8766; border: 1px solid #4fb3ff55; box-sizing: border-box; }
    .loop.on { background: #4fb3ff88; border-color: #4fb3ff; }
    .tick { position: absolute; top: 10px; bottom: 0; border-left: 1px solid #3a414b; padding-left: 3px; padding-top: 4px; white-space: nowrap; }
    .minor { position: absolute; bottom: 0; height: 5px; border-left: 1px solid #2a2f37; }
    .marker { position: absolute; bottom: 0; width: 10px; height: 12px; margin-left: -5px; border: none; padding: 0; cursor: pointer;
      clip-path: polygon(0 0, 100% 0, 100% 60%, 50% 100%, 0 60%); }
    .marker.resolved { opacity: 0.4; }
    .range { position: absolute; bottom: 0; height: 3px; opacity: 0.6; pointer-events: none; }
    .end { position: absolute; top: 10px; bottom: 0; background: #0b0d10aa; pointer-events: none; }
  `;

  private timeAt(clientX: number): number {
    const rect = this.getBoundingClientRect();
    return Math.max(0, this.start + (clientX - rect.left) / this.pxPerSecond);
  }

  override render() {
    const { step, bars } = rulerStep(this.pxPerSecond, this.tempo);
    const first = Math.floor(this.start / step);
    const last = Math.ceil((this.start + this.width / this.pxPerSecond) / step);
    const ticks = [];
    for (let i = Math.max(0, first); i <= last; i++) {
      const t = i * step;
      const x = (t - this.start) * this.pxPerSecond;
      const label = bars && this.tempo ? String(Math.round((t * this.tempo) / 240) + 1) : formatTime(t).replace(/\.000$/, '').replace(/(\.\d*?)0+$/, '$1');
      ticks.push(html`<div class="tick" style="left:${x}px">${label}</div>`);
      for (let k = 1; k < 4; k++) ticks.push(html`<div class="minor" style="left:${x + (k * step * this.pxPerSecond) / 4}px"></div>`);
    }
    const x = (t: number) => (t - this.start) * this.pxPerSecond;
    return html`
      <div class="loopbar" title="Drag to set the loop range" @pointerdown=${this.loopDrag.down}></div>
      ${this.loop
        ? html`<div class="loop ${this.loopEnabled ? 'on' : ''}" style="left:${x(this.loop.start)}px;width:${(this.loop.end - this.loop.start) * this.pxPerSecond}px"
            aria-label="Loop ${formatTime(this.loop.start)} to ${formatTime(this.loop.end)}"></div>`
        : nothing}
      <div @pointerdown=${this.onRulerDown}
        style="position:absolute;left:0;right:0;top:10px;bottom:0" role="slider" tabindex="-1" aria-label="Timeline: click to seek"
        aria-valuemin="0" aria-valuemax=${Math.round(this.duration)} aria-valuenow="0">${ticks}</div>
      ${this.duration > 0 ? html`<div class="end" style="left:${Math.max(0, x(this.duration))}px;right:0"></div>` : nothing}
      ${this.markers.map(
        (m) => html`${m.end !== undefined
            ? html`<div class="range" style="left:${x(m.time)}px;width:${(m.end - m.time) * this.pxPerSecond}px;background:${m.color}"></div>`
            : nothing}
          <button class="marker ${m.resolved ? 'resolved' : ''}" style="left:${x(m.time)}px;background:${m.color}"
            title="${m.author}: ${m.text}" aria-label="Comment by ${m.author} at ${formatTime(m.time)}: ${m.text}"
            @pointerdown=${(e: Event) => e.stopPropagation()}
            @click=${() => this.dispatchEvent(new CustomEvent('marker-select', { detail: { id: m.id, time: m.time }, bubbles: true, composed: true }))}></button>`,
      )}
    `;
  }

  private onRulerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    if (e.shiftKey) {
      this.loopDrag.down(e);
      return;
    }
    this.dispatchEvent(new CustomEvent('seek', { detail: { time: this.timeAt(e.clientX) }, bubbles: true, composed: true }));
  }
}

customElements.define('mr-timeline', MrTimeline);
declare global {
  interface HTMLElementTagNameMap {
    'mr-timeline': MrTimeline;
  }
}
