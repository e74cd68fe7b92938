/**
 * The one bounded top-K of the code base: of the (value, index) pairs pushed since the last
 * `reset`, the best `cap`, and `dropped`, the best value pushed out or never let in — so every
 * value pushed and not listed is ≤ `dropped` (−Infinity when nothing was left out).
 *
 * Order: value descending, equal values by index ascending, whatever order the pairs come in
 * (pairs are not expected to repeat an index). A value that is not above −Infinity (−Infinity,
 * NaN) is never listed, and NaN never raises `dropped`.
 *
 * Users: each mentee's best mentors (score/topk.ts); the engine's row scans (`scanRow`, through
 * solve/rowscan.ts: candidate lists, pricing, the auction's re-reads), each column's best rows
 * (solve/candidates.ts) and the auction's final list trim (solve/auction.ts). This module
 * imports nothing, so score/ and solve/ can both use it without depending on each other.
 *
 * While pushing, `val`/`idx[0, size)` is a min-heap (the worst listed entry at 0): a push that
 * enters costs O(log cap), one that does not a compare. `floor` is the value to beat, so a loop
 * can make that compare itself before it pays for anything else: when indices are pushed in
 * ascending order (every user does), a value ≤ `floor` never enters. `sort()` then puts the list
 * best first. Typed arrays, allocated by the constructor (and by `reset` to a larger cap); nothing
 * is allocated per push. Users read the fields; only this class writes them.
 */
export class TopList {
  /** How many entries are kept. */
  cap: number;
  /** Entries `[0, size)`: a min-heap while pushing, best first after `sort()`. */
  idx: Int32Array;
  val: Float64Array;
  size: number;
  /** A push enters when its value is above `floor`, or equal to it with an index below
   * `floorIdx`: −Infinity (index −1) while there is room, +Infinity when cap is 0, else the
   * worst listed entry. */
  floor: number;
  floorIdx: number;
  /** Best value pushed out of the list or never let in (−Infinity: none). */
  dropped: number;

  constructor(cap: number) {
    this.cap = cap;
    this.idx = new Int32Array(cap);
    this.val = new Float64Array(cap);
    this.size = 0;
    this.floor = cap === 0 ? Infinity : -Infinity;
    this.floorIdx = -1;
    this.dropped = -Infinity;
  }

  /** Empties the list, keeping at most `cap` entries from now on (arrays grow if needed). */
  reset(cap: number = this.cap): void {
    if (cap > this.idx.length) {
      this.idx = new Int32Array(cap);
      this.val = new Float64Array(cap);
    }
    this.cap = cap;
    this.size = 0;
    this.floor = cap === 0 ? Infinity : -Infinity;
    this.floorIdx = -1;
    this.dropped = -Infinity;
  }

  /** Offers (v, i). Not after `sort()` without a `reset()`. */
  push(v: number, i: number): void {
    const floor = this.floor;
    if (!(v > floor || (v === floor && i < this.floorIdx))) {
      if (v > this.dropped) this.dropped = v;
      return;
    }
    const { idx, val } = this;
    const n = this.size;
    if (n < this.cap) {
      siftUp(val, idx, n, v, i);
      this.size = n + 1;
      if (n + 1 < this.cap) return;
    } else {
      // Full: the worst entry is pushed out.
      if (floor > this.dropped) this.dropped = floor;
      siftDown(val, idx, n, v, i);
    }
    this.floor = val[0];
    this.floorIdx = idx[0];
  }

  /**
   * Empties the list (as `reset(cap)`) and offers (s[off + j] − price[j], j) for every j < m with
   * ok[off + j] === 1: the same as `push` on each in ascending j, written for the engine's row
   * scan (solve/rowscan.ts), its hot loop. One load-subtract-compare against the floor per entry
   * on the common path, the mask read only on the rare paths (a mask load per entry doubles the
   * loop's cost), and the list's state kept in locals until the end (a field store in the loop
   * slows all of it down).
   */
  scanRow(
    cap: number,
    s: Float64Array,
    off: number,
    ok: Uint8Array,
    price: Float64Array,
    m: number,
  ): void {
    this.reset(cap);
    const { idx, val } = this;
    let left = -Infinity;
    if (cap === 0) {
      for (let j = 0; j < m; j++) {
        const v = s[off + j] - price[j];
        if (v > left && ok[off + j] === 1) left = v;
      }
      this.dropped = left;
      return;
    }
    let size = 0;
    let floor = -Infinity;
    for (let j = 0; j < m; j++) {
      const v = s[off + j] - price[j];
      if (v <= floor) {
        if (v > left && ok[off + j] === 1) left = v;
        continue;
      }
      if (ok[off + j] === 0) continue;
      if (size < cap) {
        siftUp(val, idx, size++, v, j);
        if (size === cap) floor = val[0];
      } else {
        if (floor > left) left = floor;
        siftDown(val, idx, cap, v, j);
        floor = val[0];
      }
    }
    this.endScan(size, floor, left);
  }

  /**
   * `scanRow` over a row given as a list: empties the list (as `reset(cap)`) and offers
   * (vals[t] − price[cols[t]], cols[t]) for t < n, columns ascending — the same as `push` on
   * each in that order.
   */
  scanList(
    cap: number,
    cols: Int32Array | Uint16Array,
    vals: Float64Array,
    n: number,
    price: Float64Array,
  ): void {
    this.reset(cap);
    const { idx, val } = this;
    let left = -Infinity;
    if (cap === 0) {
      for (let t = 0; t < n; t++) {
        const v = vals[t] - price[cols[t]];
        if (v > left) left = v;
      }
      this.dropped = left;
      return;
    }
    let size = 0;
    let floor = -Infinity;
    for (let t = 0; t < n; t++) {
      const v = vals[t] - price[cols[t]];
      if (v <= floor) {
        if (v > left) left = v;
        continue;
      }
      if (size < cap) {
        siftUp(val, idx, size++, v, cols[t]);
        if (size === cap) floor = val[0];
      } else {
        if (floor > left) left = floor;
        siftDown(val, idx, cap, v, cols[t]);
        floor = val[0];
      }
    }
    this.endScan(size, floor, left);
  }

  /** A scan's state, kept in locals during the loop, back into the fields. */
  private endScan(size: number, floor: number, left: number): void {
    this.size = size;
    this.dropped = left;
    if (size === this.cap) {
      this.floor = floor;
      this.floorIdx = this.idx[0];
    }
  }

  /** Orders `[0, size)` best first (in place). Ends the pushes until the next `reset()`. */
  sort(): void {
    const { idx, val } = this;
    // Heapsort: the worst entry goes to the end, the heap shrinks by one, and so on.
    for (let end = this.size - 1; end > 0; end--) {
      const v = val[end];
      const i = idx[end];
      val[end] = val[0];
      idx[end] = idx[0];
      siftDown(val, idx, end, v, i);
    }
  }
}

/** Places (v, i) in the min-heap `[0, p]` whose last place p is free: it rises past every parent
 * better than it. */
function siftUp(val: Float64Array, idx: Int32Array, p: number, v: number, i: number): void {
  while (p > 0) {
    const q = (p - 1) >> 1;
    // A worse parent (lower value, or the same value and the higher index) stays above it.
    if (val[q] < v || (val[q] === v && idx[q] > i)) break;
    val[p] = val[q];
    idx[p] = idx[q];
    p = q;
  }
  val[p] = v;
  idx[p] = i;
}

/** Places (v, i) in the min-heap `[0, n)` whose root is free: it sinks past every child worse
 * than it. */
function siftDown(val: Float64Array, idx: Int32Array, n: number, v: number, i: number): void {
  let q = 0;
  for (;;) {
    let c = 2 * q + 1;
    if (c >= n) break;
    // The worse child: lower value, or the same value and the higher index.
    if (c + 1 < n && (val[c + 1] < val[c] || (val[c + 1] === val[c] && idx[c + 1] > idx[c]))) c++;
    if (val[c] > v || (val[c] === v && idx[c] < i)) break;
    val[q] = val[c];
    idx[q] = idx[c];
    q = c;
  }
  val[q] = v;
  idx[q] = i;
}
