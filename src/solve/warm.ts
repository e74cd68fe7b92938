/**
 * Warm prices from a sample of the rows (transportation case, large row-source problems).
 *
 * The auction's cost on a large problem is its row re-reads, and almost all of them happen while
 * prices climb from 0 to their final level (measured on the bench instances: 80% of the re-reads
 * fall in the first ε phase). Prices are a property of the market, not of each row: a random
 * 1/F of the rows facing every column with 1/F of its capacity clears at nearly the same prices.
 * So the engine first solves that smaller problem (exactly, by the same engine, which may sample
 * again), and the big one then starts from its column duals: candidate lists are chosen by value
 * at those prices and the auction starts from them with a fine ε. Starting prices only change
 * speed, never the answer: the exact phase and pricing prove the optimum whatever they were.
 *
 * It is ε-scaling's "solve coarse, then refine from the coarse prices" (Bertsekas 1988) applied
 * to the problem's size instead of to ε.
 */
import type { Instance, RowSource } from "./instance.js";

/** Below this many pairs a cold start is fast enough. */
const MIN_PAIRS = 2_000_000;
/** A sample smaller than this has too few rows per column to price the market. */
const MIN_SAMPLE_ROWS = 500;
/** At most 1 row in MAX_FRACTION is sampled. */
const MAX_FRACTION = 8;

export interface Sample {
  /** The sampled rows' problem: transportation case, no forced pairs, scaled capacities. */
  readonly inst: Instance;
  /** Sampled row r is row `rows[r]` of the full problem. */
  readonly rows: Int32Array;
}

/** 32-bit integer hash (splitmix/murmur finalizer), for a deterministic, order-free sample. */
function hash(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The sample problem for a transportation-case instance whose free part has row maxima `rowCap`
 * (0 or 1) and column capacities `colCap`, or undefined when sampling would not pay: a small
 * problem, a sparse source, or a column whose capacity cannot be scaled down to at least 1.
 */
export function sampleRows(
  inst: Instance,
  rowCap: ArrayLike<number>,
  colCap: ArrayLike<number>,
): Sample | undefined {
  const { rows: n, cols: m, source } = inst;
  if (source.kind !== "rows" || n * m < MIN_PAIRS) return undefined;
  let open = 0;
  for (let i = 0; i < n; i++) if (rowCap[i] > 0) open++;
  let cmin = Infinity;
  for (let j = 0; j < m; j++) if (colCap[j] > 0) cmin = Math.min(cmin, colCap[j], open);
  const f = Math.min(MAX_FRACTION, Math.floor(cmin));
  if (!(f >= 2)) return undefined;
  const picked: number[] = [];
  for (let i = 0; i < n; i++) if (rowCap[i] > 0 && hash(i) % f === 0) picked.push(i);
  const ns = picked.length;
  if (ns < MIN_SAMPLE_ROWS) return undefined;
  // Each column keeps its share of the capacity, rounded so that the shares add up (and ≥ 1).
  const scale = ns / open;
  const colMax = new Float64Array(m);
  let acc = 0;
  let given = 0;
  for (let j = 0; j < m; j++) {
    if (colCap[j] <= 0) continue;
    acc += Math.min(colCap[j], open) * scale;
    const c = Math.max(1, Math.round(acc) - given);
    colMax[j] = c;
    given += c;
  }
  const rows = Int32Array.from(picked);
  // Excluded pairs of the sampled rows, re-indexed.
  const excludedStart = new Int32Array(ns + 1);
  for (let r = 0; r < ns; r++)
    excludedStart[r + 1] =
      excludedStart[r] + inst.excludedStart[rows[r] + 1] - inst.excludedStart[rows[r]];
  const excludedCol = new Int32Array(excludedStart[ns]);
  for (let r = 0; r < ns; r++)
    excludedCol.set(
      inst.excludedCol.subarray(inst.excludedStart[rows[r]], inst.excludedStart[rows[r] + 1]),
      excludedStart[r],
    );
  const parent = source;
  const sub: RowSource = {
    kind: "rows",
    readRow: (r, out, ok) => parent.readRow(rows[r], out, ok),
    ...(parent.view ? { view: (r: number) => parent.view!(rows[r]) } : {}),
  };
  return {
    rows,
    inst: {
      rows: ns,
      cols: m,
      source: sub,
      rowMin: new Int32Array(ns),
      rowMax: new Float64Array(ns).fill(1),
      colMin: new Int32Array(m),
      colMax,
      forcedRow: new Int32Array(0),
      forcedCol: new Int32Array(0),
      forcedScore: new Float64Array(0),
      excludedStart,
      excludedCol,
      minimize: false,
      coverageFirst: false,
    },
  };
}
