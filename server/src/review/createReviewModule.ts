import type { Auth } from '../auth/createAuth.ts';
import { createAuthRoutes } from '../auth/createAuthRoutes.ts';
import { refreshSessions } from '../auth/refreshSessions.ts';
import type { MountRoutes } from '../http/ServerServices.ts';
import type { RateLimits } from '../limits/createRateLimits.ts';
import type { Logger } from '../log/Logger.ts';
import type { StorageLinks } from '../storage/StorageLinks.ts';
import type { BakeVersion } from './BakeVersion.ts';
import type { BakeQueue } from './BakeQueue.ts';
import { createBakeQueue } from './createBakeQueue.ts';
import { createReviewDocs, type ReviewDocs } from './ReviewDocs.ts';
import { createReviewRoutes } from './createReviewRoutes.ts';
import { createReviewService } from './createReviewService.ts';
import type { DownloadLink, ReviewService } from './createReviewService.ts';
import { API_MOUNTS } from '../http/MixroomApi.ts';

/** Builds the bake queue once the room documents exist (see `BakeQueue`'s two implementations). */
export type CreateBakeQueue = (context: { docs: ReviewDocs; logger: Logger }) => BakeQueue;

export interface ReviewModuleDeps {
  auth: Auth;
  /** Bakes in this process (the embedded default); ignored when `bakeQueue` is given. */
  bake?: BakeVersion;
  /** A queue of its own (BullMQ in cluster mode); default: the in-process queue over `bake`. */
  bakeQueue?: CreateBakeQueue;
  /** Download links to stored renders (app-proxied or presigned S3). */
  links: StorageLinks;
  now: () => number;
  newId: () => string;
  /** Rate limits on room creation, joins and bakes (none when absent). */
  limits?: RateLimits;
  /** Bound on waiting bakes, overall and per room (see `createBakeQueue`). */
  bakeQueueBounds?: { maxQueued: number; maxQueuedPerRoom: number };
}

export interface ReviewModule {
  /** Add to `createServer`'s `routes`: mounts auth (rooms, invites, join) and review routes. */
  mount: MountRoutes;
  /** The service once mounted (tests, other modules). */
  readonly service: ReviewService | null;
  /** Resolves when no bake is queued or running. */
  bakesIdle(): Promise<void>;
  /** The queue once mounted (metrics read its depth). */
  readonly bakes: BakeQueue | null;
  /** Cancels bakes and waits for the running one to stop (call before closing the server). */
  close(): Promise<void>;
}

/** Downloads as attachments under their room-version-format name. */
export function downloadLinksWith(links: StorageLinks): DownloadLink {
  return (key, fileName, contentType, ttlSeconds) => links.read(key, { ttlSeconds, fileName, contentType });
}

/** Wires auth routes, the review service, its bake queue and its routes into a server. */
export function createReviewModule(deps: ReviewModuleDeps): ReviewModule {
  let service: ReviewService | null = null;
  let queue: BakeQueue | null = null;
  return {
    get service() {
      return service;
    },
    get bakes() {
      return queue;
    },
    mount(app, services) {
      const docs = createReviewDocs(services.docs);
      const { bake } = deps;
      if (deps.bakeQueue) queue = deps.bakeQueue({ docs, logger: services.logger });
      else if (bake) queue = createBakeQueue({ docs, bake, now: deps.now, logger: services.logger, ...deps.bakeQueueBounds });
      else throw new Error('the review module needs a bake function or a bake queue');
      const review = createReviewService({
        docs,
        bakes: queue,
        downloadLink: downloadLinksWith(deps.links),
        now: deps.now,
        newId: deps.newId,
        logger: services.logger,
      });
      service = review;
      app.use('*', refreshSessions(deps.auth));
      app.route(
        API_MOUNTS.auth,
        createAuthRoutes(deps.auth, {
          publicUrl: services.publicUrl,
          onRoomCreated: (room) =>
            review.ensureRoomInfo({ roomId: room.roomId, title: room.title, ownerName: room.ownerName, createdAt: room.createdAt, open: false }),
          onOpenRoomJoined: (roomId) => review.ensureRoomInfo({ roomId, title: roomId, ownerName: null, createdAt: deps.now(), open: true }),
          ...(deps.limits ? { limits: deps.limits } : {}),
        }),
      );
      app.route(API_MOUNTS.review, createReviewRoutes(deps.auth, review, { publicUrl: services.publicUrl, ...(deps.limits ? { limits: deps.limits } : {}) }));
    },
    bakesIdle: () => queue?.idle() ?? Promise.resolve(),
    close: () => queue?.close() ?? Promise.resolve(),
  };
}
