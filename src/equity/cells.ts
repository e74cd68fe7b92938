/**
 * One per-mentor group cap (`maxPerMentorPerGroup`) kept exactly by the engine: the side
 * problem's instance grown by a cell per (mentor, group) where the cap can bind, with the cap
 * in the flow itself rather than a multiplier (the equity issue's "extra nodes or arcs").
 *
 * A cap "at most k mentees of group g with mentor j" is a node between the mentees and the
 * mentor in a flow (mentee → (j, g) → j, the middle arc of capacity k). The engine is bipartite,
 * so that node enters as a transportation problem would hold a transshipment node (Orden 1956):
 *
 * - a column for the cell, (j, g), which must take exactly k units: the mentees of g pair with
 *   it instead of with j (same score);
 * - k rows for the cell, each with exactly one unit, paired either with j (a place of j's that
 *   the cell passes on) or with the cell's own column (a place left unused), both at score 0.
 *
 * The cell's column takes k = y + (k − t) units, y from mentees and k − t from its rows, t of
 * which go to j: so t = y ≤ k, and j receives exactly what the cell's mentees take, within its
 * own bounds (minimum load included). Every pair stays a unit pair, so the engine, its proof and
 * its warm re-solves apply unchanged, and the instance's optima are the capped problem's.
 *
 * The proof comes back as the side rows': for duals u (rows), v (columns) of the grown
 * instance, μ_jg = max(0, v_(j,g) − v_j) on the cap's cell and the mentees' and mentors' own
 * duals bound the adjusted scores (s − μ ≤ u_i + v_j wherever s ≤ u_i + v_(j,g)); the k rows of
 * a cell add at least k·μ_jg to the grown bound, so the bound from (u, v, μ) is never above it,
 * and equal at an optimum. `verifyMatch` checks that bound as any other (rows.ts).
 *
 * The engine builds this instance's network from the rows' side (\`Instance.rowsSupply\`): from
 * the columns' side, its own choice when places are scarce, the first solve on the bench's
 * 5,000 × 1,000 cohort took 3.5 s instead of 0.6 s (measured 2026-12-01).
 *
 * Cells are made only where the cap can bind: j's capacity above k and more than k mentees of
 * g allowed with j. A mentee of no stated group (−1) is never capped. Mentors keep their index
 * order, each followed by its cells (groups ascending), so a mentee's pairs stay in column order
 * and at the positions they had: scores written for the side problem's pairs serve as they are.
 */
import type { SideProblem } from "./lagrange.js";
import type { InfeasibilityDiagnosis } from "../solve/types.js";
import type { CapRule } from "./rows.js";

/** The grown instance, and the way back to the side problem's rows and columns. */
export interface CapCells {
  /** Index of the cap in the side rules' `caps`, and its limit k. */
  readonly rule: number;
  readonly max: number;
  readonly groups: number;
  /** The side problem's rows (mentees): rows from here on are the cells' own. */
  readonly mentees: number;
  readonly rows: number;
  readonly cols: number;
  /** CSR by row, columns ascending: the mentees' pairs first (same positions as the side
   * problem's), then two pairs per cell row. */
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly rowMin: Int32Array;
  readonly rowMax: Float64Array;
  readonly colMin: Int32Array;
  readonly colMax: Float64Array;
  readonly forced: readonly (readonly [number, number])[];
  /** Per column: its mentor, and its group (−1 for the mentor's own column). */
  readonly mentorOf: Int32Array;
  readonly groupOf: Int32Array;
  /** Per mentor: its own column. */
  readonly colOf: Int32Array;
}

/** The cells of the first hard cap that can bind (undefined when none can): soft caps trade
 * their excess against fit, and a second cap on another attribute would cross the first (no
 * flow holds both), so those stay side rows. */
export function capCells(p: SideProblem): CapCells | undefined {
  const rule = p.rules.caps.findIndex((c) => !Number.isFinite(c.penalty));
  if (rule < 0) return undefined;
  const cap: CapRule = p.rules.caps[rule];
  const { max: k, code } = cap;
  const G = cap.labels.length;
  const n = p.rows;
  const m = p.cols;
  // Mentees of each group allowed with each mentor, where the mentor can take more than k.
  const allowed = new Int32Array(m * G);
  for (let i = 0; i < n; i++) {
    const g = code[i];
    if (g < 0) continue;
    for (let e = p.start[i]; e < p.start[i + 1]; e++) allowed[p.col[e] * G + g]++;
  }
  const groupOf: number[] = [];
  const mentorOf: number[] = [];
  const colOf = new Int32Array(m);
  const cellCol = new Int32Array(m * G).fill(-1);
  for (let j = 0; j < m; j++) {
    colOf[j] = mentorOf.length;
    mentorOf.push(j);
    groupOf.push(-1);
    if (!(p.colMax[j] > k)) continue;
    for (let g = 0; g < G; g++)
      if (allowed[j * G + g] > k) {
        cellCol[j * G + g] = mentorOf.length;
        mentorOf.push(j);
        groupOf.push(g);
      }
  }
  const cells = mentorOf.length - m;
  if (cells === 0) return undefined;
  const cols = mentorOf.length;
  const E = p.start[n];
  const rows = n + cells * k;
  const start = new Int32Array(rows + 1);
  const col = new Int32Array(E + 2 * cells * k);
  start.set(p.start);
  const colFor = (i: number, j: number) => {
    const g = code[i];
    const c = g >= 0 ? cellCol[j * G + g] : -1;
    return c >= 0 ? c : colOf[j];
  };
  for (let i = 0; i < n; i++)
    for (let e = p.start[i]; e < p.start[i + 1]; e++) col[e] = colFor(i, p.col[e]);
  const rowMin = new Int32Array(rows).fill(1);
  rowMin.set(p.rowMin);
  const rowMax = new Float64Array(rows).fill(1);
  rowMax.set(p.rowMax);
  const colMin = new Int32Array(cols);
  const colMax = new Float64Array(cols);
  let r = n;
  let e = E;
  for (let c = 0; c < cols; c++) {
    const j = mentorOf[c];
    if (groupOf[c] < 0) {
      colMin[c] = p.colMin[j];
      colMax[c] = p.colMax[j];
      continue;
    }
    colMin[c] = k;
    colMax[c] = k;
    for (let t = 0; t < k; t++, r++) {
      col[e++] = colOf[j];
      col[e++] = c;
      start[r + 1] = e;
    }
  }
  return {
    rule,
    max: k,
    groups: G,
    mentees: n,
    rows,
    cols,
    start,
    col,
    rowMin,
    rowMax,
    colMin,
    colMax,
    forced: p.forced.map(([i, j]) => [i, colFor(i, j)] as const),
    mentorOf: Int32Array.from(mentorOf),
    groupOf: Int32Array.from(groupOf),
    colOf,
  };
}

/** The grown instance's pairs as the side problem's: the mentees' pairs, with their mentors
 * (in the order they come: by row, then column, which the mentors' columns keep). */
export function menteePairs(
  x: CapCells,
  pairs: { readonly row: Int32Array; readonly col: Int32Array },
): { row: Int32Array; col: Int32Array } {
  const keep: number[] = [];
  for (let k = 0; k < pairs.row.length; k++) if (pairs.row[k] < x.mentees) keep.push(k);
  return {
    row: Int32Array.from(keep, (k) => pairs.row[k]),
    col: Int32Array.from(keep, (k) => x.mentorOf[pairs.col[k]]),
  };
}

/** The grown instance's duals as the side problem's: the mentees' and the mentors' own, and
 * the cap's multipliers μ_jg = max(0, v_(j,g) − v_j) (key j · groups + g, only where positive). */
export function sideDuals(
  x: CapCells,
  rowDual: Float64Array,
  colDual: Float64Array,
): { rowDual: Float64Array; colDual: Float64Array; cap: Map<number, number> } {
  const cap = new Map<number, number>();
  for (let c = 0; c < x.cols; c++) {
    const g = x.groupOf[c];
    if (g < 0) continue;
    const j = x.mentorOf[c];
    const mu = colDual[c] - colDual[x.colOf[j]];
    if (mu > 0) cap.set(j * x.groups + g, mu);
  }
  return {
    rowDual: rowDual.slice(0, x.mentees),
    colDual: Float64Array.from(x.colOf, (c) => colDual[c]),
    cap,
  };
}

/**
 * An infeasibility diagnosis of the grown instance in people's terms: the mentees and mentors it
 * blames (a cell's row or column stands for its mentor), ascending, and what they need and can
 * get. A mentee's or mentor's own minimum, and locked pairs over a cell's cap (the only bound
 * a cell's column can break: its own rows can always fill it), keep the engine's counts; in a
 * total, and for a group of mentees whose search was stuck, the cells' rows (all, or those
 * reached) are taken out of both counts: each needs, and takes, one place of the columns.
 */
export function cellBlame(
  x: CapCells,
  d: InfeasibilityDiagnosis,
): { mentees: number[]; mentors: number[]; needed: number; possible: number } {
  const mentees = new Set<number>();
  const mentors = new Set<number>();
  const cellCols: number[] = [];
  for (let c = 0; c < x.cols; c++) if (x.groupOf[c] >= 0) cellCols.push(c);
  const row = (r: number) => {
    if (r < x.mentees) mentees.add(r);
    else mentors.add(x.mentorOf[cellCols[Math.floor((r - x.mentees) / x.max)]]);
  };
  const col = (c: number) => mentors.add(x.mentorOf[c]);
  // A forced pair over a bound names its column (mentees' own bounds held without the cap).
  if (d.index !== undefined) (d.kind === "row_min" ? row : col)(d.index);
  if (d.pair) {
    row(d.pair[0]);
    col(d.pair[1]);
  }
  d.rows?.forEach(row);
  d.cols?.forEach(col);
  // The cells' rows in the counts: all of them in a total, those reached in a stuck search.
  const cellRows =
    d.kind === "total" ? x.rows - x.mentees : (d.rows?.filter((r) => r >= x.mentees).length ?? 0);
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return {
    mentees: sorted(mentees),
    mentors: sorted(mentors),
    needed: d.needed - cellRows,
    possible: d.possible - cellRows,
  };
}
