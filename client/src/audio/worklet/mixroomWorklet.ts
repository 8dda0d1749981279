/// <reference path="./AudioWorkletGlobals.d.ts" />
/**
 * Entry of the AudioWorklet bundle: built (never copied) from shared/dsp by Vite
 * (`?worker&url` in the app) or esbuild (tests), and loaded with
 * `context.audioWorklet.addModule(url)` before the engine creates nodes.
 */
import { KernelProcessor } from './KernelProcessor.ts';
import { MeterProcessor } from './MeterProcessor.ts';
import { KERNEL_PROCESSOR_NAME, METER_PROCESSOR_NAME } from './WorkletMessage.ts';

registerProcessor(KERNEL_PROCESSOR_NAME, KernelProcessor);
registerProcessor(METER_PROCESSOR_NAME, MeterProcessor);
