/**
 * Intrusive doubly linked lists over typed arrays: items 0..k-1 each in at most one of several
 * lists, list g starting at `head[g]`, the item after and before x at `next[x]` / `prev[x]`, −1 for
 * none. O(1) insertion at the front and removal, nothing allocated. Users: the flow core's
 * assigned pairs per column (solve/flow.ts) and the simplex tree's children per node
 * (solve/simplex.ts).
 */

/** Puts item x at the front of list g. */
export function linkFront(
  head: Int32Array,
  next: Int32Array,
  prev: Int32Array,
  g: number,
  x: number,
): void {
  const h = head[g];
  next[x] = h;
  prev[x] = -1;
  if (h !== -1) prev[h] = x;
  head[g] = x;
}

/** Takes item x out of list g. */
export function unlink(
  head: Int32Array,
  next: Int32Array,
  prev: Int32Array,
  g: number,
  x: number,
): void {
  const p = prev[x];
  const q = next[x];
  if (p !== -1) next[p] = q;
  else head[g] = q;
  if (q !== -1) prev[q] = p;
}
