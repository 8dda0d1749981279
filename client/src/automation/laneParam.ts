import { isAutomatable, isSwitchPath, type AutomationScope, type DisplayLaw, type MixState, type NumberRange, type ParamSpec } from '@mixroom/shared/model';
import { BUS_PARAMS, MASTER_PARAMS, SEND_PARAMS, TRACK_PARAMS } from '@mixroom/shared/ops';

/** What a lane needs to know of its parameter to draw and edit it. */
export interface LaneParam {
  /** Strip-relative path ('gain', 'sends.<busId>.level', 'eq.bands.1.gain'). */
  readonly path: string;
  /** The model range; a switch (mute) is 0..1 with held segments. */
  readonly range: NumberRange;
  readonly switch: boolean;
  /** How values spread over the lane's height: like the control that shows them. */
  readonly law: DisplayLaw;
}

const SEND = /^sends\.([^.]+)\.level$/;

function specOf(scope: AutomationScope, path: string): ParamSpec | undefined {
  if (SEND.test(path)) return SEND_PARAMS.level;
  const table: Readonly<Record<string, ParamSpec>> = (scope === 'master' ? MASTER_PARAMS : scope === 'bus' ? BUS_PARAMS : TRACK_PARAMS) as Readonly<Record<string, ParamSpec>>;
  return Object.hasOwn(table, path) ? table[path] : undefined;
}

/**
 * The lane view of an automatable parameter, read from the record's parameter table (range,
 * display law), or null when `path` may not carry a lane on a `scope` strip.
 */
export function laneParamOf(scope: AutomationScope, path: string): LaneParam | null {
  if (!isAutomatable(scope, path)) return null;
  if (isSwitchPath(path)) return { path, range: { min: 0, max: 1, unit: 'ratio' }, switch: true, law: 'linear' };
  const spec = specOf(scope, path);
  if (!spec || spec.kind !== 'number') return null;
  return { path, range: spec.range, switch: false, law: spec.law };
}

/**
 * Every parameter of a strip that can carry a lane, in console order: fader, pan, mute, the
 * strip's sends to aux returns (only sends it has: the model keeps no lane for a send that
 * does not exist), then (tracks) EQ band gains and frequencies, compressor threshold and
 * saturation drive; the master has its fader and limiter ceiling.
 */
export function automatablePaths(scope: AutomationScope, stripId: string, state: MixState): string[] {
  if (scope === 'master') return ['gain', 'limiter.ceiling'];
  const strip = (scope === 'track' ? state.tracks : state.buses).find((s) => s.id === stripId);
  const has = new Set(strip?.sends.map((s) => s.bus) ?? []);
  const sends = state.buses.filter((b) => b.kind === 'aux' && b.id !== stripId && has.has(b.id)).map((b) => `sends.${b.id}.level`);
  const base = ['gain', 'pan', 'mute', ...sends];
  if (scope === 'bus') return base.filter((p) => isAutomatable(scope, p));
  const bands = [0, 1, 2, 3].flatMap((n) => [`eq.bands.${n}.gain`, `eq.bands.${n}.freq`]);
  return [...base, ...bands, 'comp.threshold', 'sat.drive'].filter((p) => isAutomatable(scope, p));
}
