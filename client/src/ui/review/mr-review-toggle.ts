import { LitElement, css, html, nothing } from 'lit';
import { SubscriptionController } from '../../lit/SubscriptionController.ts';
import type { ReviewContext } from '../../review/ReviewContext.ts';

/**
 * The Review button in the room header: opens and closes the review drawer (`R`), and
 * carries the number of comments, replies, versions and approvals this person has not seen.
 */
export class MrReviewToggle extends LitElement {
  static override properties = { ctx: { attribute: false } };
  declare ctx: ReviewContext;
  private subscribed = false;

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, (cb) => this.ctx.view.onChange(cb));
      new SubscriptionController(this, (cb) => this.ctx.review.onChange(cb));
      new SubscriptionController(this, (cb) => this.ctx.unread.onChange(cb));
    }
    super.connectedCallback();
  }

  static override styles = css`
    :host { display: inline-flex; }
    button { height: 26px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer;
      font: 600 11px/1 var(--mr-font, system-ui); padding: 0 9px; display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
    button:hover { background: #343a44; }
    button[aria-expanded='true'] { background: #2f5d87; border-color: #4fb3ff; }
    button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
    .count { background: #ffb347; color: #111; border-radius: 8px; padding: 1px 6px; font-size: 10px; font-weight: 800; }
  `;

  override render() {
    const open = this.ctx.view.open;
    const unread = this.ctx.unread.unread().length;
    const label = unread > 0 ? `Review, ${unread} unread` : 'Review';
    return html`<button aria-expanded=${String(open)} aria-controls="review-drawer" aria-label=${label}
      title="Comments, versions, approvals (R)" @click=${() => this.ctx.view.toggle()}>
      Review${unread > 0 ? html`<span class="count" aria-hidden="true" data-testid="unread-count">${unread > 99 ? '99+' : unread}</span>` : nothing}
    </button>`;
  }
}

customElements.define('mr-review-toggle', MrReviewToggle);
declare global {
  interface HTMLElementTagNameMap {
    'mr-review-toggle': MrReviewToggle;
  }
}
