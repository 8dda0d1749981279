import { describe, expect, it } from 'vitest';
import { CLOSE_REASONS } from './CloseCode.ts';
import { readRoomFullLimit, roomFullReason } from './RoomFullReason.ts';

describe('roomFullReason', () => {
  it('names the limit in MiB, fits a close frame, and reads back', () => {
    expect(roomFullReason(64 * 2 ** 20)).toBe('room full: size limit 64 MiB');
    expect(readRoomFullLimit(roomFullReason(64 * 2 ** 20))).toBe(64);
    expect(readRoomFullLimit(roomFullReason(300_000))).toBe(0.3);
    expect(new TextEncoder().encode(roomFullReason(Number.MAX_SAFE_INTEGER)).byteLength).toBeLessThan(123);
  });

  it('reads no limit from any other reason', () => {
    for (const reason of [...Object.values(CLOSE_REASONS), '', 'room full: size limit lots MiB']) expect(readRoomFullLimit(reason)).toBeNull();
  });
});
