import { LitElement, css, html, nothing } from 'lit';
import { applyMixState } from '@mixroom/shared/ops';
import { can } from '@mixroom/shared/protocol';
import { approvalOf, currentApproval, deliverableWarnings, RENDER_FORMAT_INFO, RENDER_FORMATS } from '@mixroom/shared/review';
import type { BakeRecord, DeliverableWarning, RenderFormat, VersionRecord } from '@mixroom/shared/review';
import { SubscriptionController } from '../../lit/SubscriptionController.ts';
import { describeBake, formatDbtp, formatDuration, formatLufs, formatWhen } from '../../review/formatReview.ts';
import type { ReviewContext } from '../../review/ReviewContext.ts';

/**
 * Versions: save (name + note) for roles that may, the list with who/when, bake progress,
 * loudness and duration, the A/B switch (live mix vs any version, optionally loudness
 * matched, with an indicator of what plays), a parameter diff between two versions,
 * approve/revoke for roles that may, downloads in every format, and restore as the live mix.
 * Each baked version shows loudness, true peak and clipped samples per format; a version
 * that clips or peaks over its ceiling says so, and Approve and a flagged Download ask to
 * confirm after naming the problems (the approval records them, server-side).
 */
export class MrVersionsPanel extends LitElement {
  static override properties = {
    ctx: { attribute: false },
    error: { state: true },
    diffLines: { state: true },
    diffFrom: { state: true },
    diffTo: { state: true },
    saving: { state: true },
    confirming: { state: true },
  };

  declare ctx: ReviewContext;
  declare error: string;
  declare diffLines: string[] | null;
  declare diffFrom: string;
  declare diffTo: string;
  declare saving: boolean;
  /** A warned action waiting for its second click: approving a version, or one format's download. */
  declare confirming: { versionId: string; action: 'approve' } | { versionId: string; action: 'download'; format: RenderFormat } | null;
  private subscribed = false;

  constructor() {
    super();
    this.error = '';
    this.diffLines = null;
    this.diffFrom = '';
    this.diffTo = 'live';
    this.saving = false;
    this.confirming = null;
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
    table.measure { border-collapse: collapse; font-size: 11px; font-variant-numeric: tabular-nums; }
    table.measure th, table.measure td { padding: 1px 8px 1px 0; text-align: right; font-weight: 400; }
    table.measure th:first-child, table.measure td:first-child { text-align: left; }
    table.measure thead th { color: #8a939e; }
    td.bad { color: #ffb347; font-weight: 700; }
    .warn { background: #3a2c10; border: 1px solid #b8860b; color: #ffd27f; border-radius: 3px; padding: 4px 6px; }
    .warn ul { margin: 2px 0 0; padding-left: 16px; list-style: disc; display: block; }
    .warn li { background: none; border: 0; padding: 0; display: list-item; }
    .badge.warned { background: #4d3a12; color: #ffd27f; }
    a.flagged, button.flagged { color: #ffb347; }
    details.more summary { cursor: pointer; color: #8a939e; font-size: 11px; }
    details.more code { font: 10px var(--mr-mono, ui-monospace, monospace); overflow-wrap: anywhere; color: #aeb6c0; }
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
    const warnings = done && bake ? deliverableWarnings(bake) : [];
    const confirmingApprove = this.confirming?.versionId === v.id && this.confirming.action === 'approve';
    return html`<li class=${isApproved ? 'approved' : ''} data-version=${v.id} data-version-number=${v.number}>
      <div class="head">
        <strong>v${v.number} ${v.name}</strong>
        ${approval
          ? html`<span class="badge ${approval.warnings.length ? 'warned' : ''}" data-testid="approved-badge"
              title=${approval.warnings.map((w) => w.message).join('\n')}
              >APPROVED${approval.warnings.length ? ' WITH WARNINGS' : ''} by ${approval.by.name}</span>`
          : nothing}
      </div>
      <div class="meta">${v.createdBy.name} · ${formatWhen(v.createdAt)} · ${formatLufs(bake?.loudness?.integratedLufs)} · ${formatDuration(bake?.durationSec)}</div>
      ${v.note ? html`<div>${v.note}</div>` : nothing}
      <details class="more"><summary>Details</summary>
        <div class="meta">Mix snapshot hash <code data-testid="version-hash">${v.stateHash}</code></div>
        ${approval ? html`<div class="meta">Approved render (${RENDER_FORMAT_INFO[approval.renderFormat].label}) hash <code>${approval.renderHash}</code></div>` : nothing}
      </details>
      ${bake && !done
        ? html`<div class="meta" data-testid="bake-status" data-phase=${bake.phase ?? bake.status} aria-live="polite">${describeBake(bake)}</div>
            ${bake.status === 'baking' || bake.status === 'queued' ? html`<progress max="1" .value=${bake.progress} aria-label="Bake progress"></progress>` : nothing}
            ${bake.status === 'failed' && can(role, 'saveVersion') ? html`<button @click=${() => this.run(() => review.rebake(v.id))}>Bake again</button>` : nothing}`
        : nothing}
      ${done && bake ? this.renderMeasurements(bake, warnings) : nothing}
      ${warnings.length > 0
        ? html`<div class="warn" role="alert" data-testid="deliverable-warnings">
            ⚠ This version is not a clean deliverable:
            <ul>${warnings.map((w) => html`<li>${w.message}</li>`)}</ul>
          </div>`
        : nothing}
      <div class="row">
        <button aria-pressed=${String(playing)} @click=${() => ab.select({ versionId: v.id })} data-testid="play-version">Play</button>
        ${can(role, 'editMix') ? html`<button @click=${() => this.restore(v)} title="Make this the live mix (undoable)">Restore</button>` : nothing}
        ${can(role, 'approve')
          ? approval
            ? html`<button @click=${() => this.run(() => review.approve(v.id, 'revoke'))}>Revoke approval</button>`
            : confirmingApprove
              ? html`<span class="warn">Approve with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}?</span>
                  <button class="flagged" data-testid="approve-anyway" @click=${() => this.approveAnyway(v.id)}>Approve anyway</button>
                  <button @click=${() => (this.confirming = null)}>Cancel</button>`
              : html`<button ?disabled=${!done} title=${done ? 'Approve this version' : 'Wait for the bake'} data-testid="approve"
                  @click=${() => (warnings.length > 0 ? (this.confirming = { versionId: v.id, action: 'approve' }) : this.run(() => review.approve(v.id, 'approve')))}
                  >Approve${warnings.length > 0 ? '…' : ''}</button>`
          : nothing}
      </div>
      ${done ? this.renderDownloads(v, bake!, warnings, approval !== null) : nothing}
    </li>`;
  }

  /** Integrated loudness, true peak and clipped samples of each stored file, against the ceiling. */
  private renderMeasurements(bake: BakeRecord, warnings: readonly DeliverableWarning[]) {
    const formats = RENDER_FORMATS.filter((f) => bake.formats[f]);
    if (formats.length === 0) return nothing;
    const flagged = (f: RenderFormat, problem: DeliverableWarning['problem']) => warnings.some((w) => w.format === f && w.problem === problem);
    return html`<table class="measure" data-testid="measurements" aria-label="Measurements per format">
      <thead><tr><th>Format</th><th>Loudness</th><th>True peak</th><th>Clipped</th></tr></thead>
      <tbody>
        ${formats.map((f) => {
          const m = bake.formats[f]!;
          return html`<tr data-format=${f}>
            <td>${RENDER_FORMAT_INFO[f].label}${m.gainDb < 0 ? html` <span class="meta" title="Gain before encoding, so the decoded MP3 stays under the ceiling">(${m.gainDb.toFixed(2)} dB)</span>` : nothing}</td>
            <td>${formatLufs(m.integratedLufs)}</td>
            <td class=${flagged(f, 'over-ceiling') ? 'bad' : ''}>${formatDbtp(m.truePeakDb)}</td>
            <td class=${flagged(f, 'clipped') ? 'bad' : ''}>${m.clippedSamples.toLocaleString('en-US')}</td>
          </tr>`;
        })}
      </tbody>
      <tfoot><tr><td colspan="4" class="meta">Ceiling ${formatDbtp(bake.ceilingDb ?? 0)}</td></tr></tfoot>
    </table>`;
  }

  /** Download links; a file with problems first names them and asks for a second click. */
  private renderDownloads(v: VersionRecord, bake: BakeRecord, warnings: readonly DeliverableWarning[], approved: boolean) {
    const { review } = this.ctx;
    const pending = this.confirming?.versionId === v.id && this.confirming.action === 'download' ? this.confirming.format : null;
    const link = (f: RenderFormat, label: string, testId?: string) =>
      html`<a href=${review.downloadHref(v.id, f)} download data-format=${f} data-testid=${testId ?? nothing} @click=${() => (this.confirming = null)}>${label}</a>`;
    return html`<div class="row" aria-label="Downloads">
        ${RENDER_FORMATS.filter((f) => bake.renders[f]).map((f) => {
          const label = `${RENDER_FORMAT_INFO[f].label}${approved ? ' ✓' : ''}`;
          return warnings.some((w) => w.format === f)
            ? html`<button class="flagged" data-download=${f} title="This file has problems: see the warning"
                @click=${() => (this.confirming = { versionId: v.id, action: 'download', format: f })}>⚠ ${label}</button>`
            : link(f, label);
        })}
      </div>
      ${pending
        ? html`<div class="warn" role="alert" data-testid="download-warning">
            ${warnings.filter((w) => w.format === pending).map((w) => html`<div>${w.message}</div>`)}
            <div class="row">${link(pending, `Download ${RENDER_FORMAT_INFO[pending].label} anyway`, 'download-anyway')}
              <button @click=${() => (this.confirming = null)}>Cancel</button></div>
          </div>`
        : nothing}`;
  }

  private approveAnyway(versionId: string): void {
    this.confirming = null;
    void this.run(() => this.ctx.review.approve(versionId, 'approve', '', true));
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
