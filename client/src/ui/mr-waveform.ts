import { LitElement, css, html } from 'lit';
import type { PeakLane } from '../stems/PeakLane.ts';

/**
 * Draws the visible part of a stem's waveform from stored peaks: only the pixels in view,
 * so a five-minute stem at high zoom costs the same as at low zoom.
 */
export class MrWaveform extends LitElement {
  static override properties = {
    peaks: { attribute: false },
    start: { type: Number },
    pxPerSecond: { type: Number, attribute: 'px-per-second' },
    color: { type: String },
    loaded: { type: Number },
  };

  /** Resolutions available, any order. */
  declare peaks: readonly PeakLane[];
  /** Song time at the left edge, seconds. */
  declare start: number;
  declare pxPerSecond: number;
  declare color: string;
  /** Fraction 0..1 of the stem's audio loaded for playback (drawn as a progress bar). */
  declare loaded: number;
  private resize = new ResizeObserver(() => this.draw());

  constructor() {
    super();
    this.peaks = [];
    this.start = 0;
    this.pxPerSecond = 20;
    this.color = '#4fb3ff';
    this.loaded = 1;
  }

  static override styles = css`
    :host { display: block; position: relative; height: 100%; }
    canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
    .load { position: absolute; left: 0; bottom: 0; height: 2px; background: #4fb3ff; opacity: 0.8; transition: width 0.2s; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
  }

  override render() {
    return html`<canvas aria-hidden="true"></canvas>
      ${this.loaded < 1 ? html`<div class="load" style="width:${Math.round(this.loaded * 100)}%"></div>` : null}`;
  }

  override updated(): void {
    this.draw();
  }

  private pick(): PeakLane | null {
    const wantBucket = 1 / this.pxPerSecond;
    let best: PeakLane | null = null;
    for (const p of this.peaks) {
      if (p.bucketSeconds <= wantBucket && (!best || p.bucketSeconds > best.bucketSeconds)) best = p;
    }
    if (best) return best;
    for (const p of this.peaks) if (!best || p.bucketSeconds < best.bucketSeconds) best = p;
    return best;
  }

  private draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const w = this.clientWidth;
    const h = this.clientHeight;
    if (!w || !h) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const p = this.pick();
    const mid = h / 2;
    ctx.fillStyle = '#2a2f37';
    ctx.fillRect(0, mid, w, 1);
    if (!p) return;
    const buckets = p.data.length / 2;
    ctx.fillStyle = this.color;
    for (let x = 0; x < w; x++) {
      const t0 = this.start + x / this.pxPerSecond;
      const t1 = t0 + 1 / this.pxPerSecond;
      const b0 = Math.floor(t0 / p.bucketSeconds);
      const b1 = Math.max(b0 + 1, Math.floor(t1 / p.bucketSeconds));
      if (b0 >= buckets) break;
      let lo = 1;
      let hi = -1;
      for (let b = Math.max(0, b0); b < Math.min(buckets, b1); b++) {
        lo = Math.min(lo, p.data[2 * b]!);
        hi = Math.max(hi, p.data[2 * b + 1]!);
      }
      if (hi < lo) continue;
      const top = mid - hi * mid * 0.95;
      const bottom = mid - lo * mid * 0.95;
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
  }
}

customElements.define('mr-waveform', MrWaveform);
declare global {
  interface HTMLElementTagNameMap {
    'mr-waveform': MrWaveform;
  }
}
