/**
 * The cohort's public types, written out field by field so the API says what it takes without
 * a schema library's type machinery (the zod schemas in input.ts are internal; a type test checks
 * that each type here is exactly the schema's input or output, test/schema/types.test.ts). Limits
 * on every value: docs/MODEL.md and `INPUT_LIMITS`.
 */

/** A skill of the program's taxonomy. */
export interface SkillInput {
  id: string;
  label?: string | undefined;
  /** Free-form family / category, e.g. "data". */
  category?: string | undefined;
}

/** The organization's strategic priorities: a weight (≥ 0) per skill id. */
export interface StrategyInput {
  /** Strategic priority weight per skill id (>= 0). Skills not listed have priority 0. */
  priorities: Record<string, number>;
  /** Per-business-unit override: unit → skill id → weight. A mentee's unit selects the row;
   * skills missing from the unit's row fall back to `priorities`. */
  byUnit?: Record<string, Record<string, number>> | undefined;
  /** Free text: the organization's needs this strategy serves (kept for reports). */
  needs?: string[] | undefined;
}

/** What mentees and mentors both have. */
export interface PersonInput {
  id: string;
  department: string;
  /** Business unit; defaults to the department. */
  unit?: string | undefined;
  /** Job level on the organization's ladder (higher = more senior), 0..100. */
  level: number;
  tenureMonths: number;
  /** Hours per month the person can give to the program. Omitted = no stated limit. */
  hoursPerMonth?: number | undefined;
  /** UTC offset in hours, e.g. -5 or 5.5. */
  utcOffset?: number | undefined;
  languages?: string[] | undefined;
  /** Ids of this person's managers, nearest first (their reporting line). */
  managerChain?: string[] | undefined;
  /** Sensitive attributes: attribute name → group label, e.g. `{ "gender": "F" }`. Used only by
   * equity rules and fairness reports, never by the score. */
  sensitive?: Record<string, string> | undefined;
}

export interface MenteeInput extends PersonInput {
  /** Current proficiency per skill; skills not listed are at the bottom of the scale. */
  current: Record<string, number>;
  /** Target proficiency per skill (the learning journey); skills not listed have no gap. */
  targets: Record<string, number>;
  /** Tier ids the mentee asks for; omitted = any tier. */
  tiers?: string[] | undefined;
  /** Career paths / aspirations, matched against mentors' `careerPaths`. */
  aspirations?: string[] | undefined;
  preferredMentors?: string[] | undefined;
  excludedMentors?: string[] | undefined;
  /** Mentor ids from earlier rounds; repeat pairs are ineligible unless the program allows them. */
  pastMentors?: string[] | undefined;
  highPotential?: boolean | undefined;
  /** How many earlier rounds left this mentee unmatched (drives the priority boost term). */
  roundsUnmatched?: number | undefined;
  /** Fewest mentors this mentee gets (default 0). */
  minMentors?: number | undefined;
  /** Most mentors this mentee gets (default 1). */
  maxMentors?: number | undefined;
  /** Consent to analytics (impact reports); false when left out. */
  consent?: { analytics?: boolean | undefined } | undefined;
}

/** A training a mentor completed. */
export interface TrainingInput {
  id: string;
  /** ISO date (YYYY-MM-DD) the training was completed. */
  completedOn?: string | undefined;
}

export interface MentorInput extends PersonInput {
  /** Proficiency per skill. */
  expertise: Record<string, number>;
  /** The tier this mentor serves in (a tier id from the program). */
  tier: string;
  /** Most mentees this mentor takes. */
  capacity: number;
  /** Fewest mentees this mentor must get (default 0). */
  minLoad?: number | undefined;
  training?: TrainingInput[] | undefined;
  careerPaths?: string[] | undefined;
  excludedMentees?: string[] | undefined;
}

/** A mentoring tier (peer, senior, …) and the criteria its mentors must meet. */
export interface TierInput {
  id: string;
  label?: string | undefined;
  /** Allowed mentor.level − mentee.level window (inclusive). */
  levelGap?: { min?: number | undefined; max?: number | undefined } | undefined;
  /** Training ids a mentor of this tier must have completed. */
  trainingRequired?: string[] | undefined;
  /** Training older than this many months does not count (needs `completedOn` and `asOf`). */
  trainingValidMonths?: number | undefined;
  minMentorTenureMonths?: number | undefined;
  /** Hours per month each side must be able to give. */
  minHoursPerMonth?: number | undefined;
}

/** A mentee–mentor pair of `lockedPairs` or `forbiddenPairs`. */
export interface PairInput {
  mentee: string;
  mentor: string;
  /** Why (kept for people; not read by the matcher). */
  reason?: string | undefined;
}

/** The weight of each score term (docs/SCORING.md); each 0..1e6. */
export interface ScoringWeights {
  /** Strategy-weighted gap coverage (the core term). Default 1. */
  gap: number;
  /** The rest default to 0. */
  crossDepartment: number;
  preference: number;
  aspiration: number;
  timezone: number;
  language: number;
  unmatchedBoost: number;
}

/** How pairs are scored (docs/SCORING.md). */
export interface ScoringOptions {
  /** "absolute": weighted gap covered; "normalized": share of the mentee's weighted gap covered.
   * Default "absolute". */
  form: "absolute" | "normalized";
  /** The weight of each term; a term left out of the input weighs its default (gap 1, the rest
   * 0). */
  weights: ScoringWeights;
}

/** Eligibility switches of the program (docs/SCORING.md). */
export interface Rules {
  /** Allow a pair that already worked together in an earlier round. */
  allowRepeatPairs: boolean;
  /** Allow pairs inside one reporting line (mentor in the mentee's manager chain or vice versa). */
  allowSameReportingLine: boolean;
  /** Require at least one shared language (when both sides list languages). */
  requireSharedLanguage: boolean;
  /** Hard limit on the time-zone difference in hours. */
  maxUtcOffsetDiffHours?: number | undefined;
}

/** `minMatchRate`: every group's match rate at least `rate`, or at most `maxBelowOverall` below
 * the overall rate (exactly one of the two, each 0..1). */
export interface MinMatchRateRule {
  kind: "minMatchRate";
  attribute: string;
  rate?: number | undefined;
  maxBelowOverall?: number | undefined;
  penalty?: number | undefined;
}

/** `proportionalTierAccess`: each group gets its share of `tier`'s pairs, less `tolerance` (a
 * fraction, 0..1, default 0). */
export interface ProportionalTierAccessRule {
  kind: "proportionalTierAccess";
  attribute: string;
  tier: string;
  tolerance: number;
  penalty?: number | undefined;
}

/** `maxPerMentorPerGroup`: at most `max` mentees of one group per mentor. */
export interface MaxPerMentorPerGroupRule {
  kind: "maxPerMentorPerGroup";
  attribute: string;
  max: number;
  penalty?: number | undefined;
}

/** `minFit`: no pair below fit `min`; `maxMin` raises the floor as far as it goes without losing
 * a pair. */
export interface MinFitRule {
  kind: "minFit";
  min: number;
  maxMin?: boolean | undefined;
}

/** `reserve`: at least `min` of `group`'s mentees matched (to a mentor of `tier`, when given). */
export interface ReserveRule {
  kind: "reserve";
  attribute: string;
  group: string;
  min: number;
  tier?: string | undefined;
  penalty?: number | undefined;
}

/** `maxMeanFitGap`: groups' mean fits at most `maxGap` apart. */
export interface MaxMeanFitGapRule {
  kind: "maxMeanFitGap";
  attribute: string;
  maxGap: number;
}

/** An equity rule as parsed (docs/FAIRNESS.md says what each means and how `match` keeps it).
 * `attribute` is a sensitive attribute, or "department" / "unit". A `penalty` makes a rule soft:
 * its price in fit per unit it falls short or over; a rule without one is hard. */
export type EquityRule =
  | MinMatchRateRule
  | ProportionalTierAccessRule
  | MaxPerMentorPerGroupRule
  | MinFitRule
  | ReserveRule
  | MaxMeanFitGapRule;

/** An equity rule as written: `proportionalTierAccess`'s `tolerance` may be left out. */
export type EquityRuleInput =
  | MinMatchRateRule
  | {
      kind: "proportionalTierAccess";
      attribute: string;
      tier: string;
      tolerance?: number | undefined;
      penalty?: number | undefined;
    }
  | MaxPerMentorPerGroupRule
  | MinFitRule
  | ReserveRule
  | MaxMeanFitGapRule;

/** The program as written: tiers, scoring, rules, equity, locked and forbidden pairs. */
export interface ProgramInput {
  id?: string | undefined;
  name?: string | undefined;
  /** Proficiency scale shared by all skills (default 0..5). */
  scale?: { min?: number | undefined; max?: number | undefined } | undefined;
  /** ISO date the program runs as of (for training validity). */
  asOf?: string | undefined;
  tiers: TierInput[];
  scoring?:
    | {
        form?: ScoringOptions["form"] | undefined;
        weights?: { [K in keyof ScoringWeights]?: number | undefined } | undefined;
      }
    | undefined;
  rules?:
    | {
        allowRepeatPairs?: boolean | undefined;
        allowSameReportingLine?: boolean | undefined;
        maxUtcOffsetDiffHours?: number | undefined;
        requireSharedLanguage?: boolean | undefined;
      }
    | undefined;
  equity?: EquityRuleInput[] | undefined;
  lockedPairs?: PairInput[] | undefined;
  forbiddenPairs?: PairInput[] | undefined;
  /** Match as many mentees as possible first, then maximize fit (default false). */
  coverageFirst?: boolean | undefined;
  /** Reports suppress groups smaller than this (default 5). */
  minGroupSize?: number | undefined;
}

/** The program as parsed: defaults applied. */
export interface Program {
  id?: string | undefined;
  name?: string | undefined;
  scale: { min: number; max: number };
  asOf?: string | undefined;
  tiers: TierInput[];
  scoring: ScoringOptions;
  rules: Rules;
  equity: EquityRule[];
  lockedPairs: PairInput[];
  forbiddenPairs: PairInput[];
  coverageFirst: boolean;
  minGroupSize: number;
}

/** A whole cohort as `parseCohort` takes it (docs/MODEL.md; `cohortJsonSchema()` as JSON Schema). */
export interface CohortInput {
  skills: SkillInput[];
  strategy: StrategyInput;
  mentees: MenteeInput[];
  mentors: MentorInput[];
  program: ProgramInput;
}
