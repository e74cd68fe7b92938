/**
 * The service's match jobs (`202` answers, `GET` / `DELETE /v1/jobs/{id}`): each job's state as
 * the client sees it, and the controller that stops it. Finished jobs are kept for `keepMs`, and
 * at most `maxFinished` of them (the oldest go first); jobs still queued or running are always
 * kept (the pools' queues bound them).
 */
import { randomUUID } from "node:crypto";
import type { SolveProgress } from "../solve/types.js";
import type { ErrorDetail, Job } from "./schemas.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface JobEntry {
  /** The job but its result. */
  readonly job: Mutable<Job>;
  /** The result, as JSON text (from the thread, sent as it is). */
  result?: string;
  readonly controller: AbortController;
  /** When it finished (ms since the epoch), for expiry. */
  finished?: number;
}

export class JobStore {
  private readonly entries = new Map<string, JobEntry>();

  constructor(
    private readonly keepMs: number,
    private readonly maxFinished: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(): JobEntry {
    this.expire();
    const entry: JobEntry = {
      job: { id: randomUUID(), state: "queued", createdAt: this.iso() },
      controller: new AbortController(),
    };
    this.entries.set(entry.job.id, entry);
    return entry;
  }

  /** The job as the client sees it now, as JSON text, or undefined (unknown or expired). */
  get(id: string): { readonly job: Job; readonly text: string } | undefined {
    this.expire();
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const job = { ...entry.job };
    const text = JSON.stringify(job);
    return {
      job,
      text: entry.result === undefined ? text : `${text.slice(0, -1)},"result":${entry.result}}`,
    };
  }

  /** Stops a queued or running job (`stop` is the abort's reason and the job's error): it is
   * cancelled at once. False when there is no such job; a finished job stays as it is. */
  cancel(id: string, stop: ErrorDetail): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (entry.finished === undefined) {
      entry.controller.abort(stop);
      this.failed(entry, { code: stop.code, message: stop.message }, true);
    }
    return true;
  }

  /** Stops every job not finished yet. */
  cancelAll(stop: ErrorDetail): void {
    for (const entry of this.entries.values())
      if (entry.finished === undefined) this.cancel(entry.job.id, stop);
  }

  started(entry: JobEntry): void {
    if (entry.finished !== undefined) return;
    entry.job.state = "running";
    entry.job.startedAt = this.iso();
  }

  progress(entry: JobEntry, progress: SolveProgress): void {
    if (entry.finished !== undefined) return;
    entry.job.progress = { phase: progress.phase, done: progress.done, total: progress.total };
  }

  /** The job's answer (ignored when it was cancelled first). */
  done(entry: JobEntry, result: string): void {
    if (entry.finished === undefined) {
      this.finish(entry, "done");
      entry.result = result;
    }
  }

  failed(entry: JobEntry, error: ErrorDetail, cancelled: boolean): void {
    if (entry.finished === undefined)
      this.finish(entry, cancelled ? "cancelled" : "failed").error = error;
  }

  private finish(entry: JobEntry, state: Job["state"]): Mutable<Job> {
    entry.finished = this.now();
    entry.job.state = state;
    entry.job.finishedAt = this.iso();
    return entry.job;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  private expire(): void {
    const now = this.now();
    const finished = [...this.entries.values()].filter((e) => e.finished !== undefined);
    const over = finished.length - this.maxFinished;
    finished.forEach((e, k) => {
      if (k < over || now - e.finished! > this.keepMs) this.entries.delete(e.job.id);
    });
  }
}
