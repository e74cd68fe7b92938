/**
 * A worker thread of `matchParallel` (parallel.ts): scores mentees [first, last) of a cohort's
 * scoring view with the library's own scorer and sends back their lists of eligible mentors (CSR:
 * `start`, `cols`, `vals`) and reason counts (src/score/block.ts), the buffers transferred, not
 * copied.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ScoringView } from "../cohort/types.js";
import { scoreBlock, type ScoredBlock } from "../score/block.js";

export interface ScoreJob {
  readonly view: ScoringView;
  readonly first: number;
  readonly last: number;
}

if (parentPort) {
  const { view, first, last } = workerData as ScoreJob;
  const block: ScoredBlock = scoreBlock(view, first, last);
  parentPort.postMessage(block, [
    block.start.buffer,
    block.cols.buffer,
    block.vals.buffer,
    block.counts.buffer,
  ] as ArrayBuffer[]);
}
