import { HEARTBEAT_INTERVAL_MS } from '@mixroom/shared/protocol';
import type { Peer } from './Peer.ts';

/**
 * A socket gets at most one heartbeat echo per this long: four per client interval, so a
 * real client (one a second) is always answered and a flood costs the server no writes.
 */
export const HEARTBEAT_ECHO_MIN_GAP_MS = HEARTBEAT_INTERVAL_MS / 4;

const lastEchoAt = new WeakMap<Peer, number>();

/** True when `peer`'s heartbeat may be echoed now (and records it); false while it floods. */
export function heartbeatEchoAllowed(peer: Peer, now: number = performance.now()): boolean {
  const last = lastEchoAt.get(peer);
  if (last !== undefined && now - last < HEARTBEAT_ECHO_MIN_GAP_MS) return false;
  lastEchoAt.set(peer, now);
  return true;
}
