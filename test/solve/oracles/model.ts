/**
 * An independent reading of the `AssignmentProblem` contract (src/solve/types.ts) for the test
 * oracles: every input form is flattened to a list of allowed pairs with per-row / per-column
 * bounds. Nothing here imports the engine, so the oracles cannot share its mistakes.
 */
import type { AssignmentProblem, Bound } from "../../../src/solve/types";

export interface NormalizedProblem {
  readonly rows: number;
  readonly cols: number;
  /** Allowed pairs (allowed by the input form and not forbidden), with their scores. */
  readonly pairRow: readonly number[];
  readonly pairCol: readonly number[];
  readonly pairScore: readonly number[];
  /** `i * cols + j` → index into the pair arrays, for allowed pairs only. */
  readonly pairAt: ReadonlyMap<number, number>;
  /** Indices into the pair arrays of the forced pairs (deduplicated). */
  readonly forced: readonly number[];
  /** Why the forced pairs alone make the problem infeasible (null when they don't). */
  readonly forcedConflict: string | null;
  readonly rowMin: readonly number[];
  readonly rowMax: readonly number[];
  readonly colMin: readonly number[];
  readonly colMax: readonly number[];
  readonly sense: "max" | "min";
  readonly coverageFirst: boolean;
}

/** The outcome an oracle computes: the optimum (objective in the problem's own sense) or none. */
export type OracleResult =
  | {
      readonly status: "optimal";
      readonly objective: number;
      /** Rows covered (with at least one pair): what coverage-first maximizes first. */
      readonly count: number;
      readonly pairs: readonly (readonly [number, number])[];
    }
  | { readonly status: "infeasible" };

function expandBound(b: Bound | undefined, n: number, dflt: number): number[] {
  if (b === undefined) return new Array<number>(n).fill(dflt);
  if (typeof b === "number") return new Array<number>(n).fill(b);
  return Array.from(b);
}

/** Flattens a (valid) problem. Throws on shapes the tests never generate. */
export function normalize(p: AssignmentProblem): NormalizedProblem {
  let rows: number;
  let cols: number;
  const cells: { i: number; j: number; s: number }[] = [];
  if (p.pairs !== undefined) {
    const n = p.pairs.row.length;
    let maxR = -1;
    let maxC = -1;
    for (let k = 0; k < n; k++) {
      maxR = Math.max(maxR, p.pairs.row[k]);
      maxC = Math.max(maxC, p.pairs.col[k]);
    }
    rows = p.rows ?? maxR + 1;
    cols = p.cols ?? maxC + 1;
    for (let k = 0; k < n; k++) {
      cells.push({ i: p.pairs.row[k], j: p.pairs.col[k], s: p.pairs.score[k] });
    }
  } else if (p.scores instanceof Float64Array) {
    rows = p.rows ?? 0;
    cols = p.cols ?? 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        if (p.allowed !== undefined && p.allowed[i * cols + j] === 0) continue;
        cells.push({ i, j, s: p.scores[i * cols + j] });
      }
    }
  } else if (p.scores !== undefined) {
    const m = p.scores;
    rows = m.length;
    cols = rows > 0 ? m[0].length : (p.cols ?? 0);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) cells.push({ i, j, s: m[i][j] });
    }
  } else if (p.scoreRow !== undefined) {
    rows = p.rows ?? 0;
    cols = p.cols ?? 0;
    const out = new Float64Array(cols);
    const ok = new Uint8Array(cols);
    for (let i = 0; i < rows; i++) {
      out.fill(NaN);
      ok.fill(1);
      p.scoreRow(i, out, ok);
      for (let j = 0; j < cols; j++) if (ok[j] === 1) cells.push({ i, j, s: out[j] });
    }
  } else {
    throw new Error("normalize: the problem has neither scores, pairs nor scoreRow");
  }

  const forbidden = new Set<number>();
  for (const [i, j] of p.forbidden ?? []) forbidden.add(i * cols + j);

  const pairRow: number[] = [];
  const pairCol: number[] = [];
  const pairScore: number[] = [];
  const pairAt = new Map<number, number>();
  const inInput = new Set<number>();
  for (const { i, j, s } of cells) {
    const key = i * cols + j;
    inInput.add(key);
    if (forbidden.has(key)) continue;
    pairAt.set(key, pairRow.length);
    pairRow.push(i);
    pairCol.push(j);
    pairScore.push(s);
  }

  const forced: number[] = [];
  let forcedConflict: string | null = null;
  const seen = new Set<number>();
  for (const [i, j] of p.forced ?? []) {
    const key = i * cols + j;
    if (seen.has(key)) {
      forcedConflict ??= `forced pair (${i}, ${j}) is repeated`;
      continue;
    }
    seen.add(key);
    const k = pairAt.get(key);
    if (k === undefined) {
      forcedConflict ??= forbidden.has(key)
        ? `forced pair (${i}, ${j}) is also forbidden`
        : inInput.has(key)
          ? `forced pair (${i}, ${j}) is not allowed`
          : `forced pair (${i}, ${j}) is not an allowed pair`;
      continue;
    }
    forced.push(k);
  }

  return {
    rows,
    cols,
    pairRow,
    pairCol,
    pairScore,
    pairAt,
    forced,
    forcedConflict,
    rowMin: expandBound(p.rowMin, rows, 0),
    rowMax: expandBound(p.rowMax, rows, 1),
    colMin: expandBound(p.colMin, cols, 0),
    colMax: expandBound(p.colMax, cols, 1),
    sense: p.sense ?? "max",
    coverageFirst: p.coverageFirst ?? false,
  };
}

export interface Evaluation {
  /** Every bound, forced and forbidden rule holds and no pair repeats. */
  readonly feasible: boolean;
  /** Σ score of the pairs that are allowed (NaN if a pair is not allowed). */
  readonly objective: number;
  readonly count: number;
  /** What is wrong, in words. */
  readonly problems: readonly string[];
}

/** Checks an answer against the problem from scratch (independent of `verifyCertificate`). */
export function evaluate(
  p: AssignmentProblem | NormalizedProblem,
  pairs: readonly (readonly [number, number])[],
): Evaluation {
  const n = "pairAt" in p ? p : normalize(p);
  const problems: string[] = [];
  const rowLoad = new Array<number>(n.rows).fill(0);
  const colLoad = new Array<number>(n.cols).fill(0);
  const used = new Set<number>();
  let objective = 0;
  for (const [i, j] of pairs) {
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0)) {
      problems.push(`pair (${i}, ${j}) has bad indices`);
      objective = NaN;
      continue;
    }
    if (i >= n.rows || j >= n.cols) {
      problems.push(`pair (${i}, ${j}) is out of range`);
      objective = NaN;
      continue;
    }
    const k = n.pairAt.get(i * n.cols + j);
    if (k === undefined) {
      problems.push(`pair (${i}, ${j}) is not allowed`);
      objective = NaN;
    } else {
      if (used.has(k)) problems.push(`pair (${i}, ${j}) is repeated`);
      used.add(k);
      objective += n.pairScore[k];
    }
    rowLoad[i]++;
    colLoad[j]++;
  }
  if (n.forcedConflict !== null) problems.push(n.forcedConflict);
  for (const k of n.forced) {
    if (!used.has(k)) problems.push(`forced pair (${n.pairRow[k]}, ${n.pairCol[k]}) is missing`);
  }
  for (let i = 0; i < n.rows; i++) {
    if (rowLoad[i] < n.rowMin[i] || rowLoad[i] > n.rowMax[i]) {
      problems.push(`row ${i} has ${rowLoad[i]} pairs, bounds [${n.rowMin[i]}, ${n.rowMax[i]}]`);
    }
  }
  for (let j = 0; j < n.cols; j++) {
    if (colLoad[j] < n.colMin[j] || colLoad[j] > n.colMax[j]) {
      problems.push(`col ${j} has ${colLoad[j]} pairs, bounds [${n.colMin[j]}, ${n.colMax[j]}]`);
    }
  }
  return { feasible: problems.length === 0, objective, count: pairs.length, problems };
}

/** `true` when a and b agree to 1e-9 relative (absolute near zero). */
export function close(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
