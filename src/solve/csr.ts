/**
 * The one compressed-sparse-row builder of the engine: a counting sort of items by an integer key.
 */

/**
 * Groups items by key (0 ≤ key < groups) in linear time: `order` lists the items group by group,
 * group g at `order[start[g] .. start[g + 1])`. Stable: within a group, items keep the order in
 * which they are visited — `visit` when given (a permutation of the items, e.g. a previous
 * grouping, for a two-key sort), else 0, 1, 2, …
 */
export function groupBy(
  keys: ArrayLike<number>,
  groups: number,
  visit?: ArrayLike<number>,
): { start: Int32Array; order: Int32Array } {
  const len = keys.length;
  const start = new Int32Array(groups + 1);
  for (let k = 0; k < len; k++) start[keys[k] + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const fill = start.slice(0, groups);
  const order = new Int32Array(len);
  for (let t = 0; t < len; t++) {
    const k = visit ? visit[t] : t;
    order[fill[keys[k]]++] = k;
  }
  return { start, order };
}
