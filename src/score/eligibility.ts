/**
 * Pair eligibility: the hard rules a mentee–mentor pair must pass before it can be scored or
 * matched, each with a stable, machine-readable reason code.
 *
 * Rules are checked in a fixed order and the FIRST failing rule is the reason, so "why not mentor
 * X?" always gets one truthful answer. The order (and the numeric codes) are part of the public
 * contract; new rules are only ever appended.
 *
 * | code | reason                | fails when                                                        |
 * | ---- | --------------------- | ----------------------------------------------------------------- |
 * | 0    | (eligible)            |                                                                   |
 * | 1    | `self`                | mentee and mentor are the same person                             |
 * | 2    | `forbidden`           | the pair is in `program.forbiddenPairs`                           |
 * | 3    | `excluded`            | the mentee excluded the mentor or the mentor excluded the mentee  |
 * | 4    | `same_reporting_line` | one is in the other's manager chain (unless allowed)              |
 * | 5    | `repeat_pair`         | the mentor is one of the mentee's past mentors (unless allowed)   |
 * | 6    | `no_capacity`         | the mentor's capacity is 0                                        |
 * | 7    | `no_demand`           | the mentee's `maxMentors` is 0                                    |
 * | 8    | `tier_not_wanted`     | the mentee lists tiers and the mentor's tier is not among them    |
 * | 9    | `level_gap`           | mentor.level − mentee.level is outside the tier's window          |
 * | 10   | `training`            | the mentor lacks a training the tier requires (valid as of asOf)  |
 * | 11   | `tenure`              | the mentor's tenure is below the tier's minimum                   |
 * | 12   | `hours`               | either side states fewer hours per month than the tier requires   |
 * | 13   | `timezone`            | both offsets known and their distance exceeds the hard limit      |
 * | 14   | `language`            | shared language required, both list languages, none shared        |
 * | 15   | `min_fit`             | the pair's fit is below the program's `minFit` equity rule         |
 *
 * Codes 1–14 depend on the two people and the program's rules alone; `ineligibleReason` checks
 * them. Code 15 depends on the fit, so the scorer checks it last, after scoring an otherwise
 * eligible pair (`Scorer.reasonCode`, `scoreRow`): a pair below `minFit` is simply not allowed,
 * which keeps the rule exact in the engine and inside its certificate (docs/FAIRNESS.md).
 *
 * Locked pairs are NOT a rule: a locked pair is judged like any other, and `parseCohort` rejects
 * a locked pair that is ineligible.
 *
 * `ineligibleReason` is the plain reference implementation (clear, allocation-free, O(list sizes)
 * per call). The scorer (`scorer.ts`) evaluates the same rules row by row with precomputed
 * per-mentee marks; a property test checks that the two always agree.
 */
import type { CsrLists, ScoringView, TierRule } from "../cohort/types.js";
import { sortedHas } from "../shared/sorted.js";

/** Why a pair is ineligible (the first failing rule). See the table above. */
export type IneligibleReason =
  | "self"
  | "forbidden"
  | "excluded"
  | "same_reporting_line"
  | "repeat_pair"
  | "no_capacity"
  | "no_demand"
  | "tier_not_wanted"
  | "level_gap"
  | "training"
  | "tenure"
  | "hours"
  | "timezone"
  | "language"
  | "min_fit";

/** Numeric reason codes as stored in `Uint8Array` reason tables; 0 = eligible. Stable. */
export const REASON_CODE = {
  self: 1,
  forbidden: 2,
  excluded: 3,
  same_reporting_line: 4,
  repeat_pair: 5,
  no_capacity: 6,
  no_demand: 7,
  tier_not_wanted: 8,
  level_gap: 9,
  training: 10,
  tenure: 11,
  hours: 12,
  timezone: 13,
  language: 14,
  min_fit: 15,
} as const satisfies Record<IneligibleReason, number>;

/** Code 0: the pair is eligible. */
export const ELIGIBLE = 0;

/** Reasons by numeric code (index 0 is `null`, eligible). */
export const REASONS: readonly (IneligibleReason | null)[] = [
  null,
  "self",
  "forbidden",
  "excluded",
  "same_reporting_line",
  "repeat_pair",
  "no_capacity",
  "no_demand",
  "tier_not_wanted",
  "level_gap",
  "training",
  "tenure",
  "hours",
  "timezone",
  "language",
  "min_fit",
];

/** The reason for a numeric code (`null` for 0 = eligible). Throws on an unknown code. */
export function reasonFromCode(code: number): IneligibleReason | null {
  const r = REASONS[code];
  if (r === undefined) throw new RangeError(`Unknown eligibility reason code ${code}`);
  return r;
}

/** The numeric code of a reason (`null` = eligible → 0). */
export function reasonCode(reason: IneligibleReason | null): number {
  return reason === null ? ELIGIBLE : REASON_CODE[reason];
}

/** Distance between two UTC offsets in hours on the 24-hour clock (0..12): −11 and +13 are 0
 * hours apart. NaN when either offset is unknown (NaN). */
export function utcOffsetDistance(a: number, b: number): number {
  let d = Math.abs(a - b);
  if (d >= 24) d %= 24;
  if (d > 12) d = 24 - d;
  return d;
}

/** Whether sorted CSR row `row` contains `value` (binary search). */
export function csrHas(list: CsrLists, row: number, value: number): boolean {
  return sortedHas(list.items, list.offsets[row], list.offsets[row + 1], value);
}

/** Whether two sorted CSR rows share an item (merge walk). */
export function csrIntersects(a: CsrLists, rowA: number, b: CsrLists, rowB: number): boolean {
  let p = a.offsets[rowA];
  const pe = a.offsets[rowA + 1];
  let q = b.offsets[rowB];
  const qe = b.offsets[rowB + 1];
  while (p < pe && q < qe) {
    const x = a.items[p];
    const y = b.items[q];
    if (x === y) return true;
    if (x < y) p++;
    else q++;
  }
  return false;
}

/** The tier rule with this code (tiers are normally stored at their code's index). */
export function tierByCode(view: ScoringView, code: number): TierRule {
  const t = view.tiers[code];
  if (t !== undefined && t.code === code) return t;
  for (const rule of view.tiers) if (rule.code === code) return rule;
  throw new RangeError(`Mentor tier code ${code} has no tier rule in the view`);
}

function isForbidden(view: ScoringView, i: number, j: number): boolean {
  const f = view.forbidden;
  let lo = 0;
  let hi = f.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const p = f[mid];
    const c = p.mentee - i || p.mentor - j;
    if (c === 0) return true;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The first eligibility rule of codes 1–14 that mentee `i` and mentor `j` fail, or `null` when
 * they pass them all (then only `min_fit`, which needs the pair's fit, may still rule the pair
 * out: the scorer checks it). Pure; reads only the `ScoringView` (which has no sensitive
 * attributes).
 */
export function ineligibleReason(view: ScoringView, i: number, j: number): IneligibleReason | null {
  const me = view.mentees;
  const mr = view.mentors;
  const rules = view.rules;

  if (me.person[i] === mr.person[j]) return "self";
  if (isForbidden(view, i, j)) return "forbidden";
  if (csrHas(me.excludedMentors, i, j) || csrHas(mr.excludedMentees, j, i)) return "excluded";
  if (
    !rules.allowSameReportingLine &&
    (csrHas(me.managerChain, i, mr.person[j]) || csrHas(mr.managerChain, j, me.person[i]))
  )
    return "same_reporting_line";
  if (!rules.allowRepeatPairs && csrHas(me.pastMentors, i, j)) return "repeat_pair";
  if (mr.capacity[j] <= 0) return "no_capacity";
  if (me.maxMentors[i] <= 0) return "no_demand";

  const tierCode = mr.tier[j];
  const wanted = me.tiersWanted;
  if (wanted.offsets[i + 1] > wanted.offsets[i] && !csrHas(wanted, i, tierCode))
    return "tier_not_wanted";

  const tier = tierByCode(view, tierCode);
  const gap = mr.level[j] - me.level[i];
  if (gap < tier.levelGapMin || gap > tier.levelGapMax) return "level_gap";
  const req = tier.trainingRequired;
  for (let t = 0; t < req.length; t++) if (!csrHas(mr.training, j, req[t])) return "training";
  if (mr.tenureMonths[j] < tier.minMentorTenureMonths) return "tenure";
  // NaN hours = no stated limit, so the comparison is false and the rule passes.
  if (mr.hoursPerMonth[j] < tier.minHoursPerMonth || me.hoursPerMonth[i] < tier.minHoursPerMonth)
    return "hours";

  const maxTz = rules.maxUtcOffsetDiffHours;
  if (maxTz !== undefined && utcOffsetDistance(me.utcOffset[i], mr.utcOffset[j]) > maxTz)
    return "timezone"; // NaN distance (unknown offset) compares false: passes
  if (
    rules.requireSharedLanguage &&
    me.languages.offsets[i + 1] > me.languages.offsets[i] &&
    mr.languages.offsets[j + 1] > mr.languages.offsets[j] &&
    !csrIntersects(me.languages, i, mr.languages, j)
  )
    return "language";
  return null;
}

/** Four interleaved histograms of reason codes (see `countReasons`). */
const histogram = new Int32Array(4 * REASONS.length);

/**
 * How many of a row's m pairs have each reason code: `counts[at + code]` for every code (code 0:
 * eligible). One pass over the codes, into four histograms in turn, so that consecutive
 * increments do not wait on each other.
 */
export function countReasons(reason: Uint8Array, m: number, counts: Int32Array, at: number): void {
  const codes = REASONS.length;
  const h = histogram;
  h.fill(0);
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    h[reason[j]]++;
    h[codes + reason[j + 1]]++;
    h[2 * codes + reason[j + 2]]++;
    h[3 * codes + reason[j + 3]]++;
  }
  for (; j < m; j++) h[reason[j]]++;
  for (let r = 0; r < codes; r++)
    counts[at + r] = h[r] + h[codes + r] + h[2 * codes + r] + h[3 * codes + r];
}
