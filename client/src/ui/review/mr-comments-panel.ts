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
 * Timestamped comments: the list (filter open/resolved), the composer (opened by `C` at the
 * playhead, `Shift+C` on the loop, a range dragged on a waveform, or the button; see
 * ReviewView), threads with replies (Send, timestamps), resolve, and one-click apply of a
 * comment's mix suggestion for roles that edit the mix. Clicking a comment's time seeks
 * there. Records come live from the review document.
 */
export class MrCommentsPanel extends LitElement {
  static override properties = {
    ctx: { attribute: false },
    filter: { state: true },
    error: { state: true },
    replyTo: { state: true },
  };

  declare ctx: ReviewContext;
  declare filter: Filter;
  declare error: string;
  declare replyTo: string | null;
  private subscribed = false;
  /** The draft the composer was last focused for (a new one takes focus once). */
  private focusedDraft: unknown = null;

  constructor() {
    super();
    this.filter = 'open';
    this.error = '';
    this.replyTo = null;
  }

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, (cb) => this.ctx.review.onChange(cb));
      new SubscriptionController(this, (cb) => this.ctx.view.onChange(cb));
    }
    super.connectedCallback();
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 8px; font: 12px/1.4 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    .bar { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
    .bar .spacer { flex: 1; }
    button { font: 600 11px var(--mr-font, system-ui); padding: 4px 8px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer; }
    button[aria-pressed='true'] { background: #2f5d87; border-color: #4fb3ff; }
    button:disabled { opacity: 0.45; cursor: default; }
    button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
    ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
    li { background: #1f232a; border: 1px solid #2e333b; border-radius: 4px; padding: 6px 8px; }
    li.resolved { opacity: 0.65; }
    li.focus { border-color: #ffb347; box-shadow: 0 0 0 1px #ffb347; }
    li.hint { background: none; border-style: dashed; color: #8a939e; }
    .head { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; }
    .time { font-variant-numeric: tabular-nums; color: #ffb347; background: none; border: 0; padding: 0; cursor: pointer; font-weight: 700; }
    .who { font-weight: 600; }
    .role { color: #8a939e; }
    .when { color: #8a939e; font-size: 10px; margin-left: auto; }
    .text { margin: 4px 0; white-space: pre-wrap; word-break: break-word; }
    .replies { margin: 4px 0 0 12px; padding-left: 8px; border-left: 2px solid #2e333b; display: flex; flex-direction: column; gap: 4px; }
    .reply .when { margin-left: 6px; }
    .mention { color: #7fd6ff; font-weight: 600; }
    .suggest { color: #9fe0a0; font-size: 11px; }
    textarea, input { width: 100%; box-sizing: border-box; font: 12px var(--mr-font, system-ui); background: #0e1013; color: #e8ecf1; border: 1px solid #3a414b; border-radius: 3px; padding: 6px; }
    .err { color: #ff8a8d; }
    form { display: flex; flex-direction: column; gap: 6px; }
    form.reply-form { flex-direction: row; margin-top: 4px; }
    .row { display: flex; gap: 6px; }
    kbd { font: 600 10px var(--mr-mono, ui-monospace, monospace); border: 1px solid #3a414b; border-radius: 3px; padding: 0 4px; background: #15181c; color: #d8dde3; }
  `;

  override render() {
    const { review, role, view } = this.ctx;
    const canComment = can(role, 'comment');
    const canEdit = can(role, 'editMix');
    const all = review.snapshot().comments;
    const comments = all.filter((c) => (this.filter === 'all' ? true : this.filter === 'open' ? !c.resolved : c.resolved));
    const counts = all.reduce((n, c) => (c.resolved ? n : n + 1), 0);
    return html`
      <div class="bar" role="toolbar" aria-label="Comment filter">
        ${(['open', 'resolved', 'all'] as const).map(
          (f) => html`<button aria-pressed=${String(this.filter === f)} @click=${() => (this.filter = f)}>${f === 'open' ? `Open (${counts})` : f[0]!.toUpperCase() + f.slice(1)}</button>`,
        )}
        <span class="spacer"></span>
        <button ?disabled=${!canComment} title=${canComment ? 'Comment at the playhead (C); on the loop range (Shift+C)' : 'Your role cannot comment'}
          @click=${() => view.compose(this.ctx.playhead())} data-testid="comment-at-playhead">Comment at playhead</button>
      </div>
      ${view.draft && canComment ? this.renderComposer() : nothing}
      ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}
      <ul aria-label="Comments">
        ${comments.length === 0 ? this.renderEmpty(all.length, canComment) : nothing}
        ${comments.map((c) => this.renderComment(c, canComment, canEdit))}
      </ul>
    `;
  }

  /** An empty list says how to fill it. */
  private renderEmpty(total: number, canComment: boolean) {
    if (total > 0) return html`<li class="hint">No ${this.filter} comments.</li>`;
    return html`<li class="hint" data-testid="comments-empty">
      ${canComment
        ? html`No comments yet. Press <kbd>C</kbd> to comment at the playhead, <kbd>Shift</kbd>+<kbd>C</kbd> on the loop, or drag across a
            waveform to comment on a range.`
        : html`No comments yet. Comments pinned to the timeline appear here.`}
    </li>`;
  }

  override updated(): void {
    const draft = this.ctx.view.draft;
    if (draft && draft !== this.focusedDraft) {
      this.focusedDraft = draft;
      this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[name="text"]')?.focus();
    }
    const focus = this.ctx.view.focus;
    if (focus) this.renderRoot.querySelector(`li[data-comment="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'nearest' });
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
    const draft = this.ctx.view.draft!;
    const pending = this.pendingChanges();
    return html`<form @submit=${(e: Event) => this.submitComment(e)} aria-label="New comment">
      <span data-testid="composer-when" data-at=${draft.at} data-end=${draft.end ?? ''}
        >${draft.end !== null ? 'From' : 'At'} <strong>${formatTimecode(draft.at)}</strong>${draft.end !== null
          ? html` to <strong>${formatTimecode(draft.end)}</strong>`
          : nothing}</span>
      <textarea name="text" rows="3" required maxlength="2000" placeholder="What do you hear here? @name tells someone." aria-label="Comment text"
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Escape') this.ctx.view.discardDraft();
        }}></textarea>
      ${pending
        ? html`<label title=${pending.changes.map((c) => c.text).join('\n')}><input type="checkbox" name="attach" style="width:auto" />
            Attach my mix changes since ${pending.base} (${pending.changes.length})</label>`
        : nothing}
      <div class="row">
        <button type="submit">Post</button>
        <button type="button" @click=${() => this.ctx.view.discardDraft()}>Cancel</button>
      </div>
    </form>`;
  }

  private renderComment(c: CommentRecord, canComment: boolean, canEdit: boolean) {
    const range = c.end !== null ? ` – ${formatTimecode(c.end)}` : '';
    const heard = c.versionId ? this.ctx.review.snapshot().versions.find((v) => v.id === c.versionId) : null;
    const focused = this.ctx.view.focus === c.id;
    return html`<li class="${c.resolved ? 'resolved' : ''} ${focused ? 'focus' : ''}" data-comment=${c.id}>
      <div class="head">
        <button class="time" title="Play from here" aria-label="Go to ${formatTimecode(c.at)}${range}" @click=${() => this.ctx.seek(c.at)}
          >${formatTimecode(c.at)}${range}</button>
        <span class="who">${c.author.name}</span><span class="role">${c.author.role}</span>
        ${heard ? html`<span class="role">on v${heard.number}</span>` : nothing}
        <time class="when" datetime=${new Date(c.createdAt).toISOString()}>${formatWhen(c.createdAt)}</time>
      </div>
      <div class="text">${this.withMentions(c.text)}</div>
      ${c.suggestion
        ? html`<div class="suggest">Suggests: ${c.suggestion.changes.map((ch) => ch.text).join('; ')}
            ${canEdit ? html`<button @click=${() => this.applySuggestion(c)}>Apply</button>` : nothing}</div>`
        : nothing}
      ${c.replies.length
        ? html`<div class="replies" role="list" aria-label="Replies">
            ${c.replies.map(
              (r) => html`<div class="reply" role="listitem" data-reply=${r.id}><span class="who">${r.author.name}</span>
                <time class="when" datetime=${new Date(r.createdAt).toISOString()}>${formatWhen(r.createdAt)}</time>
                <div class="text">${this.withMentions(r.text)}</div></div>`,
            )}
          </div>`
        : nothing}
      ${c.resolved && c.resolvedBy ? html`<div class="when">Resolved by ${c.resolvedBy.name}</div>` : nothing}
      ${canComment
        ? html`<div class="row">
            <button aria-expanded=${String(this.replyTo === c.id)} @click=${() => this.toggleReply(c.id)}>Reply</button>
            <button @click=${() => this.run(() => this.ctx.review.setResolved(c.id, !c.resolved))}>${c.resolved ? 'Reopen' : 'Resolve'}</button>
          </div>`
        : nothing}
      ${this.replyTo === c.id
        ? html`<form class="reply-form" @submit=${(e: Event) => this.submitReply(e, c.id)} aria-label="Reply to ${c.author.name}">
            <input name="text" required maxlength="2000" aria-label="Reply" placeholder="Reply… @name tells someone" />
            <button type="submit">Send</button>
          </form>`
        : nothing}
    </li>`;
  }

  /** Comment text with @names set apart (the server decides who was mentioned; this is only how it reads). */
  private withMentions(text: string) {
    const parts = text.split(/(@[\p{L}\p{N}_.-]+)/u);
    return parts.map((p, i) => (i % 2 === 1 ? html`<span class="mention">${p}</span>` : p));
  }

  private toggleReply(id: string): void {
    this.replyTo = this.replyTo === id ? null : id;
    if (this.replyTo) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('form.reply-form input')?.focus());
  }

  private submitComment(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = String(data.get('text') ?? '').trim();
    const draft = this.ctx.view.draft;
    if (!text || !draft) return;
    const source = this.ctx.ab.source;
    const pending = data.get('attach') ? this.pendingChanges() : null;
    void this.run(async () => {
      await this.ctx.review.addComment({
        at: draft.at,
        end: draft.end,
        text,
        versionId: source === 'live' ? null : source.versionId,
        suggestion: pending ? { changes: pending.changes } : null,
      });
      if (this.ctx.view.draft === draft) this.ctx.view.discardDraft();
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
