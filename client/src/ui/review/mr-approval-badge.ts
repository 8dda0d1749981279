import { LitElement, css, html } from 'lit';
import { currentApproval } from '@mixroom/shared/review';
import { SubscriptionController } from '../../lit/SubscriptionController.ts';
import type { ReviewClient } from '../../review/ReviewClient.ts';

/** The room header's approval status: which version is approved, by whom, or none yet. */
export class MrApprovalBadge extends LitElement {
  static override properties = { review: { attribute: false } };
  declare review: ReviewClient;
  private subscribed = false;

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, (cb) => this.review.onChange(cb));
    }
    super.connectedCallback();
  }

  static override styles = css`
    :host { font: 600 11px var(--mr-font, system-ui, sans-serif); min-width: 0; max-width: 40vw; }
    /* One line at any width: the header is one row; the full words are in the tooltip. */
    .on, .off { display: inline-block; max-width: 100%; box-sizing: border-box; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; vertical-align: middle; }
    .on { background: #1e4d2b; color: #9fe0a0; border-radius: 3px; padding: 3px 8px; }
    @media (max-width: 700px) { .long { display: none; } }
    .off { color: #8a939e; }
    .warn { background: #4d3a12; color: #ffd27f; }
  `;

  override render() {
    const approval = currentApproval(this.review.snapshot().approvals);
    if (!approval) return html`<span class="off" data-testid="room-approval" title="No version approved yet">Not approved<span class="long"> yet</span></span>`;
    const warned = approval.warnings.length > 0;
    const words = `v${approval.versionNumber} approved by ${approval.by.name}${warned ? ' with warnings' : ''}`;
    const title = [words, ...approval.warnings.map((w) => w.message), `render ${approval.renderHash}`].join('\n');
    return html`<span class="on ${warned ? 'warn' : ''}" data-testid="room-approval" title=${title}
      >${warned ? '⚠' : '✓'} v${approval.versionNumber} approved<span class="long"> by ${approval.by.name}${warned ? ' with warnings' : ''}</span></span
    >`;
  }
}

customElements.define('mr-approval-badge', MrApprovalBadge);
declare global {
  interface HTMLElementTagNameMap {
    'mr-approval-badge': MrApprovalBadge;
  }
}
