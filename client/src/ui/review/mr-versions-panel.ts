import { LitElement, css, html, nothing } from 'lit';
import { applyMixState } from '@mixroom/shared/ops';
import { can } from '@mixroom/shared/protocol';
import { approvalOf, currentApproval, RENDER_FORMAT_INFO, RENDER_FORMATS } from '@mixroom/shared/review';
import type { VersionRecord } from '@mixroom/shared/review';
import { SubscriptionController } from '../../controllers/SubscriptionController.ts';
import { formatDuration, formatLufs, formatWhen } from './formatReview.ts';
import type { ReviewContext } from './ReviewContext.ts';

/**
 * Versions: save (name + note) for roles that may, the list with who/when, bake progress,
 * loudness and duration, the A/B switch (live mix vs any version, optionally loudness
 * matched, with an indicator of what plays), a parameter diff between two versions,
 * approve/revoke for roles that may, downloads in every format, and restore as the live mix.
 */
export class MrVersionsPanel extends LitElement {
  static override properties = {
    ctx: { attribute: false },
    error: { state: true },
    diffLines: { state: true },
    diffFrom: { state: true },
    diffTo: { state: true },
    saving: { state: true },
  };

  declare ctx: ReviewContext;
  declare error: string;
  declare diffLines: string[] | null;
  declare diffFrom: string;
  declare diffTo: string;
  declare saving: boolean;
  private subscribed = false;

  constructor() {
    super();
    this.error = '';
    this.diffLines = null;
    this.diffFrom = '';
    this.diffTo = 'live';
    this.saving = false;
  }

  override connectedCallback(): void {
    if (!this.subscribed) {
      this.subscribed = true;
      new SubscriptionController(this, (cb) => this.ctx.review.onChange(cb));
      new SubscriptionController(this, (cb) => this.ctx.ab.onChange(cb));
    }
    super.connectedCallback();
  }

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 8px; font: 12px/1.4 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
    button, select { font: 600 11px var(--mr-font, system-ui); padding: 4px 8px; border-radius: 3px; border: 1px solid #3a414b; background: #2b3038; color: #d8dde3; cursor: pointer; }
    button[aria-pressed='true'] { background: #2f5d87; border-color: #4fb3ff; }
    button:disabled { opacity: 0.45; cursor: default; }
    input, textarea { box-sizing: border-box; width: 100%; font: 12px var(--mr-font, system-ui); background: #0e1013; color: #e8ecf1; border: 1px solid #3a414b; border-radius: 3px; padding: 6px; }
    form { display: flex; flex-direction: column; gap: 6px; }
    .ab { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; padding: 6px; border: 1px solid #2f5d87; border-radius: 4px; background: #15202b; }
    .playing { font-weight: 700; color: #7fd6ff; }
    ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
    li { background: #1f232a; border: 1px solid #2e333b; border-radius: 4px; padding: 6px 8px; display: flex; flex-direction: column; gap: 4px; }
    li.approved { border-color: #3fae5a; }
    .head { display: flex; gap: 6px; align-items: baseline; }
    .meta { color: #8a939e; font-size: 11px; }
    .badge { background: #1e4d2b; color: #9fe0a0; border-radius: 3px; padding: 1px 6px; font-weight: 700; font-size: 10px; }
    progress { width: 100%; height: 6px; }
    .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
    a { color: #7fd6ff; font-size: 11px; }
    .err { color: #ff8a8d; }
    .diff { background: #0e1013; border: 1px solid #2e333b; border-radius: 3px; padding: 6px; margin: 0; white-space: pre-wrap; }
  `;

  override render() {
    const { review, role, ab } = this.ctx;
    const snap = review.snapshot();
    const versions = [...snap.versions].reverse();
    const approved = currentApproval(snap.approvals);
    return html`
      ${can(role, 'saveVersion')
        ? html`<form @submit=${(e: Event) => this.save(e)} aria-label="Save version">
            <input name="name" required maxlength="80" placeholder="Version name, e.g. Vocal up" aria-label="Version name" />
            <input name="note" maxlength="2000" placeholder="Note (what changed)" aria-label="Version note" />
            <button type="submit" ?disabled=${this.saving}>Save version</button>
          </form>`
        : nothing}
      <div class="ab" role="group" aria-label="A/B">
        <button aria-pressed=${String(ab.source === 'live')} @click=${() => ab.select('live')}>Live</button>
        <button @click=${() => ab.toggle()} title="Swap to the other side">A/B</button>
        <label><input type="checkbox" style="width:auto" .checked=${ab.matchLoudness}
          @change=${(e: Event) => ab.setMatchLoudness((e.target as HTMLInputElement).checked)} /> Match loudness</label>
        <span class="playing" data-testid="ab-indicator" aria-live="polite">${ab.describe()}</span>
      </div>
      ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}
      <ul aria-label="Versions">
        ${versions.length === 0 ? html`<li>No versions yet.</li>` : nothing}
        ${versions.map((v) => this.renderVersion(v, approved?.versionId === v.id))}
      </ul>
      ${snap.versions.length > 0 ? this.renderDiff(snap.versions) : nothing}
    `;
  }

  private renderVersion(v: VersionRecord, isApproved: boolean) {
    const { review, role, ab } = this.ctx;
    const snap = review.snapshot();
    const bake = snap.bakes.get(v.id);
    const approval = approvalOf(snap.approvals, v.id);
    const playing = ab.source !== 'live' && ab.source.versionId === v.id;
    const done = bake?.status === 'done';
    return html`<li class=${isApproved ? 'approved' : ''} data-version=${v.id} data-version-number=${v.number}>
      <div class="head">
        <strong>v${v.number} ${v.name}</strong>
        ${approval ? html`<span class="badge" data-testid="approved-badge">APPROVED by ${approval.by.name}</span>` : nothing}
      </div>
      <div class="meta">${v.createdBy.name} · ${formatWhen(v.createdAt)} · ${formatLufs(bake?.loudness?.integratedLufs)} · ${formatDuration(bake?.durationSec)}
        · <span title=${v.stateHash}>#${v.stateHash.slice(0, 8)}</span></div>
      ${v.note ? html`<div>${v.note}</div>` : nothing}
      ${bake && !done
        ? html`<div class="meta" data-testid="bake-status">Bake: ${bake.status}${bake.error ? ` (${bake.error})` : ''}</div>
            ${bake.status === 'baking' || bake.status === 'queued' ? html`<progress max="1" .value=${bake.progress} aria-label="Bake progress"></progress>` : nothing}
            ${bake.status === 'failed' && can(role, 'saveVersion') ? html`<button @click=${() => this.run(() => review.rebake(v.id))}>Bake again</button>` : nothing}`
        : nothing}
      <div class="row">
        <button aria-pressed=${String(playing)} @click=${() => ab.select({ versionId: v.id })} data-testid="play-version">Play</button>
        ${can(role, 'editMix') ? html`<button @click=${() => this.restore(v)} title="Make this the live mix (undoable)">Restore</button>` : nothing}
        ${can(role, 'approve')
          ? approval
            ? html`<button @click=${() => this.run(() => review.approve(v.id, 'revoke'))}>Revoke approval</button>`
            : html`<button ?disabled=${!done} title=${done ? 'Approve this version' : 'Wait for the bake'} data-testid="approve"
                @click=${() => this.run(() => review.approve(v.id, 'approve'))}>Approve</button>`
          : nothing}
      </div>
      ${done
        ? html`<div class="row" aria-label="Downloads">
            ${RENDER_FORMATS.filter((f) => bake?.renders[f]).map(
              (f) => html`<a href=${review.downloadHref(v.id, f)} download data-format=${f}>${RENDER_FORMAT_INFO[f].label}${approval ? ' ✓' : ''}</a>`,
            )}
          </div>`
        : nothing}
    </li>`;
  }

  private renderDiff(versions: readonly VersionRecord[]) {
    const from = this.diffFrom || versions[0]!.id;
    const option = (value: string, label: string, selected: string) => html`<option value=${value} ?selected=${value === selected}>${label}</option>`;
    return html`<form @submit=${(e: Event) => this.runDiff(e)} aria-label="Compare versions">
      <div class="row">
        <select name="from" aria-label="From">${versions.map((v) => option(v.id, `v${v.number} ${v.name}`, from))}</select>
        →
        <select name="to" aria-label="To">${option('live', 'Live mix', this.diffTo)}${versions.map((v) => option(v.id, `v${v.number} ${v.name}`, this.diffTo))}</select>
        <button type="submit">Diff</button>
      </div>
      ${this.diffLines
        ? html`<pre class="diff" data-testid="diff">${this.diffLines.length ? this.diffLines.join('\n') : 'No differences.'}</pre>`
        : nothing}
    </form>`;
  }

  private save(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    this.saving = true;
    void this.run(async () => {
      await this.ctx.review.saveVersion(String(data.get('name') ?? ''), String(data.get('note') ?? ''));
      form.reset();
    }).finally(() => (this.saving = false));
  }

  private runDiff(e: Event): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    this.diffFrom = String(data.get('from'));
    this.diffTo = String(data.get('to'));
    void this.run(async () => {
      this.diffLines = await this.ctx.review.diff(this.diffFrom, this.diffTo);
    });
  }

  /** Writes the version as the live mix: one transaction with this user's origin, so Undo reverts it. */
  private restore(v: VersionRecord): void {
    applyMixState(this.ctx.mixDoc, v.state, this.ctx.origin);
    this.ctx.ab.select('live');
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

customElements.define('mr-versions-panel', MrVersionsPanel);
declare global {
  interface HTMLElementTagNameMap {
    'mr-versions-panel': MrVersionsPanel;
  }
}
