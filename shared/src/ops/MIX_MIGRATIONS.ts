import * as Y from 'yjs';

/** One step of the document layout: brings a root map from `from` to `from + 1`, in place. */
export interface MixMigration {
  readonly from: number;
  readonly migrate: (root: Y.Map<unknown>) => void;
}

function stripMaps(root: Y.Map<unknown>): Y.Map<unknown>[] {
  const out: Y.Map<unknown>[] = [];
  for (const key of ['tracks', 'buses']) {
    const strips = root.get(key);
    if (strips instanceof Y.Map) for (const s of strips.values()) if (s instanceof Y.Map) out.push(s as Y.Map<unknown>);
  }
  return out;
}

/**
 * v1 -> v2: pan was stored in -100..100 (now -1..1); sends were a Y.Array of
 * {bus, level, pre, on} maps, which duplicated a send when two users added it at once
 * (now a Y.Map keyed by bus id; the first send per bus in array order wins).
 */
const v1ToV2: MixMigration = {
  from: 1,
  migrate(root) {
    for (const strip of stripMaps(root)) {
      const pan = strip.get('pan');
      if (typeof pan === 'number' && Number.isFinite(pan)) strip.set('pan', Math.max(-1, Math.min(1, pan / 100)));
      const sends = strip.get('sends');
      const next = new Y.Map<unknown>();
      const entries: [string, { level: unknown; pre: unknown; on: unknown }][] = [];
      if (sends instanceof Y.Array) {
        for (const item of sends.toArray()) {
          const s = item instanceof Y.Map ? (item.toJSON() as Record<string, unknown>) : item;
          if (typeof s !== 'object' || s === null) continue;
          const rec = s as Record<string, unknown>;
          if (typeof rec.bus !== 'string' || entries.some(([bus]) => bus === rec.bus)) continue;
          entries.push([rec.bus, { level: rec.level, pre: rec.pre, on: rec.on }]);
        }
      } else if (sends instanceof Y.Map) {
        continue; // already keyed: nothing to convert
      }
      strip.set('sends', next);
      for (const [bus, s] of entries) {
        const send = new Y.Map<unknown>();
        next.set(bus, send);
        if (typeof s.level === 'number') send.set('level', s.level);
        if (typeof s.pre === 'boolean') send.set('pre', s.pre);
        if (typeof s.on === 'boolean') send.set('on', s.on);
      }
    }
  },
};

/**
 * v2 -> v3: strips gain a pan law. Existing ones get 'webaudio', the law they were mixed
 * with (StereoPannerNode folds one side of a stereo input into the other), so an old mix
 * sounds the same until its owner switches a strip to 'balance', which new strips get.
 */
const v2ToV3: MixMigration = {
  from: 2,
  migrate(root) {
    for (const strip of stripMaps(root)) if (!strip.has('panLaw')) strip.set('panLaw', 'webaudio');
  },
};

/** Every migration, in order. Add one here when CURRENT_SCHEMA_VERSION is bumped. */
export const MIX_MIGRATIONS: readonly MixMigration[] = [v1ToV2, v2ToV3];
