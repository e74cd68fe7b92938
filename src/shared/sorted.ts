/**
 * The one binary search of the code base: whether the ascending run `items[lo, hi)` holds
 * `value`. Users: a CSR row of the scoring view (score/eligibility.ts `csrHas`) and a row's
 * excluded columns in the engine (solve/instance.ts `isExcluded`). Imports nothing, like the
 * rest of shared/.
 */
export function sortedHas(
  items: ArrayLike<number>,
  lo: number,
  hi: number,
  value: number,
): boolean {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = items[mid];
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid;
  }
  return false;
}
