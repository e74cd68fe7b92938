/**
 * What each equity rule requires, measured on an assignment: the one definition of every rule
 * (docs/FAIRNESS.md states the same formulas), read by the fairness audit and by the tests that
 * check results against the rules. Everyone counts here, whatever their analytics consent: the
 * rules are constraints on the whole match.
 */
import type { Cohort } from "../cohort/types.js";
import type { EquityRule } from "../schema/input.js";
import { menteeGroups } from "./groups.js";

/** Pairs by index, with their fits. */
export interface Assignment {
  readonly row: ArrayLike<number>;
  readonly col: ArrayLike<number>;
  readonly fit: ArrayLike<number>;
}

/** One rule measured on an assignment. */
export interface RuleCheck {
  readonly held: boolean;
  /** The rule's threshold, in the unit of `achieved` (see `checkRule`). */
  readonly required: number;
  /** The assignment's worst value of the rule's measure; null when nothing was measured (no
   * pairs, or no group large enough). */
  readonly achieved: number | null;
  /** Where the rule fails: groups short of their share, or cells / pairs over the limit. */
  readonly violations: number;
  /** How far it fails, in the unit a soft rule's penalty is per (docs/FAIRNESS.md): pairs
   * short of the shares or over the caps, mentees short of a reserve or of the match rates. */
  readonly shortfall: number;
  /** Labels of the groups the rule fails for (groups of at least `minGroupSize` only). */
  readonly groups: readonly string[];
}

/** Absorbs rounding in products like (1 − tolerance) · share · pairs that are whole numbers. */
export const ROUNDING = 1e-9;

/**
 * `proportionalTierAccess`'s terms: the mentees who may take the tier (maxMentors > 0, and they
 * list the tier or no tier), their count per group, and the groups with a row of their own (at
 * least `minGroupSize` such mentees), each with its factor c_g = (1 − tolerance) · |D_g| / |D|.
 * Group g is owed ⌊c_g · |P| + 1e-9⌋ of the tier's |P| pairs.
 */
export function tierAccessTerms(
  cohort: Cohort,
  attribute: string,
  tier: string,
  tolerance: number,
) {
  const { view, program, index } = cohort;
  const groups = menteeGroups(cohort, attribute);
  const tierCode = index.tierById.get(tier) ?? -1;
  const { tiersWanted, maxMentors, count: n } = view.mentees;
  const demand = new Int32Array(groups.labels.length);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (maxMentors[i] <= 0) continue;
    const lo = tiersWanted.offsets[i];
    const hi = tiersWanted.offsets[i + 1];
    let wants = lo === hi;
    for (let p = lo; p < hi && !wants; p++) wants = tiersWanted.items[p] === tierCode;
    if (!wants) continue;
    total++;
    if (groups.code[i] >= 0) demand[groups.code[i]]++;
  }
  const factor = new Float64Array(groups.labels.length);
  const ruled: number[] = [];
  for (let g = 0; g < demand.length; g++)
    if (demand[g] >= program.minGroupSize && total > 0) {
      factor[g] = ((1 - tolerance) * demand[g]) / total;
      ruled.push(g);
    }
  return { groups, tierCode, demand, total, factor, ruled };
}

/** `minMatchRate`'s targets: each group with at least `minGroupSize` mentees who ask for a
 * mentor (maxMentors > 0), their number, and the matched mentees it needs, ⌈rate · asking −
 * 1e-9⌉ (the 1e-9 absorbs rounding when rate · asking is a whole number). */
export function matchRateTargets(
  cohort: Cohort,
  code: Int32Array,
  groups: number,
  rate: number,
): { group: number; asking: number; min: number }[] {
  const asking = new Int32Array(groups);
  const { maxMentors } = cohort.view.mentees;
  for (let i = 0; i < code.length; i++) if (code[i] >= 0 && maxMentors[i] > 0) asking[code[i]]++;
  const out: { group: number; asking: number; min: number }[] = [];
  for (let g = 0; g < groups; g++)
    if (asking[g] >= cohort.program.minGroupSize)
      out.push({ group: g, asking: asking[g], min: Math.ceil(rate * asking[g] - ROUNDING) });
  return out;
}

/**
 * `minMatchRate` measured on pairs (`row`): mentees matched per group, the overall rate M / N
 * (matched mentees among the N who ask for a mentor), each target group's need — ⌈rate ·
 * asking − 1e-9⌉, or, relative to the overall rate (`maxBelowOverall` δ), ⌈(M/N − δ) · asking −
 * 1e-9⌉ (at least 0) — the groups short of it, and the lowest rate of a target group (null
 * without one).
 */
export function matchRates(
  cohort: Cohort,
  code: Int32Array,
  groups: number,
  row: ArrayLike<number>,
  rule: { readonly rate?: number; readonly maxBelowOverall?: number },
) {
  const { maxMentors } = cohort.view.mentees;
  const matched = new Int32Array(groups);
  const seen = new Set<number>();
  for (let t = 0; t < row.length; t++) {
    const i = row[t];
    if (seen.has(i)) continue;
    seen.add(i);
    if (code[i] >= 0) matched[code[i]]++;
  }
  let asking = 0;
  for (let i = 0; i < maxMentors.length; i++) if (maxMentors[i] > 0) asking++;
  const overall = asking > 0 ? seen.size / asking : 0;
  const targets = matchRateTargets(cohort, code, groups, rule.rate ?? 0);
  const short: number[] = [];
  let shortfall = 0;
  let lowest: number | null = null;
  for (const t of targets) {
    const need =
      rule.rate !== undefined ? t.min : relativeNeed(overall, rule.maxBelowOverall!, t.asking);
    if (matched[t.group] < need) {
      short.push(t.group);
      shortfall += need - matched[t.group];
    }
    lowest = Math.min(lowest ?? Infinity, matched[t.group] / t.asking);
  }
  return { matched, overall, targets, short, shortfall, lowest };
}

/** Mentees a group of `asking` needs matched at an overall rate `overall`, at most `below`
 * under it: ⌈(overall − below) · asking − 1e-9⌉, at least 0. */
export const relativeNeed = (overall: number, below: number, asking: number): number =>
  Math.max(0, Math.ceil((overall - below) * asking - ROUNDING));

/** The pairs group g is owed out of `pairs` tier pairs, for factor c_g. */
export const owedPairs = (factor: number, pairs: number): number =>
  Math.floor(factor * pairs + ROUNDING);

/**
 * Measures `rule` on `a`:
 * - `minFit`: required `min`, achieved the lowest fit; held when no fit is below `min`.
 * - `maxPerMentorPerGroup`: required `max`, achieved the most mentees of one group with one
 *   mentor; violations the (mentor, group) cells over `max`.
 * - `proportionalTierAccess`: required 0, achieved the smallest margin (pairs of the tier a group
 *   has, minus the pairs it is owed: `owedPairs`, rounded down) over the groups with a row; held
 *   when no margin is negative.
 * - `maxMeanFitGap`: required `maxGap`, achieved the largest difference between the mean fits
 *   (over their pairs) of two groups with at least `minGroupSize` mentees asking for a mentor
 *   and a pair each (`meanFitGap`).
 * - `reserve`: required `min`, achieved the group's mentees with a pair (with a mentor of the
 *   tier, when one is named) — null for a group below `minGroupSize`, whose count is not shown.
 * - `minMatchRate`: required `rate`, achieved the lowest match rate of a group with a target
 *   (`matchRateTargets`); relative to the overall rate, required `maxBelowOverall`, achieved
 *   the overall rate minus that lowest rate; held when every such group has its matched
 *   mentees (`matchRates`).
 */
export function checkRule(cohort: Cohort, rule: EquityRule, a: Assignment): RuleCheck {
  const k = a.row.length;
  switch (rule.kind) {
    case "minFit": {
      let low = Infinity;
      let below = 0;
      for (let t = 0; t < k; t++) {
        if (a.fit[t] < low) low = a.fit[t];
        if (a.fit[t] < rule.min) below++;
      }
      return {
        held: below === 0,
        required: rule.min,
        achieved: k > 0 ? low : null,
        violations: below,
        shortfall: below,
        groups: [],
      };
    }
    case "maxPerMentorPerGroup": {
      const { code, labels } = menteeGroups(cohort, rule.attribute);
      const cells = new Map<number, number>();
      let most = 0;
      for (let t = 0; t < k; t++) {
        const g = code[a.row[t]];
        if (g < 0) continue;
        const key = a.col[t] * labels.length + g;
        const c = (cells.get(key) ?? 0) + 1;
        cells.set(key, c);
        if (c > most) most = c;
      }
      let over = 0;
      let shortfall = 0;
      for (const c of cells.values())
        if (c > rule.max) {
          over++;
          shortfall += c - rule.max;
        }
      return {
        held: over === 0,
        required: rule.max,
        achieved: most,
        violations: over,
        shortfall,
        groups: [],
      };
    }
    case "proportionalTierAccess": {
      const t = tierAccessTerms(cohort, rule.attribute, rule.tier, rule.tolerance);
      const got = new Int32Array(t.groups.labels.length);
      let pairs = 0;
      for (let q = 0; q < k; q++) {
        if (cohort.view.mentors.tier[a.col[q]] !== t.tierCode) continue;
        pairs++;
        const g = t.groups.code[a.row[q]];
        if (g >= 0) got[g]++;
      }
      const short: string[] = [];
      let margin = Infinity;
      let shortfall = 0;
      for (const g of t.ruled) {
        const m = got[g] - owedPairs(t.factor[g], pairs);
        if (m < 0) {
          short.push(t.groups.labels[g]);
          shortfall -= m;
        }
        margin = Math.min(margin, m);
      }
      return {
        held: short.length === 0,
        required: 0,
        achieved: margin === Infinity ? null : margin,
        violations: short.length,
        shortfall,
        groups: short,
      };
    }
    case "reserve": {
      const { code, labels } = menteeGroups(cohort, rule.attribute);
      const g = labels.indexOf(rule.group);
      const tierCode = rule.tier === undefined ? -1 : (cohort.index.tierById.get(rule.tier) ?? -2);
      const members = new Set<number>();
      let size = 0;
      for (let i = 0; i < code.length; i++) if (code[i] === g && g >= 0) size++;
      for (let t = 0; t < k; t++)
        if (
          g >= 0 &&
          code[a.row[t]] === g &&
          (tierCode === -1 || cohort.view.mentors.tier[a.col[t]] === tierCode)
        )
          members.add(a.row[t]);
      const held = members.size >= rule.min;
      return {
        held,
        required: rule.min,
        // A group below minGroupSize is reported held or not, never counted.
        achieved: size >= cohort.program.minGroupSize ? members.size : null,
        violations: held ? 0 : 1,
        shortfall: Math.max(0, rule.min - members.size),
        groups: held || size < cohort.program.minGroupSize ? [] : [rule.group],
      };
    }
    case "minMatchRate": {
      const { code, labels } = menteeGroups(cohort, rule.attribute);
      const r = matchRates(cohort, code, labels.length, a.row, rule);
      const short = r.short.map((g) => labels[g]);
      const relative = rule.rate === undefined;
      return {
        held: short.length === 0,
        required: rule.rate ?? rule.maxBelowOverall!,
        achieved: r.lowest === null ? null : relative ? r.overall - r.lowest : r.lowest,
        violations: short.length,
        shortfall: r.shortfall,
        groups: short,
      };
    }
    case "maxMeanFitGap": {
      const { code, labels } = menteeGroups(cohort, rule.attribute);
      const m = meanFitGap(
        code,
        labels.length,
        gapGroups(cohort, code, labels.length),
        a.row,
        (t) => Number(a.fit[t]),
      );
      const held = gapHeld(m, rule.maxGap);
      return {
        held,
        required: rule.maxGap,
        achieved: m.gap,
        violations: held ? 0 : 1,
        shortfall: held || m.gap === null ? 0 : m.gap - rule.maxGap,
        groups: held ? [] : [labels[m.hiG], labels[m.loG]],
      };
    }
  }
}

/** A rule's penalty per unit short or over (docs/FAIRNESS.md, "Soft rules"); Infinity for a
 * hard rule. */
export const penaltyOf = (rule: EquityRule): number =>
  "penalty" in rule && rule.penalty !== undefined ? rule.penalty : Infinity;

/** What the soft rules cost on pairs: per soft rule (by its place in `program.equity`) its
 * shortfall (`checkRule`) and penalty × shortfall, and their total. Soft kinds count pairs and
 * mentees, never fits. */
export function softCosts(cohort: Cohort, row: ArrayLike<number>, col: ArrayLike<number>) {
  const a = { row, col, fit: new Float64Array(row.length) };
  const byRule = new Map<number, { shortfall: number; cost: number }>();
  let total = 0;
  cohort.equity.forEach((rule, k) => {
    const penalty = penaltyOf(rule);
    if (!Number.isFinite(penalty)) return;
    const { shortfall } = checkRule(cohort, rule, a);
    byRule.set(k, { shortfall, cost: penalty * shortfall });
    total += penalty * shortfall;
  });
  return { byRule, total };
}

/** `maxMeanFitGap`'s groups: those with at least `minGroupSize` mentees asking for a mentor
 * (`matchRateTargets` at rate 0), ascending. */
export const gapGroups = (cohort: Cohort, code: Int32Array, groups: number): number[] =>
  matchRateTargets(cohort, code, groups, 0).map((t) => t.group);

/** `maxMeanFitGap`'s measure on pairs (`row`, fits by pair index): per group, its pairs and fit
 * total; among the `counted` groups (`gapGroups`) with pairs, the highest and lowest mean and
 * their groups, and the gap between them (0 with one such group, null with none). */
export function meanFitGap(
  code: Int32Array,
  groups: number,
  counted: readonly number[],
  row: ArrayLike<number>,
  fitOf: (t: number) => number,
) {
  const sum = new Float64Array(groups);
  const pairs = new Int32Array(groups);
  for (let t = 0; t < row.length; t++) {
    const g = code[row[t]];
    if (g < 0) continue;
    sum[g] += fitOf(t);
    pairs[g]++;
  }
  return { sum, pairs, ...meanSpread(counted, sum, pairs) };
}

/** Among the `counted` groups with pairs, the highest and lowest mean fit (sum / pairs), their
 * groups (−1 without any), and the gap between them (null without any). */
export function meanSpread(counted: readonly number[], sum: Float64Array, pairs: Int32Array) {
  let hi = -Infinity;
  let lo = Infinity;
  let hiG = -1;
  let loG = -1;
  for (const g of counted) {
    if (pairs[g] === 0) continue;
    const mean = sum[g] / pairs[g];
    if (mean > hi) [hi, hiG] = [mean, g];
    if (mean < lo) [lo, loG] = [mean, g];
  }
  return { hi, lo, hiG, loG, gap: hiG < 0 ? null : hi - lo };
}

/** Whether a measured gap keeps `maxGap`, with a rounding allowance relative to the means
 * compared (never an absolute floor). */
export const gapHeld = (m: ReturnType<typeof meanSpread>, maxGap: number): boolean =>
  m.gap === null || m.gap <= maxGap + ROUNDING * Math.max(Math.abs(m.hi), Math.abs(m.lo));
