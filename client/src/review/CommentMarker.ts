/**
 * A comment pinned to the timeline. The review feature supplies these as a list; the
 * timeline only draws them and reports clicks (`marker-select`).
 */
export interface CommentMarker {
  id: string;
  /** Seconds. */
  time: number;
  /** End of a time-range comment, seconds; absent for a point comment. */
  end?: number;
  /** Short text for the tooltip and the accessible name. */
  text: string;
  author: string;
  color: string;
  resolved?: boolean;
}
