import {
  CURRENT_SCHEMA_VERSION,
  defaultBus,
  defaultDelay,
  defaultMaster,
  defaultReverb,
  defaultSend,
  defaultTrack,
  type AutomationLane,
  type AutomationPoint,
  type BusState,
  type MixState,
  type TrackState,
} from '@mixroom/shared/model';

/**
 * The benchmark mix of the issue: `stems` stereo tracks with full strips (HPF + 4 active EQ
 * bands + compressor + pan + 2 sends), 2 aux buses (reverb, delay), master glue + limiter.
 * Parameters vary per track so no two strips are the same work. `gate` switches every
 * strip's gate on (keyed by the previous track, every third one), `deess` every strip's
 * de-esser (split, every third one wide), to measure their cost; `automation` gives every
 * track lanes (see benchLanes).
 * Built on the records' defaults, so a new parameter (at its neutral default) needs no edit.
 */
export function bakeBenchMix(
  stems: number,
  frames: number,
  sampleRate: number,
  stemKey: (i: number) => string,
  options: { gate?: boolean; deess?: boolean; automation?: boolean } = {},
): MixState {
  const tracks: TrackState[] = [];
  for (let i = 0; i < stems; i++) {
    const v = (i % 7) / 7;
    const id = `t${String(i).padStart(2, '0')}`;
    const d = defaultTrack(id, `Track ${i + 1}`, { key: stemKey(i), fileName: `${stemKey(i)}`, sampleRate, channels: 2, frames }, i);
    const [b0, b1, b2, b3] = d.eq.bands;
    const bands: TrackState['eq']['bands'] = [
      { ...b0, on: true, type: 'lowshelf', freq: 90 + 40 * v, gain: 2 - 4 * v, q: 0.7 },
      { ...b1, on: true, type: 'peaking', freq: 300 + 200 * v, gain: -3 + v, q: 1.2 },
      { ...b2, on: true, type: 'peaking', freq: 2000 + 1500 * v, gain: 2.5 - v, q: 0.9 },
      { ...b3, on: true, type: 'highshelf', freq: 8000 + 2000 * v, gain: 1 + v, q: 0.7 },
    ];
    tracks.push({
      ...d,
      color: '#888888',
      trim: -2,
      gain: -6 - 6 * v,
      pan: -0.8 + (1.6 * i) / Math.max(1, stems - 1),
      eq: { hpf: { ...d.eq.hpf, on: true, freq: 40 + 20 * v, q: Math.SQRT1_2 }, lpf: { ...d.eq.lpf, q: Math.SQRT1_2 }, bands },
      comp: { ...d.comp, on: true, threshold: -24 + 6 * v, ratio: 3 + v, attack: 0.005 + 0.01 * v, release: 0.12, knee: 6, makeup: 2 },
      deess: { ...d.deess, on: options.deess === true, mode: i % 3 === 2 ? 'wide' : 'split', freq: 5000 + 3000 * v, threshold: -36 + 6 * v },
      gate: {
        ...d.gate,
        on: options.gate === true,
        threshold: -30 - 12 * v,
        range: -60 - 20 * v,
        ratio: i % 2 === 0 ? 100 : 2 + 4 * v,
        attack: 0.0005,
        hold: 0.02 + 0.05 * v,
        release: 0.08 + 0.2 * v,
        hysteresis: 4 + 4 * v,
        scHpf: 20 + 200 * v,
        sidechain: options.gate === true && i > 0 && i % 3 === 0 ? `t${String(i - 1).padStart(2, '0')}` : null,
      },
      sends: [
        { ...defaultSend('aux1'), level: -14 - 4 * v },
        { ...defaultSend('aux2'), level: -20 + 2 * v },
      ],
      automation: options.automation === true ? benchLanes(i, frames / sampleRate) : d.automation,
    });
  }
  const aux = (id: string, order: number, effect: BusState['effect']): BusState => ({
    ...defaultBus(id, id === 'aux1' ? 'Reverb' : 'Delay', 'aux', order),
    color: '#444444',
    gain: -4,
    effect,
  });
  const master = defaultMaster();
  return {
    session: { title: 'bake bench', sampleRate, schemaVersion: CURRENT_SCHEMA_VERSION, tempo: null },
    tracks,
    buses: [
      aux('aux1', 0, { ...defaultReverb(), decay: 2.2, preDelay: 0.02, damping: 7000 }),
      aux('aux2', 1, { ...defaultDelay(), time: 0.375, feedback: 0.35, damping: 5000 }),
    ],
    master: {
      ...master,
      gain: -3,
      glue: { ...master.glue, on: true, threshold: -12, ratio: 2, attack: 0.01, release: 0.2, knee: 6, makeup: 1 },
      limiter: { ...master.limiter, on: true, ceiling: -1, release: 0.05 },
    },
  };
}

/**
 * Lanes an engineer rides on every strip (`automation`): the fader moving every 2 s (a
 * ±6 dB throw in 20 ms every 8 s), the pan drifting, the reverb send riding and a band's
 * gain moving, over the whole song.
 */
function benchLanes(i: number, seconds: number): Record<string, AutomationLane> {
  const pts = (every: number, value: (k: number) => number, fast = false): AutomationLane => {
    const points: AutomationPoint[] = [];
    for (let k = 0, t = (i % 5) * 0.1; t < seconds; k++, t += every) {
      points.push({ id: `${k}a`, time: t, value: value(k), curve: 'linear' });
      if (fast && k % 4 === 3) points.push({ id: `${k}b`, time: t + 0.02, value: value(k) + 6, curve: 'linear' });
    }
    return { points };
  };
  return {
    gain: pts(2, (k) => -9 + 3 * Math.sin(k + i), true),
    pan: pts(3, (k) => 0.6 * Math.sin(0.7 * k + i)),
    'sends.aux1.level': pts(4, (k) => -18 + 4 * Math.cos(k)),
    'eq.bands.2.gain': pts(5, (k) => 2 * Math.sin(0.5 * k + i)),
  };
}
