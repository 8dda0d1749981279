import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { MIX_RANGES, readMixState } from '@mixroom/shared/model';
import { encodeGestureTarget, type GestureTarget } from '@mixroom/shared/protocol';
import {
  addBus,
  addSend,
  setBusEffectParam,
  setBusEffectType,
  renameBus,
  renameTrack,
  setBusParam,
  setMasterParam,
  setOutput,
  setSendParam,
  setSessionTempo,
  setSidechain,
  setTrackParam,
  createGesture,
  type GestureScheduler,
  type BusParam,
  type MasterParam,
  type TrackParam,
} from '@mixroom/shared/ops';
import { controlId } from './ControlId.ts';
import type { Gesture, MixActions, ParamPath, ParamValue, StripRef } from './MixActions.ts';

const realScheduler: GestureScheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface MixActionsOptions {
  doc: Y.Doc;
  /** This user's origin: the only one their UndoManager tracks. */
  origin: unknown;
  undo: Y.UndoManager;
  /** Drags stream through it (createGesture's awareness field) so peers see and hear them live. */
  awareness: Awareness;
  /** Publishes which control this user holds (presence highlight on every peer). */
  setTouching: (control: string | null) => void;
  /** A refused op (e.g. the track was just removed by someone else): shown, never thrown. */
  onError: (error: unknown) => void;
  /** Injected timers (tests use a fake clock). */
  scheduler?: GestureScheduler;
}

/**
 * Maps UI edits onto shared/ops with this user's origin. A drag is a shared createGesture
 * (awareness at frame rate, the document at most ~10 times a second and on release) and
 * becomes one undo step: capturing stops at its start, and its throttled commits merge
 * inside the UndoManager's capture window.
 */
export function createMixActions(options: MixActionsOptions): MixActions {
  const { doc, origin, undo, setTouching, onError, awareness } = options;
  const scheduler = options.scheduler ?? realScheduler;

  const write = (strip: StripRef, path: ParamPath, value: ParamValue): void => {
    try {
      if (path === 'output' && typeof value === 'string') {
        setOutput(doc, { id: strip.id, output: value }, origin);
        return;
      }
      if (strip.scope === 'bus' && path === 'effect.type' && (value === 'reverb' || value === 'delay')) {
        setBusEffectType(doc, { busId: strip.id, type: value }, origin);
        return;
      }
      if (strip.scope === 'bus' && path.startsWith('effect.') && typeof value === 'number') {
        setBusEffectParam(doc, { busId: strip.id, param: path.slice('effect.'.length) as never, value }, origin);
        return;
      }
      if (path === 'comp.sidechain' && strip.scope === 'track') {
        setSidechain(doc, { trackId: strip.id, source: typeof value === 'string' ? value : null }, origin);
        return;
      }
      const send = /^sends\.([^.]+)\.(level|pre|on)$/.exec(path);
      if (send) {
        const busId = send[1]!;
        const param = send[2] as 'level' | 'pre' | 'on';
        const state = readMixState(doc);
        const owner = strip.scope === 'track' ? state.tracks.find((t) => t.id === strip.id) : state.buses.find((b) => b.id === strip.id);
        // A send knob on a strip without that send creates it on first touch.
        if (owner && !owner.sends.some((s) => s.bus === busId)) {
          // Created silent unless the touch was on its level: toggling PRE must not open a send at 0 dB.
          addSend(doc, { fromId: strip.id, busId, level: param === 'level' ? (value as number) : MIX_RANGES.sendLevel.min }, origin);
        }
        setSendParam(doc, { fromId: strip.id, busId, param, value: value as never }, origin);
        return;
      }
      switch (strip.scope) {
        case 'track':
          setTrackParam(doc, { trackId: strip.id, param: path as TrackParam, value: value as never }, origin);
          break;
        case 'bus':
          setBusParam(doc, { busId: strip.id, param: path as BusParam, value: value as never }, origin);
          break;
        case 'master':
          setMasterParam(doc, { param: path as MasterParam, value: value as never }, origin);
          break;
      }
    } catch (error) {
      onError(error);
    }
  };

  let touchTimer: ReturnType<typeof setTimeout> | null = null;
  const flashTouch = (control: string): void => {
    setTouching(control);
    if (touchTimer) clearTimeout(touchTimer);
    touchTimer = setTimeout(() => setTouching(null), 800);
  };

  return {
    set(strip, path, value) {
      undo.stopCapturing();
      flashTouch(controlId(strip.scope, strip.id, path));
      write(strip, path, value);
      undo.stopCapturing();
    },
    addBus(kind, name) {
      undo.stopCapturing();
      try {
        addBus(doc, { kind, name }, origin);
      } catch (error) {
        onError(error);
      }
      undo.stopCapturing();
    },
    rename(strip, name) {
      undo.stopCapturing();
      try {
        if (strip.scope === 'track') renameTrack(doc, { trackId: strip.id, name }, origin);
        else if (strip.scope === 'bus') renameBus(doc, { busId: strip.id, name }, origin);
      } catch (error) {
        onError(error);
      }
      undo.stopCapturing();
    },
    setTempo(tempo) {
      undo.stopCapturing();
      try {
        setSessionTempo(doc, { tempo }, origin);
      } catch (error) {
        onError(error);
      }
      undo.stopCapturing();
    },
    gesture(strip, path): Gesture {
      undo.stopCapturing();
      if (touchTimer) clearTimeout(touchTimer);
      setTouching(controlId(strip.scope, strip.id, path));
      const send = /^sends\.([^.]+)\.(level|pre|on)$/.exec(path);
      const target: GestureTarget = send
        ? { kind: 'send', fromId: strip.id, busId: send[1]! }
        : strip.scope === 'master'
          ? { kind: 'master' }
          : { kind: 'strip', id: strip.id };
      const g = createGesture({
        doc,
        awareness,
        origin,
        target: encodeGestureTarget(target),
        param: send ? send[2]! : path,
        apply: (_doc, value) => write(strip, path, value),
        scheduler,
        onError,
      });
      let ended = false;
      return {
        update(value) {
          if (!ended && Number.isFinite(value)) g.update(value);
        },
        end(value) {
          if (ended) return;
          ended = true;
          if (Number.isFinite(value)) g.update(value);
          g.end();
          setTouching(null);
          undo.stopCapturing();
        },
      };
    },
  };
}
