/**
 * Page-side entry for test/controls.test.ts (bundled by bundleForBrowser): the app's real
 * fader, knob, timeline and peak meter, mounted bare, with every event they emit recorded.
 */
import '../../client/src/ui/mr-fader.ts';
import '../../client/src/ui/mr-knob.ts';
import '../../client/src/ui/mr-meter.ts';
import '../../client/src/ui/mr-timeline.ts';

interface Recorded {
  from: string;
  type: string;
  detail: unknown;
}

const events: Recorded[] = [];
let meterReads = 0;

function mount<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]>, style: string): HTMLElementTagNameMap[K] {
  const el = Object.assign(document.createElement(tag), props);
  el.setAttribute('style', style);
  el.id = tag;
  for (const type of ['control-start', 'control-input', 'control-end', 'control-set', 'seek', 'loop-change']) {
    el.addEventListener(type, (e) => events.push({ from: tag, type, detail: (e as CustomEvent).detail }));
  }
  document.body.append(el);
  return el;
}

mount('mr-fader', { value: 0, defaultValue: 0, label: 'Test fader' }, 'position:absolute;left:20px;top:20px');
mount('mr-knob', { value: 0, min: -1, max: 1, defaultValue: 0, step: 0.01, unit: 'pan', label: 'Test knob' }, 'position:absolute;left:120px;top:20px');
mount('mr-timeline', { start: 0, width: 600, pxPerSecond: 20, duration: 30 }, 'position:absolute;left:200px;top:20px;width:600px');
mount(
  'mr-meter',
  {
    reader: () => {
      meterReads++;
      return [-12, -12];
    },
  },
  'position:absolute;left:20px;top:260px',
);

const detached = new Map<string, HTMLElement>();
(window as unknown as { harness: unknown }).harness = {
  events: () => events.splice(0),
  meterReads: () => meterReads,
  detach(id: string) {
    const el = document.getElementById(id)!;
    detached.set(id, el);
    el.remove();
  },
  attach(id: string) {
    document.body.append(detached.get(id)!);
  },
};
