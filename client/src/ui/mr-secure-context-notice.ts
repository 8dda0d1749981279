import { LitElement, css, html } from 'lit';

/**
 * Shown instead of the room when the page was opened from an insecure origin (plain http on
 * another machine's address): browsers only give AudioWorklet, which every mix strip runs
 * on, to secure contexts (HTTPS, or localhost on the machine itself).
 */
export class MrSecureContextNotice extends LitElement {
  static override properties = { origin: { type: String } };

  declare origin: string;

  constructor() {
    super();
    this.origin = '';
  }

  static override styles = css`
    :host { position: fixed; inset: 0; display: grid; place-items: center; background: radial-gradient(circle at 50% 30%, #1f2530, #0b0d10);
      font: 14px/1.5 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    .box { max-width: 520px; background: #1b1e23; border: 1px solid #2e333b; border-radius: 6px; padding: 24px; box-shadow: 0 16px 48px #000a;
      display: flex; flex-direction: column; gap: 12px; }
    h1 { margin: 0; font-size: 16px; color: #7fd6ff; }
    p { margin: 0; color: #aeb6c0; }
    code { font-family: var(--mr-mono, monospace); color: #e8ecf1; }
  `;

  override render() {
    return html`<div class="box" role="alert">
      <h1>Mixroom needs a secure (HTTPS) address</h1>
      <p>You opened <code>${this.origin}</code> over plain HTTP. Browsers only run the audio engine Mixroom mixes with
        (AudioWorklet) on secure pages: <code>https://</code> addresses, or <code>localhost</code> on the machine that runs Mixroom.</p>
      <p>Ask whoever runs this Mixroom for its <code>https://</code> link. To run it for someone on another machine, put it behind
        HTTPS (Caddy, or its built-in TLS) and set <code>PUBLIC_URL</code>, as the README's "Mix with someone on another machine" shows.</p>
    </div>`;
  }
}

customElements.define('mr-secure-context-notice', MrSecureContextNotice);

declare global {
  interface HTMLElementTagNameMap {
    'mr-secure-context-notice': MrSecureContextNotice;
  }
}
