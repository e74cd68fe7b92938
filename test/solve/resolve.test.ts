/**
 * Warm re-solves after the scores change (`resolvableSolve`, src/solve/solve.ts): each resolve
 * must give what a fresh solve of the same problem at the new scores gives — the same status, the
 * same objective (optima tie, so not the same pairs), a certificate `verifyCertificate` accepts
 * at the new scores — and the warm path must really be taken (counted below), across pricing
 * rounds, both orientations of the network, forced pairs, minimums and coverage-first.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toInstance } from "../../src/solve/problem";
import { resolvableSolve } from "../../src/solve/solve";
import { solveAssignment, verifyCertificate } from "../../src/solve/index";
import type { AssignmentProblem } from "../../src/solve/types";
import { problemSpecArb, toProblem } from "./arbitraries";
import { fcParams } from "./fc-params";
import { closeIn } from "./helpers";

const specs = problemSpecArb({
  maxRows: 9,
  maxCols: 5,
  maxCells: 45,
  maxBound: 3,
  maxForced: 2,
  maxForbidden: 4,
  forms: ["flat"],
  senses: ["max", undefined],
  contradictions: false,
}).chain((spec) =>
  fc.record({
    spec: fc.constant(spec),
    // Each later round: a new score for every cell (ties, shifts, sign changes).
    rounds: fc.array(
      fc.array(fc.integer({ min: -5, max: 12 }), {
        minLength: spec.rows * spec.cols,
        maxLength: spec.rows * spec.cols,
      }),
      { minLength: 1, maxLength: 4 },
    ),
    k: fc.constantFrom<1 | 2 | "auto">(1, 2, "auto"),
  }),
);

describe("resolvableSolve: warm re-solves after the scores change", () => {
  it("each resolve has a fresh solve's status and objective, and a certificate that verifies at the new scores", () => {
    let warm = 0;
    let priced = 0;
    fc.assert(
      fc.property(specs, ({ spec, rounds, k }) => {
        const problem = toProblem(spec) as AssignmentProblem & { scores: Float64Array };
        const options = { candidatesPerRow: k };
        const solver = resolvableSolve(toInstance(problem), options);
        let last = solver.result;
        for (const scores of rounds) {
          problem.scores.set(scores); // the instance reads this array in place
          const wasOptimal = last.status === "optimal";
          last = solver.resolve(options);
          const fresh = solveAssignment({ ...problem, scores: Float64Array.from(scores) }, options);
          expect(last.status).toBe(fresh.status);
          if (last.status !== "optimal" || fresh.status !== "optimal") continue;
          if (wasOptimal) warm++;
          if (last.stats.pricingRounds > 0) priced++;
          expect(closeIn(problem, last.objective, fresh.objective)).toBe(true);
          const v = verifyCertificate(problem, last);
          expect(v.problems).toEqual([]);
        }
      }),
      fcParams(300),
    );
    // The property is about the warm path: it must have been taken, pricing included.
    expect(warm).toBeGreaterThan(100);
    expect(priced).toBeGreaterThan(20);
  });
});
