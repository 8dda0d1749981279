import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { ROLES, presenceUserOf, type Role } from '../protocol/index.ts';
import { readRemoteGestures } from './readRemoteGestures.ts';

const awarenesses: Awareness[] = [];
afterEach(() => awarenesses.splice(0).forEach((a) => a.destroy()));

/** A peer's awareness as it arrives over the network: encoded, then applied to ours. */
function receive(into: Awareness, state: Record<string, unknown>): number {
  const peer = new Awareness(new Y.Doc());
  awarenesses.push(peer);
  peer.setLocalState(state);
  applyAwarenessUpdate(into, encodeAwarenessUpdate(peer, [peer.clientID]), 'net');
  return peer.clientID;
}

describe('readRemoteGestures', () => {
  it('applies gestures only from peers whose stamped role may edit the mix', () => {
    const local = new Awareness(new Y.Doc());
    awarenesses.push(local);
    const gesture = { target: 'master', param: 'gain', value: 6 };
    const ids = new Map<Role, number>();
    for (const role of ROLES) ids.set(role, receive(local, { user: presenceUserOf({ userId: role, name: role, role }), gesture }));
    const unstamped = receive(local, { gesture });
    const badRole = receive(local, { user: { id: 'x', name: 'x', color: '#fff', role: 'admin' }, gesture });

    const seen = readRemoteGestures(local);
    expect([...seen.keys()].sort()).toEqual([ids.get('owner'), ids.get('engineer'), ids.get('artist')].sort());
    expect(seen.has(ids.get('reviewer')!)).toBe(false);
    expect(seen.has(ids.get('listener')!)).toBe(false);
    expect(seen.has(unstamped)).toBe(false);
    expect(seen.has(badRole)).toBe(false);
  });
});
