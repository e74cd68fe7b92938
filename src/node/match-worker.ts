/**
 * A worker thread of `matchInWorker` and `MatchPool` (pool.ts): for each job it is sent, parses
 * the cohort input and matches it with the library's own `parseCohort` and `match`, posting
 * progress (at most every `PROGRESS_EVERY_MS`, and at each change of phase) and then the result,
 * or the input's issues, or the error — as plain messages (`WorkerMessage`). One job at a time;
 * the pool keeps the thread warm for the next job, and ends it to stop a job.
 */
import { parentPort } from "node:worker_threads";
import { parseCohort } from "../cohort/parse.js";
import { match } from "../match/match.js";
import type { MatchOptions, MatchResult } from "../match/types.js";
import { InputError, type Issue } from "../schema/errors.js";
import type { SolveProgress } from "../solve/types.js";

/** A job the thread is sent. */
export interface MatchJob {
  readonly input: unknown;
  readonly options: Omit<MatchOptions, "signal" | "onProgress">;
  /** Post progress messages. */
  readonly progress: boolean;
}

/** What the thread posts. */
export type WorkerMessage =
  | { readonly type: "progress"; readonly progress: SolveProgress }
  | { readonly type: "result"; readonly result: MatchResult }
  | {
      readonly type: "invalid";
      readonly issues: readonly Issue[];
      readonly warnings: readonly Issue[];
      readonly message: string;
    }
  | { readonly type: "error"; readonly name: string; readonly message: string };

/** Progress is posted at most this often (and at each change of phase). */
export const PROGRESS_EVERY_MS = 100;

if (parentPort) {
  const port = parentPort;
  const post = (m: WorkerMessage) => port.postMessage(m);
  port.on("message", ({ input, options, progress }: MatchJob) => {
    let last = -Infinity;
    let phase = "";
    const onProgress = (p: SolveProgress) => {
      const now = performance.now();
      if (p.phase === phase && now - last < PROGRESS_EVERY_MS) return;
      phase = p.phase;
      last = now;
      post({ type: "progress", progress: { ...p } });
    };
    try {
      const result = match(parseCohort(input), progress ? { ...options, onProgress } : options);
      post({ type: "result", result });
    } catch (e) {
      if (e instanceof InputError)
        post({ type: "invalid", issues: e.issues, warnings: e.warnings, message: e.message });
      else {
        const error = e instanceof Error ? e : new Error(String(e));
        post({ type: "error", name: error.name, message: error.message });
      }
    }
  });
}
