/**
 * Re-matching after changes (docs/LIFECYCLE.md, "Re-matching"): mentors leave or change
 * capacity, mentees join or leave, a pair is dissolved, the rules change — and the program wants
 * the best assignment that moves few of the pairs that still work.
 *
 * The cohort passed in is the cohort as it is now; `previous` is the last answer by id. Every
 * previous pair is either ended by the changes (a person left, the pair was dissolved, the rules
 * now rule it out) or still possible ("existing"). The objective is the total fit less
 * `movePenalty` for each existing pair moved, with at most `maxMoves` of them moved:
 *
 *   maximize  fit(x) − p · moved(x)   subject to moved(x) ≤ N,   moved(x) = E − kept(x).
 *
 * With a penalty alone this is the engine's problem with every existing pair's score raised by
 * p (exact, one solve). A budget is one side constraint, kept(x) ≥ E − N, which no flow holds by
 * itself: it is kept by a Lagrangian multiplier λ on it (each existing pair scores fit + p + λ),
 * searched by the secant step on the dual function's lines (each step a warm re-solve of the
 * engine: the candidate lists and the network simplex's basis are kept, src/solve/solve.ts
 * `Resolvable`). Any λ ≥ 0 gives a bound, V(λ) − λ·(E − N) − p·E with V the engine's proven
 * optimum at λ; the answer is the best one found that keeps the budget, and when it moves
 * exactly N pairs (or λ = 0 already keeps it) the bound meets it and the answer is proven
 * optimal. Otherwise the gap is given (status "feasible"). A budget of 0 holds every existing
 * pair as locked (exact). Budgeted matching by Lagrangian relaxation: Berger, Bonifaci,
 * Grandoni and Schäfer, "Budgeted matching and budgeted matroid intersection via the gasoline
 * puzzle", Math. Programming 128 (2011).
 *
 * Dissolved pairs are never proposed again (they are not allowed in the instance). The first
 * solve starts from the previous answer's prices (its mentors' duals) when it has them.
 */
import type { Cohort } from "../cohort/types.js";
import type { CohortInput, PairInput } from "../schema/types.js";
import { checkCohortArg } from "../cohort/arg.js";
import { createScorer, type Scorer } from "../score/scorer.js";
import { reasonFromCode, type IneligibleReason } from "../score/eligibility.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { checkSolveOptions, got, pairIdIssues, untilDeadline } from "../solve/args.js";
import { MAX_SCORE, maxAbs, verifyTolerance } from "../solve/numeric.js";
import { csrRowSource, type Instance } from "../solve/instance.js";
import { uncoveredColumnRows } from "../solve/certificate.js";
import { resolvableSolve, solveInstance, type Resolvable } from "../solve/solve.js";
import type { AssignmentResult, SolveStats } from "../solve/types.js";
import { sortedIndexOf } from "../shared/sorted.js";
import { largest, type ScoredPairs } from "../score/block.js";
import {
  cohortInstance,
  collect,
  idleStats,
  newTally,
  readAllPairs,
  tallyBits,
  type EligibilityTally,
} from "../match/match.js";
import type {
  MatchCertificate,
  MatchDiagnosis,
  MatchOptions,
  MatchPair,
  MentorLoad,
  UnmatchedMentee,
} from "../match/types.js";
import { checkPlainRules, startPricesFrom, warmFlowFrom, type PreviousPrices } from "./warm.js";

/** A pair that ended before the re-match, with why (kept out of the new answer). */
export interface DissolvedPair {
  readonly mentee: string;
  readonly mentor: string;
  /** Why it ended, kept as written (e.g. "mentee asked for a new mentor"). */
  readonly reason?: string;
}

/** The last answer, by id: a `MatchResult` (or an earlier `RematchResult`) will do. */
export interface PreviousMatch extends PreviousPrices {
  readonly pairs: readonly { readonly mentee: string; readonly mentor: string }[];
  /** Mentees left unmatched then (to tell a newcomer from someone who waited). */
  readonly unmatched?: readonly { readonly mentee: string }[];
}

export interface RematchOptions extends MatchOptions {
  /** At most this many existing pairs (previous pairs the changes did not end) may move.
   * Default: no limit. 0 keeps every one of them. */
  readonly maxMoves?: number;
  /** What moving one existing pair costs, in units of fit: the re-match maximizes total fit
   * less this for each existing pair moved. Default 0. */
  readonly movePenalty?: number;
  /** Pairs dissolved since the previous answer: each ends, and is never proposed again.
   * Default none. */
  readonly dissolved?: readonly DissolvedPair[];
  /** Also solve the first problem cold — the same scores, candidates and flow from scratch, no
   * start from the previous answer — and say how much faster the warm solve was (`stats.cold`).
   * Costs one more solve. Default false. */
  readonly compareCold?: boolean;
}

/** Why a previous pair is not in the new answer. */
export type PairEndReason =
  /** The mentor is no longer in the cohort. */
  | "mentor_left"
  /** The mentee is no longer in the cohort. */
  | "mentee_left"
  /** The pair was dissolved (`RematchOptions.dissolved`; `note` is its reason). */
  | "dissolved"
  /** The rules now rule the pair out (`rule` says which). */
  | "ineligible"
  /** Still possible, but the re-match moved it: for a better total, or to make room. */
  | "moved";

export interface EndedPair {
  readonly mentee: string;
  readonly mentor: string;
  readonly reason: PairEndReason;
  readonly rule?: IneligibleReason;
  readonly note?: string;
}

/** Why a pair of the new answer was not in the previous one. */
export type PairStartReason =
  /** The mentee was in neither the previous pairs nor the previous unmatched list. */
  | "new_mentee"
  /** The mentee lost a previous pair (ended or moved). */
  | "replacement"
  /** The mentee had no pair before. */
  | "was_unmatched"
  /** The mentee kept its pairs and gains one more (a two-mentor mentee). */
  | "additional";

export interface AddedPair {
  readonly mentee: string;
  readonly mentor: string;
  readonly score: number;
  readonly reason: PairStartReason;
}

export interface RematchMoves {
  /** Previous pairs the changes did not end. */
  readonly existing: number;
  readonly kept: number;
  /** existing − kept. */
  readonly moved: number;
  /** `maxMoves` (null: no limit). */
  readonly budget: number | null;
  readonly penalty: number;
  /** penalty × moved. */
  readonly cost: number;
}

/** A re-match that cannot keep its budget: keeping `needed` existing pairs is impossible, at
 * most `possible` can be kept together. */
export interface MoveBudgetDiagnosis {
  readonly kind: "move_budget";
  readonly needed: number;
  readonly possible: number;
  readonly message: string;
}

export interface RematchSolve {
  readonly ms: number;
  /** Resumed from the previous solve's state (candidates, basis). */
  readonly warm: boolean;
  /** The budget's multiplier λ (0 without a budget). */
  readonly lambda: number;
  readonly kept: number;
  /** The engine's own account of the solve (its phases, pricing rounds, augmentations). */
  readonly engine: SolveStats;
}

export interface RematchResult {
  /** optimal: proven; feasible: keeps every rule and the budget, `gap` not closed;
   * infeasible: see `diagnosis`; time_limit: stopped (the pairs so far, `reason`). */
  readonly status: "optimal" | "feasible" | "infeasible" | "time_limit";
  readonly reason?: "time" | "aborted";
  /** Sorted by mentee id, then mentor id. */
  readonly pairs: readonly MatchPair[];
  /** Total fit of `pairs`. */
  readonly objective: number;
  /** objective − moves.cost: what the re-match maximizes. */
  readonly value: number;
  /** Upper bound on `value` over every answer that keeps the budget (optimal, feasible); under
   * coverage-first, over those that also cover as many mentees as the answer (the most any
   * answer keeping the budget covers). */
  readonly bound?: number;
  readonly gap?: number;
  readonly unmatched: readonly UnmatchedMentee[];
  readonly mentors: readonly MentorLoad[];
  /** Previous pairs not kept, each with why; sorted by mentee, mentor. */
  readonly ended: readonly EndedPair[];
  /** Pairs that are new, each with why; sorted by mentee, mentor. */
  readonly added: readonly AddedPair[];
  readonly moves: RematchMoves;
  readonly diagnosis?: MatchDiagnosis | MoveBudgetDiagnosis;
  /** The last engine solve's duals by id (optimal and feasible answers): of the fits, or with a
   * penalty or budget of the fits with each existing pair's bonus, so a proof of `bound` only
   * with those. What a later re-match starts from (`PreviousMatch`): a result passed on as the
   * previous answer starts warm. */
  readonly certificate?: MatchCertificate;
  readonly stats: {
    readonly timeMs: number;
    /** Reading (scoring) every pair once. */
    readonly readMs: number;
    /** Whether the first solve started from the previous answer's prices. */
    readonly startPrices: boolean;
    /** Whether the first solve's flow started from the previous answer (its pairs still
     * possible, at its duals): it needs the previous answer's mentee duals too. */
    readonly warmFlow: boolean;
    /** Each engine solve in order (the budget's search: one per multiplier tried). */
    readonly solves: readonly RematchSolve[];
    /** A match session's re-match (session.ts): the scores it carried over from the cohort
     * before the changes, and what it scored afresh. */
    readonly carried?: ScoresCarried;
    /** With `compareCold`: the first solve warm and cold, in milliseconds, and cold / warm. */
    readonly cold?: { readonly warmMs: number; readonly coldMs: number; readonly speedup: number };
  };
}

/** What a match session's re-match took from the scores it held (`MatchSession.rematch`). */
export interface ScoresCarried {
  /** Carrying the scores over and scoring what changed, in milliseconds. */
  readonly ms: number;
  /** Mentees whose rows were carried over, and mentees scored afresh (new, or a changed
   * record; every mentee when the skills, strategy or program other than locked pairs changed). */
  readonly menteesCarried: number;
  readonly menteesScored: number;
  /** The same for mentors: a new or changed mentor is scored against every carried mentee. */
  readonly mentorsCarried: number;
  readonly mentorsScored: number;
}

const now = () => performance.now();

/** The options, checked (all issues at once). */
function checkOptions(cohort: Cohort, options: unknown): RematchOptions {
  const dissolvedIssues: Issue[] = [];
  let checked: RematchOptions = {};
  let optionIssues: readonly Issue[] = [];
  try {
    checked = checkSolveOptions(options, {
      coverageFirst: (v) => (typeof v === "boolean" ? undefined : "true or false"),
      maxMoves: (v) =>
        v === Infinity || (Number.isSafeInteger(v) && (v as number) >= 0)
          ? undefined
          : "a whole number >= 0 (or Infinity)",
      movePenalty: (v) =>
        typeof v === "number" && Number.isFinite(v) && v >= 0 ? undefined : "a finite number >= 0",
      compareCold: (v) => (typeof v === "boolean" ? undefined : "true or false"),
      dissolved: (v) => {
        if (!Array.isArray(v)) return "an array of { mentee, mentor, reason? }";
        v.forEach((p: unknown, k) => {
          const o = p as Record<string, unknown> | null;
          if (o === null || typeof o !== "object") {
            dissolvedIssues.push(
              pathIssue(
                "invalid_option",
                ["dissolved", k],
                `Expected { mentee, mentor, reason? }, got ${got(p)}`,
              ),
            );
            return;
          }
          for (const side of ["mentee", "mentor"] as const) {
            const id = o[side];
            const known = side === "mentee" ? cohort.index.menteeById : cohort.index.mentorById;
            if (typeof id !== "string")
              dissolvedIssues.push(
                pathIssue(
                  "invalid_option",
                  ["dissolved", k, side],
                  `Expected a ${side} id, got ${got(id)}`,
                ),
              );
            else if (!known.has(id))
              dissolvedIssues.push(
                pathIssue(
                  side === "mentee" ? "unknown_mentee" : "unknown_mentor",
                  ["dissolved", k, side],
                  `No ${side} "${id}" in the cohort; a dissolved pair names people who are still in it (a person who left needs no dissolving)`,
                  { received: id },
                ),
              );
          }
          if (o.reason !== undefined && typeof o.reason !== "string")
            dissolvedIssues.push(
              pathIssue(
                "invalid_option",
                ["dissolved", k, "reason"],
                `Expected text, got ${got(o.reason)}`,
              ),
            );
        });
        return undefined;
      },
    }) as RematchOptions;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    optionIssues = e.issues;
  }
  const issues = [...optionIssues, ...dissolvedIssues];
  if (issues.length > 0) throw new InputError(issues, "options");
  return checked;
}

/** `previous`, checked: an object with `pairs` of { mentee, mentor } ids. */
function checkPrevious(previous: unknown): PreviousMatch {
  const p = previous as Partial<PreviousMatch> | null;
  if (p === null || typeof p !== "object" || !Array.isArray(p.pairs))
    throw new InputError(
      [
        pathIssue(
          "invalid_argument",
          [],
          `Expected the previous answer ({ pairs: [{ mentee, mentor }] }, e.g. a MatchResult), got ${got(previous)}`,
        ),
      ],
      "previous",
    );
  const issues = pairIdIssues(p.pairs, "invalid_argument");
  if (issues.length > 0) throw new InputError(issues.slice(0, 20), "previous");
  return p as PreviousMatch;
}

const byIds = <T extends { mentee: string; mentor: string }>(a: T, b: T) =>
  a.mentee < b.mentee
    ? -1
    : a.mentee > b.mentee
      ? 1
      : a.mentor < b.mentor
        ? -1
        : a.mentor > b.mentor
          ? 1
          : 0;

/**
 * Re-matches `cohort` (as it is now) from the `previous` answer: the best assignment that keeps
 * every rule of `match`, never proposes a dissolved pair, and moves at most `maxMoves` existing
 * pairs (or pays `movePenalty` for each) — exactly, with a bound (see the module's notes). The
 * result says what changed and why. Equity rules that cut across mentors are not kept by a
 * re-match yet: a cohort with any besides `minFit` is refused (an `InputError`), never matched
 * without them.
 */
export function rematch(
  cohort: Cohort,
  previous: PreviousMatch,
  options: RematchOptions = {},
): RematchResult {
  return rematchScored(cohort, undefined, previous, options);
}

/** `rematch`'s arguments checked (an `InputError` with every issue), before any work: a match
 * session checks them before it carries its scores over. */
export function checkRematchArgs(
  cohort: Cohort,
  previous: PreviousMatch,
  options: RematchOptions,
): { opts: RematchOptions; prev: PreviousMatch } {
  checkCohortArg(cohort);
  const opts = checkOptions(cohort, options);
  const prev = checkPrevious(previous);
  checkPlainRules(cohort, "rematch");
  return { opts, prev };
}

/** `rematch` with the pairs already scored (a match session's, carried over from the cohort
 * before the changes: session.ts), or scored here when `scored` is undefined. Internal. */
export function rematchScored(
  cohort: Cohort,
  scored: ScoredPairs | undefined,
  previous: PreviousMatch,
  options: RematchOptions = {},
): RematchResult {
  const { opts, prev } = checkRematchArgs(cohort, previous, options);
  const t0 = now();
  const deadline = t0 + (opts.timeLimitMs ?? Infinity);
  const stop = () => opts.signal?.aborted === true || now() > deadline;
  const scorer = createScorer(cohort.view);
  const { menteeById, mentorById } = cohort.index;
  const { mentees, mentors, locked } = cohort.view;
  const m = mentors.count;
  const key = (i: number, j: number) => i * m + j;
  const penalty = opts.movePenalty ?? 0;
  const budget = opts.maxMoves ?? Infinity;

  // The dissolved pairs, and the previous pairs sorted out: ended by the changes, or existing.
  const dissolved = new Map<number, string | undefined>();
  for (const d of opts.dissolved ?? [])
    dissolved.set(key(menteeById.get(d.mentee)!, mentorById.get(d.mentor)!), d.reason);
  const seen = new Set<string>();
  const previousPairs = prev.pairs
    .map((p) => ({ mentee: p.mentee, mentor: p.mentor }))
    .filter((p) => {
      const k = `${p.mentee}\u0000${p.mentor}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort(byIds);
  const ended: EndedPair[] = [];
  const candidates: { mentee: string; mentor: string; i: number; j: number }[] = [];
  for (const p of previousPairs) {
    const i = menteeById.get(p.mentee);
    const j = mentorById.get(p.mentor);
    if (i === undefined) ended.push({ ...p, reason: "mentee_left" });
    else if (j === undefined) ended.push({ ...p, reason: "mentor_left" });
    else if (dissolved.has(key(i, j))) {
      const note = dissolved.get(key(i, j));
      ended.push({ ...p, reason: "dissolved", ...(note !== undefined ? { note } : {}) });
    } else candidates.push({ ...p, i, j });
  }
  const isLocked = new Set(locked.map((p) => key(p.mentee, p.mentor)));
  const keepAll = budget === 0;
  const coverageFirst = opts.coverageFirst ?? cohort.program.coverageFirst;
  const tally = newTally(mentees.count, m);
  const forbidden = [...dissolved.keys()].map((k) => [Math.floor(k / m), k % m] as const);

  // Every pair read once into lists whose scores the budget's search rewrites in place.
  const tRead = now();
  const plain = cohortInstance(cohort, scorer, coverageFirst, tally, undefined, { forbidden });
  const taken = scored && takeScored(scored, tally);
  const read = taken ? taken.pairs : readAllPairs(plain, stop);
  const readMs = now() - tRead;
  const existing: { mentee: string; mentor: string; i: number; j: number; at: number }[] = [];
  if (read)
    for (const c of candidates) {
      const at = sortedIndexOf(read.col, read.start[c.i], read.start[c.i + 1], c.j);
      if (at >= 0) existing.push({ ...c, at });
      else {
        const rule = reasonFromCode(scorer.reasonCode(c.i, c.j)) ?? "min_fit";
        ended.push({ mentee: c.mentee, mentor: c.mentor, reason: "ineligible", rule });
      }
    }
  const E = existing.length;
  const moves = (kept: number): RematchMoves => ({
    existing: E,
    kept,
    moved: E - kept,
    budget: Number.isFinite(budget) ? budget : null,
    penalty,
    cost: penalty * (E - kept),
  });
  const stats = {
    timeMs: 0,
    readMs,
    startPrices: false,
    warmFlow: false,
    solves: [] as RematchSolve[],
  };
  let cold: RematchResult["stats"]["cold"];
  const finish = (
    res: AssignmentResult | undefined,
    extra: {
      status?: RematchResult["status"];
      bound?: number;
      diagnosis?: MoveBudgetDiagnosis;
    } = {},
  ): RematchResult => {
    // The unmatched mentees' reasons read the tally's bits: from the scored pairs, those rows.
    if (taken)
      tallyRows(
        taken.pairs,
        tally,
        res ? res.unmatched.row : Array.from({ length: mentees.count }, (_, i) => i),
      );
    return assemble(cohort, scorer, res, tally, {
      ended,
      existing,
      previous: prev,
      moves,
      stats: { ...stats, ...(cold ? { cold } : {}), timeMs: now() - t0 },
      ...extra,
    });
  };
  if (!read) return finish(undefined);

  // The scores the engine reads: the pairs read here are the re-match's own, rewritten in place;
  // a session's are copied first, when a bonus will be written at all.
  const rewrites = penalty > 0 || Number.isFinite(budget);
  const score = scored !== undefined && rewrites ? read.fit.slice() : read.fit;
  const fitAt = Float64Array.from(existing, (e) => read.fit[e.at]);
  const scale = taken ? taken.scale : maxAbs(read.fit);
  const forcedExisting = keepAll ? existing.filter((e) => !isLocked.has(key(e.i, e.j))) : [];
  const inst: Instance = {
    ...(keepAll
      ? cohortInstance(cohort, scorer, coverageFirst, undefined, undefined, {
          forbidden,
          forced: forcedExisting.map((e) => [e.i, e.j] as const),
        })
      : plain),
    source: csrRowSource(read.start, read.col, score, m),
  };
  const startPrices = startPricesFrom(cohort, prev);
  stats.startPrices = startPrices !== undefined;
  const warmFlow = warmFlowFrom(cohort, prev, existing);
  stats.warmFlow = warmFlow !== undefined;
  const bonus = (b: number) => {
    if (!rewrites) return;
    existing.forEach((e, k) => (score[e.at] = fitAt[k] + b));
  };
  const existingKeys = new Set(existing.map((e) => key(e.i, e.j)));
  const keptOf = (res: AssignmentResult) => {
    let kept = 0;
    for (let t = 0; t < res.pairs.row.length; t++)
      kept += Number(existingKeys.has(key(res.pairs.row[t], res.pairs.col[t])));
    return kept;
  };
  const fitOf = (res: AssignmentResult) => {
    let fit = 0;
    for (let t = 0; t < res.pairs.row.length; t++)
      fit += scorer.score(res.pairs.row[t], res.pairs.col[t]);
    return fit;
  };

  // The first solve at λ = 0, then (with a budget it breaks) the multiplier's search.
  bonus(penalty);
  let t = now();
  const solver = resolvableSolve(inst, untilDeadline(opts, deadline), {
    ownReasons: true,
    ...(startPrices ? { startPrices } : {}),
    ...(warmFlow ? { warmFlow } : {}),
  });
  type Point = { lambda: number; res: AssignmentResult; kept: number; val: number; V: number };
  const point = (lambda: number, res: AssignmentResult, warm: boolean): Point => {
    const kept = keptOf(res);
    stats.solves.push({ ms: now() - t, warm, lambda, kept, engine: res.stats });
    // val: fit + p·kept, what the engine maximizes less λ·kept; V its proven optimum.
    const val = fitOf(res) + penalty * kept;
    return { lambda, res, kept, val, V: res.status === "optimal" ? res.bound : Infinity };
  };
  const first = point(0, solver.result, false);
  if (opts.compareCold === true) {
    const tc = now();
    solveInstance(inst, untilDeadline(opts, deadline), { ownReasons: true });
    const coldMs = now() - tc;
    const warmMs = stats.solves[0].ms;
    cold = { warmMs, coldMs, speedup: coldMs / warmMs };
  }
  const need = Number.isFinite(budget) ? E - budget : -Infinity;
  // (Held as locked, the existing pairs score their fit alone: no penalty term in V.)
  if (first.res.status !== "optimal" || first.kept >= need)
    return finish(
      first.res,
      first.res.status === "optimal" ? { bound: first.V - (keepAll ? 0 : penalty * E) } : {},
    );

  // Bracket: λ doubles from σ/256 (σ the fit scale) until the budget holds (or cannot, within
  // reason). With tied fits the multiplier that keeps a budget is often far below σ (measured on
  // generated cohorts: σ/2,500 to σ/7 for budgets of 5 to 50), and each step is a re-solve: a
  // start at σ overshot to keeping every pair, the costliest re-solve of the search (at 20,000 ×
  // 4,000, maxMoves 50: 8.4 s from σ, 5.3 s from σ/256). With every fit 0 any bonus ranks the
  // same, so it starts from 1/256 then.
  const step = scale > 0 ? scale : 1;
  const ceiling = 2 * step * (E + 1);
  // The tolerance of a solve at λ: the engine's, on the scale of its scores (fit + p + λ).
  const tolAt = (lambda: number, pairs: number) => verifyTolerance(scale + penalty + lambda, pairs);
  type Searched =
    | { readonly chosen: Point; readonly bound: number }
    | { readonly ceiling: Point }
    | { readonly end: RematchResult };
  /** The multiplier's search on a solve whose first answer (λ = 0) breaks the budget. */
  const search = (solver: Resolvable, start: Point): Searched => {
    const at = (lambda: number): Point => {
      bonus(penalty + lambda);
      t = now();
      const res = solver.resolve(untilDeadline(opts, deadline));
      return point(lambda, res, solver.warm);
    };
    let bound = start.V;
    let best: Point | undefined;
    const consider = (p: Point) => {
      if (p.res.status !== "optimal") return;
      bound = Math.min(bound, p.V - p.lambda * need);
      if (p.kept >= need && (!best || p.val > best.val)) best = p;
    };
    consider(start);
    let lo = start;
    let hi: Point | undefined;
    for (let lambda = step / 256; !hi; lambda *= 2) {
      if (stop()) return { end: finish(lo.res, { status: "time_limit" }) };
      const p = at(Math.min(lambda, ceiling));
      if (p.res.status !== "optimal") return { end: finish(p.res) };
      consider(p);
      if (p.kept >= need) hi = p;
      else if (lambda >= ceiling) return { ceiling: p };
      else lo = p;
    }
    // The secant step: where the lines of lo and hi meet is the next multiplier; the search
    // ends when no answer at that multiplier beats both lines (it minimizes the dual function).
    for (let round = 0; round < 60 && hi.kept > lo.kept; round++) {
      if (stop()) break;
      const lambda = (lo.val - hi.val) / (hi.kept - lo.kept);
      if (!(lambda > lo.lambda && lambda < hi.lambda)) break;
      const p = at(lambda);
      if (p.res.status !== "optimal") break;
      consider(p);
      const line = lo.val + lambda * lo.kept;
      if (p.V <= line + tolAt(lambda, p.res.pairs.row.length)) break;
      if (p.kept >= need) hi = p;
      else lo = p;
    }
    return { chosen: best ?? hi, bound };
  };
  const tooFew = (possible: number, coverage: boolean): RematchResult =>
    finish(undefined, {
      status: "infeasible",
      diagnosis: {
        kind: "move_budget",
        needed: need,
        possible,
        message: `At most ${possible} of the ${E} previous pairs that are still possible can be kept together${coverage ? " (whatever the coverage)" : ""}, and a budget of ${budget} moves needs ${need}: allow at least ${E - possible} moves (maxMoves)`,
      },
    });

  let searched: Searched;
  if (!coverageFirst) {
    searched = search(solver, first);
    if ("ceiling" in searched) return tooFew(searched.ceiling.kept, false);
  } else {
    // Coverage-first with a budget: the most mentees covered that the budget allows, then the
    // best total. The search runs on the problem without coverage-first whose uncovered column
    // holds the coverage at that count (at least C covered: a plain problem, whose multiplier
    // bound is proven), first at the count `match` reaches (the first solve's); when no answer
    // covering that many keeps the budget, at the most any does (`mostCoveredKeeping`).
    const z = uncoveredColumnRows(inst);
    // At least `covered` mentees covered; `exact`: exactly that many (the uncovered column's load
    // held, as coverage-first's score phase holds it: the flow can then start from the previous
    // answer). Exactly is as good as at least where no answer keeping the budget covers more.
    const floor = (covered: number, exact = true): Instance => {
      const max = Math.max(0, z.coverable - covered);
      return {
        ...inst,
        coverageFirst: false,
        uncovered: { rows: z.rows, score: 0, max, ...(exact ? { min: max } : {}) },
      };
    };
    const on = (covered: number): Searched | { readonly kept: Point } => {
      bonus(penalty);
      t = now();
      const s = resolvableSolve(floor(covered), untilDeadline(opts, deadline), {
        ownReasons: true,
        ...(startPrices ? { startPrices } : {}),
        ...(warmFlow ? { warmFlow } : {}),
      });
      const p = point(0, s.result, false);
      if (p.res.status !== "optimal") return { end: finish(p.res) };
      return p.kept >= need ? { kept: p } : search(s, p);
    };
    const most = (first.res as Extract<AssignmentResult, { status: "optimal" }>).certificate
      .coverage!.count;
    let atFloor = on(most);
    if ("ceiling" in atFloor) {
      const covered = mostCoveredKeeping(floor, read, existing, need, most, opts, deadline, stop);
      if (covered === "stopped") return finish(first.res, { status: "time_limit" });
      if (typeof covered !== "number") return tooFew(covered.possible, true);
      atFloor = on(covered);
      if ("ceiling" in atFloor) return tooFew(atFloor.ceiling.kept, true);
    }
    if ("kept" in atFloor) return finish(atFloor.kept.res, { bound: atFloor.kept.V - penalty * E });
    searched = atFloor;
  }
  if ("end" in searched) return searched.end;
  if (!("chosen" in searched)) throw new Error("rematch: a search ended at its ceiling");
  const { chosen, bound } = searched;
  const value = chosen.val - penalty * E;
  const proven = bound - penalty * E;
  const tol = tolAt(chosen.lambda, chosen.res.pairs.row.length);
  return finish(chosen.res, {
    status: proven - value <= tol ? "optimal" : "feasible",
    bound: Math.max(proven, value),
  });
}

/**
 * Coverage-first with a budget that no answer covering the most mentees keeps: the most mentees
 * any answer keeping the budget covers. K(C), the most existing pairs kept by an answer covering
 * at least C mentees, is one solve (each existing pair scores 1, every other 0, the uncovered
 * column holding the coverage) and falls as C grows: a binary search finds the largest C with
 * K(C) ≥ need below `most` (where the caller found none). K(0) < need: no answer keeps the
 * budget (`possible` is K(0)).
 */
function mostCoveredKeeping(
  floor: (covered: number, exact?: boolean) => Instance,
  read: { readonly start: Int32Array; readonly col: Int32Array; readonly fit: Float64Array },
  existing: readonly { readonly at: number }[],
  need: number,
  most: number,
  opts: RematchOptions,
  deadline: number,
  stop: () => boolean,
): number | { readonly possible: number } | "stopped" {
  const one = new Float64Array(read.fit.length);
  for (const e of existing) one[e.at] = 1;
  const m = floor(0).cols;
  const keptAt = (covered: number): number | undefined => {
    const inst = { ...floor(covered, false), source: csrRowSource(read.start, read.col, one, m) };
    const res = solveInstance(inst, untilDeadline(opts, deadline), { ownReasons: true });
    return res.status === "optimal" ? Math.round(res.objective) : undefined;
  };
  const none = keptAt(0);
  if (none === undefined || stop()) return "stopped";
  if (none < need) return { possible: none };
  // K(lo) ≥ need; K(hi) < need (no answer covering `most` keeps the budget: the caller's search).
  let lo = 0;
  let hi = Math.max(most, 1);
  while (hi - lo > 1) {
    if (stop()) return "stopped";
    const mid = Math.floor((lo + hi) / 2);
    const k = keptAt(mid);
    if (k !== undefined && k >= need) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The result by id: pairs, unmatched and loads as `match` gives them, and what changed. */
function assemble(
  cohort: Cohort,
  scorer: Scorer,
  res: AssignmentResult | undefined,
  tally: ReturnType<typeof newTally>,
  ctx: {
    ended: EndedPair[];
    existing: readonly { mentee: string; mentor: string; i: number; j: number }[];
    previous: PreviousMatch;
    moves: (kept: number) => RematchMoves;
    stats: RematchResult["stats"];
    status?: RematchResult["status"];
    bound?: number;
    diagnosis?: MoveBudgetDiagnosis;
  },
): RematchResult {
  const empty = new Int32Array(0);
  const n = cohort.view.mentees.count;
  const engine: AssignmentResult = res ?? {
    status: "time_limit",
    reason: "time",
    bound: Infinity,
    feasible: false,
    pairs: { row: empty, col: empty },
    objective: 0,
    unmatched: {
      row: Int32Array.from({ length: n }, (_, i) => i),
      reason: Array.from({ length: n }, () => "not_reached" as const),
    },
    stats: idleStats({ rows: n, cols: cohort.view.mentors.count }, 0),
  };
  const matched = collect(cohort, scorer, engine, tally);
  const now = new Set(matched.pairs.map((p) => `${p.mentee}\u0000${p.mentor}`));
  const ended = [...ctx.ended];
  let kept = 0;
  for (const e of ctx.existing)
    if (now.has(`${e.mentee}\u0000${e.mentor}`)) kept++;
    else ended.push({ mentee: e.mentee, mentor: e.mentor, reason: "moved" });
  ended.sort(byIds);
  const before = new Set(ctx.previous.pairs.map((p) => `${p.mentee}\u0000${p.mentor}`));
  const hadPair = new Set(ctx.previous.pairs.map((p) => p.mentee));
  const waited = new Set((ctx.previous.unmatched ?? []).map((u) => u.mentee));
  const lost = new Set(ended.map((e) => e.mentee));
  const added: AddedPair[] = matched.pairs
    .filter((p) => !before.has(`${p.mentee}\u0000${p.mentor}`))
    .map((p) => ({
      mentee: p.mentee,
      mentor: p.mentor,
      score: p.score,
      reason: lost.has(p.mentee)
        ? "replacement"
        : hadPair.has(p.mentee)
          ? "additional"
          : waited.has(p.mentee) || ctx.previous.unmatched === undefined
            ? "was_unmatched"
            : "new_mentee",
    }));
  const moves = ctx.moves(kept);
  const objective = matched.pairs.reduce((a, p) => a + p.score, 0);
  const value = objective - moves.cost;
  const base = {
    pairs: matched.pairs,
    objective,
    value,
    unmatched: matched.unmatched,
    mentors: matched.mentors,
    ended,
    added,
    moves,
    stats: ctx.stats,
  };
  if (ctx.status === "infeasible" && ctx.diagnosis)
    return { ...base, status: "infeasible", diagnosis: ctx.diagnosis };
  if (matched.status === "infeasible")
    return { ...base, status: "infeasible", diagnosis: matched.diagnosis };
  if (matched.status === "time_limit" || ctx.status === "time_limit")
    return {
      ...base,
      status: "time_limit",
      reason: matched.status === "time_limit" && matched.reason === "aborted" ? "aborted" : "time",
    };
  const status = ctx.status ?? "optimal";
  // The engine's duals of the answer, by id, as a later re-match's starting point.
  const prices = matched.status === "optimal" ? { certificate: matched.certificate } : {};
  const bound = ctx.bound ?? value;
  return { ...base, ...prices, status, bound, gap: Math.max(0, bound - value) };
}

/** Who leaves the cohort (`withoutPeople`). */
export interface Leavers {
  /** Mentor ids. Default none. */
  readonly mentors?: readonly string[];
  /** Mentee ids. Default none. */
  readonly mentees?: readonly string[];
}

/**
 * The cohort input without the people who leave, and without every reference to them (a
 * mentee's preferred, excluded and past mentors, a mentor's excluded mentees, locked and
 * forbidden pairs), so that it parses as it did: the cohort to `rematch` after people leave.
 * The caller's input is not changed.
 */
export function withoutPeople(input: CohortInput, leave: Leavers): CohortInput {
  const mentors = new Set(leave.mentors ?? []);
  const mentees = new Set(leave.mentees ?? []);
  const keepMentors = (ids: readonly string[] | undefined) =>
    ids === undefined ? undefined : ids.filter((id) => !mentors.has(id));
  const pairs = (list: readonly PairInput[] | undefined) =>
    list?.filter((p) => !mentors.has(p.mentor) && !mentees.has(p.mentee));
  const defined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    ...input,
    mentees: input.mentees
      .filter((e) => !mentees.has(e.id))
      .map((e) =>
        defined({
          ...e,
          preferredMentors: keepMentors(e.preferredMentors),
          excludedMentors: keepMentors(e.excludedMentors),
          pastMentors: keepMentors(e.pastMentors),
        }),
      ),
    mentors: input.mentors
      .filter((r) => !mentors.has(r.id))
      .map((r) =>
        defined({
          ...r,
          excludedMentees:
            r.excludedMentees === undefined
              ? undefined
              : r.excludedMentees.filter((id) => !mentees.has(id)),
        }),
      ),
    ...(input.program
      ? {
          program: defined({
            ...input.program,
            lockedPairs: pairs(input.program.lockedPairs),
            forbiddenPairs: pairs(input.program.forbiddenPairs),
          }),
        }
      : {}),
  };
}

/**
 * Scored pairs taken as the first read of every row would take them: the tally's rule counts,
 * and the largest |fit| (the scale; the pairs' own when they carry it). Undefined when a fit is
 * out of the engine's range: the pairs are then read again by the scorer, whose instance reports
 * the pair by ids. The tally's bits are filled later, for the rows that end unmatched only
 * (`tallyRows`): nothing else reads them.
 */
function takeScored(
  p: ScoredPairs,
  tally: EligibilityTally,
): { pairs: ScoredPairs; scale: number } | undefined {
  const scale = p.scale ?? largest(p.fit);
  if (!(scale <= MAX_SCORE)) return undefined;
  tally.count.set(p.counts);
  return { pairs: p, scale };
}

/** The tally's bits of `rows` from the scored pairs (rows already seen are left as they are). */
function tallyRows(p: ScoredPairs, tally: EligibilityTally, rows: Iterable<number>): void {
  for (const i of rows) {
    if (tally.seen[i] === 1) continue;
    tallyBits(p.col, p.fit, p.start[i + 1] - p.start[i], tally, i, p.start[i]);
  }
}
