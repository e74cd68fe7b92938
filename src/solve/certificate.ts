/**
 * The dual bound and the independent certificate check.
 *
 * For ANY row duals u and column duals v, Lagrangian relaxation of the row and column bounds
 * gives, for every feasible x (max sense):
 *
 *   Σ s·x ≤ Σ_i h(u_i; rowMin_i, rowMax_i) + Σ_j h(v_j; colMin_j, colMax_j)
 *          + Σ_forced (s − u_i − v_j) + Σ_free max(0, s − u_i − v_j),
 *   h(y; lo, hi) = hi·y if y ≥ 0, else lo·y.
 *
 * Because the constraint matrix is totally unimodular, the LP duals make this bound tight, so a
 * feasible answer whose objective equals the bound is optimal, and anyone can check it in one
 * pass over the allowed pairs. `verifyCertificate` does exactly that, from the problem alone.
 *
 * Coverage-first (most rows covered, then the best total among those) is the same bound on an
 * augmented problem (docs/ENGINE.md, "Coverage-first"): one more column Z, "uncovered", with a
 * pair (i, Z) for every row with rowMin 0 and rowMax ≥ 1, whose minimum becomes 1; with dual z,
 * the bound gains h(z; Z's bounds) and Σ max(0, s_Z − u_i − z) over those rows. Its first proof
 * (real scores 0, Z pairs −1, Z in [0, those rows]) bounds −(rows left uncovered); its second
 * (real scores, Z pairs 0, Z in [U, U]) the total among answers leaving U uncovered.
 */
import {
  leftOutBound,
  leftOutMargin,
  refDrift,
  type Candidates,
  type Duals,
} from "./candidates.js";
import { freePairs, gather, newScratch, type Instance } from "./instance.js";
import { groupBy } from "./csr.js";
import { ErrorBoundedSum, scaleIssue, smallIntegers, verifyTolerance } from "./numeric.js";
import { toInstance } from "./problem.js";
import { checkResultShape } from "./args.js";
import { InputError } from "../schema/errors.js";
import type {
  AssignmentProblem,
  AssignmentResult,
  InfeasibleResult,
  VerifyResult,
} from "./types.js";
import { FORCED_CONFLICT_WORDS } from "./diagnosis.js";

/** h(y; lo, hi) = hSide(y, lo, hi) · y: the bound a dual y multiplies (hi if y > 0, lo if y < 0). */
const hSide = (y: number, lo: number, hi: number) => (y > 0 ? hi : y < 0 ? lo : 0);

/** The uncovered column Z of an augmented problem (see the top of this file): each of `rows`
 * (those with rowMin 0 and rowMax ≥ 1, ascending) has its minimum raised to 1 and the pair
 * (i, Z) at `score`; Z takes between `lo` and `hi` of them. Its dual is `Duals.z`. */
export interface UncoveredTerms {
  readonly rows: Int32Array;
  readonly score: number;
  readonly lo: number;
  readonly hi: number;
}

/** The rows that get a pair with the uncovered column — those that may be left uncovered:
 * rowMin 0 and rowMax ≥ 1 (ascending); and how many rows can be covered at all (rowMax ≥ 1). */
export function uncoveredColumnRows(inst: Pick<Instance, "rows" | "rowMin" | "rowMax">): {
  rows: Int32Array;
  coverable: number;
} {
  const rows: number[] = [];
  let coverable = 0;
  for (let i = 0; i < inst.rows; i++) {
    if (inst.rowMax[i] < 1) continue;
    coverable++;
    if (inst.rowMin[i] === 0) rows.push(i);
  }
  return { rows: Int32Array.from(rows), coverable };
}

/** A dual bound as computed: its value, an upper bound on its rounding error, and the score
 * scale σ of the pairs it read (complete only when it read every pair: no candidates given). */
export interface BoundValue {
  readonly value: number;
  readonly error: number;
  readonly scale: number;
}

/**
 * The bound above for the instance's (max-sense) scores, and with `uncovered` that of the
 * augmented problem, summed with a compensated sum that bounds its own rounding (numeric.ts).
 * With candidates, rows whose left-out pairs all price non-positive
 * (kth − u_i + max_j (ref_j − v_j) ≤ 0, see candidates.ts) are not read: those pairs add
 * max(0, ·) = 0 exactly. With `noReads` (a stopped solve's bound, which must come back at once)
 * no row is read at all: each other row's left-out pairs count as many times as there are of
 * them at that same upper bound — valid, only looser.
 */
export function dualBound(
  inst: Instance,
  d: Duals,
  opts: {
    cands?: Candidates;
    noReads?: boolean;
    shouldStop?: () => boolean;
    uncovered?: UncoveredTerms;
  } = {},
): BoundValue & { stopped: boolean } {
  const { cands } = opts;
  // Polled before each row read (with candidate lists): once it says stop, the rest of the rows
  // are bounded without reads, as with `noReads`, and the result says so.
  let noReads = opts.noReads ?? false;
  let stopped = false;
  let unbounded = false;
  const { u, v } = d;
  const fixed = fixedTerms(inst, d, undefined, opts.uncovered);
  const total = fixed.total;
  let scale = fixed.scale;
  const drift = cands ? refDrift(cands, v) : new Float64Array(0);
  const scratch = newScratch(inst.cols);
  for (let i = 0; i < inst.rows; i++) {
    const ui = u[i];
    if (cands) {
      // f bounds the reduced score of each pair left out of row i's list. Reading the rows, a
      // row with f ≤ 0 is skipped (its pairs add max(0, ·) = 0). Without reads, f is widened by
      // its own rounding so that the bound stays an upper bound.
      const f = leftOutBound(cands, i, ui, drift);
      if (!noReads && f > 0 && opts.shouldStop?.()) noReads = stopped = true;
      const margin = noReads ? leftOutMargin(cands, i, ui, drift) : 0;
      const mayPrice = f > -margin;
      if (!mayPrice || noReads) {
        const cols = cands.cols[i];
        total.addRowPositiveParts(cands.scores[i], cols, cols.length, ui, v);
        if (mayPrice) {
          const left = cands.rowDegree[i] - cols.length;
          // A row whose pairs left out are not bounded yet (a re-solve stopped before it read
          // them, solve.ts `rescore`): no finite bound without reading it.
          if (f + margin === Infinity && left > 0) unbounded = true;
          else total.addProduct(left, f + margin);
        }
        continue;
      }
    }
    const k = freePairs(inst, i, scratch);
    const a = total.addRowPositiveParts(scratch.vals, scratch.cols, k, ui, v);
    if (a > scale) scale = a;
  }
  return {
    value: unbounded ? Infinity : total.value,
    error: unbounded ? 0 : total.error(),
    scale,
    stopped,
  };
}

/**
 * The bound's terms that need no row read, summed in this order (the order is part of the
 * value's rounding): with the uncovered column h(z) and its pairs' max(0, s_Z − u_i − z), then
 * h(u_i) per row (the minimum 1 for the uncovered column's rows), h(v_j) per column, and the
 * forced pairs' reduced scores; with σ of the forced scores (and of Z's score). The free pairs'
 * max(0, ·) terms are added to `total` next.
 */
function fixedTerms(
  inst: Instance,
  d: Duals,
  unit: number | undefined,
  uncovered: UncoveredTerms | undefined,
): { total: ErrorBoundedSum; scale: number } {
  const { u, v } = d;
  const total = new ErrorBoundedSum();
  let scale = 0;
  let covers: Uint8Array | undefined;
  if (uncovered) {
    const z = d.z ?? 0;
    total.addProduct(hSide(z, uncovered.lo, uncovered.hi), z);
    covers = new Uint8Array(inst.rows);
    for (const i of uncovered.rows) {
      covers[i] = 1;
      total.addPositivePart(uncovered.score, u[i], z);
    }
    scale = Math.abs(uncovered.score);
  }
  for (let i = 0; i < inst.rows; i++) {
    const lo = covers?.[i] === 1 ? 1 : inst.rowMin[i];
    total.addProduct(hSide(u[i], lo, inst.rowMax[i]), u[i]);
  }
  for (let j = 0; j < inst.cols; j++)
    total.addProduct(hSide(v[j], inst.colMin[j], inst.colMax[j]), v[j]);
  for (let k = 0; k < inst.forcedRow.length; k++) {
    const s = unit ?? inst.forcedScore[k];
    if (Math.abs(s) > scale) scale = Math.abs(s);
    // A forced pair's term counts whatever its sign: s − u − v, exactly as TwoSums.
    total.addReduced(s, u[inst.forcedRow[k]], v[inst.forcedCol[k]]);
  }
  return { total, scale };
}

/**
 * Checks a result against the problem with no trust in the solver: the pairs are feasible
 * (allowed, not forbidden, forced ones present, every bound met), the objective is their score,
 * and the certificate's duals give a bound equal to it (coverage-first: also that the count of
 * covered rows is proven the most, and the bound is the augmented problem's at that count).
 * One pass over the allowed pairs.
 */
export function verifyCertificate(
  problem: AssignmentProblem,
  result: AssignmentResult,
): VerifyResult {
  const inst = toInstance(problem);
  checkResultShape(result);
  return verifyInstance(inst, result);
}

/** `verifyCertificate` on the engine's instance form (shared with `verifyMatch`). One pass over
 * the rows: each row is read once, for its pairs' scores and both bounds' terms at once. With
 * `primalOnly`, only the answer is checked (pairs, bounds, objective): a caller that proves the
 * bound itself (`verifyMatch` under equity rules) reads no certificate here. */
/** What `verifyInstance` reads of a result: an infeasible one's diagnosis plays no part (`match`
 * hands over its own results, whose diagnoses are in ids). */
export type CheckedResult =
  Exclude<AssignmentResult, InfeasibleResult> | Omit<InfeasibleResult, "diagnosis">;

/** How `verifyInstance`'s messages name rows and columns (by default by index: "row 3"). */
export interface ProblemNames {
  readonly row: (i: number) => string;
  readonly col: (j: number) => string;
}

const INDEX_NAMES: ProblemNames = { row: (i) => `row ${i}`, col: (j) => `column ${j}` };

export function verifyInstance(
  inst: Instance,
  result: CheckedResult,
  opts: { primalOnly?: boolean; names?: ProblemNames } = {},
): VerifyResult {
  const problems: string[] = [];
  const { row: rowName, col: colName } = opts.names ?? INDEX_NAMES;
  const pairName = (i: number, j: number) =>
    opts.names ? `pair (${rowName(i)}, ${colName(j)})` : `pair (${i}, ${j})`;
  const sign = inst.minimize ? -1 : 1;
  const { row, col } = result.pairs;
  const { rows: n, cols: m } = inst;
  const fail = (objective: number, bound: number): VerifyResult => ({
    ok: false,
    primalFeasible: false,
    gap: NaN,
    objective,
    bound,
    tolerance: NaN,
    problems,
  });
  if (row.length !== col.length) {
    problems.push("pairs.row and pairs.col differ in length");
    return fail(NaN, NaN);
  }
  for (let k = 0; k < row.length; k++) {
    if (!(
      Number.isInteger(row[k]) &&
      Number.isInteger(col[k]) &&
      row[k] >= 0 &&
      row[k] < n &&
      col[k] >= 0 &&
      col[k] < m
    )) {
      problems.push(`pair ${k} (${row[k]}, ${col[k]}) is out of range`);
      return fail(NaN, NaN);
    }
  }
  // The certificate is read before the pass, so the pass sums its bounds; what is wrong with it
  // is reported after the answer's own problems.
  const proof =
    result.status === "optimal" && !inst.forcedConflict && !opts.primalOnly
      ? readCertificate(result.certificate, inst)
      : undefined;
  let main = typeof proof === "object" ? proof : undefined;
  const cover = main?.coverage;
  // Coverage-first: the uncovered column's rows, and U, the rows the proven count leaves
  // uncovered (the augmented problem's Z load, docs/ENGINE.md).
  const zRows = cover ? uncoveredColumnRows(inst) : undefined;
  const uncovered = cover && zRows ? zRows.coverable - cover.count : 0;
  if (cover && zRows && !(uncovered >= 0 && uncovered <= zRows.rows.length)) {
    problems.push(
      `coverage count ${cover.count} is not between ${zRows.coverable - zRows.rows.length} and ${zRows.coverable} (the rows that must be and may be covered)`,
    );
    main = undefined;
  }
  const mainSum =
    main &&
    fixedTerms(
      inst,
      main,
      undefined,
      cover && zRows ? { rows: zRows.rows, score: 0, lo: uncovered, hi: uncovered } : undefined,
    );
  const coverSum =
    cover &&
    zRows &&
    fixedTerms(inst, cover, 0, { rows: zRows.rows, score: -1, lo: 0, hi: zRows.rows.length });
  const coverExact = cover !== undefined && smallIntegers(cover.u, cover.v, cover.z ?? 0);
  let scale = mainSum?.scale ?? 0;

  // The answer's columns grouped by row.
  const { start, order } = groupBy(row, n);
  const byRow = gather(col, order, new Int32Array(order.length));

  let primal = true;
  const objective = new ErrorBoundedSum();
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
      problems.push(
        `${rowName(i)} has ${b - a} pairs, outside [${inst.rowMin[i]}, ${inst.rowMax[i]}]`,
      );
    }
    for (let t = a; t < b; t++) {
      const j = byRow[t];
      if (mark[j] === i) {
        primal = false;
        problems.push(`${pairName(i, j)} appears twice`);
      }
      mark[j] = i;
      colCount[j]++;
    }
    let found = 0;
    for (const k of forcedByRow.get(i) ?? []) {
      const j = inst.forcedCol[k];
      if (mark[j] !== i) {
        primal = false;
        problems.push(`forced ${pairName(i, j)} is missing`);
      } else {
        found++;
        objective.add(inst.forcedScore[k]);
        mark[j] = -2 - i; // counted
      }
    }
    if (b - a > found || mainSum) {
      const k = freePairs(inst, i, scratch);
      const { cols, vals } = scratch;
      for (let t = 0; t < k; t++)
        if (mark[cols[t]] === i) {
          objective.add(vals[t]);
          found++;
          mark[cols[t]] = -2 - i;
        }
      if (mainSum) {
        const a = mainSum.total.addRowPositiveParts(vals, cols, k, main!.u[i], main!.v);
        if (a > scale) scale = a;
      }
      if (coverSum)
        coverSum.total.addRowUnitPositiveParts(0, cols, k, cover!.u[i], cover!.v, coverExact);
    }
    if (found < b - a) {
      primal = false;
      for (let t = a; t < b; t++)
        if (mark[byRow[t]] === i)
          problems.push(`${pairName(i, byRow[t])} is not allowed or is forbidden`);
    }
  }
  for (let j = 0; j < m; j++)
    if (colCount[j] < inst.colMin[j] || colCount[j] > inst.colMax[j]) {
      primal = false;
      problems.push(
        `${colName(j)} has ${colCount[j]} pairs, outside [${inst.colMin[j]}, ${inst.colMax[j]}]`,
      );
    }
  const total = objective.value;
  const done = (bound: number, gap: number, tolerance: number): VerifyResult => ({
    ok: primal && problems.length === 0,
    primalFeasible: primal,
    gap,
    objective: sign * total,
    bound: sign * bound,
    tolerance,
    problems,
  });
  const noProof = (why: string): VerifyResult => {
    problems.push(why);
    return done(NaN, NaN, NaN);
  };
  if (opts.primalOnly) {
    // σ of the answer's own pairs is at least their mean |score|: |total| / pairs.
    const tol = verifyTolerance(Math.abs(total) / Math.max(1, row.length), row.length);
    if (!(Math.abs(sign * result.objective - total) <= tol + objective.error()))
      problems.push(
        `objective ${result.objective} differs from the pairs' total ${sign * total} by more than the tolerance`,
      );
    return done(NaN, NaN, NaN);
  }
  if (result.status !== "optimal")
    return noProof(`status is "${result.status}"; only optimal results carry a certificate`);
  // A contradiction among forced pairs (repeated, forbidden, not allowed) leaves no feasible
  // answer at all, whatever the pairs and duals say.
  if (inst.forcedConflict) {
    const { row: i, col: j, conflict } = inst.forcedConflict;
    primal = false;
    return noProof(
      `forced ${pairName(i, j)} ${FORCED_CONFLICT_WORDS[conflict]}: the problem has no feasible answer`,
    );
  }
  if (!main || !mainSum)
    return noProof(typeof proof === "string" ? proof : "the coverage proof cannot be checked");
  if (cover && coverSum) {
    const count = cover.count;
    let covered = 0;
    for (let i = 0; i < n; i++) if (start[i + 1] > start[i]) covered++;
    if (covered !== count)
      problems.push(`answer covers ${covered} rows, but the certificate claims ${count}`);
    // The first proof bounds −(rows left uncovered) by −U: no answer covers more than count.
    const cb = coverSum.total;
    const covTol = verifyTolerance(1, Math.max(count, uncovered));
    if (!(Math.abs(cb.value + uncovered) + cb.error() <= covTol))
      problems.push(
        `coverage proof bounds the rows covered by ${zRows!.coverable + cb.value}, not ${count} (tolerance ${covTol})`,
      );
  }
  const small = scaleIssue(scale, []);
  if (small) throw new InputError([small], "problem");
  // σ from every allowed pair (read by the pass), so the tolerance is the problem's.
  const tolerance = verifyTolerance(scale, row.length);
  const b = mainSum.total;
  const rounding = b.error() + objective.error();
  if (!(Math.abs(sign * result.objective - total) <= tolerance))
    problems.push(
      `objective ${result.objective} differs from the pairs' total ${sign * total} by more than the tolerance ${tolerance}`,
    );
  const gap = b.value - total;
  if (!(Math.abs(gap) + rounding <= tolerance))
    problems.push(
      rounding > tolerance / 2
        ? `the certificate cannot be checked at this precision: rounding in the bound may reach ${rounding}, the tolerance is ${tolerance} (duals far larger than the scores?)`
        : `dual bound ${sign * b.value} differs from the objective ${sign * total} (gap ${gap}, tolerance ${tolerance})`,
    );
  return done(b.value, gap, tolerance);
}

/** A certificate's duals, each read once into our own arrays (a caller's getter cannot answer
 * one value to one check and another to the next), with the coverage proof in coverage-first
 * mode; or why it cannot be checked. */
function readCertificate(
  cert: Extract<AssignmentResult, { status: "optimal" }>["certificate"],
  inst: Instance,
): (Duals & { coverage: (Duals & { count: number }) | undefined }) | string {
  const { rows: n, cols: m } = inst;
  const u = Float64Array.from(cert.rowDual);
  const v = Float64Array.from(cert.colDual);
  if (u.length !== n || v.length !== m) return "certificate duals have the wrong length";
  const finite = (a: Float64Array) => a.every(Number.isFinite);
  if (!finite(u) || !finite(v)) return "certificate duals must be finite numbers";
  if (!inst.coverageFirst) return { u, v, coverage: undefined };
  const cov = cert.coverage;
  const z: unknown = cert.uncoveredDual;
  const cz: unknown = cov?.uncoveredDual;
  const cu = cov ? Float64Array.from(cov.rowDual) : undefined;
  const cv = cov ? Float64Array.from(cov.colDual) : undefined;
  const count: unknown = cov?.count;
  const isFinite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
  if (!cov || !cu || !cv || !isFinite(z) || !isFinite(cz))
    return "coverage-first result lacks its coverage proof (coverage, finite uncoveredDual in both)";
  if (!Number.isSafeInteger(count) || cu.length !== n || cv.length !== m)
    return "coverage proof needs a whole-number count and one dual per row and column";
  if (!finite(cu) || !finite(cv)) return "coverage duals must be finite numbers";
  return { u, v, z, coverage: { u: cu, v: cv, z: cz, count: count as number } };
}
