import { LitElement, css, html, nothing } from 'lit';
import { ROLE_SUMMARY, type Role } from '@mixroom/shared/protocol';

export interface JoinDetail {
  name: string;
  role: Exclude<Role, 'owner'>;
}

const ROLE_CHOICES: { role: Exclude<Role, 'owner'>; name: string }[] = [
  { role: 'engineer', name: 'Engineer' },
  { role: 'artist', name: 'Artist' },
  { role: 'reviewer', name: 'Reviewer' },
  { role: 'listener', name: 'Listener' },
];

/**
 * Asked once: the display name others see (stored in this browser), and for an open room
 * the role to join with, each role explained in one line. Also shows why a room cannot be
 * entered.
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
    fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
    legend { font-size: 11px; color: #aeb6c0; padding: 0; margin-bottom: 4px; }
    label.role { flex-direction: row; align-items: start; gap: 8px; font-size: 12px; color: #d8dde3; padding: 6px 8px; border: 1px solid #2e333b;
      border-radius: 4px; cursor: pointer; }
    label.role:has(input:checked) { border-color: #4fb3ff; background: #15202b; }
    label.role input { margin: 2px 0 0; padding: 0; accent-color: #4fb3ff; }
    label.role input:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 2px; }
    label.role b { display: block; }
    label.role span.what { color: #8a939e; }
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
        ? html`<fieldset><legend>Join as</legend>
            ${ROLE_CHOICES.map(
              (c, i) => html`<label class="role"><input type="radio" name="role" value=${c.role} ?checked=${i === 0}
                  aria-label=${c.name} aria-describedby="role-${c.role}" /><span><b>${c.name}</b><span class="what" id="role-${c.role}">${ROLE_SUMMARY[c.role]}</span></span></label>`,
            )}
          </fieldset>`
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
