import { LitElement, css, html, nothing } from 'lit';
import { stemShapeProblem } from '@mixroom/shared/protocol';
import { readFileStemShape } from '../media/readStemShape.ts';
import { cancelStemUpload, ResumeStore, StemUploadError, uploadStemFile, type UploadPhase } from '../upload/index.ts';

interface UploadItem {
  id: number;
  file: File;
  /** Path inside a dropped folder, for display. */
  label: string;
  phase: UploadPhase | 'queued' | 'done' | 'error' | 'cancelled';
  loaded: number;
  resumedParts: number;
  error: string | null;
  /** A failure worth retrying (network, storage busy); a refusal of the file itself is not. */
  retryable: boolean;
  controller: AbortController | null;
}

/** Whether sending the same file again could work: the network or the server failed, not the file. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof StemUploadError)) return true;
  return error.code === 'network' || error.code === 'storage' || error.status === 0 || error.status === 429 || error.status >= 500;
}

/** Files we never send: OS metadata that rides along with dragged folders. */
const IGNORED = /^(\.|Thumbs\.db$|desktop\.ini$)/i;
/** Files uploaded at the same time (each sends several parts in parallel). */
const FILES_AT_ONCE = 2;

/**
 * Drop zone and file list for stem uploads: many files or whole folders at once, one
 * progress bar per file, the server's message when a file is refused, retry and cancel.
 * Fires `stem-uploaded` (detail: {trackId, fileName}) for each stem that became a track.
 */
export class MrUploadPanel extends LitElement {
  static override properties = {
    room: { type: String },
    sessionRate: { type: Number, attribute: 'session-rate' },
    apiBase: { type: String, attribute: 'api-base' },
    disabled: { type: Boolean },
    items: { state: true },
    over: { state: true },
  };

  declare room: string;
  /** The session's sample rate: a file at another rate is refused from its header, before any byte is sent. */
  declare sessionRate: number | null;
  declare apiBase: string;
  /** Set when the user's role cannot upload (the server refuses anyway). */
  declare disabled: boolean;
  declare items: UploadItem[];
  declare over: boolean;
  private nextId = 1;
  private readonly resume = new ResumeStore();

  constructor() {
    super();
    this.room = '';
    this.sessionRate = null;
    this.apiBase = '';
    this.disabled = false;
    this.items = [];
    this.over = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Leaving the room stops sending; the resume records let the same files continue later.
    for (const item of this.items) item.controller?.abort();
  }

  /** Queues files for upload (also the programmatic entry point). */
  addFiles(files: Iterable<{ file: File; label?: string }>): void {
    const added: UploadItem[] = [];
    for (const { file, label } of files) {
      if (IGNORED.test(file.name)) continue;
      added.push({ id: this.nextId++, file, label: label ?? file.name, phase: 'queued', loaded: 0, resumedParts: 0, error: null, retryable: false, controller: null });
    }
    this.items = [...this.items, ...added];
    this.pump();
  }

  private update_(item: UploadItem, patch: Partial<UploadItem>): void {
    Object.assign(item, patch);
    this.items = [...this.items];
  }

  private pump(): void {
    const active = this.items.filter((i) => i.controller !== null).length;
    const waiting = this.items.filter((i) => i.phase === 'queued');
    for (const item of waiting.slice(0, Math.max(0, FILES_AT_ONCE - active))) void this.run(item);
  }

  private async run(item: UploadItem): Promise<void> {
    const controller = new AbortController();
    this.update_(item, { controller, phase: 'starting', error: null });
    try {
      // The header first: a stem at another rate is refused at once, with the server's words.
      const shape = this.sessionRate ? await readFileStemShape(item.file) : null;
      const problem = shape && this.sessionRate ? stemShapeProblem(item.file.name, shape, this.sessionRate) : null;
      if (problem) throw new StemUploadError(problem.code, problem.message, 422);
      const result = await uploadStemFile({
        room: this.room,
        file: item.file,
        apiBase: this.apiBase,
        signal: controller.signal,
        resume: this.resume,
        onProgress: (e) => this.update_(item, { phase: e.phase, loaded: e.loaded, resumedParts: e.resumedParts }),
      });
      this.update_(item, { phase: 'done', loaded: item.file.size, controller: null });
      this.dispatchEvent(new CustomEvent('stem-uploaded', { detail: { trackId: result.trackId, fileName: item.file.name }, bubbles: true, composed: true }));
    } catch (error) {
      if ((error as Error).name === 'AbortError') this.update_(item, { phase: 'cancelled', controller: null });
      else {
        const message = error instanceof StemUploadError ? error.message : `Upload failed: ${(error as Error).message}`;
        this.update_(item, { phase: 'error', error: message, retryable: isRetryable(error), controller: null });
      }
    }
    this.pump();
  }

  private cancel(item: UploadItem): void {
    item.controller?.abort();
    void cancelStemUpload({ room: this.room, file: item.file, apiBase: this.apiBase, resume: this.resume });
  }

  private retry(item: UploadItem): void {
    this.update_(item, { phase: 'queued', error: null });
    this.pump();
  }

  /** Finished: added, cancelled, or refused for good (a failure worth retrying stays). */
  private isFinished(i: UploadItem): boolean {
    return i.phase === 'done' || i.phase === 'cancelled' || (i.phase === 'error' && !i.retryable);
  }

  private clearFinished(): void {
    this.items = this.items.filter((i) => !this.isFinished(i));
  }

  private async onDrop(e: DragEvent): Promise<void> {
    e.preventDefault();
    this.over = false;
    if (this.disabled || !e.dataTransfer) return;
    const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter((x): x is FileSystemEntry => !!x);
    if (entries.length > 0) this.addFiles(await collectFiles(entries));
    else this.addFiles([...e.dataTransfer.files].map((file) => ({ file })));
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    this.addFiles([...(input.files ?? [])].map((file) => ({ file, label: file.webkitRelativePath || file.name })));
    input.value = '';
  }

  override render() {
    const finished = this.items.some((i) => this.isFinished(i));
    return html`
      <div
        class="zone ${this.over ? 'over' : ''} ${this.disabled ? 'disabled' : ''}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.over = !this.disabled;
        }}
        @dragleave=${() => (this.over = false)}
        @drop=${(e: DragEvent) => void this.onDrop(e)}
      >
        ${this.disabled
          ? html`<p>Your role cannot upload stems in this room.</p>`
          : html`<p>Drop stems or a whole session folder here</p>
              <p class="hint">WAV, AIFF, FLAC, MP3, OGG · at the session's sample rate</p>
              <label class="pick">Choose files<input type="file" multiple accept="audio/*,.wav,.aif,.aiff,.flac,.mp3,.ogg,.opus" @change=${this.onPick} /></label>
              <label class="pick">Choose folder<input type="file" webkitdirectory @change=${this.onPick} /></label>`}
      </div>
      ${this.items.length === 0
        ? nothing
        : html`<ul>
            ${this.items.map((item) => this.renderItem(item))}
          </ul>`}
      ${finished ? html`<button class="clear" @click=${this.clearFinished}>Clear finished</button>` : nothing}
    `;
  }

  private renderItem(item: UploadItem) {
    const pct = item.file.size > 0 ? Math.min(100, (100 * item.loaded) / item.file.size) : 0;
    const status =
      item.phase === 'queued' ? 'Waiting'
      : item.phase === 'starting' ? 'Starting'
      : item.phase === 'uploading' ? `${pct.toFixed(0)} %${item.resumedParts ? ` (resumed ${item.resumedParts} part${item.resumedParts > 1 ? 's' : ''})` : ''}`
      : item.phase === 'processing' ? 'Checking and analysing'
      : item.phase === 'done' ? 'Added to the mix'
      : item.phase === 'cancelled' ? 'Cancelled'
      : item.retryable ? 'Failed' : 'Refused';
    return html`<li class=${item.phase} data-file=${item.file.name}>
      <span class="name" title=${item.label}>${item.label}</span>
      <span class="status">${status}</span>
      <span class="actions">
        ${item.controller ? html`<button @click=${() => this.cancel(item)}>Cancel</button>` : nothing}
        ${(item.phase === 'error' && item.retryable) || item.phase === 'cancelled' ? html`<button @click=${() => this.retry(item)}>Retry</button>` : nothing}
      </span>
      <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(pct)}>
        <div style="width:${pct}%"></div>
      </div>
      ${item.error ? html`<p class="error" role="alert">${item.error}</p>` : nothing}
    </li>`;
  }

  static override styles = css`
    :host { display: block; font: 13px/1.4 system-ui, sans-serif; color: var(--mr-fg, #ddd); }
    .zone { border: 2px dashed var(--mr-border, #555); border-radius: 8px; padding: 16px; text-align: center; }
    .zone.over { border-color: var(--mr-accent, #4af); background: rgba(68, 170, 255, 0.08); }
    .zone.disabled { opacity: 0.6; }
    .hint { opacity: 0.7; font-size: 12px; }
    .pick { display: inline-block; margin: 4px; padding: 4px 10px; border: 1px solid var(--mr-border, #555); border-radius: 4px; cursor: pointer; }
    .pick input { display: none; }
    ul { list-style: none; padding: 0; margin: 8px 0; }
    li { display: grid; grid-template-columns: 1fr auto auto; gap: 4px 8px; align-items: center; padding: 4px 0; }
    .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .bar { grid-column: 1 / -1; height: 4px; background: var(--mr-track, #333); border-radius: 2px; overflow: hidden; }
    .bar > div { height: 100%; background: var(--mr-accent, #4af); transition: width 0.1s linear; }
    li.done .bar > div { background: var(--mr-ok, #4c8); }
    li.error .bar > div { background: var(--mr-danger, #e55); }
    .error { grid-column: 1 / -1; margin: 0; color: var(--mr-danger, #f77); }
    .actions button { font: inherit; font-size: 11px; padding: 1px 8px; }
    .clear { font: inherit; }
  `;
}

/** Walks dropped files and folders (recursively) into a flat list with their paths. */
async function collectFiles(entries: FileSystemEntry[]): Promise<{ file: File; label: string }[]> {
  const out: { file: File; label: string }[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ file, label: entry.fullPath.replace(/^\//, '') });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns at most ~100 entries per call: read until it returns none.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child);
      }
    }
  };
  for (const entry of entries) await walk(entry);
  return out;
}

customElements.get('mr-upload-panel') ?? customElements.define('mr-upload-panel', MrUploadPanel);

declare global {
  interface HTMLElementTagNameMap {
    'mr-upload-panel': MrUploadPanel;
  }
}
