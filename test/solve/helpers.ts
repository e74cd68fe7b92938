/**
 * Checks on engine results that do not trust the engine: pairs are re-evaluated against the
 * problem with the oracles' own reading of the contract (oracles/model.ts).
 */
import { expect } from "vitest";
import type {
  AssignmentProblem,
  AssignmentResult,
  OptimalResult,
  UnmatchedReason,
} from "../../src/solve/types";
import { close, evaluate, normalize, type OracleResult } from "./oracles/model";

export type PairList = (readonly [number, number])[];

export function pairsOf(r: AssignmentResult): PairList {
  const out: PairList = [];
  for (let k = 0; k < r.pairs.row.length; k++) out.push([r.pairs.row[k], r.pairs.col[k]]);
  return out;
}

/** A scale for float tolerances: 1 + Σ |score| over the allowed pairs. */
export function scoreScale(p: AssignmentProblem): number {
  let s = 1;
  for (const x of normalize(p).pairScore) s += Math.abs(x);
  return s;
}

/** |a − b| within 1e-9 of the problem's score scale. */
export function closeIn(p: AssignmentProblem, a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * scoreScale(p);
}

const REASONS: readonly UnmatchedReason[] = ["no_allowed_pairs", "capacity", "not_beneficial"];
const KINDS = ["row_min", "col_min", "total", "forced"];

/**
 * Invariants every result must satisfy, whatever its status: pairs sorted by row then column,
 * `objective` is their score sum, `unmatched` lists exactly the rows without a pair (with
 * "no_allowed_pairs" exactly for rows without an allowed column), and an optimal answer is
 * primal feasible.
 */
export function expectWellFormed(p: AssignmentProblem, r: AssignmentResult): void {
  const n = normalize(p);
  const pairs = pairsOf(r);
  expect(r.pairs.row).toBeInstanceOf(Int32Array);
  expect(r.pairs.col).toBeInstanceOf(Int32Array);
  for (let k = 1; k < pairs.length; k++) {
    const [a, b] = [pairs[k - 1], pairs[k]];
    expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]), "pairs sorted by row, then col").toBe(
      true,
    );
  }
  if (r.status === "optimal" || (r.status === "time_limit" && r.feasible)) {
    const ev = evaluate(n, pairs);
    expect(ev.problems, "answer is primal feasible").toEqual([]);
    expect(closeIn(p, r.objective, ev.objective), "objective = Σ score of the pairs").toBe(true);
  }
  expect(r.unmatched.reason.length).toBe(r.unmatched.row.length);
  if (r.status === "optimal") {
    // (For infeasible results the contract does not say what `unmatched` holds.)
    const matched = new Set(pairs.map(([i]) => i));
    const expectedUnmatched = [...Array(n.rows).keys()].filter((i) => !matched.has(i));
    expect(Array.from(r.unmatched.row), "unmatched = rows without a pair").toEqual(
      expectedUnmatched,
    );
    const degree = new Array<number>(n.rows).fill(0);
    for (const i of n.pairRow) degree[i]++;
    // Columns with room left: an unmatched row with an allowed one among them is unpaired because
    // a pair would lower the total, not for capacity.
    const load = new Array<number>(n.cols).fill(0);
    for (const [, j] of pairs) load[j]++;
    const roomy = new Set<number>();
    n.pairRow.forEach((i, k) => {
      if (load[n.pairCol[k]] < n.colMax[n.pairCol[k]]) roomy.add(i);
    });
    r.unmatched.reason.forEach((reason, k) => {
      expect(REASONS).toContain(reason);
      const i = r.unmatched.row[k];
      const msg = `row ${i}: reason ${reason}, ${degree[i]} allowed, rowMax ${n.rowMax[i]}`;
      if (reason === "no_allowed_pairs") expect(degree[i], msg).toBe(0);
      // A row with rowMax 0 may say "capacity" even without allowed columns (contract is silent).
      else if (n.rowMax[i] > 0) {
        expect(degree[i], msg).toBeGreaterThan(0);
        expect(reason, msg).toBe(roomy.has(i) ? "not_beneficial" : "capacity");
      }
    });
  }
  if (r.status === "infeasible") expectDiagnosis(p, r);
}

/** An infeasible result says which bound fails, with numbers and a message. */
export function expectDiagnosis(p: AssignmentProblem, r: AssignmentResult): void {
  expect(r.status).toBe("infeasible");
  if (r.status !== "infeasible") return;
  const n = normalize(p);
  const d = r.diagnosis;
  expect(d, "infeasible result carries a diagnosis").toBeDefined();
  expect(KINDS).toContain(d.kind);
  expect(typeof d.message).toBe("string");
  expect(d.message.length).toBeGreaterThan(0);
  expect(Number.isFinite(d.needed)).toBe(true);
  expect(Number.isFinite(d.possible)).toBe(true);
  if (d.index !== undefined) {
    expect(Number.isInteger(d.index)).toBe(true);
    const limit =
      d.kind === "row_min" ? n.rows : d.kind === "col_min" ? n.cols : Math.max(n.rows, n.cols);
    expect(d.index).toBeGreaterThanOrEqual(0);
    expect(d.index).toBeLessThan(limit);
  }
}

/**
 * Same status and, when optimal, the same objective (and rows covered for coverage-first).
 * `absTol`: javascript-lp-solver's simplex treats reduced costs below ~1e-9 as zero, so against
 * the LP oracle a score of 1e-9 may be "optional"; pass e.g. 1e-7 there. Brute force is exact.
 */
export function expectMatchesOracle(
  p: AssignmentProblem,
  r: AssignmentResult,
  o: OracleResult,
  absTol = 0,
): void {
  expect(r.status).toBe(o.status);
  if (r.status === "optimal" && o.status === "optimal") {
    expect(
      close(r.objective, o.objective) ||
        closeIn(p, r.objective, o.objective) ||
        Math.abs(r.objective - o.objective) <= absTol,
      `objective ${r.objective}, oracle ${o.objective}`,
    ).toBe(true);
    if (p.coverageFirst === true)
      expect(new Set(r.pairs.row).size, "coverage-first: rows covered").toBe(o.count);
  }
}

/** Tolerance for comparisons with the LP oracle (see `expectMatchesOracle`). */
export const LP_TOL = 1e-7;

/** A copy of an optimal result with other pairs (objective recomputed unless given). */
export function withPairs(
  p: AssignmentProblem,
  r: OptimalResult,
  pairs: PairList,
  objective?: number,
): OptimalResult {
  const n = normalize(p);
  const sorted = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let sum = 0;
  for (const [i, j] of sorted) sum += n.pairScore[n.pairAt.get(i * n.cols + j) ?? -1] ?? 0;
  const matched = new Set(sorted.map(([i]) => i));
  const degree = new Array<number>(n.rows).fill(0);
  for (const i of n.pairRow) degree[i]++;
  const unmatchedRows = [...Array(n.rows).keys()].filter((i) => !matched.has(i));
  const obj = objective ?? sum;
  return {
    ...r,
    pairs: {
      row: Int32Array.from(sorted, ([i]) => i),
      col: Int32Array.from(sorted, ([, j]) => j),
    },
    objective: obj,
    bound: obj,
    unmatched: {
      row: Int32Array.from(unmatchedRows),
      reason: unmatchedRows.map((i): UnmatchedReason =>
        degree[i] === 0 ? "no_allowed_pairs" : "capacity",
      ),
    },
  };
}

/** A deep copy of a certificate with edits applied to fresh arrays. */
export function withDuals(
  r: OptimalResult,
  edit: (c: {
    rowDual: Float64Array;
    colDual: Float64Array;
    uncoveredDual?: number;
    coverage?: {
      count: number;
      rowDual: Float64Array;
      colDual: Float64Array;
      uncoveredDual: number;
    };
  }) => void,
): OptimalResult {
  const c = r.certificate;
  const copy = {
    rowDual: Float64Array.from(c.rowDual),
    colDual: Float64Array.from(c.colDual),
    ...(c.uncoveredDual === undefined ? {} : { uncoveredDual: c.uncoveredDual }),
    ...(c.coverage === undefined
      ? {}
      : {
          coverage: {
            count: c.coverage.count,
            rowDual: Float64Array.from(c.coverage.rowDual),
            colDual: Float64Array.from(c.coverage.colDual),
            uncoveredDual: c.coverage.uncoveredDual,
          },
        }),
  };
  edit(copy);
  return { ...r, certificate: copy };
}
