/**
 * The dual bound and the independent certificate check.
 *
 * For ANY row duals u, column duals v (and w in coverage-first mode), Lagrangian relaxation of
 * the row and column bounds gives, for every feasible x (max sense):
 *
 *   Σ s·x ≤ Σ_i h(u_i; rowMin_i, rowMax_i) + Σ_j h(v_j; colMin_j, colMax_j) + count·w
 *          + Σ_forced (s − u_i − v_j − w) + Σ_free max(0, s − u_i − v_j − w),
 *   h(y; lo, hi) = hi·y if y ≥ 0, else lo·y.
 *
 * Because the constraint matrix is totally unimodular, the LP duals make this bound tight, so a
 * feasible answer whose objective equals the bound is optimal, and anyone can check it in one
 * pass over the allowed pairs. `verifyCertificate` does exactly that, from the problem alone.
 */
import {
  leftOutMayPrice,
  newScratch,
  refDrift,
  type Candidates,
  type Duals,
} from "./candidates.js";
import { forEachFreePair, type Instance } from "./instance.js";
import { toInstance } from "./problem.js";
import type { AssignmentProblem, AssignmentResult, VerifyResult } from "./types.js";

const h = (y: number, lo: number, hi: number) => (y > 0 ? hi * y : y < 0 ? lo * y : 0);

/**
 * The bound above for the instance's (max-sense) scores, or with every score = `unit`.
 * With candidates, rows whose left-out pairs all price non-positive
 * (kth − u_i + max_j (ref_j − v_j) − w ≤ 0, see candidates.ts) are not read: those pairs add
 * max(0, ·) = 0 exactly.
 */
export function dualBound(
  inst: Instance,
  d: Duals,
  count: number | undefined,
  cands?: Candidates,
  unit?: number,
): number {
  const { u, v } = d;
  const w = count === undefined ? 0 : d.w;
  let total = count === undefined ? 0 : count * w;
  for (let i = 0; i < inst.rows; i++) total += h(u[i], inst.rowMin[i], inst.rowMax[i]);
  for (let j = 0; j < inst.cols; j++) total += h(v[j], inst.colMin[j], inst.colMax[j]);
  for (let k = 0; k < inst.forcedRow.length; k++) {
    const s = unit ?? inst.forcedScore[k];
    total += s - u[inst.forcedRow[k]] - v[inst.forcedCol[k]] - w;
  }
  const drift = cands ? refDrift(cands, v) : 0;
  const scratch = newScratch(inst.cols);
  for (let i = 0; i < inst.rows; i++) {
    const ui = u[i];
    if (cands && !leftOutMayPrice(cands, i, ui, drift, w, 0, unit)) {
      // Only the candidates can add anything.
      const cols = cands.cols[i];
      const scores = cands.scores[i];
      for (let t = 0; t < cols.length; t++) {
        const r = (unit ?? scores[t]) - ui - v[cols[t]] - w;
        if (r > 0) total += r;
      }
      continue;
    }
    forEachFreePair(inst, i, scratch, (j, s) => {
      const r = (unit ?? s) - ui - v[j] - w;
      if (r > 0) total += r;
    });
  }
  return total;
}

/**
 * Checks a result against the problem with no trust in the solver: the pairs are feasible
 * (allowed, not forbidden, forced ones present, every bound met), the objective is their score,
 * and the certificate's duals give a bound equal to it (coverage-first: also that the pair count
 * is proven maximum). One pass over the allowed pairs.
 */
export function verifyCertificate(
  problem: AssignmentProblem,
  result: AssignmentResult,
): VerifyResult {
  return verifyInstance(toInstance(problem), result);
}

/** `verifyCertificate` on the engine's instance form (shared with `verifyMatch`). */
export function verifyInstance(inst: Instance, result: AssignmentResult): VerifyResult {
  const problems: string[] = [];
  const sign = inst.minimize ? -1 : 1;
  const { row, col } = result.pairs;
  const { rows: n, cols: m } = inst;
  const fail = (objective: number, bound: number): VerifyResult => ({
    ok: false,
    primalFeasible: false,
    gap: NaN,
    objective,
    bound,
    problems,
  });
  if (row.length !== col.length) {
    problems.push("pairs.row and pairs.col differ in length");
    return fail(NaN, NaN);
  }
  // Group the answer's columns by row.
  const start = new Int32Array(n + 1);
  for (let k = 0; k < row.length; k++) {
    if (!(row[k] >= 0 && row[k] < n && col[k] >= 0 && col[k] < m && Number.isInteger(row[k]))) {
      problems.push(`pair ${k} (${row[k]}, ${col[k]}) is out of range`);
      return fail(NaN, NaN);
    }
    start[row[k] + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const byRow = new Int32Array(row.length);
  for (let k = 0; k < row.length; k++) byRow[fill[row[k]]++] = col[k];

  let primal = true;
  let objective = 0;
  let scale = 1;
  const colCount = new Int32Array(m);
  const mark = new Int32Array(m).fill(-1);
  const forcedByRow = new Map<number, number[]>();
  for (let k = 0; k < inst.forcedRow.length; k++) {
    const r = inst.forcedRow[k];
    const list = forcedByRow.get(r) ?? [];
    list.push(k);
    forcedByRow.set(r, list);
  }
  const scratch = newScratch(m);
  for (let i = 0; i < n; i++) {
    const a = start[i];
    const b = start[i + 1];
    if (b - a < inst.rowMin[i] || b - a > inst.rowMax[i]) {
      primal = false;
      problems.push(`row ${i} has ${b - a} pairs, outside [${inst.rowMin[i]}, ${inst.rowMax[i]}]`);
    }
    for (let t = a; t < b; t++) {
      const j = byRow[t];
      if (mark[j] === i) {
        primal = false;
        problems.push(`pair (${i}, ${j}) appears twice`);
      }
      mark[j] = i;
      colCount[j]++;
    }
    let found = 0;
    for (const k of forcedByRow.get(i) ?? []) {
      const j = inst.forcedCol[k];
      if (mark[j] !== i) {
        primal = false;
        problems.push(`forced pair (${i}, ${j}) is missing`);
      } else {
        found++;
        objective += inst.forcedScore[k];
        scale += Math.abs(inst.forcedScore[k]);
        mark[j] = -2 - i; // counted
      }
    }
    if (b - a > found) {
      forEachFreePair(inst, i, scratch, (j, s) => {
        if (mark[j] === i) {
          objective += s;
          scale += Math.abs(s);
          found++;
          mark[j] = -2 - i;
        }
      });
    }
    if (found < b - a) {
      primal = false;
      for (let t = a; t < b; t++)
        if (mark[byRow[t]] === i)
          problems.push(`pair (${i}, ${byRow[t]}) is not allowed or is forbidden`);
    }
  }
  for (let j = 0; j < m; j++)
    if (colCount[j] < inst.colMin[j] || colCount[j] > inst.colMax[j]) {
      primal = false;
      problems.push(
        `column ${j} has ${colCount[j]} pairs, outside [${inst.colMin[j]}, ${inst.colMax[j]}]`,
      );
    }
  const tol = 1e-9 * scale;
  if (Math.abs(sign * result.objective - objective) > tol)
    problems.push(
      `objective ${result.objective} differs from the pairs' total ${sign * objective}`,
    );

  const noProof = (why: string): VerifyResult => {
    problems.push(why);
    return {
      ok: false,
      primalFeasible: primal,
      gap: NaN,
      objective: sign * objective,
      bound: NaN,
      problems,
    };
  };
  if (result.status !== "optimal")
    return noProof(`status is "${result.status}"; only optimal results carry a certificate`);
  const cert = result.certificate;
  if (cert.rowDual.length !== n || cert.colDual.length !== m)
    return noProof("certificate duals have the wrong length");
  let count: number | undefined;
  if (inst.coverageFirst) {
    const cov = cert.coverage;
    if (!cov || cert.countDual === undefined) {
      problems.push("coverage-first result lacks its coverage proof (coverage, countDual)");
    } else {
      count = cov.count;
      if (row.length !== cov.count)
        problems.push(`answer has ${row.length} pairs, but the proven maximum is ${cov.count}`);
      const covBound = dualBound(
        inst,
        { u: cov.rowDual, v: cov.colDual, w: 0 },
        undefined,
        undefined,
        1,
      );
      if (Math.abs(covBound - cov.count) > 1e-9 * Math.max(1, cov.count))
        problems.push(`coverage proof bounds the pair count by ${covBound}, not ${cov.count}`);
    }
  }
  const bound = dualBound(
    inst,
    { u: cert.rowDual, v: cert.colDual, w: cert.countDual ?? 0 },
    count,
  );
  const gap = bound - objective;
  if (!(Math.abs(gap) <= tol))
    problems.push(
      `dual bound ${sign * bound} differs from the objective ${sign * objective} (gap ${gap})`,
    );
  return {
    ok: primal && problems.length === 0,
    primalFeasible: primal,
    gap,
    objective: sign * objective,
    bound: sign * bound,
    problems,
  };
}
