/**
 * Close reason (with 4413) of a sync socket whose update would take its room past the
 * server's size limit. It names the limit, so the client can say how big a room may grow.
 */
export function roomFullReason(maxBytes: number): string {
  return `room full: size limit ${Number((maxBytes / 2 ** 20).toFixed(1))} MiB`;
}

/** The limit in MiB a {@link roomFullReason} names, or null for any other close reason. */
export function readRoomFullLimit(reason: string): number | null {
  const match = /^room full: size limit (\d+(?:\.\d)?) MiB$/.exec(reason);
  return match ? Number(match[1]) : null;
}
