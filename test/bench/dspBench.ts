/**
 * DSP kernel benchmark: x-realtime of every shared/dsp kernel on a 20 s stereo signal at
 * 48 kHz (best of 3 runs), processed in 4096-frame blocks like the bake. Prints ratios only (no thresholds):
 * the kernels against each other, a full channel strip, and the implied capacity of one
 * core for the 40-stem x 30x-realtime bake target (needs >= 600 strip-seconds per core-second
 * on 2 cores). Run alone with `pnpm tsx test/bench/dspBench.ts`; test/bench/index.ts calls run().
 */
import {
  BiquadCascade,
  BiquadProcessor,
  type ChannelPeakMeter,
  CompressorProcessor,
  DelayProcessor,
  type CompressorParams,
  GainProcessor,
  GateProcessor,
  type GateParams,
  LimiterProcessor,
  PeakRmsMeter,
  ReverbProcessor,
  SaturationProcessor,
  DeesserProcessor,
  StereoPannerProcessor,
  TruePeakMeter,
  type DspProcessor,
  linearGainOf,
  stereoPannerLaw,
} from '@mixroom/shared/dsp';
import { WasmLimiter } from '../../server/src/render/simd/WasmLimiter.ts';
import { WasmTruePeakMeter } from '../../server/src/render/simd/WasmTruePeakMeter.ts';
import type { ChainStage } from '../../server/src/render/simd/ChainStage.ts';
import { createChainKernel } from '../../server/src/render/simd/createChainKernel.ts';
import { StripChainMemory } from '../../server/src/render/simd/StripChainMemory.ts';

const SR = 48000;
const SECONDS = 20;
/** Each kernel is timed this many times on fresh instances; the best run is reported (the machine is shared). */
const RUNS = 3;
const BLOCK = 4096;

export interface DspBenchResult {
  kernel: string;
  /** Signal seconds per wall-clock second. */
  xRealtime: number;
  /** Signal seconds per CPU second of this process (less sensitive to a busy machine). */
  xRealtimeCpu: number;
}

function signal(seed: number): Float32Array {
  const n = SR * SECONDS;
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    // Music-ish: a bass tone plus noise, peaks around -3 dBFS so dynamics actually work.
    out[i] = 0.35 * Math.sin((2 * Math.PI * 55 * i) / SR) + 0.35 * ((s / 4294967296) * 2 - 1);
  }
  return out;
}

// Anything that can run over a block of stereo audio.
type Chain = Array<Pick<DspProcessor<unknown>, 'process'>>;

function timeChain(chain: Chain, l: Float32Array, r: Float32Array): { wall: number; cpu: number } {
  const work = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
  const frames = l.length;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < frames; i += BLOCK) {
    const n = Math.min(BLOCK, frames - i);
    work[0]!.set(l.subarray(i, i + n));
    work[1]!.set(r.subarray(i, i + n));
    for (const k of chain) k.process(work, work, n);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const signal = frames / SR;
  return { wall: signal / seconds, cpu: signal / ((cpu.user + cpu.system) / 1e6) };
}

function make(): Record<string, () => Chain> {
  const biquad = (type: 'highpass' | 'lowpass' | 'peaking' | 'lowshelf' | 'highshelf', frequency: number, gain = 0) => {
    const b = new BiquadProcessor(SR);
    b.setParams({ type, frequency, gain, Q: type === 'peaking' ? 1.2 : 0.7 });
    return b as DspProcessor<unknown>;
  };
  const comp = (overrides: Partial<CompressorParams> = {}) => {
    const c = new CompressorProcessor(SR);
    c.setParams({ threshold: -18, ratio: 4, attack: 0.005, release: 0.1, knee: 6, makeup: 3, ...overrides });
    return c as DspProcessor<unknown>;
  };
  const sat = () => {
    const s = new SaturationProcessor(SR);
    s.setParams({ drive: 6, mix: 0.5 });
    return s as DspProcessor<unknown>;
  };
  const deess = (threshold = -30) => {
    const d = new DeesserProcessor(SR);
    d.setParams({ freq: 6500, threshold, range: 6 });
    return d as DspProcessor<unknown>;
  };
  const gate = (overrides: Partial<GateParams> = {}) => {
    const g = new GateProcessor(SR);
    g.setParams({ threshold: -40, range: -60, ratio: 100, attack: 0.0005, hold: 0.02, release: 0.1, hysteresis: 6, scHpf: 80, ...overrides });
    return g as DspProcessor<unknown>;
  };
  const gain = () => {
    const g = new GainProcessor(SR);
    g.setParams({ gain: -3, trim: 1 });
    return g as DspProcessor<unknown>;
  };
  const pan = () => {
    const p = new StereoPannerProcessor(SR);
    p.setParams({ pan: 0.3 });
    return p as DspProcessor<unknown>;
  };
  /** A strip's HPF, LPF and 4 EQ bands. */
  const stripBiquads = () => [
    biquad('highpass', 80),
    biquad('lowpass', 16000),
    biquad('lowshelf', 120, 2),
    biquad('peaking', 400, -3),
    biquad('peaking', 2500, 2),
    biquad('highshelf', 9000, 1.5),
  ];
  const eqStages = () => [biquad('highpass', 80), biquad('lowshelf', 120, 2), biquad('peaking', 400, -3), biquad('peaking', 2500, 2), biquad('highshelf', 9000, 1.5)];
  /**
   * The bench strip as the bake runs it, one WebAssembly SIMD chain (bit-identical samples):
   * `biquads` in order, the gate after the first `gateAfter` of them, the compressor, the
   * de-esser after it when asked, then gain and pan.
   */
  const simdStrip = (biquads: DspProcessor<unknown>[], options: { gateAfter?: number; deess?: boolean } = {}) => {
    const c = comp() as unknown as CompressorProcessor;
    const g = gain() as unknown as GainProcessor;
    const p = pan() as unknown as StereoPannerProcessor;
    const biquad = (b: DspProcessor<unknown>): ChainStage => ({ kind: 'biquad', coefficients: { ...(b as unknown as BiquadProcessor).coefficients } });
    const stages: ChainStage[] = biquads.map(biquad);
    if (options.gateAfter !== undefined) {
      const gt = gate({ threshold: -5, hysteresis: 3, hold: 0.002, release: 0.01 }) as unknown as GateProcessor;
      stages.splice(options.gateAfter, 0, { kind: 'gate', constants: gt.steadyState(), lag: 0 });
    }
    stages.push({ kind: 'comp', detector: 'peak', constants: c.steadyState() });
    if (options.deess) stages.push({ kind: 'deess', constants: (deess() as unknown as DeesserProcessor).steadyState(), lag: 0 });
    stages.push({ kind: 'gain', gain: linearGainOf(g.getParams()) }, { kind: 'pan', ...stereoPannerLaw(p.getParams().pan, true) });
    return [createChainKernel(new StripChainMemory(), stages, 2, 2, BLOCK)];
  };
  return {
    'biquad (1 band)': () => [biquad('peaking', 1000, 4)],
    gain: () => [gain()],
    'stereo panner': () => [pan()],
    compressor: () => [comp()],
    // Same signal, rms detector; then a threshold the signal never reaches (the quiet path).
    'compressor (rms detector)': () => [comp({ detector: 'rms' })],
    'compressor (signal below the knee)': () => [comp({ threshold: 0, knee: 0, makeup: 0 })],
    // Open all along (the signal never falls under the close level for the hold), then a
    // gate that opens and closes on the noise's peaks, then a 1:3 expander working all along.
    'gate (open)': () => [gate()],
    'gate (opening and closing)': () => [gate({ threshold: -5, hysteresis: 3, hold: 0.002, release: 0.01 })],
    'gate (1:3 expander below -6 dB)': () => [gate({ threshold: -6, ratio: 3, hysteresis: 0, hold: 0, release: 0.05 })],
    'saturation (4x oversampled)': () => [sat()],
    // The bench noise's band is past the threshold; then a threshold its band never reaches.
    'de-esser (split, reducing)': () => [deess()],
    'de-esser (band below threshold)': () => [deess(0)],
    // The same de-esser as the bake's strip chain runs it: a WebAssembly stage (bit-identical samples).
    "de-esser (split, reducing) as the bake's (wasm)": () => [
      createChainKernel(new StripChainMemory(), [{ kind: 'deess', constants: (deess() as unknown as DeesserProcessor).steadyState(), lag: 0 }], 2, 2, BLOCK),
    ],
    limiter: () => {
      const l = new LimiterProcessor(SR);
      l.setParams({ ceiling: -1, release: 0.05 });
      return [l as DspProcessor<unknown>];
    },
    // The same limiter as the bake's master runs it: WebAssembly SIMD, bit-identical samples.
    "limiter as the bake's master (wasm SIMD)": () => {
      const l = new LimiterProcessor(SR);
      l.setParams({ ceiling: -1, release: 0.05 });
      return [new WasmLimiter(l.steadyState()!)];
    },
    // The loudness report's true-peak meter, both channels: JavaScript, then the bake's (same readings).
    'true-peak meter (BS.1770 4x)': () => [truePeakPair(() => new TruePeakMeter())],
    "true-peak meter as the bake's (wasm SIMD)": () => [truePeakPair(() => new WasmTruePeakMeter())],
    reverb: () => {
      const r = new ReverbProcessor(SR);
      r.setParams({ decay: 2.2, preDelay: 0.02, damping: 7000 });
      return [r as DspProcessor<unknown>];
    },
    delay: () => {
      const d = new DelayProcessor(SR);
      d.setParams({ time: 0.375, feedback: 0.4, damping: 4000 });
      return [d as DspProcessor<unknown>];
    },
    'peak/RMS meter': () => [new PeakRmsMeter(SR) as DspProcessor<unknown>],
    // The bake's EQ section: 5 biquads in turn, then the same 5 as one BiquadCascade (same samples).
    'HPF + 4 EQ bands, 5 biquads in turn': () => eqStages(),
    'HPF + 4 EQ bands as BiquadCascade': () => [new BiquadCascade(eqStages() as BiquadProcessor[])],
    'strip: trim+HPF+LPF+4 EQ+comp+gain+pan': () => [
      ...stripBiquads(),
      comp(),
      gain(),
      pan(),
    ],
    // The strip above with its de-esser on, in JavaScript (as the browser's worklets run it).
    'that strip + de-esser (JS)': () => [...stripBiquads(), comp(), deess(), gain(), pan()],
    // The same strip as the bake runs it: one WebAssembly SIMD chain (bit-identical samples).
    'that strip as the bake\'s SIMD chain': () => simdStrip(stripBiquads()),
    // The strip with its gate on, as the bake runs it when the gate keys itself: one SIMD chain with a gate stage.
    "strip with gate as the bake's SIMD chain": () => simdStrip(stripBiquads(), { gateAfter: 2 }),
    // The bench mix's strip (LPF off, the default) as the bake runs it, without and with its
    // gate: HPF, gate and EQ bands are then one pipelined loop (runEqGateEq4).
    "strip, LPF off, as the bake's SIMD chain": () => {
      const [hpf, , ...eq] = stripBiquads();
      return simdStrip([hpf!, ...eq]);
    },
    "that strip with gate as the bake's SIMD chain": () => {
      const [hpf, , ...eq] = stripBiquads();
      return simdStrip([hpf!, ...eq], { gateAfter: 1 });
    },
    // The strip with its de-esser on, as the bake runs it: one SIMD chain with a de-esser stage.
    "strip with de-esser as the bake's SIMD chain": () => simdStrip(stripBiquads(), { deess: true }),
    // The strip with its gate on in JavaScript (a gate keyed by another track runs so, between two SIMD chains).
    'strip with gate: trim+HPF+LPF+gate+4 EQ+comp+gain+pan': () => {
      const [hpf, lpf, ...eq] = stripBiquads();
      return [hpf!, lpf!, gate({ threshold: -5, hysteresis: 3, hold: 0.002, release: 0.01 }), ...eq, comp(), gain(), pan()];
    },
    'full strip incl. saturation': () => [
      ...stripBiquads(),
      comp(),
      sat(),
      gain(),
      pan(),
    ],
  };
}

/** Two channels' true-peak meters as a chain stage (they only read the block). */
function truePeakPair(make: () => ChannelPeakMeter): Pick<DspProcessor<unknown>, 'process'> {
  const meters = [make(), make()];
  return {
    process: (input, _output, frames) => {
      meters[0]!.process(input[0]!, 0, frames);
      meters[1]!.process(input[1]!, 0, frames);
    },
  };
}

/** Renders one peer graph in the page and returns its x-realtime (plain JS source). */
const PEER_SCRIPT = `async ({ graph, sr, seconds }) => {
          const length = sr * seconds;
          const ctx = new OfflineAudioContext({ numberOfChannels: 2, length, sampleRate: sr });
          const buffer = ctx.createBuffer(2, length, sr);
          for (let c = 0; c < 2; c++) {
            const d = buffer.getChannelData(c);
            let s = c + 1;
            for (let i = 0; i < length; i++) {
              s ^= s << 13;
              s >>>= 0;
              s ^= s >>> 17;
              s ^= s << 5;
              s >>>= 0;
              d[i] = 0.35 * Math.sin((2 * Math.PI * 55 * i) / sr) + 0.35 * ((s / 4294967296) * 2 - 1);
            }
          }
          const src = new AudioBufferSourceNode(ctx, { buffer });
          let last = src;
          const chain = (n) => {
            last.connect(n);
            last = n;
          };
          const biquad = (type, frequency, gain = 0) => chain(new BiquadFilterNode(ctx, { type, frequency, gain, Q: type === 'peaking' ? 1.2 : 0.7 }));
          const comp = () => chain(new DynamicsCompressorNode(ctx, { threshold: -18, ratio: 4, attack: 0.005, release: 0.1, knee: 6 }));
          if (graph === 'biquad') biquad('peaking', 1000, 4);
          else if (graph === 'compressor') comp();
          else if (graph === 'waveshaper4x') {
            const curve = new Float32Array(4096);
            for (let i = 0; i < curve.length; i++) curve[i] = Math.tanh(2 * ((i / (curve.length - 1)) * 2 - 1));
            chain(new WaveShaperNode(ctx, { curve, oversample: '4x' }));
          } else {
            biquad('highpass', 80);
            biquad('lowpass', 16000);
            biquad('lowshelf', 120, 2);
            biquad('peaking', 400, -3);
            biquad('peaking', 2500, 2);
            biquad('highshelf', 9000, 1.5);
            comp();
            chain(new GainNode(ctx, { gain: 0.7 }));
            chain(new StereoPannerNode(ctx, { pan: 0.3 }));
          }
          last.connect(ctx.destination);
          src.start(0);
          const t0 = performance.now();
          await ctx.startRendering();
          return seconds / ((performance.now() - t0) / 1000);
        }`;

/** Peer: the same kind of processing by Chromium's native nodes in an OfflineAudioContext. */
type PeerGraph = 'biquad' | 'strip' | 'compressor' | 'waveshaper4x';

/**
 * Wall-clock x-realtime of Chromium's OfflineAudioContext rendering `graph` over the same
 * length of stereo signal, or null when no system Chromium is available.
 */
async function chromiumPeers(graphs: PeerGraph[]): Promise<Map<PeerGraph, number> | null> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return null;
  }
  const browser = await chromium
    .launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    })
    .catch(() => null);
  if (!browser) return null;
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>bench</title>');
    const out = new Map<PeerGraph, number>();
    for (const graph of graphs) {
      // Sent as source text: tsx's keepNames helpers do not exist inside the page.
      const x = (await page.evaluate(`(${PEER_SCRIPT})(${JSON.stringify({ graph, sr: SR, seconds: SECONDS })})`)) as number;
      out.set(graph, x);
    }
    return out;
  } finally {
    await browser.close();
  }
}

/** Runs every kernel once (after a warm-up) and prints x-realtime per kernel. */
export async function run(): Promise<DspBenchResult[]> {
  const l = signal(1);
  const r = signal(2);
  const kernels = make();
  const results: DspBenchResult[] = [];
  // Warm up the JIT on a short slice of each chain.
  for (const makeChain of Object.values(kernels)) timeChain(makeChain(), l.subarray(0, SR * 2), r.subarray(0, SR * 2));
  console.log(`shared/dsp kernels, stereo ${SECONDS} s @ ${SR} Hz, ${BLOCK}-frame blocks, best of ${RUNS} (one core):`);
  console.log(`  ${'kernel'.padEnd(42)} ${'x realtime (wall)'.padStart(18)} ${'(cpu)'.padStart(8)} ${'cost vs 1 biquad'.padStart(17)} ${'ns/frame (cpu)'.padStart(15)}`);
  let biquadCpu = 0;
  for (const [name, makeChain] of Object.entries(kernels)) {
    let x = { wall: 0, cpu: 0 };
    for (let run = 0; run < RUNS; run++) {
      const t = timeChain(makeChain(), l, r);
      x = { wall: Math.max(x.wall, t.wall), cpu: Math.max(x.cpu, t.cpu) };
    }
    if (biquadCpu === 0) biquadCpu = x.cpu;
    results.push({ kernel: name, xRealtime: x.wall, xRealtimeCpu: x.cpu });
    // CPU time per stereo frame: what a strip's processor adds to the bake, frame by frame.
    const ns = 1e9 / (x.cpu * SR);
    console.log(`  ${name.padEnd(42)} ${x.wall.toFixed(0).padStart(18)} ${x.cpu.toFixed(0).padStart(8)} ${(biquadCpu / x.cpu).toFixed(2).padStart(17)} ${ns.toFixed(1).padStart(15)}`);
  }
  const full = results.find((x) => x.kernel === 'full strip incl. saturation')!.xRealtimeCpu;
  const plain = results.find((x) => x.kernel.startsWith('strip:'))!.xRealtimeCpu;
  // Target: 40 stereo stems at 30x realtime on 2 cores = 600 strip-seconds per core-second.
  const simd = results.find((x) => x.kernel.includes('SIMD chain'))!.xRealtimeCpu;
  console.log(
    `  40 stems x 30x on 2 cores needs 600x per strip per core: strip without saturation ${(plain / 600).toFixed(2)}x of target ` +
      `(as the bake's SIMD chain ${(simd / 600).toFixed(2)}x), with saturation ${(full / 600).toFixed(2)}x`,
  );
  const gated = results.find((x) => x.kernel.startsWith('strip with gate:'))!.xRealtimeCpu;
  const gatedSimd = results.find((x) => x.kernel === "strip with gate as the bake's SIMD chain")!.xRealtimeCpu;
  console.log(
    `  a strip with its gate on costs ${(plain / gated).toFixed(2)}x the strip without in JavaScript (CPU), ${(simd / gatedSimd).toFixed(2)}x as the bake's SIMD chain (${(gatedSimd / 600).toFixed(2)}x of target)`,
  );
  const noLpf = results.find((x) => x.kernel === "strip, LPF off, as the bake's SIMD chain")!.xRealtimeCpu;
  const noLpfGated = results.find((x) => x.kernel === "that strip with gate as the bake's SIMD chain")!.xRealtimeCpu;
  console.log(`  with the LPF off (HPF, gate and bands in one loop), the gate costs ${(noLpf / noLpfGated).toFixed(2)}x the strip without as the bake's SIMD chain`);
  const deessed = results.find((x) => x.kernel === 'that strip + de-esser (JS)')!.xRealtimeCpu;
  const deessedSimd = results.find((x) => x.kernel === "strip with de-esser as the bake's SIMD chain")!.xRealtimeCpu;
  console.log(
    `  a strip with its de-esser on costs ${(plain / deessed).toFixed(2)}x the strip without in JavaScript (CPU), ${(simd / deessedSimd).toFixed(2)}x as the bake's SIMD chain (${(deessedSimd / 600).toFixed(2)}x of target)`,
  );
  // Peers in the same run: Chromium's native nodes doing comparable work (wall clock both).
  const peers = await chromiumPeers(['biquad', 'compressor', 'waveshaper4x', 'strip']);
  if (peers) {
    const wall = (k: string) => results.find((x) => x.kernel === k)!.xRealtime;
    const rows: Array<[string, string, PeerGraph]> = [
      ['biquad (1 band)', 'BiquadFilterNode', 'biquad'],
      ['compressor', 'DynamicsCompressorNode', 'compressor'],
      ['saturation (4x oversampled)', "WaveShaperNode oversample '4x'", 'waveshaper4x'],
      ['strip: trim+HPF+LPF+4 EQ+comp+gain+pan', 'same strip of native nodes', 'strip'],
    ];
    console.log('  vs Chromium OfflineAudioContext (wall clock, same machine, same run):');
    for (const [k, label, g] of rows) {
      const peer = peers.get(g)!;
      console.log(`    ${k.padEnd(40)} ${wall(k).toFixed(0).padStart(6)}x  vs ${label.padEnd(30)} ${peer.toFixed(0).padStart(6)}x  ratio ${(wall(k) / peer).toFixed(2)}`);
    }
  } else console.log('  (no system Chromium: peer comparison skipped)');
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
