import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  generateCohort,
  InputError,
  match,
  parseCohort,
  solveAssignment,
} from "../../src/index.js";
import { whyNot } from "../../src/lifecycle/counterfactual.js";
import { createScorer } from "../../src/score/scorer.js";
import type { Cohort } from "../../src/cohort/types.js";

function cohortOf(seed: number, n: number, m: number, cov = false): Cohort {
  const g = generateCohort({ mentees: n, mentors: m, seed });
  return parseCohort({ ...g, program: { ...g.program, equity: [], coverageFirst: cov } });
}

/** The forced pair's optimum by an independent path: the dense matrix, solved cold. */
function forcedOptimum(cohort: Cohort, i: number, j: number) {
  const sc = createScorer(cohort.view);
  const n = cohort.view.mentees.count;
  const m = cohort.view.mentors.count;
  const scores: number[][] = [];
  const forbidden: [number, number][] = [];
  for (let a = 0; a < n; a++) {
    const row: number[] = [];
    for (let b = 0; b < m; b++) {
      row.push(sc.score(a, b));
      if (sc.reasonCode(a, b) !== 0) forbidden.push([a, b]);
    }
    scores.push(row);
  }
  return solveAssignment({
    scores,
    rowMin: Array.from(cohort.view.mentees.minMentors),
    rowMax: Array.from(cohort.view.mentees.maxMentors),
    colMin: Array.from(cohort.view.mentors.minLoad),
    colMax: Array.from(cohort.view.mentors.capacity),
    forced: [...cohort.view.locked.map((p) => [p.mentee, p.mentor] as [number, number]), [i, j]],
    forbidden,
  });
}

describe("whyNot", () => {
  it("the forced total equals an independent forced solve, and the loss is at least the reduced cost", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 6, max: 16 }),
        fc.integer({ min: 2, max: 5 }),
        fc.nat(),
        (seed, n, m, pick) => {
          const cohort = cohortOf(seed, n, m);
          const base = match(cohort);
          if (base.status !== "optimal") return;
          const i = pick % n;
          const j = Math.floor(pick / n) % m;
          const mentee = cohort.index.menteeIds[i];
          const mentor = cohort.index.mentorIds[j];
          const c = whyNot(cohort, base, mentee, mentor);
          if (!c.explanation.eligible) {
            expect(c.forced).toBeUndefined();
            expect(c.explanation.reason).not.toBeNull();
            return;
          }
          if (c.paired) {
            expect(c.forced).toBeUndefined();
            return;
          }
          const oracle = forcedOptimum(cohort, i, j);
          expect(c.forced!.status === "infeasible").toBe(oracle.status === "infeasible");
          if (oracle.status !== "optimal") return;
          const tol = 1e-7 * Math.max(1, Math.abs(base.objective));
          expect(Math.abs(c.forced!.objective - oracle.objective)).toBeLessThanOrEqual(tol);
          expect(c.forced!.delta).toBeLessThanOrEqual(tol);
          expect(-c.forced!.delta).toBeGreaterThanOrEqual(c.forced!.reducedCost - tol);
          expect(c.forced!.moves.some((mv) => mv.mentee === mentee)).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("names the failing rule for an ineligible pair, and explains a chosen pair without a solve", () => {
    const cohort = cohortOf(7, 60, 12);
    const base = match(cohort);
    const sc = createScorer(cohort.view);
    let ineligible: [number, number] | undefined;
    for (let i = 0; i < 60 && !ineligible; i++)
      for (let j = 0; j < 12 && !ineligible; j++)
        if (sc.reasonCode(i, j) !== 0) ineligible = [i, j];
    const [i, j] = ineligible!;
    const c = whyNot(cohort, base, cohort.index.menteeIds[i], cohort.index.mentorIds[j]);
    expect(c.explanation.eligible).toBe(false);
    expect(c.forced).toBeUndefined();
    const p = base.pairs[0];
    const chosen = whyNot(cohort, base, p.mentee, p.mentor);
    expect(chosen.paired).toBe(true);
    expect(chosen.explanation.total).toBeCloseTo(p.score, 9);
    expect(chosen.mentorMentees).toContain(p.mentee);
  });

  it("refuses a result that is not optimal, and unknown ids", () => {
    const cohort = cohortOf(8, 20, 4);
    const base = match(cohort);
    expect(() => whyNot(cohort, { ...base, status: "infeasible" } as never, "a", "b")).toThrow(
      InputError,
    );
    expect(() => whyNot(cohort, base, "nobody", cohort.index.mentorIds[0])).toThrow(InputError);
  });
});
