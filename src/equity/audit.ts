/**
 * `auditFairness(cohort, result)`: every declared equity rule recounted on the result (held or
 * not, required and achieved, what it cost), and per-group outcomes for every attribute, with
 * small groups suppressed so that none can be recovered by subtraction (docs/FAIRNESS.md).
 *
 * Two counting policies, on purpose: rules count every mentee (they constrain the whole match),
 * while the group statistics count only mentees who gave analytics consent. Rule audits report
 * the worst value of each rule's measure, never a group's totals, so the two cannot be
 * subtracted from each other to single out the mentees left out.
 */
import { withEquityRules } from "../cohort/build.js";
import type { Cohort } from "../cohort/types.js";
import { checkCohortArg } from "../cohort/arg.js";
import { checkMatchOptions, checkMatchResultShape, match } from "../match/match.js";
import type { MatchResult } from "../match/types.js";
import { InputError, pathIssue } from "../schema/errors.js";
import { menteePriority, skillCovered, weightedGap } from "../score/gap.js";
import { createScorer } from "../score/scorer.js";
import { menteeGroups } from "./groups.js";
import { checkRule, type Assignment } from "./rules.js";
import type {
  AttributeAudit,
  AuditOptions,
  FairnessAudit,
  GroupStats,
  RuleAudit,
} from "./types.js";

export function auditFairness(
  cohort: Cohort,
  result: MatchResult,
  options: AuditOptions = {},
): FairnessAudit {
  checkCohortArg(cohort);
  checkMatchResultShape(result);
  const { price: wantPrice = true, ...rest } = options;
  if (typeof wantPrice !== "boolean")
    throw new InputError(
      [pathIssue("invalid_option", ["price"], `Expected true or false, got ${String(wantPrice)}`)],
      "options",
    );
  const solveOptions = checkMatchOptions(rest);
  const a = assignmentOf(cohort, result);
  const enforced = (k: number) => result.equity[k]?.enforced === true;

  // Prices: the same problem re-solved without a rule (and without all), in the result's mode.
  const proven = (r: MatchResult) =>
    r.status === "optimal" || r.status === "feasible" ? r : undefined;
  const own = proven(result);
  const coverageFirst = own
    ? own.certificate.coverage !== undefined || own.certificate.equity?.coverage !== undefined
    : (solveOptions.coverageFirst ?? cohort.program.coverageFirst);
  const resolve = (keep: (k: number) => boolean) => {
    const rules = cohort.equity.filter((_, k) => keep(k));
    return proven(match(withEquityRules(cohort, rules), { ...solveOptions, coverageFirst }));
  };
  const unpriced = {
    price: null,
    priceShare: null,
    priceRange: null,
    priceMentees: null,
    pricePairs: null,
  };
  // The price of this answer against the best answer found without the rule, and the range the
  // true price lies in (each optimum lies between its answer's total and its bound).
  const priceOf = (without: ReturnType<typeof resolve>) =>
    !own || !without
      ? unpriced
      : {
          price: without.objective - own.objective,
          priceShare:
            without.objective !== 0
              ? (without.objective - own.objective) / Math.abs(without.objective)
              : 0,
          // A coverage-first bound covers assignments covering at least as many mentees: fit
          // ranges compare only answers that cover as many.
          priceRange:
            coverageFirst && coveredBy(without) !== coveredBy(own)
              ? null
              : ([without.objective - own.bound, without.bound - own.objective] as const),
          priceMentees: coveredBy(without) - coveredBy(own),
          pricePairs: without.pairs.length - own.pairs.length,
        };
  const priced = wantPrice && own !== undefined;

  const rules: RuleAudit[] = cohort.equity.map((rule, index) => {
    const check = checkRule(cohort, rule, a);
    const on = enforced(index);
    const p = on && priced ? priceOf(resolve((k) => k !== index)) : unpriced;
    const at = `program.equity[${index}] (${rule.kind})`;
    return {
      index,
      kind: rule.kind,
      enforced: on,
      held: check.held,
      required: check.required,
      achieved: check.achieved,
      violations: check.violations,
      groups: check.groups,
      ...p,
      message: `${at} ${check.held ? "holds" : `does not hold (${check.violations} ${check.violations === 1 ? "violation" : "violations"}${check.groups.length ? `: ${check.groups.map((g) => `"${g}"`).join(", ")}` : ""})`}${on ? "" : "; match did not enforce it"}.`,
    };
  });
  const anyEnforced = cohort.equity.some((_, k) => enforced(k));
  const all = !priced
    ? unpriced
    : anyEnforced
      ? priceOf(resolve(() => false))
      : { price: 0, priceShare: 0, priceRange: [0, 0] as const, priceMentees: 0, pricePairs: 0 };

  const stats = groupStatistics(cohort, a);
  return {
    minGroupSize: cohort.program.minGroupSize,
    rules,
    ...all,
    ...stats,
  };
}

/** The result's pairs by index, with their fits recomputed from the cohort (never trusted). */
function assignmentOf(cohort: Cohort, result: MatchResult): Assignment {
  const { menteeById, mentorById } = cohort.index;
  const row: number[] = [];
  const col: number[] = [];
  const issues = [];
  for (let k = 0; k < result.pairs.length; k++) {
    const p = result.pairs[k];
    const i = menteeById.get(p.mentee);
    const j = mentorById.get(p.mentor);
    if (i === undefined || j === undefined)
      issues.push(
        pathIssue(
          "invalid_result",
          ["pairs", k],
          `Pair ("${p.mentee}", "${p.mentor}") names ${i === undefined ? "a mentee" : "a mentor"} not in the cohort`,
        ),
      );
    else {
      row.push(i);
      col.push(j);
    }
  }
  if (issues.length > 0) throw new InputError(issues.slice(0, 20), "result");
  return { row, col, fit: fitsOf(cohort, row, col) };
}

/** Each pair's fit as the scorer adds it, whether or not the pair is allowed (the scorer's
 * `score` is 0 for a pair that is not; `explain` gives the fit it has). */
function fitsOf(cohort: Cohort, row: number[], col: number[]): Float64Array {
  const scorer = createScorer(cohort.view);
  return Float64Array.from(row, (i, k) => scorer.explain(i, col[k]).total);
}

/** Per-attribute group statistics over consenting mentees, with small groups suppressed. */
function groupStatistics(
  cohort: Cohort,
  a: Assignment,
): Pick<FairnessAudit, "all" | "attributes" | "consent"> {
  const { view, program, index } = cohort;
  const n = view.mentees.count;
  const k = program.minGroupSize;
  const consent = view.mentees.consentAnalytics;
  // Per mentee: pairs, fit sum, lowest fit, pairs per tier, weighted gap and gap covered.
  const tiers = index.tierIds.length;
  const pairs = new Int32Array(n);
  const fitSum = new Float64Array(n);
  const fitMin = new Float64Array(n).fill(Infinity);
  const tierPairs = new Int32Array(n * tiers);
  const mentorsOf: number[][] = Array.from({ length: n }, () => []);
  for (let t = 0; t < a.row.length; t++) {
    const i = a.row[t];
    const j = a.col[t];
    pairs[i]++;
    fitSum[i] += a.fit[t];
    fitMin[i] = Math.min(fitMin[i], a.fit[t]);
    tierPairs[i * tiers + view.mentors.tier[j]]++;
    mentorsOf[i].push(j);
  }
  const W = new Float64Array(n);
  const covered = new Float64Array(n);
  const S = view.nSkills;
  for (let i = 0; i < n; i++) {
    if (consent[i] !== 1) continue;
    W[i] = weightedGap(view, i);
    for (let s = 0; s < S; s++) {
      const p = menteePriority(view, i, s);
      if (p <= 0) continue;
      let best = 0;
      for (const j of mentorsOf[i])
        best = Math.max(
          best,
          skillCovered(
            view.mentees.current[i * S + s],
            view.mentees.target[i * S + s],
            view.mentors.expertise[j * S + s],
          ),
        );
      covered[i] += p * best;
    }
  }
  const statsOf = (group: string | null, members: number[]): GroupStats => {
    let matched = 0;
    let np = 0;
    let sum = 0;
    let low = Infinity;
    let w = 0;
    let c = 0;
    const byTier = new Int32Array(tiers);
    for (const i of members) {
      if (pairs[i] > 0) matched++;
      np += pairs[i];
      sum += fitSum[i];
      low = Math.min(low, fitMin[i]);
      w += W[i];
      c += covered[i];
      for (let t = 0; t < tiers; t++) byTier[t] += tierPairs[i * tiers + t];
    }
    return {
      group,
      mentees: members.length,
      matched,
      matchRate: members.length > 0 ? matched / members.length : 0,
      pairs: np,
      tierPairs: Object.fromEntries(index.tierIds.map((id, t) => [id, byTier[t]])),
      meanFit: np > 0 ? sum / np : null,
      minFit: np > 0 ? low : null,
      gapCovered: w > 0 ? c / w : null,
    };
  };

  const counted: number[] = [];
  for (let i = 0; i < n; i++) if (consent[i] === 1) counted.push(i);
  const named = new Set(cohort.equity.flatMap((r) => ("attribute" in r ? [r.attribute] : [])));
  const names = [
    ...cohort.sensitive.attributes,
    ...["department", "unit"].filter((x) => named.has(x)),
  ];
  // Per attribute: its groups in report order (by label, not stated last), their members, and
  // which are hidden — first within the attribute (\`suppress\`), then across attributes
  // (\`suppressNested\`).
  const parts = names.map((attribute) => {
    const { labels, code } = menteeGroups(cohort, attribute);
    const members = new Map<number, number[]>();
    for (const i of counted) {
      const g = code[i];
      const list = members.get(g);
      if (list) list.push(i);
      else members.set(g, [i]);
    }
    const order = [...members.keys()].sort((x, y) => (x < 0 ? 1 : y < 0 ? -1 : x - y));
    const lists = order.map((g) => members.get(g)!);
    const hidden = suppress(
      lists.map((l) => l.length),
      k,
    );
    return { attribute, labels, order, lists, hidden };
  });
  suppressNested(parts, n, k);
  const attributes: AttributeAudit[] = parts.map(({ attribute, labels, order, lists, hidden }) => {
    let hiddenMentees = 0;
    const groups: GroupStats[] = [];
    order.forEach((g, at) => {
      if (hidden[at]) hiddenMentees += lists[at].length;
      else groups.push(statsOf(g < 0 ? null : labels[g], lists[at]));
    });
    return {
      attribute,
      groups,
      suppressed: { groups: hidden.filter(Boolean).length, mentees: hiddenMentees },
    };
  });
  return {
    all: counted.length >= k ? statsOf(null, counted) : null,
    attributes,
    consent: { counted: counted.length, excluded: n - counted.length },
  };
}

/**
 * Hiding across attributes: when a shown group of one attribute is exactly a union of groups of
 * another (units inside a department, say), subtracting that attribute's shown groups from it
 * would leave its hidden ones; so those must hold 0 or at least k mentees together. While they
 * do not, the smallest shown group inside is hidden too, or, with none left, the containing
 * group itself. Repeated until nothing changes (hidden sets only grow). Pairs of attributes are
 * checked; \`hidden\` is updated in place.
 */
export function suppressNested(
  parts: { lists: number[][]; hidden: boolean[] }[],
  n: number,
  k: number,
): void {
  // Group (its index in report order) of every mentee, per attribute (−1: not counted).
  const groupOf = parts.map(({ lists }) => {
    const of = new Int32Array(n).fill(-1);
    lists.forEach((list, at) => {
      for (const i of list) of[i] = at;
    });
    return of;
  });
  let changed = true;
  while (changed) {
    changed = false;
    for (let b = 0; b < parts.length; b++)
      for (let a = 0; a < parts.length; a++) {
        if (a === b) continue;
        const A = parts[a];
        const B = parts[b];
        B.lists.forEach((outer, bt) => {
          if (B.hidden[bt]) return;
          // A's groups met inside this B group, and how many of their members are in it.
          const inside = new Map<number, number>();
          for (const i of outer) inside.set(groupOf[a][i], (inside.get(groupOf[a][i]) ?? 0) + 1);
          for (const [at, c] of inside) if (c !== A.lists[at].length) return; // not a union
          let held = 0;
          for (const at of inside.keys()) if (A.hidden[at]) held += A.lists[at].length;
          if (held === 0 || held >= k) return;
          let pick = -1;
          for (const at of inside.keys())
            if (!A.hidden[at] && (pick < 0 || A.lists[at].length < A.lists[pick].length)) pick = at;
          if (pick >= 0) A.hidden[pick] = true;
          else B.hidden[bt] = true;
          changed = true;
        });
      }
  }
}

/**
 * Which groups to hide, given their sizes: every group below k, then — while the hidden groups
 * hold between 1 and k − 1 people, who could be recovered by subtracting the shown groups from
 * the total — the smallest shown group too (ties: the later group). Everything is hidden when the
 * groups together are fewer than k.
 */
export function suppress(sizes: readonly number[], k: number): boolean[] {
  const hidden = sizes.map((s) => s < k);
  const total = sizes.reduce((x, y) => x + y, 0);
  if (total < k) return sizes.map(() => true);
  let held = sizes.reduce((x, s, g) => x + (hidden[g] ? s : 0), 0);
  while (held > 0 && held < k) {
    let pick = -1;
    for (let g = 0; g < sizes.length; g++)
      if (!hidden[g] && (pick < 0 || sizes[g] <= sizes[pick])) pick = g;
    if (pick < 0) break;
    hidden[pick] = true;
    held += sizes[pick];
  }
  return hidden;
}

/** Mentees with at least one mentor in a result: what coverage-first counts first. */
const coveredBy = (r: { readonly pairs: readonly { readonly mentee: string }[] }): number =>
  new Set(r.pairs.map((p) => p.mentee)).size;
