import { css, unsafeCSS } from 'lit';

/** Side of a dynamics panel's curve and height of its gain-reduction meter, px. */
export const DYNAMICS_GRAPH_PX = 92;

const G = unsafeCSS(DYNAMICS_GRAPH_PX);

/**
 * What the inspector's dynamics panels (compressor, gate, de-esser) look like: sections with a
 * switch, a curve, a vertical gain-reduction meter in `--gr-color`, and knobs.
 */
export const dynamicsPanelStyles = css`
  :host { display: flex; gap: 8px; font: 10px/1.2 var(--mr-font, system-ui, sans-serif); color: var(--mr-text, #d8dde3); }
  section { background: #1b1e23; border: 1px solid #2a2f37; border-radius: 3px; padding: 4px 6px; }
  h3 { margin: 0 0 4px; font-size: 10px; letter-spacing: 0.08em; color: #8a939e; display: flex; gap: 6px; align-items: center; }
  .row { display: flex; gap: 4px; align-items: flex-start; }
  mr-knob { --knob-size: 26px; }
  button { font: 600 9px/1 var(--mr-font, system-ui); color: #aeb6c0; background: #2b3038; border: 1px solid #3a414b; border-radius: 2px; padding: 2px 5px; cursor: pointer; }
  button[aria-pressed='true'] { background: #2f5d87; color: #fff; border-color: #4fb3ff; }
  select { font: 10px var(--mr-font, system-ui); background: #15181c; color: #aeb6c0; border: 1px solid #2a2f37; }
  svg { width: ${G}px; height: ${G}px; background: #0e1013; border: 1px solid #2a2f37; }
  .gr { width: 12px; height: ${G}px; background: #0b0d10; position: relative; border: 1px solid #2a2f37; }
  .gr i { position: absolute; left: 0; right: 0; top: 0; height: 0; background: var(--gr-color, #e0a030); }
  .grv { font-family: var(--mr-mono, ui-monospace, monospace); color: var(--gr-color, #e0a030); min-width: 40px; }
`;
