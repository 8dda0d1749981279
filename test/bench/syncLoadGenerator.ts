import { LightSyncClient } from './LightSyncClient.ts';
import { epochNow, startLoadTicks, type LoadClient } from './startLoadTicks.ts';

/**
 * A child process of syncBench holding a share of its light clients (LightSyncClient), so that
 * the load generator does not share an event loop with the measuring clients. Driven over IPC
 * by `GeneratorCommand`s; answers with `GeneratorReport`s.
 */
export type GeneratorCommand =
  | {
      readonly type: 'connect';
      readonly clients: ReadonlyArray<{ readonly index: number; readonly url: string; readonly room: string }>;
      readonly totalClients: number;
      readonly rateHz: number;
      readonly awarenessHz: number;
      readonly cookie?: string;
    }
  /** Answered with this process's clock (the bench checks the stamps it compares across processes). */
  | { readonly type: 'clock'; readonly sent: number }
  /** How far this process's clock is ahead of the bench's: subtracted from every stamp. */
  | { readonly type: 'offset'; readonly ms: number }
  | { readonly type: 'start' }
  | { readonly type: 'stop' }
  /** Commits stamped in [start, end) (epochNow ms), per room. */
  | { readonly type: 'count'; readonly start: number; readonly end: number };

export type GeneratorReport =
  | { readonly type: 'synced' }
  /** `receivedAt` is stamped by the bench when the answer arrives. */
  | { readonly type: 'clock'; readonly sent: number; readonly at: number; readonly receivedAt?: number }
  | {
      readonly type: 'counts';
      readonly perRoom: Record<string, number>;
      /** Over the whole run, per room: this process's light clients, their commits, and the update frames they received. */
      readonly rooms: Record<string, { clients: number; commits: number; updatesIn: number }>;
      readonly framesIn: number;
      readonly bytesIn: number;
      readonly updatesIn: number;
      /** Light clients the server closed, per close code (they do not reconnect). */
      readonly closed: Record<string, number>;
    };

const clients: Array<LoadClient & { readonly light: LightSyncClient; readonly room: string }> = [];
/** Each commit's room and stamp, for the window counts asked at the end. */
const commits: Array<{ readonly room: string; readonly at: number }> = [];
let stop: (() => void) | null = null;
let settings: Extract<GeneratorCommand, { type: 'connect' }> | null = null;
let offsetMs = 0;

const report = (message: GeneratorReport) => process.send!(message);

process.on('message', (command: GeneratorCommand) => {
  switch (command.type) {
    case 'connect': {
      settings = command;
      for (const { index, url, room } of command.clients) {
        const light = new LightSyncClient(url, room, command.cookie ? { headers: { Cookie: command.cookie } } : {});
        const key = `f${index}`;
        clients.push({
          index,
          light,
          room,
          commit: (at, value) => light.commit(key, at, value),
          movePresence: (at) => light.awareness.setLocalStateField('playhead', at),
        });
      }
      const poll = setInterval(() => {
        if (!clients.every((c) => c.light.synced)) return;
        clearInterval(poll);
        report({ type: 'synced' });
      }, 20);
      return;
    }
    case 'clock':
      report({ type: 'clock', sent: command.sent, at: epochNow() });
      return;
    case 'offset':
      offsetMs = command.ms;
      return;
    case 'start':
      stop = startLoadTicks(clients, {
        totalClients: settings!.totalClients,
        rateHz: settings!.rateHz,
        awarenessHz: settings!.awarenessHz,
        onCommit: (client, at) => commits.push({ room: (client as (typeof clients)[number]).room, at }),
        now: () => epochNow() - offsetMs,
      });
      return;
    case 'stop':
      stop?.();
      return;
    case 'count': {
      const perRoom: Record<string, number> = {};
      for (const { room, at } of commits) if (at >= command.start && at < command.end) perRoom[room] = (perRoom[room] ?? 0) + 1;
      let framesIn = 0;
      let bytesIn = 0;
      let updatesIn = 0;
      for (const { light } of clients) {
        framesIn += light.framesIn;
        bytesIn += light.bytesIn;
        updatesIn += light.updatesIn;
      }
      const rooms: Record<string, { clients: number; commits: number; updatesIn: number }> = {};
      const roomOf = (room: string) => (rooms[room] ??= { clients: 0, commits: 0, updatesIn: 0 });
      for (const { light, room } of clients) {
        roomOf(room).clients += 1;
        roomOf(room).updatesIn += light.updatesIn;
      }
      for (const { room } of commits) roomOf(room).commits += 1;
      const closed: Record<string, number> = {};
      for (const { light } of clients) if (light.closedWith !== null) closed[light.closedWith] = (closed[light.closedWith] ?? 0) + 1;
      report({ type: 'counts', perRoom, rooms, framesIn, bytesIn, updatesIn, closed });
      return;
    }
  }
});
// The bench kills this process when its point is done; without IPC there is nothing to do.
process.on('disconnect', () => {
  for (const { light } of clients) light.close();
  process.exit(0);
});
