import type { StemRef } from '@mixroom/shared/model';

/**
 * Where validated stems become tracks. Injected so the stems module does not know how rooms
 * are loaded; `createRoomTrackSink` wires it to the live room registry.
 */
export interface StemTrackSink {
  /** The session sample rate of the room's mix (stems must match it). */
  sessionSampleRate(room: string): Promise<number>;
  /** Adds a track playing `stem`, visible to everyone in the room; resolves with its id once durable. */
  addTrack(room: string, track: { name: string; stem: StemRef }): Promise<string>;
}
