/**
 * The engine's hot loop: one pass over a row of a row source keeping its best pairs by value
 * `s_ij − price_j` in the shared bounded top-K (src/shared/toplist.ts): over a dense row
 * (`TopList.scanRow`: one load-subtract-compare per pair on the common path, the eligibility
 * mask read only on the rare paths), or over the row's list of allowed pairs when its source
 * keeps one (`TopList.scanList`, the list row cache: only the allowed pairs are visited). The
 * candidate pass, pricing and the auction's row re-reads all use it, and on large problems most
 * of the engine's time is spent there.
 */
import { readFreeRow, type Instance, type PairList } from "./instance.js";
import { sortedIndexOf } from "../shared/sorted.js";
import type { TopList } from "../shared/toplist.js";

/** Row i as read: a dense row (`s[off + j]`, allowed when `ok[off + j] === 1`), or, from a
 * list source, its allowed pairs as a list, which the scans then run over instead of all m.
 * Look a column up with `scoreAt` / `allowedAt`, which read either. */
export type RowView =
  | {
      readonly s: Float64Array;
      readonly ok: Uint8Array;
      readonly off: number;
      readonly list?: undefined;
    }
  | { readonly list: PairList };

/** Whether column j is allowed in the row (excluded pairs are not masked in a view). */
export function allowedAt(row: RowView, j: number): boolean {
  if (row.list) return sortedIndexOf(row.list.cols, 0, row.list.n, j) >= 0;
  return row.ok[row.off + j] === 1;
}

/** The score of column j, an allowed one, in the row. */
export function scoreAt(row: RowView, j: number): number {
  if (row.list) return row.list.vals[sortedIndexOf(row.list.cols, 0, row.list.n, j)];
  return row.s[row.off + j];
}

let ones = new Uint8Array(0);
/** An all-allowed mask of at least m entries (shared, read-only). */
function allAllowed(m: number): Uint8Array {
  if (ones.length < m) ones = new Uint8Array(m).fill(1);
  return ones;
}

/**
 * Row i of a row source: in place when the source offers a view (dense matrices), as its list
 * when it offers one (the list row cache; valid until the next read) — excluded pairs are NOT
 * left out in either case, callers price them out — else read into the scratch row with
 * excluded pairs masked.
 */
export function viewRow(
  inst: Instance,
  i: number,
  scratch: { out: Float64Array; ok: Uint8Array },
): RowView {
  const src = inst.source;
  if (src.kind === "rows" && src.list) return { list: src.list(i) };
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
 * in `top` (emptied first; ties to the lower column). A column priced Infinity is never kept.
 * Returns `top.dropped`, the best value left out (−Infinity if none).
 */
export function bestValues(
  row: RowView,
  m: number,
  price: Float64Array,
  keep: number,
  top: TopList,
): number {
  if (row.list) top.scanList(keep, row.list.cols, row.list.vals, row.list.n, price);
  else top.scanRow(keep, row.s, row.off, row.ok, price, m);
  return top.dropped;
}

/** The pairs `bestValues` kept in `top`: columns ascending and their scores (new arrays). */
export function keptPairs(row: RowView, top: TopList): { cols: Int32Array; scores: Float64Array } {
  const size = top.size;
  const cols = top.idx.slice(0, size);
  cols.sort();
  const scores = new Float64Array(size);
  if (row.list) {
    // Both ascending: one merge (every kept column is on the list).
    const { cols: listed, vals, n } = row.list;
    for (let t = 0, p = 0; t < size; t++) {
      while (p < n && listed[p] !== cols[t]) p++;
      if (p === n) throw new Error(`keptPairs: column ${cols[t]} is not on the row's list`);
      scores[t] = vals[p];
    }
  } else for (let t = 0; t < size; t++) scores[t] = row.s[row.off + cols[t]];
  return { cols, scores };
}
