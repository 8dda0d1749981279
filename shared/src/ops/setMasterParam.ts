import type * as Y from 'yjs';
import type { TransactionOrigin } from '../protocol/TransactionOrigin.ts';
import type { MasterParam, MasterParamValue } from './MASTER_PARAMS.ts';
import { setParam } from './setParam.ts';

/** Sets a master parameter: 'gain', 'glue.*' (bus compressor) or 'limiter.*'. */
export function setMasterParam<P extends MasterParam>(doc: Y.Doc, args: { param: P; value: MasterParamValue<P> }, origin: TransactionOrigin): void {
  setParam(doc, { kind: 'master', param: args.param }, args.value, origin);
}
