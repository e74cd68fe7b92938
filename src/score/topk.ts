/**
 * Per-mentee best-K eligible mentors without holding n·m in memory: each row is scored into one
 * reusable m-length buffer, and only the K best survive (ordered by score descending, then mentor
 * index ascending, so ties are deterministic).
 *
 * `kth[i]` bounds every eligible pair of mentee i that is NOT listed: it is the best score among
 * those pairs (the (K+1)-th best eligible score, so never above the K-th best, i.e. the last
 * listed one), or −Infinity when every eligible pair is listed. A solver pricing pairs with duals
 * (u_i, v_j >= 0) may skip row i whenever kth[i] − u_i <= min_j v_j.
 *
 * Rows are scored with `Scorer.scoreRow`, which also hands back the row's eligible mentors, so the
 * selection only visits those; it is the bounded top-K the engine uses too (src/shared/toplist.ts).
 */
import type { ScoringView } from "../cohort/types.js";
import { type Scorer, createScorer } from "./scorer.js";
import { TopList } from "../shared/toplist.js";

export interface TopCandidates {
  readonly n: number;
  readonly m: number;
  /** K as requested. */
  readonly k: number;
  /** Length n + 1: row i's candidates are at `[offsets[i], offsets[i + 1])`. */
  readonly offsets: Int32Array;
  /** Mentor index per candidate, best first within each row. */
  readonly mentor: Int32Array;
  /** Score per candidate. */
  readonly score: Float64Array;
  /** Best score among the row's unlisted eligible pairs (an upper bound on all of them), or
   * −Infinity when every eligible pair is listed. */
  readonly kth: Float64Array;
  /** Number of eligible mentors per mentee (listed or not). */
  readonly eligibleCount: Int32Array;
}

/** One mentee's candidates, as yielded by `streamTopCandidates`. */
export interface TopCandidateRow {
  readonly mentee: number;
  readonly mentor: Int32Array;
  readonly score: Float64Array;
  readonly kth: number;
  readonly eligibleCount: number;
}

export interface TopCandidatesOptions {
  /** Reuse a scorer already made for this cohort (`createScorer`); default: a new one. */
  readonly scorer?: Scorer;
  /** Checked between rows; aborting throws the signal's reason. Default: none (never aborts). */
  readonly signal?: AbortSignal;
  /** Called every few hundred rows and at the end with rows done / all rows. Default: none. */
  readonly onProgress?: (done: number, total: number) => void;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0)
    throw new RangeError(`k must be a non-negative integer, got ${k}`);
}

/**
 * A row selector: scores row i and keeps its K best eligible mentors in `top` (the shared bounded
 * top-K; `top.idx`/`top.val` best first after `select`). Returns the number kept;
 * `top.dropped` (the best unlisted score) and `state.eligible` describe the rest.
 */
function makeSelector(view: ScoringView, k: number, scorer: Scorer) {
  const m = view.mentors.count;
  const row = new Float64Array(m);
  const why = new Uint8Array(m);
  const elig = new Int32Array(m);
  const top = new TopList(k);
  const state = { eligible: 0 };
  function select(i: number): number {
    const eligible = scorer.scoreRow(i, row, why, elig);
    top.reset();
    for (let e = 0; e < eligible; e++) top.push(row[elig[e]], elig[e]);
    top.sort();
    state.eligible = eligible;
    return top.size;
  }
  return { select, top, state };
}

/**
 * Stream each mentee's best K eligible mentors, row by row, holding only O(m + K) per row.
 * Each yielded row owns fresh (small) arrays.
 */
export function* streamTopCandidates(
  view: ScoringView,
  k: number,
  options: TopCandidatesOptions = {},
): Generator<TopCandidateRow, void, undefined> {
  checkK(k);
  const n = view.mentees.count;
  const sel = makeSelector(view, k, options.scorer ?? createScorer(view));
  const { signal, onProgress } = options;
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) {
      signal?.throwIfAborted();
      if (i > 0) onProgress?.(i, n);
    }
    const c = sel.select(i);
    yield {
      mentee: i,
      mentor: sel.top.idx.slice(0, c),
      score: sel.top.val.slice(0, c),
      kth: sel.top.dropped,
      eligibleCount: sel.state.eligible,
    };
  }
  onProgress?.(n, n);
}

/** Every mentee's best K eligible mentors in CSR form, with the `kth` bound per row. */
export function topCandidates(
  view: ScoringView,
  k: number,
  options: TopCandidatesOptions = {},
): TopCandidates {
  checkK(k);
  const n = view.mentees.count;
  const m = view.mentors.count;
  const cap = n * Math.min(k, m);
  const offsets = new Int32Array(n + 1);
  let mentor = new Int32Array(cap);
  let score = new Float64Array(cap);
  const kth = new Float64Array(n);
  const eligibleCount = new Int32Array(n);
  const sel = makeSelector(view, k, options.scorer ?? createScorer(view));
  const { signal, onProgress } = options;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) {
      signal?.throwIfAborted();
      if (i > 0) onProgress?.(i, n);
    }
    const c = sel.select(i);
    mentor.set(sel.top.idx.subarray(0, c), q);
    score.set(sel.top.val.subarray(0, c), q);
    q += c;
    offsets[i + 1] = q;
    kth[i] = sel.top.dropped;
    eligibleCount[i] = sel.state.eligible;
  }
  if (q < cap) {
    mentor = mentor.slice(0, q);
    score = score.slice(0, q);
  }
  onProgress?.(n, n);
  return { n, m, k, offsets, mentor, score, kth, eligibleCount };
}
