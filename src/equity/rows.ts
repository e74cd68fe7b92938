/**
 * The equity rules that cut across the flow, as linear side rows over the pairs x_ij:
 *
 *   share row (proportionalTierAccess r, group g with a row):
 *       c_g · P_r − P_rg ≤ b_g      P_r = pairs with a mentor of the rule's tier,
 *                                    P_rg = those whose mentee is in g, c_g = `tierAccessTerms`,
 *                                    b_g = the most c_g · P − ⌊c_g · P + ε⌋ over the P the
 *                                    tier can hold (ε = 1e-9, rules.ts' ROUNDING)
 *   cap row (maxPerMentorPerGroup r, mentor j, group g):
 *       Σ_{i in g} x_ij ≤ max
 *   reserve row (reserve r: group g, tier T or every mentor; minMatchRate: one per group with
 *   a target, every mentor):
 *       −Σ_{i in g, j in T} x_ij ≤ −min
 *                                    (the rule counts mentees, the row pairs: a mentee with two
 *                                    mentors of T counts twice, so the rule implies the row)
 *   rate row (minMatchRate relative to the overall rate, δ; one per group g with a target):
 *       −Σ_i a_i P_i ≤ δ n_g          P_i = mentee i's pairs, n_g = g's mentees asking, N all
 *                                    asking; a_i = 1 − n_g/N for i in g, −n_g / (N u_i) for
 *                                    the others, u_i = i's most mentors
 *                                    (the rule m_g − (n_g/N) M ≥ −δ n_g counts matched mentees
 *                                    m; P_i ≥ m_i where a_i > 0 and P_i / u_i ≤ m_i where
 *                                    a_i < 0, so the rule implies the row: exact when every
 *                                    mentee takes one mentor, looser with two)
 *
 * The rule (rules.ts) is P_rg ≥ ⌊c_g · P_r + ε⌋, which implies the row by b_g's definition; b_g
 * < 1, so for whole numbers P_rg the row in turn gives P_rg ≥ ⌊c_g · P_r + ε⌋: the same set.
 * The smallest such b_g keeps the relaxation tight (with c_g = 1/2, b_g = 1/2: a group owed
 * one pair that cannot get it breaks the row by 1/2, not by ε, and the bound proves it). For multipliers λ ≥ 0 on these rows, every assignment that keeps them has
 *
 *   Σ s·x ≤ Σ (s − Σ_k λ_k a_k)·x + Σ_k λ_k b_k,
 *
 * so the engine's proven bound on the adjusted scores plus λ·b bounds the constrained optimum
 * (Lagrangian relaxation; docs/FAIRNESS.md). This module compiles the rows, measures an
 * assignment against them, and adjusts scores for given multipliers; lagrange.ts searches them.
 *
 * Mean-fit gaps (maxMeanFitGap) are no linear rows: they are measured here, and kept by
 * gap-repair.ts on the search's answer; they have no multipliers, so every bound is one
 * without them, which bounds the optimum with them too.
 * Groups and tiers come in as codes per mentee and mentor: nothing here reaches the scorer.
 */
import type { Cohort } from "../cohort/types.js";
import { menteeGroups } from "./groups.js";
import {
  gapGroups,
  gapHeld,
  matchRateTargets,
  meanFitGap,
  owedPairs,
  penaltyOf,
  relativeNeed,
  ROUNDING,
  tierAccessTerms,
} from "./rules.js";

export interface ShareRule {
  /** Index in `program.equity`. */
  readonly rule: number;
  readonly tier: number;
  /** Group code per mentee (−1: not stated). */
  readonly code: Int32Array;
  readonly labels: readonly string[];
  /** Codes of the groups with a row, ascending. */
  readonly groups: readonly number[];
  /** c_g per group code (0 for groups without a row). */
  readonly factor: Float64Array;
  /** b_g per group code: the row's limit (see above). */
  readonly limit: Float64Array;
  readonly penalty: number;
  /** The most pairs the groups can fall short together (a soft rule's worst, see softFloor). */
  readonly worst: number;
}

export interface CapRule {
  readonly rule: number;
  readonly max: number;
  readonly code: Int32Array;
  readonly labels: readonly string[];
  readonly penalty: number;
  /** The most pairs over the caps together: Σ_j max(0, capacity_j − max). */
  readonly worst: number;
}

export interface ReserveRule {
  readonly rule: number;
  /** The group's code per mentee and the group's own code (−1: no mentee states it). */
  readonly code: Int32Array;
  readonly group: number;
  readonly label: string;
  /** Tier code, or −1 for every mentor. */
  readonly tier: number;
  readonly min: number;
  readonly penalty: number;
}

export interface RateRule {
  readonly rule: number;
  readonly code: Int32Array;
  readonly group: number;
  readonly label: string;
  /** n_g, n_g / N, and the row's limit δ n_g. */
  readonly asking: number;
  readonly share: number;
  readonly limit: number;
  /** The rule's δ (to measure it: rules.ts \`relativeNeed\`). */
  readonly below: number;
  readonly penalty: number;
}

export interface GapRule {
  readonly rule: number;
  readonly maxGap: number;
  readonly code: Int32Array;
  readonly labels: readonly string[];
  /** Codes of the groups the rule counts (rules.ts \`gapGroups\`). */
  readonly groups: readonly number[];
}

export interface SideRules {
  readonly share: readonly ShareRule[];
  readonly caps: readonly CapRule[];
  readonly reserves: readonly ReserveRule[];
  readonly rates: readonly RateRule[];
  readonly gaps: readonly GapRule[];
  /** Most mentors per mentee (u_i of the rate rows), and the mentees who ask for one (N). */
  readonly maxMentors: ArrayLike<number>;
  readonly asking: number;
  /** Tier code per mentor. */
  readonly mentorTier: Int32Array;
}

/** The side rows of the cohort's rules; rules that cannot bind are left out (a share rule with
 * no group of `minGroupSize`, a cap no mentor's capacity exceeds). */
export function sideRules(cohort: Cohort): SideRules {
  const share: ShareRule[] = [];
  const caps: CapRule[] = [];
  const reserves: ReserveRule[] = [];
  const gaps: GapRule[] = [];
  const rates: RateRule[] = [];
  const { capacity } = cohort.view.mentors;
  const { maxMentors } = cohort.view.mentees;
  let asking = 0;
  for (let i = 0; i < maxMentors.length; i++) if (maxMentors[i] > 0) asking++;
  let most = 0;
  for (const c of capacity) if (c > most) most = c;
  cohort.equity.forEach((rule, index) => {
    const penalty = penaltyOf(rule);
    if (rule.kind === "proportionalTierAccess") {
      const t = tierAccessTerms(cohort, rule.attribute, rule.tier, rule.tolerance);
      if (t.ruled.length > 0 && t.tierCode >= 0) {
        // The most pairs the tier can hold: its mentors' capacities.
        let room = 0;
        for (let j = 0; j < capacity.length; j++)
          if (cohort.view.mentors.tier[j] === t.tierCode) room += capacity[j];
        const limit = new Float64Array(t.factor.length);
        for (const g of t.ruled) limit[g] = shareLimit(t.factor[g], room);
        share.push({
          rule: index,
          tier: t.tierCode,
          code: t.groups.code,
          labels: t.groups.labels,
          groups: t.ruled,
          factor: t.factor,
          limit,
          penalty,
          worst: t.ruled.reduce((w, g) => w + owedPairs(t.factor[g], room), 0),
        });
      }
    } else if (rule.kind === "maxPerMentorPerGroup" && most > rule.max) {
      const g = menteeGroups(cohort, rule.attribute);
      let worst = 0;
      for (const c of capacity) worst += Math.max(0, c - rule.max);
      caps.push({ rule: index, max: rule.max, code: g.code, labels: g.labels, penalty, worst });
    } else if (rule.kind === "minMatchRate" && rule.maxBelowOverall !== undefined) {
      // One rate row per group with a target (see above).
      const g = menteeGroups(cohort, rule.attribute);
      for (const t of matchRateTargets(cohort, g.code, g.labels.length, 0))
        rates.push({
          rule: index,
          code: g.code,
          group: t.group,
          label: g.labels[t.group],
          asking: t.asking,
          share: t.asking / asking,
          limit: rule.maxBelowOverall * t.asking,
          below: rule.maxBelowOverall,
          penalty,
        });
    } else if (rule.kind === "minMatchRate") {
      // One reserve row per group with a target: its matched mentees, with any mentor.
      const g = menteeGroups(cohort, rule.attribute);
      for (const t of matchRateTargets(cohort, g.code, g.labels.length, rule.rate!))
        if (t.min > 0)
          reserves.push({
            rule: index,
            code: g.code,
            group: t.group,
            label: g.labels[t.group],
            tier: -1,
            min: t.min,
            penalty,
          });
    } else if (rule.kind === "reserve") {
      const g = menteeGroups(cohort, rule.attribute);
      reserves.push({
        rule: index,
        code: g.code,
        group: g.labels.indexOf(rule.group),
        label: rule.group,
        tier: rule.tier === undefined ? -1 : (cohort.index.tierById.get(rule.tier) ?? -1),
        min: rule.min,
        penalty,
      });
    } else if (rule.kind === "maxMeanFitGap") {
      const g = menteeGroups(cohort, rule.attribute);
      const groups = gapGroups(cohort, g.code, g.labels.length);
      if (groups.length > 1)
        gaps.push({ rule: index, maxGap: rule.maxGap, code: g.code, labels: g.labels, groups });
    }
  });
  return {
    share,
    caps,
    reserves,
    rates,
    gaps,
    maxMentors,
    asking,
    mentorTier: cohort.view.mentors.tier,
  };
}

/** b = the most c · P − ⌊c · P + ε⌋ over P = 0 … most (see above): at least 0, below 1. Past
 * \`SCAN\` pairs, 1 − ε, which bounds it whatever P (looser, never wrong). */
function shareLimit(c: number, most: number): number {
  if (most > SCAN) return 1 - ROUNDING;
  let b = 0;
  for (let P = 1; P <= most; P++) b = Math.max(b, c * P - owedPairs(c, P));
  return b;
}
const SCAN = 100_000;

export const hasSideRows = (s: SideRules): boolean =>
  s.share.length > 0 ||
  s.caps.length > 0 ||
  s.reserves.length > 0 ||
  s.rates.length > 0 ||
  s.gaps.length > 0;

/** Whether a row's rule is soft: its penalty per unit short or over is finite. */
export const isSoftRow = (penalty: number): boolean => Number.isFinite(penalty);

/** The most a row's multiplier may be: ∞ for a hard rule, its penalty for a soft one (the
 * Lagrangian bound then bounds the penalized total, docs/FAIRNESS.md), 0 for a soft one in a
 * count (soft rules price fit, not pairs). The search keeps its multipliers there, and
 * `verifyMatch` refuses a certificate's above it. */
export const multiplierCeiling = (penalty: number, counting: boolean): number =>
  isSoftRow(penalty) && counting ? 0 : penalty;

/** The most any assignment can lose to soft rules' penalties (each soft row at its worst: a
 * share's groups owed all they can be, every cap cell full of one group, a reserve or a rate's
 * group with nobody matched); 0 without soft rules. */
export function softFloor(s: SideRules): number {
  let t = 0;
  for (const r of s.share) if (isSoftRow(r.penalty)) t += r.penalty * r.worst;
  for (const r of s.caps) if (isSoftRow(r.penalty)) t += r.penalty * r.worst;
  for (const r of s.reserves) if (isSoftRow(r.penalty)) t += r.penalty * r.min;
  for (const r of s.rates) if (isSoftRow(r.penalty)) t += r.penalty * r.asking;
  return t;
}

/**
 * The scale of a tolerance on a total under soft rules (the search's "optimal", `verifyMatch`'s
 * check): the scores' largest and the soft cost the answer incurs — never the largest penalty,
 * which would let a penalty of 10⁹ hide whole fits in the tolerance — except when every score
 * is 0: the total is then soft costs alone, whole numbers of penalties, and the largest penalty
 * is its only scale (no unit of cost fits in 1e-9 of it).
 */
export function softTotalScale(s: SideRules, scoresMax: number, incurred: number): number {
  if (scoresMax > 0 || incurred > 0) return Math.max(scoresMax, incurred);
  let t = 0;
  for (const r of [...s.share, ...s.caps, ...s.reserves, ...s.rates])
    if (isSoftRow(r.penalty) && r.penalty > t) t = r.penalty;
  return t;
}

/** Multipliers: per share rule, λ per group code; per cap rule, μ per (mentor, group) cell
 * (key j · groups + g), only where positive. */
export interface Multipliers {
  readonly share: Float64Array[];
  readonly cap: Map<number, number>[];
  /** One per reserve rule. */
  readonly reserve: Float64Array;
  /** One per rate row. */
  readonly rate: Float64Array;
}

export function zeroMultipliers(s: SideRules): Multipliers {
  return {
    share: s.share.map((r) => new Float64Array(r.labels.length)),
    cap: s.caps.map(() => new Map()),
    reserve: new Float64Array(s.reserves.length),
    rate: new Float64Array(s.rates.length),
  };
}

export function copyMultipliers(m: Multipliers): Multipliers {
  return {
    share: m.share.map((a) => a.slice()),
    cap: m.cap.map((c) => new Map(c)),
    reserve: m.reserve.slice(),
    rate: m.rate.slice(),
  };
}

/** λ · b over the positive multipliers (the others count as 0, as in `adjustScores`): Σ λ · b_g
 * over share rows + Σ μ · max over cap cells. */
export function constantTerm(s: SideRules, m: Multipliers): number {
  let t = 0;
  m.share.forEach((a, k) => {
    for (let g = 0; g < a.length; g++) if (a[g] > 0) t += a[g] * s.share[k].limit[g];
  });
  s.caps.forEach((c, r) => {
    for (const mu of m.cap[r].values()) if (mu > 0) t += mu * c.max;
  });
  s.reserves.forEach((r, k) => {
    if (m.reserve[k] > 0) t -= m.reserve[k] * r.min;
  });
  s.rates.forEach((r, k) => {
    if (m.rate[k] > 0) t += m.rate[k] * r.limit;
  });
  return t;
}

/**
 * Adjusted scores of the pairs of a CSR (`start`, `col`; `fit` the scores): out[e] = perPair +
 * fit[e] − Σ_k λ_k a_k(i, j), where `perPair` is what every pair earns (the multiplier of an
 * "at least so many pairs" row, lagrange.ts). A reserve's multiplier adds to its group's pairs
 * (with its tier's mentors). Share rule r adds, for a mentor of its tier, λ_r,g(i) − Σ_g λ_rg
 * c_g; a cap cell subtracts μ_{j, g(i)}; a rate row adds its multiplier times a_i.
 */
export function adjustScores(
  s: SideRules,
  m: Multipliers,
  start: Int32Array,
  col: Int32Array,
  fit: Float64Array,
  perPair: number,
  out: Float64Array,
): void {
  const rows = start.length - 1;
  const tierOf = s.mentorTier;
  let tiers = 1;
  for (const t of tierOf) if (t >= tiers) tiers = t + 1;
  // Per share rule: Λ_r = Σ_g λ_g c_g.
  const big = s.share.map((r, k) => r.groups.reduce((t, g) => t + m.share[k][g] * r.factor[g], 0));
  const tierDelta = new Float64Array(tiers);
  const capCells = s.caps.map((c, r) => cellsByGroup(m.cap[r], c.labels.length, tierOf.length));
  const reserveLam = Float64Array.from(m.reserve, (x) => (x > 0 ? x : 0));
  // Plain loops below: this runs over every pair once per engine solve of the search.
  for (let i = 0; i < rows; i++) {
    tierDelta.fill(0);
    for (let k = 0; k < s.share.length; k++) {
      const r = s.share[k];
      const g = r.code[i];
      tierDelta[r.tier] += (g >= 0 ? m.share[k][g] : 0) - big[k];
    }
    // A reserve adds its multiplier to its group's pairs (with its tier's mentors).
    let everyTier = 0;
    for (let k = 0; k < s.reserves.length; k++) {
      const r = s.reserves[k];
      if (reserveLam[k] === 0 || r.group < 0 || r.code[i] !== r.group) continue;
      if (r.tier < 0) everyTier += reserveLam[k];
      else tierDelta[r.tier] += reserveLam[k];
    }
    for (let k = 0; k < s.rates.length; k++)
      if (m.rate[k] > 0) everyTier += m.rate[k] * rateCoefficient(s, s.rates[k], i);
    let flat = true;
    for (let t = 0; t < tiers; t++) if (tierDelta[t] !== 0) flat = false;
    const e0 = start[i];
    const e1 = start[i + 1];
    // Summed in this order (the certificate's check recomputes it the same way).
    if (flat) for (let e = e0; e < e1; e++) out[e] = perPair + fit[e] + everyTier;
    else
      for (let e = e0; e < e1; e++)
        out[e] = perPair + fit[e] + everyTier + tierDelta[tierOf[col[e]]];
    // Cap cells of the row's groups, where a group has any.
    for (let r = 0; r < s.caps.length; r++) {
      const g = s.caps[r].code[i];
      const mu = g >= 0 ? capCells[r][g] : undefined;
      if (!mu) continue;
      for (let e = e0; e < e1; e++) out[e] -= mu[col[e]];
    }
  }
}

/** a_i of a rate row (see above); 0 for a mentee who asks for no mentor. */
function rateCoefficient(s: SideRules, r: RateRule, i: number): number {
  if (r.code[i] === r.group) return 1 - r.share;
  return s.maxMentors[i] > 0 ? -r.share / s.maxMentors[i] : 0;
}

/** A cap rule's multipliers regrouped: per group with any, μ by mentor (0 where none). */
function cellsByGroup(
  cells: Map<number, number>,
  groups: number,
  cols: number,
): (Float64Array | undefined)[] {
  const out: (Float64Array | undefined)[] = new Array(groups);
  for (const [key, mu] of cells) {
    if (mu <= 0) continue;
    const g = key % groups;
    const j = (key - g) / groups;
    (out[g] ??= new Float64Array(cols))[j] = mu;
  }
  return out;
}

/** An assignment measured against the rows: each row's value of a·x − b (the subgradient of the
 * Lagrangian bound), and whether the rules hold (share rows by the rule's own rounding). */
export interface RowValues {
  /** Per share rule, per group code: c_g · P − P_g − b_g. */
  readonly share: Float64Array[];
  /** Per share rule, per group code: 1 when the group has fewer pairs than it is owed. */
  readonly shareShort: Uint8Array[];
  /** Per cap rule: cell key → count − max, for every cell with a pair. */
  readonly cap: Map<number, number>[];
  /** Per reserve rule: min − its pairs (the row), and whether its mentees fall short (the rule). */
  readonly reserve: Float64Array;
  readonly reserveShort: Uint8Array;
  /** Per rate row: −Σ a_i P_i − δ n_g (the row), and whether its group falls short (the rule). */
  readonly rate: Float64Array;
  readonly rateShort: Uint8Array;
  /** Per gap rule: whether it holds (rules.ts \`meanFitGap\`, \`gapHeld\`). */
  readonly gapHeld: readonly boolean[];
  /** Whether every hard rule holds, the gap rules' aside. */
  readonly holdsBesideGaps: boolean;
  /** Whether every hard rule holds (soft rules may fall short: \`softCost\`). */
  readonly holds: boolean;
  /** Σ penalty × units short or over, over the soft rules (rules.ts \`checkRule\`'s shortfall). */
  readonly softCost: number;
  /** Units short or over, over the hard rules that fail (0 when they hold). */
  readonly excess: number;
}

export function rowValues(
  s: SideRules,
  row: ArrayLike<number>,
  col: ArrayLike<number>,
  fitOf: (t: number) => number,
): RowValues {
  let holds = true;
  let excess = 0;
  let softCost = 0;
  // A rule falls short (or over) by `amount`: a soft one costs its penalty for each unit.
  const fail = (penalty: number, amount: number) => {
    if (isSoftRow(penalty)) softCost += penalty * amount;
    else {
      holds = false;
      excess += amount;
    }
  };
  const shareShort = s.share.map((r) => new Uint8Array(r.labels.length));
  const share = s.share.map((r, k) => {
    const got = new Int32Array(r.labels.length);
    let pairs = 0;
    for (let t = 0; t < row.length; t++) {
      if (s.mentorTier[col[t]] !== r.tier) continue;
      pairs++;
      const g = r.code[row[t]];
      if (g >= 0) got[g]++;
    }
    const v = new Float64Array(r.labels.length);
    for (const g of r.groups) {
      v[g] = r.factor[g] * pairs - got[g] - r.limit[g];
      if (got[g] < owedPairs(r.factor[g], pairs)) {
        shareShort[k][g] = 1;
        fail(r.penalty, owedPairs(r.factor[g], pairs) - got[g]);
      }
    }
    return v;
  });
  const cap = s.caps.map((c) => {
    const G = c.labels.length;
    const counts = new Map<number, number>();
    for (let t = 0; t < row.length; t++) {
      const g = c.code[row[t]];
      if (g < 0) continue;
      const key = col[t] * G + g;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const v = new Map<number, number>();
    for (const [key, n] of counts) {
      v.set(key, n - c.max);
      if (n > c.max) fail(c.penalty, n - c.max);
    }
    return v;
  });
  const reserve = new Float64Array(s.reserves.length);
  const reserveShort = new Uint8Array(s.reserves.length);
  s.reserves.forEach((r, k) => {
    let pairs = 0;
    const mentees = new Set<number>();
    if (r.group >= 0)
      for (let t = 0; t < row.length; t++)
        if (r.code[row[t]] === r.group && (r.tier < 0 || s.mentorTier[col[t]] === r.tier)) {
          pairs++;
          mentees.add(row[t]);
        }
    reserve[k] = r.min - pairs;
    if (mentees.size < r.min) {
      reserveShort[k] = 1;
      fail(r.penalty, r.min - mentees.size);
    }
  });
  const rate = new Float64Array(s.rates.length);
  const rateShort = new Uint8Array(s.rates.length);
  if (s.rates.length > 0) {
    // Matched mentees per group (one count per mentee), and among all who ask.
    const seen = new Set<number>();
    for (let t = 0; t < row.length; t++) seen.add(row[t]);
    const overall = s.asking > 0 ? seen.size / s.asking : 0;
    s.rates.forEach((r, k) => {
      let v = 0;
      for (let t = 0; t < row.length; t++) v -= rateCoefficient(s, r, row[t]);
      rate[k] = v - r.limit;
      let matched = 0;
      for (const i of seen) if (r.code[i] === r.group) matched++;
      const need = relativeNeed(overall, r.below, r.asking);
      if (matched < need) {
        rateShort[k] = 1;
        fail(r.penalty, need - matched);
      }
    });
  }
  const holdsBesideGaps = holds;
  const gapHolds = s.gaps.map((r) => {
    const held = gapHeld(meanFitGap(r.code, r.labels.length, r.groups, row, fitOf), r.maxGap);
    if (!held) {
      holds = false;
      excess += 1;
    }
    return held;
  });
  return {
    share,
    shareShort,
    cap,
    reserve,
    reserveShort,
    rate,
    rateShort,
    gapHeld: gapHolds,
    holdsBesideGaps,
    holds,
    excess,
    softCost,
  };
}
