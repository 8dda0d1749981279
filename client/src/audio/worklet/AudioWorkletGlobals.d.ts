// The AudioWorkletGlobalScope is not in TypeScript's DOM lib; these are the parts the
// worklet bundle uses (Web Audio spec, "AudioWorkletGlobalScope").
declare const sampleRate: number;
declare const currentFrame: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}
declare function registerProcessor(
  name: string,
  ctor: new (options: { processorOptions?: unknown; numberOfInputs?: number }) => AudioWorkletProcessor & {
    process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean;
  },
): void;
