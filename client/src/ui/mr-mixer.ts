import { LitElement, css, html, nothing } from 'lit';
import type { BusState, MixState } from '@mixroom/shared/model';
import { computeAudibility, resolveRouting, type Audibility } from '@mixroom/shared/plan';
import type { MixActions } from '../mix/edit/MixActions.ts';
import type { GainReductionReader, LoudnessReader, MeterReader } from '../mix/heard/MeterReader.ts';
import type { Toucher } from './mr-channel-strip.ts';
import './mr-channel-strip.ts';
import './mr-master-strip.ts';

/** Meter feeds by strip key (`track:<id>`, `bus:<id>`, `master:`). */
export interface MixerMeters {
  peak(strip: string): MeterReader;
  gainReduction(strip: string): GainReductionReader;
  /** One dynamics processor of the strip by its plan role ('gate', 'comp', ...). */
  reduction(strip: string, role: string): GainReductionReader;
  loudness: LoudnessReader;
}

/**
 * The console: a strip per track, then group and aux returns, and the master pinned on
 * the right. Strips scroll horizontally; the master never scrolls away.
 */
export class MrMixer extends LitElement {
  static override properties = {
    state: { attribute: false },
    actions: { attribute: false },
    touchers: { attribute: false },
    meters: { attribute: false },
    listening: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
    selected: { attribute: false },
  };

  declare state: MixState | null;
  declare actions: MixActions | null;
  /** Who touches what, keyed by strip (`track:<id>`). */
  declare touchers: ReadonlyMap<string, Toucher[]>;
  declare meters: MixerMeters | null;
  declare listening: ReadonlySet<string>;
  declare readOnly: boolean;
  /** Strip key whose editor is open. */
  declare selected: string | null;

  constructor() {
    super();
    this.state = null;
    this.actions = null;
    this.touchers = new Map();
    this.meters = null;
    this.listening = new Set();
    this.readOnly = false;
    this.selected = null;
  }

  static override styles = css`
    :host { display: flex; min-height: 0; background: #0f1114; border-top: 2px solid #0b0d10; }
    .strips { display: flex; overflow-x: auto; overflow-y: hidden; flex: 1; min-width: 0; }
    .gap { width: 6px; flex: none; background: #0b0d10; }
    .empty { color: #8a939e; padding: 20px; font: 12px var(--mr-font, system-ui); align-self: center; }
    .add { display: flex; flex-direction: column; gap: 6px; padding: 8px 6px; flex: none; }
    .add button { font: 600 10px/1 var(--mr-font, system-ui); color: #aeb6c0; background: #1b1e23; border: 1px dashed #3a414b; border-radius: 3px;
      padding: 6px 8px; cursor: pointer; white-space: nowrap; }
    .add button:hover { background: #23272e; }
    .add button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); }
    /* The strip (or button) with keyboard focus comes forward, over the floating channel editor,
       so the focused control and its ring are never hidden behind it. */
    .strips > :focus-within, .add button:focus-visible { position: relative; z-index: 11; }
  `;

  /** Derived lists keep their identity while the buses do, so unchanged strips skip re-rendering. */
  private busLists: { from: MixState['buses'] | null; auxes: BusState[]; groups: BusState[] } = { from: null, auxes: [], groups: [] };

  /** Who is implicitly muted by someone's solo: the plan's own solo logic, not a UI copy. */
  private audibility: { from: MixState | null; value: Audibility | null } = { from: null, value: null };

  private silenced(s: MixState, id: string, muted: boolean): boolean {
    if (this.audibility.from !== s) this.audibility = { from: s, value: computeAudibility(s, resolveRouting(s)) };
    return !muted && !this.audibility.value!.strip(id);
  }

  override render() {
    const s = this.state;
    if (!s) return nothing;
    if (this.busLists.from !== s.buses) {
      this.busLists = { from: s.buses, auxes: s.buses.filter((b) => b.kind === 'aux'), groups: s.buses.filter((b) => b.kind === 'group') };
    }
    const { auxes, groups } = this.busLists;
    const none: Toucher[] = [];
    return html`
      <div class="strips" role="region" aria-label="Mixer channel strips">
        ${s.tracks.length === 0 ? html`<div class="empty">Channel strips appear here when stems are added.</div>` : nothing}
        ${s.tracks.map(
          (t) => html`<mr-channel-strip kind="track" .strip=${t} .auxes=${auxes} .outputs=${groups} .actions=${this.actions}
            .touchers=${this.touchers.get(`track:${t.id}`) ?? none} .meter=${this.meters?.peak(`track:${t.id}`) ?? null}
            .gainReduction=${this.meters?.gainReduction(`track:${t.id}`) ?? null}
            .gateReduction=${this.meters?.reduction(`track:${t.id}`, 'gate') ?? null}
            .deessReduction=${this.meters?.reduction(`track:${t.id}`, 'deess') ?? null} .listening=${this.listening.has(t.id)}
            ?read-only=${this.readOnly} ?selected=${this.selected === `track:${t.id}`} ?silenced=${this.silenced(s, t.id, t.mute)}
            data-strip="track:${t.id}"></mr-channel-strip>`,
        )}
        ${s.buses.length ? html`<div class="gap"></div>` : nothing}
        ${[...groups, ...auxes].map(
          (b) => html`<mr-channel-strip kind="bus" .strip=${b} .auxes=${b.kind === 'group' ? auxes : []}
            .outputs=${b.kind === 'group' ? groups : []} .actions=${this.actions}
            .touchers=${this.touchers.get(`bus:${b.id}`) ?? none} .meter=${this.meters?.peak(`bus:${b.id}`) ?? null}
            .listening=${this.listening.has(b.id)} ?read-only=${this.readOnly} ?silenced=${this.silenced(s, b.id, b.mute)}
            ?selected=${this.selected === `bus:${b.id}`}
            data-strip="bus:${b.id}"></mr-channel-strip>`,
        )}
        ${this.readOnly
          ? nothing
          : html`<div class="add">
              <button aria-label="Add a group bus" title="Group bus: route tracks into one sub-mix"
                @click=${() => this.actions?.addBus('group', `Group ${groups.length + 1}`)}>+ Group</button>
              <button aria-label="Add an aux return" title="Aux return: a reverb fed by sends"
                @click=${() => this.actions?.addBus('aux', `Aux ${auxes.length + 1}`)}>+ Aux</button>
            </div>`}
      </div>
      <mr-master-strip .master=${s.master} .actions=${this.actions} .meter=${this.meters?.peak('master:') ?? null}
        .loudness=${this.meters?.loudness ?? null} .touchers=${this.touchers.get('master:master') ?? none}
        ?read-only=${this.readOnly} data-strip="master:master"></mr-master-strip>
    `;
  }
}

customElements.define('mr-mixer', MrMixer);
declare global {
  interface HTMLElementTagNameMap {
    'mr-mixer': MrMixer;
  }
}
