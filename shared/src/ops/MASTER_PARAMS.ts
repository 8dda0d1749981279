import { MASTER_SPEC } from '../model/MasterSpec.ts';
import { flattenParams } from '../model/ParamTable.ts';
import type { ParamValueOf } from './ParamSpec.ts';

/** Scalar master parameters, by dotted path into the master Y.Map, from the master record's table. */
export const MASTER_PARAMS = flattenParams(MASTER_SPEC);

export type MasterParam = keyof typeof MASTER_PARAMS;
export type MasterParamValue<P extends MasterParam> = ParamValueOf<(typeof MASTER_PARAMS)[P]>;
