import { LitElement, css, html, nothing } from 'lit';
import { SubscriptionController } from '../../lit/SubscriptionController.ts';
import type { ReviewContext } from '../../review/ReviewContext.ts';
import { summarizeActivity, type ActivityTab } from '../../review/reviewActivity.ts';

interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'mention';
  /** What "Show" opens: a tab, or one comment. */
  show: { tab: ActivityTab; commentId: string | null } | null;
}

/** Someone who came into the room (from presence). */
export interface JoinSource {
  /** Calls back with a line such as "Art (artist) joined"; returns the disposer. */
  onJoin(listener: (text: string) => void): () => void;
}

/** How long a notice stays (it can be dismissed sooner). */
const NOTICE_MS = 12_000;
/** At most this many notices at once: older ones give way. */
const MAX_NOTICES = 4;

/**
 * In-room notices of what other people do while you are here: comments, replies and
 * @mentions, versions saved, approvals, people joining; and once, on arrival, what changed
 * since your last visit ("Since your last visit: 3 new comments, v4 approved"). Nothing is
 * announced for a tab you are reading: you see it arrive there.
 */
export class MrRoomNotices extends LitElement {
  static override properties = { ctx: { attribute: false }, joins: { attribute: false }, notices: { state: true } };
  declare ctx: ReviewContext;
  declare joins: JoinSource | null;
  declare notices: Notice[];
  private subscribed = false;
  /** Activity already known (announced, or there when the records first arrived). */
  private known: Set<string> | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private nextId = 1;

  constructor() {
    super();
    this.notices = [];
    this.joins = null;
  }

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, () => this.ctx.review.onChange(() => this.check()));
      // The records' first sync completes after their last change: check then too.
      new SubscriptionController(this, () => {
        const onSync = (): void => this.check();
        this.ctx.review.provider.on('sync', onSync);
        return () => this.ctx.review.provider.off('sync', onSync);
      });
      new SubscriptionController(this, () => this.joins?.onJoin((text) => this.show({ text, tone: 'info', show: null })) ?? (() => {}));
    }
    super.connectedCallback();
    this.check();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 6px; font: 12px/1.4 var(--mr-font, system-ui, sans-serif); }
    .n { background: #1b2733; border: 1px solid #2f5d87; color: #d8e8f5; border-radius: 4px; padding: 8px 10px; max-width: 360px;
      box-shadow: 0 4px 14px #0008; display: flex; gap: 8px; align-items: start; }
    .n.mention { background: #33290f; border-color: #ffb347; color: #ffe2b0; }
    .n span { flex: 1; overflow-wrap: anywhere; }
    button { background: none; border: 0; color: inherit; cursor: pointer; font: 600 11px var(--mr-font, system-ui); padding: 0 2px; }
    button.show { text-decoration: underline; }
    button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); }
    /* A phone has room for the two newest; older ones wait behind them (or time out). */
    @media (max-width: 700px) { .n:nth-last-of-type(n + 3) { display: none; } }
  `;

  override render() {
    if (this.notices.length === 0) return nothing;
    return html`${this.notices.map(
      (n) => html`<div class="n ${n.tone}" role="status" data-testid="room-notice"><span>${n.text}</span>
        ${n.show ? html`<button class="show" @click=${() => this.open(n)}>Show</button>` : nothing}
        <button aria-label="Dismiss" @click=${() => this.dismiss(n.id)}>×</button></div>`,
    )}`;
  }

  private check(): void {
    const { review, unread, view } = this.ctx;
    // Wait for the records: until the first sync everything would look new.
    if (!review.provider.synced) return;
    const all = unread.all();
    if (this.known === null) {
      this.known = new Set(all.map((a) => a.key));
      const since = unread.sinceLastVisit();
      if (since.length > 0) {
        const tab: ActivityTab = since.some((a) => a.tab === 'comments') ? 'comments' : 'versions';
        this.show({ text: `Since your last visit: ${summarizeActivity(since)}`, tone: 'info', show: { tab, commentId: null } });
      }
      return;
    }
    for (const a of all) {
      if (this.known.has(a.key)) continue;
      this.known.add(a.key);
      // Someone reading that tab sees it arrive; a mention is worth a notice anyway.
      if (view.open && view.tab === a.tab && a.kind !== 'mention') continue;
      this.show({ text: a.text, tone: a.kind === 'mention' ? 'mention' : 'info', show: { tab: a.tab, commentId: a.commentId } });
    }
  }

  private open(n: Notice): void {
    const { view } = this.ctx;
    if (n.show?.commentId) view.showComment(n.show.commentId);
    else if (n.show) {
      view.showTab(n.show.tab);
      view.setOpen(true);
    }
    this.dismiss(n.id);
  }

  private show(n: Omit<Notice, 'id'>): void {
    const id = this.nextId++;
    this.notices = [...this.notices, { ...n, id }].slice(-MAX_NOTICES);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dismiss(id);
    }, NOTICE_MS);
    this.timers.add(timer);
  }

  private dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }
}

customElements.define('mr-room-notices', MrRoomNotices);
declare global {
  interface HTMLElementTagNameMap {
    'mr-room-notices': MrRoomNotices;
  }
}
