/**
 * What the lifecycle's solves share: starting from an earlier answer's prices, and the equity
 * rules they keep (src/lifecycle: re-matching, counterfactuals).
 */
import type { Cohort } from "../cohort/types.js";
import { InputError, pathIssue } from "../schema/errors.js";
import type { WarmFlow } from "../solve/solve.js";

/** An earlier answer's prices: its mentors (sorted by id, as `MatchResult.mentors`) and the
 * certificate's duals in that order; with its mentees' duals (in id order: the mentees of its
 * pairs and of `unmatched` together) and, coverage-first, the uncovered column's and the
 * coverage proof's, the engine starts its flow from the answer too (`warmFlowFrom`). */
export interface PreviousPrices {
  readonly mentors?: readonly { readonly mentor: string }[];
  readonly certificate?: {
    readonly mentorDual: readonly number[];
    readonly menteeDual?: readonly number[];
    readonly uncoveredDual?: number;
    readonly coverage?: {
      readonly menteeDual: readonly number[];
      readonly mentorDual: readonly number[];
      readonly uncoveredDual: number;
    };
  };
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
 * The earlier answer as the engine's starting flow (solve.ts `InternalOptions.warmFlow`): `pairs`
 * (this cohort's indices: the earlier pairs still possible), the mentees it left unmatched, and
 * its duals mapped by id (0 for people it did not have). Undefined when the answer carries no
 * mentee duals, or they do not line up with its mentees (e.g. an answer under equity rules, whose
 * duals are of adjusted fits: still valid prices, but the count must match).
 */
export function warmFlowFrom(
  cohort: Cohort,
  prev: PreviousPrices & {
    readonly pairs: readonly { readonly mentee: string }[];
    readonly unmatched?: readonly { readonly mentee: string }[];
  },
  pairs: readonly { readonly i: number; readonly j: number }[],
): WarmFlow | undefined {
  const c = prev.certificate;
  const mentors = prev.mentors;
  const named = (list: readonly { readonly mentee: string }[] | undefined) =>
    Array.isArray(list) && list.every((u) => typeof u?.mentee === "string");
  if (!c || !Array.isArray(mentors) || !named(prev.unmatched) || !named(prev.pairs))
    return undefined;
  const menteeIds = [...new Set([...prev.pairs, ...prev.unmatched!].map((p) => p.mentee))].sort();
  const lined = (d: readonly number[] | undefined, ids: readonly unknown[]) =>
    Array.isArray(d) && d.length === ids.length && d.every((x) => Number.isFinite(x));
  if (!lined(c.menteeDual, menteeIds) || !lined(c.mentorDual, mentors)) return undefined;
  const { menteeById, mentorById } = cohort.index;
  const byId = (
    ids: readonly string[],
    map: ReadonlyMap<string, number>,
    d: readonly number[],
    size: number,
  ) => {
    const out = new Float64Array(size);
    ids.forEach((id, k) => {
      const x = map.get(id);
      if (x !== undefined) out[x] = d[k];
    });
    return out;
  };
  const n = cohort.view.mentees.count;
  const m = cohort.view.mentors.count;
  const mentorIds = mentors.map((r) => r.mentor);
  const phase = (u: readonly number[], v: readonly number[], z: number | undefined) => ({
    u: byId(menteeIds, menteeById, u, n),
    v: byId(mentorIds, mentorById, v, m),
    z: Number.isFinite(z) ? (z as number) : 0,
  });
  const cov = c.coverage;
  const coverage =
    cov && lined(cov.menteeDual, menteeIds) && lined(cov.mentorDual, mentors)
      ? phase(cov.menteeDual, cov.mentorDual, cov.uncoveredDual)
      : undefined;
  const uncovered: number[] = [];
  for (const u of prev.unmatched!) {
    const i = menteeById.get(u.mentee);
    if (i !== undefined) uncovered.push(i);
  }
  return {
    row: Int32Array.from(pairs, (p) => p.i),
    col: Int32Array.from(pairs, (p) => p.j),
    uncoveredRows: Int32Array.from(uncovered).sort(),
    main: phase(c.menteeDual!, c.mentorDual, c.uncoveredDual),
    ...(coverage ? { coverage } : {}),
  };
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
