import type { Redis } from 'ioredis';
import type { Logger } from '../../log/Logger.ts';

type Listener = (message: Buffer) => void;

/**
 * Redis pub/sub for what is ephemeral between nodes (presence; access changes travel by the shared auth store's NOTIFY): one
 * subscriber connection per node, any number of listeners per channel. Fire-and-forget by
 * design: nothing durable travels here (updates go through streams).
 */
export class ClusterChannels {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly subscribing = new Map<string, Promise<void>>();
  private connectedOnce = false;

  constructor(
    private readonly subscriber: Redis,
    private readonly publisher: Redis,
    private readonly logger: Logger,
  ) {
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      for (const listener of [...(this.listeners.get(channel.toString()) ?? [])]) {
        try {
          listener(message);
        } catch (error) {
          logger.error('cluster channel listener failed', { channel: channel.toString(), error: String(error) });
        }
      }
    });
    // ioredis resubscribes by itself after a reconnect; what was published meanwhile is gone,
    // so listeners get a chance to ask again (presence does).
    subscriber.on('ready', () => {
      if (!this.connectedOnce) {
        this.connectedOnce = true;
        return;
      }
      for (const listener of [...this.reconnectListeners]) listener();
    });
  }

  /**
   * Listens on `channel`; `onReady` runs once the subscription is in place (what is published
   * from then on arrives). Returns the disposer.
   */
  subscribe(channel: string, listener: Listener, onReady?: () => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscribing.set(
        channel,
        this.subscriber.subscribe(channel).then(
          () => undefined,
          (error: unknown) => this.logger.warn('subscribe failed', { channel, error: String(error) }),
        ),
      );
    }
    set.add(listener);
    if (onReady) void this.subscribing.get(channel)?.then(onReady);
    return () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.listeners.delete(channel);
      this.subscribing.delete(channel);
      this.subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  publish(channel: string, message: Uint8Array | string): void {
    const body = typeof message === 'string' ? message : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    this.publisher.publish(channel, body).catch((error: unknown) => this.logger.warn('publish failed', { channel, error: String(error) }));
  }

  /** Called after the subscriber connection came back from an outage. Returns the disposer. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }
}
