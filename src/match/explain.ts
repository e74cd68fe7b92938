/**
 * `explainPair`: one pair's score taken apart, by ids — the answer to "why this mentor?" and,
 * for an ineligible pair, "why not mentor X?" (the first failing rule, and the fit it would have).
 */
import { checkCohortArg } from "../cohort/arg.js";
import type { Cohort } from "../cohort/types.js";
import { InputError, pathIssue } from "../schema/errors.js";
import { ineligibleReason, tierByCode } from "../score/eligibility.js";
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

/**
 * The facts behind an ineligible pair's first failing rule, in words by ids ("m005 is level 3
 * and e002 level 2; the peer tier allows a gap of 0 to 1"), or null when the rule name says it
 * all. For the CLI's "why not this mentor?".
 */
export function reasonDetail(cohort: Cohort, mentee: string, mentor: string): string | null {
  const { view, index } = cohort;
  const i = index.menteeById.get(mentee);
  const j = index.mentorById.get(mentor);
  if (i === undefined || j === undefined) return null;
  const me = view.mentees;
  const mr = view.mentors;
  const tier = tierByCode(view, mr.tier[j]);
  const range = (lo: number, hi: number) =>
    lo === -Infinity ? `at most ${hi}` : hi === Infinity ? `at least ${lo}` : `${lo} to ${hi}`;
  const list = (codes: Iterable<number>, names: readonly string[]) =>
    [...codes].map((c) => names[c]).join(", ") || "none";
  const row = (csr: { offsets: Int32Array; items: Int32Array }, r: number) =>
    csr.items.subarray(csr.offsets[r], csr.offsets[r + 1]);
  const reason = ineligibleReason(view, i, j);
  if (reason === null && view.minFit > 0)
    return `the program's minFit rule allows pairs fitting at least ${view.minFit}`;
  switch (reason) {
    case "level_gap":
      return `${mentor} is level ${mr.level[j]} and ${mentee} level ${me.level[i]}; the ${tier.id} tier allows a gap of ${range(tier.levelGapMin, tier.levelGapMax)}`;
    case "training": {
      const missing = [...tier.trainingRequired].filter((t) => !row(mr.training, j).includes(t));
      return `the ${tier.id} tier requires ${list(tier.trainingRequired, index.trainings)}; ${mentor} is missing ${list(missing, index.trainings)}`;
    }
    case "tenure":
      return `the ${tier.id} tier requires ${tier.minMentorTenureMonths} months of tenure; ${mentor} has ${mr.tenureMonths[j]}`;
    case "hours":
      return `the ${tier.id} tier requires ${tier.minHoursPerMonth} hours a month from both; ${mentor} offers ${mr.hoursPerMonth[j]}, ${mentee} ${me.hoursPerMonth[i]}`;
    case "timezone":
      return `UTC offsets ${me.utcOffset[i]} and ${mr.utcOffset[j]} are more than ${view.rules.maxUtcOffsetDiffHours} hours apart`;
    case "language":
      return `${mentee} speaks ${list(row(me.languages, i), index.languages)}; ${mentor} speaks ${list(row(mr.languages, j), index.languages)}`;
    case "tier_not_wanted":
      return `${mentee} wants ${list(row(me.tiersWanted, i), index.tierIds)}; ${mentor} is ${tier.id}`;
    default:
      return null;
  }
}
