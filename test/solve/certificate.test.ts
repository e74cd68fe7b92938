/**
 * verifyCertificate must reject tampered results: changed duals, dropped / added / swapped pairs,
 * a wrong objective, and any suboptimal answer whatever duals come with it (weak duality).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solveAssignment, verifyCertificate } from "../../src/solve/index";
import type { AssignmentProblem, OptimalResult } from "../../src/solve/types";
import { problemArb } from "./arbitraries";
import { fcParams } from "./fc-params";
import { pairsOf, scoreScale, withDuals, withPairs, type PairList } from "./helpers";
import { allFeasible, bruteForceNormalized } from "./oracles/brute";
import { normalize } from "./oracles/model";

/** Problems with an optimal answer, and that answer. */
const solvedArb = problemArb({ maxForbidden: 4 })
  .map((p) => ({ p, r: solveAssignment(p) }))
  .filter((x): x is { p: AssignmentProblem; r: OptimalResult } => x.r.status === "optimal");

/** A shift far larger than anything in the problem or its duals. */
function hugeShift(p: AssignmentProblem, r: OptimalResult): number {
  let m = scoreScale(p);
  for (const d of r.certificate.rowDual) m += Math.abs(d);
  for (const d of r.certificate.colDual) m += Math.abs(d);
  return 1000 * m;
}

function forcedPerRow(p: AssignmentProblem): number[] {
  const n = normalize(p);
  const f = new Array<number>(n.rows).fill(0);
  for (const k of n.forced) f[n.pairRow[k]]++;
  return f;
}

function forcedPerCol(p: AssignmentProblem): number[] {
  const n = normalize(p);
  const f = new Array<number>(n.cols).fill(0);
  for (const k of n.forced) f[n.pairCol[k]]++;
  return f;
}

function expectRejected(p: AssignmentProblem, tampered: OptimalResult): void {
  const v = verifyCertificate(p, tampered);
  expect(v.ok).toBe(false);
  expect(v.problems.length).toBeGreaterThan(0);
}

describe("verifyCertificate rejects changed duals", () => {
  it("raising a row dual (row with room left after forced pairs) moves the bound", () => {
    fc.assert(
      fc.property(solvedArb, fc.nat(), ({ p, r }, pick) => {
        const n = normalize(p);
        const f = forcedPerRow(p);
        const rows = [...Array(n.rows).keys()].filter((i) => n.rowMax[i] - f[i] >= 1);
        fc.pre(rows.length > 0);
        const i = rows[pick % rows.length];
        const t = withDuals(r, (c) => {
          c.rowDual[i] += hugeShift(p, r);
        });
        const v = verifyCertificate(p, t);
        expect(v.ok).toBe(false);
        expect(v.gap).toBeGreaterThan(0);
      }),
      fcParams(200),
    );
  });

  it("raising a column dual (column with room left after forced pairs) moves the bound", () => {
    fc.assert(
      fc.property(solvedArb, fc.nat(), ({ p, r }, pick) => {
        const n = normalize(p);
        const f = forcedPerCol(p);
        const cols = [...Array(n.cols).keys()].filter((j) => n.colMax[j] - f[j] >= 1);
        fc.pre(cols.length > 0);
        const j = cols[pick % cols.length];
        const t = withDuals(r, (c) => {
          c.colDual[j] += hugeShift(p, r);
        });
        const v = verifyCertificate(p, t);
        expect(v.ok).toBe(false);
        expect(v.gap).toBeGreaterThan(0);
      }),
      fcParams(200),
    );
  });

  it("lowering a row dual far (row with a free allowed pair, no lower bound) makes a pair dual-infeasible", () => {
    fc.assert(
      fc.property(solvedArb, fc.nat(), ({ p, r }, pick) => {
        const n = normalize(p);
        const forced = new Set(n.forced);
        const free = new Array<number>(n.rows).fill(0);
        n.pairRow.forEach((i, k) => {
          if (!forced.has(k)) free[i]++;
        });
        const f = forcedPerRow(p);
        const rows = [...Array(n.rows).keys()].filter(
          (i) => free[i] > 0 && n.rowMin[i] - f[i] <= 0,
        );
        fc.pre(rows.length > 0);
        const i = rows[pick % rows.length];
        const t = withDuals(r, (c) => {
          c.rowDual[i] -= hugeShift(p, r);
        });
        expect(verifyCertificate(p, t).ok).toBe(false);
      }),
      fcParams(200),
    );
  });

  it("coverage-first: a changed coverage count or coverage dual is rejected", () => {
    fc.assert(
      fc.property(
        problemArb({ coverageFirst: [true] })
          .map((p) => ({ p, r: solveAssignment(p) }))
          .filter((x): x is { p: AssignmentProblem; r: OptimalResult } => x.r.status === "optimal"),
        fc.boolean(),
        ({ p, r }, lower) => {
          expect(r.certificate.coverage).toBeDefined();
          // The count is of rows covered (a row with two pairs counts once).
          expect(r.certificate.coverage?.count).toBe(new Set(r.pairs.row).size);
          // Claiming more rows covered than the answer has (or fewer) cannot verify.
          const t = withDuals(r, (c) => {
            if (c.coverage) c.coverage.count += lower ? -1 : 1;
          });
          expectRejected(p, t);
        },
      ),
      fcParams(150),
    );
  });
});

describe("verifyCertificate rejects changed pairs", () => {
  it("dropping a pair, objective left as claimed, is an objective mismatch", () => {
    fc.assert(
      fc.property(solvedArb, fc.nat(), ({ p, r }, pick) => {
        const pairs = pairsOf(r);
        fc.pre(pairs.length > 0);
        const n = normalize(p);
        const k = pick % pairs.length;
        const [i, j] = pairs[k];
        const s = n.pairScore[n.pairAt.get(i * n.cols + j)!];
        fc.pre(Math.abs(s) > 1e-6);
        const t = withPairs(
          p,
          r,
          pairs.filter((_, q) => q !== k),
          r.objective,
        );
        expectRejected(p, t);
      }),
      fcParams(200),
    );
  });

  it("dropping a pair (objective recomputed) is suboptimal or infeasible", () => {
    fc.assert(
      fc.property(solvedArb, fc.nat(), ({ p, r }, pick) => {
        const pairs = pairsOf(r);
        fc.pre(pairs.length > 0);
        const n = normalize(p);
        const k = pick % pairs.length;
        const [i, j] = pairs[k];
        const s = n.pairScore[n.pairAt.get(i * n.cols + j)!];
        // Coverage-first: dropping a row's only pair uncovers it (a row's second pair of score 0
        // may go without changing anything proven).
        const only = pairs.filter(([q]) => q === i).length === 1;
        fc.pre(Math.abs(s) > 1e-6 || (p.coverageFirst === true && only));
        expectRejected(
          p,
          withPairs(
            p,
            r,
            pairs.filter((_, q) => q !== k),
          ),
        );
      }),
      fcParams(200),
    );
  });

  it("adding an allowed pair (objective recomputed) is suboptimal or infeasible", () => {
    fc.assert(
      fc.property(solvedArb, fc.nat(), ({ p, r }, pick) => {
        const n = normalize(p);
        const pairs = pairsOf(r);
        const used = new Set(pairs.map(([i, j]) => i * n.cols + j));
        const covered = new Set(pairs.map(([i]) => i));
        // Coverage-first: a pair of score 0 changes the proven count only on a row not covered.
        const extra = [...n.pairAt.entries()].filter(
          ([key, k]) =>
            !used.has(key) &&
            (Math.abs(n.pairScore[k]) > 1e-6 ||
              (p.coverageFirst === true && !covered.has(Math.floor(key / n.cols)))),
        );
        fc.pre(extra.length > 0);
        const [key] = extra[pick % extra.length];
        const added: PairList = [...pairs, [Math.floor(key / n.cols), key % n.cols]];
        expectRejected(p, withPairs(p, r, added));
      }),
      fcParams(200),
    );
  });

  it("moving a pair onto a forbidden cell is primal infeasible", () => {
    fc.assert(
      fc.property(solvedArb, fc.nat(), fc.nat(), ({ p, r }, a, b) => {
        const pairs = pairsOf(r);
        const forbidden = p.forbidden ?? [];
        fc.pre(pairs.length > 0 && forbidden.length > 0);
        const k = a % pairs.length;
        const [fi, fj] = forbidden[b % forbidden.length];
        const moved: PairList = pairs.map((x, q) => (q === k ? [fi, fj] : x));
        const v = verifyCertificate(p, withPairs(p, r, moved));
        expect(v.ok).toBe(false);
        expect(v.primalFeasible).toBe(false);
      }),
      fcParams(200),
    );
  });

  it("a claimed objective off by 1 is rejected", () => {
    fc.assert(
      fc.property(solvedArb, fc.boolean(), ({ p, r }, up) => {
        const t = { ...r, objective: r.objective + (up ? 1 : -1), bound: r.bound + (up ? 1 : -1) };
        expectRejected(p, t);
      }),
      fcParams(100),
    );
  });

  it("a pair outside the matrix is rejected (not thrown)", () => {
    const p: AssignmentProblem = {
      scores: [
        [1, 2],
        [3, 4],
      ],
    };
    const r = solveAssignment(p);
    expect(r.status).toBe("optimal");
    if (r.status !== "optimal") return;
    const t = withPairs(p, r, [...pairsOf(r), [5, 0]]);
    const v = verifyCertificate(p, t);
    expect(v.ok).toBe(false);
    expect(v.primalFeasible).toBe(false);
  });
});

describe("verifyCertificate is sound: no duals prove a suboptimal answer", () => {
  it("every feasible suboptimal answer fails with the optimal duals", () => {
    fc.assert(
      fc.property(solvedArb, ({ p, r }) => {
        const n = normalize(p);
        fc.pre(n.pairRow.length - n.forced.length <= 12);
        const best = bruteForceNormalized(n);
        if (best.status !== "optimal") throw new Error("oracle disagrees on feasibility");
        const sign = n.sense === "max" ? 1 : -1;
        const tol = 1e-6 * scoreScale(p);
        for (const answer of allFeasible(n, 12)) {
          const t = withPairs(p, r, answer);
          const worse = n.coverageFirst
            ? answer.length < best.count ||
              (answer.length === best.count && sign * (t.objective - best.objective) < -tol)
            : sign * (t.objective - best.objective) < -tol;
          if (!worse) continue;
          const v = verifyCertificate(p, t);
          expect(v.ok, `suboptimal answer ${JSON.stringify(answer)} verified`).toBe(false);
        }
      }),
      fcParams(120),
    );
  });

  it("verifyCertificate's gap is ≥ 0 for the optimal pairs and random duals (weak duality)", () => {
    fc.assert(
      fc.property(
        solvedArb,
        fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 12, maxLength: 12 }),
        ({ p, r }, noise) => {
          const t = withDuals(r, (c) => {
            let q = 0;
            for (let i = 0; i < c.rowDual.length; i++) c.rowDual[i] = noise[q++ % noise.length];
            for (let j = 0; j < c.colDual.length; j++) c.colDual[j] = noise[q++ % noise.length];
            if (c.uncoveredDual !== undefined) c.uncoveredDual = noise[q++ % noise.length];
          });
          const v = verifyCertificate(p, t);
          expect(v.gap).toBeGreaterThanOrEqual(-1e-9 * (scoreScale(p) + 1000));
        },
      ),
      fcParams(300),
    );
  });

  it("forced pairs: duals that would cancel a forced pair's score do not prove a worse answer", () => {
    // Optimum 10: both columns (rowMax 2). The answer {(0,0)} scores 0. With u = (10), v = (0, 0)
    // a bound that subtracts u + v on forced pairs AND uses bounds net of forced pairs would
    // give 10 − 10 + 0 = 0 and wrongly "prove" it.
    const p: AssignmentProblem = { scores: [[0, 10]], rowMax: 2, forced: [[0, 0]] };
    const r = solveAssignment(p);
    expect(r.status).toBe("optimal");
    if (r.status !== "optimal") return;
    expect(r.objective).toBe(10);
    expect(verifyCertificate(p, r).ok).toBe(true);
    for (const u of [0, 5, 10, 20]) {
      for (const v0 of [-10, 0, 10]) {
        const t = withDuals(withPairs(p, r, [[0, 0]]), (c) => {
          c.rowDual[0] = u;
          c.colDual[0] = v0;
          c.colDual[1] = 0;
        });
        expect(verifyCertificate(p, t).ok, `u=${u}, v0=${v0}`).toBe(false);
      }
    }
  });

  it("an infeasible result never verifies", () => {
    const p: AssignmentProblem = { scores: [[1, 1]], forced: [[0, 0]], forbidden: [[0, 0]] };
    const r = solveAssignment(p);
    expect(r.status).toBe("infeasible");
    expect(verifyCertificate(p, r).ok).toBe(false);
  });
});
