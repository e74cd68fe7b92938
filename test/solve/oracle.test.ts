/**
 * solveAssignment against the oracles: brute force on tiny problems, javascript-lp-solver on
 * somewhat larger ones. Objectives are compared, not pairings (optima tie).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solveAssignment, verifyCertificate } from "../../src/solve/index";
import type { AssignmentProblem, AssignmentResult } from "../../src/solve/types";
import { gridArb, problemArb, type SpecOptions } from "./arbitraries";
import { fcParams } from "./fc-params";
import { LP_TOL, expectDiagnosis, expectMatchesOracle, expectWellFormed } from "./helpers";
import { bruteForce } from "./oracles/brute";
import { lpOracle } from "./oracles/lp";

const tiny: SpecOptions = {};
const larger: SpecOptions = {
  maxRows: 8,
  maxCols: 6,
  maxCells: 48,
  maxBound: 4,
  maxForced: 3,
  maxForbidden: 6,
};

describe("solveAssignment vs brute force (tiny problems)", () => {
  it("solveAssignment(problem) has the brute-force status and objective", () => {
    fc.assert(
      fc.property(problemArb(tiny), (p) => {
        expectMatchesOracle(p, solveAssignment(p), bruteForce(p));
      }),
      fcParams(400),
    );
  });

  it("solveAssignment(problem) returns well-formed, primal-feasible results", () => {
    fc.assert(
      fc.property(problemArb(tiny), (p) => {
        expectWellFormed(p, solveAssignment(p));
      }),
      fcParams(300),
    );
  });

  it("verifyCertificate(problem, result).ok on every optimal result", () => {
    fc.assert(
      fc.property(problemArb(tiny), (p) => {
        const r = solveAssignment(p);
        if (r.status !== "optimal") return;
        const v = verifyCertificate(p, r);
        expect(v.problems).toEqual([]);
        expect(v.ok).toBe(true);
        expect(v.primalFeasible).toBe(true);
        expect(Math.abs(v.gap)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(r.objective)));
      }),
      fcParams(300),
    );
  });

  it("solveAssignment(problem).bound equals the objective when optimal", () => {
    fc.assert(
      fc.property(problemArb(tiny), (p) => {
        const r = solveAssignment(p);
        if (r.status !== "optimal") return;
        expect(Math.abs(r.bound - r.objective)).toBeLessThanOrEqual(
          1e-7 * (1 + Math.abs(r.objective)),
        );
      }),
      fcParams(200),
    );
  });

  it("infeasible results carry a diagnosis", () => {
    fc.assert(
      fc.property(problemArb(tiny), (p) => {
        const r = solveAssignment(p);
        if (r.status === "infeasible") expectDiagnosis(p, r);
      }),
      fcParams(300),
    );
  });
});

describe("solveAssignment vs javascript-lp-solver (up to 8x6, capacities)", () => {
  it("solveAssignment(problem) has the LP oracle's status and objective", () => {
    fc.assert(
      fc.property(problemArb(larger), (p) => {
        const r = solveAssignment(p);
        expectMatchesOracle(p, r, lpOracle(p), LP_TOL);
        expectWellFormed(p, r);
        if (r.status === "optimal") expect(verifyCertificate(p, r).ok).toBe(true);
      }),
      fcParams(120, 25_000),
    );
  });

  it("solveAssignment(problem) with float scores in [0, 1] and coverage-first matches the LP oracle", () => {
    fc.assert(
      fc.property(
        problemArb({ ...larger, scoreKinds: ["unit", "float"], coverageFirst: [true] }),
        (p) => {
          const r = solveAssignment(p);
          expectMatchesOracle(p, r, lpOracle(p), LP_TOL);
          if (r.status === "optimal") expect(verifyCertificate(p, r).ok).toBe(true);
        },
      ),
      fcParams(60, 20_000),
    );
  });
});

describe("solveAssignment with few candidates per row (pricing rounds)", () => {
  // "auto" keeps up to 12 candidates per row, so small problems never price; force it.
  const k = fc.integer({ min: 1, max: 3 });

  it("solveAssignment(problem, { candidatesPerRow }) has the brute-force status and objective", () => {
    fc.assert(
      fc.property(problemArb(tiny), k, (p, candidatesPerRow) => {
        const r = solveAssignment(p, { candidatesPerRow });
        expectMatchesOracle(p, r, bruteForce(p));
        expectWellFormed(p, r);
        if (r.status === "optimal") expect(verifyCertificate(p, r).ok).toBe(true);
      }),
      fcParams(300),
    );
  });

  it("solveAssignment(problem, { candidatesPerRow }) has the LP oracle's status and objective", () => {
    fc.assert(
      fc.property(problemArb(larger), k, (p, candidatesPerRow) => {
        const r = solveAssignment(p, { candidatesPerRow });
        expectMatchesOracle(p, r, lpOracle(p), LP_TOL);
        expectWellFormed(p, r);
        if (r.status === "optimal") expect(verifyCertificate(p, r).ok).toBe(true);
      }),
      fcParams(100, 25_000),
    );
  });

  it("solveAssignment(problem) with more than 12 columns (auto candidates) matches the LP oracle", () => {
    fc.assert(
      fc.property(
        problemArb({
          maxRows: 14,
          maxCols: 16,
          maxCells: 224,
          maxBound: 3,
          maxForced: 3,
          maxForbidden: 10,
          scoreKinds: ["ties", "int", "unit"],
        }).filter((p) => (p.cols ?? (p.scores as number[][] | undefined)?.[0]?.length ?? 0) > 12),
        (p) => {
          const r = solveAssignment(p);
          expectMatchesOracle(p, r, lpOracle(p), LP_TOL);
          if (r.status === "optimal") expect(verifyCertificate(p, r).ok).toBe(true);
        },
      ),
      fcParams(60, 25_000),
    );
  });
});

describe("solveAssignment stopped early (abort, time limit)", () => {
  /** A time_limit result's bound is valid: ≥ the optimum (max) or ≤ it (min). */
  function expectValidStop(p: AssignmentProblem, r: AssignmentResult, reason: string): void {
    const o = bruteForce(p);
    if (r.status !== "time_limit") {
      // Finishing before the first check is allowed; then the answer must be right.
      expectMatchesOracle(p, r, o);
      return;
    }
    expect(r.reason).toBe(reason);
    expectWellFormed(p, r);
    if (o.status !== "optimal") return;
    const max = (p.sense ?? "max") === "max";
    const slack = 1e-9 * (1 + Math.abs(o.objective));
    if (max) expect(r.bound).toBeGreaterThanOrEqual(o.objective - slack);
    else expect(r.bound).toBeLessThanOrEqual(o.objective + slack);
    if (r.feasible && p.coverageFirst !== true) {
      if (max) expect(r.objective).toBeLessThanOrEqual(o.objective + slack);
      else expect(r.objective).toBeGreaterThanOrEqual(o.objective - slack);
    }
  }

  it("solveAssignment(problem, { signal: aborted }) returns time_limit/aborted with a valid bound", () => {
    fc.assert(
      fc.property(problemArb(tiny), (p) => {
        const ac = new AbortController();
        ac.abort();
        expectValidStop(p, solveAssignment(p, { signal: ac.signal }), "aborted");
      }),
      fcParams(200),
    );
  });

  it("solveAssignment(problem, { timeLimitMs: 0 }) returns time_limit/time with a valid bound", () => {
    fc.assert(
      fc.property(problemArb(tiny), (p) => {
        expectValidStop(p, solveAssignment(p, { timeLimitMs: 0 }), "time");
      }),
      fcParams(200),
    );
  });

  it("solveAssignment(problem) is deterministic", () => {
    fc.assert(
      fc.property(problemArb(larger), (p) => {
        const a = solveAssignment(p);
        const b = solveAssignment(p);
        expect(b.status).toBe(a.status);
        expect(Array.from(b.pairs.row)).toEqual(Array.from(a.pairs.row));
        expect(Array.from(b.pairs.col)).toEqual(Array.from(a.pairs.col));
      }),
      fcParams(100),
    );
  });
});

describe("infeasibility diagnosis on hand-made problems", () => {
  const cases: { name: string; problem: AssignmentProblem; kind: string; index?: number }[] = [
    {
      name: "rowMin 2 but 1 allowed column",
      problem: { scores: [[1, 2]], rowMin: 2, rowMax: 2, forbidden: [[0, 1]] },
      kind: "row_min",
      index: 0,
    },
    {
      name: "column 1 needs 2 rows, 1 allowed",
      problem: {
        scores: [
          [1, 1],
          [1, 1],
        ],
        colMin: [0, 2],
        colMax: 2,
        forbidden: [[1, 1]],
      },
      kind: "col_min",
      index: 1,
    },
    {
      name: "3 rows need a column, 2 columns of capacity 1",
      problem: {
        scores: [
          [1, 1],
          [1, 1],
          [1, 1],
        ],
        rowMin: 1,
      },
      kind: "total",
    },
    {
      name: "forced and forbidden",
      problem: { scores: [[1, 1]], forced: [[0, 0]], forbidden: [[0, 0]] },
      kind: "forced",
    },
    {
      name: "two forced pairs in a row with rowMax 1",
      problem: {
        scores: [[1, 1]],
        forced: [
          [0, 0],
          [0, 1],
        ],
      },
      kind: "forced",
    },
  ];
  for (const { name, problem, kind, index } of cases) {
    it(`solveAssignment: ${name} → infeasible, kind "${kind}"`, () => {
      const r = solveAssignment(problem);
      expect(r.status).toBe("infeasible");
      if (r.status !== "infeasible") return;
      expectDiagnosis(problem, r);
      expect(r.diagnosis.kind).toBe(kind);
      if (index !== undefined) expect(r.diagnosis.index).toBe(index);
    });
  }
});

describe("why a row is unmatched", () => {
  // One place in every column but the first, whose places are plenty but whose pairs are worth
  // less than nothing: an unmatched row allowed there is "not_beneficial", any other "capacity"
  // (expectWellFormed checks each). With at least 8 columns and one with room, the reasons
  // look that column up in each row rather than reading the row (solve.ts, unmatchedRows).
  it("says 'capacity' and 'not_beneficial' exactly, with a column left with room", () => {
    let notBeneficial = 0;
    fc.assert(
      fc.property(
        gridArb({ rows: [10, 40], cols: [8, 16], score: [1, 5] }),
        ({ m, n, score, allowed }) => {
          const scores = Float64Array.from(score, (s, k) => (k % m === 0 ? -1 : s));
          const p: AssignmentProblem = {
            scores,
            allowed: Uint8Array.from(allowed, (a) => (a ? 1 : 0)),
            rows: n,
            cols: m,
            colMax: Int32Array.from({ length: m }, (_, j) => (j === 0 ? n : 1)),
          };
          const r = solveAssignment(p);
          expect(r.status).toBe("optimal");
          expectWellFormed(p, r);
          notBeneficial += r.unmatched.reason.filter((x) => x === "not_beneficial").length;
        },
      ),
      fcParams(100),
    );
    expect(notBeneficial).toBeGreaterThan(0);
  });
});
