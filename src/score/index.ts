/**
 * `mentorflow/scoring`: the fit of every mentee–mentor pair, for people who build their own
 * matcher or report on top of mentorflow's scoring (docs/SCORING.md). Each function takes a parsed
 * `Cohort`; mentees and mentors are given by their places in `cohort.index.menteeIds` /
 * `mentorIds`. The tables the scorer reads stay internal.
 *
 * This file only checks arguments and re-exports; the kernels live beside it.
 *
 * @packageDocumentation
 * @module mentorflow/scoring
 */
import { checkCohortArg } from "../cohort/arg.js";
import type { Cohort } from "../cohort/types.js";
import { InputError, pathIssue } from "../schema/errors.js";
import { ineligibleReason as reasonAt, type IneligibleReason } from "./eligibility.js";
import { scoreMatrix as matrixOf, type ScoreMatrix, type ScoreMatrixOptions } from "./matrix.js";
import { createScorer as scorerOf, type Scorer } from "./scorer.js";
import {
  streamTopCandidates as streamOf,
  topCandidates as topOf,
  type TopCandidateRow,
  type TopCandidates,
  type TopCandidatesOptions,
} from "./topk.js";

export { REASON_CODE, reasonFromCode, type IneligibleReason } from "./eligibility.js";
export type { SkillContribution } from "./gap.js";
export type { ScoreMatrix, ScoreMatrixOptions } from "./matrix.js";
export type { ScoreBreakdown, Scorer } from "./scorer.js";
export { OPTIONAL_TERMS, type OptionalTerm } from "./terms.js";

export type { TopCandidateRow, TopCandidates, TopCandidatesOptions } from "./topk.js";

/** Throws when `options.scorer` was made for a cohort of another size (its scores would be read
 * under this cohort's shape). */
function checkScorer(cohort: Cohort, scorer: Scorer | undefined): void {
  const { mentees, mentors } = cohort.view;
  if (scorer && (scorer.n !== mentees.count || scorer.m !== mentors.count))
    throw new InputError(
      [
        pathIssue(
          "invalid_option",
          ["scorer"],
          `Expected a scorer of this cohort (${mentees.count} × ${mentors.count}), got one of ${scorer.n} × ${scorer.m}; pass createScorer(cohort) or leave it out`,
        ),
      ],
      "options",
    );
}

/** A scorer for the cohort: `score(i, j)`, `scoreRow`, `explain(i, j)` (docs/SCORING.md). */
export function createScorer(cohort: Cohort): Scorer {
  checkCohortArg(cohort);
  return scorerOf(cohort.view);
}

/** Every pair's fit in one `Float64Array(n·m)`, with its eligibility reason code. */
export function scoreMatrix(cohort: Cohort, options?: ScoreMatrixOptions): ScoreMatrix {
  checkCohortArg(cohort);
  checkScorer(cohort, options?.scorer);
  return matrixOf(cohort.view, options);
}

/** Every mentee's `k` best eligible mentors (ties to the lower mentor index), in CSR form. */
export function topCandidates(
  cohort: Cohort,
  k: number,
  options?: TopCandidatesOptions,
): TopCandidates {
  checkCohortArg(cohort);
  checkScorer(cohort, options?.scorer);
  return topOf(cohort.view, k, options);
}

/** The same lists as `topCandidates`, one mentee at a time (O(m + k) memory per row). */
export function streamTopCandidates(
  cohort: Cohort,
  k: number,
  options?: TopCandidatesOptions,
): Generator<TopCandidateRow, void, undefined> {
  checkCohortArg(cohort);
  checkScorer(cohort, options?.scorer);
  return streamOf(cohort.view, k, options);
}

/** Why mentor `mentor` is ruled out for mentee `mentee` (the first failing eligibility rule), or
 * `null` when the pair passes rules 1–14 (docs/SCORING.md; `min_fit` needs the fit: `explain`). */
export function ineligibleReason(
  cohort: Cohort,
  mentee: number,
  mentor: number,
): IneligibleReason | null {
  checkCohortArg(cohort);
  const bad = (what: string, v: number, count: number) =>
    !Number.isInteger(v) || v < 0 || v >= count
      ? [
          pathIssue(
            "invalid_argument",
            [what],
            `Expected a ${what} index in [0, ${count - 1}], got ${v}; look it up in cohort.index`,
            { expected: `an index below ${count}`, received: v },
          ),
        ]
      : [];
  const issues = [
    ...bad("mentee", mentee, cohort.view.mentees.count),
    ...bad("mentor", mentor, cohort.view.mentors.count),
  ];
  if (issues.length > 0) throw new InputError(issues, "arguments");
  return reasonAt(cohort.view, mentee, mentor);
}
