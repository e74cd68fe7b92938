/**
 * Only invalid input throws, and it throws `InputError` naming the field. Well-formed but
 * infeasible problems are a status (see oracle.test.ts), never an exception.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/schema/errors";
import { solveAssignment } from "../../src/solve/index";
import type { AssignmentProblem } from "../../src/solve/types";
import { problemArb } from "./arbitraries";
import { fcParams } from "./fc-params";

/** Cast for inputs the types already forbid (JavaScript callers can still pass them). */
const raw = (p: unknown) => p as AssignmentProblem;

const flat2x2 = { scores: new Float64Array([1, 2, 3, 4]), rows: 2, cols: 2 };
const sparse = {
  pairs: { row: [0, 1], col: [1, 0], score: [1, 2] },
  rows: 2,
  cols: 2,
};

const cases: { name: string; problem: AssignmentProblem; mentions: RegExp }[] = [
  // Scores
  { name: "NaN score (dense)", problem: { scores: [[1, NaN]] }, mentions: /scores/ },
  { name: "−Infinity score (dense)", problem: { scores: [[1], [-Infinity]] }, mentions: /scores/ },
  { name: "+Infinity score (dense)", problem: { scores: [[Infinity, 1]] }, mentions: /scores/ },
  {
    name: "NaN score (flat)",
    problem: { ...flat2x2, scores: new Float64Array([1, NaN, 3, 4]) },
    mentions: /scores/,
  },
  {
    name: "+Infinity score in a cell that is not allowed (flat)",
    problem: {
      ...flat2x2,
      scores: new Float64Array([1, Infinity, 3, 4]),
      allowed: new Uint8Array([1, 0, 1, 1]),
    },
    mentions: /scores/,
  },
  {
    name: "−Infinity score (sparse)",
    problem: { ...sparse, pairs: { ...sparse.pairs, score: [1, -Infinity] } },
    mentions: /pairs|score/,
  },
  { name: "a non-number score", problem: raw({ scores: [[1, "2"]] }), mentions: /scores/ },
  { name: "a null score", problem: raw({ scores: [[1, null]] }), mentions: /scores/ },
  // Shapes
  { name: "ragged matrix", problem: { scores: [[1, 2], [3]] }, mentions: /scores/ },
  { name: "1-D scores", problem: raw({ scores: [1, 2, 3] }), mentions: /scores/ },
  {
    name: "flat scores with rows * cols ≠ length",
    problem: { scores: new Float64Array(5), rows: 2, cols: 3 },
    mentions: /scores|rows|cols/,
  },
  {
    name: "flat scores without rows and cols",
    problem: { scores: new Float64Array(4) },
    mentions: /rows|cols/,
  },
  {
    name: "negative rows",
    problem: { scores: new Float64Array(0), rows: -1, cols: 0 },
    mentions: /rows/,
  },
  {
    name: "fractional cols",
    problem: { scores: new Float64Array(3), rows: 2, cols: 1.5 },
    mentions: /cols/,
  },
  {
    name: "allowed mask with a value other than 0 or 1",
    problem: { ...flat2x2, allowed: new Uint8Array([1, 0, 255, 1]) },
    mentions: /allowed.*2|1 \(allowed\)/,
  },
  {
    name: "scoreRow without rows and cols",
    problem: { scoreRow: () => {} },
    mentions: /scoreRow|rows/,
  },
  {
    name: "scoreRow that is not a function",
    problem: raw({ scoreRow: 3, rows: 1, cols: 1 }),
    mentions: /scoreRow/,
  },
  {
    name: "scoreRow leaving an allowed score unset",
    problem: { scoreRow: (i: number, s: Float64Array) => void (s[0] = i), rows: 2, cols: 2 },
    mentions: /scoreRow.*1|not set/,
  },
  {
    name: "scoreRow giving −Infinity",
    problem: { scoreRow: (_i: number, s: Float64Array) => s.fill(-Infinity), rows: 1, cols: 1 },
    mentions: /scoreRow|Infinity/,
  },
  {
    name: "scoreRow marking a pair allowed with 2",
    problem: {
      scoreRow: (_i: number, s: Float64Array, a: Uint8Array) => (s.fill(1), a.fill(2)),
      rows: 1,
      cols: 1,
    },
    mentions: /allowed/,
  },
  {
    name: "an allowed mask with scoreRow (which marks pairs itself)",
    problem: {
      scoreRow: (_i: number, s: Float64Array) => s.fill(1),
      rows: 1,
      cols: 2,
      allowed: Uint8Array.of(0, 1),
    },
    mentions: /allowed/,
  },
  {
    name: "an allowed mask with sparse pairs",
    problem: { ...sparse, allowed: Uint8Array.of(1, 1, 1, 1) },
    mentions: /allowed/,
  },
  {
    name: "both scores and scoreRow",
    problem: { scores: [[1]], scoreRow: () => {}, rows: 1, cols: 1 },
    mentions: /exactly one/,
  },
  {
    name: "allowed mask of the wrong length",
    problem: { ...flat2x2, allowed: new Uint8Array(3) },
    mentions: /allowed/,
  },
  {
    name: "row bound array of the wrong length",
    problem: {
      scores: [
        [1, 2],
        [3, 4],
      ],
      rowMax: [1],
    },
    mentions: /rowMax/,
  },
  {
    name: "column bound array of the wrong length",
    problem: {
      scores: [
        [1, 2],
        [3, 4],
      ],
      colMin: [0, 0, 0],
    },
    mentions: /colMin/,
  },
  {
    name: "both scores and pairs",
    problem: { scores: [[1]], pairs: sparse.pairs },
    mentions: /scores|pairs/,
  },
  {
    name: "neither scores nor pairs",
    problem: raw({ rows: 1, cols: 1 }),
    mentions: /scores|pairs/,
  },
  // Bounds
  { name: "negative rowMax", problem: { scores: [[1]], rowMax: -1 }, mentions: /rowMax/ },
  { name: "negative colMin", problem: { scores: [[1]], colMin: [-1] }, mentions: /colMin/ },
  { name: "NaN rowMin", problem: { scores: [[1]], rowMin: NaN }, mentions: /rowMin/ },
  { name: "fractional colMax", problem: { scores: [[1]], colMax: 1.5 }, mentions: /colMax/ },
  {
    name: "fractional bound in a per-row array",
    problem: { scores: [[1], [2]], rowMax: [1, 0.5] },
    mentions: /rowMax/,
  },
  {
    name: "rowMin > rowMax",
    problem: { scores: [[1, 2]], rowMin: 2, rowMax: 1 },
    mentions: /rowMin|rowMax/,
  },
  {
    name: "colMin > colMax for one column",
    problem: {
      scores: [
        [1, 2],
        [3, 4],
      ],
      colMin: [0, 3],
      colMax: 2,
    },
    mentions: /colMin|colMax/,
  },
  // Pair indices
  {
    name: "forced pair out of range",
    problem: { scores: [[1, 2]], forced: [[0, 2]] },
    mentions: /forced/,
  },
  {
    name: "forced pair with a negative index",
    problem: { scores: [[1, 2]], forced: [[-1, 0]] },
    mentions: /forced/,
  },
  {
    name: "forced pair with a non-integer index",
    problem: { scores: [[1, 2]], forced: [[0, 0.5]] },
    mentions: /forced/,
  },
  {
    name: "forbidden pair out of range",
    problem: { scores: [[1, 2]], forbidden: [[1, 0]] },
    mentions: /forbidden/,
  },
  {
    name: "forbidden pair with a NaN index",
    problem: { scores: [[1, 2]], forbidden: [[0, NaN]] },
    mentions: /forbidden/,
  },
  {
    name: "sparse pair row out of range",
    problem: { ...sparse, pairs: { ...sparse.pairs, row: [0, 2] } },
    mentions: /pairs|row/,
  },
  {
    name: "sparse pair with a non-integer column",
    problem: { ...sparse, pairs: { ...sparse.pairs, col: [1, 0.25] } },
    mentions: /pairs|col/,
  },
  {
    name: "sparse pair arrays of different lengths",
    problem: { ...sparse, pairs: { row: [0, 1], col: [1], score: [1, 2] } },
    mentions: /pairs/,
  },
  {
    name: "duplicate sparse pairs",
    problem: { pairs: { row: [0, 1, 0], col: [1, 0, 1], score: [1, 2, 3] }, rows: 2, cols: 2 },
    mentions: /pairs|duplicate/i,
  },
  // Options
  { name: "unknown sense", problem: raw({ scores: [[1]], sense: "maximize" }), mentions: /sense/ },
];

describe("solveAssignment throws InputError on invalid input", () => {
  for (const { name, problem, mentions } of cases) {
    it(`solveAssignment rejects ${name}`, () => {
      let error: unknown;
      try {
        solveAssignment(problem);
      } catch (e) {
        error = e;
      }
      expect(error, "throws").toBeInstanceOf(InputError);
      const e = error as InputError;
      expect(e.issues.length).toBeGreaterThan(0);
      for (const issue of e.issues) expect(issue.message.length).toBeGreaterThan(10);
      expect(e.message).toMatch(mentions);
    });
  }

  it("InputError collects every issue at once", () => {
    try {
      solveAssignment({ scores: [[NaN, 1]], rowMax: -1, forced: [[0, 9]] });
      expect.unreachable("should throw");
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues.length).toBeGreaterThanOrEqual(3);
    }
  });

  it("a bad allowed mask and a bad score are reported together", () => {
    try {
      solveAssignment({
        scores: new Float64Array([1, NaN, 3, 4]),
        rows: 2,
        cols: 2,
        allowed: Uint8Array.of(1, 1, 2, 1),
      });
      expect.unreachable("should throw");
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const codes = (e as InputError).issues.map((i) => i.code);
      expect(codes).toContain("invalid_allowed");
      expect(codes).toContain("invalid_score");
    }
  });
});

describe("solveAssignment does not throw on valid input", () => {
  it("solveAssignment(problem) never throws on well-formed random problems (infeasible ones included)", () => {
    fc.assert(
      fc.property(problemArb(), (p) => {
        const r = solveAssignment(p);
        expect(["optimal", "infeasible"]).toContain(r.status);
      }),
      fcParams(300),
    );
  });

  it("an infinite bound is not needed: large finite bounds are fine", () => {
    const r = solveAssignment({ scores: [[1, 2]], rowMax: 1000, colMax: 1000 });
    expect(r.status).toBe("optimal");
    expect(r.objective).toBe(3);
  });

  it("a forced pair that is also forbidden is infeasible, not an error", () => {
    const r = solveAssignment({ scores: [[1]], forced: [[0, 0]], forbidden: [[0, 0]] });
    expect(r.status).toBe("infeasible");
  });

  it("rowMin above the default rowMax is a bound conflict the engine must report (error or infeasible), not crash", () => {
    let r: unknown;
    try {
      r = solveAssignment({ scores: [[1, 2]], rowMin: 2 });
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return;
    }
    expect((r as { status: string }).status).toBe("infeasible");
  });
});
