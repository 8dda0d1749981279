/**
 * Composition root of the browser app: resolves who we are in the room, builds the
 * session (doc + socket + presence + per-user undo), the transport, the private monitor,
 * stem loading and the audio engine, and mounts the room view. Nothing else constructs
 * infrastructure.
 */
import workletUrl from './audio/worklet/mixroomWorklet.ts?worker&url';
import { AudioContext, createEngine, type MixEngine } from './audio/index.ts';
import { isMixOpError } from '@mixroom/shared/ops';
import { lanesOf, readMixState } from '@mixroom/shared/model';
import { can, isValidRoomId, presenceUserOf } from '@mixroom/shared/protocol';
import { createMixActions } from './mix/edit/createMixActions.ts';
import type { RoomServices } from './ui/mr-room.ts';
import { createStemLoader } from './stems/createStemLoader.ts';
import type { PresenceUser } from './mix/sync/PresenceState.ts';
import { fetchMembership, joinOpenRoom, type Member } from './mix/sync/RoomMembership.ts';
import { RoomSession } from './mix/sync/RoomSession.ts';
import { StemMediaStore } from './stems/StemMediaStore.ts';
import { bindEngine } from './mix/heard/bindEngine.ts';
import { HeardMix } from './mix/heard/HeardMix.ts';
import { FollowMode } from './transport/FollowMode.ts';
import { MonitorState } from './mix/heard/MonitorState.ts';
import { PeerPlayheads } from './transport/PeerPlayheads.ts';
import { PlayheadPublisher } from './transport/PlayheadPublisher.ts';
import { RoomTransport } from './transport/RoomTransport.ts';
import type { JoinDetail } from './ui/mr-join-dialog.ts';
import './ui/mr-join-dialog.ts';
import './ui/mr-secure-context-notice.ts';
import './ui/mr-room.ts';
import { createReviewContext } from './review/createReviewContext.ts';
import './ui/review/mr-review-dock.ts';
import './ui/review/mr-review-toggle.ts';
import './ui/review/mr-approval-badge.ts';
import './ui/review/mr-bake-notice.ts';
import './ui/review/mr-room-notices.ts';
import { watchJoins } from './mix/sync/watchJoins.ts';
import { LaneChoices } from './automation/LaneChoices.ts';
import { AutomationRecorder } from './automation/AutomationRecorder.ts';
import { applyLaneValues } from './automation/applyLaneValues.ts';
import { createLaneEditActions } from './automation/createLaneEditActions.ts';
import { paramValueOf } from './automation/paramValueOf.ts';
import { withAutomationRecording } from './automation/withAutomationRecording.ts';
// The stems helper's upload panel: loaded when present (a glob import of a missing file is empty).
import.meta.glob('./ui/mr-upload-panel.ts', { eager: true });

const DEMO_ROOM = 'demo';
const NAME_KEY = 'mixroom.displayName';
const ROLE_KEY = 'mixroom.role';
const LOCAL_ID_KEY = 'mixroom.localUserId';

function storedName(): string {
  return localStorage.getItem(NAME_KEY) ?? '';
}

/** Shows the join dialog until the user enters a name; resolves with it. */
function askName(roomId: string, askRole: boolean, error = ''): Promise<JoinDetail> {
  return new Promise((resolve) => {
    const dialog = document.createElement('mr-join-dialog');
    dialog.roomId = roomId;
    dialog.name = storedName();
    dialog.askRole = askRole;
    dialog.error = error;
    dialog.addEventListener('join', (e) => {
      dialog.remove();
      resolve((e as CustomEvent<JoinDetail>).detail);
    });
    document.body.append(dialog);
  });
}

function showBlocked(roomId: string, message: string): void {
  const dialog = document.createElement('mr-join-dialog');
  dialog.roomId = roomId;
  dialog.blocked = message;
  document.body.append(dialog);
}

/** Who we are: the server's member record, joining the open room if needed, or a local identity. */
async function resolveMember(roomId: string): Promise<{ member: Member; title: string | null } | null> {
  const state = await fetchMembership(roomId).catch(() => ({ kind: 'no-auth' }) as const);
  if (state.kind === 'member') {
    localStorage.setItem(NAME_KEY, state.member.name);
    return { member: state.member, title: state.title };
  }
  if (state.kind === 'invite-only') {
    showBlocked(roomId, state.message);
    return null;
  }
  if (state.kind === 'no-auth') {
    const name = storedName() || (await askName(roomId, false)).name;
    localStorage.setItem(NAME_KEY, name);
    let id = localStorage.getItem(LOCAL_ID_KEY);
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem(LOCAL_ID_KEY, id);
    }
    return { member: { userId: id, name, role: 'owner' }, title: null };
  }
  // An open room: join with the stored name and role, asking only the first time.
  let error = '';
  let detail: JoinDetail | null = storedName() ? { name: storedName(), role: (localStorage.getItem(ROLE_KEY) as JoinDetail['role']) || 'engineer' } : null;
  for (;;) {
    detail ??= await askName(roomId, true, error);
    try {
      const member = await joinOpenRoom(roomId, detail.name, detail.role);
      localStorage.setItem(NAME_KEY, detail.name);
      localStorage.setItem(ROLE_KEY, detail.role);
      return { member, title: state.title };
    } catch (e) {
      if (/invite-only/i.test((e as Error).message)) {
        showBlocked(roomId, (e as Error).message);
        return null;
      }
      error = (e as Error).message;
      detail = null;
    }
  }
}

/** Timers for gestures that commit on a clock (lane drags, recorded passes). */
const realScheduler = {
  now: () => performance.now(),
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

function messageOf(error: unknown): string {
  if (isMixOpError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

async function startRoom(roomId: string, member: Member, roomTitle: string | null): Promise<void> {
  const user: PresenceUser = presenceUserOf(member);
  const syncUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
  const session = new RoomSession({ roomId, user, syncUrl });
  const noticeListeners = new Set<(m: string) => void>();
  const notify = (error: unknown) => {
    const m = messageOf(error);
    console.warn(m);
    for (const l of noticeListeners) l(m);
  };
  const mixActions = createMixActions({
    doc: session.doc,
    origin: session.origin,
    undo: session.undo,
    awareness: session.connection.awareness,
    setTouching: (control) => session.connection.setPresence({ touching: control }),
    onError: notify,
  });

  let context: InstanceType<typeof AudioContext> | null = null;
  let engine: MixEngine | null = null;
  const audioListeners = new Set<() => void>();
  const unlockAudio = () => {
    if (context && context.state !== 'running') void context.resume();
  };
  // The one observer of the mix as heard (document + remote drags): the console and the engine.
  const heard = new HeardMix(session.doc, session.connection.awareness);
  const transport = new RoomTransport(unlockAudio);
  // Which lanes this person shows stays theirs, per room, across visits; arming is theirs alone.
  const laneChoices = new LaneChoices(localStorage, `mixroom.lanes.${roomId}`);
  const monitor = new MonitorState();
  const media = new StemMediaStore(roomId, notify);
  // Review: comments, versions (A/B), approvals, downloads, invites; records live from `<room>~review`.
  const reviewCtx = createReviewContext({
    roomId,
    syncUrl,
    role: member.role,
    mixDoc: session.doc,
    origin: session.origin,
    playhead: () => transport.position(),
    seek: (t) => transport.seek(t),
    loop: () => transport.snapshot().loop,
    me: { id: user.id, name: user.name },
    seenStore: localStorage,
  });
  const peerPlayheads = new PeerPlayheads(session.connection.awareness);
  const follow = new FollowMode(peerPlayheads, transport);
  new PlayheadPublisher(transport, (playhead) => session.connection.setPresence({ playhead }));
  session.connection.awareness.on('change', () => {
    const f = follow.following;
    if (f !== null && !session.connection.awareness.getStates().has(f)) follow.drop(f);
  });

  // Automation: lane edits through the lane ops, and this person's recording in front of the console's actions.
  const laneEdits = createLaneEditActions({ doc: session.doc, origin: session.origin, undo: session.undo, onError: notify, scheduler: realScheduler });
  const recorder = new AutomationRecorder({
    choices: laneChoices,
    edits: laneEdits,
    transport,
    lane: (strip, path) => lanesOf(heard.document, strip.scope, strip.id)[path] ?? { points: [] },
    current: (strip, path) => paramValueOf(applyLaneValues(heard.state, transport.position()), strip, path),
    setTouching: (control) => session.connection.setPresence({ touching: control }),
    scheduler: realScheduler,
  });
  const actions = withAutomationRecording(mixActions, recorder);
  const services: RoomServices = {
    roomId,
    roomTitle,
    session,
    heard,
    actions,
    laneChoices,
    laneEdits,
    transport,
    peerPlayheads,
    follow,
    monitor,
    media,
    markers: { markers: () => reviewCtx.review.markers(), onChange: (l) => reviewCtx.review.onChange(l) },
    playback: {
      state: () => reviewCtx.ab.stateOverride(),
      label: () => reviewCtx.ab.versionLabel(),
      backToLive: () => reviewCtx.ab.select('live'),
      onChange: (l) => reviewCtx.ab.onChange(l),
    },
    meters: {
      peak: (strip) => () => engine?.meters().get(strip)?.peak ?? [],
      gainReduction: (strip) => () => engine?.meters().get(strip)?.gainReduction ?? 0,
      reduction: (strip, role) => () => engine?.meters().get(strip)?.reductions[role] ?? 0,
      loudness: () => {
        const r = engine?.meters().get('master:') as { momentary?: number; shortTerm?: number } | undefined;
        return { momentary: r?.momentary ?? -Infinity, shortTerm: r?.shortTerm ?? -Infinity };
      },
    },
    audioState: () => context?.state ?? 'suspended',
    onAudioStateChange: (l) => {
      audioListeners.add(l);
      return () => audioListeners.delete(l);
    },
    canEdit: can(member.role, 'editMix'),
    canComment: can(member.role, 'comment'),
    onNotice: (l) => {
      noticeListeners.add(l);
      return () => noticeListeners.delete(l);
    },
  };

  const room = document.createElement('mr-room');
  room.services = services;
  // The approval status sits in the room header, visible to everyone at all times.
  const approvalBadge = document.createElement('mr-approval-badge');
  approvalBadge.review = reviewCtx.review;
  approvalBadge.slot = 'status';
  room.append(approvalBadge);
  // The review toggle sits in the header; its drawer docks beside the room (which narrows).
  const reviewToggle = document.createElement('mr-review-toggle');
  reviewToggle.ctx = reviewCtx;
  reviewToggle.slot = 'review';
  room.append(reviewToggle);
  const reviewDock = document.createElement('mr-review-dock');
  reviewDock.ctx = reviewCtx;
  reviewDock.slot = 'side';
  room.append(reviewDock);
  document.body.append(room);
  // Notices stack under the header's right end: bakes ending, then what others do.
  const notices = document.createElement('div');
  notices.className = 'mr-notices';
  notices.setAttribute('role', 'region');
  notices.setAttribute('aria-label', 'Notices');
  // Everyone hears when a version they saw baking is ready (or failed).
  const bakeNotice = document.createElement('mr-bake-notice');
  bakeNotice.review = reviewCtx.review;
  const roomNotices = document.createElement('mr-room-notices');
  roomNotices.ctx = reviewCtx;
  roomNotices.joins = {
    onJoin: (listener) =>
      watchJoins(session.connection.awareness, (joined, returning) => listener(`${joined.name} (${joined.role}) ${returning ? 'is back' : 'joined'}`)),
  };
  notices.append(bakeNotice, roomNotices);
  document.body.append(notices);

  // Browsers only start audio from a gesture: the first click or key anywhere unlocks it.
  const onGesture = () => unlockAudio();
  window.addEventListener('pointerdown', onGesture, true);
  window.addEventListener('keydown', onGesture, true);

  // The engine runs at the session's sample rate, known once the document has synced.
  await new Promise<void>((resolve) => {
    if (session.connection.status.synced) resolve();
    else session.connection.provider.once('sync', () => resolve());
  });
  const sampleRate = readMixState(session.doc).session.sampleRate;
  context = new AudioContext({ sampleRate, latencyHint: 'interactive' });
  context.onstatechange = () => audioListeners.forEach((l) => l());
  const loadStem = createStemLoader({ roomId });
  try {
    engine = await createEngine({
      context,
      workletUrl,
      loadStem,
      onStemError: (stem, e) => notify(`${stem.fileName}: ${messageOf(e)}`),
      onStemsSkipped: (stems, seconds) => {
        const tracks = heard.state.tracks;
        const names = stems.map((stem) => tracks.find((t) => t.stem?.key === stem.key)?.name ?? stem.fileName);
        notify(`Playing without ${names.join(', ')}: not loaded after ${seconds} s (joins when it arrives)`);
      },
      // "Loaded" now means: the chunks around the playhead are ready (stems are read in chunks).
      onStemProgress: media.reportProgress,
    });
  } catch (error) {
    // Mixing still works without sound (everything else is the shared document): say why.
    notify(`Audio could not start in this browser: ${messageOf(error)}`);
    return;
  }
  transport.attach(engine);
  bindEngine({
    heard,
    engine,
    monitor,
    onState: (state, plan) => {
      media.setTracks(state.tracks);
      transport.setDuration(plan.frames / plan.sampleRate);
    },
    onError: notify,
    playback: { state: () => reviewCtx.ab.stateOverride(), gainDb: () => reviewCtx.ab.gainDb(), onChange: (l) => reviewCtx.ab.onChange(l) },
  });
  audioListeners.forEach((l) => l());
  // The e2e tests read the live objects here. Only test builds (vite mode 'e2e', see
  // test/e2e/roomHarness.ts buildClient) and the dev server have it; production builds
  // drop this branch.
  if (import.meta.env.MODE === 'e2e' || import.meta.env.DEV) {
    (window as unknown as { __mixroom: unknown }).__mixroom = { session, heard, engine, transport, context, follow, monitor, media, review: reviewCtx, laneChoices };
  }
}

async function boot(): Promise<void> {
  // AudioWorklet exists only in secure contexts: over plain http from another machine the
  // room could not make a sound, so say why instead of failing inside the audio engine.
  if (!window.isSecureContext) {
    const notice = document.createElement('mr-secure-context-notice');
    notice.origin = location.origin;
    document.body.append(notice);
    document.title = 'Mixroom needs HTTPS';
    return;
  }
  const match = /^\/room\/([^/]+)\/?$/.exec(location.pathname);
  const roomId = match ? decodeURIComponent(match[1]!) : null;
  if (!roomId || !isValidRoomId(roomId)) {
    location.replace(`/room/${DEMO_ROOM}`);
    return;
  }
  document.title = `${roomId} · Mixroom`;
  const resolved = await resolveMember(roomId);
  if (resolved) await startRoom(roomId, resolved.member, resolved.title);
}

void boot();
