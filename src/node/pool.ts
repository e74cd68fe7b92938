/**
 * Matching off the event loop (docs/SERVICE.md): `matchInWorker(input, options)` parses and
 * matches a cohort input on a worker thread and resolves with `match`'s result — the same
 * result, since the thread runs the same `parseCohort` and `match` — while the calling thread
 * keeps serving. `MatchPool` bounds how many run at once (the machine's cores by default) and how
 * many wait; `matchInWorker` uses one shared pool.
 *
 * A job runs on a thread of its own (match-worker.ts), one job at a time; a thread that finished
 * a job is kept warm for the next (no start-up, code already compiled) and does not keep the
 * process alive. `signal` really stops a job (its thread is terminated; the promise rejects with
 * the signal's reason), and `maxMemoryMb` caps its heap (a job that needs more rejects with
 * `WorkerMemoryError` and takes nothing else down; threads are kept per cap). Progress arrives as
 * `onProgress` calls on the calling thread.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { MatchOptions, MatchResult } from "../match/types.js";
import { InputError, pathIssue } from "../schema/errors.js";
import type { SolveProgress } from "../solve/types.js";
import type { MatchJob, WorkerMessage } from "./match-worker.js";
import { BodyError } from "./json-body.js";
import { workerScript } from "./worker-script.js";

/** `matchInWorker`'s and `MatchPool.match`'s options: `match`'s, plus a memory cap. */
export interface WorkerMatchOptions extends Omit<MatchOptions, "onProgress" | "signal"> {
  /** Stops the job: its thread is terminated and the promise rejects with the signal's reason.
   * Default: none. */
  readonly signal?: AbortSignal;
  /** Called on this thread as the match works (at most every 100 ms, and at each new phase).
   * Default: none. */
  readonly onProgress?: (progress: SolveProgress) => void;
  /** The job's heap limit in MB (the worker's `maxOldGenerationSizeMb`): a job that needs more
   * rejects with `WorkerMemoryError`. Default: none (Node's own limit). */
  readonly maxMemoryMb?: number;
}

export interface MatchPoolOptions {
  /** Jobs that run at once, each on its own thread. Default: the machine's available
   * parallelism. */
  readonly size?: number;
  /** Jobs that may wait for a thread; one more rejects with `PoolFullError`. Default: Infinity. */
  readonly maxQueue?: number;
}

/** The pool's queue is full: try again later (an HTTP service answers 429). */
export class PoolFullError extends Error {
  override readonly name = "PoolFullError";
  readonly code = "queue_full";
  constructor(readonly maxQueue: number) {
    super(`The match queue is full (${maxQueue} waiting): try again later`);
  }
}

/** A job needed more memory than its `maxMemoryMb`. */
export class WorkerMemoryError extends Error {
  override readonly name = "WorkerMemoryError";
  readonly code = "out_of_memory";
  constructor(readonly maxMemoryMb: number | undefined) {
    super(
      maxMemoryMb === undefined
        ? "The match ran out of memory"
        : `The match needed more than its ${maxMemoryMb} MB (maxMemoryMb)`,
    );
  }
}

/** How a job runs, beside its task: `WorkerMatchOptions` but the match's own. */
export interface JobControls {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SolveProgress) => void;
  readonly maxMemoryMb?: number;
  /** Called when the job leaves the queue for a thread. */
  readonly onStart?: () => void;
  /** Called once the thread has parsed the cohort, with its size. */
  readonly onParsed?: (size: { readonly mentees: number; readonly mentors: number }) => void;
}

interface Queued {
  readonly job: Omit<MatchJob, "progress">;
  readonly controls: JobControls;
  readonly resolve: (r: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly onAbort: () => void;
}

/**
 * A bounded pool of match jobs, each on a thread of its own. `match` resolves with the job's
 * result (or rejects: `InputError` for an invalid input with every issue, the signal's reason
 * when aborted, `PoolFullError`, `WorkerMemoryError`); `close` stops taking jobs, ends the
 * running ones and rejects the waiting ones.
 */
export class MatchPool {
  readonly size: number;
  readonly maxQueue: number;
  private readonly waiting: Queued[] = [];
  /** Threads running a job. */
  private readonly busy = new Set<Worker>();
  /** Threads between jobs, with the heap cap each was started with. */
  private readonly idle: { readonly worker: Worker; readonly maxMemoryMb: number | undefined }[] =
    [];
  private closed = false;

  constructor(options: MatchPoolOptions = {}) {
    const { size, maxQueue } = options ?? {};
    const issues = [
      ...(size !== undefined && !(Number.isInteger(size) && size >= 1)
        ? [
            pathIssue(
              "invalid_option",
              ["size"],
              `Expected a whole number ≥ 1, got ${String(size)}`,
            ),
          ]
        : []),
      ...(maxQueue !== undefined &&
      !((Number.isInteger(maxQueue) && maxQueue >= 0) || maxQueue === Infinity)
        ? [
            pathIssue(
              "invalid_option",
              ["maxQueue"],
              `Expected a whole number ≥ 0 or Infinity, got ${String(maxQueue)}`,
            ),
          ]
        : []),
    ];
    if (issues.length > 0) throw new InputError(issues, "options");
    this.size = size ?? availableParallelism();
    this.maxQueue = maxQueue ?? Infinity;
  }

  /** Jobs running now, and waiting for a thread. */
  get running(): number {
    return this.busy.size;
  }
  get queued(): number {
    return this.waiting.length;
  }
  /** Every thread is busy and the queue is full: a new job would be refused (`PoolFullError`). */
  get full(): boolean {
    return this.busy.size >= this.size && this.waiting.length >= this.maxQueue;
  }

  /** Parses and matches `input` (a `CohortInput`, plain data) on a thread of its own. */
  match(input: unknown, options: WorkerMatchOptions = {}): Promise<MatchResult> {
    const { signal, onProgress, maxMemoryMb, ...matchOptions } = options ?? {};
    return this.run<MatchResult>(
      { input, json: false, task: { kind: "match", options: matchOptions } },
      { signal, onProgress, maxMemoryMb },
    );
  }

  /**
   * Runs `job` on a thread of its own: its task on the cohort it reads from `job.input` (plain
   * data, or with `job.json` the bytes of a JSON document that `checkJsonBytes` has passed,
   * moved to the thread, not copied, when they fill their buffer). For the HTTP service.
   *
   * @internal
   */
  run<T>(job: Omit<MatchJob, "progress">, controls: JobControls = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(new Error("The match pool is closed"));
      const signal = controls.signal;
      if (signal?.aborted) return reject(signal.reason);
      const cap = controls.maxMemoryMb;
      const progress = controls.onProgress;
      const issues = [
        ...(cap !== undefined && !(typeof cap === "number" && Number.isFinite(cap) && cap > 0)
          ? [
              pathIssue(
                "invalid_option",
                ["maxMemoryMb"],
                `Expected a number of MB above 0, got ${String(cap)}`,
              ),
            ]
          : []),
        ...(progress !== undefined && typeof progress !== "function"
          ? [pathIssue("invalid_option", ["onProgress"], "Expected a function")]
          : []),
      ];
      if (issues.length > 0) return reject(new InputError(issues, "options"));
      if (this.full) return reject(new PoolFullError(this.maxQueue));
      const queued: Queued = {
        job,
        controls,
        resolve: resolve as (r: unknown) => void,
        reject,
        onAbort: () => {
          const at = this.waiting.indexOf(queued);
          if (at >= 0) {
            this.waiting.splice(at, 1);
            reject(signal!.reason);
          }
        },
      };
      signal?.addEventListener("abort", queued.onAbort, { once: true });
      this.waiting.push(queued);
      this.next();
    });
  }

  /** Stops taking jobs; ends the running ones and rejects the waiting ones. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) {
      job.controls.signal?.removeEventListener("abort", job.onAbort);
      job.reject(new Error("The match pool is closed"));
    }
    const all = [...this.busy, ...this.idle.splice(0).map((x) => x.worker)];
    await Promise.all(all.map((w) => w.terminate()));
  }

  private next(): void {
    while (!this.closed && this.busy.size < this.size && this.waiting.length > 0)
      this.start(this.waiting.shift()!);
  }

  /** A warm thread with the job's heap cap, or a new one (ending an idle one of another cap
   * when the pool has as many threads as its size). */
  private threadFor(maxMemoryMb: number | undefined): Worker {
    const at = this.idle.findIndex((x) => x.maxMemoryMb === maxMemoryMb);
    if (at >= 0) {
      const [{ worker }] = this.idle.splice(at, 1);
      worker.ref();
      return worker;
    }
    if (this.busy.size + this.idle.length >= this.size) void this.idle.shift()?.worker.terminate();
    const { script, eval: isCode } = workerScript("match-worker");
    const worker = new Worker(script, {
      eval: isCode,
      ...(maxMemoryMb !== undefined
        ? { resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb } }
        : {}),
    });
    // For the thread's whole life (a job adds its own): an idle thread that fails or ends is
    // dropped, never handed a job, and its error never goes unheard.
    const drop = () => {
      const at = this.idle.findIndex((x) => x.worker === worker);
      if (at >= 0) this.idle.splice(at, 1);
    };
    worker.on("error", drop);
    worker.on("exit", drop);
    return worker;
  }

  private start(job: Queued): void {
    const { signal, onProgress, maxMemoryMb, onParsed, onStart } = job.controls;
    signal?.removeEventListener("abort", job.onAbort);
    onStart?.();
    const worker = this.threadFor(maxMemoryMb);
    this.busy.add(worker);
    let settled = false;
    // Ends the job: the thread goes back to the idle ones (`keep`) or is ended.
    const settle = (keep: boolean, f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      worker.off("message", onMessage);
      worker.off("messageerror", onMessageError);
      worker.off("error", onError);
      worker.off("exit", onExit);
      this.busy.delete(worker);
      if (keep && !this.closed) {
        worker.unref();
        this.idle.push({ worker, maxMemoryMb });
      } else void worker.terminate();
      f();
      this.next();
    };
    const onAbort = () => settle(false, () => job.reject(signal!.reason));
    const onMessage = (m: WorkerMessage) => {
      if (m.type === "progress" || m.type === "parsed") {
        if (settled) return;
        try {
          if (m.type === "progress") onProgress?.(m.progress);
          else onParsed?.({ mentees: m.mentees, mentors: m.mentors });
        } catch (e) {
          // The caller's callback threw: the job ends with its error, as `match` would.
          settle(false, () => job.reject(e));
        }
      } else if (m.type === "result") settle(true, () => job.resolve(m.result));
      else if (m.type === "invalid")
        settle(true, () => {
          const error = new (m.body ? BodyError : InputError)(m.issues, "input", m.warnings);
          error.message = m.message;
          job.reject(error);
        });
      else
        settle(false, () => {
          const error = new Error(m.message);
          error.name = m.name;
          job.reject(error);
        });
    };
    const onError = (e: Error & { code?: string }) =>
      settle(false, () =>
        job.reject(e.code === "ERR_WORKER_OUT_OF_MEMORY" ? new WorkerMemoryError(maxMemoryMb) : e),
      );
    const onExit = (code: number) =>
      settle(false, () =>
        job.reject(
          new Error(
            this.closed ? "The match pool is closed" : `The match thread exited with code ${code}`,
          ),
        ),
      );
    signal?.addEventListener("abort", onAbort, { once: true });
    const onMessageError = (e: Error) => settle(false, () => job.reject(e));
    worker.on("message", onMessage);
    worker.on("messageerror", onMessageError);
    worker.on("error", onError);
    worker.on("exit", onExit);
    const data: MatchJob = { ...job.job, progress: onProgress !== undefined };
    const bytes = job.job.json ? (job.job.input as Uint8Array) : undefined;
    // Bytes that fill their buffer are moved (a slice of a shared buffer is copied).
    const transfer =
      bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? [bytes.buffer as ArrayBuffer]
        : [];
    try {
      worker.postMessage(data, transfer);
    } catch (e) {
      // Input a thread cannot be given (functions, class instances with private state …).
      settle(true, () =>
        job.reject(
          e instanceof Error && e.name === "DataCloneError"
            ? new InputError(
                [
                  pathIssue(
                    "unreadable_input",
                    [],
                    `Unreadable input: pass plain data (${e.message})`,
                  ),
                ],
                "input",
              )
            : e,
        ),
      );
    }
  }
}

let shared: MatchPool | undefined;

/**
 * `match(parseCohort(input), options)` on a worker thread of a shared pool (as many at once as
 * the machine has cores): the same result, with the calling thread free meanwhile. `signal`
 * stops the thread; `onProgress` reports on this thread; `maxMemoryMb` caps the job's heap.
 * Rejects with `InputError` (every issue of the input), the signal's reason, or
 * `WorkerMemoryError`.
 */
export function matchInWorker(
  input: unknown,
  options: WorkerMatchOptions = {},
): Promise<MatchResult> {
  shared ??= new MatchPool();
  return shared.match(input, options);
}
