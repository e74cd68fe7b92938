/**
 * Public types of `match` and `verifyMatch`: plain JSON, people by id.
 */
import type { EquityRule } from "../schema/input.js";
import type { IneligibleReason } from "../score/eligibility.js";
import type { SolveOptions, SolveStats } from "../solve/types.js";

export interface MatchOptions extends SolveOptions {
  /** Overrides `program.coverageFirst`: match as many mentees as possible, then maximize fit. */
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
  | "stopped_early";

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

export interface MatchDiagnosis {
  readonly kind: "mentee_min" | "mentor_min" | "total" | "locked";
  /** Who is to blame, when one person or pair is. */
  readonly mentee?: string;
  readonly mentor?: string;
  /** A group of mentees competing for the same few mentors (`mentee_min`). */
  readonly mentees?: readonly string[];
  readonly mentors?: readonly string[];
  readonly needed: number;
  readonly possible: number;
  /** What cannot be met and what would help, in one sentence. */
  readonly message: string;
}

/**
 * What `match` did with one rule of `program.equity`. `minFit` is enforced exactly: a pair below
 * it is not allowed (reason `min_fit`), so the certificate covers it. The other kinds are not
 * enforced yet: each is listed with `enforced: false`, so that no rule is dropped without a word
 * (the pairs are the same as without it; README, "Later").
 */
export interface EquityRuleStatus {
  /** The rule's place in `program.equity`. */
  readonly index: number;
  readonly kind: EquityRule["kind"];
  /** Whether the pairs were chosen under the rule. */
  readonly enforced: boolean;
  /** One sentence for people. */
  readonly message: string;
}

interface MatchBase {
  /** Sorted by mentee id, then mentor id. */
  readonly pairs: readonly MatchPair[];
  /** Total fit of `pairs`. */
  readonly objective: number;
  /** Sorted by mentee id. */
  readonly unmatched: readonly UnmatchedMentee[];
  /** Every mentor, sorted by id. */
  readonly mentors: readonly MentorLoad[];
  /** Every rule of `program.equity`, in order, with what `match` did with it. */
  readonly equity: readonly EquityRuleStatus[];
  readonly stats: SolveStats;
}

/** Dual values proving optimality, indexed like `cohort.index.menteeIds` / `mentorIds`. */
export interface MatchCertificate {
  readonly menteeDual: readonly number[];
  readonly mentorDual: readonly number[];
  readonly countDual?: number;
  readonly coverage?: {
    readonly count: number;
    readonly menteeDual: readonly number[];
    readonly mentorDual: readonly number[];
  };
}

export type MatchResult =
  | (MatchBase & {
      readonly status: "optimal";
      /** Upper bound on any feasible total; equals `objective` up to rounding. */
      readonly bound: number;
      readonly certificate: MatchCertificate;
    })
  | (MatchBase & {
      readonly status: "time_limit";
      readonly reason: "time" | "aborted";
      readonly bound: number;
      /** The pairs so far meet every minimum (they always meet every maximum). */
      readonly feasible: boolean;
    })
  | (MatchBase & { readonly status: "infeasible"; readonly diagnosis: MatchDiagnosis });
