/**
 * A worker thread of `matchParallel` (parallel.ts): scores mentees [first, last) of a cohort's
 * scoring view with the library's own scorer and sends back their lists of eligible mentors (CSR:
 * `start`, `cols`, `vals`) and reason counts, the buffers transferred, not copied.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ScoringView } from "../cohort/types.js";
import { countReasons, REASONS } from "../score/eligibility.js";
import { createScorer } from "../score/scorer.js";

export interface ScoreJob {
  readonly view: ScoringView;
  readonly first: number;
  readonly last: number;
}

export interface ScoredBlock {
  readonly first: number;
  /** Row r's pairs are [start[r], start[r + 1]) of `cols` and `vals`. */
  readonly start: Int32Array;
  readonly cols: Uint16Array | Int32Array;
  readonly vals: Float64Array;
  /** (last − first) × REASONS.length. */
  readonly counts: Int32Array;
}

function scoreBlock({ view, first, last }: ScoreJob): ScoredBlock {
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

if (parentPort) {
  const block = scoreBlock(workerData as ScoreJob);
  parentPort.postMessage(block, [
    block.start.buffer,
    block.cols.buffer,
    block.vals.buffer,
    block.counts.buffer,
  ] as ArrayBuffer[]);
}
