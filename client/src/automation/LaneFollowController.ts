import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { laneValueAt, type MixState } from '@mixroom/shared/model';

/** The automated values at `time`, rounded finer than any control shows them, as one string. */
function laneValuesKey(state: MixState, time: number): string {
  let key = '';
  for (const strip of [...state.tracks, ...state.buses, state.master]) {
    const lanes = strip.automation;
    for (const path in lanes) {
      const lane = lanes[path];
      if (lane && lane.points.length) key += `${Math.round(laneValueAt(lane, time) * 1000)},`;
    }
  }
  return key;
}

/**
 * Re-renders the console when an automated value moves: once per animation frame it reads
 * the lanes at the playhead and asks for an update only when a value changed, so a playing
 * song moves the automated faders and knobs (and nothing re-renders on a static mix).
 */
export class LaneFollowController implements ReactiveController {
  private handle = 0;
  private key = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly state: () => MixState,
    private readonly position: () => number,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const tick = (): void => {
      const key = laneValuesKey(this.state(), this.position());
      if (key !== this.key) {
        this.key = key;
        this.host.requestUpdate();
      }
      this.handle = requestAnimationFrame(tick);
    };
    this.handle = requestAnimationFrame(tick);
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.handle);
    this.handle = 0;
  }
}
