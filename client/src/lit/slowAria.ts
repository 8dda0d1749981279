/**
 * Sets accessibility attributes of a value drawn every frame (a meter, the clock) at most
 * every `intervalMs`, and only when their text changes: a screen reader can query the
 * current level or time, and assistive tech is not flooded with an update per frame.
 * Returns the function the frame loop calls with the attributes it would like set.
 */
export function slowAria(intervalMs = 250): (el: Element | null, now: number, attrs: Record<string, string>) => void {
  let last = -Infinity;
  return (el, now, attrs) => {
    if (!el || now - last < intervalMs) return;
    last = now;
    for (const [name, value] of Object.entries(attrs)) if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  };
}
