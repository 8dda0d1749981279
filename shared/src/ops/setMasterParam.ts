import type * as Y from 'yjs';
import { MASTER_PARAMS, type MasterParam, type MasterParamValue } from './MASTER_PARAMS.ts';
import { requireMasterMap } from './requireMixMaps.ts';
import { checkParam, writeParam } from './writeParam.ts';

/** Sets a master parameter: 'gain', 'glue.*' (bus compressor) or 'limiter.*'. */
export function setMasterParam<P extends MasterParam>(doc: Y.Doc, args: { param: P; value: MasterParamValue<P> }, origin: unknown): void {
  const map = requireMasterMap(doc);
  checkParam(MASTER_PARAMS, args.param, args.value, 'Master');
  doc.transact(() => writeParam(map, MASTER_PARAMS, args.param, args.value, 'Master'), origin);
}
