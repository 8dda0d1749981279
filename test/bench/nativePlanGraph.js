// Plain script (no imports, no TypeScript): evaluated as-is in Node (node-web-audio-api) and
// in Chromium, so both peers build exactly the same native graph from the same MixPlan.
// Defines globalThis.makeBenchSignal and globalThis.realisePlanNative.

/** Deterministic stereo test programme: three drifting partials, noise, a slow envelope. */
globalThis.makeBenchSignal = function makeBenchSignal(frames, sampleRate, seed) {
  const out = [new Float32Array(frames), new Float32Array(frames)];
  let s = (seed * 2654435761) >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296 - 0.5;
  };
  for (let c = 0; c < 2; c++) {
    const freqs = [55 * (1 + (seed % 5)), 220 * (1 + (seed % 3)) + c * 3, 1760 + 37 * seed];
    // Sine recurrence: y[n] = 2 cos(w) y[n-1] - y[n-2]; cheap and exact enough for a test signal.
    const k = freqs.map((f) => 2 * Math.cos((2 * Math.PI * f) / sampleRate));
    const y1 = freqs.map((f) => Math.sin((2 * Math.PI * f) / sampleRate));
    const y2 = freqs.map(() => 0);
    const envRate = (2 * Math.PI) / (sampleRate * (0.4 + 0.05 * (seed % 4)));
    const ek = 2 * Math.cos(envRate);
    let e1 = Math.sin(envRate);
    let e2 = 0;
    const dst = out[c];
    for (let i = 0; i < frames; i++) {
      let v = 0;
      for (let j = 0; j < 3; j++) {
        const y = k[j] * y1[j] - y2[j];
        y2[j] = y1[j];
        y1[j] = y;
        v += y;
      }
      const e = ek * e1 - e2;
      e2 = e1;
      e1 = e;
      dst[i] = (0.12 * v + 0.08 * rand()) * (0.6 + 0.4 * e);
    }
  }
  return out;
};

/**
 * Realises a MixPlan with native Web Audio nodes only (what a plain OfflineAudioContext
 * renderer would do): gain, biquad, stereo panner as in the plan; the native
 * DynamicsCompressorNode for compressors and the limiter; WaveShaper for saturation; a
 * ConvolverNode with a decaying-noise impulse for reverb; DelayNode + feedback + lowpass for
 * delay; for a de-esser a bandpass into a compressor, added back over input minus band. Native compressors have no sidechain input, so key edges are skipped.
 * `bufferFor(sourceIndex)` returns the AudioBuffer of the n-th source node.
 */
globalThis.realisePlanNative = function realisePlanNative(ctx, plan, bufferFor) {
  const nodes = new Map(); // plan id -> { input: AudioNode, output: AudioNode }
  const sources = [];
  let sourceIndex = 0;
  const dbToGain = (db) => Math.pow(10, db / 20);
  for (const n of plan.nodes) {
    let input;
    let output;
    switch (n.kind) {
      case 'source': {
        const src = ctx.createBufferSource();
        if (n.stem) src.buffer = bufferFor(sourceIndex++);
        sources.push(src);
        input = output = src;
        break;
      }
      case 'gain': {
        const g = ctx.createGain();
        g.gain.value = n.gain;
        input = output = g;
        break;
      }
      case 'biquad': {
        const f = ctx.createBiquadFilter();
        if (n.bypass) {
          f.type = 'peaking';
          f.gain.value = 0;
        } else {
          f.type = n.type;
          f.frequency.value = n.frequency;
          f.Q.value = n.q;
          f.gain.value = n.gain;
        }
        input = output = f;
        break;
      }
      case 'panner': {
        // As the engine realises it: a stereo input under the balance law is two gains.
        const from = plan.edges.find((e) => e.to === n.id && e.input === 0);
        const stereoIn = plan.nodes.find((m) => m.id === from?.from)?.channels === 2;
        if (n.law === 'balance' && stereoIn) {
          const x = n.pan;
          const split = ctx.createChannelSplitter(2);
          const merge = ctx.createChannelMerger(2);
          const gl = ctx.createGain();
          const gr = ctx.createGain();
          gl.gain.value = x <= 0 ? 1 : Math.cos((x * Math.PI) / 2);
          gr.gain.value = x <= 0 ? Math.sin(((x + 1) * Math.PI) / 2) : 1;
          split.connect(gl, 0).connect(merge, 0, 0);
          split.connect(gr, 1).connect(merge, 0, 1);
          input = split;
          output = merge;
          break;
        }
        const p = ctx.createStereoPanner();
        p.pan.value = n.pan;
        input = output = p;
        break;
      }
      case 'compressor':
      case 'limiter': {
        const c = ctx.createDynamicsCompressor();
        if (n.kind === 'compressor') {
          c.threshold.value = n.bypass ? 0 : n.params.threshold;
          c.ratio.value = n.bypass ? 1 : n.params.ratio;
          c.attack.value = n.params.attack;
          c.release.value = n.params.release;
          c.knee.value = n.params.knee;
        } else {
          c.threshold.value = n.bypass ? 0 : n.params.ceiling;
          c.ratio.value = n.bypass ? 1 : 20;
          c.attack.value = 0.001;
          c.release.value = n.params.release;
          c.knee.value = 0;
        }
        input = c;
        if (n.kind === 'compressor' && !n.bypass && n.params.makeup !== 0) {
          const makeup = ctx.createGain();
          makeup.gain.value = dbToGain(n.params.makeup);
          c.connect(makeup);
          output = makeup;
        } else output = c;
        break;
      }
      case 'saturation': {
        const w = ctx.createWaveShaper();
        if (!n.bypass) {
          const curve = new Float32Array(4096);
          const drive = dbToGain(n.params.drive);
          for (let i = 0; i < curve.length; i++) curve[i] = Math.tanh(drive * ((2 * i) / (curve.length - 1) - 1));
          w.curve = curve;
          w.oversample = '4x';
        }
        input = output = w;
        break;
      }
      case 'reverb': {
        const conv = ctx.createConvolver();
        const len = Math.max(1, Math.round(n.params.decay * ctx.sampleRate));
        const ir = ctx.createBuffer(2, len, ctx.sampleRate);
        let s = 12345;
        for (let c = 0; c < 2; c++) {
          const d = ir.getChannelData(c);
          for (let i = 0; i < len; i++) {
            s = (s * 1103515245 + 12345) >>> 0;
            d[i] = ((s / 4294967296) - 0.5) * Math.pow(10, (-3 * i) / len) * 0.5;
          }
        }
        conv.normalize = false;
        conv.buffer = ir;
        input = output = conv;
        break;
      }
      case 'delay': {
        const inGain = ctx.createGain();
        const d = ctx.createDelay(5);
        d.delayTime.value = n.params.time;
        const fb = ctx.createGain();
        fb.gain.value = n.params.feedback;
        const lp = ctx.createBiquadFilter();
        lp.type = 'lowpass';
        lp.frequency.value = n.params.damping;
        inGain.connect(d);
        d.connect(lp);
        lp.connect(fb);
        fb.connect(d);
        input = inGain;
        output = lp;
        break;
      }
      case 'deesser': {
        // Native stand-in of the same cost class: the band (a bandpass biquad) through a
        // DynamicsCompressor, added back over the input minus the band (split mode).
        input = ctx.createGain();
        output = ctx.createGain();
        input.connect(output);
        if (!n.bypass) {
          const band = ctx.createBiquadFilter();
          band.type = 'bandpass';
          band.frequency.value = n.params.freq;
          band.Q.value = 1;
          const c = ctx.createDynamicsCompressor();
          c.threshold.value = n.params.threshold;
          c.ratio.value = 4;
          c.attack.value = 0.001;
          c.release.value = 0.06;
          c.knee.value = 0;
          const minus = ctx.createGain();
          minus.gain.value = -1;
          input.connect(band);
          band.connect(c).connect(output);
          band.connect(minus).connect(output);
        }
        break;
      }
      case 'gate': {
        // Web Audio has no gate or expander: the peers pass the signal (less work than ours).
        const g = ctx.createGain();
        input = output = g;
        break;
      }
      case 'output':
        input = output = ctx.destination;
        break;
      default:
        throw new Error('unknown plan node kind ' + n.kind);
    }
    nodes.set(n.id, { input, output });
  }
  for (const e of plan.edges) {
    if (e.input !== 0) continue;
    nodes.get(e.from).output.connect(nodes.get(e.to).input);
  }
  for (const s of sources) s.start(0);
};
