/**
 * The sparse candidate graph and its pricing.
 *
 * A row source is never solved densely: each row keeps its best K free pairs, and `kth[i]`
 * bounds every free pair of row i left out: s_ij − ref_j ≤ kth[i], for reference column prices
 * `ref` (0 at first; the auction's prices after it). After a solve, `price` checks every
 * left-out pair against the duals (reduced score s − u_i − v_j ≤ 0 proves it can't improve the
 * answer). Since s − u_i − v_j ≤ kth[i] − u_i + max_j (r_j − v_j) for the prices r
 * the row's bound was taken at (`refs[refOf[i]]`: `ref`, or the duals of the round that last
 * read the row), a whole row is skipped when that is ≤ 0, which is what makes pricing cheap:
 * usually few rows are read. Pairs that price out are added and the solve
 * resumes warm. This is column generation on a transportation LP (Dantzig & Wolfe 1960; the
 * "sparsify then price" scheme of e.g. Bertsekas's auction codes).
 */
import {
  forEachFreePair,
  isExcluded,
  type Instance,
  type PairList,
  type Scratch,
} from "./instance.js";
import {
  bestValues,
  keptPairs,
  scoreAt,
  viewRow,
  withExcludedPricedOut,
  type RowView,
} from "./rowscan.js";
import type { ArcSet } from "./flow.js";
import { TopList } from "../shared/toplist.js";
import { roundingMargin } from "./numeric.js";

export interface Candidates {
  /** Per row: candidate columns (ascending) and scores. */
  cols: Int32Array[];
  scores: Float64Array[];
  /** s_ij − refs[refOf[i]]_j ≤ kth[i] for every free pair of row i left out (−Infinity: none
   * left out). */
  kth: Float64Array;
  /** The first pass's reference column prices (all ≥ 0; the auction may raise them before any
   * pricing): `refs[0]`, the prices every row's bound starts from. */
  ref: Float64Array;
  /** Reference prices of the bounds: `ref`, then the column duals of each pricing round that
   * read a row (a row's bound is renewed at the duals of its last read). */
  refs: Float64Array[];
  /** Per row: which of `refs` its kth is relative to. */
  refOf: Int32Array;
  /** The coverage phase's own bound (unit scores), from a row's last read in that phase:
   * unit − refs[refOfUnit[i]]_j ≤ kthUnit[i] for every free pair of row i left out, i.e. the
   * cheapest column it left out, at that round's duals (+Infinity: not read in that phase). */
  kthUnit: Float64Array;
  refOfUnit: Int32Array;
  /** Free allowed pairs per row and per column. A column's count is exact when its candidate
   * list did not fill up; otherwise it is the row count (the degree is then above anything the
   * column can take or needs, see initialCandidates). */
  rowDegree: Int32Array;
  colDegree: Int32Array;
  /** The score scale σ: the largest |score| over the free and forced pairs (numeric.ts). */
  scale: number;
  /** True when every free pair is a candidate (no pricing needed). */
  complete: boolean;
}

/**
 * The coverage phase adds at most 1/COVERAGE_SHARE as many pairs a row as the score phase: its
 * pairs that price out are all worth one unit, a row needs one or two of them, and the rest
 * only grow the network. Measured at 20,000 × 4,000 (generated cohort, coverage-first, one-off
 * runs, 2026-11-30): 12 a row 18.3–19.3 s (718,000 candidate pairs at the end), 6 17.4 s,
 * 3 16.3–17.6 s (487,000), 2 16.1 s, the same rounds each time.
 */
const COVERAGE_SHARE = 4;

/** Column lists hold at most about twice this many rows when the capacity is larger. */
const COL_LIST_CAP = 64;

/**
 * Candidate count per row when the caller says "auto": 12, or 3 when the columns' places are
 * fewer than the rows' units (scarce mentors, the usual program). There most rows end unpaired
 * and what the optimum needs is each column's competition, which the column lists hold; longer
 * row lists only make every pivot's pricing and every pricing round longer (measurements in
 * docs/ENGINE.md, step 3). Judged on the bounds as given, before any pair is read: the network's
 * side (network.ts) is chosen later on bounds net of forced pairs and degrees, and may differ.
 */
export function autoK(inst: Instance): number {
  let places = 0;
  let units = 0;
  for (let j = 0; j < inst.cols; j++) places += Math.min(inst.colMax[j], inst.rows);
  for (let i = 0; i < inst.rows; i++) units += Math.min(inst.rowMax[i], inst.cols);
  return Math.min(inst.cols, places < units ? 3 : 12);
}

/**
 * One pass over the rows: degrees, each row's best `k` (+ its max) free pairs by value
 * `s_ij − ref_j`, and each column's best rows (about twice its capacity), so that every column's
 * capacity is reachable in the sparse graph; `kth[i]` bounds the row's pairs left out. `ref`
 * (default 0; all ≥ 0) are reference prices, e.g. estimated duals: with good ones, each row's
 * list already holds the pairs the optimum will want.
 */
export function initialCandidates(
  inst: Instance,
  k: number,
  scratch: Scratch,
  ref: Float64Array = new Float64Array(inst.cols),
  shouldStop: () => boolean = () => false,
): Candidates | undefined {
  const { rows, cols, source } = inst;
  const rowDegree = new Int32Array(rows);
  const colDegree = new Int32Array(cols);
  const out: Candidates = {
    cols: new Array(rows),
    scores: new Array(rows),
    kth: new Float64Array(rows).fill(-Infinity),
    ref: Float64Array.from(ref),
    refs: [],
    refOf: new Int32Array(rows),
    kthUnit: new Float64Array(rows).fill(Infinity),
    refOfUnit: new Int32Array(rows),
    rowDegree,
    colDegree,
    scale: 0,
    complete: source.kind === "sparse",
  };
  out.refs.push(out.ref);
  let scale = 0;
  for (const s of inst.forcedScore) scale = Math.max(scale, Math.abs(s));
  if (source.kind === "sparse") {
    for (let i = 0; i < rows; i++) {
      if ((i & 63) === 0 && shouldStop()) return undefined;
      const cs: number[] = [];
      const ss: number[] = [];
      forEachFreePair(inst, i, scratch, (j, s) => {
        rowDegree[i]++;
        colDegree[j]++;
        cs.push(j);
        ss.push(s);
        scale = Math.max(scale, Math.abs(s));
      });
      out.cols[i] = Int32Array.from(cs);
      out.scores[i] = Float64Array.from(ss);
    }
    out.scale = scale;
    return out;
  }
  // Each column keeps its best rows by score (its price is common to all of them); `colMin`
  // rows at least, and no more than needed when the capacity is unlimited.
  const colTop: TopList[] = [];
  const colThr = new Float64Array(cols).fill(-Infinity);
  for (let j = 0; j < cols; j++) {
    const want = Math.min(inst.colMax[j], Math.max(inst.colMin[j], COL_LIST_CAP), rows);
    colTop.push(new TopList(Math.min(rows, 2 * want + 2)));
  }
  const price = Float64Array.from(ref);
  const top = new TopList(0);
  for (let i = 0; i < rows; i++) {
    if ((i & 63) === 0 && shouldStop()) return undefined;
    // Rows that take several columns need more candidates.
    const want = Math.min(cols, k + Math.min(inst.rowMax[i], cols));
    const row = viewRow(inst, i, scratch);
    out.kth[i] = withExcludedPricedOut(inst, i, price, () =>
      bestValues(row, cols, price, want, top),
    );
    const kept = keptPairs(row, top);
    out.cols[i] = kept.cols;
    out.scores[i] = kept.scores;
    // Degrees and column lists, on the row just read (still in cache).
    if (row.list) {
      scale = listDegreesAndColumns(inst, i, row.list, colTop, colThr, rowDegree, scale);
      continue;
    }
    const { s, ok, off } = row;
    let deg = 0;
    // One pass: the row's degree, the row's score range (for σ), and a compare per pair
    // against the column's entry threshold. The range skips the mask (a masked entry may be
    // anything, NaN too, which compares false); only a row that raises σ is then read again
    // exactly (allowed, free pairs only), which after the first rows is rare.
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < cols; j++) {
      const x = s[off + j];
      const a = ok[off + j];
      deg += a;
      if (x > hi) hi = x;
      else if (x < lo) lo = x;
      if (x <= colThr[j] || a === 0 || isExcluded(inst, i, j)) continue;
      const c = colTop[j];
      c.push(x, i);
      colThr[j] = c.floor;
    }
    if (hi > scale || -lo > scale)
      for (let j = 0; j < cols; j++) {
        const a = Math.abs(s[off + j]);
        if (a > scale && ok[off + j] === 1 && !isExcluded(inst, i, j)) scale = a;
      }
    for (let e = inst.excludedStart[i]; e < inst.excludedStart[i + 1]; e++)
      if (ok[off + inst.excludedCol[e]] === 1) deg--;
    rowDegree[i] = deg;
  }
  // A column list that never filled up holds every free pair of its column, so its length is the
  // column's degree; a full one says only "at least that many" — more than the column can take
  // or its minimum needs — and the column is given the row count instead. (Counting every pair
  // into a per-column array cost a store per pair: ~1/4 of this pass.)
  for (let j = 0; j < cols; j++)
    colDegree[j] = colTop[j].size < colTop[j].cap ? colTop[j].size : rows;
  // Merge the column lists into the rows (in any order: each row gets its columns ascending); kth
  // stays a bound on what is still left out.
  const extraCols: number[][] = new Array(rows);
  const extraScores: number[][] = new Array(rows);
  for (let j = 0; j < cols; j++) {
    const c = colTop[j];
    for (let t = 0; t < c.size; t++) {
      const i = c.idx[t];
      (extraCols[i] ??= []).push(j);
      (extraScores[i] ??= []).push(c.val[t]);
    }
  }
  for (let i = 0; i < rows; i++) if (extraCols[i]) addToRow(out, i, extraCols[i], extraScores[i]);
  out.scale = scale;
  return out;
}

/** `initialCandidates`' pass over a row given as a list (every pair on it allowed): its
 * degree, σ, and each column's entry threshold; returns σ. */
function listDegreesAndColumns(
  inst: Instance,
  i: number,
  list: PairList,
  colTop: TopList[],
  colThr: Float64Array,
  rowDegree: Int32Array,
  scale: number,
): number {
  const { cols, vals, n } = list;
  let deg = n;
  const someExcluded = inst.excludedStart[i + 1] > inst.excludedStart[i];
  for (let t = 0; t < n; t++) {
    const j = cols[t];
    const x = vals[t];
    if (someExcluded && isExcluded(inst, i, j)) {
      deg--;
      continue;
    }
    const a = Math.abs(x);
    if (a > scale) scale = a;
    if (x <= colThr[j]) continue;
    const c = colTop[j];
    c.push(x, i);
    colThr[j] = c.floor;
  }
  rowDegree[i] = deg;
  return scale;
}

/** Pairs added to the candidate lists (instance rows and columns, with their scores), in the
 * order they were added: what a pricing round hands the network (network.ts). */
export interface AddedPairs {
  readonly row: number[];
  readonly col: number[];
  readonly score: number[];
}

export function noPairs(): AddedPairs {
  return { row: [], col: [], score: [] };
}

/** Adds pairs to row i: a merge by column into its sorted list (a column already there takes the
 * new score). The pairs that were not on the list yet are recorded in `added`. */
export function addToRow(
  c: Candidates,
  i: number,
  cols: number[],
  scores: number[],
  added?: AddedPairs,
): void {
  let ascending = true;
  for (let t = 1; t < cols.length && ascending; t++) ascending = cols[t - 1] < cols[t];
  // The column lists come in column order; pricing's pairs come best first.
  const order = ascending
    ? Array.from(cols.keys())
    : Array.from(cols.keys()).sort((a, b) => cols[a] - cols[b]);
  const oldCols = c.cols[i];
  const oldScores = c.scores[i];
  const outCols = new Int32Array(oldCols.length + cols.length);
  const outScores = new Float64Array(outCols.length);
  let a = 0;
  let b = 0;
  let k = 0;
  // Whether the last entry written is a new pair (recorded in `added`).
  let lastNew = false;
  while (a < oldCols.length || b < order.length) {
    const ja = a < oldCols.length ? oldCols[a] : Infinity;
    const jb = b < order.length ? cols[order[b]] : Infinity;
    if (jb <= ja) {
      const s = scores[order[b++]];
      if (k > 0 && outCols[k - 1] === jb) {
        // The same column twice among the new pairs (no caller sends one; kept safe): the later
        // score stands.
        outScores[k - 1] = s;
        if (lastNew && added) added.score[added.score.length - 1] = s;
        continue;
      }
      outCols[k] = jb;
      outScores[k++] = s;
      lastNew = ja !== jb;
      if (!lastNew) a++;
      else if (added) {
        added.row.push(i);
        added.col.push(jb);
        added.score.push(s);
      }
    } else {
      outCols[k] = ja;
      outScores[k++] = oldScores[a++];
      lastNew = false;
    }
  }
  // Columns are rarely repeated: then the merge filled the arrays exactly.
  c.cols[i] = k === outCols.length ? outCols : outCols.slice(0, k);
  c.scores[i] = k === outScores.length ? outScores : outScores.slice(0, k);
}

/** The candidate set as a CSR arc set, optionally with every score replaced by `unit`. */
export function toArcs(c: Candidates, unit?: number): ArcSet {
  const rows = c.cols.length;
  const start = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) start[i + 1] = start[i] + c.cols[i].length;
  const col = new Int32Array(start[rows]);
  const score = new Float64Array(start[rows]);
  for (let i = 0; i < rows; i++) {
    col.set(c.cols[i], start[i]);
    if (unit === undefined) score.set(c.scores[i], start[i]);
    else score.fill(unit, start[i], start[i + 1]);
  }
  return { start, col, score };
}

export interface Duals {
  u: Float64Array;
  v: Float64Array;
  /** The dual of the uncovered column, when the network has one (network.ts). */
  z?: number;
}

/**
 * Adds every left-out pair whose reduced score is positive (at most `maxPerRow` per row, the most
 * positive first); returns the pairs added. Tightens kth for every row it reads.
 * With `unit`, every allowed score counts as `unit` (the coverage phase), and the pairs that
 * price out, all alike, are taken best real score first, fewer of them (COVERAGE_SHARE).
 */
export function price(
  inst: Instance,
  c: Candidates,
  duals: Duals,
  tol: number,
  maxPerRow: number,
  scratch: Scratch,
  shouldStop: () => boolean,
  unit?: number,
): AddedPairs {
  const { u, v } = duals;
  const m = inst.cols;
  const drift = refDrift(c, v);
  const units = unit !== undefined;
  // Pairs are ranked by s − v_j (the row's u is common to all): one bounded scan
  // (rowscan.ts) with the row's own candidates priced out at Infinity. With scores, a row read
  // here gets its bound relative to these duals (a new entry of `refs`, `snapshot`): the best
  // value that scan dropped or did not take, so once the duals settle, the next round's bound is
  // about kth − u_i ≤ 0 and the row need not be read again. The coverage phase keeps the first
  // reference prices (its bound relies on them being ≥ 0, see leftOutBound) and takes the bound
  // in a second scan at them (`byRef`), the pairs taken priced out too.
  const byDual = Float64Array.from(v);
  const snapshot = Float64Array.from(v);
  const byRef = units ? Float64Array.from(c.ref) : undefined;
  // The coverage phase's byDual: 0 where a pair prices out, Infinity where not, for the `open`
  // it was set for (a row's u_i; the phase's duals take few values, so it is set again
  // only when that changes, or just at a short row's own columns).
  let gateOpen = NaN;
  let refIndex = 0;
  const top = new TopList(maxPerRow);
  const perRow = units ? Math.ceil(maxPerRow / COVERAGE_SHARE) : maxPerRow;
  const added = noPairs();
  for (let i = 0; i < inst.rows; i++) {
    if (!leftOutMayPrice(c, i, u[i], drift, tol, unit)) continue;
    // Polled per row read (a read can cost as much as scoring a whole row); cut short, the
    // caller sees the stop and does not take "nothing added" as a proof.
    if (shouldStop()) break;
    const row = viewRow(inst, i, scratch);
    // The coverage phase: every pair with unit − u_i − v_j > tol prices out alike, so they
    // are ranked by their real score (the next phase wants those): price 0 if it prices out,
    // Infinity if not.
    const open = units ? unit! - u[i] - tol : NaN;
    if (units && open !== gateOpen) {
      if (row.list && 8 * row.list.n < m) {
        // A short list: only its columns are scanned, so only theirs are set (and the gate
        // holds for no `open` after that).
        const { cols, n } = row.list;
        for (let t = 0; t < n; t++) byDual[cols[t]] = v[cols[t]] < open ? 0 : Infinity;
        gateOpen = NaN;
      } else {
        for (let j = 0; j < m; j++) byDual[j] = v[j] < open ? 0 : Infinity;
        gateOpen = open;
      }
    }
    const own = c.cols[i];
    for (let t = 0; t < own.length; t++) byDual[own[t]] = Infinity;
    withExcludedPricedOut(inst, i, byDual, () => bestValues(row, m, byDual, perRow, top));
    for (let t = 0; t < own.length; t++) {
      const j = own[t];
      byDual[j] = !units ? v[j] : v[j] < open ? 0 : Infinity;
    }
    const cols: number[] = [];
    const scores: number[] = [];
    let left = top.dropped;
    for (let t = 0; t < top.size; t++) {
      if (!units && top.val[t] - u[i] <= tol) {
        if (top.val[t] > left) left = top.val[t];
        continue;
      }
      cols.push(top.idx[t]);
      scores.push(scoreAt(row, top.idx[t]));
    }
    if (byRef) {
      // Over the pairs still left out (own and taken columns priced out): the best value at the
      // reference prices, and the phase's own bound at these duals, the cheapest column.
      for (const j of own) byRef[j] = Infinity;
      for (const j of cols) byRef[j] = Infinity;
      const out = withExcludedPricedOut(inst, i, byRef, () => bestAndCheapest(row, m, byRef, v));
      for (const j of own) byRef[j] = c.ref[j];
      for (const j of cols) byRef[j] = c.ref[j];
      c.kth[i] = out.best;
      const cheapest = out.cheapest;
      if (refIndex === 0) refIndex = c.refs.push(snapshot) - 1;
      c.kthUnit[i] = unit! - cheapest;
      c.refOfUnit[i] = refIndex;
      c.refOf[i] = 0;
    } else {
      if (refIndex === 0) refIndex = c.refs.push(snapshot) - 1;
      c.kth[i] = left;
      c.refOf[i] = refIndex;
    }
    if (cols.length > 0) addToRow(c, i, cols, scores, added);
  }
  return added;
}

/** Over the row's allowed columns not priced out (`price[j]` Infinity): the best value
 * s_ij − price_j (−Infinity: none) and the least v_j (Infinity: none), in one pass. */
function bestAndCheapest(
  row: RowView,
  m: number,
  price: Float64Array,
  v: Float64Array,
): { best: number; cheapest: number } {
  let best = -Infinity;
  let cheapest = Infinity;
  if (row.list) {
    const { cols, vals, n } = row.list;
    for (let t = 0; t < n; t++) {
      const j = cols[t];
      const p = price[j];
      if (p === Infinity) continue;
      if (vals[t] - p > best) best = vals[t] - p;
      if (v[j] < cheapest) cheapest = v[j];
    }
  } else
    for (let j = 0; j < m; j++) {
      const p = price[j];
      if (row.ok[row.off + j] !== 1 || p === Infinity) continue;
      if (row.s[row.off + j] - p > best) best = row.s[row.off + j] - p;
      if (v[j] < cheapest) cheapest = v[j];
    }
  return { best, cheapest };
}

/** kth[i] − u_i + drift: a bound on the reduced score of every pair of row i left out of the
 * candidates (see the top of this file); −Infinity when none is left out. `drift` is
 * `refDrift`'s, per entry of `refs`: the row's own. With unit scores the lesser of two bounds:
 * unit − u_i + drift[0] (unit − v_j ≤ unit + ref_j − v_j, since the first prices are ≥ 0), and
 * the phase's own kthUnit[i] − u_i + drift, which after a read at settled duals is about u_i's
 * slack and lets the row be skipped. */
export function leftOutBound(
  c: Candidates,
  i: number,
  ui: number,
  drift: Float64Array,
  unit?: number,
): number {
  if (c.kth[i] === -Infinity) return -Infinity;
  if (unit === undefined) return c.kth[i] - ui + drift[c.refOf[i]];
  return Math.min(unit + drift[0], c.kthUnit[i] + drift[c.refOfUnit[i]]) - ui;
}

/** A bound on the rounding of `leftOutBound` with the instance's scores (numeric.ts's
 * `roundingMargin` of its operands). */
export function leftOutMargin(c: Candidates, i: number, ui: number, drift: Float64Array): number {
  return roundingMargin(c.kth[i], ui, drift[c.refOf[i]]);
}

/** Whether a pair of row i left out of the candidates could still have reduced score above
 * `tol`. */
export const leftOutMayPrice = (
  c: Candidates,
  i: number,
  ui: number,
  drift: Float64Array,
  tol: number,
  unit?: number,
): boolean => leftOutBound(c, i, ui, drift, unit) > tol;

/** Per entry of `refs`: max_j (ref_j − v_j), how far the duals moved below those reference
 * prices (0 with no columns). */
export function refDrift(c: Candidates, v: Float64Array): Float64Array {
  return Float64Array.from(c.refs, (ref) => {
    let d = v.length === 0 ? 0 : -Infinity;
    for (let j = 0; j < v.length; j++) if (ref[j] - v[j] > d) d = ref[j] - v[j];
    return d;
  });
}

/** Adds every free pair of the given rows (used when the sparse graph looks infeasible); returns
 * the pairs added. */
export function completeRows(
  inst: Instance,
  c: Candidates,
  rows: ArrayLike<number>,
  scratch: Scratch,
): AddedPairs {
  const added = noPairs();
  for (let t = 0; t < rows.length; t++) {
    const i = rows[t];
    if (c.kth[i] === -Infinity) continue;
    const cols: number[] = [];
    const scores: number[] = [];
    forEachFreePair(inst, i, scratch, (j, s) => {
      cols.push(j);
      scores.push(s);
    });
    addToRow(c, i, cols, scores, added);
    c.kth[i] = -Infinity;
  }
  return added;
}
