/**
 * Public types of `auditFairness`: plain JSON, groups by label, no person named.
 */
import type { EquityRule } from "../schema/input.js";
import type { MatchOptions } from "../match/types.js";

export interface AuditOptions extends MatchOptions {
  /** Price each enforced rule by re-solving without it (and without every rule). Default true. */
  readonly price?: boolean;
}

/** One rule of `program.equity`, checked on the result (everyone counted; docs/FAIRNESS.md). */
export interface RuleAudit {
  /** The rule's place in `program.equity`. */
  readonly index: number;
  readonly kind: EquityRule["kind"];
  /** Whether `match` chose the pairs under this rule (the result's `equity` entry). */
  readonly enforced: boolean;
  /** Whether the result keeps the rule, recounted from the pairs. */
  readonly held: boolean;
  /** The rule's threshold and the result's worst value of its measure, in the rule's unit:
   * minFit a fit; maxPerMentorPerGroup mentees of one group per mentor; proportionalTierAccess
   * pairs (the smallest margin of a group over the pairs it is owed, required 0); maxMeanFitGap
   * a fit gap; reserve mentees; minMatchRate a rate (relative to the overall rate: required
   * `maxBelowOverall`, achieved the overall rate minus the lowest group's).
   * `achieved` is null when nothing could be measured (no pairs, no group large enough). */
  readonly required: number;
  readonly achieved: number | null;
  /** Groups short of their share, or (mentor, group) cells / pairs beyond the limit. */
  readonly violations: number;
  /** Labels of the groups the rule fails for (only groups of at least `minGroupSize`). */
  readonly groups: readonly string[];
  /** Total fit given up for this rule: the total of the same problem solved without it minus
   * this result's total. Null when not priced (not enforced, `price: false`, or a result or
   * re-solve without proven pairs). */
  readonly price: number | null;
  /** `price` as a share of the total without the rule (Bertsimas, Farias, Trichakis 2011). */
  readonly priceShare: number | null;
  /** Where the true price (optimum without the rule − optimum with it) lies, from both answers'
   * totals and proven bounds: [total without − bound with, bound without − total with]. A
   * single point when both solves are optimal. Coverage-first: null when the two answers cover
   * different numbers of mentees (the price is then first in mentees covered, before fit). */
  readonly priceRange: readonly [number, number] | null;
  /** Mentees matched (with at least one mentor) given up for the rule: the same comparison, in
   * mentees. What a coverage-first program pays first, before fit (its fit price may then be
   * negative: fewer mentees covered, better pairs). */
  readonly priceMentees: number | null;
  /** Pairs given up for the rule (the same comparison, in pairs; differs from `priceMentees`
   * only where mentees may have two mentors or more). */
  readonly pricePairs: number | null;
  /** One sentence for people. */
  readonly message: string;
}

/** Outcomes of one group (or of all counted mentees), counting consenting mentees only. */
export interface GroupStats {
  /** The label; null for mentees who do not state the attribute. */
  readonly group: string | null;
  readonly mentees: number;
  /** Mentees with at least one mentor, and that as a share of `mentees`. */
  readonly matched: number;
  readonly matchRate: number;
  readonly pairs: number;
  /** Pairs per tier id (every tier listed). */
  readonly tierPairs: Readonly<Record<string, number>>;
  /** Mean and lowest fit of the group's pairs (null without pairs). */
  readonly meanFit: number | null;
  readonly minFit: number | null;
  /** Share of the group's strategy-weighted skill gap that its mentors cover (per skill, the
   * best-covering mentor counts); null when the group has no weighted gap. */
  readonly gapCovered: number | null;
}

export interface AttributeAudit {
  readonly attribute: string;
  /** Groups shown, by label (not stated last). */
  readonly groups: readonly GroupStats[];
  /** Groups not shown, and their mentees together: every group below `minGroupSize`, plus the
   * smallest others when needed so that the hidden mentees together are at least
   * `minGroupSize` (or none) — in all, and inside any shown group of another attribute that is
   * a union of this one's groups — so no group can be recovered by subtraction. */
  readonly suppressed: { readonly groups: number; readonly mentees: number };
}

export interface FairnessAudit {
  readonly minGroupSize: number;
  readonly rules: readonly RuleAudit[];
  /** Total fit given up for all enforced rules together (null when not priced), as for a rule. */
  readonly price: number | null;
  readonly priceShare: number | null;
  readonly priceRange: readonly [number, number] | null;
  readonly priceMentees: number | null;
  readonly pricePairs: number | null;
  /** Every counted mentee together (null when fewer than `minGroupSize`). */
  readonly all: GroupStats | null;
  /** Every sensitive attribute, plus `department` / `unit` when a rule names them. */
  readonly attributes: readonly AttributeAudit[];
  /** Mentees counted in the statistics (analytics consent given) and left out (not given).
   * Rules count everyone. */
  readonly consent: { readonly counted: number; readonly excluded: number };
}
