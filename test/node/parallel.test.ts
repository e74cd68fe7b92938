/**
 * `matchParallel` (src/node/parallel.ts): the scoring pass on worker threads gives `match`'s
 * result exactly (the same scores, so the same solve), whatever the number of threads; stops and
 * bad options behave as `match`'s do.
 */
import { describe, expect, it } from "vitest";
import { generateCohort } from "../../src/generate/cohort.js";
import { parseCohort } from "../../src/cohort/parse.js";
import { match, verifyMatch } from "../../src/match/match.js";
import type { MatchResult } from "../../src/match/types.js";
import { matchParallel, verifyMatchParallel } from "../../src/node/parallel.js";
import { InputError } from "../../src/schema/errors.js";

/** A result without its timings (the only part allowed to differ). */
const withoutStats = (r: MatchResult) => ({ ...r, stats: undefined });

describe("matchParallel", () => {
  it("gives match's result, with blocks of mentees scored on 2 and 3 threads", async () => {
    const cohort = parseCohort(generateCohort({ mentees: 301, mentors: 57, seed: 4 }));
    for (const coverageFirst of [false, true]) {
      // The generator's rules are enforced: the search under them is deterministic too.
      const one = match(cohort, { coverageFirst });
      expect(["optimal", "feasible"]).toContain(one.status);
      for (const threads of [2, 3]) {
        const many = await matchParallel(cohort, { coverageFirst, threads });
        expect(withoutStats(many)).toEqual(withoutStats(one));
        expect(verifyMatch(cohort, many).ok).toBe(true);
      }
    }
  }, 60_000);

  it("is match on one thread, or on a small cohort when the threads are left to the default", async () => {
    const cohort = parseCohort(generateCohort({ mentees: 40, mentors: 9, seed: 2 }));
    const one = withoutStats(match(cohort));
    expect(withoutStats(await matchParallel(cohort, { threads: 1 }))).toEqual(one);
    expect(withoutStats(await matchParallel(cohort))).toEqual(one);
  });

  it("stops as match does: aborted before it starts, or out of time", async () => {
    const cohort = parseCohort(generateCohort({ mentees: 120, mentors: 20, seed: 5 }));
    const aborted = await matchParallel(cohort, { threads: 2, signal: AbortSignal.abort() });
    expect(aborted.status).toBe("time_limit");
    if (aborted.status === "time_limit") expect(aborted.reason).toBe("aborted");
    const late = await matchParallel(cohort, { threads: 2, timeLimitMs: 0 });
    expect(late.status).toBe("time_limit");
    if (late.status === "time_limit") expect(late.reason).toBe("time");
  });

  it("rejects a thread count that is not a whole number ≥ 1, and bad match options, by path", async () => {
    const cohort = parseCohort(generateCohort({ mentees: 20, mentors: 5, seed: 1 }));
    for (const threads of [0, 1.5, -2, Number.NaN]) {
      const e = await matchParallel(cohort, { threads }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues[0]?.location).toEqual({ kind: "path", path: ["threads"] });
    }
    const bad = await matchParallel(cohort, { threads: 0, timeLimitMs: -1 }).catch(
      (x: unknown) => x,
    );
    expect(bad).toBeInstanceOf(InputError);
    expect((bad as InputError).issues.map((i) => i.location)).toEqual([
      { kind: "path", path: ["threads"] },
      { kind: "path", path: ["timeLimitMs"] },
    ]);
  });
});

describe("verifyMatchParallel", () => {
  it("gives verifyMatch's verdict, on a sound result and on a tampered one", async () => {
    const cohort = parseCohort(generateCohort({ mentees: 301, mentors: 57, seed: 4 }));
    for (const coverageFirst of [false, true]) {
      const result = match(cohort, { coverageFirst });
      const one = verifyMatch(cohort, result);
      expect(one.ok).toBe(true);
      expect(await verifyMatchParallel(cohort, result, { threads: 2 })).toEqual(one);
      // A pair moved to another mentee: the check must fail the same way on threads.
      const [first, second] = result.pairs;
      const tampered = {
        ...result,
        pairs: [{ ...first, mentee: second.mentee }, ...result.pairs.slice(1)],
      };
      const bad = verifyMatch(cohort, tampered);
      expect(bad.ok).toBe(false);
      expect(await verifyMatchParallel(cohort, tampered, { threads: 3 })).toEqual(bad);
    }
  }, 60_000);

  it("rejects a bad thread count and a result that is not match's, before any thread starts", async () => {
    const cohort = parseCohort(generateCohort({ mentees: 20, mentors: 5, seed: 1 }));
    const result = match(cohort);
    await expect(verifyMatchParallel(cohort, result, { threads: 0 })).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(
      verifyMatchParallel(cohort, {} as MatchResult, { threads: 2 }),
    ).rejects.toBeInstanceOf(InputError);
  });
});
