/**
 * The indexed, immutable cohort that `parseCohort` returns.
 *
 * Everything after validation works on dense integer indices and typed arrays: mentee `i` in
 * `[0, n)`, mentor `j` in `[0, m)`, skill `k` in `[0, S)`. String ids live only in `CohortIndex`
 * (the one key ↔ index boundary) and come back in results through it.
 *
 * Variable-length lists (languages, manager chains, preferred mentors …) are stored in CSR form:
 * the items of row `r` are `items[offsets[r] .. offsets[r + 1])`, each list sorted ascending and
 * free of duplicates.
 *
 * Sensitive attributes are NOT here: they live in `SensitiveTable`, which `Cohort` carries beside
 * the `ScoringView`. The scorer's signature takes a `ScoringView`, which has no field for them.
 *
 * A parsed `Cohort` is frozen (`Object.freeze`, all the way down). Typed arrays cannot be frozen
 * and a frozen `Map` still accepts `set`: treat both as read-only; their types say so.
 */
import type { EquityRule, Program, Rules, ScoringOptions } from "../schema/input.js";

/** A list per row in compressed-sparse-row form. */
export interface CsrLists {
  /** Length rows + 1. */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

/** Columns shared by mentees and mentors. Codes index into `CohortIndex` tables. */
export interface PersonColumns {
  readonly count: number;
  /** Code in `CohortIndex.persons`: equal codes = the same person (never paired with themself). */
  readonly person: Int32Array;
  /** Code in `CohortIndex.departments`. */
  readonly department: Int32Array;
  /** Code in `CohortIndex.units` (defaults to the department's name as a unit). */
  readonly unit: Int32Array;
  readonly level: Int32Array;
  readonly tenureMonths: Float64Array;
  /** NaN when not stated (no limit). */
  readonly hoursPerMonth: Float64Array;
  /** NaN when not stated. */
  readonly utcOffset: Float64Array;
  /** Language codes (`CohortIndex.languages`). */
  readonly languages: CsrLists;
  /** Person codes of the manager chain (sorted like every CSR row, so not nearest-first). */
  readonly managerChain: CsrLists;
}

export interface MenteeTable extends PersonColumns {
  /** Row-major n × S: current proficiency (missing skills = scale.min). */
  readonly current: Float64Array;
  /** Row-major n × S: target proficiency (missing skills = current, i.e. no gap). */
  readonly target: Float64Array;
  /** Tier codes wanted; an empty list means any tier. */
  readonly tiersWanted: CsrLists;
  /** Aspiration codes (`CohortIndex.careerPaths`). */
  readonly aspirations: CsrLists;
  /** Mentor indices. */
  readonly preferredMentors: CsrLists;
  readonly excludedMentors: CsrLists;
  readonly pastMentors: CsrLists;
  readonly highPotential: Uint8Array;
  readonly roundsUnmatched: Int32Array;
  readonly minMentors: Int32Array;
  readonly maxMentors: Int32Array;
  readonly consentAnalytics: Uint8Array;
}

export interface MentorTable extends PersonColumns {
  /** Row-major m × S: expertise (missing skills = scale.min). */
  readonly expertise: Float64Array;
  /** Tier code (`CohortIndex.tiers`). */
  readonly tier: Int32Array;
  readonly capacity: Int32Array;
  readonly minLoad: Int32Array;
  /** Training codes (`CohortIndex.trainings`) that count as completed as of `program.asOf`: not
   * completed after `asOf`, and, when the mentor's tier sets `trainingValidMonths`, dated and
   * completed at most that many calendar months before `asOf`. */
  readonly training: CsrLists;
  /** Career path codes (`CohortIndex.careerPaths`). */
  readonly careerPaths: CsrLists;
  /** Mentee indices. */
  readonly excludedMentees: CsrLists;
}

/** Strategic priority per skill, resolved per business unit. */
export interface PriorityTable {
  /** Row-major (units × S): priority of skill k for a mentee in unit u. */
  readonly byUnit: Float64Array;
  /** Length S: the organization-wide priorities. */
  readonly global: Float64Array;
}

/** A tier with its criteria resolved to codes. */
export interface TierRule {
  readonly code: number;
  readonly id: string;
  readonly levelGapMin: number; // -Infinity when open
  readonly levelGapMax: number; // +Infinity when open
  /** Training codes required. */
  readonly trainingRequired: Int32Array;
  readonly minMentorTenureMonths: number; // 0 when not set
  readonly minHoursPerMonth: number; // 0 when not set
}

/** A pair by indices. */
export interface IndexPair {
  readonly mentee: number;
  readonly mentor: number;
}

/** Everything the scorer and eligibility checks may read. Sensitive attributes are absent by
 * construction: do not add them here. */
export interface ScoringView {
  readonly nSkills: number;
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly mentees: MenteeTable;
  readonly mentors: MentorTable;
  readonly priorities: PriorityTable;
  readonly tiers: readonly TierRule[];
  readonly scoring: ScoringOptions;
  readonly rules: Rules;
  /** The largest \`min\` of the program's \`minFit\` equity rules, 0 when there is none (fits are
   * never negative, so 0 rules out nothing). A pair whose fit is below it is not allowed
   * (reason \`min_fit\`). The only equity rule the scorer reads: it concerns fit, not groups. */
  readonly minFit: number;
  /** Forbidden pairs, sorted by (mentee, mentor). */
  readonly forbidden: readonly IndexPair[];
  /** Locked pairs, sorted by (mentee, mentor). */
  readonly locked: readonly IndexPair[];
}

/** Group memberships per sensitive attribute. Used by equity rules and reports only. */
export interface SensitiveTable {
  /** Attribute names, sorted. */
  readonly attributes: readonly string[];
  /** Per attribute (same order): group labels (sorted) and a code per person row; -1 = not stated.
   * An attribute's `groups` list is shared by both sides, so mentee and mentor codes compare. */
  readonly mentees: readonly { readonly groups: readonly string[]; readonly code: Int32Array }[];
  readonly mentors: readonly { readonly groups: readonly string[]; readonly code: Int32Array }[];
}

/** The one key ↔ index boundary. Every table is sorted (JS string order) and mentees / mentors
 * are indexed in id order, so indices and codes never depend on input order. */
export interface CohortIndex {
  readonly menteeIds: readonly string[];
  readonly mentorIds: readonly string[];
  readonly skillIds: readonly string[];
  readonly tierIds: readonly string[];
  readonly persons: readonly string[];
  readonly departments: readonly string[];
  readonly units: readonly string[];
  readonly languages: readonly string[];
  readonly trainings: readonly string[];
  readonly careerPaths: readonly string[];
  readonly menteeById: ReadonlyMap<string, number>;
  readonly mentorById: ReadonlyMap<string, number>;
  readonly skillById: ReadonlyMap<string, number>;
  readonly tierById: ReadonlyMap<string, number>;
}

/**
 * A parsed cohort (`parseCohort`, `loadCohort`): what `match`, `verifyMatch`, `explainPair`,
 * `auditFairness` and `mentorflow/scoring` take. Read its ids from `index`; the tables the scorer
 * and the equity rules read are internal (docs/MODEL.md describes them).
 */
export interface Cohort {
  /** What the scorer reads.
   * @internal */
  readonly view: ScoringView;
  /** Group memberships: equity rules and reports only.
   * @internal */
  readonly sensitive: SensitiveTable;
  /** Ids by place, and places by id: mentee i is `index.menteeIds[i]`. */
  readonly index: CohortIndex;
  /** Program settings with defaults applied (the parsed, frozen program; lists in input order). */
  readonly program: Program;
  /** `program.equity`, as parsed. */
  readonly equity: readonly EquityRule[];
}
