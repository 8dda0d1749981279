import { crc16 } from './crc16.ts';

/** What the LAME tag frame describes, all known once the encoder has finished. */
export interface LameInfo {
  /** Header bytes of the first audio frame (MPEG-1 Layer III): rate, mode and flags are copied. */
  firstHeader: Uint8Array;
  /** Audio frames after the tag frame. */
  frames: number;
  /** Bytes of the whole file, the tag frame included. */
  fileBytes: number;
  /** Frames of silence the encoder put before the first input sample (LAME: 576). */
  encoderDelay: number;
  /** Frames of silence after the last input sample, up to the end of the last frame. */
  padding: number;
  /** CRC-16 of every audio byte after the tag frame. */
  musicCrc: number;
}

/** Samples per MPEG-1 Layer III frame. */
export const MP3_FRAME_SAMPLES = 1152;
/** Layer III's bitrate index for 320 kbit/s: the tag frame has the size of the audio frames (CBR). */
const BITRATE_INDEX_320 = 14;
/** LAME's delay/padding fields are 12 bits each. */
const MAX_DELAY_OR_PADDING = 4095;

/** Size of the tag frame: a 320 kbit/s frame without its padding slot at this header's rate. */
export function lameInfoFrameBytes(sampleRate: number): number {
  return Math.floor((144 * 320_000) / sampleRate);
}

/**
 * The "Info" frame LAME itself writes at the start of a CBR file (Xing header plus the LAME
 * extension), with the encoder delay and padding that let a decoder play exactly the input
 * samples: ffmpeg, mpg123, Chromium and Apple's decoders drop `encoderDelay` + 529 (the
 * decoder's own delay) frames at the start and stop `padding` - 529 frames before the end.
 * Decoders that ignore tags play the frame as 1152 frames of silence. Layout: Xing/LAME tag
 * spec (gabriel.mp3-tech.org/mp3infotag.html); checksum: CRC-16 over the frame's first 190
 * bytes. Informative fields we cannot know about the encoder's internals (lowpass, ATH,
 * quality) are left 0, which the spec reads as "unknown".
 */
export function lameInfoFrame(info: LameInfo, sampleRate: number): Uint8Array {
  const { firstHeader: h } = info;
  if (info.encoderDelay < 0 || info.encoderDelay > MAX_DELAY_OR_PADDING || info.padding < 0 || info.padding > MAX_DELAY_OR_PADDING) {
    throw new RangeError(`MP3 delay ${info.encoderDelay} or padding ${info.padding} does not fit the LAME tag's 12 bits.`);
  }
  const frame = new Uint8Array(lameInfoFrameBytes(sampleRate));
  const v = new DataView(frame.buffer);
  // Header: MPEG-1 Layer III without CRC, 320 kbit/s, the audio's rate, no padding slot,
  // the audio's private bit, channel mode, copyright, original and emphasis; no mode extension.
  frame[0] = 0xff;
  frame[1] = 0xfb;
  frame[2] = (BITRATE_INDEX_320 << 4) | (h[2]! & 0x0c) | (h[2]! & 0x01);
  frame[3] = h[3]! & 0xcf;
  const mono = h[3]! >> 6 === 3;
  let at = 4 + (mono ? 17 : 32); // the side information stays zero: a silent frame to old decoders
  const ascii = (s: string): void => {
    for (let i = 0; i < s.length; i++) frame[at++] = s.charCodeAt(i);
  };
  ascii('Info'); // "Xing" marks VBR; CBR files say "Info"
  v.setUint32(at, 0x0f, false); // frames, bytes, TOC and quality present
  v.setUint32(at + 4, info.frames, false);
  v.setUint32(at + 8, info.fileBytes, false);
  at += 12;
  // TOC: byte position (in 256ths of the file) at each percent of the duration; linear for CBR.
  for (let i = 0; i < 100; i++) frame[at + i] = Math.floor((256 * i) / 100);
  at += 100;
  v.setUint32(at, 0, false); // quality indicator: unknown
  at += 4;
  ascii('LAME3.100'); // the encoder (wasm-media-encoders 0.7 builds LAME 3.100); decoders trust the delay fields after "LAME"
  frame[at++] = 0x01; // tag revision 0, method 1: constant bitrate
  frame[at++] = 0; // lowpass: unknown
  at += 4 + 2 + 2; // peak amplitude, radio and audiophile replay gain: not stored
  frame[at++] = 0; // encoding flags and ATH type: unknown
  frame[at++] = 0xff; // bitrate: 255 means 255 kbit/s or more
  frame[at++] = info.encoderDelay >> 4;
  frame[at++] = ((info.encoderDelay & 0x0f) << 4) | (info.padding >> 8);
  frame[at++] = info.padding & 0xff;
  const sourceRate = sampleRate === 48000 ? 2 : sampleRate === 44100 ? 1 : 0;
  const stereoMode = mono ? 0 : h[3]! >> 6 === 1 ? 3 : h[3]! >> 6 === 2 ? 2 : 1; // mono, joint, dual, stereo
  frame[at++] = (sourceRate << 6) | (stereoMode << 2); // misc: source rate, stereo mode, no noise-shaping info
  frame[at++] = 0; // MP3 gain
  at += 2; // preset and surround: none
  v.setUint32(at, info.fileBytes, false); // music length: the whole file, this frame included
  v.setUint16(at + 4, info.musicCrc, false);
  at += 6;
  v.setUint16(at, crc16(frame.subarray(0, at)), false);
  return frame;
}
