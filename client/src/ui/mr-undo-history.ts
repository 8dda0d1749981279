import { LitElement, css, html, nothing } from 'lit';
import { SubscriptionController } from '../lit/SubscriptionController.ts';
import type { UndoHistory } from '../mix/sync/UndoHistory.ts';

/**
 * The header's "History" button and its list: this user's own undoable steps, newest
 * first, each in words ("Pad: fader 0.0 dB → -3.0 dB"), with "Undo to here"; and what was
 * undone, with Redo for the next one. Other people's changes are never in it.
 */
export class MrUndoHistory extends LitElement {
  static override properties = { history: { attribute: false }, open: { state: true } };
  declare history: UndoHistory;
  declare open: boolean;
  private subscribed = false;

  constructor() {
    super();
    this.open = false;
  }

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, (cb) => this.history.onChange(cb));
      // A press anywhere else closes the list.
      new SubscriptionController(this, () => {
        const onDown = (e: PointerEvent): void => {
          if (this.open && !e.composedPath().includes(this)) this.open = false;
        };
        window.addEventListener('pointerdown', onDown, true);
        return () => window.removeEventListener('pointerdown', onDown, true);
      });
    }
    super.connectedCallback();
  }

  static override styles = css`
    :host { position: relative; display: inline-flex; }
    button { height: 26px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer;
      font: 600 11px/1 var(--mr-font, system-ui); padding: 0 9px; white-space: nowrap; }
    button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
    button[aria-expanded='true'] { background: #2f5d87; border-color: #4fb3ff; }
    .panel { position: absolute; top: 32px; right: 0; z-index: 40; width: 360px; max-height: 60vh; overflow: auto; background: #1b1e23;
      border: 1px solid #3a414b; border-radius: 4px; box-shadow: 0 10px 28px #000c; padding: 8px 10px; font: 12px/1.4 var(--mr-font, system-ui, sans-serif);
      color: var(--mr-text, #d8dde3); }
    h3 { margin: 0 0 2px; font-size: 12px; }
    h4 { margin: 10px 0 4px; font-size: 11px; color: #8a939e; }
    .hint, .empty { color: #8a939e; font-size: 11px; margin: 0 0 6px; }
    ol { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
    li { display: flex; gap: 8px; align-items: center; background: #22262d; border-radius: 3px; padding: 4px 6px; }
    li span { flex: 1; overflow-wrap: anywhere; }
    li.undone span { color: #8a939e; text-decoration: line-through; }
    li button { height: 22px; padding: 0 7px; }
  `;

  override render() {
    const steps = this.history.undoSteps();
    const undone = this.history.redoSteps();
    return html`<button aria-label="My undo history" aria-expanded=${String(this.open)} aria-controls="history-panel"
        title="Your own changes, newest first (undo only ever touches yours)" @click=${() => (this.open = !this.open)}>History</button>
      ${this.open
        ? html`<section class="panel" id="history-panel" role="region" aria-label="My changes" @keydown=${this.onKey}>
            <h3>My changes</h3>
            <p class="hint">Only yours, newest first: undo never touches anyone else's.</p>
            ${steps.length === 0 ? html`<p class="empty">Nothing of yours to undo.</p>` : nothing}
            <ol aria-label="My undoable changes, newest first">
              ${steps.map(
                (s, i) => html`<li data-step=${i} title=${s.lines.join('\n')}><span>${s.description}</span>
                  <button aria-label="Undo back to: ${s.description}" @click=${() => this.history.undoBack(i + 1)}>${i === 0 ? 'Undo' : 'Undo to here'}</button></li>`,
              )}
            </ol>
            ${undone.length > 0
              ? html`<h4>Undone</h4>
                  <ol aria-label="My undone changes">
                    ${undone.map(
                      (s, i) => html`<li class="undone" data-undone=${i} title=${s.lines.join('\n')}><span>${s.description}</span>
                        ${i === 0 ? html`<button aria-label="Redo: ${s.description}" @click=${() => this.history.redoNext()}>Redo</button>` : nothing}</li>`,
                    )}
                  </ol>`
              : nothing}
          </section>`
        : nothing}`;
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    this.open = false;
    this.renderRoot.querySelector<HTMLButtonElement>('button')?.focus();
  };
}

customElements.define('mr-undo-history', MrUndoHistory);
declare global {
  interface HTMLElementTagNameMap {
    'mr-undo-history': MrUndoHistory;
  }
}
