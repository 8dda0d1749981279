/**
 * The vocabulary of a record's parameter table (see TrackSpec.ts and its siblings): one
 * entry per parameter with its kind, unit, range, default and display law. Validation,
 * sanitising, defaults, the ops' checks, the console's laws and the dsp kernels' clamps
 * all read these entries (ParamTable.ts derives them), so a parameter is written once.
 */

export type Unit = 'dB' | 'Hz' | 's' | 'ratio' | 'pan' | 'bpm' | 'samples/s';

/** How a control shows a number: evenly, on a log scale, or on a console fader's throw. */
export type DisplayLaw = 'linear' | 'log' | 'fader';

export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly unit: Unit;
}

/**
 * A parameter added after schema 1 says since which schema version it exists. Records
 * stored before that read it as `legacy` (or `default` if none) and the migration to
 * `since` writes that value into them; snapshots from before may lack it.
 */
interface Added<V> {
  readonly since?: number;
  readonly legacy?: V;
}

export interface NumberSpec extends Added<number> {
  readonly kind: 'number';
  readonly range: NumberRange;
  readonly default: number;
  readonly law: DisplayLaw;
}

export interface BooleanSpec extends Added<boolean> {
  readonly kind: 'boolean';
  readonly default: boolean;
}

export interface EnumSpec<V extends string = string> extends Added<V> {
  readonly kind: 'enum';
  readonly values: readonly V[];
  readonly default: V;
}

/** One leaf parameter. */
export type ParamSpec = NumberSpec | BooleanSpec | EnumSpec;

/**
 * A group of parameters stored as a nested map ('comp', 'eq.hpf'). A section added after
 * schema 1 (a new processor) says `since`: records stored before read it as its
 * parameters' legacy values (or defaults), and the migration to `since` creates its map.
 */
export interface SectionSpec<P extends SpecTable = SpecTable> {
  readonly kind: 'section';
  readonly params: P;
  readonly since?: number;
}

/** A fixed number of sections, an array in MixState and a map keyed '0'..'n-1' in the document (EQ bands). */
export interface TupleSpec<I extends readonly SectionSpec[] = readonly SectionSpec[]> {
  readonly kind: 'tuple';
  /** What the items are called in messages ('bands'). */
  readonly label: string;
  readonly items: I;
}

export type SpecNode = ParamSpec | SectionSpec | TupleSpec;
export type SpecTable = { readonly [key: string]: SpecNode };

/** A number in `unit`, clamped to [min, max]. */
export function num(unit: Unit, min: number, max: number, dflt: number, options: { law?: DisplayLaw } & Added<number> = {}): NumberSpec {
  return { kind: 'number', range: { min, max, unit }, default: dflt, law: options.law ?? 'linear', ...since(options) };
}

/** A switch. */
export function bool(dflt: boolean, options: Added<boolean> = {}): BooleanSpec {
  return { kind: 'boolean', default: dflt, ...since(options) };
}

/** One of a fixed list of strings. */
export function oneOf<const V extends string>(values: readonly V[], dflt: NoInfer<V>, options: Added<NoInfer<V>> = {}): EnumSpec<V> {
  return { kind: 'enum', values, default: dflt, ...since(options) };
}

/** A nested group of parameters; `since` for a section added to stored records later. */
export function section<const P extends SpecTable>(params: P, options: { since?: number } = {}): SectionSpec<P> {
  return { kind: 'section', params, ...(options.since !== undefined ? { since: options.since } : {}) };
}

/** `items.length` sections stored by index. */
export function tuple<const I extends readonly SectionSpec[]>(label: string, items: I): TupleSpec<I> {
  return { kind: 'tuple', label, items };
}

function since<V>(options: Added<V>): Added<V> {
  return {
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.legacy !== undefined ? { legacy: options.legacy } : {}),
  };
}

/** The value a leaf spec holds. */
export type ParamValueOf<S> = S extends { kind: 'number' }
  ? number
  : S extends { kind: 'boolean' }
    ? boolean
    : S extends { kind: 'enum'; values: readonly (infer V)[] }
      ? V
      : never;

/** The plain data a spec node describes (sections as objects, tuples as arrays). */
export type ValueOf<S> =
  S extends SectionSpec<infer P> ? ValuesOf<P> : S extends TupleSpec<infer I> ? { -readonly [K in keyof I]: ValueOf<I[K]> } : ParamValueOf<S>;

/** The plain data a table describes; keeps each entry's TSDoc. */
export type ValuesOf<T> = { -readonly [K in keyof T]: ValueOf<T[K]> };

type Join<P extends string, K extends string> = P extends '' ? K : `${P}.${K}`;
type TupleKeys<I> = keyof I & `${number}`;

/** Every leaf's dotted path ('gain', 'eq.bands.2.freq'): the path IS its storage location. */
export type ParamPaths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends SectionSpec<infer Q>
    ? ParamPaths<Q, Join<P, K>>
    : T[K] extends TupleSpec<infer I>
      ? { [N in TupleKeys<I>]: I[N] extends SectionSpec<infer Q> ? ParamPaths<Q, Join<Join<P, K>, N>> : never }[TupleKeys<I>]
      : Join<P, K>;
}[keyof T & string];

/** The leaf spec at a dotted path. */
export type SpecAt<T, Path extends string> = Path extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? T[H] extends SectionSpec<infer Q>
      ? SpecAt<Q, R>
      : T[H] extends TupleSpec<infer I>
        ? R extends `${infer N}.${infer R2}`
          ? N extends keyof I
            ? I[N] extends SectionSpec<infer Q>
              ? SpecAt<Q, R2>
              : never
            : never
          : never
        : never
    : never
  : Path extends keyof T
    ? T[Path]
    : never;

/** A table flattened to its leaves by dotted path. */
export type FlatParams<T> = { readonly [P in ParamPaths<T>]: SpecAt<T, P> };

/** Clamps `value` into `range`. Callers must have rejected non-finite numbers first. */
export function clampToRange(value: number, range: NumberRange): number {
  return Math.min(range.max, Math.max(range.min, value));
}
