/**
 * The assignment under side rows (rows.ts), by Lagrangian relaxation on the exact engine:
 *
 * 1. Subgradient search on the multipliers (Polyak steps, Held–Wolfe–Crowder 1974; Fisher 1981):
 *    each step is one exact, certified engine solve on the adjusted scores, whose proven bound
 *    plus λ·b bounds the constrained optimum (rows.ts). The best bound is kept with its
 *    multipliers and the engine's duals: that is the certificate.
 * 2. Every solve's pairs that keep the rules are an answer; the best is kept.
 * 3. Repair, after a first solve that breaks a rule and when the search ends with the gap open:
 *    from the current (then the best) multipliers, raise the
 *    multipliers of share groups and reserves that fall short (for a rate row's group, a bonus
 *    on its pairs first, then its multiplier), and bar the pairs of cap cells
 *    beyond their limit, re-solving until the rules hold.
 * 4. The gap between the best answer and the best bound is proven; within the verifier's
 *    tolerance it is 0, and the answer optimal.
 *
 * Coverage-first counts mentees covered (with at least one mentor) first, on the engine's
 * augmented instance (docs/ENGINE.md, "Coverage-first"; `Instance.uncovered`): one more column
 * Z with a pair for every mentee row with minMentors 0 and maxMentors ≥ 1, each such row taking
 * at least one unit, so a row is uncovered exactly when it takes its Z pair. Counting, real pairs
 * score their fit × a small weight and Z pairs −1 (the most mentees covered, C, with a bound on
 * it: below C + 1 proves C); then the fits with "at least C mentees covered" held in the flow:
 * Z takes at most U = R − C pairs (R the mentees that can be covered; a new instance, so the fit
 * search starts cold). The side rules never see Z: its pairs are never in an answer. C is
 * first the count without the rules (a quick try, see solveWithSideRows), then, if no answer
 * with that many keeps the rules, the count with them. Fits are never negative, so a bound below
 * 0 proves that no assignment keeps the rules.
 *
 * Mean-fit gaps have no rows (rows.ts): the search keeps every other rule, and its answer is
 * then moved until the gaps hold too (gap-repair.ts), under the same proof.
 */
import { csrIndexOf } from "../shared/sorted.js";
import {
  csrRowSource,
  type Instance,
  type RowSource,
  type SparseSource,
} from "../solve/instance.js";
import { finishInstance } from "../solve/problem.js";
import { resolvableSolve, solveInstance, type Resolvable } from "../solve/solve.js";
import { untilDeadline } from "../solve/args.js";
import { maxAbs, verifyTolerance } from "../solve/numeric.js";
import type { AssignmentResult, SolveOptions, SolveStats } from "../solve/types.js";
import { dualBound, uncoveredColumnRows } from "../solve/certificate.js";
import { capCells, capShortfall, menteePairs, sideDuals, type CapCells } from "./cells.js";
import { narrowGaps } from "./gap-repair.js";
import {
  adjustScores,
  constantTerm,
  copyMultipliers,
  isSoftRow,
  multiplierCeiling,
  rowValues,
  softFloor,
  softTotalScale,
  zeroMultipliers,
  type Multipliers,
  type RowValues,
  type SideRules,
} from "./rows.js";

/** The cohort's allowed pairs (CSR by row, columns ascending) with their fits, and its bounds. */
export interface SideProblem {
  readonly rows: number;
  readonly cols: number;
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly fit: Float64Array;
  readonly rowMin: Int32Array;
  readonly rowMax: Float64Array;
  readonly colMin: Int32Array;
  readonly colMax: Float64Array;
  readonly forced: readonly (readonly [number, number])[];
  readonly coverageFirst: boolean;
  readonly rules: SideRules;
}

/** What the engine's instance of a side problem takes from it (cells.ts grows one). */
export type SideBounds = Pick<
  SideProblem,
  "rows" | "cols" | "rowMin" | "rowMax" | "colMin" | "colMax" | "forced"
>;

/** The engine's instance of a side problem: its bounds and locked pairs, with the given scores
 * (`source`, over the problem's pairs); under coverage-first with the uncovered column `z`. */
export function sideInstance(
  p: SideBounds,
  source: RowSource | SparseSource,
  rowsSupply = false,
  z?: Instance["uncovered"],
): Instance {
  return finishInstance({
    rows: p.rows,
    cols: p.cols,
    source,
    rowMin: p.rowMin,
    rowMax: p.rowMax,
    colMin: p.colMin,
    colMax: p.colMax,
    forced: p.forced,
    forbidden: [],
    minimize: false,
    coverageFirst: false,
    rowsSupply,
    ...(z ? { uncovered: z } : {}),
  });
}

/** Mentees with at least one pair (`row` sorted or not). */
export function coveredCount(row: ArrayLike<number>, rows: number): number {
  const seen = new Uint8Array(rows);
  let k = 0;
  for (let t = 0; t < row.length; t++)
    if (seen[row[t]] === 0) {
      seen[row[t]] = 1;
      k++;
    }
  return k;
}

/** The best bound of one search: its multipliers and the engine's duals at them. */
export interface Proof {
  /** Bound on Σ score over assignments that keep the rules (and cover ≥ `minPairs` mentees). */
  readonly bound: number;
  readonly multipliers: Multipliers;
  /** The multiplier of "at least `minPairs` mentees covered", which every pair of the
   * uncovered column pays (0 without it). */
  readonly perPair: number;
  readonly minPairs: number;
  readonly rowDual: Float64Array;
  readonly colDual: Float64Array;
  /** Coverage-first: the uncovered column's dual (docs/ENGINE.md). */
  readonly uncoveredDual?: number;
}

/** Coverage-first: the most mentees covered found that keep the rules, and the proof of a bound
 * on it (each pair scoring fit × \`fitWeight\`, each uncovered mentee −1, plus R). */
export interface CountProof extends Proof {
  readonly count: number;
  readonly fitWeight: number;
  /** The bound is below count + 1: no assignment keeping the rules covers more mentees. */
  readonly proven: boolean;
}

interface Pairs {
  readonly row: Int32Array;
  readonly col: Int32Array;
  /** Total fit, and what the soft rules cost (rows.ts \`softCost\`): the search maximizes
   * objective − penalty. */
  readonly objective: number;
  readonly penalty: number;
}

interface Common {
  readonly solves: number;
  readonly stats: SolveStats;
  /** The cap kept in the flow (cells.ts), by its place in \`program.equity\`: exact, its
   * multipliers in the proof from the flow's duals. */
  readonly inFlow?: number;
}

/** What one search ends with (see \`SideOutcome\`; `count_bound`: see solveWithSideRows). */
type SearchResult =
  | { readonly kind: "count_bound"; readonly proof: Proof; readonly count: number }
  | (Pairs & { readonly kind: "found"; readonly optimal: boolean; readonly proof: Proof })
  | { readonly kind: "proven_infeasible"; readonly proof: Proof; readonly last: RowValues }
  | { readonly kind: "engine_infeasible"; readonly result: AssignmentResult }
  | {
      readonly kind: "cap_infeasible";
      /** The engine's diagnosis of the grown instance, as the mentees and mentors it blames. */
      readonly needed: number;
      readonly possible: number;
      readonly mentees: readonly number[];
      readonly mentors: readonly number[];
    }
  | (Pairs & {
      readonly kind: "stopped";
      readonly reason: "time" | "aborted" | "rules";
      readonly bound: number;
    });

/**
 * - \`found\`: pairs that keep every rule; \`proof.bound\` bounds the total fit (optimal: the gap
 *   is within tolerance, and under coverage-first the count of mentees covered is proven too);
 * - \`proven_infeasible\`: the bound proves that no assignment keeps the rules (bound < 0);
 * - \`engine_infeasible\`: the flow part itself cannot be met (before any rule): the engine's result;
 * - \`cap_infeasible\`: the flow cannot be met with the cap in it (\`inFlow\`): no assignment keeps
 *   that cap with the bounds and locked pairs, whatever the other rules (the engine's proof);
 * - \`stopped\`: time, abort, or the search's limits, without pairs that keep the rules: the
 *   closest pairs found and the best bound on the total fit (+Infinity when none).
 */
export type SideOutcome = (
  | Exclude<SearchResult, { kind: "found" | "count_bound" }>
  | (Extract<SearchResult, { kind: "found" }> & { readonly coverage?: CountProof })
) &
  Common;

/** Most subgradient steps; the first step's size factor (Polyak's θ); steps without a better
 * bound before θ halves (tuned on the equity bench, docs/FAIRNESS.md). */
const MAX_STEPS = 60;
const THETA = 1;
const PATIENCE = 2;
/** The search stops at a gap of this share of the total (docs/FAIRNESS.md). */
const GAP_ENOUGH = 1e-3;
/** A repair starts a short rule's multiplier at this share of the largest score, and multiplies
 * it by REPAIR_GROWTH each round it is short (less once it swings: \`repair\`). Measured with
 * the damping, on the equity bench's cohorts (seeds 1–3, 1,000 × 200 and 5,000 × 1,000) and
 * the MIP-oracle bench (300 cohorts, seeds 1 and 2), against 10⁻⁶: 6–35 solves instead of
 * 10–51, and 170 and 169 answers at the optimum instead of 168 and 168 (docs/FAIRNESS.md). */
const REPAIR_START = 1e-4;
const REPAIR_GROWTH = 4;
/** How far below count + 1 a bound on the mentees covered must be to prove the count. */
const COUNT_MARGIN = 1e-3;
/** Repair rounds at most. */
const MAX_REPAIRS = 40;

export function solveWithSideRows(p: SideProblem, options: SolveOptions): SideOutcome {
  const t0 = now();
  const cells = capCells(p);
  if (!cells) return searchAll(p, options, t0, undefined);
  const out = searchAll(p, options, t0, cells);
  const inFlow = p.rules.caps[cells.rule].rule;
  if (out.kind !== "engine_infeasible") return { ...out, inFlow };
  // No assignment within the bounds and the cap: the bounds alone, or the cap with them (a
  // minimum load only more of one group could fill, locked pairs over it)? One solve without
  // the cap says.
  const plain = solveInstance(
    sideInstance(p, { kind: "sparse", start: p.start, col: p.col, score: p.fit }),
    untilDeadline(options, t0 + (options.timeLimitMs ?? Infinity)),
    { ownReasons: true },
  );
  const solves = out.solves + 1;
  const stats = { ...addStats(out.stats, plain.stats), timeMs: now() - t0 };
  if (plain.status === "infeasible")
    return { kind: "engine_infeasible", result: plain, solves, stats };
  if (plain.status === "time_limit") return { ...stoppedWith(plain.reason), solves, stats };
  const d = out.result.status === "infeasible" ? out.result.diagnosis : undefined;
  if (!d) throw new Error("equity search: an infeasible solve without a diagnosis");
  return {
    kind: "cap_infeasible",
    ...capShortfall(p, cells, d),
    solves,
    stats,
    inFlow,
  };
}

/** solveWithSideRows with one cap in the flow (`cells`), or every rule as side rows. */
function searchAll(
  p: SideProblem,
  options: SolveOptions,
  t0: number,
  cells: CapCells | undefined,
): SideOutcome {
  const cover = p.coverageFirst ? uncoveredColumnRows(p) : undefined;
  const ctx: Context = {
    p,
    options,
    deadline: t0 + (options.timeLimitMs ?? Infinity),
    solves: 0,
    stats: undefined,
    cells,
    adjusted: new Float64Array(cells ? cells.col.length : p.fit.length),
    warm: undefined,
    zRows: cover?.rows,
    z: undefined,
    coverable: cover?.coverable ?? 0,
  };
  const covered = (row: Int32Array) => coveredCount(row, p.rows);
  const finish = <T extends object>(x: T): T & Common => ({
    ...x,
    solves: ctx.solves,
    stats: { ...ctx.stats!, timeMs: now() - t0 },
  });
  if (!p.coverageFirst) return finish(gapped(ctx, settled(search(ctx, p.fit, { minPairs: 0 }))));

  // Coverage-first: the most mentees covered, then the best fit with that many. Counting, each
  // pair scores its fit × \`fitWeight\` and each mentee left uncovered −1 (its Z pair): fitWeight
  // is small enough that all fits together add less than one mentee, so the count comes first,
  // and ties among counts break by fit (as they must for the rules' multipliers to move one
  // pair at a time rather than all tied pairs at once).
  const fitWeight = 1 / (2 * totalFitBound(p) + 1);
  const counting = new Float64Array(p.fit.length);
  for (let e = 0; e < counting.length; e++) counting[e] = fitWeight * p.fit[e];
  // First the count without the side rows (under a cap held in the flow), C, which also bounds
  // the count with them: when its bound already proves it (below C + 1), the fit search looks
  // for C pairs that keep the rules at once. Counting scores tie almost everywhere, and a repair
  // on them tends to trade whole blocks of pairs between one rule and another; with the fits it
  // moves them one at a time.
  const quick = search(ctx, counting, { minPairs: 0, counting: "bound" });
  if (quick.kind === "count_bound") {
    const fitted = gapped(ctx, search(ctx, p.fit, { minPairs: quick.count }));
    if (fitted.kind === "found") {
      const count = covered(fitted.row);
      const proven = quick.proof.bound < count + 1 - COUNT_MARGIN;
      const coverage: CountProof = { ...quick.proof, count, fitWeight, proven };
      return finish({ ...fitted, optimal: fitted.optimal && proven, coverage });
    }
    // Stopped by the clock or the caller: nothing more to try.
    if (fitted.kind === "stopped" && fitted.reason !== "rules") return finish(fitted);
    // No answer with C pairs found: the count search proper.
  }
  const first = settled(
    quick.kind === "count_bound"
      ? search(ctx, counting, { minPairs: 0, counting: "count" })
      : quick,
  );
  // Stopped while counting: its bound is on the count, not on the fit.
  if (first.kind === "stopped") return finish({ ...first, bound: Infinity });
  if (first.kind !== "found") return finish(first);
  const second = gapped(
    ctx,
    settled(search(ctx, p.fit, { minPairs: covered(first.row), seed: first })),
  );
  if (second.kind !== "found") return finish(second);
  // The fit phase may cover more mentees than the count phase did: the count is the answer's.
  const count = covered(second.row);
  const coverage: CountProof = {
    ...first.proof,
    count,
    fitWeight,
    proven: first.proof.bound < count + 1 - COUNT_MARGIN,
  };
  return finish({ ...second, optimal: second.optimal && coverage.proven, coverage });
}

/** A fit search's end with the mean-fit gaps kept: an answer that breaks one is moved until they
 * hold (gap-repair.ts), with its pairs per mentee, under the same proof. When that fails, pairs may be
 * dropped as a last resort (as few as the steps allow, never a group's last): the count is then
 * not proven, and coverage-first the proof is a search's without a count of mentees. When they cannot
 * be made to hold, the search stops on the rules with that answer as the closest. */
function gapped<R extends SearchResult>(ctx: Context, r: R): R | SideStop {
  const { p } = ctx;
  if (r.kind !== "found" || p.rules.gaps.length === 0) return r;
  if (rowValues(p.rules, r.row, r.col, pairFits(p, r.row, r.col)).holds) return r;
  const stop = () => stopReason(ctx) !== undefined;
  const kept = (moved: Omit<Pairs, "penalty">, proof: Proof) => {
    // Soft rules count only in a fit search (the gaps are kept in fit searches alone).
    const penalty = rowValues(p.rules, moved.row, moved.col, noFits).softCost;
    const tol = totalTolerance(p, maxAbs(p.fit), penalty);
    return {
      ...r,
      ...moved,
      penalty,
      proof,
      optimal: r.optimal && proof.bound - (moved.objective - penalty) <= tol,
    };
  };
  const { minPairs } = r.proof;
  const moved = narrowGaps(p, r, minPairs, stop, "none");
  if (moved) return kept(moved, r.proof);
  const fewer = !stop() && narrowGaps(p, r, 0, stop, "last");
  if (fewer) {
    if (minPairs === 0) return { ...kept(fewer, r.proof), optimal: false };
    // Fewer pairs than the proof assumes: a bound without a count of mentees.
    const free = search(ctx, p.fit, { minPairs: 0 });
    if (free.kind === "found") return { ...kept(fewer, free.proof), optimal: false };
  }
  return stoppedWith(stopReason(ctx) ?? "rules", r, minPairs > 0 ? Infinity : r.proof.bound);
}
type SideStop = Extract<SearchResult, { kind: "stopped" }>;

/** A search's stop: the closest pairs (none when not given) and the best bound. */
const stoppedWith = (reason: SideStop["reason"], closest?: Pairs, bound = Infinity): SideStop => ({
  kind: "stopped",
  reason,
  row: closest?.row ?? new Int32Array(0),
  col: closest?.col ?? new Int32Array(0),
  objective: closest?.objective ?? 0,
  penalty: closest?.penalty ?? 0,
  bound,
});

/** Why the search must stop now (the caller's signal, then the clock), or undefined. */
const stopReason = (ctx: Context): "time" | "aborted" | undefined =>
  ctx.options.signal?.aborted ? "aborted" : now() >= ctx.deadline ? "time" : undefined;

/** The verifier's tolerance on a total of a fit search: at the fits' scale and what the answer
 * pays for soft rules (rows.ts \`softTotalScale\`). */
const totalTolerance = (p: SideProblem, scoresMax: number, penalty: number): number =>
  verifyTolerance(softTotalScale(p.rules, scoresMax, penalty), Math.max(1, p.rows));

/** The fits of pairs (`row`, `col`), by pair index (only the gap rules read them). */
function pairFits(p: SideProblem, row: Int32Array, col: Int32Array): (t: number) => number {
  if (p.rules.gaps.length === 0) return () => 0;
  const f = Float64Array.from(row, (i, t) => p.fit[csrIndexOf(p.start, p.col, i, col[t])]);
  return (t) => f[t];
}

/** A search's end other than `count_bound`, which only a "bound" counting search returns. */
function settled(r: SearchResult): Exclude<SearchResult, { kind: "count_bound" }> {
  if (r.kind === "count_bound") throw new Error("equity search: count_bound outside counting");
  return r;
}

/** Σ_i (most pairs of row i) · (its largest fit): no assignment's total fit is larger. */
function totalFitBound(p: SideProblem): number {
  let total = 0;
  for (let i = 0; i < p.rows; i++) {
    let top = 0;
    for (let e = p.start[i]; e < p.start[i + 1]; e++) if (p.fit[e] > top) top = p.fit[e];
    total += Math.min(p.rowMax[i], p.start[i + 1] - p.start[i]) * top;
  }
  return total;
}

interface Context {
  readonly p: SideProblem;
  readonly options: SolveOptions;
  readonly deadline: number;
  solves: number;
  stats: SolveStats | undefined;
  /** The cap kept in the flow (cells.ts), or undefined. */
  readonly cells: CapCells | undefined;
  /** Scratch: the adjusted scores of the current solve (with cells: then 0 on the cells' own
   * pairs, which follow the side problem's). */
  readonly adjusted: Float64Array;
  /** The solve over every pair, reading `adjusted`: the first solve is a fresh one, every later
   * one re-solves it warm at its own scores (solve.ts `Resolvable`), across both coverage-first
   * searches and the repairs. */
  warm: Resolvable | undefined;
  /** Coverage-first: the rows of the uncovered column, R (the mentees that can be covered), and
   * the column of the instance `warm` solves: its score is set per solve (−1 counting, −w in a
   * fit search), and it takes at most R − minPairs pairs (so a fit search under "at least
   * minPairs mentees covered" holds that in the flow, exactly, and w stays 0; the engine
   * re-solves warm with the new most when it can, `Instance.uncovered`). */
  readonly zRows: Int32Array | undefined;
  z: { readonly rows: Int32Array; score: number; max: number } | undefined;
  readonly coverable: number;
}

/** How a search runs (see `search`). */
interface SearchSpec {
  /** Only assignments covering at least this many mentees count (0: all). */
  readonly minPairs: number;
  /** An answer known to keep the rules (covering at least `minPairs` mentees). */
  readonly seed?: Pairs;
  /** Counting mentees covered ("bound": end with `count_bound` once the count without the
   * rules is proven the most, see solveWithSideRows). */
  readonly counting?: "bound" | "count";
}

/** One Lagrangian search (\`lagrangian\`), with a cap in the flow its proof in the side rows'
 * terms (cells.ts). */
function search(ctx: Context, scores: Float64Array, spec: SearchSpec): SearchResult {
  const r = lagrangian(ctx, scores, spec);
  return "proof" in r ? { ...r, proof: sideProof(ctx, scores, r.proof, !!spec.counting) } : r;
}

/** A proof of the grown instance (cells.ts) as one over the side rows: the mentees' and
 * mentors' duals, the cap's multipliers from the cells' duals, and the bound they prove
 * (`multiplierBound`, the one `verifyMatch` recomputes; never above the grown one's, up to
 * rounding). Without cells, the proof as it is. */
function sideProof(ctx: Context, scores: Float64Array, proof: Proof, counting: boolean): Proof {
  const x = ctx.cells;
  if (!x) return proof;
  const d = sideDuals(x, proof.rowDual, proof.colDual);
  const multipliers = copyMultipliers(proof.multipliers);
  for (const [key, mu] of d.cap) multipliers.cap[x.rule].set(key, mu);
  const cover = ctx.zRows && { rows: ctx.zRows, coverable: ctx.coverable, counting };
  const b = multiplierBound(
    ctx.p,
    ctx.p.rules,
    multipliers,
    proof,
    scores,
    { ...d, uncoveredDual: proof.uncoveredDual },
    cover,
  );
  return { ...proof, multipliers, rowDual: d.rowDual, colDual: d.colDual, bound: b.value };
}

/**
 * The bound that multipliers and duals (u per row, v per column) prove on Σ `scores` over the
 * assignments that keep the rules (rows.ts): the engine's bound for those duals on the adjusted
 * scores, plus λ·b. Coverage-first (`cover`), the engine's bound is the augmented instance's
 * (docs/ENGINE.md: the uncovered column's rows, z its dual), whose Z pairs score −1 when
 * `counting` (the bound then gains R, `coverable`: it bounds mentees covered + the scores) and
 * −perPair otherwise, Z then taking at most R − `minPairs` pairs ("at least minPairs mentees
 * covered", held in the flow; perPair, its multiplier, is 0 in the search's proofs, and the
 * bound gains perPair·(R − minPairs)). Without `cover`, perPair is a multiplier of "at least `minPairs`
 * pairs" that every pair earns, less perPair·minPairs (0 for every result `match` makes). With
 * what a check weighs its rounding by: the bound's own error, the adjusted scores' largest and
 * λ·b.
 */
export function multiplierBound(
  p: Pick<SideProblem, "start" | "col"> & SideBounds,
  rules: SideRules,
  m: Multipliers,
  pair: { readonly perPair: number; readonly minPairs: number },
  scores: Float64Array,
  d: {
    readonly rowDual: Float64Array;
    readonly colDual: Float64Array;
    readonly uncoveredDual?: number;
  },
  cover?: { readonly rows: Int32Array; readonly coverable: number; readonly counting: boolean },
): { value: number; error: number; adjustedMax: number; lamB: number } {
  const adjusted = new Float64Array(scores.length);
  adjustScores(rules, m, p.start, p.col, scores, cover ? 0 : pair.perPair, adjusted);
  const inst = sideInstance(p, { kind: "sparse", start: p.start, col: p.col, score: adjusted });
  const zScore = cover ? (cover.counting ? -1 : -pair.perPair) : 0;
  const b = dualBound(
    inst,
    { u: d.rowDual, v: d.colDual, z: d.uncoveredDual ?? 0 },
    cover
      ? {
          uncovered: {
            rows: cover.rows,
            score: zScore,
            lo: 0,
            hi: cover.counting
              ? cover.rows.length
              : Math.max(0, Math.min(cover.rows.length, cover.coverable - pair.minPairs)),
          },
        }
      : {},
  );
  const lamB = constantTerm(rules, m);
  const offset = !cover
    ? -pair.perPair * pair.minPairs
    : cover.counting
      ? cover.coverable
      : pair.perPair * (cover.coverable - pair.minPairs);
  return {
    value: b.value + lamB + offset,
    error: b.error,
    adjustedMax: Math.max(maxAbs(adjusted), Math.abs(zScore)),
    lamB: lamB + offset,
  };
}

/** Maximize Σ `scores` over assignments that keep the rules (`spec`), by multipliers on the
 * side rows (the cap in the flow, if any, kept by the instance itself). */
function lagrangian(ctx: Context, scores: Float64Array, spec: SearchSpec): SearchResult {
  const { minPairs, seed, counting } = spec;
  // Soft rules price the fit; counting pairs, they have no say (their multipliers stay 0).
  const softOn = !counting;
  const costOf = (rv: RowValues) => (softOn ? rv.softCost : 0);
  const { p, options, adjusted } = ctx;
  const { start, col, fit, rules } = p;
  // Optimal: a gap within the verifier's tolerance at the scores' own scale (with soft rules,
  // and what the answer pays for them: softTotalScale). The search stops once the gap is a
  // small share of the total: a closer answer is rarely worth more solves.
  // Counting, the scale is a mentee's: its Z pair's −1 (the fits are scaled far below it).
  const scoresMax = counting ? Math.max(1, maxAbs(scores)) : maxAbs(scores);
  const tolFor = (penalty: number) =>
    softOn
      ? totalTolerance(p, scoresMax, penalty)
      : verifyTolerance(scoresMax, Math.max(1, p.rows));
  const tol = tolFor(0);
  // Counting, the gap must stay below one mentee for the count to be proven.
  const enough = (b: { value: number; penalty: number }) =>
    Math.max(
      tolFor(b.penalty),
      Math.min(GAP_ENOUGH * Math.abs(b.value), counting ? 0.5 : Infinity),
    );
  const coveredOf = (row: Int32Array) => coveredCount(row, p.rows);
  const pairsNow = (res: AssignmentResult) => coveredOf(res.pairs.row);
  // The uncovered column (coverage-first): its pairs' score at count-row multiplier w, and what
  // the bound gains (see multiplierBound).
  // This search's uncovered column: at most R − minPairs of its pairs (all of them counting).
  const zRows = ctx.zRows;
  const zMax = zRows ? Math.min(zRows.length, ctx.coverable - minPairs) : 0;
  // A new most re-solves warm when the engine can lower it on the flow it holds (the rows'
  // side, e.g. with a cap in the flow), else afresh (solve.ts `canRescore`).
  if (zRows && !ctx.z) ctx.z = { rows: zRows, score: 0, max: zMax };
  if (ctx.z) ctx.z.max = zMax;
  const z = ctx.z;
  const zScoreAt = (w: number) => (counting ? -1 : -w);
  const offsetAt = (w: number) =>
    !z ? -w * minPairs : counting ? ctx.coverable : w * (ctx.coverable - minPairs);

  /**
   * One exact engine solve at multipliers `m` (and `w` per pair), the pairs `barred` (CSR
   * indices; the repair's) scored far below anything the rest can gain or lose, so that no
   * answer uses one unless the bounds leave no other way (the repair then checks the rules
   * again), and `bonus` per rate row added to its group's pairs (the repair's). Only the answer
   * of such a solve is used, never its bound.
   */
  const solveAt = (
    m: Multipliers,
    w: number,
    barred: Iterable<number> = [],
    bonus?: Float64Array,
  ) => {
    adjustScores(rules, m, start, col, scores, z ? 0 : w, adjusted);
    if (z) z.score = zScoreAt(w);
    if (bonus?.some((b) => b > 0))
      for (let i = 0; i < p.rows; i++) {
        let b = 0;
        rules.rates.forEach((r, k) => {
          if (r.code[i] === r.group) b += bonus[k];
        });
        if (b > 0) for (let e = start[i]; e < start[i + 1]; e++) adjusted[e] += b;
      }
    let penalty = NaN;
    for (const e of barred) {
      if (Number.isNaN(penalty))
        penalty = -(4 * Math.max(maxAbs(adjusted), z ? Math.abs(z.score) : 0) + (scoresMax || 1));
      adjusted[e] = penalty;
    }
    const opts = untilDeadline<SolveOptions>(
      {
        ...(options.signal ? { signal: options.signal } : {}),
        // Each solve reports its own phases (one solve of the search after another).
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      },
      ctx.deadline,
    );
    // Unmatched rows' reasons are not used here: none is read for them.
    const x = ctx.cells;
    const internal = { ownReasons: true };
    // The first solve reads `adjusted` through its row source; later ones re-solve it warm.
    const raw = ctx.warm
      ? ctx.warm.resolve(opts)
      : (ctx.warm = resolvableSolve(
          x
            ? // From the rows' side: see cells.ts (the engine's own choice was 6× slower there).
              sideInstance(x, csrRowSource(x.start, x.col, adjusted, x.cols), true, z)
            : sideInstance(p, csrRowSource(start, col, adjusted, p.cols), false, z),
          opts,
          internal,
        )).result;
    ctx.solves++;

    ctx.stats = addStats(ctx.stats, raw.stats);
    // With a cap in the flow, the mentees' pairs (the proof stays the grown instance's until
    // the search ends: \`sideProof\`).
    return x ? { ...raw, pairs: menteePairs(x, raw.pairs) } : raw;
  };

  // Mentees per cap rule and group (for the cap repair), built when first needed.
  const members: (number[][] | undefined)[] = rules.caps.map(() => undefined);
  const membersOf = (r: number, g: number): number[] => {
    if (!members[r]) {
      const lists: number[][] = Array.from({ length: rules.caps[r].labels.length }, () => []);
      rules.caps[r].code.forEach((x, i) => {
        if (x >= 0) lists[x].push(i);
      });
      members[r] = lists;
    }
    return members[r]![g];
  };

  // The best answer that keeps the rules (and the closest one that does not).
  const sumOf = (a: Float64Array, row: Int32Array, c: Int32Array) => {
    let t = 0;
    for (let k = 0; k < row.length; k++) t += a[csrIndexOf(start, col, row[k], c[k])];
    return t;
  };
  // What the search maximizes, as its bound does: Σ scores, and counting, the mentees covered
  // too (the uncovered column's −1 each, plus R: see offsetAt).
  const valueOf = (row: Int32Array, c: Int32Array) =>
    sumOf(scores, row, c) + (counting && z ? coveredOf(row) : 0);
  const seedCost = seed ? costOf(rowValues(rules, seed.row, seed.col, noFits)) : 0;
  let best: (Pairs & { value: number }) | undefined = seed && {
    ...seed,
    penalty: seedCost,
    value: valueOf(seed.row, seed.col) - seedCost,
  };
  let leastBad: (Pairs & { excess: number }) | undefined;
  // Pairs that break the rules, with how far (rules and the count of mentees covered together).
  const offRules = (res: AssignmentResult, rv: RowValues) => {
    const { row, col: c } = res.pairs;
    const excess = rv.excess + Math.max(0, minPairs - coveredOf(row));
    return { row, col: c, objective: sumOf(fit, row, c), penalty: costOf(rv), excess };
  };
  const consider = (res: AssignmentResult, rv: RowValues) => {
    const { row, col: c } = res.pairs;
    const penalty = costOf(rv);
    if (rv.holdsBesideGaps && coveredOf(row) >= minPairs) {
      const value = valueOf(row, c) - penalty;
      if (!best || value > best.value)
        best = { row, col: c, objective: sumOf(fit, row, c), penalty, value };
    } else {
      const off = offRules(res, rv);
      if (!leastBad || off.excess < leastBad.excess) leastBad = off;
    }
  };

  // 1. Subgradient search.
  let m = zeroMultipliers(rules);
  let w = 0;
  let proof: Proof | undefined;
  // Fits are never negative: an assignment keeping the hard rules scores at least minus the
  // most the soft ones can cost.
  const floorValue = softOn ? -softFloor(rules) : 0;
  let infeasibleBelow = floorValue - tol;
  let lastRv: RowValues | undefined;
  let theta = THETA;
  let sinceBetter = 0;
  let stopped: "time" | "aborted" | undefined;
  for (let step = 0; step < MAX_STEPS; step++) {
    const res = solveAt(m, w);
    if (res.status === "infeasible") return { kind: "engine_infeasible", result: res };
    if (res.status !== "optimal") {
      stopped = res.reason;
      // A stopped solve's pairs are the closest so far when there are none yet (never an
      // answer: its bounds may be unmet).
      if (!leastBad && !best)
        leastBad = offRules(res, rowValues(rules, res.pairs.row, res.pairs.col, noFits));
      break;
    }
    const rv = rowValues(rules, res.pairs.row, res.pairs.col, noFits);
    lastRv = rv;
    consider(res, rv);
    const ub = res.bound + constantTerm(rules, m) + offsetAt(w);
    if (!proof || ub < proof.bound) {
      // Proving infeasibility (a bound below 0) needs room for the engine's rounding at the
      // adjusted scores' scale, which the multipliers may have raised above the fits'.
      infeasibleBelow =
        floorValue - verifyTolerance(Math.max(maxAbs(adjusted), scoresMax), Math.max(1, p.rows));
      proof = {
        bound: ub,
        multipliers: copyMultipliers(m),
        perPair: w,
        minPairs,
        rowDual: res.certificate.rowDual,
        colDual: res.certificate.colDual,
        ...(z ? { uncoveredDual: res.certificate.uncoveredDual ?? 0 } : {}),
      };
      sinceBetter = 0;
    } else if (++sinceBetter >= PATIENCE) {
      theta /= 2;
      sinceBetter = 0;
    }
    // Counting, with the count without the rules proven the most: the caller's fit search takes
    // it from here (see solveWithSideRows).
    if (
      counting === "bound" &&
      !rv.holdsBesideGaps &&
      proof.bound < pairsNow(res) + 1 - COUNT_MARGIN
    )
      return { kind: "count_bound", proof, count: pairsNow(res) };
    // A first answer that keeps the rules, early (unless one is known that pays nothing for
    // soft ones): Polyak steps aim at it.
    // Soft rules that cost something count too: without an answer that keeps them, the
    // first step aims at one that pays for them, far below the bound, and overshoots.
    const short = !rv.holdsBesideGaps || costOf(rv) > 0;
    if (step === 0 && short && (!best || best.penalty > 0) && proof.bound >= infeasibleBelow) {
      repair(m, w);
    }
    if (proof.bound < infeasibleBelow) break; // proven infeasible
    if (best && proof.bound - best.value <= enough(best)) break; // close enough
    const gCount = minPairs - pairsNow(res); // the count row's value
    const norm2 = stepNorm(rules, m, rv, softOn) + (w > 0 || gCount > 0 ? gCount * gCount : 0);
    if (norm2 === 0 || theta < 1e-3) break;
    // No answer yet (the repair found none): aim halfway to 0 (and past it), below which the
    // rules are proven impossible (any answer scores at least 0). An answer further off than
    // that (soft rules broken at a high price) is no better a target.
    const halfway = ub - Math.abs(ub) / 2 - tol;
    const target = best ? Math.max(best.value, halfway) : halfway;
    // A step of at least the tolerance's worth (at the scores' scale, never an absolute one).
    // With every score 0 there is no scale: a step of 1e-9 (the repair's lift), never one so
    // small that the adjusted scores fall below the engine's range (a subnormal multiplier).
    const t = (theta * Math.max(ub - target, tol, scoresMax > 0 ? Number.MIN_VALUE : 1e-9)) / norm2;
    m = stepped(rules, m, rv, t, softOn);
    w = Math.max(0, w + t * gCount);
    const why = stopReason(ctx);
    if (why) {
      stopped = why;
      break;
    }
  }

  if (!proof) {
    // Stopped before the first solve finished: nothing proven, its pairs the closest.
    return stoppedWith(stopped ?? "time", leastBad);
  }
  if (!best && proof.bound < infeasibleBelow)
    return { kind: "proven_infeasible", proof, last: lastRv! };

  // 3. Repair from the best multipliers when the gap is open (or nothing keeps the rules yet).
  if (!stopped && (!best || proof.bound - best.value > enough(best)))
    repair(proof.multipliers, proof.perPair);

  const why = stopped ?? stopReason(ctx);
  if (!best) return stoppedWith(why ?? "rules", leastBad, minPairs > 0 ? Infinity : proof.bound);
  const b: Pairs & { value: number } = best;
  return {
    kind: "found",
    optimal: proof.bound - b.value <= tolFor(b.penalty),
    row: b.row,
    col: b.col,
    objective: b.objective,
    penalty: b.penalty,
    proof,
  };

  /**
   * From multipliers `from`, re-solves until the pairs keep every rule (or the rounds run out).
   * A cap cell over its limit keeps its best `max` pairs and every other mentee of that group
   * is barred from that mentor (scored so low that only the bounds could make an answer use
   * the pair, `solveAt`) — the cap itself, given those pairs, so a cell is fixed once. Every
   * solve is a warm re-solve: barring is a change of scores, not of the instance.
   * A share group or reserve short of its pairs, and the count row when short of pairs, have their
   * multipliers multiplied by REPAIR_GROWTH, from REPAIR_START of the largest score (well below
   * most fit differences: ties break toward the rule first), by less once they swing.
   */
  function repair(from: Multipliers, fromW: number): void {
    const mm = copyMultipliers(from);
    let ww = fromW;
    const barred = new Set<number>(); // CSR indices
    const forced = new Set(p.forced.map(([i, j]) => i * p.cols + j));
    const lift = REPAIR_START * scoresMax || 1e-9;
    // A rate row's group short of its mentees gets a bonus on its own pairs, for the first
    // half of the rounds: its multiplier would also take from every other group, and with
    // every group short the rows' pulls cancel. Then its multiplier, which can also match
    // fewer of the others (when only that keeps the rule).
    const bonus = new Float64Array(rules.rates.length);
    // Each multiplier's raise factor: REPAIR_GROWTH, then its square root each time its rule
    // falls short again after it held (two rules that take from each other would otherwise
    // raise each other's multipliers without end, the answer swinging between the two).
    const raise = new Map<string, { factor: number; held: boolean }>();
    const raised = (key: string, short: boolean, x: number): number => {
      let r = raise.get(key);
      if (!short) {
        if (r) r.held = true;
        return x;
      }
      if (!r) raise.set(key, (r = { factor: REPAIR_GROWTH, held: false }));
      else if (r.held) {
        r.factor = Math.sqrt(r.factor);
        r.held = false;
      }
      return Math.max(r.factor * x, lift);
    };
    for (let round = 0; round < MAX_REPAIRS && !stopReason(ctx); round++) {
      const res = solveAt(mm, ww, barred, bonus);
      if (res.status !== "optimal") return;
      const rv = rowValues(rules, res.pairs.row, res.pairs.col, noFits);
      consider(res, rv);
      // Soft rules are pushed too (every answer on the way is weighed, at its penalized value):
      // a soft rule whose penalty outweighs what it costs is kept, as a hard one.
      const softKept = !softOn || rv.softCost === 0;
      if (rv.holdsBesideGaps && softKept && pairsNow(res) >= minPairs) return;
      // Soft rules only while they count (not while counting pairs).
      const skip = (r: { readonly penalty: number }) => isSoftRow(r.penalty) && !softOn;
      barCapExcess(res, rv);
      rules.share.forEach((r, k) => {
        if (skip(r)) return;
        for (const g of r.groups)
          mm.share[k][g] = raised(`s${k}.${g}`, rv.shareShort[k][g] === 1, mm.share[k][g]);
      });
      rules.reserves.forEach((r, k) => {
        if (!skip(r)) mm.reserve[k] = raised(`r${k}`, rv.reserveShort[k] === 1, mm.reserve[k]);
      });
      rules.rates.forEach((r, k) => {
        if (skip(r)) return;
        const short = rv.rateShort[k] === 1;
        if (round < MAX_REPAIRS / 2) bonus[k] = raised(`b${k}`, short, bonus[k]);
        else mm.rate[k] = raised(`t${k}`, short, mm.rate[k]);
      });
      ww = raised("w", pairsNow(res) < minPairs, ww);
    }

    /** Bars the pairs beyond each cap cell's limit (see above). */
    function barCapExcess(res: AssignmentResult, rv: RowValues): void {
      rules.caps.forEach((c, r) => {
        if (isSoftRow(c.penalty) && !softOn) return;
        const G = c.labels.length;
        for (const [key, over] of rv.cap[r]) {
          if (over <= 0) continue;
          const g = key % G;
          const j = (key - g) / G;
          const kept: { i: number; s: number }[] = [];
          for (let k = 0; k < res.pairs.row.length; k++) {
            const i = res.pairs.row[k];
            if (res.pairs.col[k] === j && c.code[i] === g)
              kept.push({
                i,
                s: forced.has(i * p.cols + j) ? Infinity : adjusted[csrIndexOf(start, col, i, j)],
              });
          }
          kept.sort((x, y) => y.s - x.s || x.i - y.i);
          const keep = new Set(kept.slice(0, c.max).map((x) => x.i));
          for (const i of membersOf(r, g)) {
            const e = csrIndexOf(start, col, i, j);
            if (e >= 0 && !keep.has(i) && !forced.has(i * p.cols + j)) barred.add(e);
          }
        }
      });
    }
  }
}

/** ‖subgradient‖² over the rule rows that can move: a row at λ = 0 with a negative value stays,
 * and so does one at its ceiling with a positive value. */
function stepNorm(rules: SideRules, m: Multipliers, rv: RowValues, softOn: boolean): number {
  let s = 0;
  const add = (lam: number, v: number, top: number) => {
    if ((lam > 0 || v > 0) && (lam < top || v < 0)) s += v * v;
  };
  m.share.forEach((lam, k) => {
    const top = multiplierCeiling(rules.share[k].penalty, !softOn);
    for (let g = 0; g < lam.length; g++) add(lam[g], rv.share[k][g], top);
  });
  m.cap.forEach((cells, r) => {
    const top = multiplierCeiling(rules.caps[r].penalty, !softOn);
    for (const [key, over] of rv.cap[r]) add(cells.get(key) ?? 0, over, top);
  });
  m.reserve.forEach((lam, k) =>
    add(lam, rv.reserve[k], multiplierCeiling(rules.reserves[k].penalty, !softOn)),
  );
  m.rate.forEach((lam, k) =>
    add(lam, rv.rate[k], multiplierCeiling(rules.rates[k].penalty, !softOn)),
  );
  return s;
}

/** λ + t·g, projected on 0 ≤ λ ≤ its ceiling. A cap cell with a multiplier but no pair has
 * value −max. */
function stepped(
  rules: SideRules,
  m: Multipliers,
  rv: RowValues,
  t: number,
  softOn: boolean,
): Multipliers {
  const next = copyMultipliers(m);
  const clip = (x: number, penalty: number) =>
    Math.min(multiplierCeiling(penalty, !softOn), Math.max(0, x));
  next.share.forEach((lam, k) => {
    const v = rv.share[k];
    for (let g = 0; g < lam.length; g++) lam[g] = clip(lam[g] + t * v[g], rules.share[k].penalty);
  });
  next.cap.forEach((cells, r) => {
    const { max, penalty } = rules.caps[r];
    for (const [key, mu] of cells) {
      const x = clip(mu + t * (rv.cap[r].get(key) ?? -max), penalty);
      if (x > 0) cells.set(key, x);
      else cells.delete(key);
    }
    for (const [key, over] of rv.cap[r]) {
      const x = clip(t * over, penalty);
      if (over > 0 && !cells.has(key) && x > 0) cells.set(key, x);
    }
  });
  next.reserve.forEach((lam, k) => {
    next.reserve[k] = clip(lam + t * rv.reserve[k], rules.reserves[k].penalty);
  });
  next.rate.forEach((lam, k) => {
    next.rate[k] = clip(lam + t * rv.rate[k], rules.rates[k].penalty);
  });
  return next;
}

function addStats(a: SolveStats | undefined, b: SolveStats): SolveStats {
  if (!a) return b;
  return {
    ...b,
    pricingRounds: a.pricingRounds + b.pricingRounds,
    augmentations: a.augmentations + b.augmentations,
    pivots: a.pivots + b.pivots,
    auctionBids: a.auctionBids + b.auctionBids,
    auctionScans: a.auctionScans + b.auctionScans,
    timeMs: a.timeMs + b.timeMs,
    phaseMs: {
      sample: a.phaseMs.sample + b.phaseMs.sample,
      candidates: a.phaseMs.candidates + b.phaseMs.candidates,
      auction: a.phaseMs.auction + b.phaseMs.auction,
      flow: a.phaseMs.flow + b.phaseMs.flow,
      pricing: a.phaseMs.pricing + b.phaseMs.pricing,
    },
  };
}

/** The search keeps every rule but the gaps (\`gapped\` keeps those), which alone read fits. */
const noFits = () => NaN;

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());
