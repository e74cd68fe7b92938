/**
 * `match(cohort)`: the cohort's scoring and eligibility handed to the exact engine, and the answer
 * collected back to ids (the only place in the pipeline where indices become ids again).
 *
 * Scores are computed row by row on the fly by the scorer (`scoreRow`), so no n·m structure is
 * ever built: the engine keeps each mentee's best candidates and prices the rest when needed.
 * Sensitive attributes play no part here: the engine sees only the cohort's `ScoringView`.
 */
import type { Cohort } from "../cohort/types.js";
import { countReasons, REASONS, type IneligibleReason } from "../score/eligibility.js";
import { createScorer, type Scorer } from "../score/scorer.js";
import type { ScoredRows } from "../score/block.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { checkCohortArg } from "../cohort/arg.js";
import { highestFloor, mostPairsAt } from "../equity/maxmin.js";
import { penaltyOf, softCosts } from "../equity/rules.js";
import { withEquityRules } from "../cohort/build.js";
import type { EquityRule } from "../schema/input.js";
import {
  checkSolveOptions,
  got,
  pairIdIssues,
  statusAndObjectiveIssues,
  untilDeadline,
} from "../solve/args.js";
import {
  uncoveredColumnRows,
  verifyInstance,
  type CheckedResult,
  type ProblemNames,
} from "../solve/certificate.js";
import { fromEngine, withMessage } from "./diagnosis.js";
import { MAX_SCORE, maxAbs, SCORE_RANGE_FIX, verifyTolerance } from "../solve/numeric.js";
import {
  gather,
  listRowSource,
  spreadList,
  type Instance,
  type PairList,
  type RowSource,
} from "../solve/instance.js";
import { finishInstance } from "../solve/problem.js";
import { solveInstance } from "../solve/solve.js";
import type { AssignmentResult, SolveStats, VerifyResult } from "../solve/types.js";
import {
  multiplierBound,
  sideInstance,
  solveWithSideRows,
  coveredCount,
  type SideOutcome,
  type SideProblem,
} from "../equity/lagrange.js";
import {
  hasSideRows,
  multiplierCeiling,
  rowValues,
  softTotalScale,
  sideRules,
  zeroMultipliers,
  type Multipliers,
  type SideRules,
} from "../equity/rows.js";
import type {
  EquityMultiplier,
  EquityRelaxation,
  EquityRuleStatus,
  MatchCertificate,
  MatchDiagnosis,
  MatchOptions,
  MatchResult,
  MentorLoad,
  UnmatchedMentee,
  UnmatchedMenteeReason,
} from "./types.js";

/**
 * What the first read of each mentee's row learned — how many mentors each rule blocks, and which
 * mentors are eligible and which of those have a positive fit (two bits a pair: 250 MB at
 * 100,000 × 10,000, where the rows themselves would take 9 GB) — kept so that explaining an
 * unmatched mentee afterwards never scores its row again.
 */
export interface EligibilityTally {
  readonly seen: Uint8Array;
  /** n × REASONS.length: mentors per reason code (code 0: eligible). */
  readonly count: Int32Array;
  /** Words of 32 mentors a row. */
  readonly words: number;
  /** n × words bit sets: eligible mentors; eligible mentors with a positive fit. */
  readonly eligible: Uint32Array;
  readonly positive: Uint32Array;
}

export function newTally(n: number, m: number): EligibilityTally {
  const words = Math.ceil(m / 32);
  return {
    seen: new Uint8Array(n),
    count: new Int32Array(n * REASONS.length),
    words,
    eligible: new Uint32Array(n * words),
    positive: new Uint32Array(n * words),
  };
}

/** A row's tally on its first read, from its list of eligible mentors (`cols[from, from + k)`,
 * their fits `vals`): eligible and positive-fit bits (the rule counts are `countReasons`'). */
export function tallyBits(
  cols: Int32Array | Uint16Array,
  vals: Float64Array,
  k: number,
  tally: EligibilityTally,
  i: number,
  from = 0,
): void {
  tally.seen[i] = 1;
  const base = i * tally.words;
  const { eligible, positive } = tally;
  for (let t = from; t < from + k; t++) {
    const j = cols[t];
    const w = base + (j >>> 5);
    eligible[w] |= 1 << (j & 31);
    positive[w] |= Number(vals[t] > 0) << (j & 31);
  }
}

/** Bounds that replace the cohort's own in `cohortInstance` (src/lifecycle: recommendations,
 * re-matching), each indexed like the cohort's mentees (rows) or mentors (columns). */
export interface InstanceBounds {
  readonly rowMin?: Int32Array;
  readonly rowMax?: Float64Array;
  readonly colMin?: Int32Array;
  readonly colMax?: Float64Array;
  /** Pairs (mentee, mentor) forced besides the locked ones, and pairs not allowed besides the
   * ineligible ones (a counterfactual's pair; a re-match's dissolved pairs). */
  readonly forced?: readonly (readonly [number, number])[];
  readonly forbidden?: readonly (readonly [number, number])[];
}

/** The engine's instance for a cohort: mentees are rows, mentors columns, locked pairs forced.
 * Ineligible pairs (forbidden ones included) are simply not allowed. Rows read for the first
 * time fill `tally` when given. Internal (src/lifecycle builds its instances here too, with
 * other `bounds`). */
export function cohortInstance(
  cohort: Cohort,
  scorer: Scorer,
  coverageFirst: boolean,
  tally?: EligibilityTally,
  scored?: ScoredRows,
  bounds: InstanceBounds = {},
): Instance {
  const { mentees, mentors, locked } = cohort.view;
  const m = mentors.count;
  const reason = new Uint8Array(m);
  // The schema's limits keep every fit finite and far inside the engine's range; a fit outside
  // it would be a scorer bug, reported by ids rather than solved with overflow.
  const outOfRange = (i: number, j: number, fit: number) =>
    new InputError(
      [
        pathIssue(
          "score_out_of_range",
          ["mentees", cohort.index.menteeIds[i], "mentors", cohort.index.mentorIds[j]],
          `The pair's fit is ${fit}; ${SCORE_RANGE_FIX}: check the strategy priorities and scoring weights`,
        ),
      ],
      "cohort",
    );
  const eligible = new Int32Array(m);
  const fit = new Float64Array(m);
  // Scores row i and lists its eligible mentors and their fits in `cols`, `vals` (one pass that
  // also checks the range); the row's tally on its first read. Returns how many.
  const readPairs = (i: number, cols: Int32Array | Uint16Array, vals: Float64Array): number => {
    const k = scorer.scoreRow(i, fit, reason, eligible);
    let bad = 0;
    for (let t = 0; t < k; t++) {
      const j = eligible[t];
      const x = fit[j];
      cols[t] = j;
      vals[t] = x;
      bad |= Number(!(Math.abs(x) <= MAX_SCORE));
    }
    if (bad !== 0) throwOutOfRange(i, cols, vals);
    if (tally && tally.seen[i] === 0) {
      tallyBits(cols, vals, k, tally, i);
      countReasons(reason, m, tally.count, i * REASONS.length);
    }
    return k;
  };
  const throwOutOfRange = (i: number, cols: Int32Array | Uint16Array, vals: Float64Array) => {
    let t = 0;
    while (Math.abs(vals[t]) <= MAX_SCORE) t++;
    throw outOfRange(i, cols[t], vals[t]);
  };
  const source = scored
    ? scoredSource(scored, m, tally, throwOutOfRange)
    : scoringSource(readPairs, m);
  return finishInstance({
    rows: mentees.count,
    cols: m,
    source,
    rowMin: bounds.rowMin ?? Int32Array.from(mentees.minMentors),
    rowMax: bounds.rowMax ?? Float64Array.from(mentees.maxMentors),
    colMin: bounds.colMin ?? Int32Array.from(mentors.minLoad),
    colMax: bounds.colMax ?? Float64Array.from(mentors.capacity),
    forced: [...locked.map((p) => [p.mentee, p.mentor] as const), ...(bounds.forced ?? [])],
    forbidden: bounds.forbidden ?? [],
    minimize: false,
    coverageFirst,
  });
}

/** The rows scored on the fly: `readPairs` scores a row and lists it; `readRow` spreads that. */
function scoringSource(
  readPairs: (i: number, cols: Int32Array | Uint16Array, vals: Float64Array) => number,
  m: number,
): RowSource {
  const listCols = new Int32Array(m);
  const listVals = new Float64Array(m);
  return {
    kind: "rows",
    readRow(i, out, ok) {
      const n = readPairs(i, listCols, listVals);
      spreadList({ cols: listCols, vals: listVals, n }, m, out, ok);
    },
    // The scorer lists the eligible mentors as it scores: the engine's lists need no mask.
    readPairs,
  };
}

/** Rows scored already (`ScoredRows`), served as lists (so the engine keeps no copy). Each row's
 * range check and tally bits come on its first read, as a scored row's would, inside the solve's
 * clock; the reason counts are copied at once. */
function scoredSource(
  scored: ScoredRows,
  m: number,
  tally: EligibilityTally | undefined,
  throwOutOfRange: (i: number, cols: Int32Array | Uint16Array, vals: Float64Array) => never,
): RowSource {
  tally?.count.set(scored.counts);
  const checked = new Uint8Array(scored.cols.length);
  const list = (i: number): PairList => {
    const cols = scored.cols[i];
    const vals = scored.vals[i];
    if (checked[i] === 0) {
      let bad = 0;
      for (let t = 0; t < vals.length; t++) bad |= Number(!(Math.abs(vals[t]) <= MAX_SCORE));
      if (bad !== 0) throwOutOfRange(i, cols, vals);
      if (tally) tallyBits(cols, vals, cols.length, tally, i);
      checked[i] = 1;
    }
    return { cols, vals, n: cols.length };
  };
  return listRowSource(list, m);
}

/**
 * Finds the mentee–mentor pairs with the most total fit that respect every capacity, every
 * mentee's min/max mentors, every mentor's minimum load, every eligibility rule and every locked
 * pair — exactly, with a certificate (`verifyMatch` checks it). Never throws for a cohort that
 * parsed; rules that cannot all hold come back as `status: "infeasible"` with a diagnosis.
 */
export function match(cohort: Cohort, options: MatchOptions = {}): MatchResult {
  return matchScored(cohort, undefined, options);
}

/** `match` with the rows already scored (`ScoredRows`, e.g. on worker threads), or scored on the
 * fly when `scored` is undefined. Internal: the Node entry's `matchParallel` uses it. */
export function matchScored(
  cohort: Cohort,
  scored: ScoredRows | undefined,
  options: MatchOptions = {},
): MatchResult {
  checkCohortArg(cohort);
  return withSoftCosts(cohort, matchChecked(cohort, scored, checkMatchOptions(options)));
}

/** Whether a rule is soft (it has a penalty per unit short or over). */
const isSoft = (r: EquityRule): boolean => Number.isFinite(penaltyOf(r));

/** What the soft rules cost on a result's pairs (rules.ts \`softCosts\`), per rule and together;
 * the result as it is without soft rules. */
function withSoftCosts(cohort: Cohort, result: MatchResult): MatchResult {
  if (!cohort.equity.some(isSoft)) return result;
  const { menteeById, mentorById } = cohort.index;
  const row = result.pairs.map((p) => menteeById.get(p.mentee)!);
  const col = result.pairs.map((p) => mentorById.get(p.mentor)!);
  const { byRule, total } = softCosts(cohort, row, col);
  const equity = result.equity.map((e) => {
    const soft = byRule.get(e.index);
    if (!soft) return e;
    const { shortfall, cost } = soft;
    return {
      ...e,
      shortfall,
      cost,
      message: `program.equity[${e.index}] (${e.kind}) is soft, ${penaltyOf(cohort.equity[e.index])} per unit short or over: ${shortfall === 0 ? "the pairs keep it" : `the pairs fall ${shortfall} short or over, costing ${cost}`}; match maximizes the total fit less what every soft rule costs.`,
    };
  });
  return { ...result, penalty: total, equity };
}

/** `match` after its arguments are checked, before the soft rules' costs are added (max-min
 * calls it again at its floor). */
function matchChecked(
  cohort: Cohort,
  scored: ScoredRows | undefined,
  checked: MatchOptions,
): MatchResult {
  const raise = cohort.equity.findIndex((r) => r.kind === "minFit" && r.maxMin === true);
  if (raise >= 0) return matchMaxMin(cohort, raise, checked);
  const scorer = createScorer(cohort.view);
  const coverageFirst = checked.coverageFirst ?? cohort.program.coverageFirst;
  const tally = newTally(cohort.view.mentees.count, cohort.view.mentors.count);
  const side = sideRules(cohort);
  const inst = cohortInstance(cohort, scorer, coverageFirst, tally, scored);
  // Rules that cut across the flow: the Lagrangian search, whose first solve is the best
  // assignment without them (with a cap held in the flow, under it). When that keeps every rule
  // it is the answer, proven as any other; else the search goes on from it, warm. (A solve
  // without the rules first, and the search after it, cost a whole solve more when the rules
  // bind: docs/FAIRNESS.md.)
  if (hasSideRows(side)) return matchUnderRules(cohort, scorer, inst, side, checked, tally);
  return collect(cohort, scorer, solveInstance(inst, checked, { ownReasons: true }), tally);
}

/**
 * `match` with `minFit` in max-min mode (rule `raise`; src/equity/maxmin.ts): the highest floor
 * keeping the most pairs of the declared one, then `match` at that floor (rows scored afresh:
 * the floor is part of eligibility). The rule's `equity` entry gives the floor.
 */
function matchMaxMin(cohort: Cohort, raise: number, options: MatchOptions): MatchResult {
  const t0 = performance.now();
  const rule = cohort.equity[raise] as Extract<EquityRule, { kind: "minFit" }>;
  const declared = cohort.view.minFit;
  const scorer = createScorer(cohort.view);
  const inst = cohortInstance(cohort, scorer, false, undefined, undefined);
  const rest = (): MatchOptions => untilDeadline(options, t0 + (options.timeLimitMs ?? Infinity));
  const stop = () =>
    options.signal?.aborted === true || performance.now() - t0 > (options.timeLimitMs ?? Infinity);
  const side = sideRules(cohort);
  const problem = sideProblem(cohort, inst, side, stop);
  const search = problem
    ? highestFloor(problem, declared, rest())
    : ({ kind: "stopped", reason: options.signal?.aborted ? "aborted" : "time" } as const);
  const at = (floor: number) => matchChecked(withFloor(cohort, raise, floor), undefined, rest());
  const say = (result: MatchResult, floor: number, message: string): MatchResult => ({
    ...result,
    stats: { ...result.stats, timeMs: performance.now() - t0 },
    equity: result.equity.map((e) => (e.index !== raise ? e : { ...e, floor, message })),
  });
  const name = `program.equity[${raise}] (minFit, max-min)`;
  if (search.kind === "stopped") {
    // The floor was not found: the declared floor's pairs, as a stop.
    const r = at(declared);
    let stopped: MatchResult = r;
    if (r.status === "optimal" || r.status === "feasible") {
      const { certificate: _, ...base } = r;
      stopped = { ...base, status: "time_limit", reason: search.reason, feasible: true };
      if ("gap" in stopped) delete (stopped as { gap?: number }).gap;
    }
    return say(
      stopped,
      declared,
      `${name} stopped before the highest floor was found: the pairs were chosen at the declared floor ${rule.min}.`,
    );
  }
  const { floor } = search;
  const raised = at(floor);
  // The floor counts pairs in the flow alone: under the other equity rules a raised floor may
  // keep fewer (or none), and then the declared floor's answer stands.
  if (floor > declared && hasSideRows(side)) {
    const kept = at(declared);
    const worse =
      (raised.status !== "optimal" && raised.status !== "feasible") ||
      raised.pairs.length < kept.pairs.length;
    if (worse && (kept.status === "optimal" || kept.status === "feasible"))
      return say(
        kept,
        declared,
        `${name} kept the declared floor ${rule.min}: at ${floor}, the highest at which ${search.pairs} pairs can be made, the other equity rules keep fewer pairs than at ${rule.min}.`,
      );
  }
  return say(
    raised,
    floor,
    `${name} raised the floor from ${rule.min} to ${floor}, the highest at which ${search.pairs} pairs — the most at ${rule.min} — can still be made${search.next === null ? "" : ` (at the next fit, ${search.next}, fewer can)`}; every pair here has at least that fit, and the pairs are the best at that floor.`,
  );
}

/** The cohort with max-min rule `raise` as a plain floor at `floor`. */
function withFloor(cohort: Cohort, raise: number, floor: number): Cohort {
  return withEquityRules(
    cohort,
    cohort.equity.map((r, k) => (k === raise ? { kind: "minFit" as const, min: floor } : r)),
  );
}

/**
 * `match` under equity rules that cut across the flow (src/equity/lagrange.ts): every pair is
 * read once into lists, and the Lagrangian search re-solves on them. The answer keeps every
 * rule; the bound and gap are proven by the multipliers with the engine's duals.
 */
function matchUnderRules(
  cohort: Cohort,
  scorer: Scorer,
  inst: Instance,
  side: SideRules,
  options: MatchOptions,
  tally: EligibilityTally,
): MatchResult {
  const t0 = performance.now();
  const deadline = t0 + (options.timeLimitMs ?? Infinity);
  const stop = () => options.signal?.aborted === true || performance.now() > deadline;
  const problem = sideProblem(cohort, inst, side, stop);
  if (!problem) {
    // Stopped while reading the pairs: no pairs yet, every mentee unmatched.
    const empty = new Int32Array(0);
    const stopped: AssignmentResult = {
      status: "time_limit",
      reason: options.signal?.aborted ? "aborted" : "time",
      bound: Infinity,
      feasible: false,
      pairs: { row: empty, col: empty },
      objective: 0,
      unmatched: {
        row: Int32Array.from({ length: inst.rows }, (_, i) => i),
        reason: Array.from({ length: inst.rows }, () => "not_reached" as const),
      },
      stats: idleStats(inst, performance.now() - t0),
    };
    return collect(cohort, scorer, stopped, tally, equityStatus(cohort, "stopped"));
  }
  // The search gets what reading the pairs left of the time limit.
  const out = solveWithSideRows(problem, untilDeadline(options, deadline));
  if (out.kind === "engine_infeasible")
    return collect(cohort, scorer, out.result, tally, equityStatus(cohort, out));
  const noPairs = { row: new Int32Array(0), col: new Int32Array(0) };
  const none = out.kind === "proven_infeasible" || out.kind === "cap_infeasible";
  const pairs = none ? noPairs : { row: out.row, col: out.col };
  const matched = new Uint8Array(inst.rows);
  for (const i of pairs.row) matched[i] = 1;
  const unmatchedRows = none
    ? new Int32Array(0)
    : Int32Array.from({ length: inst.rows }, (_, i) => i).filter((i) => matched[i] === 0);
  const objective = none ? 0 : out.objective;
  const mode = out.kind === "stopped" ? "stopped" : "rules";
  // Time: reading the pairs, and the search.
  // (The search's instance may be grown by a cap held in the flow: the cohort's sizes.)
  const stats = {
    ...out.stats,
    rows: inst.rows,
    cols: inst.cols,
    allowedPairs: problem.fit.length,
    timeMs: performance.now() - t0,
  };
  const base = collectBase(cohort, scorer, pairs, objective, unmatchedRows, stats, mode, tally);
  const equity = equityStatus(cohort, out);
  if (out.kind === "found") {
    const certificate = equityProof(cohort, side, out);
    const bound = out.proof.bound;
    const gap = Math.max(0, bound - (out.objective - out.penalty));
    return out.optimal
      ? { ...base, equity, status: "optimal", bound, certificate }
      : { ...base, equity, status: "feasible", bound, gap, certificate };
  }
  if (out.kind === "stopped")
    return {
      ...base,
      equity,
      status: "time_limit",
      reason: out.reason,
      bound: out.bound,
      feasible: false,
    };
  // Whether the search finds pairs under other rules (the smallest relaxation's probes), in
  // what is left of the time limit.
  const feasibleWith = (rules: readonly EquityRule[]) => {
    if (performance.now() >= deadline || options.signal?.aborted) return false;
    const probe = solveWithSideRows(
      { ...problem, rules: sideRules(withEquityRules(cohort, rules)) },
      untilDeadline(options, deadline),
    );
    return probe.kind === "found";
  };
  return {
    ...base,
    equity,
    status: "infeasible",
    diagnosis:
      out.kind === "cap_infeasible"
        ? capDiagnosis(cohort, out, feasibleWith)
        : rulesDiagnosis(cohort, side, out, feasibleWith),
  };
}

/** Stats of no solve (a search stopped before its first one ended). Internal (src/lifecycle:
 * a re-match stopped before its first solve). */
export function idleStats(inst: Pick<Instance, "rows" | "cols">, timeMs: number): SolveStats {
  return {
    rows: inst.rows,
    cols: inst.cols,
    allowedPairs: 0,
    candidatePairs: 0,
    pricingRounds: 0,
    augmentations: 0,
    pivots: 0,
    auctionBids: 0,
    auctionScans: 0,
    sampleRows: 0,
    timeMs,
    phaseMs: { sample: 0, candidates: 0, auction: 0, flow: 0, pricing: 0 },
  };
}

/** The cohort's instance as a side problem: every allowed pair read once into lists (with its
 * fit), the bounds and locked pairs, and the rules' side rows; undefined if `stop` says so while
 * the pairs are read. */
function sideProblem(
  cohort: Cohort,
  inst: Instance,
  side: SideRules,
  stop: () => boolean = () => false,
): SideProblem | undefined {
  const lists = readAllPairs(inst, stop);
  if (!lists) return undefined;
  return {
    ...lists,
    rows: inst.rows,
    cols: inst.cols,
    rowMin: inst.rowMin,
    rowMax: inst.rowMax,
    colMin: inst.colMin,
    colMax: inst.colMax,
    forced: cohort.view.locked.map((p) => [p.mentee, p.mentor] as const),
    coverageFirst: inst.coverageFirst,
    rules: side,
  };
}

/** Why pairs break the enforced rules that cut across mentors, or undefined when they keep them
 * (fits from the scorer, for the mean-fit gaps). */
function ruleBreak(
  side: SideRules,
  row: Int32Array,
  col: Int32Array,
  scorer: Scorer,
): string | undefined {
  const rv = rowValues(side, row, col, (t) => scorer.score(row[t], col[t]));
  if (rv.holds) return undefined;
  const gaps = side.gaps.filter((_, k) => !rv.gapHeld[k]).map((r) => `program.equity[${r.rule}]`);
  const counted = rv.excess - gaps.length;
  return `the pairs break an enforced equity rule (${[
    ...(counted > 0
      ? [`${counted} short of a share, a reserve or a match rate, or over a per-mentor group cap`]
      : []),
    ...(gaps.length > 0 ? [`mean fits too far apart for ${gaps.join(", ")}`] : []),
  ].join("; ")})`;
}

/** A result's `penalty` must be what the soft rules cost on its pairs, `costs` (absent without
 * soft rules), and each soft rule's `shortfall` and `cost` its own (rules.ts \`softCosts\`). */
function penaltyProblem(
  cohort: Cohort,
  result: MatchResult,
  costs: ReturnType<typeof softCosts>,
): string[] {
  if (!cohort.equity.some(isSoft))
    return result.penalty === undefined ? [] : ["penalty is given, but no equity rule is soft"];
  const close = (a: unknown, b: number) =>
    typeof a === "number" && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  const out: string[] = [];
  if (!close(result.penalty, costs.total))
    out.push(
      `penalty ${String(result.penalty)} is not what the soft rules cost on these pairs, ${costs.total}`,
    );
  for (const [k, { shortfall, cost }] of costs.byRule) {
    const e = result.equity?.[k];
    if (!e || e.shortfall !== shortfall || !close(e.cost, cost))
      out.push(
        `program.equity[${k}] is soft: its shortfall is ${shortfall} and its cost ${cost}, not ${String(e?.shortfall)} and ${String(e?.cost)}`,
      );
  }
  return out;
}

/** Every allowed pair of the instance, read once (row by row, columns ascending) into a CSR. */
export function readAllPairs(
  inst: Instance,
  stop: () => boolean,
): { start: Int32Array; col: Int32Array; fit: Float64Array } | undefined {
  const src = inst.source;
  if (src.kind !== "rows" || !src.readPairs) throw new Error("cohort rows are read as lists");
  const m = inst.cols;
  const cols = new Int32Array(m);
  const vals = new Float64Array(m);
  const start = new Int32Array(inst.rows + 1);
  let col = new Int32Array(Math.max(16, inst.rows * 8));
  let fit = new Float64Array(col.length);
  let e = 0;
  for (let i = 0; i < inst.rows; i++) {
    if ((i & 63) === 0 && stop()) return undefined;
    const k = src.readPairs(i, cols, vals);
    if (e + k > col.length) {
      const size = Math.max(2 * col.length, e + k);
      const c2 = new Int32Array(size);
      c2.set(col.subarray(0, e));
      const f2 = new Float64Array(size);
      f2.set(fit.subarray(0, e));
      col = c2;
      fit = f2;
    }
    col.set(cols.subarray(0, k), e);
    fit.set(vals.subarray(0, k), e);
    e += k;
    start[i + 1] = e;
  }
  return { start, col: col.slice(0, e), fit: fit.slice(0, e) };
}

/** `match`'s options, checked (an `InputError` naming each bad one). */
export function checkMatchOptions(options: unknown): MatchOptions {
  return checkSolveOptions(options, {
    coverageFirst: (v) => (typeof v === "boolean" ? undefined : "true or false"),
  }) as MatchOptions;
}

/**
 * Checks a `match` result against the cohort with no trust in the solver: the pairs are eligible
 * and within every bound, locked pairs are in, the objective is their total fit, and the duals
 * bound every possible total by the same number. One pass over all pairs (scored on the fly).
 */
export function verifyMatch(cohort: Cohort, result: MatchResult): VerifyResult {
  return verifyScored(cohort, undefined, result);
}

/** `verifyMatch` over rows already scored (`ScoredRows`, e.g. on worker threads), or scored on
 * the fly when `scored` is undefined. Internal: the Node entry's `verifyMatchParallel` uses it. */
export function verifyScored(
  cohort: Cohort,
  scored: ScoredRows | undefined,
  result: MatchResult,
): VerifyResult {
  checkCohortArg(cohort);
  checkMatchResultShape(result);
  // Max-min floor: the pairs are proven at the floor the result gives (see verifyFloor).
  const raise = cohort.equity.findIndex((r) => r.kind === "minFit" && r.maxMin === true);
  if (raise >= 0) return verifyFloor(cohort, raise, result);
  const scorer = createScorer(cohort.view);
  const { menteeById, mentorById } = cohort.index;
  const row = Int32Array.from(result.pairs, (p) => menteeById.get(p.mentee) ?? -1);
  const col = Int32Array.from(result.pairs, (p) => mentorById.get(p.mentor) ?? -1);
  if (result.status === "optimal" || result.status === "feasible")
    if (result.certificate.equity)
      return verifyUnderRules(cohort, scorer, scored, result, row, col);
  const inst = cohortInstance(
    cohort,
    scorer,
    result.status === "optimal" && result.certificate.coverage !== undefined,
    undefined,
    scored,
  );
  const base = {
    pairs: { row, col },
    objective: result.objective,
    unmatched: { row: new Int32Array(0), reason: [] },
    stats: result.stats,
  };
  const engine: CheckedResult =
    result.status === "optimal"
      ? {
          ...base,
          status: "optimal",
          bound: result.bound,
          certificate: {
            rowDual: Float64Array.from(result.certificate.menteeDual),
            colDual: Float64Array.from(result.certificate.mentorDual),
            uncoveredDual: result.certificate.uncoveredDual,
            coverage: result.certificate.coverage && {
              count: result.certificate.coverage.count,
              rowDual: Float64Array.from(result.certificate.coverage.menteeDual),
              colDual: Float64Array.from(result.certificate.coverage.mentorDual),
              uncoveredDual: result.certificate.coverage.uncoveredDual,
            },
          },
        }
      : result.status === "time_limit" || result.status === "feasible"
        ? {
            ...base,
            status: "time_limit",
            reason:
              result.status === "time_limit" && result.reason === "aborted" ? "aborted" : "time",
            bound: result.bound,
            feasible: result.status === "feasible" || result.feasible,
          }
        : { ...base, status: "infeasible" };
  const v = verifyInstance(inst, engine, { names: problemNames(cohort) });
  // The enforced rules that cut across mentors hold for the pairs (λ = 0 proves the rest).
  const side = sideRules(cohort);
  const broken =
    v.primalFeasible && hasSideRows(side) ? ruleBreak(side, row, col, scorer) : undefined;
  // Soft rules that cost something: this certificate proves the total without them.
  const costs = softCosts(cohort, row, col);
  const soft = v.primalFeasible ? costs.total : 0;
  const problems = [
    ...v.problems,
    ...(broken ? [broken] : []),
    ...(soft > 0 && result.status === "optimal"
      ? [
          `the soft equity rules cost ${soft}, which this certificate (without multipliers) does not account for`,
        ]
      : []),
    ...penaltyProblem(cohort, result, costs),
  ];
  if (problems.length === v.problems.length) return v;
  return { ...v, ok: false, primalFeasible: v.primalFeasible && !broken, problems };
}

/** Rows and columns of the cohort's instances named by id in `verifyMatch`'s problems (a column
 * past the mentors is coverage-first's "uncovered" column). */
function problemNames(cohort: Cohort): ProblemNames {
  const { menteeIds, mentorIds } = cohort.index;
  return {
    row: (i) => `mentee "${menteeIds[i]}"`,
    col: (j) => (j < mentorIds.length ? `mentor "${mentorIds[j]}"` : "the uncovered column"),
  };
}

/**
 * `verifyMatch` with `minFit` in max-min mode: the result's floor (its `equity` entry) is at
 * least the declared one, as many pairs can be made at it as at the declared one and fewer at
 * the next fit above it (three exact solves of the floor search's), and the result verifies at
 * that floor.
 */
function verifyFloor(cohort: Cohort, raise: number, result: MatchResult): VerifyResult {
  const floor = result.equity?.[raise]?.floor;
  const problems: string[] = [];
  const declared = cohort.view.minFit;
  if (typeof floor !== "number" || !Number.isFinite(floor) || floor < declared)
    problems.push(
      `program.equity[${raise}] is a max-min floor: the result must give its floor (equity[${raise}].floor, at least ${declared})`,
    );
  const at = withFloor(cohort, raise, problems.length > 0 ? declared : floor!);
  const v = verifyScored(at, undefined, result);
  // The floor's claim is the flow's (as many pairs as at the declared floor, fewer at the next
  // fit): with rules that cut across mentors, `match` may keep the declared floor instead.
  const side = sideRules(cohort);
  if (
    problems.length === 0 &&
    !hasSideRows(side) &&
    (result.status === "optimal" || result.status === "feasible")
  ) {
    const scorer = createScorer(cohort.view);
    const inst = cohortInstance(cohort, scorer, false, undefined, undefined);
    const p = sideProblem(cohort, inst, side)!; // no stop: a check always finishes
    const most = mostPairsAt(p, declared, {});
    const there = mostPairsAt(p, floor!, {});
    const above = Array.from(p.fit).reduce((m, f) => (f > floor! && f < m ? f : m), Infinity);
    if (there !== most)
      problems.push(
        `at the floor ${floor} only ${there} pairs can be made, not the ${most} at ${declared}`,
      );
    else if (Number.isFinite(above) && mostPairsAt(p, above, {}) === most)
      problems.push(
        `the floor ${floor} is not the highest: at the next fit, ${above}, ${most} pairs can still be made`,
      );
  }
  if (problems.length === 0) return v;
  return {
    ...v,
    ok: false,
    primalFeasible: v.primalFeasible,
    problems: [...v.problems, ...problems],
  };
}

/**
 * `verifyMatch` for a result proven under equity rules: the pairs keep every bound, every
 * eligibility rule and every enforced equity rule (recounted), and the certificate's multipliers
 * with its duals bound every assignment that keeps the rules by \`bound\` (rows.ts): the bound is
 * recomputed from the cohort alone, valid whatever the multipliers.
 */
function verifyUnderRules(
  cohort: Cohort,
  scorer: Scorer,
  scored: ScoredRows | undefined,
  result: Extract<MatchResult, { status: "optimal" | "feasible" }>,
  row: Int32Array,
  col: Int32Array,
): VerifyResult {
  const inst = cohortInstance(cohort, scorer, false, undefined, scored);
  const side = sideRules(cohort);
  const problem = sideProblem(cohort, inst, side)!; // no stop: a check always finishes
  const { start, col: cols, fit, rows: n, cols: m } = problem;
  const sparse = (score: Float64Array) =>
    sideInstance(problem, { kind: "sparse", start, col: cols, score });
  const answer = verifyInstance(
    sparse(fit),
    {
      pairs: { row, col },
      objective: result.objective,
      unmatched: { row: new Int32Array(0), reason: [] },
      stats: result.stats,
      status: "time_limit",
      reason: "time",
      bound: result.bound,
      feasible: true,
    },
    { primalOnly: true, names: problemNames(cohort) },
  );
  const problems = [...answer.problems];
  const broken = answer.primalFeasible ? ruleBreak(side, row, col, scorer) : undefined;
  if (broken) problems.push(broken);
  // The search maximizes the total less what the soft rules cost.
  const costs = softCosts(cohort, row, col);
  const penalty = answer.primalFeasible ? costs.total : 0;
  problems.push(...penaltyProblem(cohort, result, costs));
  const cert = result.certificate;
  const eq = cert.equity!;
  // Coverage-first: the augmented instance's uncovered column (docs/ENGINE.md), and the
  // mentees the answer covers.
  const zRows = eq.coverage ? uncoveredColumnRows(problem) : undefined;
  const covered = coveredCount(row, n);
  // A bound from multipliers and duals on the given scores (fits, or fit × fitWeight for the
  // count), or undefined with the problem said.
  const proven = (
    scores: Float64Array,
    list: readonly EquityMultiplier[],
    menteeDual: readonly number[],
    mentorDual: readonly number[],
    uncoveredDual: unknown,
    perPair: number,
    minPairs: number,
    counting: boolean,
  ): { bound: number; tolerance: number } | undefined => {
    const mult = multipliersFromIds(cohort, side, list, problems, counting);
    const u = Float64Array.from(menteeDual);
    const v = Float64Array.from(mentorDual);
    const z = zRows ? uncoveredDual : 0;
    if (u.length !== n || v.length !== m) problems.push("certificate duals have the wrong length");
    else if (![...u, ...v].every(Number.isFinite))
      problems.push("certificate duals must be finite numbers");
    else if (typeof z !== "number" || !Number.isFinite(z))
      problems.push("a coverage-first certificate needs a finite uncoveredDual in each proof");
    else if (!(Number.isFinite(perPair) && perPair >= 0 && Number.isSafeInteger(minPairs)))
      problems.push("coveredMultiplier must be a finite number >= 0 and minCovered a whole number");
    else if (mult) {
      const cover = zRows && { rows: zRows.rows, coverable: zRows.coverable, counting };
      const b = multiplierBound(
        problem,
        side,
        mult,
        { perPair, minPairs },
        scores,
        { rowDual: u, colDual: v, uncoveredDual: z },
        cover,
      );
      // The tolerance is the verifier's at the scale of the scores themselves, never of the
      // adjusted ones, which the certificate's multipliers could make as large as they like.
      // Rounding — the bound's own (b.error) and the adjusted scores' and λ·b's (a few units
      // in the last place of their magnitudes) — must fit well inside it, or the certificate
      // cannot be checked at all: huge multipliers would otherwise hide a worse answer.
      // With soft rules (not in a count's proof), what the answer pays for them too.
      const scale = counting
        ? Math.max(1, maxAbs(scores))
        : softTotalScale(side, maxAbs(scores), penalty);
      const tolerance = verifyTolerance(scale, Math.max(n, row.length));
      const rounding =
        b.error +
        2 ** -50 * (Math.abs(b.lamB) + perPair * minPairs + b.adjustedMax * (n + row.length));
      if (!(rounding <= tolerance / 2)) {
        problems.push(
          `the certificate cannot be checked at this precision: its multipliers or duals are so large that rounding may reach ${rounding}, above the tolerance ${tolerance}`,
        );
        return undefined;
      }
      return { bound: b.value, tolerance: tolerance + rounding };
    }
    return undefined;
  };
  let bound = NaN;
  let tolerance = NaN;
  const unit = zRows ? "mentees covered" : "pairs";
  if ((zRows ? covered : row.length) < eq.minCovered)
    problems.push(
      `the answer has ${zRows ? covered : row.length} ${unit}, fewer than the ${eq.minCovered} its bound assumes`,
    );
  const main = proven(
    fit,
    eq.multipliers,
    cert.menteeDual,
    cert.mentorDual,
    cert.uncoveredDual,
    eq.coveredMultiplier,
    eq.minCovered,
    false,
  );
  if (main) {
    ({ bound, tolerance } = main);
    if (!(Math.abs(bound - result.bound) <= tolerance))
      problems.push(
        `the certificate bounds the total by ${bound}, not the result's bound ${result.bound} (tolerance ${tolerance})`,
      );
    const gap = bound - (answer.objective - penalty);
    if (gap < -tolerance)
      problems.push(
        `the pairs' total ${answer.objective}${penalty > 0 ? ` less the soft rules' ${penalty}` : ""} exceeds the proven bound ${bound}`,
      );
    if (result.status === "optimal" && !(gap <= tolerance))
      problems.push(
        `status is optimal, but the proven bound is ${gap} above the total (tolerance ${tolerance})`,
      );
    if (result.status === "feasible" && !(Math.abs(result.gap - gap) <= tolerance))
      problems.push(`gap ${result.gap} differs from the proven ${gap}`);
  }
  // Coverage-first: the bound on the mentees covered (each pair scoring fit × fitWeight, each
  // mentee left uncovered −1, plus the mentees that can be covered).
  const cov = eq.coverage;
  if (cov) {
    if (cov.count !== covered)
      problems.push(`coverage count ${cov.count} is not the answer's ${covered} mentees covered`);
    const weight = cov.fitWeight;
    const counting = Float64Array.from(fit, (f) => weight * f);
    const count =
      Number.isFinite(weight) && weight >= 0
        ? proven(
            counting,
            cov.multipliers,
            cov.menteeDual,
            cov.mentorDual,
            cov.uncoveredDual,
            0,
            0,
            true,
          )
        : (problems.push(`fitWeight must be a finite number >= 0, got ${weight}`), undefined);
    const claims = result.status === "optimal" || cov.proven;
    if (count && claims && !(count.bound + count.tolerance < cov.count + 1))
      problems.push(
        `the coverage proof bounds the mentees covered by ${count.bound}, so ${cov.count} is not proven the most`,
      );
  } else if (eq.minCovered > 0 || eq.coveredMultiplier > 0)
    // Its bound covers only assignments with at least minCovered mentees covered: it stands for a
    // coverage-first result, whose count needs its own proof.
    problems.push(
      "a result bounded under a count of mentees (minCovered) lacks its coverage proof",
    );
  const primalFeasible = answer.primalFeasible && problems.length === answer.problems.length;
  return {
    ok: problems.length === 0,
    primalFeasible,
    gap: bound - answer.objective,
    objective: answer.objective,
    bound,
    tolerance,
    problems,
  };
}

/** The certificate's multipliers by ids → by index; a problem for each one with no side row, or
 * above its rule's ceiling: a soft rule's penalty (0 in a count's proof, where soft rules have
 * no say), or the bound would not hold for answers that fall short of it. */
function multipliersFromIds(
  cohort: Cohort,
  side: SideRules,
  list: readonly EquityMultiplier[],
  problems: string[],
  counting: boolean,
): Multipliers | undefined {
  const mult = zeroMultipliers(side);
  const before = problems.length;
  list.forEach((x, k) => {
    const bad = (why: string) => problems.push(`equity multiplier ${k}: ${why}`);
    if (!(typeof x.value === "number" && Number.isFinite(x.value) && x.value >= 0))
      return bad(`value must be a finite number >= 0, got ${String(x.value)}`);

    const s = side.share.findIndex((r) => r.rule === x.rule);
    const c = side.caps.findIndex((r) => r.rule === x.rule);
    const v = side.reserves.findIndex((r) => r.rule === x.rule && r.label === x.group);
    const w = side.rates.findIndex((r) => r.rule === x.rule && r.label === x.group);
    if (s >= 0) {
      const g = side.share[s].labels.indexOf(x.group);
      if (g < 0 || !side.share[s].groups.includes(g) || x.mentor !== undefined)
        return bad(`rule ${x.rule} has no share row for group "${x.group}"`);
      mult.share[s][g] += x.value;
    } else if (c >= 0) {
      const g = side.caps[c].labels.indexOf(x.group);
      const j = x.mentor === undefined ? undefined : cohort.index.mentorById.get(x.mentor);
      if (g < 0 || j === undefined)
        return bad(`rule ${x.rule} has no cap row for group "${x.group}" and mentor "${x.mentor}"`);
      const key = j * side.caps[c].labels.length + g;
      mult.cap[c].set(key, (mult.cap[c].get(key) ?? 0) + x.value);
    } else if (v >= 0 || w >= 0) {
      if (x.mentor !== undefined) return bad(`rule ${x.rule}'s rows name no mentor`);
      if (v >= 0) mult.reserve[v] += x.value;
      else mult.rate[w] += x.value;
    } else bad(`rule ${x.rule} has no side row for group "${x.group}"`);
  });
  // A soft row's multiplier, summed over the entries naming it, is at most its penalty (0 in a
  // count's proof, where soft rules have no say): else the bound would not hold for answers
  // that fall short of it.
  const over = (rule: number, penalty: number, value: number) => {
    if (value > multiplierCeiling(penalty, counting))
      problems.push(
        `equity rule ${rule} is soft: a row's multipliers may add up to at most ${counting ? "0 in the count's proof" : `its penalty ${penalty}`}, got ${value}`,
      );
  };
  side.share.forEach((r, k) => mult.share[k].forEach((v) => over(r.rule, r.penalty, v)));
  side.caps.forEach((r, k) => mult.cap[k].forEach((v) => over(r.rule, r.penalty, v)));
  side.reserves.forEach((r, k) => over(r.rule, r.penalty, mult.reserve[k]));
  side.rates.forEach((r, k) => over(r.rule, r.penalty, mult.rate[k]));
  return problems.length === before ? mult : undefined;
}

/** `verifyMatch`'s second argument must look like a `match` result: an `InputError` says what is
 * missing, rather than a TypeError from deep inside the check. */
export function checkMatchResultShape(result: unknown): void {
  const r = result as Partial<Record<string, unknown>> | null;
  const issues: Issue[] = [];
  if (r === null || typeof r !== "object")
    issues.push(pathIssue("invalid_result", [], `Expected a result of match, got ${got(r)}`));
  else {
    issues.push(
      ...statusAndObjectiveIssues(r, ["optimal", "feasible", "time_limit", "infeasible"]),
    );
    const pairs = r.pairs;
    if (!Array.isArray(pairs))
      issues.push(pathIssue("invalid_result", ["pairs"], `Expected an array, got ${got(pairs)}`));
    else issues.push(...pairIdIssues(pairs, "invalid_result"));
    const c = r.certificate as
      { menteeDual?: unknown; mentorDual?: unknown; coverage?: unknown } | undefined;
    const cov = c?.coverage as { menteeDual?: unknown; mentorDual?: unknown } | null | undefined;
    if (
      (r.status === "optimal" || r.status === "feasible") &&
      (c === null ||
        typeof c !== "object" ||
        !Array.isArray(c.menteeDual) ||
        !Array.isArray(c.mentorDual) ||
        (cov !== undefined &&
          (cov === null || !Array.isArray(cov.menteeDual) || !Array.isArray(cov.mentorDual))))
    )
      issues.push(
        pathIssue(
          "invalid_result",
          ["certificate"],
          `An optimal result carries { menteeDual, mentorDual } (and a coverage proof of the same form), got ${got(c)}`,
        ),
      );
  }
  if (issues.length > 0) throw new InputError(issues.slice(0, 20), "result");
}

/** Indices → ids, and the engine's reasons → reasons a program lead can act on (src/lifecycle
 * collects its answers here too). */
export function collect(
  cohort: Cohort,
  scorer: Scorer,
  res: AssignmentResult,
  tally: EligibilityTally,
  equity: EquityRuleStatus[] = equityStatus(cohort),
): MatchResult {
  const mode = res.status === "time_limit" ? "stopped" : "optimum";
  const base = {
    ...collectBase(
      cohort,
      scorer,
      res.pairs,
      res.objective,
      res.unmatched.row,
      res.stats,
      mode,
      tally,
    ),
    equity,
  };
  if (res.status === "optimal") {
    const c = res.certificate;
    return {
      ...base,
      status: "optimal",
      bound: res.bound,
      certificate: {
        menteeDual: Array.from(c.rowDual),
        mentorDual: Array.from(c.colDual),
        ...(c.uncoveredDual !== undefined ? { uncoveredDual: c.uncoveredDual } : {}),
        ...(c.coverage
          ? {
              coverage: {
                count: c.coverage.count,
                menteeDual: Array.from(c.coverage.rowDual),
                mentorDual: Array.from(c.coverage.colDual),
                uncoveredDual: c.coverage.uncoveredDual,
              },
            }
          : {}),
      },
    };
  }
  if (res.status === "time_limit")
    return {
      ...base,
      status: "time_limit",
      reason: res.reason,
      bound: res.bound,
      feasible: res.feasible,
    };
  return { ...base, status: "infeasible", diagnosis: fromEngine(cohort, scorer, res.diagnosis) };
}

/**
 * What every result has: pairs by id, total fit, unmatched mentees with reasons, mentor loads,
 * stats. `mode` says how to read a mentee left out while a mentor with room and a positive fit
 * exists: impossible at an optimum without rules (so "mentors_full"), "stopped_early" when the
 * solve stopped, "equity_rules" when equity rules chose the pairs.
 */
function collectBase(
  cohort: Cohort,
  scorer: Scorer,
  pairs: { readonly row: Int32Array; readonly col: Int32Array },
  objective: number,
  unmatchedRows: Int32Array,
  stats: AssignmentResult["stats"],
  mode: "optimum" | "stopped" | "rules",
  tally: EligibilityTally,
) {
  const { menteeIds, mentorIds } = cohort.index;
  const { mentors, locked } = cohort.view;
  const isLocked = new Set(locked.map((p) => p.mentee * mentors.count + p.mentor));
  const list = Array.from(pairs.row, (i, k) => {
    const j = pairs.col[k];
    return {
      mentee: menteeIds[i],
      mentor: mentorIds[j],
      score: scorer.score(i, j),
      locked: isLocked.has(i * mentors.count + j),
    };
  });
  const load = new Int32Array(mentors.count);
  for (const j of pairs.col) load[j]++;
  const loads: MentorLoad[] = mentorIds.map((id, j) => ({
    mentor: id,
    load: load[j],
    capacity: mentors.capacity[j],
    minLoad: mentors.minLoad[j],
  }));
  // Mentors with room, as a bit set like the tally's rows.
  const withRoom = new Uint32Array(tally.words);
  for (let j = 0; j < mentors.count; j++)
    if (load[j] < mentors.capacity[j]) withRoom[j >>> 5] |= 1 << (j & 31);
  const unmatched = Array.from(unmatchedRows, (i) =>
    unmatchedMentee(cohort, scorer, i, withRoom, mode, tally),
  );
  return { pairs: list, objective, unmatched, mentors: loads, stats };
}

/** Every declared equity rule with what match did with it (see `EquityRuleStatus`); `out` is
 * the Lagrangian search's outcome when rules that cut across the flow were enforced. */
function equityStatus(cohort: Cohort, out?: SideOutcome | "stopped"): EquityRuleStatus[] {
  return cohort.equity.map((rule, index) => {
    const at = `program.equity[${index}] (${rule.kind})`;
    const base = { index, kind: rule.kind };
    switch (rule.kind) {
      case "minFit":
        return {
          ...base,
          enforced: true,
          message: `${at} is enforced: pairs with a fit below ${cohort.view.minFit} were not allowed, so every pair here has at least that fit, and the certificate proves the total best among such pairs.`,
        };
      default: {
        // The cap held in the flow (lagrange.ts `inFlow`) is exact whatever the other rules.
        const inFlow = typeof out === "object" && out.inFlow === index;
        const flow = inFlow
          ? " exactly, in the flow itself (a node per mentor and group between mentees and mentors, whose duals are its multipliers in the certificate)"
          : "";
        // Every solve's pairs keep a cap the flow holds, a stopped search's too.
        const words =
          inFlow && out.kind === "stopped"
            ? "these pairs keep it, as every answer of the search does; the search stopped before it found pairs that keep the other rules."
            : sideWords(out);
        return { ...base, enforced: true, message: `${at} is enforced${flow}: ${words}` };
      }
    }
  });
}

/** How a rule that cuts across the flow was kept, in words, from the search's outcome. */
function sideWords(out: SideOutcome | "stopped" | undefined): string {
  if (out === "stopped")
    return "the solve stopped before the rule was applied, so these pairs may break it (\`feasible\` says whether they keep every rule).";
  if (!out)
    return "it cannot bind on this cohort (no group has minGroupSize mentees asking for the tier, no mentor takes more than the cap, or fewer than two groups have minGroupSize mentees asking for a mentor), so every assignment keeps it.";
  switch (out.kind) {
    case "found":
      return out.optimal
        ? "the pairs keep it, and the multipliers with the engine's duals prove the total optimal under every rule."
        : `the pairs keep it; the multipliers prove no assignment keeping every rule exceeds the bound, ${(out.proof.bound - (out.objective - out.penalty)).toPrecision(3)} above this total${out.penalty > 0 ? " less what the soft rules cost" : ""}${out.coverage && !out.coverage.proven ? " (and the count of mentees covered is not proven the most possible)" : ""}.`;
    case "stopped":
      return "the search stopped before it found pairs that keep every rule, so these pairs may break it.";
    case "proven_infeasible":
      return "no assignment keeps every rule together with the other constraints (see the diagnosis).";
    case "cap_infeasible":
      return "no assignment keeps the cap held in the flow together with the capacities, minimums and locked pairs, whatever the other rules (see the diagnosis).";
    case "engine_infeasible":
      return "the other constraints alone cannot be met (see the diagnosis).";
  }
}

/** The certificate of a result under side rules: engine duals and multipliers by ids, for the
 * fit and (coverage-first) for the count of mentees covered, with the uncovered column's duals. */
function equityProof(
  cohort: Cohort,
  side: SideRules,
  out: Extract<SideOutcome, { kind: "found" }>,
): MatchCertificate {
  const { proof, coverage } = out;
  return {
    menteeDual: Array.from(proof.rowDual),
    mentorDual: Array.from(proof.colDual),
    ...(coverage ? { uncoveredDual: proof.uncoveredDual ?? 0 } : {}),
    equity: {
      multipliers: multipliersToIds(cohort, side, proof.multipliers),
      coveredMultiplier: proof.perPair,
      minCovered: proof.minPairs,
      solves: out.solves,
      ...(coverage
        ? {
            coverage: {
              count: coverage.count,
              proven: coverage.proven,
              fitWeight: coverage.fitWeight,
              multipliers: multipliersToIds(cohort, side, coverage.multipliers),
              menteeDual: Array.from(coverage.rowDual),
              mentorDual: Array.from(coverage.colDual),
              uncoveredDual: coverage.uncoveredDual ?? 0,
            },
          }
        : {}),
    },
  };
}

/** Positive multipliers by rule, group label and mentor id (cap cells), in a fixed order. */
function multipliersToIds(cohort: Cohort, side: SideRules, m: Multipliers): EquityMultiplier[] {
  const { mentorIds } = cohort.index;
  const list: EquityMultiplier[] = [];
  side.share.forEach((r, k) => {
    for (const g of r.groups) {
      const value = m.share[k][g];
      if (value > 0) list.push({ rule: r.rule, group: r.labels[g], value });
    }
  });
  side.caps.forEach((c, r) => {
    const G = c.labels.length;
    const cells = [...m.cap[r]].filter(([, v]) => v > 0).sort((a, b) => a[0] - b[0]);
    for (const [key, value] of cells) {
      const g = key % G;
      list.push({ rule: c.rule, group: c.labels[g], mentor: mentorIds[(key - g) / G], value });
    }
  });
  side.reserves.forEach((r, k) => {
    if (m.reserve[k] > 0) list.push({ rule: r.rule, group: r.label, value: m.reserve[k] });
  });
  side.rates.forEach((r, k) => {
    if (m.rate[k] > 0) list.push({ rule: r.rule, group: r.label, value: m.rate[k] });
  });
  return list;
}

/** Why no assignment keeps the rules: the rules whose multipliers carry the proof, and how far
 * the last assignment of the search was from them. */
function rulesDiagnosis(
  cohort: Cohort,
  side: SideRules,
  out: Extract<SideOutcome, { kind: "proven_infeasible" }>,
  feasibleWith: (rules: readonly EquityRule[]) => boolean,
): MatchDiagnosis {
  const rules = new Set<number>();
  const m = out.proof.multipliers;
  side.share.forEach((r, k) => {
    if (m.share[k].some((x) => x > 0)) rules.add(r.rule);
  });
  side.caps.forEach((c, r) => {
    if ([...m.cap[r].values()].some((x) => x > 0)) rules.add(c.rule);
  });
  side.reserves.forEach((r, k) => {
    if (m.reserve[k] > 0) rules.add(r.rule);
  });
  side.rates.forEach((r, k) => {
    if (m.rate[k] > 0) rules.add(r.rule);
  });
  // Soft rules cannot make the rules impossible: only the hard ones are named.
  for (const k of [...rules]) {
    if (isSoft(cohort.equity[k])) rules.delete(k);
  }
  const list = [...rules].sort((a, b) => a - b);
  return withMessage({
    kind: "equity",
    rules: list,
    ruleKinds: list.map((k) => cohort.equity[k].kind),
    needed: out.last.excess,
    possible: 0,
    relaxations: smallestRelaxations(cohort, list, feasibleWith),
  });
}

/** No assignment keeps the cap that the flow holds (lagrange.ts \`cap_infeasible\`): the engine's
 * finding on the flow with the cap in it, in ids, and the smallest cap that works. */
function capDiagnosis(
  cohort: Cohort,
  out: Extract<SideOutcome, { kind: "cap_infeasible" }>,
  feasibleWith: (rules: readonly EquityRule[]) => boolean,
): MatchDiagnosis {
  const k = out.inFlow!;
  const rule = cohort.equity[k] as Extract<EquityRule, { kind: "maxPerMentorPerGroup" }>;
  const { menteeIds, mentorIds } = cohort.index;
  const mentees = out.mentees.map((i) => menteeIds[i]);
  const mentors = out.mentors.map((j) => mentorIds[j]);
  return withMessage({
    kind: "equity",
    rules: [k],
    ruleKinds: [rule.kind],
    cap: rule.max,
    ...(mentees.length > 0 ? { mentees } : {}),
    ...(mentors.length > 0 ? { mentors } : {}),
    needed: out.needed,
    possible: out.possible,
    relaxations: smallestRelaxations(cohort, [k], feasibleWith),
  });
}

/** How many searches a relaxation may take per rule (bisection steps after the first probe). */
const RELAX_STEPS = 6;

/**
 * For each rule to blame, the smallest change of its own parameter (the others as they are)
 * with which the search finds pairs keeping every rule: a share rule's tolerance (bisection
 * between the rule's and 1, to 1/64), a cap's max (bisection over whole numbers up to the largest
 * capacity). A rule no change of its own can fix is left out. The search is a heuristic, so the
 * change found is one that works, the smallest the bisection saw.
 */
function smallestRelaxations(
  cohort: Cohort,
  blamed: readonly number[],
  feasibleWith: (rules: readonly EquityRule[]) => boolean,
): EquityRelaxation[] {
  const out: EquityRelaxation[] = [];
  const most = cohort.view.mentors.capacity.reduce((a, b) => Math.max(a, b), 0);
  for (const k of blamed) {
    const rule = cohort.equity[k];
    const withRule = (r: EquityRule) => cohort.equity.map((x, at) => (at === k ? r : x));
    // Each parameter on a grid of whole steps (64ths for a tolerance or a rate), searched from
    // the rule's own value towards one that works.
    if (rule.kind === "proportionalTierAccess") {
      const at = (k64: number) => feasibleWith(withRule({ ...rule, tolerance: k64 / 64 }));
      if (!at(64)) continue;
      const value = leastWorking(rule.tolerance * 64, 64, at, Math.ceil) / 64;
      out.push({ rule: k, attribute: rule.attribute, parameter: "tolerance", value });
    } else if (rule.kind === "maxPerMentorPerGroup") {
      const at = (max: number) => feasibleWith(withRule({ ...rule, max }));
      if (most <= rule.max || !at(most)) continue;
      const value = leastWorking(rule.max, most, at, Math.floor);
      out.push({ rule: k, attribute: rule.attribute, parameter: "max", value });
    } else if (rule.kind === "reserve") {
      // Fewer reserved: the largest min that works (0 would drop the rule: not a relaxation).
      const at = (min: number) => feasibleWith(withRule({ ...rule, min }));
      if (rule.min <= 1 || !at(1)) continue;
      const value = -leastWorking(-rule.min, -1, (m) => at(-m), Math.floor);
      out.push({ rule: k, attribute: rule.attribute, parameter: "min", value });
    } else if (rule.kind === "minMatchRate" && rule.rate !== undefined) {
      // A lower rate, the largest that works (down to 1/64: rate 0 would drop the rule).
      const at = (k64: number) => feasibleWith(withRule({ ...rule, rate: k64 / 64 }));
      if (rule.rate <= 1 / 64 || !at(1)) continue;
      const value = -leastWorking(-rule.rate * 64, -1, (m) => at(-m), Math.ceil) / 64;
      out.push({ rule: k, attribute: rule.attribute, parameter: "rate", value });
    } else if (rule.kind === "minMatchRate" && rule.maxBelowOverall !== undefined) {
      // Further below the overall rate: the least distance that works (up to 1, no floor).
      const at = (k64: number) => feasibleWith(withRule({ ...rule, maxBelowOverall: k64 / 64 }));
      if (!at(64)) continue;
      const value = leastWorking(rule.maxBelowOverall * 64, 64, at, Math.ceil) / 64;
      out.push({ rule: k, attribute: rule.attribute, parameter: "maxBelowOverall", value });
    }
  }
  return out;
}

/**
 * Bisection for the least whole step in (a, b] that `works`, where `works(b)` holds and a is the
 * rule's own value (not necessarily whole): at most RELAX_STEPS probes, each at the midpoint
 * rounded by `round` (probes never reach b). Searching downwards is the same on negated steps.
 */
function leastWorking(
  a: number,
  b: number,
  works: (step: number) => boolean,
  round: (x: number) => number,
): number {
  for (let t = 0; t < RELAX_STEPS && b - a > 1; t++) {
    const mid = round((a + b) / 2);
    if (mid >= b) break;
    if (works(mid)) b = mid;
    else a = mid;
  }
  return b;
}

function unmatchedMentee(
  cohort: Cohort,
  scorer: Scorer,
  i: number,
  withRoom: Uint32Array,
  mode: "optimum" | "stopped" | "rules",
  tally: EligibilityTally,
): UnmatchedMentee {
  const { mentees, mentors } = cohort.view;
  const m = mentors.count;
  const codes = REASONS.length;
  const { words } = tally;
  if (tally.seen[i] === 0) {
    // A row the solve never read (it was stopped first): scored here, once.
    const fit = new Float64Array(m);
    const reason = new Uint8Array(m);
    const elig = new Int32Array(m);
    const k = scorer.scoreRow(i, fit, reason, elig);
    const vals = gather<Float64Array>(fit, elig.subarray(0, k));
    tallyBits(elig, vals, k, tally, i);
    countReasons(reason, m, tally.count, i * codes);
  }
  const count = tally.count.subarray(i * codes, (i + 1) * codes);
  const eligibleBits = tally.eligible.subarray(i * words, (i + 1) * words);
  const positiveBits = tally.positive.subarray(i * words, (i + 1) * words);
  const eligible = count[0];
  let room = false;
  let roomWithFit = false;
  for (let w = 0; w < words; w++) {
    if ((eligibleBits[w] & withRoom[w]) !== 0) room = true;
    if ((positiveBits[w] & withRoom[w]) !== 0) roomWithFit = true;
  }
  const blockedBy: { rule: IneligibleReason; mentors: number }[] = [];
  for (let r = 1; r < codes; r++)
    if (count[r] > 0) blockedBy.push({ rule: REASONS[r]!, mentors: count[r] });
  blockedBy.sort((a, b) => b.mentors - a.mentors || (a.rule < b.rule ? -1 : 1));
  let why: UnmatchedMenteeReason;
  if (mentees.maxMentors[i] === 0) why = "max_mentors_zero";
  else if (eligible === 0) why = "no_eligible_mentor";
  // At an optimum a mentor with room and a positive fit would have been used, so this only
  // happens when the solve was cut short.
  else if (roomWithFit)
    why = mode === "stopped" ? "stopped_early" : mode === "rules" ? "equity_rules" : "mentors_full";
  else why = room ? "no_fit" : "mentors_full";
  return { mentee: cohort.index.menteeIds[i], reason: why, eligibleMentors: eligible, blockedBy };
}
