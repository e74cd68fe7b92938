/**
 * The one binary search of the code base: where the ascending run `items[lo, hi)` holds
 * `value` (−1: nowhere). Users: a CSR row of the scoring view (score/eligibility.ts `csrHas`), a
 * row's excluded columns in the engine (solve/instance.ts `isExcluded`), a row kept as a list
 * (solve/rowscan.ts) and a pair in the equity search's lists (`csrIndexOf`: equity/lagrange.ts, equity/gap-repair.ts, equity/maxmin.ts). Imports
 * nothing, like the rest of shared/.
 */
export function sortedIndexOf(
  items: ArrayLike<number>,
  lo: number,
  hi: number,
  value: number,
): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = items[mid];
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/** Where row i of a CSR (`start`, columns ascending in `col`) holds column j (−1: nowhere): the
 * index of the pair (i, j) in the CSR's arrays. */
export const csrIndexOf = (
  start: ArrayLike<number>,
  col: ArrayLike<number>,
  i: number,
  j: number,
) => sortedIndexOf(col, start[i], start[i + 1], j);

/** Whether the ascending run `items[lo, hi)` holds `value`. */
export const sortedHas = (items: ArrayLike<number>, lo: number, hi: number, value: number) =>
  sortedIndexOf(items, lo, hi, value) >= 0;
