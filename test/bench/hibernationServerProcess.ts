import * as Y from 'yjs';
import { initMixDoc } from '@mixroom/shared/model';
import { parseConfig } from '../../server/src/config/Config.ts';
import { createServer } from '../../server/src/createServer.ts';
import { createJsonLogger } from '../../server/src/log/Logger.ts';
import { openMixRoom } from '../../server/src/rooms/openMixRoom.ts';
import { hourSessionState } from './hourSessionState.ts';

// The sync server of hibernationBench, run with --expose-gc: rooms named `hour-*` start as the
// 1-hour session state, the others as a new mix; both get the product's open hook (migrations,
// repair). It answers `heap` over IPC with its heap (and RSS) after full collections, and `wakes`
// with how long each wake took inside the server, its two steps and its CPU (from the rooms' debug log lines).
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const hour = hourSessionState();
const config = parseConfig({ ...process.env, LOG_LEVEL: 'debug' });
const wakeMs: number[] = [];
const wakeApplyMs: number[] = [];
const wakeOpenMs: number[] = [];
const wakeCpuMs: number[] = [];
const server = await createServer(config, {
  logger: createJsonLogger(config.logLevel, (line) => {
    if (!line.includes('"msg":"room woke"')) return;
    const woke = JSON.parse(line) as { tookMs: number; applyMs: number; openMs: number; cpuMs: number };
    wakeMs.push(woke.tookMs);
    wakeApplyMs.push(woke.applyMs);
    wakeOpenMs.push(woke.openMs);
    wakeCpuMs.push(woke.cpuMs);
  }),
  initRoom: (doc, roomId) => (roomId.startsWith('hour-') ? Y.applyUpdate(doc, hour) : initMixDoc(doc, { title: 'Empty', sampleRate: 48000 })),
  openRoom: openMixRoom,
});
process.on('message', (message) => {
  if (message === 'wakes') return void process.send!({ port: server.port, wakeMs, wakeApplyMs, wakeOpenMs, wakeCpuMs });
  if (message !== 'heap') return;
  void (async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    process.send!({ heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss, port: server.port, hibernating: server.services.rooms.hibernatingCount, loaded: server.services.rooms.size });
  })();
});
process.send!({ port: server.port, stateBytes: hour.byteLength });
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
