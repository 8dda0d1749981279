import { LitElement, css, html, nothing } from 'lit';
import type { MixState } from '@mixroom/shared/model';
import { describeControl } from '../mix/edit/describeControl.ts';
import { initialsOf } from '../mix/sync/initialsOf.ts';
import type { Peer } from '../mix/sync/PresenceState.ts';
import type { AwayPeer } from '../mix/sync/PresenceController.ts';

/**
 * Who is in the room: a chip per person (colour, name, role, what they are touching)
 * with a Follow toggle on everyone else.
 */
export class MrPresenceBar extends LitElement {
  static override properties = {
    peers: { attribute: false },
    following: { attribute: false },
    mix: { attribute: false },
    away: { attribute: false },
  };

  declare peers: readonly Peer[];
  /** People who dropped out recently (see PresenceController). */
  declare away: readonly AwayPeer[];
  /** The mix as shown, to name what people touch ("Bass · EQ band 2 gain"). */
  declare mix: MixState | null;
  /** Client id being followed, or null. */
  declare following: number | null;

  constructor() {
    super();
    this.peers = [];
    this.following = null;
    this.mix = null;
    this.away = [];
  }

  static override styles = css`
    :host { display: flex; align-items: center; gap: 6px; font: 11px/1 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    ul { display: flex; gap: 6px; list-style: none; margin: 0; padding: 0; }
    li { display: flex; align-items: center; gap: 5px; background: #23272e; border: 1px solid #2e333b; border-radius: 14px; padding: 2px 3px 2px 2px; }
    .dot { width: 20px; height: 20px; border-radius: 50%; display: grid; place-items: center; color: #0b0d10; font-weight: 700; font-size: 10px; }
    .role { color: #8a939e; font-size: 9px; text-transform: uppercase; letter-spacing: 0.04em; }
    .touch { color: #c9ced6; font-size: 10px; max-width: 160px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    button { font: 600 10px/1 var(--mr-font, system-ui); border-radius: 10px; border: 1px solid #3a414b; background: #2b3038; color: #aeb6c0;
      padding: 3px 7px; cursor: pointer; }
    button[aria-pressed='true'] { background: #e6d23a; color: #111; border-color: #e6d23a; }
    button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); }
    .name { font-weight: 600; }
    li.away { opacity: 0.55; border-style: dashed; }
    li.away .dot { background: #59616c !important; }
  `;

  override render() {
    return html`<ul aria-label="People in this room">
      ${this.peers.map((p) => {
        const initials = initialsOf(p.user.name);
        const touching = p.touching ? describeControl(this.mix, p.touching) : null;
        const following = this.following === p.clientId;
        return html`<li data-client=${p.clientId} title="${p.user.name} (${p.user.role})${p.isLocal ? ' — you' : ''}">
          <span class="dot" style="background:${p.user.color}" aria-hidden="true">${initials}</span>
          <span class="name">${p.user.name}${p.isLocal ? ' (you)' : ''}</span>
          <span class="role">${p.user.role}</span>
          ${touching ? html`<span class="touch" title="${p.user.name}: ${touching}">${touching}</span>` : nothing}
          ${p.playhead?.playing ? html`<span class="role" aria-label="playing">▶</span>` : nothing}
          ${p.isLocal
            ? nothing
            : html`<button aria-pressed=${String(following)} aria-label="Follow ${p.user.name}"
                @click=${() => this.dispatchEvent(new CustomEvent('follow-change', { detail: { clientId: following ? null : p.clientId }, bubbles: true, composed: true }))}>
                ${following ? 'Following' : 'Follow'}</button>`}
        </li>`;
      })}
      ${this.away.map(
        (a) => html`<li class="away" data-away=${a.user.id}
          title="${a.user.name} (${a.user.role}) dropped out at ${new Date(a.since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}">
          <span class="dot" aria-hidden="true">${initialsOf(a.user.name)}</span>
          <span class="name">${a.user.name}</span>
          <span class="role">away</span>
        </li>`,
      )}
    </ul>`;
  }
}

customElements.define('mr-presence-bar', MrPresenceBar);
declare global {
  interface HTMLElementTagNameMap {
    'mr-presence-bar': MrPresenceBar;
  }
}
