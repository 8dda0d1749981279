import { LitElement, css, html, nothing } from 'lit';
import type { ReviewContext } from '../../review/ReviewContext.ts';
import './mr-review-panel.ts';

/**
 * A self-contained drawer on the right edge holding the review panel behind a tab. Lets
 * main.ts add review to any room view with one element (the approval badge goes in the room
 * header's `status` slot). `R` toggles it.
 */
export class MrReviewDock extends LitElement {
  static override properties = { ctx: { attribute: false }, open: { type: Boolean, reflect: true } };
  declare ctx: ReviewContext;
  declare open: boolean;
  private readonly onKey = (e: KeyboardEvent) => {
    const target = e.composedPath()[0];
    if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key.toLowerCase() === 'r') this.open = !this.open;
    // The comment shortcut opens the drawer so the composer is visible.
    if (e.key.toLowerCase() === 'c' && !this.open) this.open = true;
  };

  /** A click on a timeline comment marker seeks there and shows the comments. */
  private readonly onMarker = (e: Event) => {
    const detail = (e as CustomEvent<{ id: string; time: number }>).detail;
    if (typeof detail?.time !== 'number') return;
    this.ctx.seek(detail.time);
    this.open = true;
  };

  constructor() {
    super();
    this.open = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey, true);
    window.addEventListener('marker-select', this.onMarker);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey, true);
    window.removeEventListener('marker-select', this.onMarker);
  }

  static override styles = css`
    :host { position: fixed; top: 84px; right: 0; bottom: 0; z-index: 12; display: flex; flex-direction: column; align-items: flex-end; pointer-events: none; }
    .tab { pointer-events: auto; display: flex; gap: 8px; align-items: center; background: #1b1e23; border: 1px solid #3a414b; border-right: 0;
      border-radius: 4px 0 0 4px; padding: 4px 8px; font: 600 11px var(--mr-font, system-ui, sans-serif); color: #d8dde3; }
    .tab button { font: 600 11px var(--mr-font, system-ui); padding: 3px 8px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer; }
    mr-review-panel { pointer-events: auto; width: 400px; flex: 1; min-height: 0; box-shadow: -8px 0 24px #0008; }
  `;

  override render() {
    return html`
      <div class="tab">
        <button aria-expanded=${String(this.open)} @click=${() => (this.open = !this.open)} title="Comments, versions, approvals (R)">
          ${this.open ? 'Close review' : 'Review'}</button>
      </div>
      ${this.open ? html`<mr-review-panel .ctx=${this.ctx}></mr-review-panel>` : nothing}
    `;
  }
}

customElements.define('mr-review-dock', MrReviewDock);
declare global {
  interface HTMLElementTagNameMap {
    'mr-review-dock': MrReviewDock;
  }
}
