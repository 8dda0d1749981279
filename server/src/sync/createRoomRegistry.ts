import type { RoomId } from '@mixroom/shared/protocol';
import type { Config } from '../config/Config.ts';
import type { Logger } from '../log/Logger.ts';
import type { RoomStore } from './persistence/RoomStore.ts';
import { RoomRegistry, type InitRoom, type OpenRoom } from './RoomRegistry.ts';

export interface RoomRegistryDeps {
  readonly store: RoomStore;
  readonly logger: Logger;
  readonly initRoom?: InitRoom;
  readonly prepareNewRoom?: (roomId: RoomId) => Promise<unknown>;
  readonly openRoom?: OpenRoom;
  readonly maxRoomBytes?: number;
  readonly observeRelay?: (seconds: number) => void;
  readonly observeWake?: (seconds: number) => void;
}

/** The room registry as the config sets it up: the single process's and each sync shard's. */
export function createRoomRegistry(config: Config, deps: RoomRegistryDeps): RoomRegistry {
  return new RoomRegistry({
    store: deps.store,
    initRoom: deps.initRoom ?? (() => undefined),
    ...(deps.prepareNewRoom ? { prepareNewRoom: deps.prepareNewRoom } : {}),
    ...(deps.openRoom ? { openRoom: deps.openRoom } : {}),
    logger: deps.logger,
    idleUnloadMs: config.roomIdleUnloadMs,
    ...(config.roomHibernateMs > 0 ? { hibernateAfterMs: config.roomHibernateMs } : {}),
    compactLogBytes: config.compactLogBytes,
    ...(deps.maxRoomBytes !== undefined ? { maxRoomBytes: deps.maxRoomBytes } : {}),
    ...(deps.observeRelay ? { observeRelay: deps.observeRelay } : {}),
    ...(deps.observeWake ? { observeWake: deps.observeWake } : {}),
  });
}
