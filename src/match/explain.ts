/**
 * `explainPair`: one pair's score taken apart, by ids — the answer to "why this mentor?" and,
 * for an ineligible pair, "why not mentor X?" (the first failing rule, and the fit it would have).
 */
import { checkCohortArg } from "../cohort/arg.js";
import type { Cohort } from "../cohort/types.js";
import { InputError, pathIssue } from "../schema/errors.js";
import { createScorer, type ScoreBreakdown } from "../score/scorer.js";

export interface PairExplanation extends Omit<ScoreBreakdown, "mentee" | "mentor" | "skills"> {
  readonly mentee: string;
  readonly mentor: string;
  readonly skills: readonly (Omit<ScoreBreakdown["skills"][number], "skill"> & {
    readonly skill: string;
  })[];
}

export function explainPair(cohort: Cohort, mentee: string, mentor: string): PairExplanation {
  checkCohortArg(cohort);
  const i = cohort.index.menteeById.get(mentee);
  const j = cohort.index.mentorById.get(mentor);
  const issues = [];
  if (i === undefined)
    issues.push(pathIssue("unknown_mentee", ["mentee"], `No mentee with id "${mentee}"`));
  if (j === undefined)
    issues.push(pathIssue("unknown_mentor", ["mentor"], `No mentor with id "${mentor}"`));
  if (i === undefined || j === undefined) throw new InputError(issues, "pair");
  const b = createScorer(cohort.view).explain(i, j);
  return {
    ...b,
    mentee,
    mentor,
    skills: b.skills.map((s) => ({ ...s, skill: cohort.index.skillIds[s.skill] })),
  };
}
