/**
 * The oracles are checked before they are trusted: on hand-solved examples, and against each
 * other on random tiny problems (two independent methods agreeing).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { problemArb } from "../arbitraries";
import { fcParams } from "../fc-params";
import { bruteForce } from "./brute";
import { lpOracle } from "./lp";
import { close, evaluate } from "./model";
import type { AssignmentProblem } from "../../../src/solve/types";

const examples: { name: string; problem: AssignmentProblem; expected: number | "infeasible" }[] = [
  {
    name: "2x2 max",
    problem: {
      scores: [
        [5, 1],
        [1, 5],
      ],
    },
    expected: 10,
  },
  {
    name: "2x2 min, perfect",
    problem: {
      scores: [
        [5, 1],
        [1, 5],
      ],
      sense: "min",
      rowMin: 1,
      colMin: 1,
    },
    expected: 2,
  },
  {
    name: "min without lower bounds matches nothing",
    problem: {
      scores: [
        [5, 1],
        [1, 5],
      ],
      sense: "min",
    },
    expected: 0,
  },
  {
    name: "negative scores stay unmatched in max",
    problem: {
      scores: [
        [-1, -2],
        [3, -4],
      ],
    },
    expected: 3,
  },
  {
    name: "coverage-first takes the negative pairs",
    problem: {
      scores: [
        [-1, -2],
        [3, -4],
      ],
      coverageFirst: true,
    },
    expected: 1,
  },
  {
    name: "mentor min/max loads (peer vectors, last case)",
    problem: {
      scores: [
        [1, 0, 0.75],
        [0.5, 0.5, 1],
      ],
      rowMin: [1, 1],
      rowMax: [1, 2],
      colMin: 1,
      colMax: 1,
    },
    expected: 2.5,
  },
  {
    name: "forced pair lowers the total",
    problem: {
      scores: [
        [5, 1],
        [1, 5],
      ],
      forced: [[0, 1]],
    },
    expected: 2,
  },
  {
    name: "forced and forbidden",
    problem: { scores: [[5, 1]], forced: [[0, 1]], forbidden: [[0, 1]] },
    expected: "infeasible",
  },
  {
    name: "row minimum above its allowed columns",
    problem: { scores: [[1, 2]], rowMin: 2, rowMax: 2, forbidden: [[0, 0]] },
    expected: "infeasible",
  },
  {
    name: "column minimum above its allowed rows",
    problem: { scores: [[1], [1], [1]], colMin: 3, colMax: 3, forbidden: [[2, 0]] },
    expected: "infeasible",
  },
  {
    name: "sparse, capacities",
    problem: {
      pairs: { row: [0, 0, 1, 2], col: [0, 1, 0, 0], score: [4, 3, 5, 6] },
      rows: 3,
      cols: 2,
      colMax: [2, 1],
    },
    expected: 14,
  },
  { name: "empty", problem: { scores: [] }, expected: 0 },
];

describe("test oracles", () => {
  for (const { name, problem, expected } of examples) {
    it(`bruteForce and lpOracle solve "${name}"`, () => {
      for (const oracle of [bruteForce, lpOracle]) {
        const r = oracle(problem);
        if (expected === "infeasible") {
          expect(r.status).toBe("infeasible");
        } else {
          expect(r.status).toBe("optimal");
          if (r.status !== "optimal") return;
          expect(r.objective).toBeCloseTo(expected, 12);
          expect(evaluate(problem, r.pairs).problems).toEqual([]);
        }
      }
    });
  }

  it("bruteForce(problem) and lpOracle(problem) agree on tiny random problems", () => {
    fc.assert(
      fc.property(problemArb(), (problem) => {
        const b = bruteForce(problem);
        const l = lpOracle(problem);
        expect(l.status).toBe(b.status);
        if (b.status === "optimal" && l.status === "optimal") {
          // javascript-lp-solver ignores reduced costs below ~1e-9 (a 1e-9 score may be left out).
          expect(
            close(l.objective, b.objective) || Math.abs(l.objective - b.objective) <= 1e-7,
            `lp ${l.objective}, brute ${b.objective}`,
          ).toBe(true);
          if (problem.coverageFirst === true) expect(l.count).toBe(b.count);
          expect(evaluate(problem, b.pairs).feasible).toBe(true);
        }
      }),
      fcParams(400, 30_000),
    );
  });

  it("random tiny problems are a useful mix (feasible and infeasible both common)", () => {
    const sample = fc.sample(problemArb(), { numRuns: 400, seed: 42 });
    const infeasible = sample.filter((p) => bruteForce(p).status === "infeasible").length;
    expect(infeasible).toBeGreaterThan(20);
    expect(infeasible).toBeLessThan(300);
  });
});
