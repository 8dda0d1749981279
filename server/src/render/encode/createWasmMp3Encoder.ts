import { createEncoder } from 'wasm-media-encoders';
import { loadLameModule } from './loadLameModule.ts';
import type { Mp3Encoder, Mp3EncoderOptions } from './Mp3Encoder.ts';
import { Mp3InfoTagger } from './mp3/Mp3InfoTagger.ts';

/**
 * LAME 3.100 compiled to wasm (wasm-media-encoders), in this thread: the fallback where no
 * native LAME is installed. It takes float input and leaves LAME's quality at its default
 * (3), which the native encoder is given explicitly. It writes no tag frame and does not
 * expose lame_get_lametag_frame, so {@link Mp3InfoTagger} writes the Info frame.
 */
export async function createWasmMp3Encoder(options: Mp3EncoderOptions): Promise<Mp3Encoder> {
  const { sampleRate, channels, onBytes } = options;
  const lame = await createEncoder('audio/mpeg', await loadLameModule());
  lame.configure({ sampleRate, channels: channels as 1 | 2, bitrate: 320 });
  const tagger = new Mp3InfoTagger(sampleRate);
  let inputFrames = 0;
  // The view points into wasm memory the next call overwrites: copied.
  const emit = (view: Uint8Array): void => {
    if (view.length > 0) onBytes(tagger.wrap(view.slice()));
  };
  return {
    choice: { kind: 'wasm' },
    encode(block, frames) {
      inputFrames += frames;
      emit(lame.encode(block.map((c) => (c.length === frames ? c : c.subarray(0, frames)))));
      return Promise.resolve();
    },
    finish() {
      emit(lame.finalize());
      return Promise.resolve();
    },
    headerPatches: () => tagger.headerPatches(inputFrames),
    dispose() {},
  };
}
