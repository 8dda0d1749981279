import { LitElement, css, html } from 'lit';
import { CONTROL_KEYS, ROOM_SHORTCUTS } from '../../shortcuts/roomShortcuts.ts';

/** The element that has focus, looking inside shadow roots (the room is made of them). */
function deepActiveElement(): HTMLElement | null {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : null;
}

/**
 * The "?" sheet: every room shortcut (from the one table the room acts on) and the keys a
 * focused control keeps. A modal dialog: focus moves into it, Tab stays inside, Esc or
 * Close shuts it and focus goes back where it was.
 */
export class MrShortcutSheet extends LitElement {
  private returnTo: HTMLElement | null = null;

  static override styles = css`
    dialog { background: #1b1e23; color: var(--mr-text, #d8dde3); border: 1px solid #3a414b; border-radius: 6px; padding: 0; width: min(560px, calc(100vw - 24px));
      max-height: calc(100dvh - 48px); box-shadow: 0 16px 48px #000c; font: 12px/1.4 var(--mr-font, system-ui, sans-serif); }
    dialog::backdrop { background: #0008; }
    .head { display: flex; align-items: center; justify-content: space-between; padding: 10px 14px; border-bottom: 1px solid #2e333b; }
    h2 { margin: 0; font-size: 14px; }
    .body { padding: 8px 14px 14px; overflow: auto; max-height: calc(100dvh - 110px); }
    h3 { margin: 10px 0 4px; font-size: 11px; color: #8a939e; text-transform: uppercase; letter-spacing: 0.08em; }
    table { border-collapse: collapse; width: 100%; }
    th { text-align: left; font-weight: 400; padding: 3px 12px 3px 0; white-space: nowrap; vertical-align: top; width: 1%; }
    th[colspan] { padding: 0; width: auto; }
    td { padding: 3px 0; }
    kbd { font: 600 11px var(--mr-mono, ui-monospace, monospace); background: #2b3038; border: 1px solid #454c57; border-bottom-width: 2px; border-radius: 3px;
      padding: 1px 5px; color: #e8ecf1; }
    .or { color: #8a939e; padding: 0 3px; }
    p { margin: 8px 0 0; color: #8a939e; }
    button { font: 600 12px var(--mr-font, system-ui); padding: 5px 10px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer; }
    button:focus-visible, .body:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
  `;

  override render() {
    const groups = [...new Set(ROOM_SHORTCUTS.map((s) => s.group))];
    const keys = (list: readonly string[]) =>
      list.map((k, i) => html`${i > 0 ? html`<span class="or">or</span>` : ''}<kbd>${k}</kbd>`);
    return html`<dialog aria-modal="true" aria-labelledby="sheet-title" @keydown=${this.onKey} @cancel=${this.onCancel}
        @click=${(e: MouseEvent) => e.target === e.currentTarget && this.close()}>
      <div class="head"><h2 id="sheet-title">Keyboard shortcuts</h2><button @click=${() => this.close()}>Close</button></div>
      <div class="body" tabindex="0" aria-label="Shortcut list">
        <!-- One table, so the keys of every group line up in one column. -->
        <table>
          ${groups.map(
            (g) => html`<tbody data-group=${g}>
              <tr><th colspan="2" scope="colgroup"><h3>${g}</h3></th></tr>
              ${ROOM_SHORTCUTS.filter((s) => s.group === g).map((s) => html`<tr data-shortcut=${s.id}><th scope="row">${keys(s.keys)}</th><td>${s.what}</td></tr>`)}
            </tbody>`,
          )}
          <tbody data-group="controls">
            <tr><th colspan="2" scope="colgroup"><h3>On a focused control</h3></th></tr>
            ${CONTROL_KEYS.map((c) => html`<tr><th scope="row">${keys(c.keys)}</th><td>${c.what}</td></tr>`)}
          </tbody>
        </table>
        <p>Shortcuts wait while you type in a field, and never take a focused control's own keys.</p>
      </div>
    </dialog>`;
  }

  get isOpen(): boolean {
    return this.renderRoot.querySelector('dialog')?.open ?? false;
  }

  /** Opens the sheet, remembering where focus was to give it back on close. */
  async show(): Promise<void> {
    if (this.isOpen) return;
    this.returnTo = deepActiveElement();
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog')!;
    dialog.showModal();
    dialog.querySelector<HTMLButtonElement>('.head button')?.focus();
  }

  close(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog?.open) return;
    dialog.close();
    const back = this.returnTo;
    this.returnTo = null;
    if (back?.isConnected) back.focus();
    this.dispatchEvent(new Event('close'));
  }

  private readonly onCancel = (e: Event): void => {
    // Esc: close ourselves, so focus goes back to where it was.
    e.preventDefault();
    this.close();
  };

  /** Keeps Tab inside the sheet (the room behind it is inert while it is open). */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
      return;
    }
    if (e.key !== 'Tab') return;
    const stops = [...this.renderRoot.querySelectorAll<HTMLElement>('dialog button, dialog [tabindex="0"]')];
    if (stops.length === 0) return;
    const at = stops.indexOf(this.renderRoot instanceof ShadowRoot ? (this.renderRoot.activeElement as HTMLElement) : (deepActiveElement() as HTMLElement));
    e.preventDefault();
    const next = at < 0 ? 0 : (at + (e.shiftKey ? stops.length - 1 : 1)) % stops.length;
    stops[next]!.focus();
  };
}

customElements.define('mr-shortcut-sheet', MrShortcutSheet);
declare global {
  interface HTMLElementTagNameMap {
    'mr-shortcut-sheet': MrShortcutSheet;
  }
}
