import type WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { MESSAGE_TYPES } from '@mixroom/shared/protocol';

const TYPE_NAMES = new Map<number, string>(Object.entries(MESSAGE_TYPES).map(([name, code]) => [code, name]));
const SYNC_NAMES = ['step1', 'step2', 'update'];
/** Frames kept per socket: the start of a connection is what tells why it never synced. */
const KEPT = 40;

/** `sync.step2 812B` for one server frame (y-websocket framing), or what was unreadable about it. */
export function describeFrame(frame: Uint8Array): string {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    const name = TYPE_NAMES.get(type) ?? `type${type}`;
    if (type !== MESSAGE_TYPES.sync) return `${name} ${frame.byteLength}B`;
    const sub = decoding.readVarUint(decoder);
    return `sync.${SYNC_NAMES[sub] ?? sub} ${frame.byteLength}B`;
  } catch (error) {
    return `unreadable ${frame.byteLength}B (${String(error)})`;
  }
}

/**
 * What each client socket saw, for the failure message of a test whose client never synced: its
 * opens and closes and the first frames of each connection, with ms since the log began.
 */
export class ClientFrameLog {
  private readonly started = Date.now();
  private readonly events: string[] = [];
  private framesThisSocket = 0;

  /** Starts logging one (re)connection's socket. */
  watch(socket: WebSocket): void {
    this.note(`connecting #${this.events.filter((e) => e.includes('connecting')).length + 1}`);
    this.framesThisSocket = 0;
    socket.on('open', () => this.note('open'));
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      this.framesThisSocket += 1;
      // (y-websocket sets binaryType 'arraybuffer')
      const bytes = Array.isArray(data) ? Buffer.concat(data) : new Uint8Array(data);
      if (this.framesThisSocket <= KEPT) this.note(describeFrame(bytes));
      else if (this.framesThisSocket === KEPT + 1) this.note('(later frames not logged)');
    });
    socket.on('close', (code: number, reason: Buffer) => this.note(`close ${code} ${reason.toString()}`));
    socket.on('error', (error: Error) => this.note(`error ${error.message}`));
  }

  private note(event: string): void {
    this.events.push(`+${Date.now() - this.started}ms ${event}`);
  }

  toString(): string {
    return this.events.join(' | ');
  }
}
