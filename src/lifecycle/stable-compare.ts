/**
 * Stable mode on a cohort: ranks derived from the cohort's fit (`cohortRanks`), and
 * `compareStable`, the stable matching beside the fit-maximizing one (`match`) — blocking pairs,
 * total fit, matched mentees — as plain JSON (docs/LIFECYCLE.md "Stable mode").
 */
import { checkCohortArg } from "../cohort/arg.js";
import type { Cohort } from "../cohort/types.js";
import { match } from "../match/match.js";
import type { MatchResult } from "../match/types.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { isPlainObject } from "../schema/plain.js";
import { createScorer } from "../score/scorer.js";
import { got } from "../solve/args.js";
import {
  blockingPairs,
  type BlockingPair,
  type RankItem,
  type StableInput,
  type StableSide,
  stableMatch,
} from "./stable.js";

/** Options of `compareStable`. */
export interface StableCompareOptions {
  /** The side the stable matching is optimal for. Default `"mentees"`. */
  readonly side?: StableSide;
  /** How many blocking pairs to list as examples per matching (a whole number ≥ 0). Default 5. */
  readonly examples?: number;
  /** Passed to `match` for the fit-maximizing side: the most mentees matched first, then the
   * most fit. Default `program.coverageFirst` (the program's own answer). */
  readonly coverageFirst?: boolean;
}

/** One matching of the comparison, measured against the ranks derived from fit. */
export interface StableComparisonSide {
  /** Blocking pairs under the derived ranks (weak stability, ties = equal fits). */
  readonly blockingPairs: number;
  /** The first blocking pairs by mentee id, then mentor id (at most `examples`). */
  readonly examples: readonly BlockingPair[];
  /** Pairs that are not mutually acceptable under the derived ranks (fit 0, or not eligible):
   * the fit-maximizing matching may hold some when minimums or locked pairs force them. */
  readonly unacceptablePairs: number;
  /** Total fit of the pairs (the cohort's scorer). */
  readonly totalFit: number;
  /** Matched pairs. */
  readonly pairs: number;
  /** Mentees with at least one mentor. */
  readonly matchedMentees: number;
  /** `matchedMentees` / mentees (0 when there are none). */
  readonly matchRate: number;
}

/** `compareStable`'s answer: plain JSON. */
export interface StableComparison {
  /** Mentees in the cohort. */
  readonly mentees: number;
  /** Mentors in the cohort. */
  readonly mentors: number;
  /** Eligible pairs with a positive fit: the mutually acceptable pairs of the derived ranks. */
  readonly acceptablePairs: number;
  /** The side the stable matching is optimal for. */
  readonly side: StableSide;
  /** The stable matching of the derived ranks (`stableMatch`). */
  readonly stable: StableComparisonSide;
  /** `match(cohort)`: the most total fit under every rule of the program (coverage-first when
   * the program or `coverageFirst` says so). */
  readonly fitMax: StableComparisonSide & {
    readonly status: MatchResult["status"];
    readonly coverageFirst: boolean;
  };
}

/**
 * The ranks a cohort implies: each mentee ranks its eligible mentors with a positive fit by fit
 * (highest first), each mentor its eligible mentees the same way; equal fits tie. Capacities are
 * the mentors' `capacity` and the mentees' `maxMentors`. Minimums, locked pairs and equity rules
 * have no place in ranks and are left out.
 */
export function cohortRanks(cohort: Cohort): StableInput {
  checkCohortArg(cohort);
  const { view, index } = cohort;
  const n = view.mentees.count;
  const m = view.mentors.count;
  const scorer = createScorer(view);
  const row = new Float64Array(m);
  const code = new Uint8Array(m);
  const byMentee: [number, number][][] = [];
  const byMentor: [number, number][][] = Array.from({ length: m }, () => []);
  for (let i = 0; i < n; i++) {
    scorer.scoreRow(i, row, code);
    const list: [number, number][] = [];
    for (let j = 0; j < m; j++)
      if (code[j] === 0 && row[j] > 0) {
        list.push([j, row[j]]);
        byMentor[j].push([i, row[j]]);
      }
    byMentee.push(list);
  }
  const ranks = (list: [number, number][], ids: readonly string[]): RankItem[] => {
    list.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const out: RankItem[] = [];
    for (let k = 0; k < list.length;) {
      let e = k + 1;
      while (e < list.length && list[e][1] === list[k][1]) e++;
      out.push(e === k + 1 ? ids[list[k][0]] : list.slice(k, e).map(([x]) => ids[x]));
      k = e;
    }
    return out;
  };
  const record = <T>(ids: readonly string[], f: (k: number) => T): Record<string, T> => {
    const out: Record<string, T> = Object.create(null) as Record<string, T>;
    ids.forEach((id, k) => (out[id] = f(k)));
    return out;
  };
  return {
    menteeRanks: record(index.menteeIds, (i) => ranks(byMentee[i], index.mentorIds)),
    mentorRanks: record(index.mentorIds, (j) => ranks(byMentor[j], index.menteeIds)),
    capacities: record(index.mentorIds, (j) => view.mentors.capacity[j]),
    menteeCapacities: record(index.menteeIds, (i) => view.mentees.maxMentors[i]),
  };
}

function checkCompareOptions(options: unknown): StableCompareOptions {
  if (options === undefined) return {};
  if (!isPlainObject(options))
    throw new InputError(
      [pathIssue("invalid_option", [], `Expected an options object, got ${got(options)}`)],
      "options",
    );
  const issues: Issue[] = [];
  for (const k of Object.keys(options))
    if (k !== "side" && k !== "examples" && k !== "coverageFirst")
      issues.push(
        pathIssue(
          "unknown_option",
          [k],
          `Unknown option ${JSON.stringify(k)}; expected: side, examples`,
          {
            received: k,
            allowed: ["side", "examples"],
          },
        ),
      );
  const { side, examples } = options;
  if (side !== undefined && side !== "mentees" && side !== "mentors")
    issues.push(
      pathIssue("invalid_value", ["side"], `Expected "mentees" or "mentors", got ${got(side)}`, {
        allowed: ["mentees", "mentors"],
      }),
    );
  if (
    examples !== undefined &&
    !(typeof examples === "number" && Number.isSafeInteger(examples) && examples >= 0)
  )
    issues.push(
      pathIssue(
        "invalid_option",
        ["examples"],
        `Expected a whole number ≥ 0, got ${got(examples)}`,
        {
          expected: "a whole number ≥ 0",
        },
      ),
    );
  const cf = options.coverageFirst;
  if (cf !== undefined && typeof cf !== "boolean")
    issues.push(
      pathIssue("invalid_option", ["coverageFirst"], `Expected true or false, got ${got(cf)}`, {
        expected: "true or false",
      }),
    );
  if (issues.length > 0) throw new InputError(issues, "options");
  return options as StableCompareOptions;
}

/**
 * The stable matching beside the fit-maximizing one on one cohort: ranks from fit
 * (`cohortRanks`), `stableMatch` on them and `match(cohort)`, each measured the same way —
 * blocking pairs under those ranks (with a few examples), total fit by the cohort's scorer,
 * matched mentees and match rate. Throws `InputError` for anything but a parsed cohort or for
 * bad options.
 */
export function compareStable(cohort: Cohort, options?: StableCompareOptions): StableComparison {
  checkCohortArg(cohort);
  const { side = "mentees", examples = 5, coverageFirst } = checkCompareOptions(options);
  const ranks = cohortRanks(cohort);
  const stable = stableMatch(ranks, { side });
  const fitMax = match(cohort, coverageFirst === undefined ? {} : { coverageFirst });
  const scorer = createScorer(cohort.view);
  const n = cohort.view.mentees.count;
  const measure = (pairs: readonly { mentee: string; mentor: string }[]): StableComparisonSide => {
    const report = blockingPairs(ranks, { pairs });
    let totalFit = 0;
    const matched = new Set<string>();
    for (const p of pairs) {
      totalFit += scorer.score(
        cohort.index.menteeById.get(p.mentee)!,
        cohort.index.mentorById.get(p.mentor)!,
      );
      matched.add(p.mentee);
    }
    return {
      blockingPairs: report.blockingPairs.length,
      examples: report.blockingPairs.slice(0, examples),
      unacceptablePairs: report.problems.filter((x) => x.kind === "unacceptable_pair").length,
      totalFit,
      pairs: pairs.length,
      matchedMentees: matched.size,
      matchRate: n === 0 ? 0 : matched.size / n,
    };
  };
  return {
    mentees: n,
    mentors: cohort.view.mentors.count,
    acceptablePairs: stable.acceptablePairs,
    side,
    stable: measure(stable.pairs),
    fitMax: {
      status: fitMax.status,
      coverageFirst: coverageFirst ?? cohort.program.coverageFirst,
      ...measure(fitMax.pairs),
    },
  };
}
