import { describe, expect, it } from 'vitest';
import { testMix } from '../plan/testing/testMix.ts';
import { deliverableCeilingDb, deliverableWarnings, TRUE_PEAK_TOLERANCE_DB, type FormatMeasurement } from './DeliverableCheck.ts';
import { bakeRecordSchema } from './VersionRecord.ts';
import { defaultMaster } from '../model/index.ts';

const clean: FormatMeasurement = { integratedLufs: -9.5, truePeakDb: -1.02, clippedSamples: 0, gainDb: 0 };

describe('deliverable checks', () => {
  it('the ceiling is the master limiter\'s when it is on, else full scale', () => {
    const state = testMix.state([]);
    expect(deliverableCeilingDb(state)).toBe(0);
    expect(deliverableCeilingDb({ master: { ...state.master, limiter: { ...defaultMaster().limiter, on: true, ceiling: -1.5, release: 0.05 } } })).toBe(-1.5);
  });

  it('a clean bake has no warning; a true peak within the tolerance is clean', () => {
    expect(deliverableWarnings({ ceilingDb: -1, formats: { wav24: clean, mp3: { ...clean, truePeakDb: -1 + TRUE_PEAK_TOLERANCE_DB, gainDb: -0.5 } } })).toEqual([]);
    expect(deliverableWarnings({ ceilingDb: -1, formats: { wav24: { ...clean, truePeakDb: null, integratedLufs: null } } })).toEqual([]);
    expect(deliverableWarnings({ ceilingDb: null, formats: {} })).toEqual([]);
  });

  it('names each clipping file and each file over its ceiling, in format order', () => {
    const warnings = deliverableWarnings({
      ceilingDb: -1,
      formats: {
        mp3: { ...clean, truePeakDb: -0.52 },
        wav16: { ...clean, truePeakDb: 1.6, clippedSamples: 1234 },
        wav24: { ...clean, truePeakDb: -0.94 },
      },
    });
    expect(warnings.map((w) => `${w.format}:${w.problem}`)).toEqual(['wav24:over-ceiling', 'wav16:clipped', 'wav16:over-ceiling', 'mp3:over-ceiling']);
    expect(warnings[1]!.message).toBe('WAV 16-bit clips: 1,234 samples at full scale.');
    expect(warnings[3]!.message).toBe('MP3 320 peaks at -0.52 dBTP, above the -1.00 dBTP ceiling.');
    expect(warnings[2]).toMatchObject({ value: 1.6, ceilingDb: -1 });
  });

  it('a bake record from before per-format measurements still reads, with none', () => {
    const old = { versionId: 'v', status: 'done', progress: 1, startedAt: 1, finishedAt: 2, error: null, loudness: null, durationSec: 2, renders: {} };
    const parsed = bakeRecordSchema.parse(old);
    expect(parsed.formats).toEqual({});
    expect(parsed.ceilingDb).toBeNull();
    expect(deliverableWarnings(parsed)).toEqual([]);
  });
});
