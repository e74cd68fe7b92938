/**
 * Counterfactual explanations (docs/LIFECYCLE.md, "Counterfactuals"): for a mentee and any
 * mentor, why this mentor — or why not: the rule that rules the pair out, or what pairing them
 * would cost the whole program, exactly. The cost is a forced re-solve: the same problem as the
 * answer's with the pair locked, started from the answer's prices, proven like any solve. It is
 * checked against the answer's certificate: with duals u, v proving the answer's bound, any
 * answer holding the pair (i, j) fits at most bound − max(0, u_i + v_j − fit_ij) (the pair's
 * reduced cost is a floor on the loss), so the exact loss is never below it.
 */
import type { Cohort } from "../cohort/types.js";
import { checkCohortArg } from "../cohort/arg.js";
import { createScorer } from "../score/scorer.js";
import { InputError, pathIssue } from "../schema/errors.js";
import { checkSolveOptions, got } from "../solve/args.js";
import { solveInstance } from "../solve/solve.js";
import { cohortInstance, collect, newTally } from "../match/match.js";
import { explainPair, reasonDetail, type PairExplanation } from "../match/explain.js";
import type { MatchOptions, MatchResult } from "../match/types.js";
import { checkPlainRules, startPricesFrom, warmFlowFrom } from "./warm.js";
import type { ScoredRows } from "../score/block.js";

/** A pair that changes when the asked-for pair is forced: the mentee's mentors before and
 * after. */
export interface MenteeMove {
  readonly mentee: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export interface Counterfactual {
  readonly mentee: string;
  readonly mentor: string;
  /** The pair is in the answer: `explanation` says why (its fit taken apart). */
  readonly paired: boolean;
  /** The pair's fit taken apart (for an ineligible pair, the fit it would have). */
  readonly explanation: PairExplanation;
  /** Ineligible: the first failing rule is `explanation.reason`; its facts in words. */
  readonly ruleDetail?: string;
  /** The mentor's load and capacity in the answer, and the mentees they have there. */
  readonly mentorLoad: number;
  readonly mentorCapacity: number;
  readonly mentorMentees: readonly string[];
  /**
   * For an eligible pair not in the answer: the best answer holding it (a forced re-solve).
   * `delta` = its total fit − the answer's (≤ 0: the answer is optimal); `moves` are the mentees
   * whose mentors change (the asked-for mentee included); `reducedCost` = u_i + v_j − fit from
   * the answer's certificate, the floor on the loss the exact `delta` never goes below. Status
   * "infeasible" when no answer keeps every rule with the pair.
   */
  readonly forced?: {
    readonly status: MatchResult["status"];
    readonly objective: number;
    readonly delta: number;
    /** Coverage-first: mentees covered (with at least one mentor) with the pair forced, less
     * in the answer (≤ 0); the floor `reducedCost` holds when it is 0. */
    readonly coveredDelta: number;
    readonly reducedCost: number;
    readonly moves: readonly MenteeMove[];
    readonly timeMs: number;
  };
}

/**
 * Why `mentee` is (or is not) paired with `mentor` in `result`, an optimal `match` answer for
 * `cohort`: the fit taken apart; for an ineligible pair the failing rule and its facts; for an
 * eligible pair not chosen, the exact change in total fit if it were (see `Counterfactual`).
 * Equity rules that cut across mentors are not kept by the forced solve yet: such a cohort is
 * refused (an `InputError`).
 */
export function whyNot(
  cohort: Cohort,
  result: MatchResult,
  mentee: string,
  mentor: string,
  options: MatchOptions = {},
): Counterfactual {
  return whyNotScored(cohort, undefined, result, mentee, mentor, options);
}

/** `whyNot` on rows scored already (a match session's: session.ts), or scored here. Internal. */
export function whyNotScored(
  cohort: Cohort,
  scored: ScoredRows | undefined,
  result: MatchResult,
  mentee: string,
  mentor: string,
  options: MatchOptions = {},
): Counterfactual {
  checkCohortArg(cohort);
  const opts = checkSolveOptions(options, {
    coverageFirst: (v) => (typeof v === "boolean" ? undefined : "true or false"),
  }) as MatchOptions;
  if (
    result === null ||
    typeof result !== "object" ||
    result.status !== "optimal" ||
    !Array.isArray(result.pairs)
  )
    throw new InputError(
      [
        pathIssue(
          "invalid_argument",
          ["status"],
          `Expected an optimal match result for this cohort, got ${result === null || typeof result !== "object" ? got(result) : `status ${got(result.status)}`}; a counterfactual compares against a proven optimum`,
        ),
      ],
      "result",
    );
  checkPlainRules(cohort, "whyNot");
  const explanation = explainPair(cohort, mentee, mentor);
  const { menteeById, mentorById } = cohort.index;
  const i = menteeById.get(mentee)!;
  const j = mentorById.get(mentor)!;
  const mentorMentees = result.pairs.filter((p) => p.mentor === mentor).map((p) => p.mentee);
  const base = {
    mentee,
    mentor,
    paired: mentorMentees.includes(mentee),
    explanation,
    mentorLoad: mentorMentees.length,
    mentorCapacity: cohort.view.mentors.capacity[j],
    mentorMentees,
  };
  if (!explanation.eligible) {
    const detail = reasonDetail(cohort, mentee, mentor);
    return detail === null ? base : { ...base, ruleDetail: detail };
  }
  if (base.paired) return base;

  const t0 = performance.now();
  const scorer = createScorer(cohort.view);
  const coverageFirst = opts.coverageFirst ?? cohort.program.coverageFirst;
  const tally = newTally(cohort.view.mentees.count, cohort.view.mentors.count);
  const inst = cohortInstance(cohort, scorer, coverageFirst, tally, scored, {
    forced: [[i, j]],
  });
  // The answer's prices choose the candidates, and its pairs and duals start the flow: only the
  // units the forced pair displaces are routed.
  const startPrices = startPricesFrom(cohort, result);
  const warmFlow = warmFlowFrom(
    cohort,
    result,
    result.pairs.flatMap((p) => {
      const a = menteeById.get(p.mentee);
      const b = mentorById.get(p.mentor);
      return a === undefined || b === undefined ? [] : [{ i: a, j: b }];
    }),
  );
  const res = solveInstance(inst, opts, {
    ownReasons: true,
    ...(startPrices ? { startPrices } : {}),
    ...(warmFlow ? { warmFlow } : {}),
  });
  const forcedResult = collect(cohort, scorer, res, tally);
  const objective = forcedResult.pairs.reduce((a, p) => a + p.score, 0);
  const u = result.certificate.menteeDual[i] ?? 0;
  const v = result.certificate.mentorDual[j] ?? 0;
  const mentorsOf = (pairs: readonly { mentee: string; mentor: string }[]) => {
    const out = new Map<string, string[]>();
    for (const p of pairs) {
      const list = out.get(p.mentee);
      if (list) list.push(p.mentor);
      else out.set(p.mentee, [p.mentor]);
    }
    return out;
  };
  const before = mentorsOf(result.pairs);
  const after = mentorsOf(forcedResult.pairs);
  const moves: MenteeMove[] = [];
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(id) ?? [];
    const a = after.get(id) ?? [];
    if (b.length !== a.length || b.some((x, k) => x !== a[k]))
      moves.push({ mentee: id, before: b, after: a });
  }
  return {
    ...base,
    forced: {
      status: forcedResult.status,
      objective,
      delta: objective - result.objective,
      coveredDelta: after.size - before.size,
      reducedCost: Math.max(0, u + v - explanation.total),
      moves,
      timeMs: performance.now() - t0,
    },
  };
}
