import { LitElement, css, html, nothing } from 'lit';
import type { InviteView, MemberView, ReviewClient } from '../../review/ReviewClient.ts';

const ROLE_TEXT: Record<InviteView['role'], string> = {
  engineer: 'Engineer: mix, comment, save versions',
  artist: 'Artist: mix, comment, approve',
  reviewer: 'Reviewer: comment only',
  listener: 'Listener: hear and read',
};

/**
 * The owner's invite links and members: make a link per role with an expiry, for one person
 * (the default) or anyone who has it; copy, list and revoke links; change or remove members.
 */
export class MrInviteDialog extends LitElement {
  static override properties = {
    review: { attribute: false },
    invites: { state: true },
    members: { state: true },
    lastUrl: { state: true },
    error: { state: true },
  };

  declare review: ReviewClient;
  declare invites: InviteView[];
  declare members: MemberView[];
  declare lastUrl: string;
  declare error: string;

  constructor() {
    super();
    this.invites = [];
    this.members = [];
    this.lastUrl = '';
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 8px; font: 12px/1.4 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    form { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
    button, select { font: 600 11px var(--mr-font, system-ui); padding: 4px 8px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer; }
    input { font: 12px var(--mr-font, system-ui); background: #0e1013; color: #e8ecf1; border: 1px solid #3a414b; border-radius: 3px; padding: 6px; }
    input.url { width: 100%; box-sizing: border-box; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { display: flex; gap: 6px; align-items: center; padding: 3px 0; }
    .status { color: #8a939e; }
    .err { color: #ff8a8d; }
  `;

  override render() {
    return html`
      <form @submit=${(e: Event) => this.create(e)} aria-label="New invite link">
        <select name="role" aria-label="Role">${(Object.keys(ROLE_TEXT) as InviteView['role'][]).map((r) => html`<option value=${r}>${ROLE_TEXT[r]}</option>`)}</select>
        <select name="ttl" aria-label="Expires after">
          <option value="24">1 day</option><option value="168" selected>7 days</option><option value="720">30 days</option>
        </select>
        <select name="uses" aria-label="Who can use it">
          <option value="single" selected>One person</option><option value="multi">Anyone with the link</option>
        </select>
        <button type="submit">Create link</button>
      </form>
      ${this.lastUrl ? html`<input class="url" readonly .value=${this.lastUrl} aria-label="Invite link" data-testid="invite-url" @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />` : nothing}
      ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}
      <ul aria-label="Invite links">
        ${this.invites.map(
          (i) => html`<li>${i.role} <span class="status">${i.uses === 'single' ? 'one person' : 'anyone'}, ${i.status === 'used' ? `used by ${i.usedBy}` : i.status},
              expires ${new Date(i.expiresAt).toLocaleDateString()}</span>
            ${i.status === 'active' || i.status === 'used' ? html`<button @click=${() => this.revoke(i.inviteId)}>Revoke</button>` : nothing}</li>`,
        )}
      </ul>
      <ul aria-label="Members">
        ${this.members.map((m) =>
          m.role === 'owner'
            ? html`<li>${m.name} <span class="status">owner</span></li>`
            : html`<li>${m.name}
                <select aria-label=${`Role of ${m.name}`} @change=${(e: Event) => this.setRole(m.userId, (e.target as HTMLSelectElement).value as InviteView['role'])}>
                  ${(Object.keys(ROLE_TEXT) as InviteView['role'][]).map((r) => html`<option value=${r} ?selected=${r === m.role}>${r}</option>`)}
                </select>
                <button @click=${() => this.removeMember(m.userId)}>Remove</button></li>`,
        )}
      </ul>
    `;
  }

  private async create(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    try {
      const uses = data.get('uses') === 'multi' ? 'multi' : 'single';
      const { url } = await this.review.createInvite(String(data.get('role')) as InviteView['role'], Number(data.get('ttl')), uses);
      this.lastUrl = url;
      await navigator.clipboard?.writeText(url).catch(() => undefined);
      await this.refresh();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private async revoke(id: string): Promise<void> {
    try {
      await this.review.revokeInvite(id);
      await this.refresh();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private async setRole(userId: string, role: InviteView['role']): Promise<void> {
    try {
      await this.review.setMemberRole(userId, role);
      await this.refresh();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private async removeMember(userId: string): Promise<void> {
    try {
      await this.review.removeMember(userId);
      await this.refresh();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private async refresh(): Promise<void> {
    try {
      [this.invites, this.members] = await Promise.all([this.review.listInvites(), this.review.listMembers()]);
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}

customElements.define('mr-invite-dialog', MrInviteDialog);
declare global {
  interface HTMLElementTagNameMap {
    'mr-invite-dialog': MrInviteDialog;
  }
}
