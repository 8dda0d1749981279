import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc } from '../model/initMixDoc.ts';
import { readMixState } from '../model/readMixState.ts';
import { createOrigin } from '../protocol/TransactionOrigin.ts';
import { BUS_PARAMS, EFFECT_PARAMS } from './BUS_PARAMS.ts';
import { MASTER_PARAMS } from './MASTER_PARAMS.ts';
import { isMixOpError } from './MixOpError.ts';
import { gestureTargetOf, paramAddressOf, paramPathOf, type ParamStrip } from './ParamAddress.ts';
import { SEND_PARAMS } from './SEND_PARAMS.ts';
import { TRACK_PARAMS } from './TRACK_PARAMS.ts';
import { addTrack } from './addTrack.ts';
import { setParam } from './setParam.ts';

const track: ParamStrip = { scope: 'track', id: 'kick' };
const bus: ParamStrip = { scope: 'bus', id: 'rev' };
const master: ParamStrip = { scope: 'master', id: 'master' };
const origin = createOrigin('local-user', 'u1');

describe('ParamAddress', () => {
  it('reads every path of every table and writes it back unchanged', () => {
    const paths: [ParamStrip, string][] = [
      ...Object.keys(TRACK_PARAMS).map((p): [ParamStrip, string] => [track, p]),
      ...Object.keys(BUS_PARAMS).map((p): [ParamStrip, string] => [bus, p]),
      ...Object.keys(MASTER_PARAMS).map((p): [ParamStrip, string] => [master, p]),
      ...[...Object.keys(EFFECT_PARAMS.reverb), ...Object.keys(EFFECT_PARAMS.delay), 'type'].map((p): [ParamStrip, string] => [bus, `effect.${p}`]),
      ...Object.keys(SEND_PARAMS).flatMap((p): [ParamStrip, string][] => [[track, `sends.rev.${p}`], [bus, `sends.dly.${p}`]]),
      [track, 'output'],
      [bus, 'output'],
      [track, 'comp.sidechain'],
    ];
    for (const [strip, path] of paths) {
      const address = paramAddressOf(strip, path);
      expect(address, `${strip.scope} ${path}`).not.toBeNull();
      expect(paramPathOf(address!)).toBe(path);
    }
  });

  it('has no address for a path the strip does not have', () => {
    const bad: [ParamStrip, string][] = [
      [track, 'eq.bands.4.gain'],
      [track, 'effect.decay'],
      [bus, 'comp.sidechain'],
      [bus, 'eq.hpf.freq'],
      [master, 'pan'],
      [track, 'sends.rev'],
      [track, 'sends.rev.level.x'],
      [track, 'sends.no>bus.level'],
      [track, 'sends.rev.gain'],
      [bus, 'effect.decay.x'],
      [track, ''],
      [track, 'constructor'],
    ];
    for (const [strip, path] of bad) expect(paramAddressOf(strip, path), `${strip.scope} ${path}`).toBeNull();
  });

  it('names what a drag moves as peers see it', () => {
    expect(gestureTargetOf(paramAddressOf(track, 'sends.rev.level')!)).toEqual({ target: { kind: 'send', fromId: 'kick', busId: 'rev' }, param: 'level' });
    expect(gestureTargetOf(paramAddressOf(master, 'glue.ratio')!)).toEqual({ target: { kind: 'master' }, param: 'glue.ratio' });
    expect(gestureTargetOf(paramAddressOf(bus, 'effect.decay')!)).toEqual({ target: { kind: 'strip', id: 'rev' }, param: 'effect.decay' });
  });
});

describe('setParam', () => {
  const room = () => {
    const doc = new Y.Doc();
    initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
    addTrack(doc, { id: 'kick', name: 'Kick', stem: null }, origin);
    addTrack(doc, { id: 'bass', name: 'Bass', stem: null }, origin);
    return doc;
  };
  const codeOf = (fn: () => void): string | null => {
    try {
      fn();
      return null;
    } catch (error) {
      return isMixOpError(error) ? error.code : 'not a MixOpError';
    }
  };

  it('writes each kind of address', () => {
    const doc = room();
    setParam(doc, paramAddressOf(track, 'eq.bands.2.freq')!, 1234, origin);
    setParam(doc, paramAddressOf(bus, 'effect.type')!, 'delay', origin);
    setParam(doc, paramAddressOf(bus, 'effect.feedback')!, 0.5, origin);
    setParam(doc, paramAddressOf(master, 'limiter.on')!, true, origin);
    setParam(doc, paramAddressOf(track, 'comp.sidechain')!, 'bass', origin);
    const state = readMixState(doc);
    const kick = state.tracks.find((t) => t.id === 'kick')!;
    expect(kick.eq.bands[2].freq).toBe(1234);
    expect(kick.comp.sidechain).toBe('bass');
    expect(state.buses.find((b) => b.id === 'rev')!.effect).toMatchObject({ type: 'delay', feedback: 0.5 });
    expect(state.master.limiter.on).toBe(true);
  });

  it('refuses bad values and missing targets before writing', () => {
    const doc = room();
    const before = JSON.stringify(readMixState(doc));
    expect(codeOf(() => setParam(doc, paramAddressOf(track, 'sends.rev.level')!, -3, origin))).toBe('unknown-bus');
    expect(codeOf(() => setParam(doc, paramAddressOf(track, 'gain')!, Number.NaN, origin))).toBe('not-finite');
    expect(codeOf(() => setParam(doc, paramAddressOf(track, 'output')!, 3, origin))).toBe('wrong-type');
    expect(codeOf(() => setParam(doc, paramAddressOf(track, 'comp.sidechain')!, true, origin))).toBe('wrong-type');
    expect(codeOf(() => setParam(doc, paramAddressOf(bus, 'effect.type')!, 'chorus', origin))).toBe('invalid-value');
    expect(codeOf(() => setParam(doc, paramAddressOf(bus, 'effect.time')!, 0.5, origin))).toBe('unknown-param');
    expect(codeOf(() => setParam(doc, { kind: 'track', trackId: 'gone', param: 'gain' }, 0, origin))).toBe('unknown-track');
    expect(JSON.stringify(readMixState(doc))).toBe(before);
  });
});
