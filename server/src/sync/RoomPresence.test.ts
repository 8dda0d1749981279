import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { createOrigin, presenceUserOf, type Role } from '@mixroom/shared/protocol';
import { DISPLAY_NAME_MAX } from '@mixroom/shared/review';
import type { Peer } from './Peer.ts';
import { DEFAULT_PRESENCE_LIMITS } from './PresenceLimits.ts';
import { RoomPresence, type PresenceClock } from './RoomPresence.ts';
import type { AwarenessEntry } from './validateAwarenessUpdate.ts';

/** A manual clock: timers fire only when the test advances time. */
function fakeClock(): PresenceClock & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 0;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++next });
      return next;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

function peer(userId: string, role: Role = 'engineer'): Peer {
  return { userId, name: `Name of ${userId}`, role, origin: createOrigin('remote', userId), send: () => undefined, close: () => undefined };
}

const awarenesses: Awareness[] = [];
afterEach(() => awarenesses.splice(0).forEach((a) => a.destroy()));

function setup() {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState(null);
  awarenesses.push(awareness);
  const clock = fakeClock();
  const presence = new RoomPresence(awareness, DEFAULT_PRESENCE_LIMITS, clock);
  const relays: number[][] = [];
  awareness.on('update', ({ added, updated, removed }: Record<string, number[]>) => relays.push([...added!, ...updated!, ...removed!]));
  return { awareness, clock, presence, relays };
}

const entry = (clientId: number, clock: number, state: Record<string, unknown> | null): AwarenessEntry => ({ clientId, clock, state });

describe('RoomPresence', () => {
  it('sizes its state limit from the largest state a real client publishes', () => {
    const longId = 'x'.repeat(36);
    const biggest = {
      user: presenceUserOf({ userId: longId, name: 'W'.repeat(DISPLAY_NAME_MAX), role: 'engineer' }),
      playhead: { position: 1234.5678901234, playing: true, seq: 123456, loop: { start: 1000.123456789, end: 1100.987654321 } },
      touching: `track:${longId}:eq.bands.3.freq`,
      gesture: { target: `${longId}>${longId}`, param: 'eq.bands.3.freq', value: 19999.123456789 },
    };
    const bytes = new TextEncoder().encode(JSON.stringify(biggest)).byteLength;
    console.info(`largest real presence state: ${bytes} bytes (limit ${DEFAULT_PRESENCE_LIMITS.maxStateBytes})`);
    expect(bytes).toBeLessThan(DEFAULT_PRESENCE_LIMITS.maxStateBytes / 4);
  });

  it("stamps the socket's identity over the client's and clears read-only roles' gestures", () => {
    const { awareness, presence } = setup();
    const gesture = { target: 'master', param: 'gain', value: 6 };
    const forged = { user: { id: 'owner', name: 'The Owner', role: 'owner', color: '#000' }, gesture, touching: 'master:master:gain' };
    expect(presence.receive(peer('lis', 'listener'), [entry(1, 1, forged)])).toBe('applied');
    expect(presence.receive(peer('eng', 'engineer'), [entry(2, 1, forged)])).toBe('applied');
    expect(awareness.getStates().get(1)).toEqual({
      user: { id: 'lis', name: 'Name of lis', role: 'listener', color: presenceUserOf({ userId: 'lis', name: '', role: 'listener' }).color },
      gesture: null,
      touching: 'master:master:gain',
    });
    expect(awareness.getStates().get(2)).toMatchObject({ user: { id: 'eng', role: 'engineer' }, gesture });
  });

  it("binds a client id to the first socket: another user's socket can neither write nor remove it", () => {
    const { awareness, presence } = setup();
    const alice = peer('alice');
    const mallory = peer('mallory');
    presence.receive(alice, [entry(7, 1, { touching: 'a' })]);
    expect(presence.receive(mallory, [entry(7, 2, { touching: 'evil' })])).toBe('foreign');
    expect(presence.receive(mallory, [entry(7, 3, null)])).toBe('foreign');
    // Mixed with its own id the whole update is refused.
    expect(presence.receive(mallory, [entry(8, 1, {}), entry(7, 4, null)])).toBe('foreign');
    expect(awareness.getStates().get(7)).toMatchObject({ touching: 'a' });
    expect(awareness.getStates().has(8)).toBe(false);
    // Removing an id nobody holds does nothing (and binds nothing).
    expect(presence.receive(mallory, [entry(99, 5, null)])).toBe('empty');
    // The server's own awareness id is nobody's.
    expect(presence.receive(mallory, [entry(awareness.clientID, 1, {})])).toBe('foreign');

    // Alice's reconnecting tab (same user, new socket) takes her id over; her old socket's
    // close then removes nothing.
    const aliceAgain = peer('alice');
    expect(presence.receive(aliceAgain, [entry(7, 2, { touching: 'b' })])).toBe('applied');
    presence.removePeer(alice);
    expect(awareness.getStates().get(7)).toMatchObject({ touching: 'b' });
    // The socket holding it closes: gone for everyone.
    presence.removePeer(aliceAgain);
    expect(awareness.getStates().has(7)).toBe(false);
    expect(awareness.meta.has(7)).toBe(false);
  });

  it('caps the client ids one socket holds', () => {
    const { awareness, presence } = setup();
    const p = peer('p');
    const max = DEFAULT_PRESENCE_LIMITS.maxClientIdsPerSocket;
    for (let id = 1; id <= max; id++) expect(presence.receive(p, [entry(id, 1, {})])).toBe('applied');
    expect(presence.receive(p, [entry(max + 1, 1, {})])).toBe('too-many-ids');
    expect(awareness.getStates().size).toBe(max);
    // Its own ids stay writable.
    expect(presence.receive(p, [entry(1, 2, { touching: 'x' })])).toBe('applied');
  });

  it('coalesces a flood to the rate and always delivers the last state', () => {
    const { awareness, clock, presence, relays } = setup();
    const p = peer('p');
    const { burst, updatesPerSecond } = DEFAULT_PRESENCE_LIMITS;
    const outcomes = new Map<string, number>();
    for (let i = 1; i <= 10_000; i++) {
      const o = presence.receive(p, [entry(1, i, { playhead: { position: i } })]);
      outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
    }
    expect(outcomes.get('applied')).toBe(burst);
    expect(relays.length).toBe(burst);
    clock.advance(1000);
    // One second later: the burst, then at most one relay per token, and the newest state.
    expect(relays.length).toBeLessThanOrEqual(burst + updatesPerSecond);
    expect(awareness.getStates().get(1)).toMatchObject({ playhead: { position: 10_000 } });
    expect(clock.pending()).toBe(0);

    // Steady input at twice the rate for 2 s: relays follow the rate, the final state lands.
    const before = relays.length;
    let last = 0;
    for (let i = 0; i < 4 * updatesPerSecond; i++) {
      last = i;
      presence.receive(p, [entry(1, 20_000 + i, { playhead: { position: i } })]);
      clock.advance(1000 / (2 * updatesPerSecond));
    }
    clock.advance(100);
    expect(relays.length - before).toBeLessThanOrEqual(2 * updatesPerSecond + burst);
    expect(relays.length - before).toBeGreaterThanOrEqual(2 * updatesPerSecond - 2);
    expect(awareness.getStates().get(1)).toMatchObject({ playhead: { position: last } });

    // A closing socket drops what it still had queued.
    for (let i = 0; i < 100; i++) presence.receive(p, [entry(1, 30_000 + i, { n: i })]);
    presence.removePeer(p);
    expect(clock.pending()).toBe(0);
    expect(awareness.getStates().has(1)).toBe(false);
  });
});
