import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { isRole, ROLE_SUMMARY } from '@mixroom/shared/protocol';

const STYLE = `
          body { font: 16px/1.5 system-ui, sans-serif; background: #15171c; color: #e8e8ea; display: grid; place-items: center; min-height: 100vh; margin: 0; }
          main { max-width: 28rem; padding: 2rem; background: #1f2229; border-radius: 12px; }
          input { display: block; width: 100%; box-sizing: border-box; margin: .5rem 0 1rem; padding: .6rem; font: inherit; border-radius: 6px; border: 1px solid #444; background: #111; color: inherit; }
          button { padding: .6rem 1.2rem; font: inherit; border-radius: 6px; border: 0; background: #e0a040; color: #111; cursor: pointer; }
          .error { color: #ff8a80; }
        `;

/**
 * The join page's own CSP: no script at all, its one inline style block allowed by hash, the
 * form posting back here only, never framed.
 */
export const JOIN_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The server-rendered join page of an invite link: a display-name form when the link is
 * good, a plain explanation when it is forged, expired or revoked. It works without the
 * client bundle, so a bad link never ends on a blank page or a stack trace. Serve it with
 * {@link JOIN_PAGE_CSP}.
 */
export function renderJoinPage(
  view:
    | { kind: 'form'; roomTitle: string; role: string; action: string; name: string; error: string | null; formToken: string }
    | { kind: 'refused'; title: string; message: string },
): HtmlEscapedString | Promise<HtmlEscapedString> {
  const body =
    view.kind === 'form'
      ? html`<h1>Join “${view.roomTitle}”</h1>
          <p>You are invited as <strong>${view.role}</strong>.${isRole(view.role) ? html` <span class="role">${ROLE_SUMMARY[view.role]}</span>` : ''}</p>
          <form method="post" action="${view.action}">
            <input type="hidden" name="formToken" value="${view.formToken}" />
            <label for="displayName">Your name, as others in the room will see it</label>
            <input id="displayName" name="displayName" required maxlength="60" autofocus value="${view.name}" />
            ${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
            <button type="submit">Join the room</button>
          </form>`
      : html`<h1>${view.title}</h1>
          <p class="error" role="alert">${view.message}</p>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Mixroom: join</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <style>${raw(STYLE)}</style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;
}
