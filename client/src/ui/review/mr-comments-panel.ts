import { LitElement, css, html, nothing } from 'lit';
import { applyMixChanges, listMixChanges, SUGGESTION_CHANGES_MAX } from '@mixroom/shared/review';
import type { CommentRecord, MixChange } from '@mixroom/shared/review';
import { readMixState } from '@mixroom/shared/model';
import { applyMixState } from '@mixroom/shared/ops';
import { can } from '@mixroom/shared/protocol';
import { SubscriptionController } from '../../lit/SubscriptionController.ts';
import { formatTimecode, formatWhen } from '../../review/formatReview.ts';
import type { ReviewContext } from '../../review/ReviewContext.ts';

type Filter = 'open' | 'resolved' | 'all';

/**
 * Timestamped comments: the list (filter open/resolved), a composer that pins a comment at
 * the playhead (shortcut `C`, `Shift+C` for a range from the loop), replies, resolve, and
 * one-click apply of a comment's mix suggestion for roles that edit the mix. Clicking a
 * comment seeks there. Records come live from the review document.
 */
export class MrCommentsPanel extends LitElement {
  static override properties = {
    ctx: { attribute: false },
    filter: { state: true },
    composing: { state: true },
    error: { state: true },
    replyTo: { state: true },
  };

  declare ctx: ReviewContext;
  declare filter: Filter;
  declare composing: { at: number; end: number | null } | null;
  declare error: string;
  declare replyTo: string | null;
  private subscribed = false;
  private readonly onKey = (e: KeyboardEvent) => this.handleKey(e);

  constructor() {
    super();
    this.filter = 'open';
    this.composing = null;
    this.error = '';
    this.replyTo = null;
  }

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, (cb) => this.ctx.review.onChange(cb));
    }
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 8px; font: 12px/1.4 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    .bar { display: flex; gap: 6px; align-items: center; }
    .bar .spacer { flex: 1; }
    button { font: 600 11px var(--mr-font, system-ui); padding: 4px 8px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer; }
    button[aria-pressed='true'] { background: #2f5d87; border-color: #4fb3ff; }
    button:disabled { opacity: 0.45; cursor: default; }
    ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
    li { background: #1f232a; border: 1px solid #2e333b; border-radius: 4px; padding: 6px 8px; }
    li.resolved { opacity: 0.65; }
    .head { display: flex; gap: 6px; align-items: baseline; }
    .time { font-variant-numeric: tabular-nums; color: #ffb347; background: none; border: 0; padding: 0; cursor: pointer; font-weight: 700; }
    .who { font-weight: 600; }
    .when { color: #7d8792; font-size: 10px; margin-left: auto; }
    .text { margin: 4px 0; white-space: pre-wrap; word-break: break-word; }
    .replies { margin: 4px 0 0 12px; padding-left: 8px; border-left: 2px solid #2e333b; }
    .suggest { color: #9fe0a0; font-size: 11px; }
    textarea, input { width: 100%; box-sizing: border-box; font: 12px var(--mr-font, system-ui); background: #0e1013; color: #e8ecf1; border: 1px solid #3a414b; border-radius: 3px; padding: 6px; }
    .err { color: #ff8a8d; }
    form { display: flex; flex-direction: column; gap: 6px; }
    .row { display: flex; gap: 6px; }
  `;

  override render() {
    const { review, role } = this.ctx;
    const canComment = can(role, 'comment');
    const canEdit = can(role, 'editMix');
    const comments = review.snapshot().comments.filter((c) => (this.filter === 'all' ? true : this.filter === 'open' ? !c.resolved : c.resolved));
    const counts = review.snapshot().comments.reduce((n, c) => (c.resolved ? n : n + 1), 0);
    return html`
      <div class="bar" role="toolbar" aria-label="Comment filter">
        ${(['open', 'resolved', 'all'] as const).map(
          (f) => html`<button aria-pressed=${String(this.filter === f)} @click=${() => (this.filter = f)}>${f === 'open' ? `Open (${counts})` : f[0]!.toUpperCase() + f.slice(1)}</button>`,
        )}
        <span class="spacer"></span>
        <button ?disabled=${!canComment} title=${canComment ? 'Comment at the playhead (C)' : 'Your role cannot comment'}
          @click=${() => this.startComposing(false)} data-testid="comment-at-playhead">Comment at playhead</button>
      </div>
      ${this.composing ? this.renderComposer() : nothing}
      ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}
      <ul aria-label="Comments">
        ${comments.length === 0 ? html`<li>No ${this.filter === 'all' ? '' : this.filter} comments.</li>` : nothing}
        ${comments.map((c) => this.renderComment(c, canComment, canEdit))}
      </ul>
    `;
  }

  /**
   * The live mix's changes since the latest version: what an editor proposes when they
   * attach "my tweak" to a comment ("vocal -2 dB here"), for another editor to apply.
   */
  private pendingChanges(): { base: string; changes: MixChange[] } | null {
    if (!can(this.ctx.role, 'editMix')) return null;
    const latest = this.ctx.review.snapshot().versions.at(-1);
    if (!latest) return null;
    const changes = listMixChanges(latest.state, readMixState(this.ctx.mixDoc)).filter((c) => c.kind === 'param');
    return changes.length ? { base: `v${latest.number}`, changes: changes.slice(0, SUGGESTION_CHANGES_MAX) } : null;
  }

  private renderComposer() {
    const at = this.composing!;
    const pending = this.pendingChanges();
    return html`<form @submit=${(e: Event) => this.submitComment(e)} aria-label="New comment">
      <span>At <strong>${formatTimecode(at.at)}</strong>${at.end !== null ? html` – <strong>${formatTimecode(at.end)}</strong>` : nothing}</span>
      <textarea name="text" rows="3" required maxlength="2000" placeholder="What do you hear here?" aria-label="Comment text"></textarea>
      ${pending
        ? html`<label title=${pending.changes.map((c) => c.text).join('\n')}><input type="checkbox" name="attach" style="width:auto" />
            Attach my mix changes since ${pending.base} (${pending.changes.length})</label>`
        : nothing}
      <div class="row">
        <button type="submit">Post</button>
        <button type="button" @click=${() => (this.composing = null)}>Cancel</button>
      </div>
    </form>`;
  }

  private renderComment(c: CommentRecord, canComment: boolean, canEdit: boolean) {
    const range = c.end !== null ? ` – ${formatTimecode(c.end)}` : '';
    const heard = c.versionId ? this.ctx.review.snapshot().versions.find((v) => v.id === c.versionId) : null;
    return html`<li class=${c.resolved ? 'resolved' : ''} data-comment=${c.id}>
      <div class="head">
        <button class="time" title="Seek here" @click=${() => this.ctx.seek(c.at)}>${formatTimecode(c.at)}${range}</button>
        <span class="who">${c.author.name}</span><span>(${c.author.role})</span>
        ${heard ? html`<span>on v${heard.number}</span>` : nothing}
        <span class="when">${formatWhen(c.createdAt)}</span>
      </div>
      <div class="text" @click=${() => this.ctx.seek(c.at)}>${c.text}</div>
      ${c.suggestion
        ? html`<div class="suggest">Suggests: ${c.suggestion.changes.map((ch) => ch.text).join('; ')}
            ${canEdit ? html`<button @click=${() => this.applySuggestion(c)}>Apply</button>` : nothing}</div>`
        : nothing}
      ${c.replies.length
        ? html`<div class="replies">${c.replies.map((r) => html`<div><span class="who">${r.author.name}</span>: ${r.text}</div>`)}</div>`
        : nothing}
      ${c.resolved && c.resolvedBy ? html`<div class="when">Resolved by ${c.resolvedBy.name}</div>` : nothing}
      ${canComment
        ? html`<div class="row">
            <button @click=${() => (this.replyTo = this.replyTo === c.id ? null : c.id)}>Reply</button>
            <button @click=${() => this.run(() => this.ctx.review.setResolved(c.id, !c.resolved))}>${c.resolved ? 'Reopen' : 'Resolve'}</button>
          </div>`
        : nothing}
      ${this.replyTo === c.id
        ? html`<form @submit=${(e: Event) => this.submitReply(e, c.id)}><input name="text" required maxlength="2000" aria-label="Reply" placeholder="Reply…" /></form>`
        : nothing}
    </li>`;
  }

  private handleKey(e: KeyboardEvent): void {
    const target = e.composedPath()[0];
    if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
    if (e.ctrlKey || e.metaKey || e.altKey || e.key.toLowerCase() !== 'c' || !can(this.ctx.role, 'comment')) return;
    e.preventDefault();
    this.startComposing(e.shiftKey);
  }

  private startComposing(_range: boolean): void {
    const at = Math.max(0, this.ctx.playhead());
    this.composing = { at: Math.round(at * 10) / 10, end: null };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[name="text"]')?.focus());
  }

  private submitComment(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = String(data.get('text') ?? '').trim();
    if (!text || !this.composing) return;
    const source = this.ctx.ab.source;
    const { at, end } = this.composing;
    const pending = data.get('attach') ? this.pendingChanges() : null;
    void this.run(async () => {
      await this.ctx.review.addComment({
        at,
        end,
        text,
        versionId: source === 'live' ? null : source.versionId,
        suggestion: pending ? { changes: pending.changes } : null,
      });
      this.composing = null;
    });
  }

  private submitReply(e: Event, id: string): void {
    e.preventDefault();
    const text = String(new FormData(e.target as HTMLFormElement).get('text') ?? '').trim();
    if (!text) return;
    void this.run(async () => {
      await this.ctx.review.reply(id, text);
      this.replyTo = null;
    });
  }

  /** One undoable change of this user's: the suggestion applied on top of the live mix. */
  private applySuggestion(c: CommentRecord): void {
    if (!c.suggestion) return;
    const result = applyMixChanges(readMixState(this.ctx.mixDoc), c.suggestion.changes);
    applyMixState(this.ctx.mixDoc, result.state, this.ctx.origin);
    this.error = result.skipped.length ? `Not applied (no longer in the mix): ${result.skipped.map((s) => s.text).join('; ')}` : '';
  }

  private async run(task: () => Promise<unknown>): Promise<void> {
    try {
      this.error = '';
      await task();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}

customElements.define('mr-comments-panel', MrCommentsPanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-comments-panel': MrCommentsPanel;
  }
}
