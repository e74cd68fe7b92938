/**
 * Orchestrates one solve of an `Instance`: forced pairs out, candidates in, the flow core run to
 * optimality on the candidate graph, pricing until no left-out pair can improve the answer, and
 * the result (pairs, duals, reasons, diagnosis) assembled.
 */
import {
  autoK,
  completeRows,
  initialCandidates,
  newScratch,
  price,
  type Candidates,
  type Duals,
  type Scratch,
} from "./candidates.js";
import { auction } from "./auction.js";
import { dualBound, type BoundValue } from "./certificate.js";
import { CandidateNetwork, columnsSupply, type NetworkOutcome } from "./network.js";
import { forEachFreePair, withRowCache, type Instance } from "./instance.js";
import { ErrorBoundedSum, PRICE_REL, scaleIssue } from "./numeric.js";
import { InputError } from "../schema/errors.js";
import { samplePrices } from "./warm.js";
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
 * a little off, and a longer first list saves re-reads, at some cost per bid. Measured: a matrix
 * in memory (re-reads cheap) is fastest with 3 (20,000 × 4,000: 7,866 re-reads, 2.9–3.1 s; 8:
 * 21 re-reads but 3.7 s); scores computed on the fly (every re-read recomputes a row) with 6
 * (100,000 × 10,000: 76,644 re-reads and 53.7 s with 3; 43,655 and 49.9 s with 5).
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

export function solveInstance(given: Instance, options: SolveOptions = {}): AssignmentResult {
  const t0 = now();
  // Rows computed on the fly are computed once: later reads come from a cache when it fits.
  const inst = withRowCache(given);
  const { rows: n, cols: m } = inst;
  const deadline = options.timeLimitMs === undefined ? Infinity : t0 + options.timeLimitMs;
  let stopReason: "time" | "aborted" = "time";
  const shouldStop = () => {
    if (options.signal?.aborted) {
      stopReason = "aborted";
      return true;
    }
    return now() > deadline;
  };
  const progress = (p: SolveProgress) => options.onProgress?.(p);
  const stats = {
    pricingRounds: 0,
    augmentations: 0,
    auctionBids: 0,
    auctionScans: 0,
    sampleRows: 0,
  };
  const phaseMs = { sample: 0, candidates: 0, auction: 0, flow: 0, pricing: 0 };
  const timed = <T>(phase: keyof typeof phaseMs, f: () => T): T => {
    const t = now();
    try {
      return f();
    } finally {
      phaseMs[phase] += now() - t;
    }
  };
  const scratch = newScratch(m);

  const finishStats = (c: Candidates | undefined): SolveStats => ({
    rows: n,
    cols: m,
    allowedPairs: c ? sum(c.rowDegree) + inst.forcedRow.length : -1,
    candidatePairs: c ? c.cols.reduce((a, r) => a + r.length, 0) : 0,
    pricingRounds: stats.pricingRounds,
    augmentations: stats.augmentations,
    auctionBids: stats.auctionBids,
    auctionScans: stats.auctionScans,
    sampleRows: stats.sampleRows,
    timeMs: now() - t0,
    phaseMs: { ...phaseMs },
  });
  const infeasible = (d: InfeasibilityDiagnosis, c?: Candidates): AssignmentResult => ({
    status: "infeasible",
    diagnosis: d,
    pairs: { row: new Int32Array(0), col: new Int32Array(0) },
    objective: 0,
    unmatched: { row: new Int32Array(0), reason: [] },
    stats: finishStats(c),
  });

  if (inst.forcedConflict) {
    const { row, col, why } = inst.forcedConflict;
    return infeasible({
      kind: "forced",
      index: row,
      pair: [row, col],
      needed: 1,
      possible: 0,
      message: `Pair (row ${row}, column ${col}) ${why}.`,
    });
  }
  const fr = new Int32Array(n);
  const fc = new Int32Array(m);
  for (let k = 0; k < inst.forcedRow.length; k++) {
    fr[inst.forcedRow[k]]++;
    fc[inst.forcedCol[k]]++;
  }
  const over =
    forcedOverBound(fr, inst.rowMax, "Row", "rowMax") ??
    forcedOverBound(fc, inst.colMax, "Column", "colMax");
  if (over) return infeasible(over);

  // Options were checked at the public entry (args.ts): k is "auto" or a whole number ≥ 1.
  const k =
    options.candidatesPerRow === undefined || options.candidatesPerRow === "auto"
      ? autoK(inst)
      : Math.min(options.candidatesPerRow, Math.max(1, m));
  // The transportation case (rows take at most one column, no minimums, not coverage-first)
  // gets an auction warm start, and on large problems starting prices from a sample of the rows
  // (warm.ts). Other problems get the auction when places are scarce (see below).
  const transport =
    !inst.coverageFirst &&
    inst.source.kind === "rows" &&
    inst.rowMax.every((h, i) => h - fr[i] <= 1) &&
    inst.rowMin.every((l, i) => l <= fr[i]) &&
    inst.colMin.every((l, j) => l <= fc[j]);
  const ref = transport
    ? timed("sample", () => samplePrices(inst, fr, fc, k, shouldStop, stats))
    : undefined;
  progress({ phase: "candidates", done: 0, total: n });
  const cands = timed("candidates", () =>
    initialCandidates(inst, ref ? warmListFactor(inst) * k : k, scratch, ref, shouldStop),
  );
  if (!cands) return stoppedEarly(inst, fr, fc, scratch, stopReason, finishStats(undefined));
  progress({ phase: "candidates", done: n, total: n });
  // Every pair has now been read once: the score scale σ is known, and with it every tolerance.
  const small = scaleIssue(cands.scale, []);
  if (small) throw new InputError([small], "problem");
  const priceTol = PRICE_REL * cands.scale;

  const b = internalBounds(inst, fr, fc, cands);
  const pre = precheck(inst, b, cands);
  if (pre) return infeasible(pre, cands);

  // Answers to fall back on if time runs out: each respects every maximum (see `stopped`).
  const fallback: FreePairs[] = [];

  // Fewer places than row units: the flow runs from the columns' side (network.ts).
  const transposed = columnsSupply(b);
  let warm: { col: Int32Array; price: Float64Array } | undefined;
  // The auction warm start (rows' side only) models a column with capacity c as c slots: with far
  // more places than rows (e.g. unlimited capacities) there is little to bid for, and the flow
  // starts from 0 instead.
  const useAuction = transport && !transposed && sum(b.hiC) <= 4 * sum(b.hiR) + m;
  if (useAuction && !cands.complete) {
    const a = timed("auction", () =>
      auction(inst, cands, b.hiR, b.hiC, k, scratch, shouldStop, ref !== undefined),
    );
    stats.auctionBids = a.bids;
    stats.auctionScans = a.scans;
    warm = a;
    fallback.push(auctionPairs(cands, a.col));
  }

  const runPhase = (unit: number | undefined, unpairedRowUnits: number, fromColumns: boolean) => {
    const net = new CandidateNetwork(cands, b, { unit, unpairedRowUnits }, fromColumns);
    if (warm && unit === undefined) net.flow.warmStart(warm.col, warm.price);
    const phase = unit === undefined ? "solve" : "coverage";
    const total = sum(b.hiR);
    for (;;) {
      const before = net.flow.augmentations;
      const outcome: NetworkOutcome = timed("flow", () =>
        net.run(shouldStop, (done) => progress({ phase, done, total })),
      );
      stats.augmentations += net.flow.augmentations - before;
      if (outcome.kind === "stopped") return { net, outcome };
      let changed: number[];
      if (outcome.kind === "stuck") {
        changed = cands.complete ? [] : completeRows(inst, cands, outcome.reachRows, scratch);
        if (changed.length === 0) return { net, outcome };
      } else {
        if (cands.complete) return { net, outcome };
        // A balanced flow: every bound holds. Keep it in case time runs out while pricing.
        if (unit === undefined) fallback.push(net.pairs(cands));
        stats.pricingRounds++;
        progress({ phase: "pricing", done: stats.pricingRounds, total: 0 });
        changed = timed("pricing", () =>
          price(inst, cands, net.duals(), priceTol, k, scratch, shouldStop, unit),
        );
        // Pricing cut short proves nothing: the run below reports the stop.
        if (changed.length === 0 && !shouldStop()) return { net, outcome };
      }
      net.update(cands, changed);
    }
  };

  // The diagnosis of a stuck run reads the rows' side of the network: a phase stuck from the
  // columns' side is run again from the rows' side (on the same candidates) to name the bound.
  const settle = (ran: ReturnType<typeof runPhase>) =>
    ran.outcome.kind === "stuck" && ran.net.transposed
      ? runPhase(ran.net.options.unit, ran.net.options.unpairedRowUnits, false)
      : ran;

  let coverage: { count: number; duals: Duals } | undefined;
  let yCap = Infinity;
  if (inst.coverageFirst) {
    // Every score is 1 in this phase and shortest paths tie everywhere; measured, searches from
    // the rows' side are shorter then whatever the shape (docs/ENGINE.md).
    const first = settle(runPhase(1, Infinity, false));
    if (first.outcome.kind === "stuck")
      return infeasible(diagnose(inst, b, first.net, first.outcome), cands);
    if (first.outcome.kind === "stopped")
      return stopped(
        inst,
        b,
        first.net,
        true,
        undefined,
        cands,
        fallback,
        scratch,
        stopReason,
        finishStats(cands),
      );
    const matched = first.net.pairCount();
    coverage = {
      count: matched + inst.forcedRow.length,
      duals: clampDuals(inst, b, first.net.duals()),
    };
    yCap = sum(b.hiR) - matched;
  }
  const main = settle(runPhase(undefined, yCap, transposed));
  if (main.outcome.kind === "stuck")
    return infeasible(diagnose(inst, b, main.net, main.outcome), cands);
  if (main.outcome.kind === "stopped")
    return stopped(
      inst,
      b,
      main.net,
      false,
      coverage?.count,
      cands,
      fallback,
      scratch,
      stopReason,
      finishStats(cands),
    );

  const net = main.net;
  const duals = clampDuals(inst, b, net.duals());
  // The flow is balanced, so cutting it to the maxima changes nothing; it only merges in the
  // forced pairs and sorts, the same way a time-limit answer is assembled.
  const answer = withinMaxima(inst, b, net.pairs(cands));
  const { row, col, objective } = answer;
  // The bound and the reasons read rows again (at 100,000 × 10,000, minutes): both poll the
  // clock, and a stop there returns the answer as a time_limit one with a bound that needs no
  // more reads (the optimum is found, but its proof was not finished in time).
  const final = dualBound(inst, duals, coverage?.count, { cands, shouldStop });
  const load = new Int32Array(m);
  for (const j of col) load[j]++;
  const unmatched = final.stopped
    ? undefined
    : unmatchedRows(inst, row, load, scratch, undefined, shouldStop);
  if (!unmatched)
    return timeLimitResult(
      inst,
      answer,
      upper(final),
      cands,
      scratch,
      stopReason,
      finishStats(cands),
    );
  const bound = final.value;
  const sign = inst.minimize ? -1 : 1;
  return {
    status: "optimal",
    pairs: { row, col },
    objective: sign * objective,
    bound: sign * bound,
    unmatched,
    certificate: {
      rowDual: duals.u,
      colDual: duals.v,
      ...(coverage
        ? {
            countDual: duals.w,
            coverage: {
              count: coverage.count,
              rowDual: coverage.duals.u,
              colDual: coverage.duals.v,
            },
          }
        : {}),
    },
    stats: finishStats(cands),
  };
}

/** The first row (or column) with more forced pairs than its max, as a diagnosis. */
function forcedOverBound(
  forced: Int32Array,
  max: Float64Array,
  what: "Row" | "Column",
  bound: "rowMax" | "colMax",
): InfeasibilityDiagnosis | undefined {
  for (let k = 0; k < forced.length; k++)
    if (forced[k] > max[k])
      return {
        kind: "forced",
        index: k,
        needed: forced[k],
        possible: max[k],
        message: `${what} ${k} has ${forced[k]} forced pairs but ${bound} ${max[k]}.`,
      };
  return undefined;
}

const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? "" : "s"}`;

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k];
  return s;
};

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

function precheck(inst: Instance, b: Bounds, c: Candidates): InfeasibilityDiagnosis | undefined {
  for (let i = 0; i < inst.rows; i++)
    if (b.loR[i] > b.hiR[i])
      return {
        kind: "row_min",
        index: i,
        needed: inst.rowMin[i],
        possible: b.hiR[i] + b.fr[i],
        message: `Row ${i} needs at least ${inst.rowMin[i]} pairs but has only ${plural(b.hiR[i] + b.fr[i], "allowed column")}.`,
      };
  for (let j = 0; j < inst.cols; j++)
    if (b.loC[j] > b.hiC[j])
      return {
        kind: "col_min",
        index: j,
        needed: inst.colMin[j],
        possible: b.hiC[j] + b.fc[j],
        message: `Column ${j} needs at least ${inst.colMin[j]} rows but only ${plural(b.hiC[j] + b.fc[j], "row")} may pair with it.`,
      };
  const supply = sum(b.hiR);
  const demand = sum(b.loC);
  if (demand > supply)
    return {
      kind: "total",
      needed: demand,
      possible: supply,
      message: `Column minimums need ${demand} pairs in all (beyond forced ones), but the rows can take at most ${supply}.`,
    };
  const rowDemand = sum(b.loR);
  const colSupply = sum(b.hiC);
  if (rowDemand > colSupply)
    return {
      kind: "total",
      needed: rowDemand,
      possible: colSupply,
      message: `Row minimums need ${rowDemand} pairs in all (beyond forced ones), but the columns can take at most ${colSupply}.`,
    };
  return undefined;
}

/** Names the bound that cannot be met from the reachable set of a stuck augmentation. */
function diagnose(
  inst: Instance,
  b: Bounds,
  net: CandidateNetwork,
  outcome: Extract<NetworkOutcome, { kind: "stuck" }>,
): InfeasibilityDiagnosis {
  const { reachRows, reachCols, row } = outcome;
  const { bal, load } = net.flow; // the rows' side (see `settle`)
  // A column minimum that cannot be reached: units had nowhere else to go.
  for (let j = 0; j < inst.cols; j++) {
    // (A deficit can also be a warm start's leftover on a column with no minimum: not the cause.)
    const short = -bal[inst.rows + j];
    const reached = load[j] + b.fc[j];
    if (short > 0 && reached < inst.colMin[j] && !reachCols.includes(j)) {
      return {
        kind: "col_min",
        index: j,
        needed: inst.colMin[j],
        possible: reached,
        message: `Column ${j} needs at least ${inst.colMin[j]} rows, but together with the other bounds only ${reached} can be given to it.`,
      };
    }
  }
  let needed = 0;
  for (const i of reachRows) needed += b.loR[i];
  let possible = 0;
  for (const j of reachCols) possible += b.hiC[j];
  const group = reachRows.length === 1 ? `Row ${row} needs` : `Rows ${list(reachRows)} need`;
  return {
    kind: "row_min",
    index: row,
    rows: Array.from(reachRows),
    cols: Array.from(reachCols),
    needed,
    possible,
    message: `${group} at least ${needed} pairs (beyond forced ones), but the only columns they may use (${list(reachCols) || "none"}) can take ${possible}.`,
  };
}

const list = (a: Int32Array) =>
  a.length > 12
    ? `${Array.from(a.subarray(0, 12)).join(", ")} … (${a.length})`
    : Array.from(a).join(", ");

/**
 * Makes the duals exact for the bound with ORIGINAL bounds and forced pairs (see types.ts).
 * Where the internal bound was cut (a minimum below the forced count, or a maximum above the
 * allowed degree), the dual of that side can be moved to 0 without changing any term that
 * matters: the row/column sits at that cut, so all its free pairs are out (u < 0) or in (u > 0).
 */
function clampDuals(inst: Instance, b: Bounds, d: Duals): Duals {
  const { u, v } = d;
  for (let i = 0; i < inst.rows; i++) {
    if (u[i] < 0 && inst.rowMin[i] < b.fr[i]) u[i] = 0;
    if (u[i] > 0 && b.capR[i] === 1) u[i] = 0;
  }
  for (let j = 0; j < inst.cols; j++) {
    if (v[j] < 0 && inst.colMin[j] < b.fc[j]) v[j] = 0;
    if (v[j] > 0 && b.capC[j] === 1) v[j] = 0;
  }
  return d;
}

/** Rows without a pair, each with why: nothing allowed, every allowed column full, or no
 * allowed column with room would improve the total. A stopped solve does not read rows again
 * for this: it answers from the candidate lists (`cands`), or "not_reached" without them. */
function unmatchedRows(
  inst: Instance,
  row: Int32Array,
  load: Int32Array,
  scratch: Scratch,
  stopped?: { cands: Candidates | undefined },
  shouldStop?: () => boolean,
): { row: Int32Array; reason: UnmatchedReason[] } | undefined {
  const has = new Uint8Array(inst.rows);
  for (const i of row) has[i] = 1;
  let anyRoom = false;
  for (let j = 0; j < inst.cols; j++) if (load[j] < inst.colMax[j]) anyRoom = true;
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
    } else {
      // Polled before each row read; stopped, the caller answers without these reasons.
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

/**
 * The answer when time ran out or the caller aborted. Mid-solve the flow may hold more pairs than
 * a row or column allows (pricing puts pairs in before re-routing), so every candidate answer —
 * the auction's, the last balanced flow, the flow as it stands — is first cut to the maxima
 * (best pairs first), and the best one is returned: one that meets every minimum if any does.
 * The bound comes from the current duals (any duals give a valid bound).
 */
function stopped(
  inst: Instance,
  b: Bounds,
  net: CandidateNetwork,
  coveragePhase: boolean,
  coverageCount: number | undefined,
  c: Candidates,
  fallback: FreePairs[],
  scratch: Scratch,
  reason: "time" | "aborted",
  stats: SolveStats,
): AssignmentResult {
  let best: ReturnType<typeof withinMaxima> | undefined;
  for (const cand of [...fallback, net.pairs(c)]) {
    const a = withinMaxima(inst, b, cand);
    if (
      !best ||
      (a.feasible && !best.feasible) ||
      (a.feasible === best.feasible && a.objective > best.objective)
    )
      best = a;
  }
  // In the coverage phase the duals bound the pair count, not the score: no score bound yet.
  const bound = coveragePhase
    ? Infinity
    : upper(dualBound(inst, net.duals(), coverageCount, { cands: c, noReads: true }));
  return timeLimitResult(inst, best!, bound, c, scratch, reason, stats);
}

/** A `time_limit` result: the answer in the problem's sense, its unmatched rows explained
 * without reading any row again (from the candidate lists, when there are any yet). */
function timeLimitResult(
  inst: Instance,
  answer: ReturnType<typeof withinMaxima>,
  bound: number,
  cands: Candidates | undefined,
  scratch: Scratch,
  reason: "time" | "aborted",
  stats: SolveStats,
): AssignmentResult {
  const { row, col, objective, feasible } = answer;
  const sign = inst.minimize ? -1 : 1;
  const load = new Int32Array(inst.cols);
  for (const j of col) load[j]++;
  return {
    status: "time_limit",
    reason,
    feasible,
    pairs: { row, col },
    objective: sign * objective,
    bound: sign * bound,
    unmatched: unmatchedRows(inst, row, load, scratch, { cands })!, // (no reads, no stop)
    stats,
  };
}

/** A computed bound made safe: its value plus its rounding allowance (a `time_limit` bound must
 * never fall below the optimum). */
const upper = (b: BoundValue) => b.value + b.error;

/** The answer when time ran out (or the caller aborted) before the first pass over the rows was
 * done: the forced pairs alone, with no bound yet. */
function stoppedEarly(
  inst: Instance,
  fr: Int32Array,
  fc: Int32Array,
  scratch: Scratch,
  reason: "time" | "aborted",
  stats: SolveStats,
): AssignmentResult {
  const answer = withinMaxima(inst, { fr, fc }, { row: [], col: [], score: [] });
  return timeLimitResult(inst, answer, Infinity, undefined, scratch, reason, stats);
}

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
