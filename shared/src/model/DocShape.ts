/** A record as stored: nested plain objects become nested Y.Maps, everything else a leaf (see mixDocShape.ts). */
export interface DocShape {
  [key: string]: DocShape | DocLeaf;
}
export type DocLeaf = string | number | boolean | null | { readonly [key: string]: unknown };
