/**
 * The dense score matrix: every pair's score and eligibility reason, row-major `i * m + j`.
 * Use it when n·m fits in memory (8 + 1 bytes per pair); otherwise use `topCandidates`.
 */
import type { ScoringView } from "../cohort/types.js";
import { type Scorer, createScorer } from "./scorer.js";

export interface ScoreMatrix {
  readonly n: number;
  readonly m: number;
  /** `scores[i * m + j]`: score of (i, j); 0 when ineligible. */
  readonly scores: Float64Array;
  /** `reason[i * m + j]`: eligibility reason code, 0 = eligible (see `REASON_CODE`). */
  readonly reason: Uint8Array;
}

export interface ScoreMatrixOptions {
  /** Reuse a scorer already made for this cohort (`createScorer`); default: a new one. */
  readonly scorer?: Scorer;
  /** Checked between rows; aborting throws the signal's reason. Default: none (never aborts). */
  readonly signal?: AbortSignal;
  /** Called every few hundred rows and at the end with rows done / all rows. Default: none. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Score every pair of the view into one `Float64Array(n·m)` and one `Uint8Array(n·m)`. */
export function scoreMatrix(view: ScoringView, options: ScoreMatrixOptions = {}): ScoreMatrix {
  const scorer = options.scorer ?? createScorer(view);
  const n = view.mentees.count;
  const m = view.mentors.count;
  const scores = new Float64Array(n * m);
  const reason = new Uint8Array(n * m);
  const { signal, onProgress } = options;
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) {
      signal?.throwIfAborted();
      if (i > 0) onProgress?.(i, n);
    }
    const off = i * m;
    scorer.scoreRow(i, scores.subarray(off, off + m), reason.subarray(off, off + m));
  }
  onProgress?.(n, n);
  return { n, m, scores, reason };
}
