import type * as Y from 'yjs';
import type { AutomationCurve } from '../../model/AutomationLane.ts';
import type { TransactionOrigin } from '../../protocol/TransactionOrigin.ts';
import type { ParamAddress } from '../ParamAddress.ts';
import { coerceAutomationCurve } from './coerceAutomationPoint.ts';
import { requirePoint } from './moveAutomationPoint.ts';
import { ensureAutomationMap, requireLane } from './requireLane.ts';

/** Sets how the segment from a breakpoint to the next goes ('linear' ramp or 'step' hold; switch lanes only hold). */
export function setAutomationCurve(doc: Y.Doc, args: { address: ParamAddress; id: string; curve: AutomationCurve }, origin: TransactionOrigin): void {
  const lane = requireLane(doc, args.address);
  const stored = requirePoint(lane, args.id);
  const curve = coerceAutomationCurve(lane, args.curve);
  if (stored.curve === curve) return;
  doc.transact(() => ensureAutomationMap(lane.strip).set(args.id, { ...stored, param: lane.path, curve }), origin);
}
