/**
 * Canonical JSON encoding (the RFC 8785 "JCS" rules that matter for mix data): object keys
 * sorted by UTF-16 code units, no whitespace, numbers in ECMAScript shortest form (which is
 * what JSON.stringify emits), `-0` written as `0`, `undefined` object members omitted.
 * Two peers holding equal values therefore produce byte-identical text, which is what a
 * content hash needs: key order in a Yjs map or a JS object literal must not change a hash.
 *
 * @throws {TypeError} for values JSON cannot represent faithfully (NaN, Infinity, bigint,
 * functions, symbols, undefined array items), so a hash never silently covers a lossy copy.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => {
          if (item === undefined) throw new TypeError(`canonicalJson: undefined array item at ${path}[${i}]`);
          return encode(item, `${path}[${i}]`);
        }).join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(record[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value} at ${path}`);
  }
}
