/**
 * Coverage-first is lexicographic in ROWS covered (a row with at least one pair), then the total
 * score among the answers that cover that many (docs/ENGINE.md, "Coverage-first"). Checked
 * against an enumeration of every feasible answer of tiny problems, written here from the
 * contract alone (not the engine's augmented problem), and the certificate against tampering.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solveAssignment, verifyCertificate } from "../../src/solve/index";
import type { AssignmentProblem, OptimalResult } from "../../src/solve/types";
import { problemArb } from "./arbitraries";
import { fcParams } from "./fc-params";
import { allFeasible } from "./oracles/brute";
import { normalize } from "./oracles/model";
import { scoreScale, withDuals } from "./helpers";

/** Every feasible answer: the most rows covered, and the best total among those. */
function bruteCoverage(p: AssignmentProblem): { rows: number; best: number } | undefined {
  const n = normalize(p);
  const answers = allFeasible(n);
  if (answers.length === 0) return undefined;
  const sign = n.sense === "max" ? 1 : -1;
  let rows = -1;
  let best = -Infinity; // in the max sense
  for (const a of answers) {
    const covered = new Set(a.map(([i]) => i)).size;
    let total = 0;
    for (const [i, j] of a) total += n.pairScore[n.pairAt.get(i * n.cols + j)!];
    if (covered > rows) {
      rows = covered;
      best = sign * total;
    } else if (covered === rows && sign * total > best) best = sign * total;
  }
  return { rows, best: sign * best };
}

const tiny = problemArb({
  maxRows: 4,
  maxCols: 3,
  maxCells: 12,
  maxBound: 2,
  scoreKinds: ["ties", "int", "float"],
  senses: ["max", "min"],
  coverageFirst: [true],
  maxForced: 2,
  maxForbidden: 3,
});

function expectCoverageOptimum(p: AssignmentProblem): void {
  const r = solveAssignment(p);
  const o = bruteCoverage(p);
  if (!o) {
    expect(r.status).toBe("infeasible");
    return;
  }
  expect(r.status).toBe("optimal");
  if (r.status !== "optimal") return;
  const covered = new Set(r.pairs.row).size;
  expect(covered, "rows covered = the most possible").toBe(o.rows);
  expect(r.certificate.coverage?.count).toBe(o.rows);
  expect(
    Math.abs(r.objective - o.best) <= 1e-9 * scoreScale(p),
    `objective ${r.objective}, best with ${o.rows} rows covered ${o.best}`,
  ).toBe(true);
  const v = verifyCertificate(p, r);
  expect(v.problems).toEqual([]);
  expect(v.ok).toBe(true);
}

describe("coverage-first covers the most rows, then the best total (brute force)", () => {
  it("issue 11: a two-mentor row does not take both columns while another row goes without", () => {
    const p: AssignmentProblem = {
      scores: [
        [10, 1],
        [1, 0],
      ],
      rowMax: [2, 1],
      forbidden: [[1, 1]],
      coverageFirst: true,
    };
    const r = solveAssignment(p);
    expect(r.status).toBe("optimal");
    expect(Array.from(r.pairs.row)).toEqual([0, 1]);
    expect(Array.from(r.pairs.col)).toEqual([1, 0]);
    expect(r.objective).toBe(2);
    expectCoverageOptimum(p);
    expectCoverageOptimum({ ...p, sense: "min" });
  });

  it("solveAssignment(coverageFirst) = the brute-force lexicographic optimum, and verifies", () => {
    fc.assert(fc.property(tiny, expectCoverageOptimum), fcParams(600, 40_000));
  });
});

describe("verifyCertificate checks the coverage proof", () => {
  const solved = tiny
    .map((p) => ({ p, r: solveAssignment(p) }))
    .filter((x): x is { p: AssignmentProblem; r: OptimalResult } => x.r.status === "optimal");

  it("a count one too high (or low) is rejected", () => {
    fc.assert(
      fc.property(solved, fc.boolean(), ({ p, r }, lower) => {
        const t = withDuals(r, (c) => {
          c.coverage!.count += lower ? -1 : 1;
        });
        expect(verifyCertificate(p, t).ok).toBe(false);
      }),
      fcParams(200),
    );
  });

  it("a count one too high with the duals of a problem where it would hold is rejected", () => {
    // Two rows, one column: one row can be covered. Claiming 2 with the first proof's duals.
    const p: AssignmentProblem = { scores: [[1], [2]], coverageFirst: true };
    const r = solveAssignment(p);
    if (r.status !== "optimal") throw new Error(r.status);
    expect(r.certificate.coverage?.count).toBe(1);
    const t = withDuals(r, (c) => {
      c.coverage!.count = 2;
    });
    const v = verifyCertificate(p, t);
    expect(v.ok).toBe(false);
    expect(v.problems.join(" ")).toMatch(/covers 1 rows, but the certificate claims 2/);
  });

  it("coverage duals of 0 prove nothing when some row must stay uncovered", () => {
    fc.assert(
      fc.property(solved, ({ p, r }) => {
        const n = normalize(p);
        const coverable = n.rowMax.filter((h) => h >= 1).length;
        fc.pre(r.certificate.coverage!.count < coverable);
        const t = withDuals(r, (c) => {
          const cov = c.coverage!;
          cov.rowDual.fill(0);
          cov.colDual.fill(0);
          cov.uncoveredDual = 0;
        });
        const v = verifyCertificate(p, t);
        expect(v.ok).toBe(false);
        expect(v.problems.join(" ")).toMatch(/coverage proof bounds the rows covered/);
      }),
      fcParams(200),
    );
  });
});
