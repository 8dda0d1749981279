import { describe, expect, it } from 'vitest';
import { ReviewView } from './ReviewView.ts';

describe('ReviewView', () => {
  it('reopens on the tab it was closed on', () => {
    const v = new ReviewView();
    v.setOpen(true);
    v.showTab('versions');
    v.setOpen(false);
    v.setOpen(true);
    expect(v.tab).toBe('versions');
  });

  it('keeps a range draft as a range, ordered, to a tenth of a second; an empty range is a point', () => {
    const v = new ReviewView();
    v.compose(13.04, 9.96);
    expect(v.draft).toEqual({ at: 10, end: 13 });
    expect(v).toMatchObject({ open: true, tab: 'comments' });
    v.compose(4.02, 4.04);
    expect(v.draft).toEqual({ at: 4, end: null });
    v.compose(-1);
    expect(v.draft).toEqual({ at: 0, end: null });
  });

  it('tells listeners only about real changes, and stops when disposed', () => {
    const v = new ReviewView();
    let calls = 0;
    const dispose = v.onChange(() => calls++);
    v.setOpen(false);
    v.showTab('comments');
    expect(calls).toBe(0);
    v.toggle();
    expect(calls).toBe(1);
    dispose();
    v.toggle();
    expect(calls).toBe(1);
  });
});
