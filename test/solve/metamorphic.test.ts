/**
 * Metamorphic properties: transform a problem in a way whose effect on the optimum is known, and
 * compare the engine with itself. No oracle, so the problems can be larger than brute force allows.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solveAssignment } from "../../src/solve/index";
import type { AssignmentResult } from "../../src/solve/types";
import {
  expandBoundSpec,
  problemSpecArb,
  toProblem,
  type BoundSpec,
  type ProblemSpec,
  type SpecOptions,
} from "./arbitraries";
import { fcParams } from "./fc-params";
import { expectWellFormed, pairsOf } from "./helpers";
import { evaluate } from "./oracles/model";

const medium: SpecOptions = {
  maxRows: 6,
  maxCols: 6,
  maxCells: 36,
  maxBound: 3,
  maxForced: 2,
  maxForbidden: 4,
};

function solve(s: ProblemSpec): AssignmentResult {
  return solveAssignment(toProblem(s));
}

/** 1e-9 of Σ|score| (scores may be floats; sums in a different order round differently). */
function tol(s: ProblemSpec, extra = 0): number {
  let t = 1 + extra;
  for (const x of s.scores) t += Math.abs(x);
  return 1e-9 * t;
}

function expectSameOptimum(a: AssignmentResult, b: AssignmentResult, t: number): void {
  expect(b.status).toBe(a.status);
  if (a.status === "optimal" && b.status === "optimal") {
    expect(
      Math.abs(a.objective - b.objective),
      `${a.objective} vs ${b.objective}`,
    ).toBeLessThanOrEqual(t);
  }
}

function setAt(b: BoundSpec, n: number, dflt: number, i: number, value: number): number[] {
  const out = expandBoundSpec(b, n, dflt);
  out[i] = value;
  return out;
}

/** Row i of the spec must get exactly k pairs. */
function fixRow(s: ProblemSpec, i: number, k: number): ProblemSpec {
  return {
    ...s,
    rowMin: setAt(s.rowMin, s.rows, 0, i, k),
    rowMax: setAt(s.rowMax, s.rows, 1, i, k),
  };
}

function permuteBound(b: BoundSpec, inv: readonly number[]): BoundSpec {
  return b === undefined || typeof b === "number" ? b : inv.map((old) => b[old]);
}

/** Row i moves to pr[i], column j to pc[j]. */
function permute(s: ProblemSpec, pr: readonly number[], pc: readonly number[]): ProblemSpec {
  const invR = new Array<number>(s.rows);
  pr.forEach((to, from) => (invR[to] = from));
  const invC = new Array<number>(s.cols);
  pc.forEach((to, from) => (invC[to] = from));
  const scores: number[] = [];
  const allowed: boolean[] = [];
  for (let i = 0; i < s.rows; i++) {
    for (let j = 0; j < s.cols; j++) {
      scores.push(s.scores[invR[i] * s.cols + invC[j]]);
      allowed.push(s.allowed[invR[i] * s.cols + invC[j]]);
    }
  }
  const move = ([i, j]: readonly [number, number]) => [pr[i], pc[j]] as const;
  return {
    ...s,
    scores,
    allowed,
    rowMin: permuteBound(s.rowMin, invR),
    rowMax: permuteBound(s.rowMax, invR),
    colMin: permuteBound(s.colMin, invC),
    colMax: permuteBound(s.colMax, invC),
    forced: s.forced.map(move),
    forbidden: s.forbidden.map(move),
  };
}

function transpose(s: ProblemSpec): ProblemSpec {
  const scores: number[] = [];
  const allowed: boolean[] = [];
  for (let j = 0; j < s.cols; j++) {
    for (let i = 0; i < s.rows; i++) {
      scores.push(s.scores[i * s.cols + j]);
      allowed.push(s.allowed[i * s.cols + j]);
    }
  }
  const flip = ([i, j]: readonly [number, number]) => [j, i] as const;
  return {
    ...s,
    rows: s.cols,
    cols: s.rows,
    scores,
    allowed,
    rowMin: s.colMin,
    rowMax: s.colMax,
    colMin: s.rowMin,
    colMax: s.rowMax,
    forced: s.forced.map(flip),
    forbidden: s.forbidden.map(flip),
  };
}

const permutationArb = (n: number) =>
  fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });

describe("metamorphic properties of solveAssignment", () => {
  it("adding c to every score of a row that must get k pairs shifts the objective by k·c", () => {
    fc.assert(
      fc.property(
        problemSpecArb(medium).filter((s) => s.rows > 0 && s.cols > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 2 }),
        // (Subnormal shifts are snapped to 0: a problem whose scores are all that small is outside
        // the supported scale, an input error; see numeric.test.ts.)
        fc.oneof(
          fc.integer({ min: -50, max: 50 }),
          fc.double({ min: -50, max: 50, noNaN: true }).map((x) => (Math.abs(x) < 1e-150 ? 0 : x)),
        ),
        (s0, pick, k0, c) => {
          const i = pick % s0.rows;
          const k = Math.min(k0, s0.cols);
          const s = fixRow(s0, i, k);
          const shifted: ProblemSpec = {
            ...s,
            scores: s.scores.map((x, cell) => (Math.floor(cell / s.cols) === i ? x + c : x)),
          };
          const a = solve(s);
          const b = solve(shifted);
          expect(b.status).toBe(a.status);
          if (a.status === "optimal" && b.status === "optimal") {
            const want = a.objective + k * c;
            expect(Math.abs(b.objective - want), `${b.objective} vs ${want}`).toBeLessThanOrEqual(
              tol(s, 2 * k * Math.abs(c) * s.cols),
            );
          }
        },
      ),
      fcParams(200),
    );
  });

  it("permuting rows and columns permutes the answer (same status and objective)", () => {
    fc.assert(
      fc.property(
        problemSpecArb(medium).chain((s) =>
          fc.tuple(fc.constant(s), permutationArb(s.rows), permutationArb(s.cols)),
        ),
        ([s, pr, pc]) => {
          const a = solve(s);
          const ps = permute(s, pr, pc);
          const b = solve(ps);
          expectSameOptimum(a, b, tol(s));
          if (b.status === "optimal") {
            // Mapped back, the permuted answer is an optimal answer of the original problem.
            const invR: number[] = [];
            pr.forEach((to, from) => (invR[to] = from));
            const invC: number[] = [];
            pc.forEach((to, from) => (invC[to] = from));
            const back = pairsOf(b).map(([i, j]) => [invR[i], invC[j]] as const);
            const ev = evaluate(toProblem(s), back);
            expect(ev.problems).toEqual([]);
            if (a.status === "optimal") {
              expect(Math.abs(ev.objective - a.objective)).toBeLessThanOrEqual(tol(s));
            }
          }
        },
      ),
      fcParams(200),
    );
  });

  it("duplicating a column with its capacity split in two leaves the optimum unchanged", () => {
    fc.assert(
      fc.property(
        problemSpecArb(medium).filter((s) => s.rows > 0 && s.cols > 0),
        fc.nat(),
        fc.integer({ min: 2, max: 4 }),
        fc.nat(),
        fc.nat(),
        (s0, pick, cap, splitDraw, minDraw) => {
          const j = pick % s0.cols;
          // Each row may take at most one pair, so no row could use both copies of the column;
          // forced pairs in column j cannot say which copy they mean, so there are none.
          const rowMin = expandBoundSpec(s0.rowMin, s0.rows, 0).map((x) => Math.min(x, 1));
          const lo = minDraw % (cap + 1);
          const s: ProblemSpec = {
            ...s0,
            rowMin,
            rowMax: 1,
            colMin: setAt(s0.colMin, s0.cols, 0, j, lo),
            colMax: setAt(s0.colMax, s0.cols, 1, j, cap),
            forced: s0.forced.filter(([, c]) => c !== j),
          };
          const a = 1 + (splitDraw % (cap - 1)); // 1 ≤ a ≤ cap − 1
          const b = cap - a;
          const lo1 = Math.min(lo, a);
          const lo2 = lo - lo1;
          const cols = s.cols + 1;
          const scores: number[] = [];
          const allowed: boolean[] = [];
          for (let i = 0; i < s.rows; i++) {
            for (let c = 0; c < s.cols; c++) {
              scores.push(s.scores[i * s.cols + c]);
              allowed.push(s.allowed[i * s.cols + c]);
            }
            scores.push(s.scores[i * s.cols + j]);
            allowed.push(s.allowed[i * s.cols + j]);
          }
          const colMin = expandBoundSpec(s.colMin, s.cols, 0);
          const colMax = expandBoundSpec(s.colMax, s.cols, 1);
          colMin[j] = lo1;
          colMax[j] = a;
          const split: ProblemSpec = {
            ...s,
            cols,
            scores,
            allowed,
            colMin: [...colMin, lo2],
            colMax: [...colMax, b],
            forbidden: [
              ...s.forbidden,
              ...s.forbidden.filter(([, c]) => c === j).map(([i]) => [i, s.cols] as const),
            ],
          };
          expectSameOptimum(solve(s), solve(split), tol(s, tol(s)));
        },
      ),
      fcParams(200),
    );
  });

  it("listing every forbidden pair twice changes nothing (dense, flat, sparse, scoreRow)", () => {
    fc.assert(
      fc.property(
        problemSpecArb(medium).filter((s) => s.forbidden.length > 0),
        (s) => {
          const twice: ProblemSpec = { ...s, forbidden: [...s.forbidden, ...s.forbidden] };
          expectSameOptimum(solve(s), solve(twice), tol(s));
        },
      ),
      fcParams(200),
    );
  });

  it("transposing a problem (bounds swapped) gives the same optimum", () => {
    fc.assert(
      fc.property(problemSpecArb({ ...medium, coverageFirst: [false, undefined] }), (s) => {
        expectSameOptimum(solve(s), solve(transpose(s)), tol(s));
      }),
      fcParams(200),
    );
  });

  it("transposing a problem with unit bounds gives the same optimum (coverage-first too)", () => {
    fc.assert(
      fc.property(problemSpecArb({ ...medium, bounds: false }), (s0) => {
        const s: ProblemSpec = { ...s0, rowMin: 1, rowMax: 1, colMin: 0, colMax: 1 };
        const square = s.rows <= s.cols ? s : { ...s, rowMin: 0, colMin: 1 };
        expectSameOptimum(solve(square), solve(transpose(square)), tol(s));
      }),
      fcParams(200),
    );
  });

  it("tightening a bound to the optimal answer's own load leaves the optimum unchanged", () => {
    fc.assert(
      fc.property(problemSpecArb(medium), fc.nat(), fc.boolean(), (s, pick, onRow) => {
        const a = solve(s);
        fc.pre(a.status === "optimal" && (onRow ? s.rows : s.cols) > 0);
        const pairs = pairsOf(a);
        let t: ProblemSpec;
        if (onRow) {
          const i = pick % s.rows;
          const load = pairs.filter(([r]) => r === i).length;
          t = {
            ...s,
            rowMin: setAt(s.rowMin, s.rows, 0, i, load),
            rowMax: setAt(s.rowMax, s.rows, 1, i, load),
          };
        } else {
          const j = pick % s.cols;
          const load = pairs.filter(([, c]) => c === j).length;
          t = {
            ...s,
            colMin: setAt(s.colMin, s.cols, 0, j, load),
            colMax: setAt(s.colMax, s.cols, 1, j, load),
          };
        }
        expectSameOptimum(a, solve(t), tol(s));
      }),
      fcParams(200),
    );
  });

  it("fixing a row at its minimum keeps an infeasible problem infeasible", () => {
    fc.assert(
      fc.property(problemSpecArb(medium), fc.nat(), (s, pick) => {
        fc.pre(s.rows > 0 && solve(s).status === "infeasible");
        const i = pick % s.rows;
        const lo = expandBoundSpec(s.rowMin, s.rows, 0)[i];
        // The feasible set can only shrink.
        expect(solve(fixRow(s, i, lo)).status).toBe("infeasible");
      }),
      fcParams(100),
    );
  });

  it("scaling every score by c > 0 scales the objective by c", () => {
    fc.assert(
      fc.property(problemSpecArb(medium), fc.constantFrom(0.5, 2, 3, 1 / 3, 7.25, 1000), (s, c) => {
        const a = solve(s);
        const b = solve({ ...s, scores: s.scores.map((x) => x * c) });
        expect(b.status).toBe(a.status);
        if (a.status === "optimal" && b.status === "optimal") {
          expect(Math.abs(b.objective - c * a.objective)).toBeLessThanOrEqual(c * tol(s) * 10);
          if (s.coverageFirst === true) expect(b.pairs.row.length).toBe(a.pairs.row.length);
        }
      }),
      fcParams(200),
    );
  });

  it("the number of candidates per row does not change the optimum (pricing), up to 30x25", () => {
    fc.assert(
      fc.property(
        problemSpecArb({
          maxRows: 30,
          maxCols: 25,
          maxCells: 750,
          maxBound: 4,
          maxForced: 4,
          maxForbidden: 20,
        }),
        fc.integer({ min: 1, max: 4 }),
        (s, k) => {
          const p = toProblem(s);
          const all = solveAssignment(p, { candidatesPerRow: Math.max(1, s.cols) });
          expectSameOptimum(all, solveAssignment(p, { candidatesPerRow: k }), tol(s));
          expectSameOptimum(all, solveAssignment(p), tol(s));
        },
      ),
      fcParams(60, 20_000),
    );
  });

  it("every result of the metamorphic problems is well formed", () => {
    fc.assert(
      fc.property(problemSpecArb(medium), (s) => {
        expectWellFormed(toProblem(s), solve(s));
      }),
      fcParams(150),
    );
  });
});
