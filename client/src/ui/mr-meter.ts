import { LitElement, css, html } from 'lit';
import { AnimationFrameController } from '../lit/AnimationFrameController.ts';
import type { MeterReader } from '../mix/heard/MeterReader.ts';
import { slowAria } from '../lit/slowAria.ts';

const FLOOR_DB = -60;
const HOLD_MS = 1500;
/** Falls about 20 dB per second, the usual PPM-like release of a console bar. */
const FALL_DB_PER_S = 20;

/**
 * A vertical peak meter (one bar per channel) with peak hold and a clip light. It reads
 * its source once per animation frame while connected and stops when removed.
 */
export class MrMeter extends LitElement {
  static override properties = {
    reader: { attribute: false },
    label: { type: String },
  };

  declare reader: MeterReader | null;
  declare label: string;
  private shown: number[] = [];
  private held: { db: number; at: number }[] = [];
  private last = 0;
  private clipped = false;
  private readonly frames = new AnimationFrameController(this, (now) => this.draw(now));
  /** The level a screen reader reads: the loudest channel, in whole dB, four times a second. */
  private readonly aria = slowAria(250);

  constructor() {
    super();
    this.reader = null;
    this.label = 'Level';
  }

  static override styles = css`
    :host { display: inline-block; width: 14px; height: 150px; }
    canvas { width: 100%; height: 100%; display: block; background: #0b0d10; border-radius: 2px; }
  `;

  override render() {
    return html`<canvas role="meter" aria-label=${this.label} aria-valuemin=${FLOOR_DB} aria-valuemax="0" aria-valuenow=${FLOOR_DB}
      aria-valuetext="silent" @click=${() => (this.clipped = false)}></canvas>`;
  }

  private draw(now: number): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const levels = this.reader ? this.reader() : [];
    const dt = this.last ? (now - this.last) / 1000 : 0;
    this.last = now;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (w === 0 || h === 0) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
    if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const n = Math.max(1, levels.length);
    const barW = (w - (n - 1)) / n;
    const y = (db: number) => h - (Math.max(FLOOR_DB, Math.min(0, db)) - FLOOR_DB) / -FLOOR_DB * h;
    for (let c = 0; c < n; c++) {
      const level = levels[c] ?? -Infinity;
      if (level >= 0) this.clipped = true;
      const prev = this.shown[c] ?? FLOOR_DB;
      const next = Math.max(level, prev - FALL_DB_PER_S * dt);
      this.shown[c] = Number.isFinite(next) ? next : FLOOR_DB;
      const hold = this.held[c];
      if (!hold || level >= hold.db || now - hold.at > HOLD_MS) this.held[c] = { db: level, at: now };
      const x = c * (barW + 1);
      const top = y(this.shown[c]!);
      const grad = ctx.createLinearGradient(0, h, 0, 0);
      grad.addColorStop(0, '#1f9d55');
      grad.addColorStop(0.75, '#3ecf8e');
      grad.addColorStop(0.86, '#e6d23a');
      grad.addColorStop(1, '#e5484d');
      ctx.fillStyle = grad;
      ctx.fillRect(x, top, barW, h - top);
      const holdDb = this.held[c]!.db;
      if (Number.isFinite(holdDb) && holdDb > FLOOR_DB) {
        ctx.fillStyle = holdDb >= -0.1 ? '#ff5a5f' : '#e8ecf1';
        ctx.fillRect(x, y(holdDb), barW, 1.5);
      }
    }
    if (this.clipped) {
      ctx.fillStyle = '#e5484d';
      ctx.fillRect(0, 0, w, 3);
    }
    const db = Math.round(Math.max(FLOOR_DB, ...this.shown));
    this.aria(canvas, now, {
      'aria-valuenow': String(db),
      'aria-valuetext': db <= FLOOR_DB ? 'silent' : `${db} dB${this.clipped ? ', clipped' : ''}`,
    });
  }
}

customElements.define('mr-meter', MrMeter);
declare global {
  interface HTMLElementTagNameMap {
    'mr-meter': MrMeter;
  }
}
