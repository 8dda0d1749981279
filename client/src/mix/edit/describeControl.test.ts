import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initMixDoc, readMixState } from '@mixroom/shared/model';
import { addTrack } from '@mixroom/shared/ops';
import { createOrigin } from '@mixroom/shared/protocol';
import { describeControl } from './describeControl.ts';

function mix() {
  const doc = new Y.Doc();
  initMixDoc(doc, { title: 't', sampleRate: 48000, reverbBusId: 'rev', delayBusId: 'dly' });
  addTrack(doc, { id: 'bass', name: 'Bass', stem: null }, createOrigin('local-user', 'test'));
  return readMixState(doc);
}

describe('describeControl', () => {
  it('names strips and parameters in words, with the EQ band numbers printed on the EQ', () => {
    const s = mix();
    const reverb = s.buses.find((b) => b.id === 'rev')!.name;
    expect(describeControl(s, 'track:bass:eq.bands.1.gain')).toBe('Bass · EQ band 2 gain');
    expect(describeControl(s, 'track:bass:eq.bands.0.point')).toBe('Bass · EQ band 1');
    expect(describeControl(s, 'track:bass:gain')).toBe('Bass · fader');
    expect(describeControl(s, 'track:bass:eq.hpf.freq')).toBe('Bass · high-pass frequency');
    expect(describeControl(s, 'track:bass:comp.threshold')).toBe('Bass · compressor threshold');
    expect(describeControl(s, 'track:bass:sat.drive')).toBe('Bass · saturation drive');
    expect(describeControl(s, 'track:bass:sends.rev.level')).toBe(`Bass · send to ${reverb}`);
    expect(describeControl(s, 'master:master:limiter.ceiling')).toBe('Master · limiter ceiling');
    expect(describeControl(s, `bus:rev:effect.decay`)).toBe(`${reverb} · reverb decay`);
    expect(describeControl(s, 'track:gone:gain')).toBe('a removed strip · fader');
  });
});
