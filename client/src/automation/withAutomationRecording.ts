import type { Gesture, MixActions } from '../mix/edit/MixActions.ts';
import type { AutomationRecorder } from './AutomationRecorder.ts';

/**
 * The console's actions with recording in front: while the song plays, a move of a control
 * whose lane this person armed (Touch, Latch, Write) goes into the lane through the recorder
 * instead of the static value; everything else (and every control in Read) passes through.
 * Every control of every strip writes through MixActions, so all of them can record.
 */
export function withAutomationRecording(actions: MixActions, recorder: AutomationRecorder): MixActions {
  return {
    ...actions,
    set(strip, path, value) {
      if ((typeof value === 'number' || typeof value === 'boolean') && recorder.captures(strip, path)) recorder.set(strip, path, Number(value));
      else actions.set(strip, path, value);
    },
    nudge(strip, path, value) {
      if (recorder.captures(strip, path)) recorder.set(strip, path, value);
      else actions.nudge(strip, path, value);
    },
    gesture(strip, path, alsoPath): Gesture {
      const main = recorder.captures(strip, path);
      const also = alsoPath !== undefined && recorder.captures(strip, alsoPath);
      if (!main && !also) return actions.gesture(strip, path, alsoPath);
      // The half of a pair that is not armed still moves its static value, as a gesture of its own.
      const rest = !main ? actions.gesture(strip, path) : alsoPath !== undefined && !also ? actions.gesture(strip, alsoPath) : null;
      // Grabbing punches in (Touch, Latch) at the value the control shows, before it moves.
      if (main) recorder.touch(strip, path);
      if (also) recorder.touch(strip, alsoPath!);
      const route = (value: number, alsoValue: number | undefined, end: boolean) => {
        const step = end ? recorder.release : recorder.input;
        if (main) step.call(recorder, strip, path, value);
        if (also) {
          if (alsoValue !== undefined) step.call(recorder, strip, alsoPath!, alsoValue);
          else if (end) recorder.release(strip, alsoPath!);
        }
        const restValue = main ? alsoValue : value;
        if (rest && end) rest.end(restValue ?? Number.NaN);
        else if (rest && restValue !== undefined) rest.update(restValue);
      };
      return {
        update: (value, alsoValue) => route(value, alsoValue, false),
        end: (value, alsoValue) => {
          if (!Number.isFinite(value)) {
            // The element went away mid-drag: let go where the control was.
            if (main) recorder.release(strip, path);
            if (also) recorder.release(strip, alsoPath!);
            rest?.end(Number.NaN);
            return;
          }
          route(value, alsoValue, true);
        },
      };
    },
  };
}
