/**
 * Public types of `match` and `verifyMatch`: plain JSON, people by id.
 */
import type { EquityRule } from "../schema/input.js";
import type { IneligibleReason } from "../score/eligibility.js";
import type { ForcedConflict, SolveOptions, SolveStats } from "../solve/types.js";

export interface MatchOptions extends SolveOptions {
  /** Coverage first: match as many mentees as possible (mentees with at least one mentor; a
   * two-mentor mentee counts once), then the most total fit among those answers. Default
   * `program.coverageFirst` (itself false unless the program sets it). */
  readonly coverageFirst?: boolean;
}

export interface MatchPair {
  readonly mentee: string;
  readonly mentor: string;
  /** The pair's fit (see docs/SCORING.md; `explainPair` takes it apart). */
  readonly score: number;
  /** The program locked this pair. */
  readonly locked: boolean;
}

export type UnmatchedMenteeReason =
  /** Every mentor is ruled out by an eligibility rule (`blockedBy` says which, how often). */
  | "no_eligible_mentor"
  /** Eligible mentors exist, but all are full with pairs worth more to the program. */
  | "mentors_full"
  /** Eligible mentors with room exist, but none covers any of the mentee's weighted gaps
   * (every such pair scores 0 or less), so pairing adds nothing. */
  | "no_fit"
  /** The mentee asked for at most 0 mentors. */
  | "max_mentors_zero"
  /** The solve stopped (time limit or abort) before placing this mentee, though an eligible
   * mentor with room and a positive fit exists. Only in `time_limit` results. */
  | "stopped_early"
  /** An eligible mentor with room and a positive fit exists, but equity rules that cut across
   * mentors (group shares of a tier, per-mentor group caps) chose other pairs. */
  | "equity_rules";

export interface UnmatchedMentee {
  readonly mentee: string;
  readonly reason: UnmatchedMenteeReason;
  /** Mentors this mentee may be paired with. */
  readonly eligibleMentors: number;
  /** For mentors ruled out: the first failing rule and how many mentors it rules out, most first. */
  readonly blockedBy: readonly { readonly rule: IneligibleReason; readonly mentors: number }[];
}

export interface MentorLoad {
  readonly mentor: string;
  readonly load: number;
  readonly capacity: number;
  readonly minLoad: number;
}

/** A change of one equity rule's parameter with which the rules can be kept together. */
export interface EquityRelaxation {
  /** The rule's place in `program.equity`. */
  readonly rule: number;
  readonly attribute: string;
  /** `tolerance` (proportionalTierAccess), `max` (maxPerMentorPerGroup), `min` (reserve),
   * `rate` or `maxBelowOverall` (minMatchRate), and its new value. */
  readonly parameter: "tolerance" | "max" | "min" | "rate" | "maxBelowOverall";
  readonly value: number;
}

/** Which part of the program cannot be met (see `MatchDiagnosis`). */
export type MatchDiagnosisKind =
  /** Mentees cannot get their `minMentors` from the mentors eligible for them. */
  | "mentee_min"
  /** A mentor cannot reach their `minLoad`. */
  | "mentor_min"
  /** The minimums together need more pairs than the other side can take (`bound` says whose). */
  | "total"
  /** A locked pair contradicts the program (`conflict`), or a person has more locked pairs than
   * their maximum. */
  | "locked"
  /** No assignment keeps the equity rules `rules` together with everything else. */
  | "equity";

/**
 * Why a cohort has no assignment, as data: the kind, who is to blame (by id), what is needed and
 * what is possible. `message` is rendered from the other fields alone.
 */
export interface MatchDiagnosis {
  readonly kind: MatchDiagnosisKind;
  /** `locked`: how the locked pair (`mentee`, `mentor`) contradicts the program by itself —
   * locked twice, also forbidden, or not an eligible pair. Absent: `mentee` (or `mentor`) has
   * `needed` locked pairs but may have only `possible`. */
  readonly conflict?: ForcedConflict;
  /** `total`: whose minimums — "minLoad" (the mentors' minimum loads need `needed` pairs, the
   * mentees can take `possible`) or "minMentors" (the other way round). */
  readonly bound?: "minLoad" | "minMentors";
  /** `mentor_min`: true when enough mentees are eligible for the mentor, but the other rules give
   * them elsewhere; false when too few are eligible at all. */
  readonly crowded?: boolean;
  /** `mentee_min`: true when `needed` and `possible` count mentors beyond the locked pairs (a
   * group of mentees competing for the same mentors); false when they are one mentee's own
   * `minMentors` and every mentor it may have, locked ones included. */
  readonly beyondLocked?: boolean;
  /** Who is to blame, when one person or pair is. */
  readonly mentee?: string;
  readonly mentor?: string;
  /** A group of mentees and the only mentors they may have (`mentee_min`; `equity` in the flow). */
  readonly mentees?: readonly string[];
  readonly mentors?: readonly string[];
  /** `equity`: the rules (places in `program.equity`) that prove it, and their kinds. */
  readonly rules?: readonly number[];
  readonly ruleKinds?: readonly EquityRule["kind"][];
  /** `equity`, when the one `maxPerMentorPerGroup` held in the flow is to blame: its `max`. */
  readonly cap?: number;
  /** `equity`: for each of those rules that a change of its own parameter can fix, the smallest
   * such change the search found (one is enough). */
  readonly relaxations?: readonly EquityRelaxation[];
  /** What is needed and what is possible (pairs, mentees or mentors, by kind). For `equity`
   * proven by the search's multipliers: `needed` is how far (in pairs) the closest assignment
   * found is from the rules, `possible` 0. */
  readonly needed: number;
  readonly possible: number;
  /** What cannot be met and what would help, in one sentence, rendered from the fields above. */
  readonly message: string;
}

/**
 * What `match` did with one rule of `program.equity` (docs/FAIRNESS.md). `minFit` is enforced
 * exactly (pairs below it are not allowed), and so is one hard `maxPerMentorPerGroup`, in the
 * flow itself; the other rules that cut across mentors by Lagrangian multipliers on the engine,
 * and `maxMeanFitGap` by local search on its answer (the pairs keep them; the bound and gap are
 * proven). A kind `match` could not keep would say so here
 * (`enforced: false`), so that no rule is dropped without a word.
 */
export interface EquityRuleStatus {
  /** The rule's place in `program.equity`. */
  readonly index: number;
  readonly kind: EquityRule["kind"];
  /** Whether the pairs were chosen under the rule. */
  readonly enforced: boolean;
  /** `minFit` in max-min mode: the floor reached (at least `min`); the pairs are optimal at it. */
  readonly floor?: number;
  /** A soft rule (one with a `penalty`): the units it falls short or over by (pairs or mentees,
   * docs/FAIRNESS.md) and what that costs, penalty × shortfall. */
  readonly shortfall?: number;
  readonly cost?: number;
  /** One sentence for people. */
  readonly message: string;
}

export interface MatchResultBase {
  /** Sorted by mentee id, then mentor id. */
  readonly pairs: readonly MatchPair[];
  /** Total fit of `pairs`. */
  readonly objective: number;
  /** With soft equity rules: what they cost, Σ penalty × units short or over (each rule's
   * `equity` entry gives its own). `match` maximizes objective − penalty, and `bound` and `gap`
   * are on that. Absent when every rule is hard. */
  readonly penalty?: number;
  /** Sorted by mentee id. */
  readonly unmatched: readonly UnmatchedMentee[];
  /** Every mentor, sorted by id. */
  readonly mentors: readonly MentorLoad[];
  /** Every rule of `program.equity`, in order, with what `match` did with it. */
  readonly equity: readonly EquityRuleStatus[];
  readonly stats: SolveStats;
}

/** One multiplier of the equity certificate: a share row, a reserve or a group's match-rate row
 * (rule, group), or a cap cell (rule, group, mentor). */
export interface EquityMultiplier {
  /** The rule's place in `program.equity`. */
  readonly rule: number;
  readonly group: string;
  readonly mentor?: string;
  readonly value: number;
}

/**
 * Dual values proving the bound, indexed like `cohort.index.menteeIds` / `mentorIds`. Under
 * equity rules that cut across mentors (`equity` present) they are the engine's duals for the
 * fits adjusted by the multipliers: the bound is their dual bound plus Σ multiplier × its row's
 * limit — coverage-first, on the augmented problem with the "uncovered" column (its dual
 * `uncoveredDual`; docs/ENGINE.md "Coverage-first"), plus `coveredMultiplier` × (the mentees
 * that can be covered − `minCovered`) — valid for any multipliers ≥ 0, so `verifyMatch` rechecks it from the
 * cohort alone (docs/FAIRNESS.md).
 */
export interface MatchCertificate {
  readonly menteeDual: readonly number[];
  readonly mentorDual: readonly number[];
  readonly equity?: {
    readonly multipliers: readonly EquityMultiplier[];
    /** Coverage-first: the multiplier of "at least `minCovered` mentees covered" (each with at
     * least one mentor), which every pair of the uncovered column pays; 0 and 0 otherwise. The
     * search holds the count in the flow, so the multiplier it returns is 0; `verifyMatch` takes
     * any value ≥ 0 (the bound is valid for every one). */
    readonly coveredMultiplier: number;
    readonly minCovered: number;
    /** Engine solves the search took. */
    readonly solves: number;
    /** Coverage-first: the most mentees covered (with at least one mentor) found that keep the
     * rules, and the bound on any such count from these multipliers and duals on the augmented
     * problem with every pair scoring fit × `fitWeight` and each mentee left uncovered −1, plus
     * the mentees that can be covered (all fits together add less than 1; `proven`: the bound
     * is below count + 1, so no assignment keeping the rules covers more mentees). */
    readonly coverage?: {
      readonly count: number;
      readonly proven: boolean;
      readonly fitWeight: number;
      readonly multipliers: readonly EquityMultiplier[];
      readonly menteeDual: readonly number[];
      readonly mentorDual: readonly number[];
      readonly uncoveredDual: number;
    };
  };
  /** Coverage-first: the dual of the "uncovered" column of the main proof (docs/ENGINE.md
   * "Coverage-first"; under equity rules, of the proof above). Without equity rules that cut
   * across mentors, `coverage` is the proof that `count` mentees (each with at least one mentor)
   * are the most any answer covers — the engine's certificate (`Certificate`). */
  readonly uncoveredDual?: number;
  readonly coverage?: {
    readonly count: number;
    readonly menteeDual: readonly number[];
    readonly mentorDual: readonly number[];
    readonly uncoveredDual: number;
  };
}

export type MatchResult =
  | (MatchResultBase & {
      readonly status: "optimal";
      /** Upper bound on any feasible total; equals `objective` up to rounding. */
      readonly bound: number;
      readonly certificate: MatchCertificate;
    })
  | (MatchResultBase & {
      /** Pairs that keep every rule, with a proven bound that the search could not close:
       * `gap` = bound − objective (under equity rules only). */
      readonly status: "feasible";
      readonly bound: number;
      readonly gap: number;
      readonly certificate: MatchCertificate;
    })
  | (MatchResultBase & {
      readonly status: "time_limit";
      /** "rules": the equity search ended without pairs that keep every rule, and without proof
       * that none exist (the pairs given break a rule). */
      readonly reason: "time" | "aborted" | "rules";
      readonly bound: number;
      /** The pairs so far meet every minimum (they always meet every maximum) and every
       * enforced equity rule. */
      readonly feasible: boolean;
    })
  | (MatchResultBase & { readonly status: "infeasible"; readonly diagnosis: MatchDiagnosis });
