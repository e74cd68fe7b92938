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
  for (let rule = 0; rule < p.rules.caps.length; rule++)
    if (!Number.isFinite(p.rules.caps[rule].penalty)) {
      const x = cellsOf(p, rule);
      if (x) return x;
    }
  return undefined;
}

/** The grown instance for cap `rule` (an index in the side rules' caps), or undefined when the
 * cap can bind nowhere. */
function cellsOf(p: SideProblem, rule: number): CapCells | undefined {
  const cap: CapRule = p.rules.caps[rule];
  const { max: k, code } = cap;
  const G = cap.labels.length;
  const n = p.rows;
  const m = p.cols;
  const { allowed } = allowedByGroup(p, code, G);
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

/** Who a cap held in the flow leaves short, in people's terms: mentees and mentors (ascending),
 * what they need and what they can get under the cap. */
export interface CapShortfall {
  readonly mentees: readonly number[];
  readonly mentors: readonly number[];
  readonly needed: number;
  readonly possible: number;
}

/**
 * Why no assignment keeps the cap (the grown flow had none, the bounds alone do): the first of
 * these counts that fails — locked pairs of one group with one mentor over the cap; a mentor
 * whose minimum load the cap leaves out of reach (at most k of each group); a group's mentees
 * whose minimums outrun what their mentors can take of that group — else the engine's own
 * finding where it speaks of mentees or mentors (a mentee's or mentor's minimum; a total, less
 * the cells' rows on both sides), else no one (needed and possible 0): the flow proves it, no
 * single count explains it. The engine's other findings can name a cell whose rows were not
 * routed yet when the search stopped, which says nothing about people.
 */
export function capShortfall(p: SideProblem, x: CapCells, d: InfeasibilityDiagnosis): CapShortfall {
  const { code } = p.rules.caps[x.rule];
  const k = x.max;
  const G = x.groups;
  const sorted = (a: Iterable<number>) => [...new Set(a)].sort((u, v) => u - v);
  // Locked pairs over the cap.
  const locked = new Map<number, number[]>();
  for (const [i, j] of p.forced)
    if (code[i] >= 0) {
      const key = j * G + code[i];
      locked.set(key, [...(locked.get(key) ?? []), i]);
    }
  for (const [key, who] of [...locked].sort((a, b) => a[0] - b[0]))
    if (who.length > k)
      return {
        mentees: sorted(who),
        mentors: [Math.floor(key / G)],
        needed: who.length,
        possible: k,
      };
  // A mentor's minimum load: at most k of each group, any number of mentees of no group.
  const { allowed, free } = allowedByGroup(p, code, G);
  for (let j = 0; j < p.cols; j++) {
    if (p.colMin[j] === 0) continue;
    let most = free[j];
    for (let g = 0; g < G; g++) most += Math.min(k, allowed[j * G + g]);
    most = Math.min(most, p.colMax[j]);
    if (most < p.colMin[j])
      return { mentees: [], mentors: [j], needed: p.colMin[j], possible: most };
  }
  // A group's mentees with minimums: each of their mentors takes at most k of the group.
  for (let g = 0; g < G; g++) {
    const who: number[] = [];
    const mentors = new Set<number>();
    let needed = 0;
    for (let i = 0; i < p.rows; i++)
      if (code[i] === g && p.rowMin[i] > 0) {
        who.push(i);
        needed += p.rowMin[i];
        for (let e = p.start[i]; e < p.start[i + 1]; e++) mentors.add(p.col[e]);
      }
    let possible = 0;
    for (const j of mentors) possible += Math.min(k, p.colMax[j]);
    if (needed > possible) return { mentees: who, mentors: sorted(mentors), needed, possible };
  }
  // The engine's finding, where it is about people.
  const cellRows = x.rows - x.mentees;
  if (d.kind === "total")
    return {
      mentees: [],
      mentors: [],
      needed: d.needed - cellRows,
      possible: d.possible - cellRows,
    };
  if (d.kind === "row_min" && d.index !== undefined && d.index < x.mentees && !d.rows)
    return { mentees: [d.index], mentors: [], needed: d.needed, possible: d.possible };
  if (d.kind === "col_min" && d.index !== undefined && x.groupOf[d.index] < 0)
    return { mentees: [], mentors: [x.mentorOf[d.index]], needed: d.needed, possible: d.possible };
  return { mentees: [], mentors: [], needed: 0, possible: 0 };
}

/** Mentees allowed with each mentor: of each group (key j · groups + g), and of no group. */
function allowedByGroup(
  p: SideProblem,
  code: Int32Array,
  groups: number,
): { allowed: Int32Array; free: Int32Array } {
  const allowed = new Int32Array(p.cols * groups);
  const free = new Int32Array(p.cols);
  for (let i = 0; i < p.rows; i++)
    for (let e = p.start[i]; e < p.start[i + 1]; e++)
      if (code[i] >= 0) allowed[p.col[e] * groups + code[i]]++;
      else free[p.col[e]]++;
  return { allowed, free };
}
