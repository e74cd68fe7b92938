/**
 * The engine's hot loop: one pass over a row of a row source keeping its best pairs by value
 * `s_ij − price_j`. The candidate pass and the auction's row re-reads both use it, and on large
 * problems most of the engine's time is spent here, so it is written for V8: a top-level function
 * over plain typed-array arguments, one load-subtract-compare per pair on the common path, and the
 * eligibility mask read only on the rare paths (a mask load per pair doubles the loop's cost).
 */
import { readFreeRow, type Instance } from "./instance.js";

/** Where row i's scores are: `s[off + j]`, allowed when `ok[off + j] === 1`. */
export interface RowView {
  s: Float64Array;
  ok: Uint8Array;
  off: number;
}

let ones = new Uint8Array(0);
/** An all-allowed mask of at least m entries (shared, read-only). */
function allAllowed(m: number): Uint8Array {
  if (ones.length < m) ones = new Uint8Array(m).fill(1);
  return ones;
}

/**
 * Row i of a row source: in place when the source offers a view (dense matrices; excluded pairs
 * are NOT masked then, callers price them out), else read into the scratch row with excluded
 * pairs masked.
 */
export function viewRow(
  inst: Instance,
  i: number,
  scratch: { out: Float64Array; ok: Uint8Array },
): RowView {
  const src = inst.source;
  if (src.kind === "rows" && src.view) {
    const v = src.view(i);
    if (v.allowed) return { s: v.scores, ok: v.allowed, off: v.offset };
    const m = inst.cols;
    return { s: v.scores.subarray(v.offset, v.offset + m), ok: allAllowed(m), off: 0 };
  }
  readFreeRow(inst, i, scratch);
  return { s: scratch.out, ok: scratch.ok, off: 0 };
}

/** Runs `scan` with row i's excluded (forbidden or forced) columns priced at Infinity in `price`,
 * so that `bestValues` skips them; the prices are restored afterwards. */
export function withExcludedPricedOut<T>(
  inst: Instance,
  i: number,
  price: Float64Array,
  scan: () => T,
): T {
  const x0 = inst.excludedStart[i];
  const x1 = inst.excludedStart[i + 1];
  if (x1 === x0) return scan();
  const saved = new Float64Array(x1 - x0);
  for (let e = x0; e < x1; e++) {
    saved[e - x0] = price[inst.excludedCol[e]];
    price[inst.excludedCol[e]] = Infinity;
  }
  try {
    return scan();
  } finally {
    for (let e = x1 - 1; e >= x0; e--) price[inst.excludedCol[e]] = saved[e - x0];
  }
}

/**
 * Keeps the best `keep` values `s[off + j] − price[j]` over the allowed columns j < m of one row
 * in a min-heap (`hVal`, `hCol`, length ≥ keep; empty places end as column −1). A column priced
 * Infinity is never kept. Among equal values the lower column wins (columns come in ascending
 * order, so a tie never replaces). Returns the best value left out (−Infinity if none).
 */
export function bestValues(
  row: RowView,
  m: number,
  price: Float64Array,
  keep: number,
  hVal: Float64Array,
  hCol: Int32Array,
): number {
  const { s, ok, off } = row;
  hVal.fill(-Infinity, 0, keep);
  hCol.fill(-1, 0, keep);
  if (keep === 0) {
    let best = -Infinity;
    for (let j = 0; j < m; j++) {
      const v = s[off + j] - price[j];
      if (v > best && ok[off + j] === 1) best = v;
    }
    return best;
  }
  let root = -Infinity;
  let left = -Infinity;
  for (let j = 0; j < m; j++) {
    const v = s[off + j] - price[j];
    if (v <= root) {
      if (v > left && ok[off + j] === 1) left = v;
      continue;
    }
    if (ok[off + j] === 0) continue;
    if (root > left) left = root;
    // replace the root and sift down (min-heap; among equal values the higher column is smaller)
    let q = 0;
    for (;;) {
      let c = 2 * q + 1;
      if (c >= keep) break;
      if (
        c + 1 < keep &&
        (hVal[c + 1] < hVal[c] || (hVal[c + 1] === hVal[c] && hCol[c + 1] > hCol[c]))
      )
        c++;
      if (hVal[c] > v || (hVal[c] === v && hCol[c] < j)) break;
      hVal[q] = hVal[c];
      hCol[q] = hCol[c];
      q = c;
    }
    hVal[q] = v;
    hCol[q] = j;
    root = hVal[0];
  }
  return left;
}

/** The pairs `bestValues` kept from `row`: columns ascending and their scores (new arrays). */
export function keptPairs(
  row: RowView,
  hCol: Int32Array,
  keep: number,
): { cols: Int32Array; scores: Float64Array } {
  let size = 0;
  for (let t = 0; t < keep; t++) if (hCol[t] >= 0) size++;
  const cols = new Int32Array(size);
  size = 0;
  for (let t = 0; t < keep; t++) if (hCol[t] >= 0) cols[size++] = hCol[t];
  cols.sort();
  const scores = new Float64Array(size);
  for (let t = 0; t < size; t++) scores[t] = row.s[row.off + cols[t]];
  return { cols, scores };
}
