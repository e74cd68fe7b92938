/**
 * The service's job store: a job's life as a client sees it, expiry by age and by count (the
 * oldest finished first; unfinished jobs are never dropped), and a cancel that wins over a
 * late answer.
 */
import { describe, expect, it } from "vitest";
import { JobStore } from "../../src/service/jobs.js";
import { JobSchema } from "../../src/service/schemas.js";

describe("JobStore", () => {
  it("keeps a job's life: queued, running with progress, done with its result as JSON", () => {
    let now = Date.UTC(2026, 11, 2);
    const store = new JobStore(60_000, 10, () => now);
    const entry = store.create();
    expect(store.get(entry.job.id)!.job.state).toBe("queued");
    now += 5;
    store.started(entry);
    store.progress(entry, { phase: "solve", done: 3, total: 9 } as never);
    expect(JobSchema.parse(JSON.parse(store.get(entry.job.id)!.text))).toMatchObject({
      state: "running",
      startedAt: "2026-12-02T00:00:00.005Z",
      progress: { phase: "solve", done: 3, total: 9 },
    });
    store.done(entry, '{"status":"optimal","pairs":[]}');
    const done = JSON.parse(store.get(entry.job.id)!.text) as { state: string; result: unknown };
    expect(done.state).toBe("done");
    expect(done.result).toEqual({ status: "optimal", pairs: [] });
  });

  it("forgets finished jobs after keepMs, and past maxFinished the oldest first", () => {
    let now = 0;
    const store = new JobStore(1000, 2, () => now);
    const [a, b, c, running] = [store.create(), store.create(), store.create(), store.create()];
    for (const e of [a, b, c]) store.done(e, "{}");
    expect(store.get(a.job.id)).toBeUndefined(); // three finished, two kept
    expect(store.get(b.job.id)).toBeDefined();
    now += 1001;
    expect(store.get(c.job.id)).toBeUndefined();
    expect(store.get(running.job.id)!.job.state).toBe("queued"); // never dropped unfinished
  });

  it("a cancel wins over a late answer, stops the job's signal, and leaves finished jobs be", () => {
    const store = new JobStore(60_000, 10);
    const entry = store.create();
    expect(store.cancel(entry.job.id, { code: "cancelled", message: "by a client" })).toBe(true);
    expect(entry.controller.signal.aborted).toBe(true);
    store.done(entry, '{"status":"optimal"}');
    expect(store.get(entry.job.id)!.job).toMatchObject({
      state: "cancelled",
      error: { code: "cancelled", message: "by a client" },
    });
    const finished = store.create();
    store.done(finished, "{}");
    store.cancel(finished.job.id, { code: "cancelled", message: "too late" });
    expect(store.get(finished.job.id)!.job.state).toBe("done");
    expect(store.cancel("nope", { code: "cancelled", message: "" })).toBe(false);
  });
});
