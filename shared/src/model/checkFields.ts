/** A record in a MixState being validated, before its fields are known to be right. */
export type RawRecord = Record<string, unknown>;

export const isRawRecord = (v: unknown): v is RawRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checkers of the non-parameter fields of a MixState (ids, names, colors, nested lists)
 * that append `path.key: message` to `issues`, as checkParams does for parameters.
 */
export function checkFields(issues: string[]) {
  const at = (o: RawRecord, key: string, path: string): unknown => {
    if (!Object.hasOwn(o, key)) issues.push(`${path}.${key}: missing`);
    return o[key];
  };
  return {
    at,
    obj(o: RawRecord, key: string, path: string): RawRecord {
      const v = at(o, key, path);
      if (isRawRecord(v)) return v;
      issues.push(`${path}.${key}: expected an object`);
      return {};
    },
    list(o: RawRecord, key: string, path: string): RawRecord[] {
      const v = at(o, key, path);
      if (!Array.isArray(v)) {
        issues.push(`${path}.${key}: expected an array`);
        return [];
      }
      return v.map((item, i) => {
        if (!isRawRecord(item)) issues.push(`${path}.${key}[${i}]: expected an object`);
        return isRawRecord(item) ? item : {};
      });
    },
    str(o: RawRecord, key: string, path: string, max: number): void {
      const v = at(o, key, path);
      if (typeof v !== 'string' || v.length === 0 || v.length > max) issues.push(`${path}.${key}: expected a string of 1..${max} characters`);
    },
    pattern(o: RawRecord, key: string, path: string, pattern: RegExp, what: string): void {
      const v = at(o, key, path);
      if (typeof v !== 'string' || !pattern.test(v)) issues.push(`${path}.${key}: expected ${what}`);
    },
    finite(o: RawRecord, key: string, path: string): void {
      const v = at(o, key, path);
      if (typeof v !== 'number' || !Number.isFinite(v)) issues.push(`${path}.${key}: expected a finite number`);
    },
    oneOf(o: RawRecord, key: string, path: string, values: readonly unknown[]): void {
      if (!values.includes(at(o, key, path))) issues.push(`${path}.${key}: expected one of ${values.join(', ')}`);
    },
  };
}

export type FieldChecks = ReturnType<typeof checkFields>;
