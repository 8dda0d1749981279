import { LitElement, css, html } from 'lit';
import { ControlDragController } from '../mix/edit/ControlDragController.ts';
import { FADER_MAX_DB, FADER_MIN_DB, dbToFaderPosition, faderPositionToDb } from '../mix/FaderLaw.ts';
import { onControlKey, type ControlKeyStep } from '../mix/edit/onControlKey.ts';
import { formatValue } from '../mix/formatValue.ts';

const TRAVEL_PX = 130;
/** dB a key press moves the fader: Shift+arrow, arrow, Page Up/Down. */
const FADER_KEY_STEPS_DB: Readonly<Record<ControlKeyStep, number>> = { fine: 0.1, normal: 0.5, coarse: 3 };

/**
 * A vertical console fader in dB. Drag is relative (grabbing never jumps the level),
 * Shift/Alt-drag is fine, double-click or Delete resets, arrows and PageUp/PageDown step
 * from the keyboard. It is an ARIA slider named by `label`.
 */
export class MrFader extends LitElement {
  static override properties = {
    value: { type: Number },
    label: { type: String },
    defaultValue: { type: Number, attribute: 'default-value' },
    disabled: { type: Boolean, reflect: true },
  };

  declare value: number;
  declare label: string;
  declare defaultValue: number;
  declare disabled: boolean;
  private dragStartY = 0;
  private dragStartPos = 0;
  private readonly drag = new ControlDragController(this, {
    value: () => this.value,
    disabled: () => this.disabled,
    begin: (e, value) => {
      this.dragStartY = e.clientY;
      this.dragStartPos = dbToFaderPosition(value);
    },
    next: (e, fine) => {
      const dy = (this.dragStartY - e.clientY) / fine;
      const pos = Math.min(1, Math.max(0, this.dragStartPos + dy / TRAVEL_PX));
      // Fine moves re-anchor so switching modifier mid-drag never jumps.
      if (fine > 1) {
        this.dragStartY = e.clientY;
        this.dragStartPos = pos;
      }
      return Math.round(faderPositionToDb(pos) * 10) / 10;
    },
  });

  constructor() {
    super();
    this.value = 0;
    this.label = 'Fader';
    this.defaultValue = 0;
    this.disabled = false;
  }

  static override styles = css`
    :host { display: inline-flex; flex-direction: column; align-items: center; gap: 4px; user-select: none; touch-action: none; }
    .track { position: relative; width: 28px; height: ${TRAVEL_PX + 24}px; cursor: ns-resize; outline: none; }
    .slot { position: absolute; left: 12px; top: 12px; bottom: 12px; width: 4px; border-radius: 2px; background: #0b0d10; box-shadow: inset 0 0 0 1px #2a2f37; }
    .tick { position: absolute; left: 2px; width: 6px; height: 1px; background: #4a525d; }
    .tick.zero { width: 24px; left: 2px; background: #69727e; }
    .cap { position: absolute; left: 2px; width: 24px; height: 22px; margin-top: -11px; border-radius: 3px;
      background: linear-gradient(#c9ced6, #8d949e 45%, #5d636c 50%, #9aa1ab); box-shadow: 0 2px 4px #000a; }
    .cap::after { content: ''; position: absolute; left: 3px; right: 3px; top: 10px; height: 2px; background: #1c1f24; }
    .track:focus-visible .cap { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 2px; }
    :host([disabled]) .track { cursor: default; opacity: 0.5; }
    .readout { font: 11px/1 var(--mr-mono, ui-monospace, monospace); color: var(--mr-text, #d8dde3); min-width: 52px; text-align: center;
      background: #0b0d10; border-radius: 2px; padding: 3px 2px; }
  `;

  private get shown(): number {
    return this.drag.shown;
  }

  override render() {
    const pos = dbToFaderPosition(this.shown);
    const top = 12 + (1 - pos) * TRAVEL_PX;
    const ticks = [12, 6, 0, -6, -12, -20, -30, -40, -60, -100];
    return html`
      <div
        class="track"
        role="slider"
        tabindex=${this.disabled ? -1 : 0}
        aria-label=${this.label}
        aria-valuemin=${FADER_MIN_DB}
        aria-valuemax=${FADER_MAX_DB}
        aria-valuenow=${Number(this.shown.toFixed(1))}
        aria-valuetext=${formatValue(this.shown, 'dB')}
        aria-disabled=${this.disabled ? 'true' : 'false'}
        aria-orientation="vertical"
        @pointerdown=${this.drag.down}
        @dblclick=${() => this.drag.reset(this.defaultValue)}
        @keydown=${this.onKey}
      >
        <div class="slot"></div>
        ${ticks.map(
          (db) => html`<div class="tick ${db === 0 ? 'zero' : ''}" style="top:${12 + (1 - dbToFaderPosition(db)) * TRAVEL_PX}px"></div>`,
        )}
        <div class="cap" style="top:${top}px"></div>
      </div>
      <div class="readout" aria-hidden="true">${formatValue(this.shown, 'dB')}</div>
    `;
  }

  private onKey(e: KeyboardEvent): void {
    if (this.disabled) return;
    onControlKey(this, e, this.defaultValue, (direction, step) => {
      const next = this.value + direction * FADER_KEY_STEPS_DB[step];
      return Math.round(Math.min(FADER_MAX_DB, Math.max(FADER_MIN_DB, next)) * 10) / 10;
    });
  }
}

customElements.define('mr-fader', MrFader);
declare global {
  interface HTMLElementTagNameMap {
    'mr-fader': MrFader;
  }
}
