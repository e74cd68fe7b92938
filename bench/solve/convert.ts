/**
 * Turning an instance into what each baseline takes, and checking what comes back.
 *
 * Slot expansion (for one-to-one assignment solvers): mentor j becomes `capacity` identical columns
 * j·cap … j·cap + cap − 1, so the matrix is rows × cols·cap and "mentor ≤ capacity" becomes "each
 * column once". An ineligible pair gets the value of leaving the mentee unmatched, 0: since every
 * score is ≥ 0, a maximum-weight matching can always be padded with 0-valued pairs, so the optimum
 * of the padded "assign every row (or every column)" problem equals ours. Assignments that land on
 * an ineligible pair are read back as "unmatched". (With negative scores this would need a dummy
 * column per row instead.) Rectangular shapes are left to the libraries, which both handle them.
 *
 * LP form (for LP solvers): one variable x_ij ≥ 0 per allowed pair, maximize Σ s_ij x_ij subject to
 * Σ_j x_ij ≤ 1 per mentee and Σ_i x_ij ≤ capacity per mentor. The constraint matrix is the
 * incidence matrix of a bipartite graph, totally unimodular, so a basic optimal solution is 0/1.
 */
import type { Instance } from "./instances.js";

/** rows × cols·cap, Float64Array rows: cost = −score (allowed) or 0. For min-cost solvers. */
export function slotCostMatrix(inst: Instance): Float64Array[] {
  return slotMatrix(inst, -1);
}

/** rows × cols·cap, Float64Array rows: profit = score (allowed) or 0. For max solvers. */
export function slotProfitMatrix(inst: Instance): Float64Array[] {
  return slotMatrix(inst, 1);
}

function slotMatrix(inst: Instance, sign: 1 | -1): Float64Array[] {
  const { rows, cols, capacity: cap, scores, allowed } = inst;
  const out: Float64Array[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = new Float64Array(cols * cap);
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      if (allowed[base + j] === 0) continue;
      const v = sign * scores[base + j];
      row.fill(v === 0 ? 0 : v, j * cap, j * cap + cap);
    }
    out[i] = row;
  }
  return out;
}

export interface PairList {
  readonly row: Int32Array;
  readonly col: Int32Array;
}

/** Slot assignment (row → slot, −1 for none) → mentor pairs; ineligible pairs are dropped. */
export function pairsFromSlots(inst: Instance, slotOfRow: ArrayLike<number>): PairList {
  const row: number[] = [];
  const col: number[] = [];
  for (let i = 0; i < inst.rows; i++) {
    const s = slotOfRow[i];
    if (s === undefined || s < 0) continue;
    const j = Math.floor(s / inst.capacity);
    if (inst.allowed[i * inst.cols + j] === 0) continue;
    row.push(i);
    col.push(j);
  }
  return { row: Int32Array.from(row), col: Int32Array.from(col) };
}

export interface CheckedObjective {
  readonly objective: number;
  readonly matched: number;
  /** Empty when the pairs respect every rule. */
  readonly problems: string[];
}

/** Objective of a set of pairs, recomputed from the instance, with a feasibility check. */
export function checkPairs(inst: Instance, pairs: PairList): CheckedObjective {
  const problems: string[] = [];
  const rowUsed = new Uint8Array(inst.rows);
  const load = new Int32Array(inst.cols);
  let objective = 0;
  for (let p = 0; p < pairs.row.length; p++) {
    const i = pairs.row[p];
    const j = pairs.col[p];
    if (!(i >= 0 && i < inst.rows && j >= 0 && j < inst.cols)) {
      problems.push(`pair ${p} (${i}, ${j}) out of range`);
      continue;
    }
    if (inst.allowed[i * inst.cols + j] === 0) problems.push(`pair (${i}, ${j}) is ineligible`);
    if (rowUsed[i]++ > 0) problems.push(`mentee ${i} matched twice`);
    if (++load[j] === inst.capacity + 1) problems.push(`mentor ${j} over capacity`);
    objective += inst.scores[i * inst.cols + j];
    if (problems.length > 10) break;
  }
  return { objective, matched: pairs.row.length, problems };
}

const varName = (i: number, j: number) => `x${i}_${j}`;

/** Reads back LP variable values: pairs with x ≈ 1; counts values that are not ≈ 0 or 1. */
export function pairsFromLp(
  inst: Instance,
  valueOf: (i: number, j: number) => number | undefined,
): PairList & { fractional: number } {
  const row: number[] = [];
  const col: number[] = [];
  let fractional = 0;
  for (let i = 0; i < inst.rows; i++) {
    const base = i * inst.cols;
    for (let j = 0; j < inst.cols; j++) {
      if (inst.allowed[base + j] === 0) continue;
      const x = valueOf(i, j) ?? 0;
      if (Math.abs(x - 1) <= 1e-6) {
        row.push(i);
        col.push(j);
      } else if (Math.abs(x) > 1e-6) fractional++;
    }
  }
  return { row: Int32Array.from(row), col: Int32Array.from(col), fractional };
}

/** javascript-lp-solver's JSON model (one object per variable, as its README shows). */
export interface JsLpModel {
  optimize: string;
  opType: "max" | "min";
  constraints: Record<string, { max?: number; min?: number }>;
  variables: Record<string, Record<string, number>>;
}

export function toJsLpModel(inst: Instance): JsLpModel {
  const constraints: JsLpModel["constraints"] = {};
  for (let i = 0; i < inst.rows; i++) constraints[`r${i}`] = { max: 1 };
  for (let j = 0; j < inst.cols; j++) constraints[`c${j}`] = { max: inst.capacity };
  const variables: JsLpModel["variables"] = {};
  for (let i = 0; i < inst.rows; i++) {
    const base = i * inst.cols;
    for (let j = 0; j < inst.cols; j++) {
      if (inst.allowed[base + j] === 0) continue;
      variables[varName(i, j)] = { fit: inst.scores[base + j], [`r${i}`]: 1, [`c${j}`]: 1 };
    }
  }
  return { optimize: "fit", opType: "max", constraints, variables };
}

export const lpVarName = varName;

/**
 * The LP in CPLEX LP format (what `highs.solve(text)` takes). Lines are kept short: some LP
 * readers limit line length. Numbers use JavaScript's shortest round-trip form, so they are exact.
 */
export function toCplexLp(inst: Instance): string {
  const { rows, cols, capacity, scores, allowed } = inst;
  const out: string[] = ["Maximize", " obj:"];
  const PER_LINE = 8;
  let line = "";
  let count = 0;
  const flush = () => {
    if (line) out.push(line);
    line = "";
    count = 0;
  };
  const term = (text: string) => {
    line += text;
    if (++count === PER_LINE) flush();
  };
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      if (allowed[base + j] === 0) continue;
      term(` + ${scores[base + j]} ${varName(i, j)}`);
    }
  }
  flush();
  out.push("Subject To");
  for (let i = 0; i < rows; i++) {
    out.push(` r${i}:`);
    const base = i * cols;
    for (let j = 0; j < cols; j++) if (allowed[base + j] !== 0) term(` + ${varName(i, j)}`);
    flush();
    out.push(" <= 1");
  }
  // Column constraints need the pairs grouped by mentor: one pass to bucket row indices.
  const start = new Int32Array(cols + 1);
  for (let p = 0; p < rows * cols; p++) if (allowed[p] !== 0) start[(p % cols) + 1]++;
  for (let j = 0; j < cols; j++) start[j + 1] += start[j];
  const fill = start.slice(0, cols);
  const rowOf = new Int32Array(start[cols]);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) if (allowed[base + j] !== 0) rowOf[fill[j]++] = i;
  }
  for (let j = 0; j < cols; j++) {
    out.push(` c${j}:`);
    for (let q = start[j]; q < start[j + 1]; q++) term(` + ${varName(rowOf[q], j)}`);
    flush();
    out.push(` <= ${capacity}`);
  }
  // Variables are ≥ 0 by default in LP format; x ≤ 1 is implied by the mentee row.
  out.push("End");
  return out.join("\n");
}
