/**
 * What the lifecycle's solves share: starting from an earlier answer's prices, and the equity
 * rules they keep (src/lifecycle: re-matching, counterfactuals).
 */
import type { Cohort } from "../cohort/types.js";
import { InputError, pathIssue } from "../schema/errors.js";

/** An earlier answer's mentor prices: its mentors (sorted by id, as `MatchResult.mentors`) and
 * the certificate's duals in that order. */
export interface PreviousPrices {
  readonly mentors?: readonly { readonly mentor: string }[];
  readonly certificate?: { readonly mentorDual: readonly number[] };
}

/**
 * The earlier answer's mentor duals as starting prices for this cohort's mentors, by id (0 for a
 * mentor it did not have; a negative dual — a minimum load's — as 0), or undefined when it has
 * none. Prices only speed a solve up; any answer is proven afresh.
 */
export function startPricesFrom(cohort: Cohort, prev: PreviousPrices): Float64Array | undefined {
  const duals = prev.certificate?.mentorDual;
  const ids = prev.mentors;
  if (!Array.isArray(duals) || !Array.isArray(ids) || duals.length !== ids.length) return undefined;
  const out = new Float64Array(cohort.view.mentors.count);
  const { mentorById } = cohort.index;
  ids.forEach((row, k) => {
    const j = typeof row?.mentor === "string" ? mentorById.get(row.mentor) : undefined;
    const v = duals[k];
    if (j !== undefined && typeof v === "number" && Number.isFinite(v)) out[j] = Math.max(0, v);
  });
  return out;
}

/**
 * Refuses a cohort whose equity rules the lifecycle's solves do not keep yet: every kind that
 * cuts across mentors (and `minFit` in max-min mode). A plain `minFit` floor is part of
 * eligibility, so it holds. Never solved without the rules: an `InputError` names each one.
 */
export function checkPlainRules(cohort: Cohort, what: string): void {
  const issues = cohort.equity.flatMap((rule, k) =>
    rule.kind === "minFit" && rule.maxMin !== true
      ? []
      : [
          pathIssue(
            "invalid_argument",
            ["program", "equity", k],
            `${what} keeps a plain minFit floor but not yet program.equity[${k}] (${rule.kind}${rule.kind === "minFit" ? ", max-min" : ""}); use match() for a cohort with this rule, or remove it for the ${what}`,
          ),
        ],
  );
  if (issues.length > 0) throw new InputError(issues, "cohort");
}
