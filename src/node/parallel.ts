/**
 * `matchParallel` and `verifyMatchParallel`: `match` and `verifyMatch` with their scoring pass on
 * worker threads. On large cohorts scoring is most of `match`'s time (100,000 × 10,000: ~45 s of
 * ~130 s on one thread) and nearly all of `verifyMatch`'s, and it splits cleanly: each worker
 * scores a contiguous block of mentees with the library's own scorer (score-worker.ts) and hands
 * back their lists of eligible mentors, which the solve or the check then reads as its row lists
 * (`ScoredRows`), on this thread. The scores are the same numbers the single-threaded scorer
 * computes, so the result is the same as `match`'s (and the verdict `verifyMatch`'s), whatever
 * the number of threads. Node only: the browser-safe core has no threads.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Cohort } from "../cohort/types.js";
import { checkCohortArg } from "../cohort/arg.js";
import {
  checkMatchOptions,
  checkMatchResultShape,
  matchScored,
  verifyScored,
} from "../match/match.js";
import type { MatchOptions, MatchResult } from "../match/types.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import type { VerifyResult } from "../solve/types.js";
import { got } from "../solve/args.js";
import type { ScoreJob } from "./score-worker.js";
import { scoredRows, type ScoredBlock } from "../score/block.js";
import { workerScript } from "./worker-script.js";

export interface ParallelMatchOptions extends MatchOptions {
  /** Worker threads that score (default: the machine's available parallelism). With 1, or on a
   * cohort of fewer than `PARALLEL_MIN_PAIRS` pairs when left to the default, no thread is
   * started and this is `match`. */
  readonly threads?: number;
}

/** Below this many pairs (mentees × mentors) starting threads costs more than it saves. */
export const PARALLEL_MIN_PAIRS = 20_000_000;

/**
 * `match(cohort, options)`, with the scoring pass split across worker threads; the same result.
 * Every scored pair is kept (10 bytes each: 2.9 GB at 100,000 × 10,000 on generated cohorts),
 * where `match` keeps at most 4 GiB and scores the rest again when needed. `signal` and
 * `timeLimitMs` end the threads too; the answer is then `match`'s for a solve stopped before its
 * first pass (forced pairs only), whose unmatched mentees are explained by scoring their rows on
 * this thread, as `match` does.
 */
export async function matchParallel(
  cohort: Cohort,
  options: ParallelMatchOptions = {},
): Promise<MatchResult> {
  checkCohortArg(cohort);
  // Every option is checked before any thread starts: `threads` here, the rest as `match` does,
  // all issues at once.
  const { threads: asked, ...given } = (options ?? {}) as ParallelMatchOptions;
  const issues = threadsIssues(asked);
  let rest: MatchOptions;
  try {
    rest = checkMatchOptions(typeof options === "object" && options !== null ? given : options);
  } catch (e) {
    if (e instanceof InputError) issues.push(...e.issues);
    throw issues.length > 0 ? new InputError(issues, "options") : e;
  }
  if (issues.length > 0) throw new InputError(issues, "options");
  const threads = threadsFor(cohort, asked);
  if (threads === 1) return matchScored(cohort, undefined, rest);
  const t0 = performance.now();
  const deadline = rest.timeLimitMs === undefined ? Infinity : t0 + rest.timeLimitMs;
  const blocks = await scoreInWorkers(cohort, threads, deadline, rest.signal);
  const left =
    rest.timeLimitMs === undefined ? undefined : Math.max(0, deadline - performance.now());
  const solveOptions = left === undefined ? rest : { ...rest, timeLimitMs: left };
  return matchScored(cohort, blocks && scoredRows(blocks, cohort.view.mentees.count), solveOptions);
}

/**
 * `verifyMatch(cohort, result)`, with its scoring pass — nearly all of its time — split across
 * worker threads as `matchParallel`'s is; the same verdict. `threads` as in `matchParallel`.
 */
export async function verifyMatchParallel(
  cohort: Cohort,
  result: MatchResult,
  options: { readonly threads?: number } = {},
): Promise<VerifyResult> {
  checkCohortArg(cohort);
  checkMatchResultShape(result);
  const asked = (options as { threads?: number } | null)?.threads;
  const issues = threadsIssues(asked);
  if (issues.length > 0) throw new InputError(issues, "options");
  const threads = threadsFor(cohort, asked);
  if (threads === 1) return verifyScored(cohort, undefined, result);
  const blocks = await scoreInWorkers(cohort, threads, Infinity, undefined);
  return verifyScored(cohort, scoredRows(blocks!, cohort.view.mentees.count), result);
}

/** The `threads` option's issue, if any. */
function threadsIssues(asked: unknown): Issue[] {
  return asked !== undefined && !(Number.isInteger(asked) && (asked as number) >= 1)
    ? [pathIssue("invalid_option", ["threads"], `Expected a whole number ≥ 1, got ${got(asked)}`)]
    : [];
}

/**
 * How many threads to score with: 1 (none: score on this thread) when asked for 1, on a cohort
 * below `PARALLEL_MIN_PAIRS` pairs with `threads` left to the default, or when a block's pairs
 * could pass 2³¹ − 1 (a block's offsets are 32-bit).
 */
function threadsFor(cohort: Cohort, asked: number | undefined): number {
  const n = cohort.view.mentees.count;
  const m = cohort.view.mentors.count;
  const threads = Math.max(1, Math.min(asked ?? availableParallelism(), n));
  if (asked === undefined && n * m < PARALLEL_MIN_PAIRS) return 1;
  if (Math.ceil(n / threads) * m > 2 ** 31 - 1) return 1;
  return threads;
}

/** Each thread's block of mentees scored, in order; undefined if stopped first. */
async function scoreInWorkers(
  cohort: Cohort,
  threads: number,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<ScoredBlock[] | undefined> {
  const n = cohort.view.mentees.count;
  const { script, eval: isCode } = workerScript("score-worker");
  const workers: Worker[] = [];
  const stop = () => workers.forEach((w) => void w.terminate());
  let stopped = false;
  const onAbort = () => {
    stopped = true;
    stop();
  };
  signal?.addEventListener("abort", onAbort);
  const timer =
    deadline === Infinity
      ? undefined
      : setTimeout(onAbort, Math.max(0, deadline - performance.now()));
  try {
    if (signal?.aborted) return undefined;
    const jobs = Array.from({ length: threads }, (_, k): ScoreJob => ({
      view: cohort.view,
      first: Math.floor((k * n) / threads),
      last: Math.floor(((k + 1) * n) / threads),
    }));
    const done = jobs.map(
      (job) =>
        new Promise<ScoredBlock | undefined>((resolve, reject) => {
          const w = new Worker(script, { workerData: job, eval: isCode });
          workers.push(w);
          w.once("message", resolve);
          w.once("error", reject);
          w.once("exit", (code) =>
            stopped
              ? resolve(undefined)
              : reject(new Error(`matchParallel: a scoring thread exited with code ${code}`)),
          );
        }),
    );
    const blocks = await Promise.all(done);
    return stopped || blocks.some((b) => b === undefined) ? undefined : (blocks as ScoredBlock[]);
  } catch (e) {
    stop();
    throw e;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (timer) clearTimeout(timer);
  }
}
