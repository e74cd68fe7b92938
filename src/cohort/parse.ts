/**
 * `parseCohort`: the boundary. Raw input in, an indexed, frozen `Cohort` out — or an `InputError`
 * carrying every issue found.
 *
 * Three stages, each reporting everything it can before stopping:
 * 1. schema (zod, once over the whole input; on failure each record is salvaged field by field);
 * 2. cross-record checks (`validateCohortRecords`) on everything that parsed;
 * 3. only when 1 and 2 found nothing: build the indexed cohort and check each locked pair's
 *    eligibility with the scorer (eligibility needs a complete cohort, so these issues can only
 *    appear once the rest of the input is valid).
 *
 * Before them, the fast path (`read-fast.ts`) reads well-formed input without zod for the people,
 * and stages 2 and 3 run on what it read. It never reports: when it is not sure, or any stage
 * finds an issue, the input is parsed again through stages 1 to 3 as above, which alone find and
 * word the issues.
 */
import { showCell } from "../schema/show.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { validateCohortRecords } from "../schema/validate.js";
import { REASONS, type IneligibleReason } from "../score/eligibility.js";
import { createScorer } from "../score/scorer.js";
import { buildCohort } from "./build.js";
import { readCohort } from "./read.js";
import { readCohortFast } from "./read-fast.js";
import type { Cohort } from "./types.js";

/** The result of `safeParseCohort`: the cohort, or every issue found. */
export type SafeParseCohortResult =
  | { readonly ok: true; readonly cohort: Cohort }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/** Why each eligibility rule can fail, in words for the `locked_pair_ineligible` message. */
const REASON_TEXT: Record<IneligibleReason, string> = {
  self: "they are the same person",
  forbidden: "the pair is forbidden",
  excluded: "one of them excluded the other",
  same_reporting_line:
    "they are in one reporting line (program.rules.allowSameReportingLine is false)",
  repeat_pair: "they were paired before (program.rules.allowRepeatPairs is false)",
  no_capacity: "the mentor's capacity is 0",
  no_demand: "the mentee's maxMentors is 0",
  tier_not_wanted: "the mentee does not ask for the mentor's tier",
  level_gap: "their level gap is outside the tier's levelGap window",
  training: "the mentor lacks a training the tier requires (valid as of program.asOf)",
  tenure: "the mentor's tenure is below the tier's minimum",
  hours: "one of them states fewer hours per month than the tier requires",
  timezone: "their UTC offsets differ by more than program.rules.maxUtcOffsetDiffHours",
  language: "they share no language (program.rules.requireSharedLanguage is true)",
  min_fit: "their fit is below program.equity's minFit",
};

function lockedPairIssues(cohort: Cohort): Issue[] {
  const issues: Issue[] = [];
  const { index, view } = cohort;
  const pairs = cohort.program.lockedPairs;
  if (pairs.length === 0) return issues;
  const scorer = createScorer(view);
  for (let at = 0; at < pairs.length; at++) {
    const p = pairs[at];
    const i = index.menteeById.get(p.mentee);
    const j = index.mentorById.get(p.mentor);
    if (i === undefined || j === undefined) continue; // reported by validation
    const reason = REASONS[scorer.reasonCode(i, j)];
    if (!reason) continue;
    const why =
      reason === "min_fit"
        ? `${REASON_TEXT.min_fit} ${view.minFit}: it is ${scorer.explain(i, j).total}`
        : REASON_TEXT[reason];
    issues.push(
      pathIssue(
        "locked_pair_ineligible",
        ["program", "lockedPairs", at],
        `Ineligible locked pair: mentee ${showCell(p.mentee)} and mentor ${showCell(p.mentor)} fail the "${reason}" rule (${why}); fix the data or unlock the pair`,
      ),
    );
  }
  return issues;
}

/**
 * Validates and indexes a cohort, never throwing: `{ ok: true, cohort }` or `{ ok: false, issues }`
 * with every issue found (see docs/MODEL.md for codes and paths). The input is never modified.
 */
export function safeParseCohort(input: unknown): SafeParseCohortResult {
  return safeParseCohortReading(input, "fast");
}

/**
 * `safeParseCohort` with the reader chosen: `"fast"` tries the fast path first (what it does),
 * `"zod"` reads the zod way only. For tests that compare the two; not part of the public API.
 */
export function safeParseCohortReading(
  input: unknown,
  reader: "fast" | "zod",
): SafeParseCohortResult {
  if (reader === "fast") {
    // The fast path never reports: on any issue the input is parsed again the zod way, which
    // finds and words them all.
    const fast = readCohortFast(input);
    if (fast !== undefined && validateCohortRecords(fast.records).length === 0) {
      const cohort = buildCohort(fast.data, fast.records, fast.people);
      if (lockedPairIssues(cohort).length === 0) return { ok: true, cohort };
    }
  }
  const read = readCohort(input);
  const issues = [...read.issues, ...validateCohortRecords(read.records)];
  if (issues.length > 0 || read.data === undefined) return { ok: false, issues };
  const cohort = buildCohort(read.data, read.records);
  const locked = lockedPairIssues(cohort);
  if (locked.length > 0) return { ok: false, issues: locked };
  return { ok: true, cohort };
}

/**
 * Validates and indexes a cohort. Throws `InputError` (with `.issues`, all of them) when the input
 * is invalid; returns a frozen `Cohort` otherwise. The input is never modified.
 */
export function parseCohort(input: unknown): Cohort {
  const r = safeParseCohort(input);
  if (!r.ok) throw new InputError(r.issues, "cohort");
  return r.cohort;
}
