import * as Y from 'yjs';
import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import { BUS_PARAMS, EFFECT_PARAMS } from './BUS_PARAMS.ts';
import { MASTER_PARAMS } from './MASTER_PARAMS.ts';
import { MixOpError } from './MixOpError.ts';
import type { ParamAddress, ParamValue } from './ParamAddress.ts';
import type { ParamSpec } from './ParamSpec.ts';
import { SEND_PARAMS } from './SEND_PARAMS.ts';
import { TRACK_PARAMS } from './TRACK_PARAMS.ts';
import { requireBusMap, requireMasterMap, requireStripMap, requireTrackMap } from './requireMixMaps.ts';
import { setBusEffectType } from './setBusEffectType.ts';
import { setOutput } from './setOutput.ts';
import { setGateKey } from './setGateKey.ts';
import { setSidechain } from './setSidechain.ts';
import { checkParam, writeParam } from './writeParam.ts';

/** Checks, then writes in one transaction: a refused value leaves the document untouched. */
function write(doc: Y.Doc, map: Y.Map<unknown>, specs: Readonly<Record<string, ParamSpec>>, param: string, value: unknown, label: string, origin: TransactionOrigin): void {
  checkParam(specs, param, value, label);
  doc.transact(() => writeParam(map, specs, param, value, label), origin);
}

/**
 * Writes the parameter at `address`: the one entry point for every scalar edit of the mix
 * (the typed setTrackParam, setBusParam, setSendParam, setMasterParam and
 * setBusEffectParam are this with a narrower address). Numbers are clamped to their
 * record's range; NaN, Infinity, wrong types, unknown params and vanished strips throw
 * MixOpError before anything is written.
 */
export function setParam(doc: Y.Doc, address: ParamAddress, value: ParamValue, origin: TransactionOrigin): void {
  switch (address.kind) {
    case 'track':
      return write(doc, requireTrackMap(doc, address.trackId), TRACK_PARAMS, address.param, value, 'Track', origin);
    case 'bus':
      return write(doc, requireBusMap(doc, address.busId), BUS_PARAMS, address.param, value, 'Bus', origin);
    case 'master':
      return write(doc, requireMasterMap(doc), MASTER_PARAMS, address.param, value, 'Master', origin);
    case 'send': {
      const { map } = requireStripMap(doc, address.fromId);
      const sends = map.get('sends');
      const send = sends instanceof Y.Map ? sends.get(address.busId) : undefined;
      if (!(send instanceof Y.Map)) throw new MixOpError('unknown-bus', `There is no send to bus ${address.busId} (it may have been removed)`);
      return write(doc, send as Y.Map<unknown>, SEND_PARAMS, address.param, value, 'Send', origin);
    }
    case 'effect': {
      if (address.param === 'type') {
        if (value !== 'reverb' && value !== 'delay') throw new MixOpError('invalid-value', 'An aux effect is a reverb or a delay');
        return setBusEffectType(doc, { busId: address.busId, type: value }, origin);
      }
      const effect = requireBusMap(doc, address.busId).get('effect');
      if (!(effect instanceof Y.Map)) throw new MixOpError('invalid-target', 'Only aux returns have an effect');
      const type = effect.get('type') === 'delay' ? 'delay' : 'reverb';
      return write(doc, effect as Y.Map<unknown>, EFFECT_PARAMS[type], address.param, value, `The ${type}`, origin);
    }
    case 'output':
      if (typeof value !== 'string') throw new MixOpError('wrong-type', `An output is 'master' or a group bus id, got ${typeof value}`);
      return setOutput(doc, { id: address.id, output: value }, origin);
    case 'sidechain':
      if (value !== null && typeof value !== 'string') throw new MixOpError('wrong-type', `A sidechain is a track id or none, got ${typeof value}`);
      return setSidechain(doc, { trackId: address.trackId, source: value }, origin);
    case 'gateKey':
      if (value !== null && typeof value !== 'string') throw new MixOpError('wrong-type', `A gate key is a track id or none, got ${typeof value}`);
      return setGateKey(doc, { trackId: address.trackId, source: value }, origin);
  }
}
