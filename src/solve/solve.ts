/**
 * Orchestrates one solve of an `Instance`: forced pairs out, candidates in, the flow core run to
 * optimality on the candidate graph, pricing until no left-out pair can improve the answer, and
 * the result (pairs, duals, reasons, diagnosis) assembled.
 */
import {
  autoK,
  completeRows,
  addToRow,
  initialCandidates,
  noPairs,
  price,
  type AddedPairs,
  type Candidates,
  type Duals,
} from "./candidates.js";
import { auction } from "./auction.js";
import {
  dualBound,
  uncoveredColumnRows,
  type BoundValue,
  type UncoveredTerms,
} from "./certificate.js";
import {
  CandidateNetwork,
  columnsSupply,
  type NetworkOutcome,
  type UncoveredColumn,
  type WarmPhase,
} from "./network.js";
import {
  forEachFreePair,
  isExcluded,
  newScratch,
  withRowCache,
  type Instance,
  type Scratch,
} from "./instance.js";
import { allowedAt, scoreAt, viewRow } from "./rowscan.js";
import { sortedIndexOf } from "../shared/sorted.js";
import { ErrorBoundedSum, PRICE_REL, scaleIssue, sum } from "./numeric.js";
import { InputError } from "../schema/errors.js";
import { samplePrices } from "./warm.js";
import { readForcedScores } from "./problem.js";
import { diagnosed } from "./diagnosis.js";
import type {
  AssignmentResult,
  InfeasibilityDiagnosis,
  SolveOptions,
  SolveProgress,
  SolveStats,
  UnmatchedReason,
} from "./types.js";

/**
 * With starting prices, rows first list this many times k pairs by value: estimated prices are
 * a little off, and a longer first list saves re-reads, at some cost per bid (measured in
 * docs/ENGINE.md): fewer with a matrix in memory (re-reads are cheap), more with scores computed
 * on the fly (every re-read recomputes a row).
 */
function warmListFactor(inst: Instance): number {
  return inst.source.kind === "rows" && inst.source.view ? 3 : 6;
}

interface Bounds {
  /** Forced pairs per row / column. */
  fr: Int32Array;
  fc: Int32Array;
  loR: Int32Array;
  hiR: Int32Array;
  loC: Int32Array;
  hiC: Int32Array;
  /** Whether the internal max was cut below (original max − forced). */
  capR: Uint8Array;
  capC: Uint8Array;
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** A flow phase: the coverage phase scores every real pair `unit` (0), the score phase reads
 * the scores (`unit` undefined); coverage-first, both have the uncovered column (network.ts),
 * and the rows their augmented bounds. */
interface PhaseSpec {
  readonly unit: number | undefined;
  readonly uncovered?: UncoveredColumn;
}

/** A phase run to its end on the candidate graph: done (optimal), stuck (infeasible) or stopped. */
interface PhaseEnd {
  readonly net: CandidateNetwork;
  readonly outcome: NetworkOutcome;
}

/** A warm start's prices may reach this many times the problem's score scale σ (duals of a
 * nearly equal problem are on its scale: each is a difference of a few scores). */
const WARM_PRICE_SCALE = 4;

/** What a caller inside the package may ask beyond the public options. */
export interface InternalOptions {
  /** The caller explains unmatched rows itself (match.ts, from what each row's first read
   * learned): no row is read again for their reasons, which come from the candidate lists
   * alone, as after a stop ("not_reached" where the lists prove nothing). */
  readonly ownReasons?: boolean;
  /** Starting column prices (all ≥ 0, one per column), e.g. the duals of an earlier solve of a
   * nearly equal problem (src/lifecycle: re-matching, counterfactuals): the candidate lists are
   * chosen by value at them, and in the transportation case the auction starts from them,
   * instead of from a sample's prices (warm.ts). Only speed depends on them, never the answer. */
  readonly startPrices?: Float64Array;
  /** An earlier answer of a nearly equal problem (src/lifecycle: re-matching) as the flow's
   * start in every phase, instead of the auction's: its pairs join the candidate lists (where
   * allowed and not forced) and each phase's network starts from them at that phase's duals
   * (`CandidateNetwork.warmFrom`). Only speed depends on it: every answer is routed to
   * optimality and proven as in a cold solve. A warm solve that ends infeasible is solved again
   * cold, so its diagnosis is a cold run's. */
  readonly warmFlow?: WarmFlow;
}

/** An earlier answer for `InternalOptions.warmFlow`: its pairs (instance rows, columns), the
 * rows it left uncovered (coverage-first), and its duals — of the score phase, and of the
 * coverage phase (coverage-first). Duals of rows and columns it did not have are 0. */
export interface WarmFlow {
  readonly row: Int32Array;
  readonly col: Int32Array;
  readonly uncoveredRows: Int32Array;
  readonly main: Duals & { readonly z: number };
  readonly coverage?: Duals & { readonly z: number };
}

/**
 * Solves an `Instance`: one `Solve` holds the state every phase reads and adds to, and
 * `solveInstance` runs the phases in order (docs/ENGINE.md, "The algorithm"):
 *   1. forced pairs out and checked against the maxima;
 *   2. the first pass: starting prices (transportation case) and the candidate lists;
 *   3. internal bounds and a precheck of the minimums;
 *   4. the auction warm start (when it pays);
 *   5. coverage-first: the most rows covered, proven (flow and pricing on the problem with the
 *      uncovered column, real scores 0 and its pairs −1);
 *   6. the score phase: flow and pricing until no left-out pair prices out;
 *   7. the proof: the dual bound over every pair, and why each unmatched row is unmatched.
 * Each step either moves the state on or ends the solve with its result (infeasible, or a
 * time_limit answer when the clock or the caller's signal stopped it).
 */
export function solveInstance(
  given: Instance,
  options: SolveOptions = {},
  internal: InternalOptions = {},
): AssignmentResult {
  const result = runPhases(new Solve(given, options, internal));
  return result.status === "infeasible" && internal.warmFlow
    ? runPhases(new Solve(given, options, { ...internal, warmFlow: undefined }))
    : result;
}

/**
 * A solve that can be run again after its scores change: the same instance — pairs, bounds,
 * forced and forbidden pairs — whose row source now returns other scores (e.g. a Lagrangian
 * search's adjusted scores, written in place into the arrays the source reads).
 */
export interface Resolvable {
  /** The last solve's result. */
  readonly result: AssignmentResult;
  /** Whether the last `resolve` resumed the previous solve (else it solved afresh). */
  readonly warm: boolean;
  /**
   * Solves again at the source's current scores, warm when the last solve was optimal: the
   * candidate lists keep their pairs with the scores read again, every row with pairs left out
   * is priced at the first round, and the network simplex pivots from the last basis (its flow
   * is still feasible) instead of routing every unit again. The proof is the same as a fresh
   * solve's: the dual bound over every pair at the new scores. Otherwise it solves afresh.
   * A warm re-solve keeps the first solve's candidates per row (`candidatesPerRow`).
   */
  resolve(options?: SolveOptions): AssignmentResult;
}

export function resolvableSolve(
  inst: Instance,
  options: SolveOptions = {},
  internal: InternalOptions = {},
): Resolvable {
  let solve = new Solve(inst, options, internal);
  let result = runPhases(solve);
  if (result.status === "infeasible" && internal.warmFlow) {
    // (See InternalOptions.warmFlow: the diagnosis is a cold run's.)
    internal = { ...internal, warmFlow: undefined };
    solve = new Solve(inst, options, internal);
    result = runPhases(solve);
  }
  let warm = false;
  return {
    get result() {
      return result;
    },
    get warm() {
      return warm;
    },
    resolve(opts: SolveOptions = {}) {
      warm = result.status === "optimal" && solve.canRescore();
      if (warm) result = solve.rescore(opts);
      else {
        readForcedScores(inst);
        solve = new Solve(inst, opts, internal);
        result = runPhases(solve);
      }
      return result;
    },
  };
}

/** The phases of one solve, in order (see `solveInstance`). */
function runPhases(solve: Solve): AssignmentResult {
  const forced = solve.checkForced();
  if (forced) return solve.infeasible(forced);
  if (!solve.firstPass()) return solve.stoppedEarly();
  const pre = solve.setBounds();
  if (pre) return solve.infeasible(pre);
  solve.warmStart();
  if (solve.inst.coverageFirst) {
    const end = solve.coveragePhase();
    if (end) return end;
  }
  const main = solve.scorePhase();
  if (main.outcome.kind !== "done") return solve.unfinished(main, false);
  return solve.certify(main.net);
}

class Solve {
  /** The instance, with rows computed on the fly cached when they fit: computed once. */
  readonly inst: Instance;
  private t0 = now();
  private deadline: number;
  private stopReason: "time" | "aborted" = "time";
  private readonly counters = {
    pricingRounds: 0,
    augmentations: 0,
    auctionBids: 0,
    auctionScans: 0,
    sampleRows: 0,
    pivots: 0,
  };
  private phaseMs = { sample: 0, candidates: 0, auction: 0, flow: 0, pricing: 0 };
  private readonly scratch: Scratch;
  /** Candidates per row. */
  private readonly k: number;
  /** Forced pairs per row / column. */
  private readonly fr: Int32Array;
  private readonly fc: Int32Array;
  /** Set by `firstPass` and `setBounds`; every later step reads them. */
  private cands!: Candidates;
  private b!: Bounds;
  private priceTol = 0;
  /** The transportation case: rows take at most one column, no minimums, not coverage-first,
   * no uncovered column. */
  private transport = false;
  /** Whether the candidates were chosen at starting prices from a sample (warm.ts). */
  private sampled = false;
  /** Fewer places than row units: the flow runs from the columns' side (network.ts). */
  private transposed = false;
  /** The auction's answer and prices, loaded into the score phase's flow. */
  private warm: { col: Int32Array; price: Float64Array } | undefined;
  /** Answers to fall back on if time runs out: each respects every maximum (see `unfinished`). */
  private fallback: FreePairs[] = [];
  /** The given rows are read from memory (see `canRescore`). */
  private readonly inMemory: boolean;
  /** The score phase's network once certified: where `rescore` starts from. */
  private last: CandidateNetwork | undefined;
  /** Coverage-first: the most rows covered and that phase's duals (with the uncovered
   * column's, `z`). */
  private coverage: { count: number; duals: Duals } | undefined;
  /** Coverage-first: the rows' bounds of the augmented problem (docs/ENGINE.md), and the score
   * phase's uncovered column (Z pairs 0, at most the U rows the count leaves uncovered). */
  private zb: Bounds | undefined;
  private zMain: UncoveredColumn | undefined;
  /** Coverage-first: the rows the coverage phase left uncovered (where the score phase's
   * uncovered units start, `scorePhase`). */
  private uncoveredRows: Int32Array | undefined;

  constructor(
    given: Instance,
    private options: SolveOptions,
    private readonly internal: InternalOptions,
  ) {
    this.inst = withRowCache(given);
    const src = given.source;
    this.inMemory = src.kind === "rows" && !!(src.list || src.view) && !src.cached;
    const { rows: n, cols: m } = this.inst;
    this.deadline = options.timeLimitMs === undefined ? Infinity : this.t0 + options.timeLimitMs;
    this.scratch = newScratch(m);
    // Options were checked at the public entry (args.ts): k is "auto" or a whole number ≥ 1.
    this.k =
      options.candidatesPerRow === undefined || options.candidatesPerRow === "auto"
        ? autoK(this.inst)
        : Math.min(options.candidatesPerRow, Math.max(1, m));
    this.fr = new Int32Array(n);
    this.fc = new Int32Array(m);
    for (let k = 0; k < this.inst.forcedRow.length; k++) {
      this.fr[this.inst.forcedRow[k]]++;
      this.fc[this.inst.forcedCol[k]]++;
    }
  }

  /** Polled by every long loop: the caller's signal, then the clock. */
  private readonly shouldStop = (): boolean => {
    if (this.options.signal?.aborted) {
      this.stopReason = "aborted";
      return true;
    }
    return now() > this.deadline;
  };

  private progress(p: SolveProgress): void {
    this.options.onProgress?.(p);
  }

  private timed<T>(phase: keyof Solve["phaseMs"], f: () => T): T {
    const t = now();
    try {
      return f();
    } finally {
      this.phaseMs[phase] += now() - t;
    }
  }

  private stats(): SolveStats {
    const c = this.cands as Candidates | undefined;
    return {
      rows: this.inst.rows,
      cols: this.inst.cols,
      allowedPairs: c ? sum(c.rowDegree) + this.inst.forcedRow.length : -1,
      candidatePairs: c ? c.cols.reduce((a, r) => a + r.length, 0) : 0,
      ...this.counters,
      timeMs: now() - this.t0,
      phaseMs: { ...this.phaseMs },
    };
  }

  infeasible(d: InfeasibilityDiagnosis): AssignmentResult {
    return {
      status: "infeasible",
      diagnosis: d,
      pairs: { row: new Int32Array(0), col: new Int32Array(0) },
      objective: 0,
      unmatched: { row: new Int32Array(0), reason: [] },
      stats: this.stats(),
    };
  }

  /** Step 1: forced pairs that contradict each other or exceed a maximum. */
  checkForced(): InfeasibilityDiagnosis | undefined {
    const { inst } = this;
    if (inst.forcedConflict) {
      const { row, col, conflict } = inst.forcedConflict;
      return diagnosed({
        kind: "forced",
        conflict,
        index: row,
        pair: [row, col],
        needed: 1,
        possible: 0,
      });
    }
    return (
      forcedOverBound(this.fr, inst.rowMax, "row") ?? forcedOverBound(this.fc, inst.colMax, "col")
    );
  }

  /** Step 2: every pair read once — starting prices in the transportation case (warm.ts), then
   * each row's candidates; false if stopped before the pass was done. */
  firstPass(): boolean {
    const { inst, fr, fc, k, scratch } = this;
    // (Not with an uncovered column: its rows have a minimum of 1, Instance.uncovered.)
    this.transport =
      !inst.coverageFirst &&
      !inst.uncovered &&
      inst.source.kind === "rows" &&
      inst.rowMax.every((h, i) => h - fr[i] <= 1) &&
      inst.rowMin.every((l, i) => l <= fr[i]) &&
      inst.colMin.every((l, j) => l <= fc[j]);
    const ref =
      this.internal.startPrices ??
      (this.transport
        ? this.timed("sample", () => samplePrices(inst, fr, fc, k, this.shouldStop, this.counters))
        : undefined);
    this.progress({ phase: "candidates", done: 0, total: inst.rows });
    const cands = this.timed("candidates", () =>
      initialCandidates(inst, ref ? warmListFactor(inst) * k : k, scratch, ref, this.shouldStop),
    );
    if (!cands) return false;
    this.cands = cands;
    this.sampled = ref !== undefined;
    this.progress({ phase: "candidates", done: inst.rows, total: inst.rows });
    // Every pair has now been read once: the score scale σ is known, and with it every tolerance.
    const small = scaleIssue(cands.scale, []);
    if (small) throw new InputError([small], "problem");
    this.priceTol = PRICE_REL * cands.scale;
    if (this.internal.warmFlow) this.addWarmPairs(this.internal.warmFlow);
    return true;
  }

  /** The earlier answer's pairs that are free here join their rows' candidate lists (a pair not
   * allowed, forbidden or forced is left out). */
  private addWarmPairs(w: WarmFlow): void {
    const { inst, cands, scratch } = this;
    // A sparse source's graph, or complete candidates, hold every allowed pair already.
    if (inst.source.kind !== "rows" || cands.complete) return;
    const byRow = new Map<number, number[]>();
    for (let t = 0; t < w.row.length; t++) {
      const i = w.row[t];
      const j = w.col[t];
      if (isExcluded(inst, i, j) || sortedIndexOf(cands.cols[i], 0, cands.cols[i].length, j) >= 0)
        continue;
      const list = byRow.get(i);
      if (list) list.push(j);
      else byRow.set(i, [j]);
    }
    for (const [i, cols] of byRow) {
      const row = viewRow(inst, i, scratch);
      const ok = cols.filter((j) => allowedAt(row, j)).sort((a, b) => a - b);
      if (ok.length > 0)
        addToRow(
          cands,
          i,
          ok,
          ok.map((j) => scoreAt(row, j)),
        );
    }
  }

  /** The warm start of a phase (`InternalOptions.warmFlow`): its pairs, the rows it left
   * uncovered, and that phase's duals; none when the prices are off this problem's scale. */
  private warmPhase(coverage: boolean): WarmPhase | undefined {
    const w = this.internal.warmFlow;
    const d = coverage ? w?.coverage : w?.main;
    // An instance's own uncovered column is started from only when its load is held exactly.
    const own = this.inst.uncovered;
    if (!w || !d || (own && own.min !== own.max)) return undefined;
    // Prices far off this problem's score scale σ (an earlier problem's, whose largest scores
    // are gone) would leave duals the certificate's tolerance, relative to σ, cannot check.
    let most = Math.abs(d.z);
    for (const x of d.u) most = Math.max(most, Math.abs(x));
    for (const x of d.v) most = Math.max(most, Math.abs(x));
    if (!(most <= WARM_PRICE_SCALE * this.cands.scale)) return undefined;
    const z = this.zMain;
    if (coverage || !z || !(this.coverage || own))
      return { row: w.row, col: w.col, ...d, uncoveredRows: w.uncoveredRows };
    // Coverage-first's score phase (or an uncovered column held exactly): the rows left without
    // any of the answer's pairs (uncovered
    // then, or their pairs ended) start on the uncovered column, at the price an uncovered row
    // has (u_i = −z: its pair scores 0). Which rows the coverage phase left uncovered is one of
    // many ties; these are the ones the answer's duals already price.
    const paired = new Uint8Array(this.inst.rows);
    for (const i of w.row) paired[i] = 1;
    const u = Float64Array.from(d.u);
    const rows = z.rows.filter((i) => paired[i] === 0);
    for (const i of rows) u[i] = -d.z;
    return { row: w.row, col: w.col, ...d, u, uncoveredRows: rows };
  }

  /** Step 3: bounds net of forced pairs and of what the candidate graph allows; a minimum that
   * cannot be met on counts alone. */
  setBounds(): InfeasibilityDiagnosis | undefined {
    const { inst } = this;
    this.b = internalBounds(inst, this.fr, this.fc, this.cands);
    this.transposed = !(inst.rowsSupply ?? false) && columnsSupply(this.b);
    const z = inst.uncovered;
    if (z && !inst.coverageFirst) {
      // The instance's own uncovered column (Instance.uncovered): every phase has it.
      this.zb = augmentedBounds(inst, this.b, z.rows, this.cands.rowDegree);
      this.zMain = { rows: z.rows, score: z.score, max: z.max, min: z.min };
    }
    return precheck(inst, this.b);
  }

  /**
   * Step 4: the auction warm start (rows' side only) in the transportation case. It models a
   * column with capacity c as c slots: with far more places than rows (e.g. unlimited
   * capacities) there is little to bid for, and the flow starts from 0 instead.
   */
  warmStart(): void {
    const { b, cands } = this;
    if (this.internal.warmFlow) return; // the earlier answer is the start
    if (!this.transport || this.transposed || cands.complete) return;
    if (sum(b.hiC) > 4 * sum(b.hiR) + this.inst.cols) return;
    const a = this.timed("auction", () =>
      auction(this.inst, cands, {
        rowCap: b.hiR,
        capacity: b.hiC,
        k: this.k,
        scratch: this.scratch,
        shouldStop: this.shouldStop,
        fromRef: this.sampled,
      }),
    );
    this.counters.auctionBids = a.bids;
    this.counters.auctionScans = a.scans;
    this.warm = a;
    this.fallback.push(auctionPairs(cands, a.col));
  }

  /**
   * Step 5 (coverage-first): the most rows covered. The problem gains the uncovered column Z
   * (docs/ENGINE.md, "Coverage-first"): each row with rowMin 0 and rowMax ≥ 1 must take one
   * unit, which a pair (i, Z) may take; with real scores 0 and Z pairs −1 the optimum leaves the
   * fewest rows uncovered, U, its Z load. Measured, searches from the rows' side are shorter
   * then whatever the shape (docs/ENGINE.md). Sets the count, its duals and the score phase's
   * Z (at most U); a result only when the phase ends the solve.
   */
  coveragePhase(): AssignmentResult | undefined {
    const { inst, b, cands } = this;
    const z = uncoveredColumnRows(inst);
    const zb = augmentedBounds(inst, b, z.rows, cands.rowDegree);
    this.zb = zb;
    const first = this.optimize(
      { unit: 0, uncovered: { rows: z.rows, score: -1, max: z.rows.length } },
      false,
      this.warmPhase(true),
    );
    if (first.outcome.kind === "stuck") {
      // The augmented problem is feasible exactly when the problem is: the diagnosis is read
      // off the problem's own network, as without coverage-first.
      const plain = this.optimize({ unit: 0 }, false);
      return this.unfinished(plain.outcome.kind === "stuck" ? plain : first, true);
    }
    if (first.outcome.kind !== "done") return this.unfinished(first, true);
    const uncovered = first.net.uncoveredLoad();
    this.coverage = {
      count: z.coverable - uncovered,
      duals: clampDuals(inst, zb, first.net.duals(), z.rows),
    };
    this.zMain = { rows: z.rows, score: 0, max: uncovered };
    this.uncoveredRows = first.net.uncoveredRows();
    return undefined;
  }

  /** Step 6: the most total score (with coverage-first, among answers that cover the most
   * rows), from the scarcer side. */
  scorePhase(): PhaseEnd {
    const spec = { unit: undefined, uncovered: this.zMain };
    const uncovered = this.uncoveredRows;
    this.uncoveredRows = undefined;
    const warm = this.warmPhase(false);
    if (warm && this.coverage && this.zMain) this.zMain.min = this.zMain.max;
    if (!uncovered || !this.transposed) return this.optimize(spec, this.transposed, warm);
    // From the columns' side Z supplies U units, one search each: they go to the rows the
    // coverage phase left uncovered instead, before the run (measured: ENGINE.md, step 8).
    const net = new CandidateNetwork(this.cands, this.zb!, spec, true);
    if (warm) net.warmFrom(warm);
    else net.preloadUncovered(uncovered);
    const end = this.flowAndPricing(spec, net);
    return end.outcome.kind === "stuck"
      ? this.flowAndPricing(spec, new CandidateNetwork(this.cands, this.zb!, spec, false))
      : end;
  }

  /** The main proof's uncovered column, as the bound reads it: coverage-first, Z's load exactly
   * U; the instance's own (Instance.uncovered), at most its max. */
  private mainUncovered(): UncoveredTerms | undefined {
    const z = this.zMain;
    if (!z) return undefined;
    return { rows: z.rows, score: z.score, lo: z.min ?? (this.coverage ? z.max : 0), hi: z.max };
  }

  /**
   * Steps 5 and 6: a phase's flow run to optimality on the candidate graph, then pricing of the
   * pairs left out, until none prices out (or the run is stuck or stopped). A phase stuck from
   * the columns' side is run again from the rows' side (same candidates): the diagnosis reads
   * that side of the network.
   */
  private optimize(spec: PhaseSpec, fromColumns: boolean, warm?: WarmPhase): PhaseEnd {
    const b = spec.uncovered ? this.zb! : this.b;
    const net = new CandidateNetwork(this.cands, b, spec, fromColumns);
    if (warm) net.warmFrom(warm);
    const end = this.flowAndPricing(spec, net);
    return end.outcome.kind === "stuck" && end.net.transposed
      ? this.flowAndPricing(spec, new CandidateNetwork(this.cands, b, spec, false))
      : end;
  }

  /** Whether `rescore` can start from this solve: its score phase was certified, and its rows
   * are read from memory (a list or a view, which `rescore` reads afresh; not a row source that
   * computes its rows, or one of the engine's caches: those keep the first scores). */
  canRescore(): boolean {
    const z = this.inst.uncovered;
    const net = this.last;
    if (!net || !this.inMemory) return false;
    // A new most for the instance's uncovered column: from the rows' side, over its flow.
    if (z && this.zMain && (z.min ?? 0) !== (this.zMain.min ?? 0)) return false;
    return !z || !this.zMain || z.max === this.zMain.max || net.setUncoveredMax(z.max);
  }

  /**
   * `Resolvable.resolve` after an optimal solve: the scores of the candidates (and of the forced
   * pairs and the scale σ) are read again, every row with pairs left out is marked for pricing
   * (its bound was taken at the old scores), the last network takes the new scores and the score
   * phase resumes from its flow; then the proof, as in a fresh solve. Stats count this solve.
   */
  rescore(options: SolveOptions): AssignmentResult {
    const net = this.last!;
    this.options = options;
    this.t0 = now();
    this.deadline = options.timeLimitMs === undefined ? Infinity : this.t0 + options.timeLimitMs;
    for (const k of Object.keys(this.counters) as (keyof Solve["counters"])[]) this.counters[k] = 0;
    this.phaseMs = { sample: 0, candidates: 0, auction: 0, flow: 0, pricing: 0 };
    this.fallback = [];
    this.warm = undefined;
    this.last = undefined;
    this.stopReason = "time";
    if (!this.timed("candidates", () => this.readScoresAgain())) {
      // Stopped while reading: the candidates are half old, half new, so (as when a fresh solve
      // stops in its first pass) the forced pairs alone, at their new scores, with no bound;
      // the next resolve starts afresh (`last` is gone).
      readForcedScores(this.inst);
      return this.stoppedEarly();
    }
    // The instance's own uncovered column may have a new score too.
    if (this.zMain && this.inst.uncovered) this.zMain.score = this.inst.uncovered.score;
    this.timed("flow", () => net.rescore());
    const end = this.flowAndPricing({ unit: undefined, uncovered: this.zMain }, net);
    if (end.outcome.kind !== "done") return this.unfinished(end, false);
    return this.certify(end.net);
  }

  /** The candidates' and forced pairs' scores at the source's current scores, σ over every
   * pair, and every row with pairs left out marked for pricing (`rescore`); false if stopped
   * (polled every 64 rows, as the first pass is). */
  private readScoresAgain(): boolean {
    const { inst, cands: c, scratch } = this;
    let scale = 0;
    for (let i = 0; i < inst.rows; i++) {
      if ((i & 63) === 0 && this.shouldStop()) return false;
      // σ over the free pairs (excluded ones are checked only when they would raise it).
      const row = viewRow(inst, i, scratch);
      if (row.list) {
        const { cols, vals, n } = row.list;
        for (let t = 0; t < n; t++)
          if (Math.abs(vals[t]) > scale && !isExcluded(inst, i, cols[t])) scale = Math.abs(vals[t]);
      } else
        for (let j = 0; j < inst.cols; j++) {
          const a = Math.abs(row.s[row.off + j]);
          if (a > scale && row.ok[row.off + j] === 1 && !isExcluded(inst, i, j)) scale = a;
        }
      const own = c.cols[i];
      const scores = c.scores[i];
      for (let t = 0; t < own.length; t++) scores[t] = scoreAt(row, own[t]);
      // A row whose list holds every free pair has nothing left out to price.
      c.kth[i] = own.length === c.rowDegree[i] ? -Infinity : Infinity;
    }
    c.refs.length = 1;
    c.refOf.fill(0);
    c.kthUnit.fill(Infinity);
    c.refOfUnit.fill(0);
    readForcedScores(inst);
    for (const s of inst.forcedScore) scale = Math.max(scale, Math.abs(s));
    const small = scaleIssue(scale, []);
    if (small) throw new InputError([small], "problem");
    c.scale = scale;
    this.priceTol = PRICE_REL * scale;
    return true;
  }

  private flowAndPricing(spec: PhaseSpec, net: CandidateNetwork): PhaseEnd {
    const { inst, cands, b, scratch } = this;
    if (this.warm && spec.unit === undefined) net.flow.warmStart(this.warm.col, this.warm.price);
    const phase = spec.unit === undefined ? "solve" : "coverage";
    const total = sum(b.hiR);
    for (;;) {
      const work = { augmentations: net.augmentations, pivots: net.pivots };
      const outcome = this.timed("flow", () =>
        net.run(this.shouldStop, (done) => this.progress({ phase, done, total })),
      );
      this.counters.augmentations += net.augmentations - work.augmentations;
      this.counters.pivots += net.pivots - work.pivots;
      if (outcome.kind === "stopped") return { net, outcome };
      let added: AddedPairs;
      if (outcome.kind === "stuck") {
        added = cands.complete ? noPairs() : completeRows(inst, cands, outcome.reachRows, scratch);
        if (added.row.length === 0) return { net, outcome };
      } else {
        if (cands.complete) return { net, outcome };
        // A balanced flow: every bound holds. Keep it in case time runs out while pricing.
        if (spec.unit === undefined) this.fallback.push(net.pairs());
        this.counters.pricingRounds++;
        this.progress({ phase: "pricing", done: this.counters.pricingRounds, total: 0 });
        added = this.timed("pricing", () =>
          price(
            inst,
            cands,
            net.duals(),
            this.priceTol,
            this.k,
            scratch,
            this.shouldStop,
            spec.unit,
          ),
        );
        // Pricing cut short proves nothing: the run below reports the stop.
        if (added.row.length === 0 && !this.shouldStop()) return { net, outcome };
      }
      this.timed("flow", () => net.update(added));
    }
  }

  /** A phase that did not finish: stuck (infeasible, with the bound that cannot be met) or
   * stopped (the best answer so far, as a time_limit result). */
  unfinished(end: PhaseEnd, coveragePhase: boolean): AssignmentResult {
    if (end.outcome.kind === "stuck")
      return this.infeasible(diagnose(this.inst, this.b, end.net, end.outcome));
    return this.stopped(end.net, coveragePhase);
  }

  /**
   * Step 7: the optimal answer with its proof. The flow is balanced, so cutting it to the maxima
   * changes nothing; it only merges in the forced pairs and sorts. The bound and the reasons
   * may read rows again (at 100,000 × 10,000, minutes; the reasons read none when every column
   * is full, only the columns with room when few have it): both poll the clock, and a stop there
   * returns the answer as a time_limit one with a bound that needs no more reads (the optimum is
   * found, but its proof was not finished in time).
   */
  certify(net: CandidateNetwork): AssignmentResult {
    const { inst, cands, coverage, zMain } = this;
    const duals = clampDuals(inst, zMain ? this.zb! : this.b, net.duals(), zMain?.rows);
    const answer = withinMaxima(inst, this.b, net.pairs());
    const { row, col, objective } = answer;
    const final = dualBound(inst, duals, {
      cands,
      shouldStop: this.shouldStop,
      uncovered: this.mainUncovered(),
    });
    const load = new Int32Array(inst.cols);
    for (const j of col) load[j]++;
    const unmatched = final.stopped
      ? undefined
      : unmatchedRows(
          inst,
          row,
          load,
          this.scratch,
          this.internal.ownReasons ? { cands } : undefined,
          this.shouldStop,
          cands.rowDegree,
        );
    if (!unmatched) return this.timeLimitResult(answer, upper(final));
    this.last = net;
    const sign = inst.minimize ? -1 : 1;
    return {
      status: "optimal",
      pairs: { row, col },
      objective: sign * objective,
      bound: sign * final.value,
      unmatched,
      certificate: {
        rowDual: duals.u,
        colDual: duals.v,
        ...(zMain && !coverage ? { uncoveredDual: duals.z ?? 0 } : {}),
        ...(coverage
          ? {
              uncoveredDual: duals.z ?? 0,
              coverage: {
                count: coverage.count,
                rowDual: coverage.duals.u,
                colDual: coverage.duals.v,
                uncoveredDual: coverage.duals.z ?? 0,
              },
            }
          : {}),
      },
      stats: this.stats(),
    };
  }

  /**
   * The answer when time ran out or the caller aborted. Mid-solve the flow may hold more pairs
   * than a row or column allows (pricing puts pairs in before re-routing), so every candidate
   * answer — the auction's, the last balanced flow, the flow as it stands — is first cut to the
   * maxima (best pairs first), and the best one is returned: one that meets every minimum if any
   * does. The bound comes from the current duals (any duals give a valid bound).
   */
  private stopped(net: CandidateNetwork, coveragePhase: boolean): AssignmentResult {
    const { inst, cands } = this;
    let best: ReturnType<typeof withinMaxima> | undefined;
    for (const cand of [...this.fallback, net.pairs()]) {
      const a = withinMaxima(inst, this.b, cand);
      if (
        !best ||
        (a.feasible && !best.feasible) ||
        (a.feasible === best.feasible && a.objective > best.objective)
      )
        best = a;
    }
    // In the coverage phase the duals bound the rows covered, not the score: no score bound yet.
    const bound = coveragePhase
      ? Infinity
      : upper(
          dualBound(inst, net.duals(), { cands, noReads: true, uncovered: this.mainUncovered() }),
        );
    return this.timeLimitResult(best!, bound);
  }

  /** The answer when time ran out (or the caller aborted) before the first pass over the rows
   * was done: the forced pairs alone, with no bound yet. */
  stoppedEarly(): AssignmentResult {
    const answer = withinMaxima(
      this.inst,
      { fr: this.fr, fc: this.fc },
      { row: [], col: [], score: [] },
    );
    return this.timeLimitResult(answer, Infinity);
  }

  /** A `time_limit` result: the answer in the problem's sense, its unmatched rows explained
   * without reading any row again (from the candidate lists, when there are any yet). */
  private timeLimitResult(
    answer: ReturnType<typeof withinMaxima>,
    bound: number,
  ): AssignmentResult {
    const { inst } = this;
    const { row, col, objective, feasible } = answer;
    const sign = inst.minimize ? -1 : 1;
    const load = new Int32Array(inst.cols);
    for (const j of col) load[j]++;
    const cands = this.cands as Candidates | undefined;
    return {
      status: "time_limit",
      reason: this.stopReason,
      feasible,
      pairs: { row, col },
      objective: sign * objective,
      bound: sign * bound,
      unmatched: unmatchedRows(inst, row, load, this.scratch, { cands })!, // (no reads, no stop)
      stats: this.stats(),
    };
  }
}

/** The first row (or column) with more forced pairs than its max, as a diagnosis. */
function forcedOverBound(
  forced: Int32Array,
  max: Float64Array,
  side: "row" | "col",
): InfeasibilityDiagnosis | undefined {
  for (let k = 0; k < forced.length; k++)
    if (forced[k] > max[k])
      return diagnosed({ kind: "forced", side, index: k, needed: forced[k], possible: max[k] });
  return undefined;
}

function internalBounds(inst: Instance, fr: Int32Array, fc: Int32Array, c: Candidates): Bounds {
  const { rows: n, cols: m } = inst;
  const b: Bounds = {
    fr,
    fc,
    loR: new Int32Array(n),
    hiR: new Int32Array(n),
    loC: new Int32Array(m),
    hiC: new Int32Array(m),
    capR: new Uint8Array(n),
    capC: new Uint8Array(m),
  };
  for (let i = 0; i < n; i++) {
    const most = c.rowDegree[i];
    const hi = inst.rowMax[i] - fr[i];
    b.hiR[i] = Math.min(hi, most);
    b.capR[i] = hi > most ? 1 : 0;
    b.loR[i] = Math.max(0, inst.rowMin[i] - fr[i]);
  }
  for (let j = 0; j < m; j++) {
    const most = c.colDegree[j];
    const hi = inst.colMax[j] - fc[j];
    b.hiC[j] = Math.min(hi, most);
    b.capC[j] = hi > most ? 1 : 0;
    b.loC[j] = Math.max(0, inst.colMin[j] - fc[j]);
  }
  return b;
}

function precheck(inst: Instance, b: Bounds): InfeasibilityDiagnosis | undefined {
  // The first row, then the first column, whose minimum is above what it can take.
  for (const [kind, lo, hi, min, forced] of [
    ["row_min", b.loR, b.hiR, inst.rowMin, b.fr],
    ["col_min", b.loC, b.hiC, inst.colMin, b.fc],
  ] as const)
    for (let k = 0; k < lo.length; k++)
      if (lo[k] > hi[k])
        return diagnosed({ kind, index: k, needed: min[k], possible: hi[k] + forced[k] });
  const supply = sum(b.hiR);
  const demand = sum(b.loC);
  if (demand > supply)
    return diagnosed({ kind: "total", side: "col", needed: demand, possible: supply });
  const rowDemand = sum(b.loR);
  const colSupply = sum(b.hiC);
  if (rowDemand > colSupply)
    return diagnosed({ kind: "total", side: "row", needed: rowDemand, possible: colSupply });
  return undefined;
}

/**
 * The rows' bounds of the augmented problem (coverage-first, docs/ENGINE.md): each row of
 * `covers` (rowMin 0, rowMax ≥ 1) must take one unit, which its pair with the uncovered column
 * may take, so its minimum is 1 and that pair counts toward what it can take (`degree` + 1).
 */
function augmentedBounds(
  inst: Instance,
  b: Bounds,
  covers: Int32Array,
  degree: Int32Array,
): Bounds {
  const loR = Int32Array.from(b.loR);
  const hiR = Int32Array.from(b.hiR);
  const capR = Uint8Array.from(b.capR);
  for (const i of covers) {
    const hi = inst.rowMax[i] - b.fr[i];
    const most = degree[i] + 1;
    hiR[i] = Math.min(hi, most);
    capR[i] = hi > most ? 1 : 0;
    loR[i] = Math.max(0, 1 - b.fr[i]);
  }
  return { ...b, loR, hiR, capR };
}

/** Names the bound that cannot be met from the reachable set of a stuck augmentation. */
function diagnose(
  inst: Instance,
  b: Bounds,
  net: CandidateNetwork,
  outcome: Extract<NetworkOutcome, { kind: "stuck" }>,
): InfeasibilityDiagnosis {
  const { reachRows, row } = outcome;
  // (The uncovered column, when the network has one, is no column of the instance.)
  const reachCols = outcome.reachCols.filter((j) => j < inst.cols);
  const { bal, load } = net.flow; // the rows' side (see `settle`)
  // A column minimum that cannot be reached: units had nowhere else to go.
  for (let j = 0; j < inst.cols; j++) {
    // (A deficit can also be a warm start's leftover on a column with no minimum: not the cause.)
    const short = -bal[inst.rows + j];
    const reached = load[j] + b.fc[j];
    if (short > 0 && reached < inst.colMin[j] && !reachCols.includes(j)) {
      return diagnosed({
        kind: "col_min",
        crowded: true,
        index: j,
        needed: inst.colMin[j],
        possible: reached,
      });
    }
  }
  let needed = 0;
  for (const i of reachRows) needed += b.loR[i];
  let possible = 0;
  for (const j of reachCols) possible += b.hiC[j];
  return diagnosed({
    kind: "row_min",
    index: row,
    rows: Array.from(reachRows),
    cols: Array.from(reachCols),
    needed,
    possible,
  });
}

/**
 * Makes the duals exact for the bound with ORIGINAL bounds and forced pairs (see types.ts).
 * Where the internal bound was cut (a minimum below the forced count, or a maximum above the
 * allowed degree), the dual of that side can be moved to 0 without changing any term that
 * matters: the row/column sits at that cut, so all its free pairs are out (u < 0) or in (u > 0).
 */
function clampDuals(inst: Instance, b: Bounds, d: Duals, covers?: Int32Array): Duals {
  const { u, v } = d;
  // The uncovered column's rows have the minimum 1 in the augmented problem.
  const lo = covers ? Int32Array.from(inst.rowMin) : inst.rowMin;
  if (covers) for (const i of covers) lo[i] = 1;
  for (let i = 0; i < inst.rows; i++) {
    if (u[i] < 0 && lo[i] < b.fr[i]) u[i] = 0;
    if (u[i] > 0 && b.capR[i] === 1) u[i] = 0;
  }
  for (let j = 0; j < inst.cols; j++) {
    if (v[j] < 0 && inst.colMin[j] < b.fc[j]) v[j] = 0;
    if (v[j] > 0 && b.capC[j] === 1) v[j] = 0;
  }
  return d;
}

/** Rows without a pair, each with why: nothing allowed, every allowed column full, or no
 * allowed column with room would improve the total. A stopped solve (or one whose caller has
 * its own reasons) does not read rows again for this: it answers from the candidate lists
 * (`cands`), or "not_reached" without them. Given `rowDegree` (free allowed pairs per row), and
 * with few columns left with room (the scarce case: often none), a row's reason needs only its
 * degree and those columns' entries. */
function unmatchedRows(
  inst: Instance,
  row: Int32Array,
  load: Int32Array,
  scratch: Scratch,
  stopped?: { cands: Candidates | undefined },
  shouldStop?: () => boolean,
  rowDegree?: Int32Array,
): { row: Int32Array; reason: UnmatchedReason[] } | undefined {
  const has = new Uint8Array(inst.rows);
  for (const i of row) has[i] = 1;
  const roomCols: number[] = [];
  for (let j = 0; j < inst.cols; j++) if (load[j] < inst.colMax[j]) roomCols.push(j);
  const anyRoom = roomCols.length > 0;
  // With the rows' degrees, and few columns with room, those columns alone are looked up (in a
  // row source's row: a sparse source's rows are short lists anyway).
  const byDegree =
    rowDegree !== undefined &&
    (!anyRoom || (inst.source.kind === "rows" && 8 * roomCols.length <= inst.cols));
  const rows: number[] = [];
  const reasons: UnmatchedReason[] = [];
  for (let i = 0; i < inst.rows; i++) {
    if (has[i] === 1) continue;
    rows.push(i);
    if (inst.rowMax[i] === 0) {
      reasons.push("capacity");
      continue;
    }
    if (stopped && !stopped.cands) {
      reasons.push("not_reached");
      continue;
    }
    let any = false;
    let room = false;
    if (stopped) {
      // From the candidate lists alone: "capacity" only when they prove it (the list holds
      // every free pair of the row, or no column has room at all).
      const c = stopped.cands!;
      any = c.rowDegree[i] > 0;
      for (const j of c.cols[i]) if (load[j] < inst.colMax[j]) room = true;
      if (any && !room && anyRoom && c.kth[i] !== -Infinity) {
        reasons.push("not_reached");
        continue;
      }
    } else if (byDegree) {
      any = rowDegree![i] > 0;
      if (any && anyRoom) {
        // Polled before each row read; stopped, the caller answers without these reasons.
        if (shouldStop?.()) return undefined;
        const view = viewRow(inst, i, scratch);
        room = roomCols.some((j) => allowedAt(view, j) && !isExcluded(inst, i, j));
      }
    } else {
      if (shouldStop?.()) return undefined;
      forEachFreePair(inst, i, scratch, (j) => {
        any = true;
        if (load[j] < inst.colMax[j]) room = true;
      });
    }
    reasons.push(!any ? "no_allowed_pairs" : room ? "not_beneficial" : "capacity");
  }
  return { row: Int32Array.from(rows), reason: reasons };
}

/** Free (non-forced) pairs with their real scores. */
interface FreePairs {
  row: number[];
  col: number[];
  score: number[];
}

function auctionPairs(c: Candidates, col: Int32Array): FreePairs {
  const out: FreePairs = { row: [], col: [], score: [] };
  col.forEach((j, i) => {
    const t = j < 0 ? -1 : c.cols[i].indexOf(j);
    if (t < 0) return;
    out.row.push(i);
    out.col.push(j);
    out.score.push(c.scores[i][t]);
  });
  return out;
}

/** A computed bound made safe: its value plus its rounding allowance (a `time_limit` bound must
 * never fall below the optimum). */
const upper = (b: BoundValue) => b.value + b.error;

/** Forced pairs plus the best free pairs that fit every row and column maximum (greedy by
 * score), sorted by row then column; `feasible` if every minimum is met too. */
function withinMaxima(inst: Instance, b: Pick<Bounds, "fr" | "fc">, p: FreePairs) {
  const order = p.score
    .map((_, k) => k)
    .sort((x, y) => p.score[y] - p.score[x] || p.row[x] - p.row[y] || p.col[x] - p.col[y]);
  const rowCount = Int32Array.from(b.fr);
  const colCount = Int32Array.from(b.fc);
  const keep: number[] = [];
  for (const k of order) {
    const i = p.row[k];
    const j = p.col[k];
    if (rowCount[i] >= inst.rowMax[i] || colCount[j] >= inst.colMax[j]) continue;
    rowCount[i]++;
    colCount[j]++;
    keep.push(k);
  }
  const all = [
    ...keep.map((k) => [p.row[k], p.col[k], p.score[k]] as const),
    ...Array.from(inst.forcedRow, (i, f) => [i, inst.forcedCol[f], inst.forcedScore[f]] as const),
  ].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const total = new ErrorBoundedSum();
  for (const [, , sc] of all) total.add(sc);
  const objective = total.value;
  let feasible = true;
  for (let i = 0; i < inst.rows; i++) if (rowCount[i] < inst.rowMin[i]) feasible = false;
  for (let j = 0; j < inst.cols; j++) if (colCount[j] < inst.colMin[j]) feasible = false;
  return {
    row: Int32Array.from(all, (t) => t[0]),
    col: Int32Array.from(all, (t) => t[1]),
    objective,
    feasible,
  };
}
