/**
 * The index of each name in a kernel's state-block layout (compressorState.ts, gateState.ts,
 * deesserState.ts): the JavaScript kernel's Float64Array slots, and the generated constants
 * of its WebAssembly twin.
 */
export function slotIndex<S extends string>(slots: readonly S[]): { readonly [K in S]: number } {
  return Object.freeze(Object.fromEntries(slots.map((name, i) => [name, i]))) as { readonly [K in S]: number };
}
