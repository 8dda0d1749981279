/**
 * Page-side entry for the browser upload test (bundled by bundleForBrowser): the real
 * mr-upload-panel plus a deterministic WAV maker, so a file with the same name, size and
 * mtime can be "dropped" again after a reload.
 */
import '../../../client/src/ui/mr-upload-panel.ts';
import type { MrUploadPanel } from '../../../client/src/ui/mr-upload-panel.ts';

function makeWav(seconds: number, name: string, lastModified: number, freq = 440): File {
  const fs = 48000;
  const frames = Math.round(seconds * fs);
  const buf = new ArrayBuffer(44 + frames * 2);
  const v = new DataView(buf);
  const str = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  str(0, 'RIFF');
  v.setUint32(4, 36 + frames * 2, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, fs, true);
  v.setUint32(28, fs * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  str(36, 'data');
  v.setUint32(40, frames * 2, true);
  for (let i = 0; i < frames; i++) v.setInt16(44 + i * 2, Math.round(8000 * Math.sin((2 * Math.PI * freq * i) / fs)), true);
  return new File([buf], name, { type: 'audio/wav', lastModified });
}

const panel = document.createElement('mr-upload-panel') as MrUploadPanel;
panel.room = new URLSearchParams(location.search).get('room') ?? 'browser';
document.body.append(panel);
const uploaded: string[] = [];
panel.addEventListener('stem-uploaded', (e) => uploaded.push((e as CustomEvent<{ fileName: string }>).detail.fileName));

Object.assign(window, {
  harness: {
    uploaded,
    add(files: { seconds: number; name: string; lastModified: number; freq?: number; text?: string }[]) {
      panel.addFiles(
        files.map((f) => ({
          file: f.text !== undefined ? new File([f.text], f.name, { lastModified: f.lastModified }) : makeWav(f.seconds, f.name, f.lastModified, f.freq),
        })),
      );
    },
    /** A real drop event on the panel's zone, as a drag from the desktop would fire. */
    drop(files: { seconds: number; name: string; lastModified: number }[]) {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(makeWav(f.seconds, f.name, f.lastModified));
      const zone = panel.shadowRoot!.querySelector('.zone')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    items: () =>
      [...panel.shadowRoot!.querySelectorAll('li')].map((li) => ({
        file: li.dataset.file,
        phase: li.className,
        status: li.querySelector('.status')?.textContent ?? '',
        error: li.querySelector('.error')?.textContent ?? null,
        progress: Number(li.querySelector('.bar')?.getAttribute('aria-valuenow')),
      })),
  },
});
