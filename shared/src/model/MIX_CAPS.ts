import { MAX_TITLE_LENGTH } from './SessionRecord.ts';
import { MAX_NAME_LENGTH } from './StripRecord.ts';

/**
 * How much one mix document may hold, enforced on every peer's writes by shared/ops and on
 * raw client updates by the server (see `repairCaps`). Chosen far above what a real session
 * reaches (a large film mix has about 200 tracks and a few dozen buses; the design room has
 * 40 stems) so that only a client writing around shared/ops meets them. A strip has at most
 * one send per aux bus, so sends per strip are capped by `buses`.
 */
export const MIX_CAPS = {
  tracks: 256,
  buses: 64,
  /** Track and bus names, in UTF-16 code units. */
  nameLength: MAX_NAME_LENGTH,
  /** The session title, in UTF-16 code units. */
  titleLength: MAX_TITLE_LENGTH,
  /**
   * Any other value a strip holds (a colour, a route, a stem reference: at most a few hundred
   * characters), as text or JSON: a longer one is deleted and reads as its default.
   */
  valueLength: 4096,
  /**
   * In a document of a newer schema (isNewerSchema), what this node does not know (keys,
   * nested maps, point fields and points it cannot read), as JSON, in all: kept up to here,
   * each leaf within valueLength, so an older node in a rolling upgrade deletes nothing a
   * newer one wrote (a new parameter on 256 strips is a few KB) and the document stays
   * bounded. Past it, what sorts last goes.
   */
  foreignBytes: 256 * 1024,
} as const;
