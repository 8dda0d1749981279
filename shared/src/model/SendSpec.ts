import { bool, num } from './ParamSpec.ts';

/**
 * A send: a track or group bus feeding an aux return. Stored in the strip's `sends` map
 * keyed by bus id (one send per bus, so two users adding the same send converge). Its
 * parameter table: pure data, no yjs (the document layer is SendRecord.ts).
 */
export const SEND_SPEC = {
  level: num('dB', -100, 12, 0),
  /** Pre-fader sends ignore the channel fader (and mute follows the source). */
  pre: bool(false),
  on: bool(true),
} as const;
