/** Units a control can display; each has one text form for the screen and for screen readers. */
export type ValueUnit = 'dB' | 'Hz' | 'pan' | 's' | 'ratio' | 'mix' | 'Q';

export function formatValue(value: number, unit: ValueUnit): string {
  if (!Number.isFinite(value)) return unit === 'dB' ? '-∞ dB' : '—';
  switch (unit) {
    case 'dB':
      return value <= -99.95 ? '-∞ dB' : `${value > 0 ? '+' : ''}${value.toFixed(1)} dB`;
    case 'Hz':
      return value >= 1000 ? `${(value / 1000).toFixed(value >= 10000 ? 1 : 2)} kHz` : `${Math.round(value)} Hz`;
    case 'pan': {
      const pct = Math.round(Math.abs(value) * 100);
      return pct === 0 ? 'C' : `${value < 0 ? 'L' : 'R'}${pct}`;
    }
    case 's':
      return value < 1 ? `${(value * 1000).toFixed(value < 0.01 ? 1 : 0)} ms` : `${value.toFixed(2)} s`;
    case 'ratio':
      return `${value.toFixed(1)}:1`;
    case 'mix':
      return `${Math.round(value * 100)}%`;
    case 'Q':
      return `Q ${value.toFixed(2)}`;
  }
}
