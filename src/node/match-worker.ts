/**
 * A worker thread of `matchInWorker` and `MatchPool` (pool.ts): for each job it is sent, parses
 * the cohort input and matches it with the library's own `parseCohort` and `match`, posting
 * progress (at most every `PROGRESS_EVERY_MS`, at each change of phase, and each phase's last
 * update) and then the result,
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
    let held: SolveProgress | undefined; // the latest update not yet posted
    const send = (p: SolveProgress) => {
      phase = p.phase;
      last = performance.now();
      held = undefined;
      post({ type: "progress", progress: { ...p } });
    };
    const onProgress = (p: SolveProgress) => {
      // A new phase, a phase's end, or enough time: posted; otherwise held for later.
      if (p.phase !== phase) {
        if (held) send(held); // the last phase's final state first
        send(p);
      } else if (p.done >= p.total || performance.now() - last >= PROGRESS_EVERY_MS) send(p);
      else held = p;
    };
    try {
      const result = match(parseCohort(input), progress ? { ...options, onProgress } : options);
      if (held) send(held);
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
