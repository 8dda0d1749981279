import { LitElement, css, html } from 'lit';
import type { ConnectionStatus } from '../mix/sync/ConnectionStatus.ts';

/** Shows the sync state: live, connecting, offline (edits kept and merged on reconnect), read-only. */
export class MrConnectionBadge extends LitElement {
  static override properties = { status: { attribute: false } };
  declare status: ConnectionStatus | null;

  constructor() {
    super();
    this.status = null;
  }

  static override styles = css`
    :host { display: inline-flex; }
    span { font: 600 10px/1 var(--mr-font, system-ui, sans-serif); padding: 4px 8px; border-radius: 10px; border: 1px solid; white-space: nowrap; }
    .live { color: #3ecf8e; border-color: #1f7a4d; background: #12261c; }
    .wait { color: #e6d23a; border-color: #7a6d1f; background: #26240f; }
    .off { color: #ff8a8d; border-color: #8a2a2e; background: #2a1416; }
    .ro { color: #aeb6c0; border-color: #3a414b; background: #23272e; margin-left: 4px; }
  `;

  override render() {
    const s = this.status;
    if (!s) return html``;
    let cls = 'live';
    let text = 'Live';
    if (s.reason) {
      cls = 'off';
      text = `Disconnected: ${s.reason}`;
    } else if (s.state === 'disconnected' || s.lostBecause) {
      cls = 'off';
      text = s.pendingOffline ? 'Offline: your edits will merge on reconnect' : 'Offline: reconnecting…';
    } else if (s.state === 'connecting' || !s.synced) {
      cls = 'wait';
      text = s.pendingOffline ? 'Reconnecting: merging your edits…' : 'Connecting…';
    }
    return html`<span class=${cls} role="status" aria-live="polite" data-state=${s.state} data-synced=${String(s.synced)}
      title=${s.lostBecause ? `Offline: ${s.lostBecause}` : ''}>${text}</span>${s.readOnlyRole
        ? html`<span class="ro" role="status">Read-only (${s.readOnlyRole})</span>`
        : ''}`;
  }
}

customElements.define('mr-connection-badge', MrConnectionBadge);
declare global {
  interface HTMLElementTagNameMap {
    'mr-connection-badge': MrConnectionBadge;
  }
}
