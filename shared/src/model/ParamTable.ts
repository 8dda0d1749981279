import * as Y from 'yjs';
import { clampToRange, type FlatParams, type ParamSpec, type SpecNode, type SpecTable, type ValuesOf } from './ParamSpec.ts';

/**
 * What every record derives from its parameter table (ParamSpec.ts): defaults, sanitising
 * of stored data, validation of a snapshot, the flat table the ops check edits against,
 * the document layout and the migrations that add a parameter to stored records.
 */

type Raw = Record<string, unknown>;

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const asObj = (v: unknown): Raw => (isObj(v) ? v : {});
const isLeaf = (node: SpecNode): node is ParamSpec => node.kind !== 'section' && node.kind !== 'tuple';

function mapTable<T extends SpecTable>(table: T, leaf: (spec: ParamSpec, key: string) => unknown, sub: (node: SpecNode, key: string) => unknown): ValuesOf<T> {
  const out: Raw = {};
  for (const [key, node] of Object.entries(table)) out[key] = isLeaf(node) ? leaf(node, key) : sub(node, key);
  return out as ValuesOf<T>;
}

/** The defaults of every parameter in `table`, as fresh plain data. */
export function paramDefaults<T extends SpecTable>(table: T): ValuesOf<T> {
  return mapTable(
    table,
    (spec) => spec.default,
    (node) => (node.kind === 'section' ? paramDefaults(node.params) : node.kind === 'tuple' ? node.items.map((item) => paramDefaults(item.params)) : undefined),
  );
}

/** A stored leaf read back: a valid value as is (numbers clamped), anything else as the fallback. */
function sanitizeLeaf(spec: ParamSpec, v: unknown, fallback: unknown): unknown {
  // A parameter missing from an older record reads as the value it had before it existed.
  const otherwise = spec.legacy ?? fallback;
  switch (spec.kind) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? clampToRange(v, spec.range) : otherwise;
    case 'boolean':
      return typeof v === 'boolean' ? v : otherwise;
    case 'enum':
      return (spec.values as readonly unknown[]).includes(v) ? v : otherwise;
  }
}

/**
 * Reads the document JSON of one record's parameters (a tuple is a map keyed by index):
 * missing or malformed values read as `fallback`'s, numbers are clamped to their ranges.
 */
export function sanitizeParams<T extends SpecTable>(table: T, raw: unknown, fallback: ValuesOf<T>): ValuesOf<T> {
  const r = asObj(raw);
  const f = fallback as Raw;
  return mapTable(
    table,
    (spec, key) => sanitizeLeaf(spec, r[key], f[key]),
    (node, key) => {
      if (node.kind === 'section') return sanitizeParams(node.params, r[key], f[key] as ValuesOf<SpecTable>);
      if (node.kind !== 'tuple') return undefined;
      const items = asObj(r[key]);
      return node.items.map((item, i) => sanitizeParams(item.params, items[String(i)], (f[key] as ValuesOf<SpecTable>[])[i]!));
    },
  );
}

/**
 * Checks one record's parameters in a MixState (tuples as arrays) and appends every issue
 * as `path.key: message`. A parameter added after schema 1 may be missing (an older snapshot).
 */
export function checkParams(table: SpecTable, o: Raw, path: string, issues: string[]): void {
  for (const [key, node] of Object.entries(table)) {
    const here = `${path}.${key}`;
    const present = Object.hasOwn(o, key);
    if (!present && node.kind !== 'tuple' && node.since !== undefined) continue;
    if (!present) issues.push(`${here}: missing`);
    const v = o[key];
    switch (node.kind) {
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) issues.push(`${here}: expected a finite number`);
        else if (v < node.range.min || v > node.range.max) issues.push(`${here}: ${v} outside ${node.range.min}..${node.range.max} ${node.range.unit}`);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') issues.push(`${here}: expected a boolean`);
        break;
      case 'enum':
        if (!(node.values as readonly unknown[]).includes(v)) issues.push(`${here}: expected one of ${node.values.join(', ')}`);
        break;
      case 'section':
        if (!isObj(v)) issues.push(`${here}: expected an object`);
        checkParams(node.params, asObj(v), here, issues);
        break;
      case 'tuple': {
        if (!Array.isArray(v)) issues.push(`${here}: expected an array`);
        const items = Array.isArray(v) ? (v as unknown[]) : [];
        if (items.length !== node.items.length) issues.push(`${here}: expected exactly ${node.items.length} ${node.label}`);
        items.forEach((item, i) => {
          if (!isObj(item)) issues.push(`${here}[${i}]: expected an object`);
          const spec = node.items[i];
          if (spec) checkParams(spec.params, asObj(item), `${here}[${i}]`, issues);
        });
        break;
      }
    }
  }
}

/** `values` with every parameter a snapshot from before its `since` lacks filled in; `values` itself when none is missing. */
export function withAddedParams<V extends object>(table: SpecTable, values: V): V {
  const v = values as Raw;
  let out: Raw | null = null;
  const put = (key: string, value: unknown) => {
    out ??= { ...v };
    out[key] = value;
  };
  for (const [key, node] of Object.entries(table)) {
    if (isLeaf(node)) {
      if (node.since !== undefined && !Object.hasOwn(v, key)) put(key, node.legacy ?? node.default);
    } else if (node.kind === 'section' && isObj(v[key])) {
      const next = withAddedParams(node.params, v[key] as Raw);
      if (next !== v[key]) put(key, next);
    } else if (node.kind === 'section' && node.since !== undefined && !Object.hasOwn(v, key)) {
      put(key, legacyValues(node.params));
    } else if (node.kind === 'tuple' && Array.isArray(v[key])) {
      const items = v[key] as unknown[];
      const next = items.map((item, i) => (node.items[i] && isObj(item) ? withAddedParams(node.items[i].params, item) : item));
      if (next.some((item, i) => item !== items[i])) put(key, next);
    }
  }
  return (out ?? values) as V;
}

/** Every parameter of `table` at the value records from before it existed had (legacy, else default). */
function legacyValues(table: SpecTable): Raw {
  return mapTable(
    table,
    (spec) => spec.legacy ?? spec.default,
    (node) => (node.kind === 'section' ? legacyValues(node.params) : node.kind === 'tuple' ? node.items.map((item) => legacyValues(item.params)) : undefined),
  ) as Raw;
}

/** Every leaf of `table` by dotted path ('eq.bands.2.freq'), the form the ops check edits against. */
export function flattenParams<T extends SpecTable>(table: T): FlatParams<T> {
  const out: Record<string, ParamSpec> = {};
  const walk = (t: SpecTable, prefix: string) => {
    for (const [key, node] of Object.entries(t)) {
      const path = prefix + key;
      if (isLeaf(node)) out[path] = node;
      else if (node.kind === 'section') walk(node.params, `${path}.`);
      else if (node.kind === 'tuple') node.items.forEach((item, i) => walk(item.params, `${path}.${i}.`));
    }
  };
  walk(table, '');
  return out as FlatParams<T>;
}

/** One record's parameters as stored: sections are nested maps, tuples maps keyed by index. */
export function paramsToDocShape(table: SpecTable, values: Raw): Raw {
  const out: Raw = {};
  for (const [key, node] of Object.entries(table)) {
    const v = values[key];
    if (isLeaf(node)) out[key] = v;
    else if (node.kind === 'section') out[key] = paramsToDocShape(node.params, asObj(v));
    else if (node.kind === 'tuple') {
      const items = Array.isArray(v) ? (v as unknown[]) : [];
      out[key] = Object.fromEntries(node.items.map((item, i) => [String(i), paramsToDocShape(item.params, asObj(items[i]))]));
    }
  }
  return out;
}

/** A record's stored parameters split into top-level leaves and sections (records store leaves first). */
export function splitDocShape(shape: Raw): { leaves: Raw; sections: Raw } {
  const leaves: Raw = {};
  const sections: Raw = {};
  for (const [key, v] of Object.entries(shape)) (isObj(v) ? sections : leaves)[key] = v;
  return { leaves, sections };
}

/** The schema versions at which `table` gained parameters or sections (see ParamSpec `since`). */
export function paramSinceVersions(table: SpecTable): number[] {
  const out: number[] = [];
  const walk = (t: SpecTable) => {
    for (const node of Object.values(t)) {
      if (node.kind === 'tuple') node.items.forEach((item) => walk(item.params));
      else if (node.since !== undefined) out.push(node.since);
      if (node.kind === 'section') walk(node.params);
    }
  };
  walk(table);
  return out;
}

/**
 * Brings one stored record (`map`, a Y.Map laid out by `table`) from schema `from` to
 * `from + 1`: every parameter added at `from + 1` gets its legacy value where it is
 * missing, and a section added at `from + 1` its map. Any other missing section (a damaged
 * document) is left for sanitising to fill.
 */
export function addParamsSince(table: SpecTable, map: Y.Map<unknown>, from: number): void {
  // A section added at this step (a new processor) gets its map, filled with legacy values.
  for (const [key, node] of Object.entries(table)) {
    if (node.kind === 'section' && node.since === from + 1 && !map.has(key)) map.set(key, sectionMap(node.params));
  }
  for (const [path, spec] of Object.entries(flattenParams(table) as Readonly<Record<string, ParamSpec>>)) {
    if (spec.since !== from + 1) continue;
    const parts = path.split('.');
    const key = parts.pop()!;
    let target: Y.Map<unknown> | null = map;
    for (const part of parts) {
      const next: unknown = target.get(part);
      target = next instanceof Y.Map ? (next as Y.Map<unknown>) : null;
      if (!target) break;
    }
    if (target && !target.has(key)) target.set(key, spec.legacy ?? spec.default);
  }
}

/** A new Y.Map holding `table`'s legacy values, nested sections as nested maps. */
function sectionMap(table: SpecTable): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  for (const [key, node] of Object.entries(table)) {
    if (isLeaf(node)) m.set(key, node.legacy ?? node.default);
    else if (node.kind === 'section') m.set(key, sectionMap(node.params));
  }
  return m;
}

/**
 * The values of `table`'s parameters except its on/off switch, in table order: what the
 * section's dsp kernel is set with. Anything else `values` holds is left out.
 */
export function settingsOf<T extends SpecTable>(table: T, values: ValuesOf<T>): Omit<ValuesOf<T>, 'on'> {
  const out: Raw = {};
  for (const key of Object.keys(table)) if (key !== 'on') out[key] = (values as Raw)[key];
  return out as Omit<ValuesOf<T>, 'on'>;
}
