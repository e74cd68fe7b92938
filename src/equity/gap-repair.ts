/**
 * Mean-fit gaps (maxMeanFitGap) kept by local search on an answer that keeps every other rule.
 *
 * A group's mean fit is a ratio of two sums over the pairs, so a gap rule is no linear row and
 * has no multiplier (rows.ts): the Lagrangian search (lagrange.ts) bounds the optimum without
 * it, which bounds the optimum with it too, and its answer is then moved, step by step, until
 * every gap rule holds. Each step is the one that shrinks the total excess, Σ over gap rules of
 * max(0, gap − δ), the most per unit of fit it costs (a greedy exchange, as in the repair
 * heuristics for assignment with side constraints, e.g. Fisher, Jaikumar and Van Wassenhove
 * 1986):
 *
 * - swap the mentors of two pairs, one of a group at an end of a failing rule's range, the
 *   other of any other mentee (the end's lowest pairs against the others' highest for the
 *   lowest mean, the other way round for the highest); loads and pair counts stay;
 * - move a pair of such a group to a mentor with room, when the bounds allow;
 * - drop a pair of such a group (its lowest for the lowest mean, its highest for the highest),
 *   when the bounds allow and `drops` does, and only when no other step helps: dropping a low
 *   group's weak pairs "raises" its mean by leaving its mentees unmatched, which is what a
 *   program with this rule wants least (see `Drops`).
 *
 * A step must keep every other rule (rows.ts `holdsBesideGaps`), locked pairs stay, and no mentee
 * gets the same mentor twice. The search stops when every gap rule holds, when no step shrinks
 * the excess, or on `stop`; it returns the pairs only when every rule holds. Deterministic: the
 * candidates come in a fixed order and ties keep the first.
 */
import { maxAbs } from "../solve/numeric.js";
import { csrIndexOf } from "../shared/sorted.js";
import type { SideProblem } from "./lagrange.js";
import { gapHeld, meanFitGap, meanSpread } from "./rules.js";
import { rowValues } from "./rows.js";

/** Pairs of each end group tried per step (its lowest or highest fits), and partners per other
 * group. */
const CANDIDATES = 48;
/** New pairs looked at per step and group, and tried when polishing. */
const ADDS = 4096;
/** Steps tried per round, best first, until one keeps every other rule. */
const TRIES = 64;
/** Most steps taken together in one round, and the rounds of one step each before any is. One
 * step at a time finds better answers (each step sees the last one's effect); long repairs, on
 * large cohorts, need the rounds cut. */
const MAX_BATCH = 64;
const BATCH_AFTER = 256;

export interface GapPairs {
  readonly row: Int32Array;
  readonly col: Int32Array;
}

export function narrowGaps(
  p: SideProblem,
  start: GapPairs,
  minPairs: number,
  stop: () => boolean,
  drops: Drops,
): (GapPairs & { objective: number }) | undefined {
  const rules = p.rules;
  const row = Array.from(start.row);
  const col = Array.from(start.col);
  const lookup = (i: number, j: number) => csrIndexOf(p.start, p.col, i, j);
  const edge = row.map((i, t) => lookup(i, col[t]));
  const fitAt = (t: number) => p.fit[edge[t]];
  const forced = new Set(p.forced.map(([i, j]) => i * p.cols + j));
  const taken = new Set(row.map((i, t) => i * p.cols + col[t]));
  const rowLoad = new Int32Array(p.rows);
  const colLoad = new Int32Array(p.cols);
  for (let t = 0; t < row.length; t++) {
    rowLoad[row[t]]++;
    colLoad[col[t]]++;
  }
  const coveredNow = () => {
    let k = 0;
    for (let i = 0; i < p.rows; i++) if (rowLoad[i] > 0) k++;
    return k;
  };
  const limit = 4 * row.length + 16;
  // The fits' scale, for "smaller than rounding" (with every fit 0 no gap can fail).
  const fitScale = maxAbs(p.fit) || 1;
  // Steps taken together per round (see below), once BATCH_AFTER rounds have taken one each:
  // doubled after a round that helps, halved after one that does not.
  let batch = 1;

  for (let step = 0; step < limit && !stop(); step++) {
    // Per gap rule: the groups' sums and pairs, and the excess now.
    const state = rules.gaps.map((r) => {
      const m = meanFitGap(r.code, r.labels.length, r.groups, row, fitAt);
      return { r, sum: m.sum, pairs: m.pairs, m };
    });
    if (state.every((x) => gapHeld(x.m, x.r.maxGap))) {
      polish();
      let objective = 0;
      for (let t = 0; t < row.length; t++) objective += fitAt(t);
      return { row: Int32Array.from(row), col: Int32Array.from(col), objective };
    }
    const excess = () => {
      let e = 0;
      for (const { r, sum, pairs } of state) {
        const m = meanSpread(r.groups, sum, pairs);
        if (!gapHeld(m, r.maxGap)) e += m.gap! - r.maxGap;
      }
      return e;
    };
    const now = excess();
    // Mentees covered: loads change only when a step is applied, after the candidates.
    const coveredAtStart = minPairs > 0 ? coveredNow() : 0;
    // Changes one pair's fit contribution in every rule's sums (and its count, for a drop).
    const shift = (i: number, fit: number, count: number) => {
      for (const { r, sum, pairs } of state) {
        const g = r.code[i];
        if (g < 0) continue;
        sum[g] += fit;
        pairs[g] += count;
      }
    };

    // Candidate steps, scored by excess shrunk per fit lost.
    const moves: { move: Move; ratio: number }[] = [];
    const offer = (move: Move, shrink: number, loss: number) => {
      if (!(shrink > ROUND * Math.max(fitScale, now))) return;
      const ratio = shrink / Math.max(loss, ROUND * fitScale);
      moves.push({ move, ratio });
    };
    const ascending = (a: number, b: number) => fitAt(a) - fitAt(b) || a - b;
    const movable: number[] = [];
    for (let t = 0; t < row.length; t++) if (!forced.has(row[t] * p.cols + col[t])) movable.push(t);
    movable.sort(ascending);
    // Mentors with room (for moves and adds).
    const roomy = withRoom();
    // Each failing rule's ends: the pairs of its lowest-mean and highest-mean groups.
    for (const { r, m } of state) {
      if (gapHeld(m, r.maxGap)) continue;
      for (const [end, up] of [
        [m.loG, true],
        [m.hiG, false],
      ] as const) {
        const own = movable.filter((t) => r.code[row[t]] === end);
        const rest = movable.filter((t) => r.code[row[t]] !== end);
        // The lowest mean gives its lowest pairs away for the highest of the others; the
        // highest mean its highest for the lowest.
        const mine = up ? own.slice(0, CANDIDATES) : own.slice(-CANDIDATES).reverse();
        const theirs = up ? rest.slice(-CANDIDATES).reverse() : rest.slice(0, CANDIDATES);
        for (const t of mine) {
          const i = row[t];
          const a = col[t];
          for (const u of theirs) {
            const k = row[u];
            const b = col[u];
            if (a === b || taken.has(i * p.cols + b) || taken.has(k * p.cols + a)) continue;
            const ib = lookup(i, b);
            const ka = lookup(k, a);
            if (ib < 0 || ka < 0) continue;
            shift(i, p.fit[ib] - fitAt(t), 0);
            shift(k, p.fit[ka] - fitAt(u), 0);
            const shrink = now - excess();
            shift(i, fitAt(t) - p.fit[ib], 0);
            shift(k, fitAt(u) - p.fit[ka], 0);
            offer({ kind: "swap", t, u }, shrink, fitAt(t) + fitAt(u) - p.fit[ib] - p.fit[ka]);
          }
          // To a mentor with room, when the bounds allow (loads stay within them).
          if (roomy.length > 0 && colLoad[a] > p.colMin[a])
            for (let e = p.start[i]; e < p.start[i + 1]; e++) {
              const c = p.col[e];
              if (colLoad[c] >= p.colMax[c] || taken.has(i * p.cols + c)) continue;
              shift(i, p.fit[e] - fitAt(t), 0);
              const shrink = now - excess();
              shift(i, fitAt(t) - p.fit[e], 0);
              offer({ kind: "move", t, e }, shrink, fitAt(t) - p.fit[e]);
            }
          // Never a group's last pair: a group left without pairs drops out of the means, which
          // would "keep" the rule by leaving that group unmatched.
          // Nor a mentee's last pair when the answer must cover `minPairs` mentees and covers
          // no more (coverage-first).
          if (
            drops !== "none" &&
            (rowLoad[i] > 1 || minPairs === 0 || coveredAtStart > minPairs) &&
            rowLoad[i] > p.rowMin[i] &&
            colLoad[a] > p.colMin[a] &&
            state.every(({ r: g, pairs }) => g.code[i] < 0 || pairs[g.code[i]] > 1)
          ) {
            shift(i, -fitAt(t), -1);
            const shrink = now - excess();
            shift(i, fitAt(t), 1);
            offer({ kind: "drop", t }, shrink, fitAt(t));
          }
        }
        // A new pair for a mentee of the group with room, with a mentor with room.
        let budget = ADDS;
        for (let i = 0; i < p.rows && budget > 0 && roomy.length > 0; i++) {
          if (r.code[i] !== end || rowLoad[i] >= p.rowMax[i]) continue;
          for (const c of roomy) {
            if (--budget < 0) break;
            const e = lookup(i, c);
            if (e < 0 || taken.has(i * p.cols + c)) continue;
            shift(i, p.fit[e], 1);
            const shrink = now - excess();
            shift(i, -p.fit[e], -1);
            offer({ kind: "add", t: -1, i, e }, shrink, -p.fit[e]);
          }
        }
      }
    }
    // The best step that keeps every other rule (drops after every other step, "last").
    const rank = (x: Move) => (drops === "last" && x.kind === "drop" ? 1 : 0);
    moves.sort((x, y) => rank(x.move) - rank(y.move) || y.ratio - x.ratio);
    // Several steps at once, the best that touch no mentee, mentor or pair of another (drops,
    // which renumber the pairs, alone): kept when every other rule holds and the excess shrinks.
    if (batch > 1 && tryBatch(moves, now, excess, state)) {
      batch = Math.min(2 * batch, MAX_BATCH);
      continue;
    }
    batch = Math.max(1, batch >> 1);
    // Each try re-measures every rule: TRIES at most per step (and the clock between them).
    let moved = false;
    for (const { move } of moves.slice(0, TRIES)) {
      if (stop()) return undefined;
      const undo = apply(move);
      if (rowValues(rules, row, col, fitAt).holdsBesideGaps) {
        moved = true;
        break;
      }
      undo();
    }
    if (!moved) return undefined;
    if (step >= BATCH_AFTER) batch = Math.min(2 * batch, MAX_BATCH);
  }
  return undefined;

  /** Applies up to `batch` of the best steps that share no mentee, mentor or pair (no drop);
   * keeps them when every other rule holds and the excess falls below `now`, else undoes them. */
  function tryBatch(
    moves: readonly { move: Move; ratio: number }[],
    now: number,
    excess: () => number,
    state: readonly { sum: Float64Array; pairs: Int32Array }[],
  ): boolean {
    const used = new Set<string>();
    const undos: (() => void)[] = [];
    const touches = (m: Move): string[] => {
      if (m.kind === "add") return [`i${m.i}`, `j${p.col[m.e]}`];
      const out = [`t${m.t}`, `i${row[m.t]}`, `j${col[m.t]}`];
      if (m.kind === "swap") out.push(`t${m.u}`, `i${row[m.u]}`, `j${col[m.u]}`);
      if (m.kind === "move") out.push(`j${p.col[m.e]}`);
      return out;
    };
    for (const { move } of moves) {
      if (undos.length >= batch) break;
      if (move.kind === "drop") continue;
      const keys = touches(move);
      if (keys.some((k) => used.has(k))) continue;
      for (const k of keys) used.add(k);
      undos.push(apply(move));
    }
    if (undos.length > 1 && rowValues(rules, row, col, fitAt).holdsBesideGaps) {
      // The excess after the steps, measured afresh.
      const after = rules.gaps.map((r) =>
        meanFitGap(r.code, r.labels.length, r.groups, row, fitAt),
      );
      state.forEach((x, k) => {
        x.sum.set(after[k].sum);
        x.pairs.set(after[k].pairs);
      });
      if (excess() < now - ROUND * Math.max(fitScale, now)) return true;
    }
    for (const undo of undos.reverse()) undo();
    return false;
  }

  /** Mentors with room, ascending. */
  function withRoom(): number[] {
    const out: number[] = [];
    for (let j = 0; j < p.cols; j++) if (colLoad[j] < p.colMax[j]) out.push(j);
    return out;
  }

  /**
   * With every rule kept: new pairs (mentees with room, mentors with room), best fit first,
   * each kept when every rule still holds (ADDS tried at most) — pairs a drop gave up may fit
   * again once the means have moved.
   */
  function polish(): void {
    const roomy = withRoom();
    if (roomy.length === 0) return;
    const offers: { i: number; e: number }[] = []; // mentee and CSR entry
    for (let i = 0; i < p.rows && offers.length < ADDS; i++) {
      if (rowLoad[i] >= p.rowMax[i]) continue;
      for (const c of roomy) {
        const e = lookup(i, c);
        if (e >= 0 && !taken.has(i * p.cols + c) && p.fit[e] > 0) offers.push({ i, e });
      }
    }
    offers.sort((x, y) => p.fit[y.e] - p.fit[x.e] || x.e - y.e);
    for (const { i, e } of offers.slice(0, ADDS)) {
      if (stop()) return;
      const c = p.col[e];
      if (rowLoad[i] >= p.rowMax[i] || colLoad[c] >= p.colMax[c] || taken.has(i * p.cols + c))
        continue;
      const undo = apply({ kind: "add", t: -1, i, e });
      if (!rowValues(rules, row, col, fitAt).holds) undo();
    }
  }

  /** Makes a move on the pairs; returns its undo. */
  function apply(move: Move) {
    if (move.kind === "add") {
      const { i } = move;
      const c = p.col[move.e];
      row.push(i);
      col.push(c);
      edge.push(move.e);
      taken.add(i * p.cols + c);
      rowLoad[i]++;
      colLoad[c]++;
      return () => {
        row.pop();
        col.pop();
        edge.pop();
        taken.delete(i * p.cols + c);
        rowLoad[i]--;
        colLoad[c]--;
      };
    }
    const { t } = move;
    const i = row[t];
    const a = col[t];
    const et = edge[t];
    if (move.kind === "move") {
      const c = p.col[move.e];
      const to = (j: number, e: number, from: number) => {
        taken.delete(i * p.cols + from);
        colLoad[from]--;
        col[t] = j;
        edge[t] = e;
        taken.add(i * p.cols + j);
        colLoad[j]++;
      };
      to(c, move.e, a);
      return () => to(a, et, c);
    }
    if (move.kind === "drop") {
      row.splice(t, 1);
      col.splice(t, 1);
      edge.splice(t, 1);
      taken.delete(i * p.cols + a);
      rowLoad[i]--;
      colLoad[a]--;
      return () => {
        row.splice(t, 0, i);
        col.splice(t, 0, a);
        edge.splice(t, 0, et);
        taken.add(i * p.cols + a);
        rowLoad[i]++;
        colLoad[a]++;
      };
    }
    const { u } = move;
    const k = row[u];
    const b = col[u];
    const eu = edge[u];
    const set = (ta: number, tb: number, ea: number, eb: number) => {
      taken.delete(i * p.cols + col[t]);
      taken.delete(k * p.cols + col[u]);
      col[t] = ta;
      col[u] = tb;
      edge[t] = ea;
      edge[u] = eb;
      taken.add(i * p.cols + ta);
      taken.add(k * p.cols + tb);
    };
    set(b, a, lookup(i, b), lookup(k, a));
    return () => set(a, b, et, eu);
  }
}

/** Whether pairs may be dropped: not at all (the answer keeps its pair count), or only when no
 * other step keeps the rules (the fewest pairs lost; never a group's last pair). */
export type Drops = "none" | "last";

/** A step: swap the mentors of pairs t and u; move pair t to the mentor of CSR entry e (its
 * mentee's pair there); drop pair t; add mentee i's pair at CSR entry e. */
type Move =
  | { kind: "swap"; t: number; u: number }
  | { kind: "move"; t: number; e: number }
  | { kind: "drop"; t: number }
  | { kind: "add"; t: -1; i: number; e: number };

/** Changes smaller than this share of the values compared are rounding. */
const ROUND = 1e-12;
