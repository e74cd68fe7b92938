/**
 * Warm prices from a sample of the rows (transportation case, large row-source problems).
 *
 * The auction's cost on a large problem is its row re-reads, and almost all of them happen while
 * prices climb from 0 to their final level (most fall in the first ε phase; docs/ENGINE.md,
 * step 2). Prices are a property of the market, not of each row: a hashed
 * 1/F of the rows facing every column with 1/F of its capacity clears at nearly the same prices.
 * So the engine first auctions that smaller problem to a coarse ε (itself started from a smaller
 * sample while capacities allow), and the big one then starts from its prices: candidate lists
 * are chosen by value at those prices and the auction starts from them with a fine ε. Starting
 * prices only change speed, never the answer: the exact phase and pricing prove the optimum
 * whatever they were.
 *
 * It is ε-scaling's "solve coarse, then refine from the coarse prices" (Bertsekas 1988) applied
 * to the problem's size instead of to ε.
 */
import { auction } from "./auction.js";
import { initialCandidates } from "./candidates.js";
import { newScratch, withRowCache, type Instance, type RowSource } from "./instance.js";

/** Below this many pairs a cold start is fast enough. */
const MIN_PAIRS = 2_000_000;
/** A sample smaller than this has too few rows per column to price the market. */
const MIN_SAMPLE_ROWS = 500;
/** At most 1 row in MAX_FRACTION is sampled. */
const MAX_FRACTION = 16;

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
 * (0 or 1) and column capacities `colCap`, or undefined when sampling would not pay or would
 * mislead: a small problem, a sparse source, a column whose capacity cannot be scaled down to at
 * least 1, or more rows than places.
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
  let capacity = 0;
  for (let j = 0; j < m; j++)
    if (colCap[j] > 0) {
      cmin = Math.min(cmin, colCap[j], open);
      capacity += Math.min(colCap[j], open);
    }
  // Only when the columns can take every row. With more rows than places, the excess rows stop
  // bidding once nothing is worth its price, so places left empty keep prices from earlier ε
  // phases: estimated prices come out too high, and the exact phase pays for it (measured:
  // docs/ENGINE.md, "Limits").
  if (capacity < open) return undefined;
  // Far more places than rows: little competition, and the auction would be skipped anyway
  // (solve.ts), while its slots (one per place) would cost memory.
  if (capacity > 4 * open + m) return undefined;
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
  return { rows, inst: subInstance(inst, source, rows, colMax) };
}

/**
 * The sampled rows as an instance. Rows of a source without in-place access (scores computed on
 * the fly, too many for the whole problem's cache) get the same row cache as any on-the-fly
 * source (`withRowCache`), now that the sample fits: its auction reads each row several times,
 * and a copy is read far faster than most scorers compute.
 */
function subInstance(
  inst: Instance,
  parent: RowSource,
  rows: Int32Array,
  colMax: Float64Array,
): Instance {
  const ns = rows.length;
  const m = inst.cols;
  const { view, list, readPairs } = parent;
  const sub: RowSource = {
    kind: "rows",
    readRow: (r, out, ok) => parent.readRow(rows[r], out, ok),
    ...(view ? { view: (r: number) => view(rows[r]) } : {}),
    ...(list ? { list: (r: number) => list(rows[r]) } : {}),
    ...(readPairs
      ? { readPairs: (r: number, c: Int32Array, v: Float64Array) => readPairs(rows[r], c, v) }
      : {}),
  };
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
  return withRowCache({
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
  });
}

/**
 * Starting column prices for a large transportation-case problem whose free part has row maxima
 * `rowMax − fr` and column capacities `colMax − fc`: the prices of an auction on a sample of its
 * rows, itself started from a smaller sample when capacities allow; undefined when sampling does
 * not apply or time ran out. The estimate needs no proof, so the sample is only auctioned to a
 * coarse ε (no exact phase). Closed columns get 0 (the candidate bound needs it).
 */
export function samplePrices(
  inst: Instance,
  fr: Int32Array,
  fc: Int32Array,
  k: number,
  shouldStop: () => boolean,
  stats: { sampleRows: number },
): Float64Array | undefined {
  const colCap = Array.from(inst.colMax, (c, j) => c - fc[j]);
  if (shouldStop()) return undefined;
  const sample = sampleRows(
    inst,
    Array.from(inst.rowMax, (c, i) => c - fr[i]),
    colCap,
  );
  if (!sample) return undefined;
  stats.sampleRows = sample.rows.length;
  return auctionPrices(sample.inst, k, shouldStop);
}

/** Column prices of a coarse auction on a sample problem (no forced pairs, rows take ≤ 1);
 * 0 for closed columns (the sample closes exactly the columns the full problem closes). */
function auctionPrices(
  inst: Instance,
  k: number,
  shouldStop: () => boolean,
): Float64Array | undefined {
  const deeper = sampleRows(inst, inst.rowMax, inst.colMax);
  const ref = deeper ? auctionPrices(deeper.inst, k, shouldStop) : undefined;
  if (shouldStop()) return undefined;
  const scratch = newScratch(inst.cols);
  const cands = initialCandidates(inst, k, scratch, ref, shouldStop);
  if (!cands) return undefined;
  const rowCap = Int32Array.from(inst.rowMax, (h, i) => Math.min(h, cands.rowDegree[i]));
  const colCap = Int32Array.from(inst.colMax, (c, j) => Math.min(c, cands.colDegree[j]));
  const a = auction(inst, cands, {
    rowCap,
    capacity: colCap,
    k,
    scratch,
    shouldStop,
    fromRef: ref !== undefined,
    coarse: true,
  });
  if (shouldStop()) return undefined;
  const p = a.price;
  for (let j = 0; j < p.length; j++) if (!(inst.colMax[j] > 0)) p[j] = 0;
  return p;
}
