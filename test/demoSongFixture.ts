import type { MixState } from '@mixroom/shared/model';
import { testMix } from '../shared/src/plan/testing/testMix.ts';
import { DEMO_SAMPLE_RATE, synthesizeDemoStems } from '../server/src/demo/synthesizeDemoStems.ts';
import { writeStem } from './renderFixtures.ts';
import { defaultMaster } from '@mixroom/shared/model';

/**
 * A real song for deliverable tests: the demo's 64 s multitrack (kick, snare, hats, bass,
 * keys, guitar, a vowel-like lead, pad) written as float WAV stems into `dir`, and a mix of
 * it pushed into the master limiter (`drive` dB of gain into a -1 dBTP ceiling), so the
 * master has dense peaks at its ceiling as a finished master does.
 */
export async function writeDemoSong(dir: string, options: { seconds?: number; drive?: number; limiter?: boolean } = {}): Promise<{ state: MixState; frames: number }> {
  const stems = synthesizeDemoStems();
  const frames = Math.min(stems[0]!.channels[0]!.length, Math.round((options.seconds ?? 64) * DEMO_SAMPLE_RATE));
  const tracks = [];
  for (const [i, stem] of stems.entries()) {
    const channels = stem.channels.map((c) => c.subarray(0, frames));
    await writeStem(dir, stem.fileName, channels);
    tracks.push(
      testMix.track(`t${i}`, {
        name: stem.fileName.replace(/\.wav$/, ''),
        stem: { key: stem.fileName, fileName: stem.fileName, sampleRate: DEMO_SAMPLE_RATE, channels: channels.length, frames },
        pan: channels.length === 1 ? [-0.3, 0.3, 0, 0.2, -0.2, 0.4, 0, -0.4][i]! : 0,
      }),
    );
  }
  const state = testMix.state(tracks, [], {
    master: {
      ...defaultMaster(),
      gain: options.drive ?? 6,
      glue: { ...defaultMaster().glue, on: false, threshold: -10, ratio: 2, attack: 0.01, release: 0.2, knee: 6, makeup: 0 },
      limiter: { ...defaultMaster().limiter, on: options.limiter ?? true, ceiling: -1, release: 0.05 },
      automation: {},
    },
  });
  return { state, frames };
}
