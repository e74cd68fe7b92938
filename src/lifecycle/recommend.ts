/**
 * `recommend(cohort, options)`: the best k mentors for each mentee to choose from (programs where
 * mentees pick their mentor), under an exposure cap per mentor, solved exactly on the engine of
 * `match` (docs/LIFECYCLE.md, "Recommendations").
 *
 * Suggestions are an assignment problem: mentees are rows that take at most k mentors, mentors
 * are columns shown to at most `cap(mentor)` mentees, and the total fit of all suggestions is
 * maximized over the eligible pairs. The cap is what keeps a popular mentor from heading every
 * list: it is part of the optimization, never a cut of finished lists, so a mentee whose first
 * choices are taken gets the next best mentors that still have exposure left.
 */
import { checkCohortArg } from "../cohort/arg.js";
import type { Cohort } from "../cohort/types.js";
import { cohortInstance, newTally, tallyBits, type EligibilityTally } from "../match/match.js";
import { gather } from "../solve/instance.js";
import type { FitPart } from "../report/summary.js";
import { countReasons, REASONS, type IneligibleReason } from "../score/eligibility.js";
import { createScorer, type Scorer } from "../score/scorer.js";
import { checkSolveOptions } from "../solve/args.js";
import { solveInstance } from "../solve/solve.js";
import type { SolveOptions, SolveStats } from "../solve/types.js";

/** Options of `recommend`; the engine's `SolveOptions` apply too (a time limit covers the whole
 * call). */
export interface RecommendOptions extends SolveOptions {
  /** Most suggestions per mentee (a whole number ≥ 1). Default 5. */
  readonly k?: number;
  /**
   * How many mentees each mentor may be suggested to, as a multiple of their free places: mentor
   * j's cap is ⌈exposure × free_j⌉, at least 1 when free_j ≥ 1 and 0 when free_j is 0, where
   * free_j is the capacity less the mentor's locked pairs. A number > 0. Default: `k` (each free
   * place is shown to as many mentees as each mentee sees mentors).
   */
  readonly exposure?: number;
}

/** One suggested mentor. */
export interface Suggestion {
  /** The suggested mentor's id. */
  readonly mentor: string;
  /** 1 for the mentee's best suggestion: by fit, highest first, ties by mentor id. */
  readonly rank: number;
  /** The pair's fit (docs/SCORING.md), always > 0. */
  readonly fit: number;
  /** The mentor's tier. */
  readonly tier: string;
  /**
   * The scorer's explanation of the pair: every non-zero part of its fit (a skill's share of the
   * gap term, `skill:<id>`, or another term by name), largest first, ties by name; the parts add
   * up to `fit`. `explainPair` gives the whole breakdown.
   */
  readonly breakdown: readonly FitPart[];
}

/** A mentee's suggestions, best first (`rank` 1, 2, …). */
export interface MenteeRecommendations {
  /** The mentee's id. */
  readonly mentee: string;
  /** At most k, by rank (empty for a mentee in `short` with 0 suggestions). */
  readonly suggestions: readonly Suggestion[];
}

/** Why a mentee has fewer than k suggestions. */
export type ShortReason =
  /** The mentee has a locked pair: already placed, they get no suggestions. */
  | "locked"
  /** The mentee asked for at most 0 mentors. */
  | "max_mentors_zero"
  /** Every mentor is ruled out by an eligibility rule (`blockedBy` says which, how often). */
  | "no_eligible_mentor"
  /** Eligible mentors exist, but none has a fit above 0 (a suggestion adds nothing). */
  | "no_fit"
  /** Every eligible mentor with a fit above 0 is suggested: there are fewer than k. */
  | "few_eligible"
  /** Eligible mentors with a fit above 0 are left out: each is shown to as many mentees as their
   * cap allows, to mentees who gain more from them. */
  | "caps_exhausted"
  /** `time_limit` only: the solve stopped while an eligible mentor with a fit above 0 and
   * exposure left could still have been suggested. */
  | "stopped_early";

/** A mentee with fewer than k suggestions, and why. */
export interface ShortMentee {
  /** The mentee's id. */
  readonly mentee: string;
  /** Why the list is short (the first that applies, in `ShortReason`'s order). */
  readonly reason: ShortReason;
  /** How many suggestions the mentee has. */
  readonly suggestions: number;
  /** Mentors eligible for this mentee (whatever their fit). */
  readonly eligibleMentors: number;
  /** Eligible mentors with a fit above 0: those that could be suggested. */
  readonly positiveMentors: number;
  /** For mentors ruled out: the first failing rule and how many mentors it rules out, most
   * first. */
  readonly blockedBy: readonly { readonly rule: IneligibleReason; readonly mentors: number }[];
}

/** How often a mentor is suggested, against their cap. */
export interface MentorExposure {
  /** The mentor's id. */
  readonly mentor: string;
  /** Mentees this mentor is suggested to. */
  readonly exposure: number;
  /** The most mentees they may be suggested to (`RecommendOptions.exposure`). */
  readonly cap: number;
  /** The mentor's capacity (places), locked ones included. */
  readonly capacity: number;
  /** The mentor's locked pairs (places already taken). */
  readonly locked: number;
}

/** What every `recommend` result has. */
export interface RecommendResultBase {
  /** Most suggestions per mentee, as used. */
  readonly k: number;
  /** The exposure multiple, as used (`RecommendOptions.exposure`). */
  readonly exposure: number;
  /** Total fit of all suggestions. */
  readonly objective: number;
  /** Every mentee, by id, with their suggestions (an empty list for some). */
  readonly mentees: readonly MenteeRecommendations[];
  /** Mentees with fewer than k suggestions, by id, with the reason. */
  readonly short: readonly ShortMentee[];
  /** Every mentor, by id: exposure and cap. */
  readonly mentors: readonly MentorExposure[];
  /** The engine's stats (its `timeMs` is the solve's). */
  readonly stats: SolveStats;
  /** The whole call, in milliseconds: the solve, the breakdowns and the reasons. */
  readonly timeMs: number;
}

/** Suggestions proven the best: no choice of at most k mentors per mentee within the caps has
 * a larger total fit than `bound` (= `objective` within the engine's tolerance, docs/ENGINE.md),
 * by the duals in `certificate` (the engine's certificate of the assignment problem above). */
export interface RecommendOptimal extends RecommendResultBase {
  readonly status: "optimal";
  /** The proven bound on every total within the caps: `objective`, within the tolerance. */
  readonly bound: number;
  /** The engine's dual certificate, by mentee and by mentor index (id order). */
  readonly certificate: {
    readonly menteeDual: readonly number[];
    readonly mentorDual: readonly number[];
  };
}

/** The solve stopped (time limit or abort): the suggestions found so far, within every cap, and
 * a valid bound on the best total (Infinity when none was proven yet). */
export interface RecommendStopped extends RecommendResultBase {
  readonly status: "time_limit";
  /** "time" (the time limit) or "aborted" (the signal). */
  readonly reason: "time" | "aborted";
  /** A valid bound on the best total (Infinity when none was proven yet). */
  readonly bound: number;
}

/** `recommend`'s answer: plain JSON. */
export type RecommendResult = RecommendOptimal | RecommendStopped;

/** The default number of suggestions per mentee. */
const DEFAULT_K = 5;

/** `recommend`'s options, checked (an `InputError` naming each bad one, and unknown ones). */
export function checkRecommendOptions(options: unknown): RecommendOptions {
  return checkSolveOptions(options, {
    k: (v) => (Number.isSafeInteger(v) && (v as number) >= 1 ? undefined : "a whole number >= 1"),
    exposure: (v) =>
      typeof v === "number" && Number.isFinite(v) && v > 0 ? undefined : "a finite number > 0",
  }) as RecommendOptions;
}

/** Mentor caps: ⌈exposure × free⌉ (at least 1) for a mentor with free places, else 0. The
 * product is rounded to 9 decimals first, so 1.1 × 10 is 11, not 12. */
export function exposureCaps(free: ArrayLike<number>, exposure: number): Float64Array {
  return Float64Array.from(free, (f) =>
    f <= 0 ? 0 : Math.max(1, Math.ceil(Math.round(exposure * f * 1e9) / 1e9)),
  );
}

/**
 * The best `k` mentors for each mentee (default 5), capacity-aware: maximizes the total fit of
 * all suggestions such that each mentee gets at most k, each mentor is suggested to at most
 * their cap (`RecommendOptions.exposure`), and only eligible pairs with a fit above 0 are
 * suggested (the cohort's eligibility rules, forbidden pairs and `minFit` floor, as in `match`).
 * A mentee with a locked pair is already placed and gets none; locked pairs take their mentors'
 * places. Solved exactly by the engine, with its certificate; deterministic: the same cohort gives
 * the same suggestions whatever the order of its input. Equity rules other than `minFit` and
 * `coverageFirst` are `match`'s and play no part here.
 */
export function recommend(cohort: Cohort, options: RecommendOptions = {}): RecommendResult {
  const t0 = performance.now();
  checkCohortArg(cohort);
  const checked = checkRecommendOptions(options);
  const k = checked.k ?? DEFAULT_K;
  const exposure = checked.exposure ?? k;
  const { view, index } = cohort;
  const n = view.mentees.count;
  const m = view.mentors.count;

  // Locked pairs: their mentees are placed (no suggestions), their mentors' places taken.
  const lockedRow = new Uint8Array(n);
  const lockedCol = new Int32Array(m);
  for (const p of view.locked) {
    lockedRow[p.mentee] = 1;
    lockedCol[p.mentor]++;
  }
  const free = Int32Array.from(view.mentors.capacity, (c, j) => Math.max(0, c - lockedCol[j]));
  const caps = exposureCaps(free, exposure);
  const rowMax = Float64Array.from({ length: n }, (_, i) =>
    lockedRow[i] === 1 || view.mentees.maxMentors[i] === 0 ? 0 : k,
  );

  const scorer = createScorer(view);
  // The instance without forced pairs (a locked mentee's row takes none).
  const unlocked: Cohort = { ...cohort, view: { ...view, locked: [] } };
  // What each row's first read learns (rules that block, eligible and positive-fit mentors), so
  // that the short lists' reasons need no second scoring pass.
  const tally = newTally(n, m);
  const inst = cohortInstance(unlocked, scorer, false, tally, undefined, {
    rowMin: new Int32Array(n),
    rowMax,
    colMin: new Int32Array(m),
    colMax: caps,
  });
  const { timeLimitMs, signal, onProgress, candidatesPerRow } = checked;
  const solveOptions: SolveOptions = { timeLimitMs, signal, onProgress, candidatesPerRow };
  const res = solveInstance(inst, solveOptions, { ownReasons: true });
  if (res.status === "infeasible")
    // No minimum and no forced pair: every problem of this shape has an answer (no suggestion).
    throw new Error(`recommend: the engine found no answer (${res.diagnosis.message})`);

  // Suggestions: the answer's pairs with a fit above 0 (a pair at 0 adds nothing to the total,
  // so leaving it out keeps the answer optimal and the certificate valid).
  const byMentee: number[][] = Array.from({ length: n }, () => []);
  const shown = new Int32Array(m);
  let objective = 0;
  const { row, col } = res.pairs;
  for (let t = 0; t < row.length; t++) {
    const fit = scorer.score(row[t], col[t]);
    if (!(fit > 0)) continue;
    byMentee[row[t]].push(col[t]);
    shown[col[t]]++;
    objective += fit;
  }

  const { menteeIds, mentorIds, skillIds, tierIds } = index;
  const breakdown = (i: number, j: number): FitPart[] => {
    const b = scorer.explain(i, j);
    const parts: FitPart[] = [];
    for (const s of b.skills)
      if (s.contribution !== 0)
        parts.push({ part: `skill:${skillIds[s.skill]}`, value: s.contribution });
    for (const [term, value] of Object.entries(b.terms))
      if (term !== "gap" && value !== 0) parts.push({ part: term, value });
    return parts.sort(
      (a, c) => c.value - a.value || (a.part < c.part ? -1 : a.part > c.part ? 1 : 0),
    );
  };
  const mentees: MenteeRecommendations[] = byMentee.map((js, i) => {
    const scored = js.map((j) => ({ j, fit: scorer.score(i, j) }));
    // Mentor ids sort like their indices (the index is in id order); by id all the same.
    scored.sort((a, b) => b.fit - a.fit || (mentorIds[a.j] < mentorIds[b.j] ? -1 : 1));
    return {
      mentee: menteeIds[i],
      suggestions: scored.map(({ j, fit }, r) => ({
        mentor: mentorIds[j],
        rank: r + 1,
        fit,
        tier: tierIds[view.mentors.tier[j]],
        breakdown: breakdown(i, j),
      })),
    };
  });

  const stopped = res.status === "time_limit";
  const short = shortMentees(cohort, scorer, tally, byMentee, k, lockedRow, shown, caps, stopped);
  const mentors: MentorExposure[] = mentorIds.map((id, j) => ({
    mentor: id,
    exposure: shown[j],
    cap: caps[j],
    capacity: view.mentors.capacity[j],
    locked: lockedCol[j],
  }));
  const timeMs = performance.now() - t0;
  const base = { k, exposure, objective, mentees, short, mentors, stats: res.stats, timeMs };
  if (res.status === "optimal")
    return {
      ...base,
      status: "optimal",
      bound: res.bound,
      certificate: {
        menteeDual: Array.from(res.certificate.rowDual),
        mentorDual: Array.from(res.certificate.colDual),
      },
    };
  return { ...base, status: "time_limit", reason: res.reason, bound: res.bound };
}

/** The mentees with fewer than k suggestions, with their reasons, from each row's tally (a row
 * the solve never read, after a stop, is scored here). */
function shortMentees(
  cohort: Cohort,
  scorer: Scorer,
  tally: EligibilityTally,
  byMentee: readonly (readonly number[])[],
  k: number,
  lockedRow: Uint8Array,
  shown: Int32Array,
  caps: Float64Array,
  stopped: boolean,
): ShortMentee[] {
  const { view, index } = cohort;
  const m = view.mentors.count;
  const codes = REASONS.length;
  const { words } = tally;
  // Mentors with exposure to spare, as a bit set like the tally's rows.
  const room = new Uint32Array(words);
  for (let j = 0; j < m; j++) if (shown[j] < caps[j]) room[j >>> 5] |= 1 << (j & 31);
  const mineBits = new Uint32Array(words);
  const out: ShortMentee[] = [];
  for (let i = 0; i < byMentee.length; i++) {
    const mine = byMentee[i];
    if (mine.length >= k) continue;
    if (tally.seen[i] === 0) {
      const fit = new Float64Array(m);
      const reason = new Uint8Array(m);
      const elig = new Int32Array(m);
      const e = scorer.scoreRow(i, fit, reason, elig);
      tallyBits(elig, gather<Float64Array>(fit, elig.subarray(0, e)), e, tally, i);
      countReasons(reason, m, tally.count, i * codes);
    }
    const counts = tally.count.subarray(i * codes, (i + 1) * codes);
    const positiveBits = tally.positive.subarray(i * words, (i + 1) * words);
    for (const j of mine) mineBits[j >>> 5] |= 1 << (j & 31);
    let positive = 0;
    let leftOut = 0;
    let withRoom = 0;
    for (let w = 0; w < words; w++) {
      const p = positiveBits[w];
      if (p === 0) continue;
      const left = p & ~mineBits[w];
      positive += popcount(p);
      leftOut += popcount(left);
      withRoom += popcount(left & room[w]);
    }
    for (const j of mine) mineBits[j >>> 5] = 0;
    const e = counts[0];
    const blockedBy: { rule: IneligibleReason; mentors: number }[] = [];
    for (let r = 1; r < codes; r++)
      if (counts[r] > 0) blockedBy.push({ rule: REASONS[r]!, mentors: counts[r] });
    blockedBy.sort((a, b) => b.mentors - a.mentors || (a.rule < b.rule ? -1 : 1));
    let why: ShortReason;
    if (lockedRow[i] === 1) why = "locked";
    else if (view.mentees.maxMentors[i] === 0) why = "max_mentors_zero";
    else if (e === 0) why = "no_eligible_mentor";
    else if (positive === 0) why = "no_fit";
    else if (leftOut === 0) why = "few_eligible";
    // At an optimum a left-out mentor with exposure to spare would have been suggested.
    else if (stopped && withRoom > 0) why = "stopped_early";
    else why = "caps_exhausted";
    out.push({
      mentee: index.menteeIds[i],
      reason: why,
      suggestions: mine.length,
      eligibleMentors: e,
      positiveMentors: positive,
      blockedBy,
    });
  }
  return out;
}

/** Set bits of a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
