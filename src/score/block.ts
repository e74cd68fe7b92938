/**
 * Rows scored ahead of a solve: a block of mentees scored by the scorer into lists of their
 * eligible mentors (CSR), with how many mentors each reason code covers, and the blocks served as
 * the solve's row lists (`ScoredRows`). The worker threads of `matchParallel` (src/node) score
 * blocks of a cohort; a match session (src/lifecycle/session.ts) scores the whole cohort once and
 * keeps it between a match and its re-matches.
 */
import type { ScoringView } from "../cohort/types.js";
import { countReasons, REASONS } from "./eligibility.js";
import { createScorer } from "./scorer.js";

export interface ScoredBlock {
  readonly first: number;
  /** Row r's pairs are [start[r], start[r + 1]) of `cols` and `vals`. */
  readonly start: Int32Array;
  readonly cols: Uint16Array | Int32Array;
  readonly vals: Float64Array;
  /** (last − first) × REASONS.length. */
  readonly counts: Int32Array;
}

/**
 * A cohort's rows scored before the solve: row i's eligible mentors, ascending (`cols[i]`),
 * their fits (`vals[i]`), and how many mentors each reason code covers
 * (`counts[i · REASONS.length + code]`). Internal: not exported by the package.
 */
export interface ScoredRows {
  readonly cols: readonly (Uint16Array | Int32Array)[];
  readonly vals: readonly Float64Array[];
  readonly counts: Int32Array;
}

/** Scores mentees [first, last) of a view. */
export function scoreBlock(view: ScoringView, first: number, last: number): ScoredBlock {
  const m = view.mentors.count;
  const codes = REASONS.length;
  const scorer = createScorer(view);
  const fit = new Float64Array(m);
  const why = new Uint8Array(m);
  const elig = new Int32Array(m);
  const rows = last - first;
  const start = new Int32Array(rows + 1);
  const counts = new Int32Array(rows * codes);
  const wide = m > 65_536;
  // Room for the first 64 rows at most, then sized from the rows so far with an eighth to
  // spare. Not trimmed at the end: a trimming copy would hold both at once (at 100,000 × 10,000
  // the peak went from 4.40 to 5.69 GB), and the slack never written takes no memory.
  const grow = (size: number) => {
    const c = wide ? new Int32Array(size) : new Uint16Array(size);
    const v = new Float64Array(size);
    c.set(cols.subarray(0, used));
    v.set(vals.subarray(0, used));
    cols = c;
    vals = v;
  };
  let used = 0;
  let cols: Uint16Array | Int32Array = wide ? new Int32Array(0) : new Uint16Array(0);
  let vals = new Float64Array(0);
  grow(Math.min(rows, 64) * m);
  for (let r = 0; r < rows; r++) {
    const k = scorer.scoreRow(first + r, fit, why, elig);
    if (used + k > vals.length)
      grow(Math.max(used + k, Math.ceil((used / Math.max(1, r)) * rows * 1.125) + m));
    for (let t = 0; t < k; t++) {
      const j = elig[t];
      cols[used + t] = j;
      vals[used + t] = fit[j];
    }
    used += k;
    start[r + 1] = used;
    countReasons(why, m, counts, r * codes);
  }
  return { first, start, cols, vals, counts };
}

/** The blocks' rows as the solve's row lists (views into the blocks' buffers, no copy). */
export function scoredRows(blocks: readonly ScoredBlock[], n: number): ScoredRows {
  const codes = REASONS.length;
  const cols: (Uint16Array | Int32Array)[] = new Array(n);
  const vals: Float64Array[] = new Array(n);
  const counts = new Int32Array(n * codes);
  for (const b of blocks) {
    const rows = b.start.length - 1;
    for (let r = 0; r < rows; r++) {
      cols[b.first + r] = b.cols.subarray(b.start[r], b.start[r + 1]);
      vals[b.first + r] = b.vals.subarray(b.start[r], b.start[r + 1]);
    }
    counts.set(b.counts, b.first * codes);
  }
  return { cols, vals, counts };
}

/** Every row's eligible pairs in one CSR (row i: [start[i], start[i + 1]) of `col` and `fit`,
 * columns ascending) with the rule counts as in `ScoredRows`: what a match session keeps. */
export interface ScoredPairs {
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly fit: Float64Array;
  readonly counts: Int32Array;
  /** The largest |fit|, when known (NaN if a fit is NaN). */
  readonly scale?: number;
}

/** Every row of a view scored, as one CSR. */
export function scorePairs(view: ScoringView): ScoredPairs {
  const b = scoreBlock(view, 0, view.mentees.count);
  const e = b.start[b.start.length - 1];
  const col = new Int32Array(e);
  col.set(b.cols.subarray(0, e));
  const fit = b.vals.subarray(0, e);
  return { start: b.start, col, fit, counts: b.counts, scale: largest(fit) };
}

/** The CSR's rows as the solve's row lists (views, no copy). */
export function rowsOf(p: ScoredPairs): ScoredRows {
  const n = p.start.length - 1;
  const cols: Int32Array[] = new Array(n);
  const vals: Float64Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    cols[i] = p.col.subarray(p.start[i], p.start[i + 1]);
    vals[i] = p.fit.subarray(p.start[i], p.start[i + 1]);
  }
  return { cols, vals, counts: p.counts };
}

/** The largest |x| (NaN when one is NaN: the engine's range check then fails, as it should). */
export function largest(a: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const x = Math.abs(a[k]);
    if (x > s || x !== x) s = x;
    if (s !== s) return s;
  }
  return s;
}
