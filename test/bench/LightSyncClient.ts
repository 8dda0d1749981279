import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

/**
 * A y-websocket client that sends exactly what a WebsocketProvider sends and reads without
 * decoding: syncBench's load generator (see the bench's doc comment for why it is honest).
 *
 * - Socket: `ws` with its default options, as the provider's `WebSocketPolyfill: ws` opens it
 *   (permessage-deflate offered, so the server compresses for it as for a browser).
 * - Handshake: sync step 1 of its own doc on open; the server's step 1 is answered with step 2
 *   from its own doc, as y-protocols' readSyncStep1 does. The server's step 2 (the room's
 *   state) marks it synced and is not applied.
 * - Commits: `set` on its own Y.Doc's `faders` map, sent as the doc's `update` event encodes
 *   it (the provider's `_updateHandler`). The key is only ever written by this client, so each
 *   update depends on nothing but this client's own earlier structs: the same update bytes a
 *   full client, which also holds everyone else's edits, would send.
 * - Presence: a real `Awareness` of its doc; every local change is sent with
 *   `encodeAwarenessUpdate`, as the provider's `_awarenessUpdateHandler` does.
 * - Incoming frames (others' updates and presence) are only counted: a full client would apply
 *   them, which costs the client CPU and the server nothing.
 */
export class LightSyncClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly ws: WebSocket;
  synced = false;
  framesIn = 0;
  bytesIn = 0;
  /** Document update frames received after the handshake (sync step 2 / update messages). */
  updatesIn = 0;
  /** The close code when the server closed the socket (a light client does not reconnect). */
  closedWith: number | null = null;
  private readonly faders = this.doc.getMap<[number, number]>('faders');

  constructor(url: string, room: string, options: { readonly headers?: Record<string, string> } = {}) {
    this.ws = new WebSocket(`${url}/${room}`, options.headers ? { headers: options.headers } : {});
    this.ws.binaryType = 'nodebuffer';
    this.doc.on('update', (update: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      this.send(encoding.toUint8Array(encoder));
    });
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed]));
      this.send(encoding.toUint8Array(encoder));
    });
    this.ws.on('open', () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(encoder, this.doc);
      this.ws.send(encoding.toUint8Array(encoder));
      // The provider also announces its presence on open.
      const presence = encoding.createEncoder();
      encoding.writeVarUint(presence, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(presence, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
      this.ws.send(encoding.toUint8Array(presence));
    });
    this.ws.on('message', (data: Buffer) => {
      this.framesIn += 1;
      this.bytesIn += data.byteLength;
      if (data[0] !== MESSAGE_SYNC) return;
      if (data[1] === syncProtocol.messageYjsSyncStep1) return this.answerStep1(data);
      if (!this.synced && data[1] === syncProtocol.messageYjsSyncStep2) this.synced = true;
      else this.updatesIn += 1;
    });
    this.ws.on('close', (code: number) => {
      this.closedWith = code;
    });
    // A failed socket shows as a client that never syncs (the bench's setup times out).
    this.ws.on('error', () => undefined);
  }

  /** Commits this client's fader: `[at, value]` under its own key, like the bench's full clients. */
  commit(key: string, at: number, value: number): void {
    this.faders.set(key, [at, value]);
  }

  close(): void {
    this.closedWith ??= 1000;
    this.awareness.destroy();
    this.ws.terminate();
    this.doc.destroy();
  }

  private answerStep1(data: Buffer): void {
    const decoder = decoding.createDecoder(data);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const stateVector = decoding.readVarUint8Array(decoder);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep2(encoder, this.doc, stateVector);
    this.send(encoding.toUint8Array(encoder));
  }

  private send(frame: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }
}
