import { LitElement, css, html, nothing } from 'lit';
import type { Role } from '@mixroom/shared/protocol';

export interface JoinDetail {
  name: string;
  role: Exclude<Role, 'owner'>;
}

const ROLE_CHOICES: { role: Exclude<Role, 'owner'>; text: string }[] = [
  { role: 'engineer', text: 'Engineer — mix, comment, save versions' },
  { role: 'artist', text: 'Artist — mix, comment, approve' },
  { role: 'reviewer', text: 'Reviewer — listen and comment' },
  { role: 'listener', text: 'Listener — listen only' },
];

/**
 * Asked once: the display name others see (stored in this browser), and for an open room
 * the role to join with. Also shows why a room cannot be entered.
 */
export class MrJoinDialog extends LitElement {
  static override properties = {
    roomId: { type: String },
    name: { type: String },
    askRole: { type: Boolean },
    error: { type: String },
    blocked: { type: String },
    busy: { state: true },
  };

  declare roomId: string;
  declare name: string;
  declare askRole: boolean;
  declare error: string;
  /** When set, the room cannot be joined from here; the text says why. */
  declare blocked: string;
  declare busy: boolean;

  constructor() {
    super();
    this.roomId = '';
    this.name = '';
    this.askRole = true;
    this.error = '';
    this.blocked = '';
    this.busy = false;
  }

  static override styles = css`
    :host { position: fixed; inset: 0; display: grid; place-items: center; background: radial-gradient(circle at 50% 30%, #1f2530, #0b0d10);
      font: 13px/1.4 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    form, .box { width: 380px; background: #1b1e23; border: 1px solid #2e333b; border-radius: 6px; padding: 22px; box-shadow: 0 16px 48px #000a;
      display: flex; flex-direction: column; gap: 12px; }
    h1 { margin: 0; font-size: 14px; letter-spacing: 0.14em; color: #7fd6ff; }
    p { margin: 0; color: #8a939e; }
    label { display: flex; flex-direction: column; gap: 4px; font-size: 11px; color: #aeb6c0; }
    input, select { font: 13px var(--mr-font, system-ui); padding: 8px; background: #0e1013; color: #e8ecf1; border: 1px solid #3a414b; border-radius: 3px; }
    input:focus, select:focus { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 0; }
    button { font: 600 13px var(--mr-font, system-ui); padding: 9px; border-radius: 3px; border: 1px solid #4fb3ff; background: #2f5d87; color: #fff; cursor: pointer; }
    button:disabled { opacity: 0.6; }
    .err { color: #ff8a8d; }
  `;

  override render() {
    if (this.blocked) {
      return html`<div class="box" role="alert"><h1>MIXROOM</h1><p>${this.blocked}</p></div>`;
    }
    return html`<form @submit=${this.onSubmit} aria-label="Join room">
      <h1>MIXROOM</h1>
      <p>You are joining <b>${this.roomId}</b>. Pick the name the others will see.</p>
      <label>Display name<input name="name" autocomplete="nickname" required maxlength="60" .value=${this.name} aria-label="Display name" autofocus /></label>
      ${this.askRole
        ? html`<label>Role<select name="role" aria-label="Role">${ROLE_CHOICES.map((c) => html`<option value=${c.role}>${c.text}</option>`)}</select></label>`
        : nothing}
      ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}
      <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Joining…' : 'Enter the room'}</button>
    </form>`;
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    if (!name) {
      this.error = 'Enter a display name';
      return;
    }
    const role = (String(data.get('role') ?? 'engineer') as JoinDetail['role']) || 'engineer';
    this.dispatchEvent(new CustomEvent<JoinDetail>('join', { detail: { name, role } }));
  }
}

customElements.define('mr-join-dialog', MrJoinDialog);
declare global {
  interface HTMLElementTagNameMap {
    'mr-join-dialog': MrJoinDialog;
  }
}
