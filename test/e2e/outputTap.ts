import type { BrowserContext, Page } from 'playwright-core';

/**
 * Records what a page sends to its speakers, sample for sample, without changing the app:
 * an init script wraps the native `AudioNode.prototype.connect`/`disconnect` so every node
 * connected to a context's destination is also connected to a recorder AudioWorkletNode
 * (its own module, from a Blob URL). The worklet runs on the audio thread and posts each
 * block with its context frame, so a busy page loses nothing. The recorder sums the same
 * inputs as the destination, with the destination's channel rules (2, explicit, speakers).
 */
export async function installOutputTap(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: pageScript(pageTap) });
}

/**
 * A self-contained function as an init script. Run through tsx, esbuild keeps function names
 * by wrapping them in `__name(...)` calls, which the page does not define: define it.
 */
export function pageScript(fn: () => void): string {
  return `var __name = (f) => f;\n(${fn.toString()})();`;
}

/** One armed stretch of the page's output. */
export interface TapRecording {
  sampleRate: number;
  /** Context frame of `left[0]`. */
  startFrame: number;
  left: Float32Array;
  right: Float32Array;
  /** Recording index ranges [from, to) the render thread never rendered (it fell behind and skipped them); silent here. */
  gaps: [number, number][];
  /** performance.now() of the last `mark()`. */
  markedAt: number;
  /** Context frame of the first non-zero sample after arming, and its estimated performance.now() at the output (null: silence). */
  firstSound: { frame: number; at: number } | null;
}

interface PageTap {
  arm(): Promise<void>;
  mark(): void;
  firstSound(): { frame: number; at: number } | null;
  disarm(): { sampleRate: number; startFrame: number; frames: number; left: string; right: string; gaps: [number, number][]; markedAt: number; firstSound: { frame: number; at: number } | null };
}

/** Starts recording (drops anything recorded before). Resolves once the recorder runs. */
export async function armTap(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __outputTap: PageTap }).__outputTap.arm());
}

/** Notes performance.now() as the reference for the time to first sound (a click on Play marks itself). */
export async function markTap(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __outputTap: PageTap }).__outputTap.mark());
}

/** Waits (recording on) until the page's output is no longer silent; returns `firstSound`. */
export async function waitForSound(page: Page, timeoutMs: number): Promise<{ frame: number; at: number }> {
  const handle = await page.waitForFunction(() => (window as unknown as { __outputTap: PageTap }).__outputTap.firstSound(), null, { timeout: timeoutMs, polling: 20 });
  return (await handle.jsonValue())!;
}

/** Stops recording and returns everything since `armTap`, gaps filled with silence. */
export async function readTap(page: Page): Promise<TapRecording> {
  const r = await page.evaluate(() => (window as unknown as { __outputTap: PageTap }).__outputTap.disarm());
  const decode = (s: string) => {
    const b = Buffer.from(s, 'base64');
    const out = new Float32Array(b.byteLength / 4);
    new Uint8Array(out.buffer).set(b);
    return out;
  };
  return { sampleRate: r.sampleRate, startFrame: r.startFrame, left: decode(r.left), right: decode(r.right), gaps: r.gaps, markedAt: r.markedAt, firstSound: r.firstSound };
}

/** Runs in the page before any of its scripts (serialized by Playwright: self-contained). */
function pageTap(): void {
  const BATCH = 32; // render quanta per message (4096 frames)
  const processor = `
    class MixroomTestTap extends AudioWorkletProcessor {
      constructor() {
        super();
        this.armed = false;
        this.l = new Float32Array(${BATCH} * 128);
        this.r = new Float32Array(${BATCH} * 128);
        this.n = 0;
        this.start = 0;
        this.port.onmessage = (e) => { this.armed = e.data.armed; this.n = 0; };
      }
      flush() {
        if (this.n > 0) this.port.postMessage({ frame: this.start, l: this.l.slice(0, this.n * 128), r: this.r.slice(0, this.n * 128) });
        this.n = 0;
      }
      process(inputs) {
        if (!this.armed) return true;
        const input = inputs[0];
        // Frames the render thread skipped (it fell behind): the batch ends there, the gap shows.
        if (this.n > 0 && currentFrame !== this.start + this.n * 128) this.flush();
        if (this.n === 0) this.start = currentFrame;
        const at = this.n * 128;
        if (input.length > 0) {
          this.l.set(input[0], at);
          this.r.set(input[1] || input[0], at);
        } else {
          this.l.fill(0, at, at + 128);
          this.r.fill(0, at, at + 128);
        }
        if (++this.n === ${BATCH}) this.flush();
        return true;
      }
    }
    registerProcessor('mixroom-test-tap', MixroomTestTap);`;
  const url = URL.createObjectURL(new Blob([processor], { type: 'text/javascript' }));
  const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
  const disconnect = AudioNode.prototype.disconnect as (this: AudioNode, ...args: unknown[]) => unknown;
  const taps = new Map<BaseAudioContext, Promise<AudioWorkletNode>>();
  const linked = new Set<AudioNode>();
  const state = {
    node: null as AudioWorkletNode | null,
    ctx: null as AudioContext | null,
    armed: false,
    blocks: [] as { frame: number; l: Float32Array; r: Float32Array }[],
    markedAt: 0,
    firstSound: null as { frame: number; at: number } | null,
  };
  const tapFor = (ctx: BaseAudioContext): Promise<AudioWorkletNode> => {
    let tap = taps.get(ctx);
    if (!tap) {
      tap = ctx.audioWorklet.addModule(url).then(() => {
        const node = new AudioWorkletNode(ctx, 'mixroom-test-tap', {
          numberOfInputs: 1,
          numberOfOutputs: 0,
          channelCount: 2,
          channelCountMode: 'explicit',
          channelInterpretation: 'speakers',
        });
        node.port.onmessage = (e: MessageEvent<{ frame: number; l: Float32Array; r: Float32Array }>) => {
          if (!state.armed) return;
          state.blocks.push(e.data);
          if (state.firstSound === null) {
            // Not silent: above -200 dBFS (the engine's strips carry a constant 2^-100, ~1e-29 at the output).
            const i = e.data.l.findIndex((v, k) => Math.abs(v) > 1e-10 || Math.abs(e.data.r[k]!) > 1e-10);
            if (i >= 0) {
              // Where that frame reaches the speakers, on this page's clock.
              const ts = (ctx as AudioContext).getOutputTimestamp();
              const frame = e.data.frame + i;
              state.firstSound = { frame, at: (ts.performanceTime ?? 0) + (frame / ctx.sampleRate - (ts.contextTime ?? 0)) * 1000 };
            }
          }
        };
        if (ctx instanceof AudioContext) {
          state.node = node;
          state.ctx = ctx;
        }
        return node;
      });
      taps.set(ctx, tap);
    }
    return tap;
  };
  AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
    const result = connect.apply(this, args);
    const [dest, output] = args;
    if (dest instanceof AudioDestinationNode && this.context instanceof AudioContext) {
      linked.add(this);
      void tapFor(this.context).then((tap) => {
        if (linked.has(this)) connect.call(this, tap, output ?? 0);
      });
    }
    return result;
  } as typeof AudioNode.prototype.connect;
  AudioNode.prototype.disconnect = function (this: AudioNode, ...args: unknown[]) {
    const result = disconnect.apply(this, args);
    if (linked.has(this) && (args.length === 0 || args[0] instanceof AudioDestinationNode)) {
      linked.delete(this);
      void taps.get(this.context)?.then((tap) => {
        try {
          disconnect.call(this, tap);
        } catch {
          // Already gone with a full disconnect().
        }
      });
    }
    return result;
  } as typeof AudioNode.prototype.disconnect;
  // A click on Play (or anything) marks the moment playback was asked for.
  window.addEventListener('click', () => (state.markedAt = performance.now()), true);
  const encode = (a: Float32Array): string => {
    const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    let s = '';
    for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
    return btoa(s);
  };
  (window as unknown as { __outputTap: unknown }).__outputTap = {
    async arm() {
      for (let waited = 0; !state.node && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      if (!state.node) throw new Error('no AudioContext output to tap');
      state.blocks = [];
      state.firstSound = null;
      state.armed = true;
      state.node.port.postMessage({ armed: true });
    },
    mark() {
      state.markedAt = performance.now();
    },
    firstSound() {
      return state.firstSound;
    },
    disarm() {
      state.armed = false;
      state.node?.port.postMessage({ armed: false });
      const blocks = state.blocks.splice(0);
      const start = blocks[0]?.frame ?? 0;
      const end = blocks.length ? blocks[blocks.length - 1]!.frame + blocks[blocks.length - 1]!.l.length : 0;
      const l = new Float32Array(end - start);
      const r = new Float32Array(end - start);
      const gaps: [number, number][] = [];
      let next = start;
      for (const b of blocks) {
        if (b.frame > next) gaps.push([next - start, b.frame - start]);
        l.set(b.l, b.frame - start);
        r.set(b.r, b.frame - start);
        next = b.frame + b.l.length;
      }
      return { sampleRate: state.ctx?.sampleRate ?? 0, startFrame: start, frames: l.length, left: encode(l), right: encode(r), gaps, markedAt: state.markedAt, firstSound: state.firstSound };
    },
  };
}
