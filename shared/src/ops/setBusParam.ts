import type * as Y from 'yjs';
import type { Id } from '../model/MixState.ts';
import { BUS_PARAMS, type BusParam, type BusParamValue } from './BUS_PARAMS.ts';
import { requireBusMap } from './requireMixMaps.ts';
import { checkParam, writeParam } from './writeParam.ts';

export interface SetBusParamArgs<P extends BusParam> {
  busId: Id;
  /** 'gain', 'mute', 'solo', 'soloSafe' or 'pan'. */
  param: P;
  value: BusParamValue<P>;
}

/** Sets a bus strip parameter; numbers clamped, bad input refused with MixOpError. */
export function setBusParam<P extends BusParam>(doc: Y.Doc, args: SetBusParamArgs<P>, origin: unknown): void {
  const map = requireBusMap(doc, args.busId);
  checkParam(BUS_PARAMS, args.param, args.value, 'Bus');
  doc.transact(() => writeParam(map, BUS_PARAMS, args.param, args.value, 'Bus'), origin);
}
