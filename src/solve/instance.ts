/**
 * The engine's internal form of a problem (`Instance`), shared by `solveAssignment` (built from an
 * `AssignmentProblem` in `problem.ts`) and `match` (built from a cohort's scorer).
 *
 * Scores are always to be MAXIMIZED here: a min-sense problem is negated once, at the boundary.
 * Allowed pairs come either as an explicit sparse list (CSR by row) or from a row source that
 * fills one row at a time (dense matrices, or scores computed on the fly), so no n·m structure is
 * required by the engine itself (it keeps on-the-fly rows only when they fit `ROW_CACHE_BYTES`).
 */
import { groupBy } from "./csr.js";
import { sortedHas } from "../shared/sorted.js";
import type { ForcedConflict } from "./types.js";

/** Fills row i: `out[j]` the (max-sense) score, `ok[j]` 1 if the pair is allowed. Forced and
 * forbidden pairs are masked out by the engine afterwards, so a source need not know them. */
export interface RowSource {
  readonly kind: "rows";
  readRow(i: number, out: Float64Array, ok: Uint8Array): void;
  /** Optional: lists row i's allowed pairs (columns ascending in `cols`, scores in `vals`) and
   * returns how many — for a source that knows them without a mask (a scorer that lists the
   * eligible mentors as it scores). Forced and forbidden pairs need not be left out. `cols` is
   * 16-bit when there are at most 65,536 columns (the list cache writes rows in place). */
  readPairs?(i: number, cols: Int32Array | Uint16Array, vals: Float64Array): number;
  /** Optional zero-copy access for hot loops: row i is `scores[offset + j]`, allowed when
   * `allowed` is absent or `allowed[offset + j] === 1` (forced/forbidden not masked). */
  view?(i: number): { scores: Float64Array; allowed: Uint8Array | undefined; offset: number };
  /** Optional zero-copy access to row i's allowed pairs as a list (the list row cache):
   * `cols[0, n)` ascending, `vals` their scores (forced/forbidden not left out). Valid until the
   * next read of any row. */
  list?(i: number): PairList;
  /** Set on the engine's row caches (`withRowCache`): rows kept as first read, so they do not
   * follow later changes of the scores behind them. */
  readonly cached?: true;
}

/** One row's allowed pairs: `cols[0, n)` ascending and `vals[0, n)` their scores. */
export interface PairList {
  readonly cols: Int32Array | Uint16Array;
  readonly vals: Float64Array;
  readonly n: number;
}

/** Every allowed pair, CSR by row, columns ascending within a row. */
export interface SparseSource {
  readonly kind: "sparse";
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly score: Float64Array;
}

export interface Instance {
  readonly rows: number;
  readonly cols: number;
  readonly source: RowSource | SparseSource;
  /** Bounds as given (before forced pairs are taken out). Max bounds may be huge (no limit). */
  readonly rowMin: Int32Array;
  readonly rowMax: Float64Array;
  readonly colMin: Int32Array;
  readonly colMax: Float64Array;
  /** Forced pairs (row, col), sorted; their scores in max sense. */
  readonly forcedRow: Int32Array;
  readonly forcedCol: Int32Array;
  readonly forcedScore: Float64Array;
  /** Pairs that may not be used in the free part (forbidden ∪ forced), CSR by row, sorted. */
  readonly excludedStart: Int32Array;
  readonly excludedCol: Int32Array;
  /** True if the problem was given in min sense (scores here are negated). */
  readonly minimize: boolean;
  readonly coverageFirst: boolean;
  /**
   * Internal (the equity search under coverage-first, src/equity/lagrange.ts): the problem is
   * the augmented one of docs/ENGINE.md, "Coverage-first" — one more column Z with a pair
   * (i, Z) at `score` for each of `rows` (ascending, each with rowMin 0 and rowMax ≥ 1), whose
   * minimum becomes 1, and Z taking at most `max` of them. Z's pairs are never in the answer;
   * the certificate carries its dual (`uncoveredDual`), and the bound its terms. `score` and
   * `max` may change between re-solves (solve.ts `Resolvable`; a new `max` resumes warm only
   * from the rows' side with no more Z pairs in the flow than that, else the re-solve is
   * fresh). Not with
   * `coverageFirst`, whose two phases bring their own Z.
   */
  readonly uncovered?: {
    readonly rows: Int32Array;
    score: number;
    max: number;
    /** At least this many of the rows take it (default 0). With `min` = `max` its load is held
     * exactly, as coverage-first's score phase holds it, and a warm start may use it
     * (InternalOptions.warmFlow: src/lifecycle/rematch.ts, a budget under coverage-first). */
    readonly min?: number;
  };
  /** Build the flow network from the rows' side whatever the bounds say (network.ts
   * \`columnsSupply\`): for instances whose shape the rule misjudges (equity/cells.ts). */
  readonly rowsSupply?: boolean;
  /** A contradiction found while normalizing (forced pair repeated, forbidden or not allowed). */
  readonly forcedConflict?: {
    readonly row: number;
    readonly col: number;
    readonly conflict: ForcedConflict;
  };
}

/** Builds the excluded-pairs CSR from forbidden and forced pair lists (indices already valid):
 * each row's columns sorted and distinct (a pair listed twice is excluded once; row degrees
 * count on that). */
export function buildExcluded(
  rows: number,
  lists: readonly (readonly (readonly [number, number])[])[],
): { start: Int32Array; col: Int32Array } {
  const pairs = lists.flat();
  const { start: count, order } = groupBy(
    pairs.map(([r]) => r),
    rows,
  );
  const all = new Int32Array(order.length);
  for (let t = 0; t < order.length; t++) all[t] = pairs[order[t]][1];
  const start = new Int32Array(rows + 1);
  let size = 0;
  for (let r = 0; r < rows; r++) {
    const own = all.subarray(count[r], count[r + 1]).sort();
    for (let t = 0; t < own.length; t++) if (t === 0 || own[t] !== own[t - 1]) all[size++] = own[t];
    start[r + 1] = size;
  }
  return { start, col: all.slice(0, size) };
}

/** Clears `ok[j]` for every excluded column of row i. */
function maskExcluded(inst: Instance, i: number, ok: Uint8Array): void {
  for (let e = inst.excludedStart[i]; e < inst.excludedStart[i + 1]; e++)
    ok[inst.excludedCol[e]] = 0;
}

/** Whether (i, j) is excluded (forbidden or forced): a binary search in the row's sorted list. */
export function isExcluded(inst: Instance, i: number, j: number): boolean {
  return sortedHas(inst.excludedCol, inst.excludedStart[i], inst.excludedStart[i + 1], j);
}

/** Reads row i of a row source into the scratch buffers, excluded pairs masked out. */
export function readFreeRow(
  inst: Instance,
  i: number,
  scratch: { out: Float64Array; ok: Uint8Array },
): void {
  if (inst.source.kind !== "rows") throw new Error("readFreeRow needs a row source");
  inst.source.readRow(i, scratch.out, scratch.ok);
  maskExcluded(inst, i, scratch.ok);
}

/** Buffers for reading one row: the row as read (`out`, `ok`) and its free pairs listed
 * (`cols`, `vals`, see `freePairs`). */
export interface Scratch {
  out: Float64Array;
  ok: Uint8Array;
  cols: Int32Array;
  vals: Float64Array;
}

export const newScratch = (cols: number): Scratch => ({
  out: new Float64Array(cols),
  ok: new Uint8Array(cols),
  cols: new Int32Array(cols),
  vals: new Float64Array(cols),
});

/** Lists the allowed, non-excluded pairs of row i in `scratch.cols` / `scratch.vals`, columns
 * ascending; returns how many. A row source's row is listed without a branch on the pair (its
 * mask is close to a coin flip per pair), so hot loops run over the list instead of the mask. */
export function freePairs(inst: Instance, i: number, scratch: Scratch): number {
  const { cols, vals } = scratch;
  const src = inst.source;
  let listed = 0;
  if (src.kind === "rows" && !src.readPairs) {
    readFreeRow(inst, i, scratch); // excluded pairs masked out
    return listAllowed(scratch.out, scratch.ok, inst.cols, cols, vals);
  }
  if (src.kind === "sparse")
    for (let e = src.start[i]; e < src.start[i + 1]; e++) {
      cols[listed] = src.col[e];
      vals[listed++] = src.score[e];
    }
  else listed = src.readPairs!(i, cols, vals);
  // The excluded (forced or forbidden) pairs left out in place: both lists are sorted.
  let x = inst.excludedStart[i];
  const xEnd = inst.excludedStart[i + 1];
  if (x === xEnd) return listed;
  let k = 0;
  for (let t = 0; t < listed; t++) {
    const j = cols[t];
    while (x < xEnd && inst.excludedCol[x] < j) x++;
    if (x < xEnd && inst.excludedCol[x] === j) continue;
    cols[k] = j;
    vals[k++] = vals[t];
  }
  return k;
}

/** Lists the columns j < m with ok[j] = 1 in `cols` and their scores in `vals`; returns how
 * many. No branch on the pair (a mask is close to a coin flip per pair). */
function listAllowed(
  out: Float64Array,
  ok: Uint8Array,
  m: number,
  cols: Int32Array | Uint16Array,
  vals: Float64Array,
): number {
  let k = 0;
  for (let j = 0; j < m; j++) {
    cols[k] = j;
    vals[k] = out[j];
    k += ok[j];
  }
  return k;
}

/** The inverse of `listAllowed`: row `list` spread out into `out` / `ok` (m entries; columns not
 * on the list get 0 and are not allowed). */
export function spreadList(list: PairList, m: number, out: Float64Array, ok: Uint8Array): void {
  const { cols, vals, n } = list;
  out.fill(0, 0, m);
  ok.fill(0, 0, m);
  for (let t = 0; t < n; t++) {
    out[cols[t]] = vals[t];
    ok[cols[t]] = 1;
  }
}

/** A row source from a function that lists row i's pairs (columns ascending), read in place. */
export function listRowSource(list: (i: number) => PairList, m: number): RowSource {
  return {
    kind: "rows",
    list,
    readPairs(i, cols, vals) {
      const l = list(i);
      cols.set(l.cols);
      vals.set(l.vals);
      return l.n;
    },
    readRow: (i, out, ok) => spreadList(list(i), m, out, ok),
  };
}

/**
 * Pairs in CSR by row (columns ascending) served as a row source of lists, read in place. Unlike a
 * sparse source, which the engine takes whole into its graph, a row source gets candidate lists
 * and pricing: the way to solve many pairs again and again (the equity search, lagrange.ts).
 */
export function csrRowSource(
  start: Int32Array,
  col: Int32Array,
  score: Float64Array,
  m: number,
): RowSource {
  return listRowSource(
    (i) => ({
      cols: col.subarray(start[i], start[i + 1]),
      vals: score.subarray(start[i], start[i + 1]),
      n: start[i + 1] - start[i],
    }),
    m,
  );
}

/** Visits every allowed, non-excluded pair of row i, columns ascending (`freePairs`). */
export function forEachFreePair(
  inst: Instance,
  i: number,
  scratch: Scratch,
  visit: (j: number, s: number) => void,
): void {
  const k = freePairs(inst, i, scratch);
  const { cols, vals } = scratch;
  for (let t = 0; t < k; t++) visit(cols[t], vals[t]);
}

/** out[t] = from[at[t]] (a plain loop: `TypedArray.from(list, mapper)` is far slower in V8). */
export function gather<T extends Float64Array | Int32Array>(
  from: ArrayLike<number>,
  at: Int32Array,
  out?: T,
): T {
  const o = (out ?? new Float64Array(at.length)) as T;
  for (let t = 0; t < at.length; t++) o[t] = from[at[t]];
  return o;
}

/** What the row caches may take (bytes): the dense copy (of a whole problem, or of a sample's
 * rows, warm.ts), 9 a pair, and the lists of allowed pairs (a source's that lists its rows, or
 * when the dense copy does not fit), 10 a pair (12 past 65,536 columns). */
export interface RowCacheLimits {
  readonly dense: number;
  readonly sparse: number;
  /** Pairs per slab of the lists (default 2^20, 10 MB; rows are read into a slab in place when
   * a row fits an eighth of one, else kept as exact copies). */
  readonly slab?: number;
}
const ROW_CACHE: RowCacheLimits = { dense: 2 ** 30, sparse: 4 * 2 ** 30 };

/**
 * The instance with its on-the-fly row source (scores computed by a callback or a cohort's
 * scorer) cached: each row is computed once, on its first read, and every later read (the
 * auction's re-reads, pricing, bounds) comes from the cache. A source that lists its rows
 * (`readPairs`, a cohort's scorer) keeps each row's allowed pairs as a list (columns and
 * scores) while they fit `limits.sparse` (at 100,000 × 10,000 with 29 % of pairs allowed:
 * 2.9 GB), served as lists (`list`) or spread out (`readRow`); rows past that are computed at
 * each read. Any other source is kept as one dense n·m copy, a row a view of it, when that fits
 * `limits.dense` (about 119 M pairs, e.g. 20,000 × 4,000), else as lists likewise. Sources
 * that already have views (dense matrices) or lists (a cache), or are sparse, are left as they
 * are.
 */
export function withRowCache(inst: Instance, limits: RowCacheLimits = ROW_CACHE): Instance {
  const src = inst.source;
  const { rows: n, cols: m } = inst;
  // A view or a list is memory already (a caller's matrix, or a cache: a sample's rows read
  // through their parent's).
  if (src.kind !== "rows" || src.view || src.list) return inst;
  // A source that lists its rows is kept as lists (a fraction of the dense copy when few pairs
  // are allowed, and read without a mask); any other as a dense copy when it fits.
  if (src.readPairs || n * m * 9 > limits.dense)
    return withSparseRowCache(inst, src, limits.sparse, limits.slab ?? 2 ** 20);
  const scores = new Float64Array(n * m);
  const allowed = new Uint8Array(n * m);
  const ready = new Uint8Array(n);
  const fill = (i: number) => {
    src.readRow(i, scores.subarray(i * m, i * m + m), allowed.subarray(i * m, i * m + m));
    ready[i] = 1;
  };
  const source: RowSource = {
    kind: "rows",
    cached: true,
    readRow(i, out, ok) {
      if (ready[i] === 0) fill(i);
      out.set(scores.subarray(i * m, i * m + m));
      ok.set(allowed.subarray(i * m, i * m + m));
    },
    view(i) {
      if (ready[i] === 0) fill(i);
      return { scores, allowed, offset: i * m };
    },
  };
  return { ...inst, source };
}

/** withRowCache's second form: each row's allowed pairs, kept as a list on its first read while
 * they fit `budget` bytes. A source that lists its rows (`readPairs`) is read as lists, not
 * masked; the cache serves lists (`list`, `readPairs`) and, expanded, rows (`readRow`). */
function withSparseRowCache(
  inst: Instance,
  src: RowSource,
  budget: number,
  slab: number,
): Instance {
  const { rows: n, cols: m } = inst;
  const wide = m > 65_536;
  const colsOf: (Uint16Array | Int32Array | undefined)[] = new Array(n);
  const scoresOf: (Float64Array | undefined)[] = new Array(n);
  let bytes = 0;
  // A row read but not kept is listed here (valid until the next read).
  const listCols: Int32Array | Uint16Array = wide ? new Int32Array(m) : new Uint16Array(m);
  const listVals = new Float64Array(m);
  const rowOut = src.readPairs ? undefined : new Float64Array(m);
  const rowOk = src.readPairs ? undefined : new Uint8Array(m);
  // Kept rows are views into slabs of `slab` pairs: a few hundred allocations where one a row
  // made the collector track 2n buffers (docs/ENGINE.md). A row is read in place at a slab's
  // free end when a whole row fits an eighth of a slab, so a slab's unused tail stays under an
  // eighth of it; wider rows are read into the scratch lists and kept as exact copies. A slab is
  // no larger than the rows left and the budget left need (a small problem gets a small one).
  const slabPairs = Number.isFinite(slab) && slab >= 1 ? Math.floor(slab) : 2 ** 20;
  const inPlaceRows = m * 8 <= slabPairs;
  const perPair = wide ? 12 : 10;
  let slabCols: Uint16Array | Int32Array = new Uint16Array(0);
  let slabVals = new Float64Array(0);
  let slabUsed = 0;
  let keptRows = 0;
  // Room for a whole row at the slab's end, or a new slab; false if the allocation fails (a
  // browser tab's limit may be lower than the budget): no more rows are kept then, and the solve
  // goes on reading them from the source.
  const roomForRow = (): boolean => {
    if (slabUsed + m <= slabVals.length) return true;
    const need = Math.min((n - keptRows) * m, Math.ceil((budget - bytes) / perPair));
    const length = Math.max(m, Math.min(slabPairs, need));
    try {
      slabCols = wide ? new Int32Array(length) : new Uint16Array(length);
      slabVals = new Float64Array(length);
    } catch {
      budget = bytes;
      return false;
    }
    slabUsed = 0;
    return true;
  };
  const fetch = (i: number): PairList => {
    const cached = colsOf[i];
    if (cached) return { cols: cached, vals: scoresOf[i]!, n: cached.length };
    // Read in place at the slab's end while the budget lasts, else into the scratch lists.
    const inPlace = inPlaceRows && bytes < budget && roomForRow();
    const cols = inPlace ? slabCols.subarray(slabUsed, slabUsed + m) : listCols;
    const vals = inPlace ? slabVals.subarray(slabUsed, slabUsed + m) : listVals;
    const degree = src.readPairs
      ? src.readPairs(i, cols, vals)
      : (src.readRow(i, rowOut!, rowOk!), listAllowed(rowOut!, rowOk!, m, cols, vals));
    const size = degree * perPair;
    // Not kept: valid until the next read (the slab's free end is written over).
    if (bytes + size > budget) return { cols, vals, n: degree };
    let keptCols: Uint16Array | Int32Array;
    let keptScores: Float64Array;
    if (inPlace) {
      keptCols = cols.subarray(0, degree);
      keptScores = vals.subarray(0, degree);
      slabUsed += degree;
    } else
      try {
        keptCols = cols.slice(0, degree);
        keptScores = vals.slice(0, degree);
      } catch {
        budget = bytes; // out of memory, as in `roomForRow`
        return { cols, vals, n: degree };
      }
    bytes += size;
    keptRows++;
    colsOf[i] = keptCols;
    scoresOf[i] = keptScores;
    return { cols: keptCols, vals: keptScores, n: degree };
  };
  const source: RowSource = {
    kind: "rows",
    cached: true,
    readRow: (i, out, ok) => spreadList(fetch(i), m, out, ok),
    readPairs(i, cols, vals) {
      const l = fetch(i);
      cols.set(l.cols.subarray(0, l.n));
      vals.set(l.vals.subarray(0, l.n));
      return l.n;
    },
    list: fetch,
  };
  return { ...inst, source };
}
