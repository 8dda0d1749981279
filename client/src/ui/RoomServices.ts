import type { RoomSession } from '../mix/sync/RoomSession.ts';
import type { FollowMode } from '../transport/FollowMode.ts';
import type { MonitorState } from '../mix/heard/MonitorState.ts';
import type { PeerPlayheads } from '../transport/PeerPlayheads.ts';
import type { RoomTransport } from '../transport/RoomTransport.ts';
import type { CommentMarker } from '../review/CommentMarker.ts';
import type { MixerMeters } from './mr-mixer.ts';
import type { WaveformPeaks } from '../stems/WaveformPeaks.ts';
import type { MixActions } from '../mix/edit/MixActions.ts';

/** Waveform peaks and stem loading progress per track, filled in the background. */
export interface StemMedia {
  peaks(): ReadonlyMap<string, readonly WaveformPeaks[]>;
  /** 0..1 per track id; absent = loaded (or no stem). */
  progress(): ReadonlyMap<string, number>;
  /** Returns the disposer. */
  onChange(listener: () => void): () => void;
}

/** Comment markers for the timeline (the review feature plugs in here). */
export interface MarkerSource {
  markers(): readonly CommentMarker[];
  onChange(listener: () => void): () => void;
}

/** Everything the room view needs, wired once in main.ts. */
export interface RoomServices {
  roomId: string;
  session: RoomSession;
  actions: MixActions;
  transport: RoomTransport;
  peerPlayheads: PeerPlayheads;
  follow: FollowMode;
  monitor: MonitorState;
  meters: MixerMeters;
  media: StemMedia;
  markers: MarkerSource;
  /** AudioContext state ('suspended' until the first gesture, then 'running'). */
  audioState(): string;
  onAudioStateChange(listener: () => void): () => void;
  /** Whether this user's role may edit the mix. */
  canEdit: boolean;
  /** Last refused edit or load failure to show the user. */
  onNotice(listener: (message: string) => void): () => void;
}
