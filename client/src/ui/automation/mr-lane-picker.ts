import { LitElement, css, html, nothing } from 'lit';
import type { StripRef } from '../../mix/edit/MixActions.ts';

/** One parameter the picker offers. */
export interface LanePickerItem {
  path: string;
  /** In words: `fader`, `EQ band 2 gain`. */
  label: string;
  shown: boolean;
  /** The lane has points (it moves), shown or not. */
  active: boolean;
}

export interface LaneShowDetail {
  strip: StripRef;
  path: string;
  shown: boolean;
}

/**
 * The per-strip menu of automatable parameters: tick one to show its lane under the strip,
 * untick to hide it. Only this person's view changes. A parameter whose lane has points is
 * marked, so a moving parameter is never hidden by surprise.
 */
export class MrLanePicker extends LitElement {
  static override properties = {
    strip: { attribute: false },
    name: { type: String },
    items: { attribute: false },
    open: { state: true },
  };

  declare strip: StripRef;
  /** The strip's name, for labels. */
  declare name: string;
  declare items: readonly LanePickerItem[];
  declare open: boolean;
  private place = { left: 0, top: 0 };
  private readonly onOutside = (e: Event): void => {
    if (!e.composedPath().includes(this)) this.open = false;
  };

  constructor() {
    super();
    this.strip = { scope: 'track', id: '' };
    this.name = '';
    this.items = [];
    this.open = false;
  }

  static override styles = css`
    :host { display: inline-block; position: relative; }
    .toggle { font: 700 10px/1 var(--mr-font, system-ui); width: 20px; height: 18px; border-radius: 2px; border: 1px solid #3a414b;
      background: #2b3038; color: #aeb6c0; cursor: pointer; padding: 0; }
    .toggle.active { color: #ffb347; border-color: #ffb347; }
    .toggle[aria-expanded='true'] { background: #2f5d87; color: #fff; }
    .toggle:focus-visible, .menu button:focus-visible { outline: 2px solid var(--mr-accent, #4fb3ff); outline-offset: 1px; }
    .menu { position: fixed; z-index: 30; min-width: 190px; max-height: 320px; overflow: auto; background: #1b1e23; border: 1px solid #3a414b;
      border-radius: 4px; box-shadow: 0 8px 24px #000c; padding: 4px; display: flex; flex-direction: column; }
    .menu button { text-align: left; font: 11px/1.2 var(--mr-font, system-ui); color: #d8dde3; background: none; border: none; padding: 4px 6px;
      border-radius: 2px; cursor: pointer; display: flex; gap: 6px; align-items: center; }
    .menu button:hover { background: #2b3038; }
    .box { width: 12px; text-align: center; color: #4fb3ff; }
    .moving { margin-left: auto; color: #ffb347; font-size: 9px; }
  `;

  override render() {
    const active = this.items.some((i) => i.active);
    return html`<button class="toggle ${active ? 'active' : ''}" aria-haspopup="menu" aria-expanded=${String(this.open)}
        aria-label="${this.name} automation lanes" title="Show or hide automation lanes (only for you)" @click=${this.toggle}
        @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.close()}>A</button>
      ${this.open
        ? html`<div class="menu" role="menu" aria-label="${this.name} automation lanes" style="left:${this.place.left}px;top:${this.place.top}px"
            @keydown=${this.onMenuKey}>
            ${this.items.map(
              (i) => html`<button role="menuitemcheckbox" aria-checked=${String(i.shown)} data-path=${i.path}
                @click=${() => this.pick(i)}><span class="box" aria-hidden="true">${i.shown ? '✓' : ''}</span>${i.label}${i.active
                  ? html`<span class="moving">has points</span>`
                  : nothing}</button>`,
            )}
          </div>`
        : nothing}`;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pointerdown', this.onOutside, true);
  }

  private toggle(e: Event): void {
    if (this.open) return this.close();
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    this.place = { left: r.left, top: Math.min(r.bottom + 2, window.innerHeight - 330) };
    this.open = true;
    window.addEventListener('pointerdown', this.onOutside, true);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.menu button')?.focus());
  }

  private close(): void {
    this.open = false;
    window.removeEventListener('pointerdown', this.onOutside, true);
    this.renderRoot.querySelector<HTMLElement>('.toggle')?.focus();
  }

  private pick(item: LanePickerItem): void {
    this.dispatchEvent(new CustomEvent<LaneShowDetail>('lane-show', { detail: { strip: this.strip, path: item.path, shown: !item.shown }, bubbles: true, composed: true }));
  }

  private onMenuKey(e: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLElement>('.menu button')];
    const i = buttons.indexOf(e.composedPath()[0] as HTMLElement);
    if (e.key === 'Escape') {
      e.stopPropagation();
      this.close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      buttons[(i + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
    }
  }
}

customElements.define('mr-lane-picker', MrLanePicker);
declare global {
  interface HTMLElementTagNameMap {
    'mr-lane-picker': MrLanePicker;
  }
}
