/**
 * `minFit` in max-min mode against the exact MIP (HiGHS, test/equity/mip.ts): the floor `match`
 * reaches keeps the most pairs of the declared floor, one fit more does not, and the pairs are
 * the MIP optimum at that floor; `verifyMatch` rechecks all of it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { match, verifyMatch } from "../../src/match/match.js";
import type { CohortInput } from "../../src/schema/input.js";
import { scoreMatrix } from "../../src/score/matrix.js";
import { mipOracle } from "./mip.js";
import { runs, highsBeforeAll } from "../support/harness.js";

const highs = highsBeforeAll();

/** The cohort with one plain floor `min` (and coverage-first: the MIP's pairs are the most). */
const atFloor = (input: CohortInput, min: number, coverageFirst: boolean): CohortInput => ({
  ...input,
  program: { ...input.program, coverageFirst, equity: [{ kind: "minFit", min }] },
});

describe("minFit in max-min mode", () => {
  it("raises the floor to the highest fit that keeps the most pairs (the MIP's count there equals the declared floor's, and drops at the next fit), and the pairs are the MIP optimum at that floor", () => {
    fc.assert(
      fc.property(
        fc.record({
          mentees: fc.integer({ min: 4, max: 14 }),
          mentors: fc.integer({ min: 2, max: 5 }),
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          min: fc.constantFrom(0, 1, 2.5),
          coverageFirst: fc.boolean(),
        }),
        ({ mentees, mentors, seed, min, coverageFirst }) => {
          const base = generateCohort({ mentees, mentors, seed });
          const input: CohortInput = {
            ...base,
            program: {
              ...base.program,
              coverageFirst,
              equity: [{ kind: "minFit", min, maxMin: true }],
            },
          };
          const cohort = parseCohort(input);
          const r = match(cohort);
          const most = mipOracle(highs(), atFloor(input, min, true), "pairs");
          if (most.status === "infeasible") {
            expect(["infeasible", "time_limit"]).toContain(r.status);
            return;
          }
          expect(["optimal", "feasible"]).toContain(r.status);
          if (r.status !== "optimal" && r.status !== "feasible") return;
          const floor = r.equity[0].floor!;
          expect(floor).toBeGreaterThanOrEqual(min);
          for (const p of r.pairs) expect(p.score).toBeGreaterThanOrEqual(floor);
          expect(verifyMatch(cohort, r).problems).toEqual([]);
          // The count at the floor is the declared floor's; at the next fit above, lower.
          const there = mipOracle(highs(), atFloor(input, floor, true), "pairs");
          expect(there.status === "optimal" && there.pairs).toBe(most.pairs);
          const { scores, reason } = scoreMatrix(parseCohort(atFloor(input, min, false)).view);
          const next = Array.from(scores)
            .filter((s, e) => reason[e] === 0 && s > floor)
            .reduce((a, b) => Math.min(a, b), Infinity);
          if (Number.isFinite(next) && most.pairs > 0) {
            const above = mipOracle(highs(), atFloor(input, next, true), "pairs");
            expect(above.status === "infeasible" || above.pairs < most.pairs).toBe(true);
          }
          // The total is the best at that floor, in the program's mode.
          const best = mipOracle(highs(), atFloor(input, floor, coverageFirst), coverageFirst);
          if (best.status !== "optimal") throw new Error("the MIP at the floor must be feasible");
          expect(r.objective).toBeCloseTo(best.objective, 9);
        },
      ),
      runs(40),
    );
  });

  it("with other equity rules, a raised floor at which they keep fewer pairs gives way to the declared floor (never an infeasible answer the declared floor does not have)", () => {
    const base = generateCohort({ mentees: 8, mentors: 2, seed: 52 });
    const rules = (maxMin: boolean): CohortInput => ({
      ...base,
      program: {
        ...base.program,
        minGroupSize: 1,
        equity: [
          { kind: "minFit", min: 0, ...(maxMin ? { maxMin } : {}) },
          { kind: "reserve", attribute: "region", group: "amer", tier: "senior", min: 2 },
        ],
      },
    });
    const plain = match(parseCohort(rules(false)));
    expect(plain.status).toBe("optimal");
    const cohort = parseCohort(rules(true));
    const r = match(cohort);
    expect(["optimal", "feasible"]).toContain(r.status);
    expect(r.pairs.length).toBeGreaterThanOrEqual(plain.pairs.length);
    expect(r.equity[0].floor).toBeGreaterThanOrEqual(0);
    expect(verifyMatch(cohort, r).problems).toEqual([]);
  });

  it("verifyMatch rejects a result whose floor is missing, below the declared one, or not the highest", () => {
    const base = generateCohort({ mentees: 30, mentors: 6, seed: 11 });
    const input: CohortInput = {
      ...base,
      program: { ...base.program, equity: [{ kind: "minFit", min: 0, maxMin: true }] },
    };
    const cohort = parseCohort(input);
    const r = match(cohort);
    expect(r.status).toBe("optimal");
    const floor = r.equity[0].floor!;
    expect(floor).toBeGreaterThan(0);
    expect(r.equity[0].message).toContain(`raised the floor from 0 to ${floor}`);
    expect(verifyMatch(cohort, r).ok).toBe(true);
    const without = { ...r, equity: [{ ...r.equity[0], floor: undefined }] };
    expect(verifyMatch(cohort, without).problems.join(" ")).toContain("must give its floor");
    // The answer at the declared floor (0) is not proven at a raised one, nor is 0 the highest.
    const plain = match(parseCohort(atFloor(input, 0, false)));
    const low = { ...plain, equity: [{ ...r.equity[0], floor: 0 }] };
    expect(verifyMatch(cohort, low).problems.join(" ")).toContain("is not the highest");
  });
});
