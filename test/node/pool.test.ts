/**
 * Matching on worker threads (`matchInWorker`, `MatchPool`): the same result as `match` on this
 * thread; an invalid input's every issue; abort that ends the thread; progress on this thread;
 * a bounded queue; a memory cap; input a thread cannot take.
 */
import { afterAll, describe, expect, it } from "vitest";
import { generateCohort, match, parseCohort, safeParseCohort } from "../../src/index.js";
import { InputError } from "../../src/schema/errors.js";
import { matchInWorker, MatchPool, PoolFullError, WorkerMemoryError } from "../../src/node/pool.js";
import { timeless } from "../support/results.js";

const pools: MatchPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe("matchInWorker", () => {
  it("gives match's result, for plain and equity-ruled cohorts", async () => {
    for (const [seed, equity] of [
      [2, false],
      [5, true],
    ] as const) {
      const input = generateCohort({ mentees: 300, mentors: 70, seed, equity });
      const here = match(parseCohort(input));
      const there = await matchInWorker(input);
      expect(timeless(there)).toEqual(timeless(here));
    }
  }, 60_000);

  it("an invalid input rejects with InputError and every issue, as parseCohort gives them", async () => {
    const input = generateCohort({ mentees: 20, mentors: 5, seed: 1 }) as {
      mentees: { id: string; level: unknown }[];
    };
    input.mentees[0].level = "senior";
    input.mentees[1].id = input.mentees[2].id;
    const expected = safeParseCohort(input);
    expect(expected.ok).toBe(false);
    const error = await matchInWorker(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toEqual(!expected.ok && expected.issues);
  }, 30_000);

  it("input a thread cannot take is an InputError, not a crash", async () => {
    const error = await matchInWorker({ mentees: [], f: () => 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0].code).toBe("unreadable_input");
  });
});

describe("MatchPool", () => {
  const big = generateCohort({ mentees: 12000, mentors: 2500, seed: 3, equity: false });

  it("abort ends the thread at once and rejects with the signal's reason; progress comes meanwhile", async () => {
    const pool = new MatchPool({ size: 1 });
    pools.push(pool);
    const controller = new AbortController();
    const phases = new Set<string>();
    const t0 = performance.now();
    const job = pool.match(big, {
      signal: controller.signal,
      onProgress: (p) => {
        phases.add(p.phase);
        controller.abort(new Error("stop"));
      },
    });
    await expect(job).rejects.toThrow("stop");
    expect(phases.size).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(pool.running).toBe(0);
    expect(performance.now() - t0).toBeLessThan(60_000); // not the whole match
  }, 90_000);

  it("runs size jobs at once, queues maxQueue more, refuses the next; a queued job aborts without starting", async () => {
    const pool = new MatchPool({ size: 1, maxQueue: 1 });
    pools.push(pool);
    const first = new AbortController();
    const second = new AbortController();
    const running = pool.match(big, { signal: first.signal });
    const waiting = pool.match(big, { signal: second.signal });
    expect([pool.running, pool.queued]).toEqual([1, 1]);
    await expect(pool.match(big)).rejects.toBeInstanceOf(PoolFullError);
    second.abort(new Error("not needed"));
    await expect(waiting).rejects.toThrow("not needed");
    expect(pool.queued).toBe(0);
    first.abort(new Error("done"));
    await expect(running).rejects.toThrow("done");
  }, 60_000);

  it("progress ends where the match's own progress ends; a throwing callback ends the job with its error", async () => {
    const input = generateCohort({ mentees: 400, mentors: 90, seed: 8, equity: false });
    const here: { phase: string; done: number; total: number }[] = [];
    match(parseCohort(input), { onProgress: (p) => here.push({ ...p }) });
    const there: typeof here = [];
    const pool = new MatchPool({ size: 1 });
    pools.push(pool);
    await pool.match(input, { onProgress: (p) => there.push({ ...p }) });
    expect(there.at(-1)).toEqual(here.at(-1));
    expect(new Set(there.map((p) => p.phase))).toEqual(new Set(here.map((p) => p.phase)));
    await expect(
      pool.match(input, {
        onProgress: () => {
          throw new Error("callback failed");
        },
      }),
    ).rejects.toThrow("callback failed");
    await expect(pool.match(input, { onProgress: 42 as never })).rejects.toBeInstanceOf(InputError);
    // The pool goes on after both.
    expect(timeless(await pool.match(input))).toEqual(timeless(match(parseCohort(input))));
  }, 60_000);

  it("a waiting job starts when the running one is aborted", async () => {
    const pool = new MatchPool({ size: 1 });
    pools.push(pool);
    const stop = new AbortController();
    const running = pool.match(big, { signal: stop.signal });
    const small = generateCohort({ mentees: 50, mentors: 12, seed: 9 });
    const waiting = pool.match(small);
    stop.abort(new Error("stopped"));
    await expect(running).rejects.toThrow("stopped");
    expect(timeless(await waiting)).toEqual(timeless(match(parseCohort(small))));
  }, 60_000);

  it("a job over its memory cap rejects with WorkerMemoryError; the pool goes on", async () => {
    const pool = new MatchPool({ size: 1 });
    pools.push(pool);
    const error = await pool.match(big, { maxMemoryMb: 16 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerMemoryError);
    const small = generateCohort({ mentees: 40, mentors: 10, seed: 4 });
    expect(timeless(await pool.match(small))).toEqual(timeless(match(parseCohort(small))));
  }, 90_000);

  it("options are checked; close rejects what waits", async () => {
    expect(() => new MatchPool({ size: 0 })).toThrow(InputError);
    expect(() => new MatchPool({ maxQueue: -1 })).toThrow(InputError);
    const pool = new MatchPool({ size: 1 });
    await expect(pool.match(big, { maxMemoryMb: -1 })).rejects.toBeInstanceOf(InputError);
    const a = expect(pool.match(big)).rejects.toThrow(/closed/);
    const b = expect(pool.match(big)).rejects.toThrow(/closed/);
    await pool.close();
    await b;
    await a;
    await expect(pool.match(big)).rejects.toThrow(/closed/);
  }, 60_000);
});
