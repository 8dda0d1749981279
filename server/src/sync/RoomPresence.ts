import * as awarenessProtocol from 'y-protocols/awareness';
import { presenceUserOf, stampPresenceState, type PresenceUser } from '@mixroom/shared/protocol';
import type { Peer } from './Peer.ts';
import type { PresenceLimits } from './PresenceLimits.ts';
import { applyAwarenessEntries } from './applyAwarenessEntries.ts';
import { validateAwarenessUpdate, type AwarenessEntry } from './validateAwarenessUpdate.ts';

/** Origin of presence applied from other cluster nodes (already stamped there). */
export const REMOTE_PRESENCE_ORIGIN = Object.freeze({ presence: 'remote-node' });

/** A client id held by a socket on another node, as far as this node knows. */
interface RemoteOwner {
  readonly userId: string;
  readonly remote: true;
}

/** States in one update from another node: its whole presence in a room when asked. */
const MAX_REMOTE_ENTRIES = 10_000;

/** Time and timers, injected so tests can drive the rate limit on a fake clock. */
export interface PresenceClock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PresenceClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What became of one awareness update from a peer. */
export type PresenceOutcome =
  /** Applied to the room's awareness (and relayed). */
  | 'applied'
  /** Over the socket's rate: held and merged with later updates, applied when the rate allows. */
  | 'coalesced'
  /** Names a client id bound to another user's socket (or the server's own): dropped whole. */
  | 'foreign'
  /** Would bind more client ids than one socket may hold: dropped whole. */
  | 'too-many-ids'
  /** Nothing left to apply (only removals of ids this socket does not hold). */
  | 'empty';

interface PeerPresence {
  /** Awareness client ids bound to this socket. */
  readonly ids: Set<number>;
  tokens: number;
  refilledAt: number;
  /** Updates over the rate, newest per client id, applied by `timer`. */
  readonly pending: Map<number, AwarenessEntry>;
  timer: unknown;
}

/**
 * The server's authority over one room's presence. Clients publish awareness states; this
 * decides which ones enter the room's awareness (whose `update` event the room relays):
 *
 * - Ownership: the first socket to publish a client id holds it; another user's socket
 *   cannot write or remove it. A socket of the same user takes it over (a reconnecting tab
 *   whose old socket has not timed out yet reuses its client id). A socket removes only ids
 *   it holds, and when it closes its ids are removed for everyone.
 * - Identity: each state's `user` is stamped from the socket's identity and read-only roles'
 *   gestures are cleared (shared/protocol `stampPresenceState`).
 * - Volume: at most `maxClientIdsPerSocket` ids per socket, and a token bucket per socket;
 *   updates over the rate are merged (newest state per id) and applied when a token is
 *   free, so a flood costs the room at most `updatesPerSecond` relays and the last state a
 *   client sends (a released fader) always arrives.
 *
 * State sizes are checked earlier, while decoding (validateAwarenessUpdate).
 */
export class RoomPresence {
  private readonly peers = new Map<Peer, PeerPresence>();
  /** Each socket's stamp, made again when its role changes (see {@link userOf}). */
  private readonly users = new WeakMap<Peer, PresenceUser>();
  private readonly owners = new Map<number, Peer | RemoteOwner>();

  constructor(
    private readonly awareness: awarenessProtocol.Awareness,
    readonly limits: PresenceLimits,
    private readonly clock: PresenceClock = realClock,
  ) {}

  /** Takes one decoded awareness update from `peer`. */
  receive(peer: Peer, entries: readonly AwarenessEntry[]): PresenceOutcome {
    // Allocation-light: this runs for every presence change of every socket (30 a second each).
    let dropsSome = false;
    for (const { clientId, state } of entries) {
      const owner = this.owners.get(clientId);
      if (clientId === this.awareness.clientID) return 'foreign';
      if (owner !== undefined && owner !== peer && owner.userId !== peer.userId) return 'foreign';
      if (state === null && owner !== peer) dropsSome = true;
    }
    // Removing presence a socket does not hold (never published, or a same-user socket's) does nothing.
    const kept = dropsSome ? entries.filter((e) => e.state !== null || this.owners.get(e.clientId) === peer) : entries;
    if (kept.length === 0) return 'empty';
    const own = this.stateOf(peer);
    const newIds = kept.length === 1 ? (own.ids.has(kept[0]!.clientId) ? 0 : 1) : new Set(kept.map((e) => e.clientId).filter((id) => !own.ids.has(id))).size;
    if (own.ids.size + newIds > this.limits.maxClientIdsPerSocket) return 'too-many-ids';

    const user = this.userOf(peer);
    for (const entry of kept) {
      const previous = this.owners.get(entry.clientId);
      if (previous !== peer) {
        if (previous !== undefined && !('remote' in previous)) this.peers.get(previous)?.ids.delete(entry.clientId);
        this.owners.set(entry.clientId, peer);
      }
      own.ids.add(entry.clientId);
      const stamped: AwarenessEntry = entry.state === null ? entry : { clientId: entry.clientId, clock: entry.clock, state: stampPresenceState(entry.state, user) };
      const queued = own.pending.get(entry.clientId);
      if (queued === undefined || queued.clock < stamped.clock) own.pending.set(entry.clientId, stamped);
    }
    if (own.timer === null && this.take(own)) {
      this.flush(peer, own);
      return 'applied';
    }
    this.schedule(peer, own);
    return 'coalesced';
  }

  /**
   * Stamps `peer`'s current presence again (its role changed): everyone sees the new role at
   * once, and a gesture in progress stops applying when the role became read-only.
   */
  restamp(peer: Peer): void {
    const own = this.peers.get(peer);
    if (!own) return;
    const user = this.userOf(peer);
    const entries: AwarenessEntry[] = [];
    for (const id of own.ids) {
      const state = this.awareness.getStates().get(id);
      const clock = this.awareness.meta.get(id)?.clock;
      if (this.owners.get(id) !== peer || state === undefined || clock === undefined) continue;
      entries.push({ clientId: id, clock: clock + 1, state: stampPresenceState(state, user) });
    }
    // Queued updates were stamped with the old role.
    for (const [id, queued] of own.pending) {
      if (queued.state !== null) own.pending.set(id, { ...queued, state: stampPresenceState(queued.state, user) });
    }
    if (entries.length > 0) this.apply(entries, peer);
  }

  /**
   * Takes presence published by another node (one awareness update of its own peers, already
   * stamped and rate-limited there). The authority holds here too: an id held by a local
   * socket of another user is not taken over; the same user's (a tab that moved to another
   * node) is.
   */
  receiveRemote(update: Uint8Array): void {
    let entries: AwarenessEntry[];
    try {
      entries = validateAwarenessUpdate(update, { maxStateBytes: this.limits.maxStateBytes, maxEntries: MAX_REMOTE_ENTRIES });
    } catch {
      return;
    }
    const kept: AwarenessEntry[] = [];
    for (const entry of entries) {
      if (entry.clientId === this.awareness.clientID) continue;
      const owner = this.owners.get(entry.clientId);
      const local = owner !== undefined && !('remote' in owner) ? owner : undefined;
      if (entry.state === null) {
        if (local) continue;
        this.owners.delete(entry.clientId);
        kept.push(entry);
        continue;
      }
      const user = entry.state.user as { id?: unknown } | undefined;
      const userId = typeof user?.id === 'string' ? user.id : '';
      if (local && local.userId !== userId) continue;
      if (local) this.peers.get(local)?.ids.delete(entry.clientId);
      this.owners.set(entry.clientId, { userId, remote: true });
      kept.push(entry);
    }
    if (kept.length > 0) this.apply(kept, REMOTE_PRESENCE_ORIGIN);
  }

  /** Every state held by this node's sockets as one awareness update, or null when none. */
  encodeLocal(): Uint8Array | null {
    const ids = [...this.owners].filter(([id, owner]) => !('remote' in owner) && this.awareness.getStates().has(id)).map(([id]) => id);
    return ids.length === 0 ? null : awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids);
  }

  /** Removed states (e.g. timed out after their node died) no longer hold their ids. */
  forgetRemote(removed: readonly number[]): void {
    for (const id of removed) {
      const owner = this.owners.get(id);
      if (owner !== undefined && 'remote' in owner) this.owners.delete(id);
    }
  }

  /** True when `peer` may have a queryAwareness answered now (it counts against its rate). */
  allowQuery(peer: Peer): boolean {
    return this.take(this.stateOf(peer));
  }

  /** The socket closed: its pending updates are dropped and its presence removed for everyone. */
  removePeer(peer: Peer): void {
    const own = this.peers.get(peer);
    if (!own) return;
    this.peers.delete(peer);
    if (own.timer !== null) this.clock.clearTimeout(own.timer);
    const ids = [...own.ids].filter((id) => this.owners.get(id) === peer);
    for (const id of ids) this.owners.delete(id);
    if (ids.length === 0) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
    // Forget the clocks too: a room that lives for weeks would otherwise keep one entry per
    // connection ever made. A reconnecting client starts from any clock again.
    for (const id of ids) this.awareness.meta.delete(id);
  }

  /** Stops every pending timer (the room is shutting down). */
  dispose(): void {
    for (const own of this.peers.values()) if (own.timer !== null) this.clock.clearTimeout(own.timer);
    this.peers.clear();
    this.owners.clear();
  }

  /** `peer`'s presence user: one object while its identity and role stay, shared by its states (never mutated). */
  private userOf(peer: Peer): PresenceUser {
    const cached = this.users.get(peer);
    if (cached && cached.role === peer.role && cached.id === peer.userId && cached.name === peer.name) return cached;
    const user = presenceUserOf(peer);
    this.users.set(peer, user);
    return user;
  }

  private stateOf(peer: Peer): PeerPresence {
    let own = this.peers.get(peer);
    if (!own) {
      own = { ids: new Set(), tokens: this.limits.burst, refilledAt: this.clock.now(), pending: new Map(), timer: null };
      this.peers.set(peer, own);
    }
    return own;
  }

  /** Refills the bucket for the time passed and takes one token if there is one. */
  private take(own: PeerPresence): boolean {
    const now = this.clock.now();
    own.tokens = Math.min(this.limits.burst, own.tokens + ((now - own.refilledAt) * this.limits.updatesPerSecond) / 1000);
    own.refilledAt = now;
    if (own.tokens < 1) return false;
    own.tokens -= 1;
    return true;
  }

  private schedule(peer: Peer, own: PeerPresence): void {
    if (own.timer !== null) return;
    const wait = Math.max(1, Math.ceil(((1 - own.tokens) * 1000) / this.limits.updatesPerSecond));
    own.timer = this.clock.setTimeout(() => {
      own.timer = null;
      if (this.peers.get(peer) !== own) return;
      if (this.take(own)) this.flush(peer, own);
      else this.schedule(peer, own);
    }, wait);
  }

  /** Applies everything pending for `peer` as one update (one relay to the room). */
  private flush(peer: Peer, own: PeerPresence): void {
    const entries: AwarenessEntry[] = [];
    for (const e of own.pending.values()) if (this.owners.get(e.clientId) === peer) entries.push(e);
    own.pending.clear();
    if (entries.length > 0) this.apply(entries, peer);
  }

  private apply(entries: readonly AwarenessEntry[], origin: unknown): void {
    applyAwarenessEntries(this.awareness, entries, origin);
  }
}
