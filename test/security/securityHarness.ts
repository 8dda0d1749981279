import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPES, type Role } from '@mixroom/shared/protocol';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';
import { waitFor } from '../integration/syncHarness.ts';

/** The whole product (startMixroom) with an owner who made one room. */
export interface SecurityFixture {
  readonly product: TestMixroom;
  readonly owner: HttpUser;
  readonly roomId: string;
  /** `/api/rooms/<roomId><path>` */
  api(path: string): string;
  /** A user who joined the room through a fresh invite link for `role`. */
  member(role: Exclude<Role, 'owner'>, name?: string): Promise<HttpUser>;
  close(): Promise<void>;
}

export async function startSecurityFixture(options: Parameters<typeof startTestMixroom>[0] = {}): Promise<SecurityFixture> {
  const product = await startTestMixroom(options);
  const owner = new HttpUser(product.url, 'owner');
  const created = await owner.json<{ room: { roomId: string } }>('POST', '/api/rooms', { title: 'Night Drive', displayName: 'Olive' });
  if (created.status !== 201) throw new Error(`room creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const roomId = created.body.room.roomId;
  const api = (path: string) => `/api/rooms/${roomId}${path}`;
  return {
    product,
    owner,
    roomId,
    api,
    async member(role, name = role) {
      const invite = await owner.json<{ token: string }>('POST', api('/invites'), { role, ttlHours: 24 });
      if (invite.status !== 201) throw new Error(`invite failed: ${invite.status}`);
      const user = new HttpUser(product.url, name);
      const joined = await user.json('POST', `/api/invites/${invite.body.token}/join`, { displayName: name });
      if (joined.status !== 200) throw new Error(`join failed: ${joined.status} ${JSON.stringify(joined.body)}`);
      return user;
    },
    close: () => product.close(),
  };
}

/**
 * Opens a raw WebSocket to `/sync/<doc>` with the given headers (as a browser page of
 * `origin` would send them) and resolves with how it ended: the close code, or `open` when
 * the server let it in and sent its sync step 1.
 */
export function probeSocket(url: string, doc: string, headers: Record<string, string>): Promise<{ code: number | 'synced'; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${doc}`, { headers });
    const timer = setTimeout(() => reject(new Error('socket probe timed out')), 10_000);
    ws.on('message', () => {
      clearTimeout(timer);
      ws.close();
      resolve({ code: 'synced', reason: '' });
    });
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
    ws.on('error', () => undefined);
  });
}

/** One awareness entry as y-protocols encodes it. */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

/** An awareness frame (message type + update) holding `entries`, as a client would send it. */
export function awarenessFrame(entries: readonly AwarenessEntry[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(update, e.clientId);
    encoding.writeVarUint(update, e.clock);
    encoding.writeVarString(update, JSON.stringify(e.state));
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, MESSAGE_TYPES.awareness);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}

/**
 * A raw sync socket with a member's session and its own copy of the mix (kept in step with
 * what the server sends): `write` makes any change to that copy, ops or not, and sends it as
 * one update frame, exactly the bytes a modified client could send.
 */
export async function openRawWriter(fx: SecurityFixture, user: HttpUser) {
  const ws = new WebSocket(`${fx.product.url.replace(/^http/, 'ws')}/sync/${fx.roomId}`, { headers: { cookie: user.cookie, origin: fx.product.url } });
  const doc = new Y.Doc();
  const types: number[] = [];
  let step2s = 0;
  ws.on('error', () => undefined);
  ws.on('message', (data: Buffer) => {
    const bytes = new Uint8Array(data);
    types.push(bytes[0] ?? -1);
    if (bytes[0] !== MESSAGE_TYPES.sync) return;
    const decoder = decoding.createDecoder(bytes.subarray(1));
    if (bytes[1] === syncProtocol.messageYjsSyncStep2) step2s += 1;
    syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server');
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const send = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_TYPES.sync);
    write(e);
    ws.send(encoding.toUint8Array(e));
  };
  /** Resolves once the server processed every frame sent before (it answers step 1 in order). */
  const roundTrip = async () => {
    const before = step2s;
    send((e) => syncProtocol.writeSyncStep1(e, doc));
    await waitFor('sync step 1 answered', () => step2s > before);
  };
  await roundTrip();
  return {
    doc,
    types,
    roundTrip,
    close: () => ws.terminate(),
    get open() {
      return ws.readyState === WebSocket.OPEN;
    },
    /** Applies `change` to this socket's copy and sends the update; returns its size in bytes. */
    async write(change: (doc: Y.Doc) => void): Promise<number> {
      const before = Y.encodeStateVector(doc);
      doc.transact(() => change(doc), 'attacker');
      const update = Y.encodeStateAsUpdate(doc, before);
      send((e) => syncProtocol.writeUpdate(e, update));
      await roundTrip();
      return update.byteLength;
    },
  };
}

/**
 * A raw sync socket (exactly the bytes an attacker's client sends) to `/sync/<doc>` with the
 * given headers. Records what the server sends back (replies, read-only notices, awareness
 * entries) and how it closed; resolves once the server's first frames arrived (room ready).
 * `cleanup` gets its terminator.
 */
export async function openRawSocket(url: string, doc: string, headers: Record<string, string>, cleanup: Array<() => void>) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${doc}`, { headers });
  cleanup.push(() => ws.terminate());
  const received = { replies: 0, step2s: 0, awarenessBytes: 0, awarenessFrames: 0, entries: [] as AwarenessEntry[], notices: [] as number[] };
  let closeCode: number | null = null;
  const closed = new Promise<number>((resolve) =>
    ws.on('close', (code) => {
      closeCode = code;
      resolve(code);
    }),
  );
  ws.on('error', () => undefined);
  ws.on('message', (data: Buffer) => {
    received.replies += 1;
    if (data[0] === MESSAGE_TYPES.sync && data[1] === syncProtocol.messageYjsSyncStep2) received.step2s += 1;
    // The read-only notice: which reply it was.
    if (data[0] === MESSAGE_TYPES.auth) received.notices.push(received.replies);
    if (data[0] !== MESSAGE_TYPES.awareness) return;
    received.awarenessBytes += data.byteLength;
    received.awarenessFrames += 1;
    received.entries.push(...readAwarenessFrame(new Uint8Array(data)));
  });
  await waitFor('socket ready', () => received.replies > 0 || closeCode !== null);
  const sendSync = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_TYPES.sync);
    write(e);
    ws.send(encoding.toUint8Array(e));
  };
  return {
    ws,
    received,
    closed,
    get closeCode() {
      return closeCode;
    },
    get open() {
      return ws.readyState === WebSocket.OPEN;
    },
    /** Sends `update` as a y-websocket update message. */
    sendUpdate(update: Uint8Array) {
      sendSync((e) => syncProtocol.writeUpdate(e, update));
    },
    /** Resolves once every frame sent before it was processed (step 1 is answered in order). */
    async roundTrip() {
      const before = received.step2s;
      sendSync((e) => syncProtocol.writeSyncStep1(e, new Y.Doc()));
      await waitFor('sync step 1 answered', () => received.step2s > before);
    },
  };
}

/** The entries of an awareness frame the server sent (none for other messages). */
export function readAwarenessFrame(frame: Uint8Array): AwarenessEntry[] {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== MESSAGE_TYPES.awareness) return [];
  const u = decoding.createDecoder(decoding.readVarUint8Array(d));
  const count = decoding.readVarUint(u);
  return Array.from({ length: count }, () => ({
    clientId: decoding.readVarUint(u),
    clock: decoding.readVarUint(u),
    state: JSON.parse(decoding.readVarString(u)) as unknown,
  }));
}

/** Every stored file of sync document `doc` (its write-ahead log and snapshots) under a product's data dir, by path, as base64. */
export async function storedRoomFiles(dataDir: string, doc: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (full.includes(doc)) files.set(full, (await readFile(full)).toString('base64'));
    }
  };
  await walk(join(dataDir, 'data'));
  return files;
}
