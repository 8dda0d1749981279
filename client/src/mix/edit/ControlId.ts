/**
 * Names a touchable control so presence can say "Ana is on the bass fader". Format:
 * `<scope>:<id>:<param>` where scope is track | bus | master (master has id `master`).
 */
export type ControlScope = 'track' | 'bus' | 'master';

export function controlId(scope: ControlScope, id: string, param: string): string {
  return `${scope}:${id}:${param}`;
}

/** The strip a control belongs to (`track:<id>`), or null for a malformed id. */
export function stripOfControl(control: string): string | null {
  const parts = control.split(':');
  if (parts.length < 3) return null;
  return `${parts[0]}:${parts[1]}`;
}
