/**
 * Incremental WAV (RIFF/RF64-less) PCM reader: feed it bytes as they arrive and it writes
 * samples straight into per-channel Float32Arrays it is given once the header is known, so
 * a stem is decoded while it downloads and never exists twice in memory.
 */
export interface WavFormat {
  channels: number;
  sampleRate: number;
  /** Sample frames in the data chunk. */
  frames: number;
  bitsPerSample: number;
  float: boolean;
}

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

export class WavStreamReader {
  private header: Uint8Array = new Uint8Array(0);
  private format: WavFormat | null = null;
  private targets: Float32Array[] | null = null;
  private carry = new Uint8Array(0);
  private frame = 0;
  private dataStart = -1;

  /**
   * Feeds bytes. Returns the format once the header is complete (then call `setTargets`
   * before feeding more), null while the header is still incomplete.
   */
  push(chunk: Uint8Array): WavFormat | null {
    if (!this.format) {
      const joined = new Uint8Array(this.header.length + chunk.length);
      joined.set(this.header);
      joined.set(chunk, this.header.length);
      this.header = joined;
      this.parseHeader();
      if (!this.format) return null;
      const rest = this.header.subarray(this.dataStart);
      this.header = new Uint8Array(0);
      this.carry = rest.slice();
      return this.format;
    }
    this.decode(chunk);
    return this.format;
  }

  /** Channel arrays of at least `frames` samples each; any bytes already buffered are decoded. */
  setTargets(targets: Float32Array[]): void {
    this.targets = targets;
    const pending = this.carry;
    this.carry = new Uint8Array(0);
    this.decode(pending);
  }

  get framesDecoded(): number {
    return this.frame;
  }

  private parseHeader(): void {
    const b = this.header;
    if (b.length < 12) return;
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const tag = (at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
    if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavFormatError('Not a WAV file');
    let at = 12;
    let fmt: Omit<WavFormat, 'frames'> | null = null;
    let blockAlign = 0;
    while (at + 8 <= b.length) {
      const id = tag(at);
      const size = v.getUint32(at + 4, true);
      if (id === 'data') {
        if (!fmt) throw new WavFormatError('WAV data before its format chunk');
        this.dataStart = at + 8;
        this.format = { ...fmt, frames: Math.floor(size / blockAlign) };
        return;
      }
      if (at + 8 + size > b.length) return; // wait for the whole chunk
      if (id === 'fmt ') {
        let code = v.getUint16(at + 8, true);
        const channels = v.getUint16(at + 10, true);
        const sampleRate = v.getUint32(at + 12, true);
        blockAlign = v.getUint16(at + 20, true);
        const bitsPerSample = v.getUint16(at + 22, true);
        if (code === 0xfffe && size >= 40) code = v.getUint16(at + 32, true);
        const float = code === 3;
        if (!(code === 1 || code === 3)) throw new WavFormatError(`Unsupported WAV encoding ${code}`);
        if (![16, 24, 32, 64].includes(bitsPerSample) || (float && bitsPerSample < 32)) throw new WavFormatError(`Unsupported WAV bit depth ${bitsPerSample}`);
        if (channels < 1 || blockAlign !== channels * (bitsPerSample / 8)) throw new WavFormatError('Inconsistent WAV format chunk');
        fmt = { channels, sampleRate, bitsPerSample, float };
      }
      at += 8 + size + (size & 1);
    }
  }

  private decode(chunk: Uint8Array): void {
    const f = this.format;
    if (!f || !this.targets) {
      const joined = new Uint8Array(this.carry.length + chunk.length);
      joined.set(this.carry);
      joined.set(chunk, this.carry.length);
      this.carry = joined;
      return;
    }
    const block = (f.bitsPerSample / 8) * f.channels;
    let rest = chunk;
    if (this.carry.length) {
      // Complete the frame split across chunks with a few bytes, without copying the chunk.
      const take = Math.min(rest.length, (block - (this.carry.length % block)) % block);
      const head = new Uint8Array(this.carry.length + take);
      head.set(this.carry);
      head.set(rest.subarray(0, take), this.carry.length);
      rest = rest.subarray(take);
      this.carry = new Uint8Array(0);
      const left = this.decodeFrames(head);
      if (left.length) {
        this.carry = left.slice();
        return;
      }
    }
    const left = this.decodeFrames(rest);
    this.carry = left.length ? left.slice() : new Uint8Array(0);
  }

  /** Decodes every whole frame of `bytes` into the targets; returns the trailing partial frame. */
  private decodeFrames(bytes: Uint8Array): Uint8Array {
    const f = this.format!;
    const out = this.targets!;
    const bps = f.bitsPerSample / 8;
    const block = bps * f.channels;
    const frames = Math.min(Math.floor(bytes.length / block), f.frames - this.frame);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    for (let i = 0; i < frames; i++, this.frame++) {
      for (let c = 0; c < f.channels; c++, at += bps) {
        let s: number;
        if (f.float) s = bps === 4 ? v.getFloat32(at, true) : v.getFloat64(at, true);
        else if (bps === 2) s = v.getInt16(at, true) / 32768;
        else if (bps === 3) s = (((bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) << 8) >> 8) / 8388608;
        else s = v.getInt32(at, true) / 2147483648;
        out[c]![this.frame] = s;
      }
    }
    return this.frame >= f.frames ? new Uint8Array(0) : bytes.subarray(frames * block);
  }
}
