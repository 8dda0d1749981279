/** A benchmark run by `pnpm bench` (see index.ts). Prints its own results. */
export interface BenchModule {
  run(options: { readonly signal: AbortSignal }): Promise<void>;
}
