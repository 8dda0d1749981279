import type { StemRef } from '@mixroom/shared/model';
import { audibleSources, planInputLatencyFrames, planLatencyFrames, validateMixPlan } from '@mixroom/shared/plan';
import type { MixPlan, PlanEdge, PlanNode } from '@mixroom/shared/plan';
import { AudioWorkletNode, isAnyOfflineAudioContext } from 'standardized-audio-context';
import type { IAudioWorkletNode } from 'standardized-audio-context';
import { createAutomationScheduler } from './createAutomationScheduler.ts';
import { createTransport } from './createTransport.ts';
import { DEFAULT_CHUNK_FRAMES, DEFAULT_MEMORY_BUDGET_BYTES, DEFAULT_STEM_WAIT_SECONDS, startLeadFrames } from './MixEngine.ts';
import type { EngineContext, EngineOptions, MeterReading, MixEngine, PlaybackStatus } from './MixEngine.ts';
import type { RealisedNode } from './RealisedNode.ts';
import { realiseNode } from './realiseNode.ts';
import { bufferStemReader, isStemReader } from './StemReader.ts';
import { METER_PROCESSOR_NAME } from './worklet/WorkletMessage.ts';
import type { FromWorkletMessage, MeterProcessorOptions } from './worklet/WorkletMessage.ts';

/** Frames between meter reports (~21 ms at 48 kHz). */
const METER_FRAMES = 1024;

const edgeKey = (e: PlanEdge) => `${e.from}>${e.to}#${e.input}`;

/** Two versions of a node need a new Web Audio node (not just new parameter values). */
function structureOf(n: PlanNode, inputChannels: number): string {
  return `${n.kind}/${n.channels}/${inputChannels}/${n.kind === 'compressor' || n.kind === 'gate' ? String(n.sidechain) : n.kind === 'panner' ? (n.law ?? 'webaudio') : ''}`;
}

/** Widest channel count arriving at each node's input 0 (what a panner must pan). */
function inputChannelsOf(plan: MixPlan): Map<string, 1 | 2> {
  const channels = new Map(plan.nodes.map((n) => [n.id, n.channels]));
  const out = new Map<string, 1 | 2>();
  for (const e of plan.edges) {
    if (e.input !== 0) continue;
    const c = channels.get(e.from) ?? 2;
    if (c > (out.get(e.to) ?? 1)) out.set(e.to, c);
  }
  return out;
}

/** Nodes whose output is a strip's metered signal: after the strip's mute, and the master limiter. */
function meterStrip(n: PlanNode): string | null {
  if (n.kind === 'gain' && n.role === 'mute') return `${n.owner.kind}:${n.owner.id}`;
  if (n.owner.kind === 'master' && n.role === 'limiter') return 'master:';
  return null;
}

/**
 * Creates the browser audio engine on `options.context`: loads the worklet bundle, then
 * realises MixPlans with standardized-audio-context nodes only (mixing them with native
 * nodes breaks the library's wrappers).
 */
export async function createEngine(options: EngineOptions): Promise<MixEngine> {
  const { context, loadStem } = options;
  await context.audioWorklet!.addModule(options.workletUrl);
  // Every chunk node of a start must reach the render thread before its frame: one that
  // arrives late plays from its first sample at once, out of step with the others. With
  // 50 ms, a starved main thread (2 cores at load 20-30) made stems start 10-50 ms apart.
  const startDelay = options.startDelay ?? (isAnyOfflineAudioContext(context) ? 0 : 0.15);
  const onStemError = options.onStemError ?? ((stem: StemRef, e: unknown) => console.error(`stem ${stem.key} failed to load`, e));
  const chunkFrames = options.chunkFrames ?? DEFAULT_CHUNK_FRAMES;
  if (!Number.isInteger(Math.log2(chunkFrames))) throw new RangeError(`chunkFrames must be a power of two, not ${chunkFrames}`);
  const waitTimeout = options.stemWaitTimeout ?? DEFAULT_STEM_WAIT_SECONDS;
  const onStemsSkipped =
    options.onStemsSkipped ?? ((stems: StemRef[], s: number) => console.warn(`playing without ${stems.map((x) => x.fileName).join(', ')}: not loaded after ${s} s`));
  const stemsOf = (ids: readonly string[]) => ids.map((id) => loads.get(id)?.stem).filter((x): x is StemRef => x !== undefined);
  let status: PlaybackStatus = { buffering: false, waitingFor: [] };
  const statusListeners = new Set<(s: PlaybackStatus) => void>();
  // Automation follows the transport's timeline (play, seeks, loop passes).
  const automation = createAutomationScheduler(context);
  const transport = createTransport(context, {
    onTimeline: (segments, horizon) => automation.timeline(segments, horizon),
    startDelay,
    chunkFrames,
    waitTimeout,
    budgetBytes: options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES,
    onStatus: (s) => {
      status = { buffering: s.buffering, waitingFor: stemsOf(s.waitingFor) };
      for (const l of statusListeners) l(status);
    },
    onSkip: (ids) => onStemsSkipped(stemsOf(ids), waitTimeout),
    onProgress: (id, fraction) => {
      const l = loads.get(id);
      if (l) options.onStemProgress?.(l.stem, fraction);
    },
    onError: (id, error) => {
      // Reads are retried; the user hears about a stem once per load, not once per retry.
      const l = loads.get(id);
      if (!l || l.reported) return;
      l.reported = true;
      onStemError(l.stem, error);
    },
  });
  const nodes = new Map<string, RealisedNode>();
  let inputChannels = new Map<string, 1 | 2>();
  const edges = new Map<string, PlanEdge>();
  const meters = new Map<string, IAudioWorkletNode<EngineContext>>();
  const readings = new Map<string, MeterReading>();
  const listeners = new Set<(r: MeterReading) => void>();
  const loads = new Map<string, { key: string; stem: StemRef; abort: AbortController; reported: boolean }>();
  let plan: MixPlan | null = null;
  let latency = 0;
  let disposed = false;

  // Dynamics nodes per strip, for the gain reduction shown beside each meter.
  let dynamics = new Map<string, RealisedNode[]>();
  // The strip's compressor (the master's glue and limiter): a gate's closed range is not compression.
  const grOf = (strip: string): number => {
    let gr = 0;
    for (const n of dynamics.get(strip) ?? []) if (n.plan.kind === 'compressor' || n.plan.kind === 'limiter') gr = Math.max(gr, n.gainReduction());
    return gr;
  };
  const reductionsOf = (strip: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const n of dynamics.get(strip) ?? []) out[n.plan.role] = n.gainReduction();
    return out;
  };

  const attachMeter = (strip: string, from: RealisedNode) => {
    const old = meters.get(strip);
    if (old) {
      old.port.close();
      old.disconnect();
    }
    const processorOptions: MeterProcessorOptions = { reportFrames: METER_FRAMES, loudness: strip === 'master:' };
    if (AudioWorkletNode === undefined) throw new Error('This browser has no AudioWorklet support');
    const m = new AudioWorkletNode(context, METER_PROCESSOR_NAME, { numberOfInputs: 1, numberOfOutputs: 0, processorOptions });
    m.port.onmessage = (e: MessageEvent<FromWorkletMessage>) => {
      if (e.data.type !== 'meter') return;
      const { peak, rms, momentary, shortTerm } = e.data;
      const reading: MeterReading = { strip, peak, rms, gainReduction: grOf(strip), reductions: reductionsOf(strip), ...(momentary === undefined ? {} : { momentary, shortTerm }) };
      readings.set(strip, reading);
      for (const l of listeners) l(reading);
    };
    from.output.connect(m);
    meters.set(strip, m);
  };

  const connect = (e: PlanEdge) => {
    const from = nodes.get(e.from);
    const to = nodes.get(e.to);
    if (from && to) from.output.connect(to.input, 0, e.input);
  };
  const disconnect = (e: PlanEdge) => {
    const from = nodes.get(e.from);
    const to = nodes.get(e.to);
    if (!from || !to) return;
    try {
      from.output.disconnect(to.input, 0, e.input);
    } catch {
      // Already gone with a replaced node: nothing to undo.
    }
  };

  const loadSource = (id: string, stem: StemRef | null): Promise<void> => {
    const current = loads.get(id);
    if (current && stem && current.key === stem.key) return Promise.resolve();
    current?.abort.abort();
    loads.delete(id);
    if (!stem) {
      return transport.setReader(id, null);
    }
    const abort = new AbortController();
    const load = { key: stem.key, stem, abort, reported: false };
    loads.set(id, load);
    // Until it opens, an audible stem holds Play: its audio is on its way.
    transport.setOpening(id);
    options.onStemProgress?.(stem, 0);
    // At the top of the song (a fresh join), what a start needs can come with the header.
    const top = transport.position() * context.sampleRate < chunkFrames;
    return loadStem(stem, abort.signal, top ? { firstFrames: startLeadFrames(chunkFrames) } : undefined)
      .then((opened) => {
        if (abort.signal.aborted || disposed) return;
        const reader = isStemReader(opened) ? opened : bufferStemReader(opened);
        if (reader.sampleRate !== context.sampleRate) throw new Error(`the stem is ${reader.sampleRate} Hz but the session runs at ${context.sampleRate} Hz`);
        return transport.setReader(id, reader);
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        // A stem that cannot open no longer holds playback.
        void transport.setReader(id, null);
        if (load.reported) return;
        load.reported = true;
        onStemError(stem, err);
      });
  };

  const apply = (next: MixPlan, at?: number): Promise<void> => {
    if (disposed) return Promise.reject(new Error('engine disposed'));
    // A bad plan (PlanError) is refused before anything in the graph changes.
    try {
      validateMixPlan(next);
      if (plan && next.sampleRate !== plan.sampleRate) throw new Error('a plan cannot change the sample rate');
    } catch (e) {
      return Promise.reject(e);
    }
    const time = Math.max(context.currentTime, at ?? 0);
    const nextIds = new Set(next.nodes.map((n) => n.id));
    const nextEdges = new Map(next.edges.map((e) => [edgeKey(e), e]));
    const errors = options.onError ?? ((msg: string) => console.error(msg));

    // 1. Edges that go away, and every edge of a node that goes away or is rebuilt.
    const nextInputs = inputChannelsOf(next);
    const rebuilt = new Set<string>();
    for (const n of next.nodes) {
      const cur = nodes.get(n.id);
      if (cur && structureOf(cur.plan, inputChannels.get(n.id) ?? 1) !== structureOf(n, nextInputs.get(n.id) ?? 1)) rebuilt.add(n.id);
    }
    inputChannels = nextInputs;
    for (const [key, e] of edges) {
      const gone = !nextEdges.has(key) || !nextIds.has(e.from) || !nextIds.has(e.to) || rebuilt.has(e.from) || rebuilt.has(e.to);
      if (gone) {
        disconnect(e);
        edges.delete(key);
      }
    }
    // 2. Nodes that go away or are rebuilt.
    for (const [id, n] of nodes) {
      if (nextIds.has(id) && !rebuilt.has(id)) continue;
      if (n.plan.kind === 'source') transport.removeSource(id);
      n.dispose();
      nodes.delete(id);
      if (!nextIds.has(id)) {
        loads.get(id)?.abort.abort();
        loads.delete(id);
      }
    }
    // 3. New nodes; parameter ramps on the rest.
    const pending: Promise<void>[] = [];
    const lags = planInputLatencyFrames(next);
    for (const n of next.nodes) {
      const cur = nodes.get(n.id);
      if (cur) {
        cur.update(n, time, lags.get(n.id) ?? 0);
        cur.plan = n;
      } else {
        const r = realiseNode(context, n, nextInputs.get(n.id) ?? 1, errors, automation, lags.get(n.id) ?? 0);
        nodes.set(n.id, r);
        if (n.kind === 'source') {
          transport.setSource(n.id, r.input);
          // A rebuilt source (its stem's channel count changed) loads afresh.
          loads.get(n.id)?.abort.abort();
          loads.delete(n.id);
        }
        const strip = meterStrip(n);
        if (strip) attachMeter(strip, r);
      }
      if (n.kind === 'source') pending.push(loadSource(n.id, n.stem));
    }
    // Meters whose strip disappeared.
    const strips = new Set(next.nodes.map(meterStrip).filter((s): s is string => s !== null));
    for (const [strip, m] of meters) {
      if (strips.has(strip)) continue;
      m.port.close();
      m.disconnect();
      meters.delete(strip);
      readings.delete(strip);
    }
    // 4. New edges, in plan order.
    for (const [key, e] of nextEdges) {
      if (edges.has(key)) continue;
      connect(e);
      edges.set(key, e);
    }
    // Playback waits for the stems this listener can hear (mute and solo resolved), no others.
    transport.setAwaited(audibleSources(next));
    plan = next;
    latency = planLatencyFrames(next);
    dynamics = new Map();
    for (const n of nodes.values()) {
      if (n.plan.kind !== 'compressor' && n.plan.kind !== 'gate' && n.plan.kind !== 'deesser' && n.plan.kind !== 'limiter') continue;
      const strip = n.plan.owner.kind === 'master' ? 'master:' : `${n.plan.owner.kind}:${n.plan.owner.id}`;
      dynamics.set(strip, [...(dynamics.get(strip) ?? []), n]);
    }
    return Promise.all(pending).then(() => undefined);
  };

  return {
    context,
    apply,
    play: (at) => transport.play(at),
    stop: () => transport.stop(),
    seek: (p) => transport.seek(p),
    setLoop: (l) => transport.setLoop(l),
    position: () => transport.position(),
    latencyFrames: () => latency,
    heldBytes: () => transport.heldBytes,
    get playing() {
      return transport.playing;
    },
    playbackStatus: () => status,
    onPlaybackStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    meters: () => readings,
    settled: () => Promise.all([...nodes.values()].map((n) => n.settled?.())).then(() => undefined),
    onMeter(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      transport.dispose();
      automation.dispose();
      for (const l of loads.values()) l.abort.abort();
      for (const m of meters.values()) {
        m.port.close();
        m.disconnect();
      }
      for (const n of nodes.values()) n.dispose();
      nodes.clear();
      edges.clear();
      meters.clear();
      listeners.clear();
      statusListeners.clear();
    },
  };
}
