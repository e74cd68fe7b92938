/**
 * The optional score terms. Each is a pure function with a value in [0, 1] (the unmatched boost
 * is a count, >= 0); the score adds `weight × value` for each, with the weights from
 * `program.scoring.weights` (all 0 by default, so the score is the gap term alone unless a
 * program asks for more).
 *
 * Every term comes in two forms: a scalar kernel (what the scorer's hot loop inlines) and a
 * `(view, i, j)` form that reads a pair from the `ScoringView` (what `explain` and the tests use).
 * The view has no sensitive attributes, so no term can read one.
 */
import type { ScoringView } from "../cohort/types.js";
import { csrHas, csrIntersects, utcOffsetDistance } from "./eligibility.js";

/** A score term besides the gap term (docs/SCORING.md). */
export type OptionalTerm =
  "crossDepartment" | "preference" | "aspiration" | "timezone" | "language" | "unmatchedBoost";

/** The optional terms by name, in the order they are summed after the gap term. */
export const OPTIONAL_TERMS: readonly OptionalTerm[] = [
  "crossDepartment",
  "preference",
  "aspiration",
  "timezone",
  "language",
  "unmatchedBoost",
];

// ---- scalar kernels -------------------------------------------------------------------------

/** Cross-department exposure: 1 when mentee and mentor work in different departments, else 0.
 * The seed of cross-functional learning. */
export function crossDepartmentValue(menteeDepartment: number, mentorDepartment: number): number {
  return menteeDepartment !== mentorDepartment ? 1 : 0;
}

/** Stated preference: 1 when the mentee listed this mentor in `preferredMentors`, else 0. */
export function preferenceValue(preferred: boolean): number {
  return preferred ? 1 : 0;
}

/** Aspiration / career-path match: the share of the mentee's aspirations that are among the
 * mentor's career paths, |A_i ∩ C_j| / |A_i| (0 when the mentee states none). */
export function aspirationValue(shared: number, aspirations: number): number {
  return aspirations > 0 ? shared / aspirations : 0;
}

/** Time-zone overlap: 1 − d/12 where d (0..12 h) is the distance between the two UTC offsets on
 * the 24-hour clock, so same zone = 1 and opposite sides of the world = 0. 0 when either offset
 * is unknown (no evidence of overlap). */
export function timezoneValue(menteeOffset: number, mentorOffset: number): number {
  const d = utcOffsetDistance(menteeOffset, mentorOffset);
  if (!(d <= 12)) return 0; // NaN: unknown offset
  return 1 - d / 12;
}

/** Language: 1 when the two share at least one language, else 0 (also when either lists none). */
export function languageValue(shareALanguage: boolean): number {
  return shareALanguage ? 1 : 0;
}

/** Priority boost for mentees left unmatched before: the number of earlier rounds that left the
 * mentee unmatched. Added (× weight) to every eligible pair of that mentee, so the matcher
 * prefers to place them; it does not change which mentor is best for them. */
export function unmatchedBoostValue(roundsUnmatched: number): number {
  return roundsUnmatched > 0 ? roundsUnmatched : 0;
}

// ---- pair forms (read the view) -------------------------------------------------------------

/** Cross-department exposure of pair (i, j): see `crossDepartmentValue`. */
export function crossDepartmentTerm(view: ScoringView, i: number, j: number): number {
  return crossDepartmentValue(view.mentees.department[i], view.mentors.department[j]);
}

/** Stated preference of pair (i, j): see `preferenceValue`. */
export function preferenceTerm(view: ScoringView, i: number, j: number): number {
  return preferenceValue(csrHas(view.mentees.preferredMentors, i, j));
}

/** Aspiration / career-path match of pair (i, j): see `aspirationValue`. */
export function aspirationTerm(view: ScoringView, i: number, j: number): number {
  const a = view.mentees.aspirations;
  const c = view.mentors.careerPaths;
  let shared = 0;
  for (let p = a.offsets[i]; p < a.offsets[i + 1]; p++) if (csrHas(c, j, a.items[p])) shared++;
  return aspirationValue(shared, a.offsets[i + 1] - a.offsets[i]);
}

/** Time-zone overlap of pair (i, j): see `timezoneValue`. */
export function timezoneTerm(view: ScoringView, i: number, j: number): number {
  return timezoneValue(view.mentees.utcOffset[i], view.mentors.utcOffset[j]);
}

/** Shared language of pair (i, j): see `languageValue`. */
export function languageTerm(view: ScoringView, i: number, j: number): number {
  return languageValue(csrIntersects(view.mentees.languages, i, view.mentors.languages, j));
}

/** Unmatched-before boost of pair (i, j) (depends on the mentee only): see `unmatchedBoostValue`. */
export function unmatchedBoostTerm(view: ScoringView, i: number, _j: number): number {
  return unmatchedBoostValue(view.mentees.roundsUnmatched[i]);
}

/** The pair form of each optional term, by name. */
export const TERM_FUNCTIONS: Readonly<
  Record<OptionalTerm, (view: ScoringView, i: number, j: number) => number>
> = {
  crossDepartment: crossDepartmentTerm,
  preference: preferenceTerm,
  aspiration: aspirationTerm,
  timezone: timezoneTerm,
  language: languageTerm,
  unmatchedBoost: unmatchedBoostTerm,
};
