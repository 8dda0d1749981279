import { html, svg } from 'lit';

/** What the private listen button does, in words (its tooltip and, with the strip's name, its accessible name). */
export const LISTEN_PRIVATELY = 'Listen privately (only you hear this)';

/** Headphones: the face of private listening. The listen button has no letter: "L" is the loop key. */
export const HEADPHONES = svg`<svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true" fill="currentColor">
  <path d="M8 2a6 6 0 0 0-6 6v4.5A1.5 1.5 0 0 0 3.5 14H5V9H3.1A4.9 4.9 0 0 1 12.9 9H11v5h1.5a1.5 1.5 0 0 0 1.5-1.5V8a6 6 0 0 0-6-6z"/></svg>`;

/**
 * A strip's private listen button (console strip and track header): a solo in this user's
 * ears only, never in the shared mix. Named "<strip>: Listen privately (only you hear this)".
 */
export function listenButton(stripName: string, on: boolean, toggle: () => void) {
  return html`<button class="l" aria-pressed=${String(on)} aria-label="${stripName}: ${LISTEN_PRIVATELY}"
    title="${LISTEN_PRIVATELY}: solo this strip in your own ears; the others hear the mix unchanged" @click=${toggle}>${HEADPHONES}</button>`;
}
