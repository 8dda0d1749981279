import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPES, type Role } from '@mixroom/shared/protocol';
import { HttpUser } from '../integration/reviewHarness.ts';
import { startTestMixroom, type TestMixroom } from '../integration/startTestMixroom.ts';

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
