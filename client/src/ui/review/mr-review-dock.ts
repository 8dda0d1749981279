import { LitElement, css, html, nothing } from 'lit';
import { can } from '@mixroom/shared/protocol';
import { SubscriptionController } from '../../lit/SubscriptionController.ts';
import { shortcutOf } from '../../shortcuts/roomShortcuts.ts';
import type { ReviewContext } from '../../review/ReviewContext.ts';
import './mr-review-panel.ts';


/**
 * The review drawer, docked on the right of the room below its header (slot `side`: the room
 * narrows beside it, so the master strip stays in view); its toggle, with the unread count,
 * sits in the header (`mr-review-toggle`). It owns the review shortcuts: `R` opens and
 * closes it, `C` comments at the playhead, `Shift+C` on the loop range. A timeline comment
 * marker opens the comment; a range dragged on a waveform opens the composer on that range.
 */
export class MrReviewDock extends LitElement {
  static override properties = { ctx: { attribute: false }, open: { type: Boolean, reflect: true } };
  declare ctx: ReviewContext;
  declare open: boolean;
  private subscribed = false;

  private readonly onKey = (e: KeyboardEvent) => {
    const shortcut = shortcutOf(e);
    const { view } = this.ctx;
    if (shortcut === 'review') {
      view.toggle();
    } else if ((shortcut === 'comment' || shortcut === 'comment-range') && can(this.ctx.role, 'comment')) {
      e.preventDefault();
      const loop = shortcut === 'comment-range' ? this.ctx.loop() : null;
      if (loop) view.compose(loop.start, loop.end);
      else view.compose(this.ctx.playhead());
    }
  };

  /** A click on a timeline comment marker seeks there and shows that comment. */
  private readonly onMarker = (e: Event) => {
    const detail = (e as CustomEvent<{ id: string; time: number }>).detail;
    if (typeof detail?.time !== 'number' || typeof detail.id !== 'string') return;
    this.ctx.seek(detail.time);
    this.ctx.view.showComment(detail.id);
  };

  /** A range dragged on the waveforms: comment on it. */
  private readonly onCommentRange = (e: Event) => {
    const detail = (e as CustomEvent<{ start: number; end: number }>).detail;
    if (typeof detail?.start !== 'number' || typeof detail.end !== 'number' || !can(this.ctx.role, 'comment')) return;
    this.ctx.view.compose(detail.start, detail.end);
  };

  constructor() {
    super();
    this.open = false;
  }

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, (cb) =>
        this.ctx.view.onChange(() => {
          this.open = this.ctx.view.open;
          this.markSeen();
          cb();
        }),
      );
      // What arrives while its tab is open in view is read as it arrives.
      new SubscriptionController(this, () => this.ctx.review.onChange(() => this.markSeen()));
      new SubscriptionController(this, () => {
        const onVisible = () => this.markSeen();
        document.addEventListener('visibilitychange', onVisible);
        return () => document.removeEventListener('visibilitychange', onVisible);
      });
    }
    super.connectedCallback();
    this.open = this.ctx.view.open;
    window.addEventListener('keydown', this.onKey);
    window.addEventListener('marker-select', this.onMarker);
    window.addEventListener('comment-range', this.onCommentRange);
  }

  /** The open tab, on a visible page, is read. */
  private markSeen(): void {
    const { view, unread } = this.ctx;
    if (!view.open || document.visibilityState !== 'visible') return;
    if (view.tab === 'comments' || view.tab === 'versions') unread.markSeen(view.tab);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
    window.removeEventListener('marker-select', this.onMarker);
    window.removeEventListener('comment-range', this.onCommentRange);
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; width: var(--mr-review-w, 400px); max-width: 100vw; min-height: 0; flex: none; }
    :host(:not([open])) { display: none; }
    mr-review-panel { flex: 1; min-height: 0; }
    @media (max-width: 1180px) { :host { width: 360px; } }
    /* A phone: a sheet over the lower part of the room; the header and transport stay in view. */
    @media (max-width: 700px) {
      :host { position: fixed; left: 0; right: 0; bottom: 0; width: auto; height: var(--mr-sheet-h, min(64vh, calc(100dvh - 120px))); z-index: 30;
        box-shadow: 0 -10px 30px #000c; border-top: 1px solid #3a414b; }
    }
  `;

  override render() {
    return this.open ? html`<mr-review-panel .ctx=${this.ctx} id="review-drawer"></mr-review-panel>` : nothing;
  }
}

customElements.define('mr-review-dock', MrReviewDock);
declare global {
  interface HTMLElementTagNameMap {
    'mr-review-dock': MrReviewDock;
  }
}
