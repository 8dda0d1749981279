import { LitElement, css, html, nothing } from 'lit';
import { can } from '@mixroom/shared/protocol';
import { SubscriptionController } from '../../lit/SubscriptionController.ts';
import type { ReviewContext } from '../../review/ReviewContext.ts';
import type { ReviewTab } from '../../review/ReviewView.ts';
import './mr-comments-panel.ts';
import './mr-versions-panel.ts';
import './mr-invite-dialog.ts';

/**
 * The review side panel: comments, versions (A/B, diff, approve, downloads) and, for the
 * owner, invite links. Mount it with one `ReviewContext` (see `createReviewContext`).
 */
export class MrReviewPanel extends LitElement {
  static override properties = { ctx: { attribute: false } };
  declare ctx: ReviewContext;
  private subscribed = false;

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, (cb) => this.ctx.view.onChange(cb));
    }
    super.connectedCallback();
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; background: #181b20; border-left: 2px solid #0b0d10; font: 12px var(--mr-font, system-ui, sans-serif); }
    nav { display: flex; gap: 2px; padding: 6px; border-bottom: 1px solid #2e333b; }
    nav button { flex: 1; font: 600 11px var(--mr-font, system-ui); padding: 5px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer; }
    nav button[aria-selected='true'] { background: #2f5d87; border-color: #4fb3ff; }
    .body { overflow: auto; padding: 8px; flex: 1; min-height: 0; }
  `;

  override render() {
    const tabs: ReviewTab[] = can(this.ctx.role, 'invite') ? ['comments', 'versions', 'invite'] : ['comments', 'versions'];
    const tab = tabs.includes(this.ctx.view.tab) ? this.ctx.view.tab : 'comments';
    return html`
      <nav role="tablist" aria-label="Review">
        ${tabs.map(
          (t) => html`<button role="tab" id="tab-${t}" aria-selected=${String(tab === t)} aria-controls="review-tabpanel"
            @click=${() => this.ctx.view.showTab(t)}>${t[0]!.toUpperCase() + t.slice(1)}</button>`,
        )}
      </nav>
      <div class="body" role="tabpanel" id="review-tabpanel" aria-labelledby="tab-${tab}">
        ${tab === 'comments' ? html`<mr-comments-panel .ctx=${this.ctx}></mr-comments-panel>` : nothing}
        ${tab === 'versions' ? html`<mr-versions-panel .ctx=${this.ctx}></mr-versions-panel>` : nothing}
        ${tab === 'invite' ? html`<mr-invite-dialog .review=${this.ctx.review}></mr-invite-dialog>` : nothing}
      </div>
    `;
  }
}

customElements.define('mr-review-panel', MrReviewPanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-review-panel': MrReviewPanel;
  }
}
