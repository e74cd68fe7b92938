/**
 * `match`, `verifyMatch`, `explainPair` and the scoring entry take a parsed `Cohort`: a clear `InputError` for
 * anything else (the raw input, undefined), instead of a TypeError from deep inside. The check is
 * structural — a cohort made by another copy of the library (the ESM and CJS builds) is still a
 * cohort.
 */
import type { Cohort } from "./types.js";
import { InputError, pathIssue } from "../schema/errors.js";
import { got } from "../solve/args.js";

export function checkCohortArg(cohort: unknown): asserts cohort is Cohort {
  const c = cohort as Partial<Cohort> | null;
  const ok =
    c !== null &&
    typeof c === "object" &&
    typeof c.view?.mentees?.count === "number" &&
    typeof c.view?.mentors?.count === "number" &&
    c.index?.menteeById instanceof Map &&
    c.index?.mentorById instanceof Map &&
    c.program !== undefined;
  if (!ok)
    throw new InputError(
      [
        pathIssue(
          "invalid_argument",
          [],
          `Expected a cohort from parseCohort(input) or loadCohort(files), got ${got(cohort)}; pass the input through parseCohort first`,
        ),
      ],
      "cohort",
    );
}
