import { LitElement, css, html, nothing } from 'lit';
import { deliverableWarnings, RENDER_FORMAT_INFO, RENDER_FORMATS } from '@mixroom/shared/review';
import type { BakeStatus } from '@mixroom/shared/review';
import { SubscriptionController } from '../../lit/SubscriptionController.ts';
import { formatLufs } from '../../review/formatReview.ts';
import type { ReviewClient } from '../../review/ReviewClient.ts';

interface Notice {
  id: number;
  text: string;
  tone: 'ready' | 'warn' | 'failed';
}

/** How long a notice stays (it can be dismissed sooner). */
const NOTICE_MS = 15_000;

/**
 * Tells everyone in the room when a version's bake they saw running ends: ready (its
 * formats, its loudness, and its warnings if any) or failed. Only bakes seen queued or
 * baking are announced, so opening the room does not replay old ones.
 */
export class MrBakeNotice extends LitElement {
  static override properties = { review: { attribute: false }, notices: { state: true } };
  declare review: ReviewClient;
  declare notices: Notice[];
  private subscribed = false;
  private readonly seen = new Map<string, BakeStatus>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private nextId = 1;

  constructor() {
    super();
    this.notices = [];
  }

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, (cb) =>
        this.review.onChange(() => {
          this.check();
          cb();
        }),
      );
    }
    super.connectedCallback();
    this.check();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 6px; font: 12px/1.4 var(--mr-font, system-ui, sans-serif); }
    .n { background: #16301f; border: 1px solid #3fae5a; color: #c9f0cf; border-radius: 4px; padding: 8px 10px; max-width: 360px; box-shadow: 0 4px 14px #0008; display: flex; gap: 8px; align-items: start; }
    .n.warn { background: #3a2c10; border-color: #b8860b; color: #ffd27f; }
    .n.failed { background: #2a1416; border-color: #8a2a2e; color: #ffd0d2; }
    button { background: none; border: 0; color: inherit; cursor: pointer; font-size: 14px; line-height: 1; padding: 0 2px; }
  `;

  override render() {
    if (this.notices.length === 0) return nothing;
    return html`${this.notices.map(
      (n) => html`<div class="n ${n.tone}" role="status" data-testid="bake-notice"><span>${n.text}</span>
        <button aria-label="Dismiss" @click=${() => this.dismiss(n.id)}>×</button></div>`,
    )}`;
  }

  private check(): void {
    const snap = this.review.snapshot();
    for (const version of snap.versions) {
      const bake = snap.bakes.get(version.id);
      if (!bake) continue;
      const before = this.seen.get(version.id);
      this.seen.set(version.id, bake.status);
      if (before !== 'queued' && before !== 'baking') continue;
      const name = `v${version.number} “${version.name}”`;
      if (bake.status === 'done') {
        const formats = RENDER_FORMATS.filter((f) => bake.renders[f]).map((f) => RENDER_FORMAT_INFO[f].label).join(', ');
        const warnings = deliverableWarnings(bake);
        const tail = warnings.length ? ` · ${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${warnings[0]!.message}` : '';
        this.show(`${name} is ready: ${formats} · ${formatLufs(bake.loudness?.integratedLufs)}${tail}`, warnings.length ? 'warn' : 'ready');
      } else if (bake.status === 'failed') {
        this.show(`${name} could not be baked: ${bake.error ?? 'unknown error'}`, 'failed');
      }
    }
  }

  private show(text: string, tone: Notice['tone']): void {
    const id = this.nextId++;
    this.notices = [...this.notices, { id, text, tone }];
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dismiss(id);
    }, NOTICE_MS);
    this.timers.add(timer);
  }

  private dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }
}

customElements.define('mr-bake-notice', MrBakeNotice);
declare global {
  interface HTMLElementTagNameMap {
    'mr-bake-notice': MrBakeNotice;
  }
}
