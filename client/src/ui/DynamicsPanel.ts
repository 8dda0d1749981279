import { LitElement, html, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { NumberRange, TrackState } from '@mixroom/shared/model';
import { ControlRouter } from '../mix/edit/ControlRouter.ts';
import type { MixActions } from '../mix/edit/MixActions.ts';
import { AnimationFrameController } from '../lit/AnimationFrameController.ts';
import type { GainReductionReader } from '../mix/heard/MeterReader.ts';
import type { ValueUnit } from '../mix/formatValue.ts';
import './mr-knob.ts';

/** One knob of a panel: its parameter below the track, what it shows, and its range and reset value. */
export interface DynamicsKnob {
  /** Path below the track, e.g. `gate.threshold`. */
  readonly path: string;
  readonly caption: string;
  /** The word in its accessible name when not the caption (`makeup gain`, `frequency`). */
  readonly word?: string;
  readonly unit: ValueUnit;
  readonly range: Pick<NumberRange, 'min' | 'max'>;
  readonly default: number;
  readonly taper?: 'lin' | 'log';
  /** The value's resolution (0: continuous). */
  readonly step?: number;
}

/**
 * What the inspector's track dynamics panels (gate, compressor and saturation, de-esser) share:
 * the track, its actions and read-only state, the control router their knobs write through
 * (ended when the panel goes away mid-drag), a vertical gain-reduction meter drawn per frame
 * (no re-render), the key-source select, and knob rows built from a table.
 */
export abstract class DynamicsPanel extends LitElement {
  static override properties: PropertyDeclarations = {
    track: { attribute: false },
    tracks: { attribute: false },
    actions: { attribute: false },
    gainReduction: { attribute: false },
    readOnly: { type: Boolean, attribute: 'read-only' },
  };

  declare track: TrackState | null;
  /** The room's tracks: candidate key sources for a panel with a key input. */
  declare tracks: readonly TrackState[];
  declare actions: MixActions | null;
  declare gainReduction: GainReductionReader | null;
  declare readOnly: boolean;
  protected readonly router = new ControlRouter(
    () => this.actions,
    () => (this.track ? { scope: 'track', id: this.track.id } : null),
  );
  private readonly grMeter = new AnimationFrameController(this, () => this.drawReduction());

  constructor() {
    super();
    this.track = null;
    this.tracks = [];
    this.actions = null;
    this.gainReduction = null;
    this.readOnly = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.router.endAll();
  }

  /** The meter's full scale, dB of reduction. */
  protected abstract reductionMax(): number;

  /** The readout beside the meter. */
  protected reductionText(gr: number): string {
    return `GR ${gr.toFixed(1)} dB`;
  }

  private drawReduction(): void {
    const gr = Math.max(0, this.gainReduction?.() ?? 0);
    const bar = this.renderRoot.querySelector<HTMLElement>('.gr i');
    const val = this.renderRoot.querySelector('.grv');
    const meter = this.renderRoot.querySelector('.gr');
    if (bar) bar.style.height = `${Math.min(100, (gr / (this.reductionMax() || 1)) * 100)}%`;
    if (meter) meter.setAttribute('aria-valuenow', gr.toFixed(1));
    if (val) val.textContent = this.reductionText(gr);
  }

  /** A processor's section: its knobs write through the router. */
  protected section(label: string, content: TemplateResult): TemplateResult {
    const r = this.router.handle;
    return html`<section role="group" aria-label=${label} @control-start=${r} @control-input=${r} @control-end=${r} @control-set=${r}>${content}</section>`;
  }

  /** The gain-reduction meter (filled per frame) named `label`. */
  protected reductionMeter(label: string): TemplateResult {
    return html`<div class="gr" role="meter" aria-label=${label} aria-valuemin="0" aria-valuemax=${this.reductionMax()} aria-valuenow="0"><i></i></div>`;
  }

  /** The key (sidechain) source select: the track itself or another track, written to `path`. */
  protected keySelect(label: string, current: string | null, path: string): TemplateResult {
    const t = this.track!;
    return html`<label>key <select aria-label=${label} ?disabled=${this.readOnly}
        @change=${(e: Event) => this.set(path, (e.target as HTMLSelectElement).value || null)}>
        <option value="" ?selected=${current === null}>self</option>
        ${this.tracks.filter((o) => o.id !== t.id).map((o) => html`<option value=${o.id} ?selected=${current === o.id}>${o.name}</option>`)}
      </select></label>`;
  }

  /** Knobs from a table, named `<track> <processor> <word>`, showing `values` by their path's last part. */
  protected knobs(processor: string, entries: readonly DynamicsKnob[], values: object): TemplateResult[] {
    const n = this.track!.name;
    return entries.map((k) => {
      const value = (values as Readonly<Record<string, number>>)[k.path.slice(k.path.lastIndexOf('.') + 1)];
      return html`<mr-knob data-path=${k.path} .value=${value} .min=${k.range.min} .max=${k.range.max} taper=${k.taper ?? 'lin'}
        .step=${k.step ?? 0} unit=${k.unit} caption=${k.caption} .defaultValue=${k.default} label="${n} ${processor} ${k.word ?? k.caption}"
        ?disabled=${this.readOnly}></mr-knob>`;
    });
  }

  protected set(path: string, value: number | boolean | string | null): void {
    if (this.track && this.actions) this.actions.set({ scope: 'track', id: this.track.id }, path, value);
  }
}
