/**
 * Up to two initials for a presence dot, from the letters and digits of a display name:
 * "Eve (engineer)" -> "EE", "ana-maria" -> "AM", "@dj_k" -> "DK". Punctuation never becomes
 * an initial; a name without letters or digits gets "?".
 */
export function initialsOf(name: string): string {
  const words = name.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const letters = words.map((w) => [...w][0]!);
  const out = letters.length === 1 ? [...words[0]!].slice(0, 1) : letters.slice(0, 2);
  return out.join('').toLocaleUpperCase() || '?';
}
