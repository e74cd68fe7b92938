/**
 * The pair scorer: everything the solver calls in hot loops.
 *
 *   score(i, j) = weights.gap · G_ij                      (gap.ts: strategy-weighted gap coverage)
 *               + weights.crossDepartment · X_ij + weights.preference · P_ij
 *               + weights.aspiration · A_ij + weights.timezone · T_ij
 *               + weights.language · L_ij + weights.unmatchedBoost · R_i     (terms.ts)
 *
 * for an eligible pair, and 0 for an ineligible one (eligibility.ts gives the reason). Scores are
 * finite and >= 0.
 *
 * `createScorer` does the O(n·S + m·S + list sizes) preparation once: a compact per-mentee list
 * of active skills (priority > 0 and gap > 0, with the gap-term factor folded in), inverted
 * per-mentee lists for the pair rules (forbidden, excluded-by-mentor, same person, reporting
 * line) and per-mentor rule outcomes that depend on the mentor alone. `scoreRow` then fills a row
 * with one pass over the mentors, a few comparisons per mentor, and a loop over the mentee's
 * active skills only; nothing is allocated per pair. The layout follows the typed-array style
 * of mourner's flatbush/kdbush (flat arrays, integer indices, CSR lists).
 */
import type { CsrLists, ScoringView } from "../cohort/types.js";
import type { ScoringOptions, ScoringWeights } from "../schema/input.js";
import {
  ELIGIBLE,
  type IneligibleReason,
  REASON_CODE,
  ineligibleReason,
  tierByCode,
} from "./eligibility.js";
import { type SkillContribution, gapBreakdown, menteePriority, skillGap } from "./gap.js";
import { OPTIONAL_TERMS, type OptionalTerm, TERM_FUNCTIONS, timezoneValue } from "./terms.js";

/** A pair's score, taken apart. Plain JSON. `skills[].contribution` sums to `terms.gap`, and the
 * `terms` sum to `total` (left to right, in key order), exactly as the scorer adds them. */
export interface ScoreBreakdown {
  readonly mentee: number;
  readonly mentor: number;
  /**
   * The pair's fit. For an eligible pair this is `score(i, j)`. For an ineligible pair it is the
   * fit the pair WOULD have had (useful for "why not mentor X?"); `score(i, j)` is 0 for it.
   */
  readonly total: number;
  readonly form: ScoringOptions["form"];
  /** Weighted contribution of each term (weight × value). */
  readonly terms: Readonly<Record<"gap" | OptionalTerm, number>>;
  /** Unweighted value of each optional term (see terms.ts), and of the gap term (G_ij). */
  readonly values: Readonly<Record<"gap" | OptionalTerm, number>>;
  readonly weights: ScoringWeights;
  /** The mentee's total strategy-weighted gap W_i (the normalized form divides by it). */
  readonly menteeWeightedGap: number;
  /** Skills on which the mentee has a gap, in skill order. */
  readonly skills: readonly SkillContribution[];
  readonly eligible: boolean;
  readonly reason: IneligibleReason | null;
  readonly reasonCode: number;
}

export interface Scorer {
  readonly n: number;
  readonly m: number;
  /** Score of pair (i, j): finite, >= 0; 0 when the pair is ineligible. */
  score(i: number, j: number): number;
  /** Eligibility reason code of pair (i, j) (0 = eligible; see `REASON_CODE`). */
  reasonCode(i: number, j: number): number;
  /**
   * Fill `out[j]` (length >= m) with the score of (i, j) for every mentor j, and `reason[j]` with
   * its reason code when given. Ineligible pairs get score 0 and a non-zero reason. Returns the
   * number of eligible mentors; when `eligible` (length >= m) is given, its first entries are
   * their indices, ascending (so a caller can skip the ineligible without scanning all m).
   * Not re-entrant: the scorer keeps per-row scratch space.
   */
  scoreRow(i: number, out: Float64Array, reason?: Uint8Array, eligible?: Int32Array): number;
  /** Per-skill and per-term breakdown of pair (i, j), computed on demand. */
  explain(i: number, j: number): ScoreBreakdown;
  /** An upper bound on score(i, j) over all mentors j (every term at its best). */
  rowUpperBound(i: number): number;
}

const M_SELF = 1;
const M_FORBIDDEN = 2;
const M_EXCLUDED = 4;
const M_REPORTING = 8;
const M_PAST = 16;
const M_PREFERRED = 32;
const M_RULES = M_SELF | M_FORBIDDEN | M_EXCLUDED | M_REPORTING | M_PAST;

function maxItem(a: ArrayLike<number>, init: number): number {
  let m = init;
  for (let p = 0; p < a.length; p++) if (a[p] > m) m = a[p];
  return m;
}

/** Build CSR rows `key → values` from pairs given by a visitor (counting sort; values in visit
 * order, which callers make ascending). */
function invert(
  rows: number,
  visit: (emit: (key: number, value: number) => void) => void,
): CsrLists {
  const offsets = new Int32Array(rows + 1);
  visit((key) => {
    offsets[key + 1]++;
  });
  for (let r = 0; r < rows; r++) offsets[r + 1] += offsets[r];
  const items = new Int32Array(offsets[rows]);
  const fill = offsets.slice(0, rows);
  visit((key, value) => {
    items[fill[key]++] = value;
  });
  return { offsets, items };
}

/** The first `m` rows of the CSR list `list` turned around: item → the rows that list it
 * (ascending); `rows` is the number of distinct items. */
function transpose(rows: number, list: CsrLists, m: number): CsrLists {
  return invert(rows, (emit) => {
    for (let j = 0; j < m; j++)
      for (let p = list.offsets[j]; p < list.offsets[j + 1]; p++) emit(list.items[p], j);
  });
}

const {
  no_capacity: NO_CAPACITY,
  no_demand: NO_DEMAND,
  tier_not_wanted: TIER_NOT_WANTED,
  level_gap: LEVEL_GAP,
  timezone: TIMEZONE,
  language: LANGUAGE,
} = REASON_CODE;

/** Whether mentor j shares a language with the current row's mentee (`langMark` is set). */
function sharesLanguage(mLang: CsrLists, langMark: Uint8Array, j: number): boolean {
  const q1 = mLang.offsets[j + 1];
  for (let q = mLang.offsets[j]; q < q1; q++) if (langMark[mLang.items[q]] !== 0) return true;
  return false;
}

// The row pass's hot loops are module functions over their arrays, not closures of
// `createScorer`: V8 specializes a closure's code to its context only while one scorer exists,
// and the code shared by every later scorer (each `match`, `verifyMatch` and `explainPair`
// makes one) ran the pass about 1.5× slower (docs/SCORING.md, section 5).

/**
 * Pass 1 of a row: each mentor's reason code in the documented rule order into `why`, the
 * eligible mentors' indices into `elig` (ascending); returns how many are eligible. `offset` is
 * the mentee's UTC offset when the time-zone rule applies (NaN: it does not); `mLang` is given
 * when the shared-language rule applies.
 */
function eligibilityPass(
  m: number,
  mark: Uint8Array,
  mentorPre: Uint8Array,
  mTier: Int32Array,
  lvLo: Float64Array,
  lvHi: Float64Array,
  tierWantCode: Uint8Array,
  tierHoursCode: Uint8Array,
  noDemand: boolean,
  level: number,
  offset: number,
  mOffset: Float64Array,
  maxTzHours: number,
  mLang: CsrLists | undefined,
  langMark: Uint8Array,
  langBits: Int32Array | undefined,
  menteeLangBits: number,
  why: Uint8Array,
  elig: Int32Array,
): number {
  const checkTz = offset === offset;
  let nElig = 0;
  for (let j = 0; j < m; j++) {
    let r = ELIGIBLE;
    const mk = mark[j];
    if ((mk & M_RULES) !== 0) {
      r =
        mk & M_SELF
          ? REASON_CODE.self
          : mk & M_FORBIDDEN
            ? REASON_CODE.forbidden
            : mk & M_EXCLUDED
              ? REASON_CODE.excluded
              : mk & M_REPORTING
                ? REASON_CODE.same_reporting_line
                : REASON_CODE.repeat_pair;
    } else {
      const pre = mentorPre[j];
      const t = mTier[j];
      if (pre === NO_CAPACITY) r = pre;
      else if (noDemand) r = NO_DEMAND;
      else if (tierWantCode[t] !== 0) r = TIER_NOT_WANTED;
      else if (level < lvLo[j] || level > lvHi[j]) r = LEVEL_GAP;
      else if (pre !== 0) r = pre;
      else r = tierHoursCode[t];
      if (r === ELIGIBLE && checkTz) {
        // utcOffsetDistance inlined; `%` on doubles is a slow fmod call and |Δ| < 24 is the
        // common case (offsets lie in −12..14), so take the remainder only when needed.
        let d = offset - mOffset[j];
        if (d < 0) d = -d;
        if (d >= 24) d %= 24;
        if ((d > 12 ? 24 - d : d) > maxTzHours) r = TIMEZONE;
      }
      if (r === ELIGIBLE && mLang !== undefined && mLang.offsets[j + 1] > mLang.offsets[j]) {
        // Few languages: a mentor's are bits, and "shares one" is an AND.
        const shares =
          langBits !== undefined
            ? (langBits[j] & menteeLangBits) !== 0
            : sharesLanguage(mLang, langMark, j);
        if (!shares) r = LANGUAGE;
      }
    }
    why[j] = r;
    if (r === ELIGIBLE) elig[nElig++] = j;
  }
  return nElig;
}

/** The mentees' active skills (priority > 0 and gap > 0), mentee i's at [off[i], off[i+1]):
 * the skill, the current level, the gap and the gap term's factor (weight and normalization). */
interface ActiveSkills {
  readonly skill: Int32Array;
  readonly cur: Float64Array;
  readonly gap: Float64Array;
  readonly factor: Float64Array;
}

/**
 * Pass 2 of a dense row (at least half the mentors eligible): the gap term, one contiguous pass
 * per active skill q in [a0, a1) over the skill-major expertise (measured ~1.5× faster than
 * mentor-major loops), then the ineligible zeroed. Each sum runs over the active skills in skill
 * order from 0, exactly as `explain` adds it, so breakdowns match scores bit for bit.
 */
function gapTermDense(
  out: Float64Array,
  m: number,
  act: ActiveSkills,
  a0: number,
  a1: number,
  expT: Float64Array,
  why: Uint8Array,
  nElig: number,
): void {
  const { skill: actSkill, cur: actCur, gap: actGap, factor: actFactor } = act;
  out.fill(0, 0, m);
  for (let q = a0; q < a1; q++) {
    const b = actSkill[q] * m;
    const c = actCur[q];
    const g = actGap[q];
    const f = actFactor[q];
    for (let j = 0; j < m; j++) {
      const e = expT[b + j] - c;
      if (e > 0) out[j] += f * (e < g ? e : g);
    }
  }
  if (nElig < m) for (let j = 0; j < m; j++) if (why[j] !== ELIGIBLE) out[j] = 0;
}

/** Pass 2 of a sparse row (few eligible mentors, common with tight level windows): the gap term
 * of the eligible mentors only, mentor-major, in the same order of addition. */
function gapTermSparse(
  out: Float64Array,
  m: number,
  act: ActiveSkills,
  a0: number,
  a1: number,
  S: number,
  exp: Float64Array,
  elig: Int32Array,
  nElig: number,
): void {
  const { skill: actSkill, cur: actCur, gap: actGap, factor: actFactor } = act;
  out.fill(0, 0, m);
  for (let p = 0; p < nElig; p++) {
    const j = elig[p];
    const base = j * S;
    let s = 0;
    for (let q = a0; q < a1; q++) {
      const e = exp[base + actSkill[q]] - actCur[q];
      if (e > 0) {
        const g = actGap[q];
        s += actFactor[q] * (e < g ? e : g);
      }
    }
    out[j] = s;
  }
}

/** What pass 3 reads besides the row: the optional terms' weights, the mentors' attributes and
 * the row's marks (one object a scorer, always of this shape). */
interface OptionalTermsData {
  readonly wCross: number;
  readonly wPref: number;
  readonly wAsp: number;
  readonly wTz: number;
  readonly wLang: number;
  readonly mDept: Int32Array;
  readonly mOffset: Float64Array;
  readonly mPaths: CsrLists;
  readonly mLang: CsrLists;
  readonly mark: Uint8Array;
  readonly pathMark: Uint8Array;
  readonly langMark: Uint8Array;
}

/** Pass 3 of a row: the optional terms of the eligible pairs, in OPTIONAL_TERMS order, then
 * the unmatched boost. `nAsp` is the mentee's aspiration count, `offset` its UTC offset. */
function optionalTerms(
  d: OptionalTermsData,
  out: Float64Array,
  elig: Int32Array,
  nElig: number,
  dept: number,
  nAsp: number,
  offset: number,
  boost: number,
): void {
  const { wCross, wPref, wAsp, wTz, wLang, mDept, mOffset, mPaths, mark, pathMark } = d;
  for (let p = 0; p < nElig; p++) {
    const j = elig[p];
    let s = out[j];
    if (wCross > 0 && mDept[j] !== dept) s += wCross;
    if (wPref > 0 && (mark[j] & M_PREFERRED) !== 0) s += wPref;
    if (wAsp > 0 && nAsp > 0) {
      let hit = 0;
      for (let q = mPaths.offsets[j]; q < mPaths.offsets[j + 1]; q++)
        hit += pathMark[mPaths.items[q]];
      if (hit > 0) s += wAsp * (hit / nAsp);
    }
    if (wTz > 0) {
      let t = offset - mOffset[j];
      if (t < 0) t = -t;
      if (t >= 24) t %= 24;
      if (t > 12) t = 24 - t;
      if (t <= 12) s += wTz * (1 - t / 12); // NaN (unknown offset) adds nothing
    }
    if (wLang > 0 && sharesLanguage(d.mLang, d.langMark, j)) s += wLang;
    out[j] = s + boost;
  }
}

/** Prepare a scorer for this view. O(n·S + m·S + list sizes) time and memory. */
export function createScorer(view: ScoringView): Scorer {
  const me = view.mentees;
  const mr = view.mentors;
  const n = me.count;
  const m = mr.count;
  const S = view.nSkills;
  const rules = view.rules;
  const w = view.scoring.weights;
  const normalized = view.scoring.form === "normalized";
  const wGap = w.gap;
  const wCross = w.crossDepartment;
  const wPref = w.preference;
  const wAsp = w.aspiration;
  const wTz = w.timezone;
  const wLang = w.language;
  const wBoost = w.unmatchedBoost;
  const allowReporting = rules.allowSameReportingLine;
  const allowRepeat = rules.allowRepeatPairs;
  // Fits are never negative, so a minFit of 0 (no rule) rules out nothing and is not checked.
  const minFit = view.minFit > 0 ? view.minFit : 0;
  const maxTz = rules.maxUtcOffsetDiffHours;
  const hasMaxTz = maxTz !== undefined;
  const maxTzHours = maxTz ?? Infinity;
  const requireLang = rules.requireSharedLanguage;
  const needLang = requireLang || wLang > 0;
  const hasOptional = wCross > 0 || wPref > 0 || wAsp > 0 || wTz > 0 || wLang > 0 || wBoost > 0;

  // ---- per mentee: active skills (priority > 0, gap > 0), gap-term factor folded in --------
  const actOff = new Int32Array(n + 1);
  const weightedGapOf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let cnt = 0;
    let W = 0;
    for (let k = 0; k < S; k++) {
      const p = menteePriority(view, i, k);
      if (!(p > 0)) continue;
      const g = skillGap(me.current[i * S + k], me.target[i * S + k]);
      if (g > 0) {
        cnt++;
        W += p * g;
      }
    }
    actOff[i + 1] = actOff[i] + cnt;
    weightedGapOf[i] = W;
  }
  const nAct = actOff[n];
  const actSkill = new Int32Array(nAct);
  const actCur = new Float64Array(nAct);
  const actGap = new Float64Array(nAct);
  const actFactor = new Float64Array(nAct);
  const active: ActiveSkills = { skill: actSkill, cur: actCur, gap: actGap, factor: actFactor };
  const gapMax = new Float64Array(n); // Σ factor · gap: the gap term's upper bound per mentee
  for (let i = 0, q = 0; i < n; i++) {
    const W = weightedGapOf[i];
    let ub = 0;
    for (let k = 0; k < S; k++) {
      const p = menteePriority(view, i, k);
      if (!(p > 0)) continue;
      const c = me.current[i * S + k];
      const g = skillGap(c, me.target[i * S + k]);
      if (!(g > 0)) continue;
      const factor = normalized ? (W > 0 ? (wGap * p) / W : 0) : wGap * p;
      actSkill[q] = k;
      actCur[q] = c;
      actGap[q] = g;
      actFactor[q] = factor;
      ub += factor * g;
      q++;
    }
    gapMax[i] = ub;
  }

  // ---- inverted lists for the pair rules ----------------------------------------------------
  const nPersons =
    Math.max(
      maxItem(me.person, -1),
      maxItem(mr.person, -1),
      maxItem(me.managerChain.items, -1),
      maxItem(mr.managerChain.items, -1),
    ) + 1;
  // person → mentors who are that person
  const mentorsOfPerson = invert(nPersons, (emit) => {
    for (let j = 0; j < m; j++) emit(mr.person[j], j);
  });
  // person → mentors whose manager chain contains that person
  const mentorsUnderPerson = transpose(nPersons, mr.managerChain, m);
  // mentee → mentors who excluded that mentee
  const excludedBy = transpose(n, mr.excludedMentees, m);
  // mentee → forbidden mentors (view.forbidden is sorted by mentee, mentor)
  const forbiddenOf = invert(n, (emit) => {
    for (const f of view.forbidden) emit(f.mentee, f.mentor);
  });

  // ---- per tier and per mentor --------------------------------------------------------------
  const nTiers =
    Math.max(maxItem(mr.tier, -1), maxItem(me.tiersWanted.items, -1), view.tiers.length - 1) + 1;
  const tierMin = new Float64Array(nTiers).fill(-Infinity);
  const tierMax = new Float64Array(nTiers).fill(Infinity);
  const tierHours = new Float64Array(nTiers);
  for (const t of view.tiers) {
    tierMin[t.code] = t.levelGapMin;
    tierMax[t.code] = t.levelGapMax;
    tierHours[t.code] = t.minHoursPerMonth;
  }
  /** Mentor-only rule outcome: no_capacity, training, tenure or hours (mentor side), else 0. */
  const mentorPre = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    if (mr.capacity[j] <= 0) {
      mentorPre[j] = REASON_CODE.no_capacity;
      continue;
    }
    const tier = tierByCode(view, mr.tier[j]);
    const req = tier.trainingRequired;
    const t = mr.training;
    let trained = true;
    for (let r = 0; r < req.length && trained; r++) {
      trained = false;
      for (let p = t.offsets[j]; p < t.offsets[j + 1]; p++)
        if (t.items[p] === req[r]) {
          trained = true;
          break;
        }
    }
    if (!trained) mentorPre[j] = REASON_CODE.training;
    else if (mr.tenureMonths[j] < tier.minMentorTenureMonths) mentorPre[j] = REASON_CODE.tenure;
    else if (mr.hoursPerMonth[j] < tier.minHoursPerMonth) mentorPre[j] = REASON_CODE.hours;
  }
  const nLang = Math.max(maxItem(me.languages.items, -1), maxItem(mr.languages.items, -1)) + 1;
  // Up to 31 languages: each mentor's as bits, for the shared-language rule.
  const mLangBits = nLang <= 31 ? new Int32Array(m) : undefined;
  if (mLangBits)
    for (let j = 0; j < m; j++)
      for (let p = mr.languages.offsets[j]; p < mr.languages.offsets[j + 1]; p++)
        mLangBits[j] |= 1 << mr.languages.items[p];
  const nPaths = Math.max(maxItem(me.aspirations.items, -1), maxItem(mr.careerPaths.items, -1)) + 1;

  // Per mentor: the mentee levels its tier's level-gap window admits, [lvLo, lvHi] (one compare
  // pair per mentor in the row pass instead of a tier lookup).
  const lvLo = new Float64Array(m);
  const lvHi = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    lvLo[j] = mr.level[j] - tierMax[mr.tier[j]];
    lvHi[j] = mr.level[j] - tierMin[mr.tier[j]];
  }

  // ---- per-row scratch (reset after each row) -----------------------------------------------
  const mark = new Uint8Array(m);
  const langMark = new Uint8Array(nLang);
  const pathMark = new Uint8Array(nPaths);
  /** Per tier, for the current row: tier_not_wanted, or hours (mentee side), or 0. */
  const tierWantCode = new Uint8Array(nTiers);
  const tierHoursCode = new Uint8Array(nTiers);
  const ownReason = new Uint8Array(m);
  const ownElig = new Int32Array(m);

  const mTier = mr.tier;
  const mDept = mr.department;
  const mOffset = mr.utcOffset;
  const mLang = mr.languages;
  const mPaths = mr.careerPaths;
  const exp = mr.expertise;
  // Skill-major copy of the expertise (S × m) for the dense row pass.
  const expT = new Float64Array(S * m);
  for (let j = 0; j < m; j++) for (let k = 0; k < S; k++) expT[k * m + j] = exp[j * S + k];

  const optional: OptionalTermsData = {
    wCross,
    wPref,
    wAsp,
    wTz,
    wLang,
    mDept,
    mOffset,
    mPaths,
    mLang,
    mark,
    pathMark,
    langMark,
  };

  function markList(list: CsrLists, row: number, bit: number): boolean {
    const e = list.offsets[row + 1];
    for (let p = list.offsets[row]; p < e; p++) mark[list.items[p]] |= bit;
    return e > list.offsets[row];
  }

  function scoreRow(
    i: number,
    out: Float64Array,
    reason?: Uint8Array,
    eligible?: Int32Array,
  ): number {
    const why = reason ?? ownReason;
    const elig = eligible ?? ownElig;
    // Pair-rule marks for this row.
    let marked = false;
    const person = me.person[i];
    marked = markList(mentorsOfPerson, person, M_SELF) || marked;
    marked = markList(forbiddenOf, i, M_FORBIDDEN) || marked;
    marked = markList(me.excludedMentors, i, M_EXCLUDED) || marked;
    marked = markList(excludedBy, i, M_EXCLUDED) || marked;
    if (!allowReporting) {
      const c = me.managerChain;
      for (let p = c.offsets[i]; p < c.offsets[i + 1]; p++)
        marked = markList(mentorsOfPerson, c.items[p], M_REPORTING) || marked;
      marked = markList(mentorsUnderPerson, person, M_REPORTING) || marked;
    }
    if (!allowRepeat) marked = markList(me.pastMentors, i, M_PAST) || marked;
    if (wPref > 0) marked = markList(me.preferredMentors, i, M_PREFERRED) || marked;

    // Row constants.
    const noDemand = me.maxMentors[i] <= 0;
    const wanted = me.tiersWanted;
    const anyTier = wanted.offsets[i + 1] === wanted.offsets[i];
    const menteeHours = me.hoursPerMonth[i];
    for (let t = 0; t < nTiers; t++) {
      tierWantCode[t] = anyTier ? 0 : REASON_CODE.tier_not_wanted;
      tierHoursCode[t] = menteeHours < tierHours[t] ? REASON_CODE.hours : 0;
    }
    if (!anyTier)
      for (let p = wanted.offsets[i]; p < wanted.offsets[i + 1]; p++)
        tierWantCode[wanted.items[p]] = 0;
    const level = me.level[i];
    const dept = me.department[i];
    const offset = me.utcOffset[i];
    const lo = me.languages.offsets[i];
    const le = me.languages.offsets[i + 1];
    const menteeHasLang = le > lo;
    let menteeLangBits = 0;
    if (needLang)
      for (let p = lo; p < le; p++) {
        langMark[me.languages.items[p]] = 1;
        menteeLangBits |= 1 << me.languages.items[p];
      }
    const checkLang = requireLang && menteeHasLang;
    const checkTz = hasMaxTz && offset === offset; // unknown (NaN) offset: the rule passes
    const ao = me.aspirations.offsets[i];
    const ae = me.aspirations.offsets[i + 1];
    const nAsp = ae - ao;
    if (wAsp > 0) for (let p = ao; p < ae; p++) pathMark[me.aspirations.items[p]] = 1;
    const boost = wBoost > 0 ? wBoost * (me.roundsUnmatched[i] > 0 ? me.roundsUnmatched[i] : 0) : 0;
    const a0 = actOff[i];
    const a1 = actOff[i + 1];

    // ---- pass 1: eligibility, in the documented rule order; eligible mentors listed ----
    const nElig = eligibilityPass(
      m,
      mark,
      mentorPre,
      mTier,
      lvLo,
      lvHi,
      tierWantCode,
      tierHoursCode,
      noDemand,
      level,
      checkTz ? offset : NaN,
      mOffset,
      maxTzHours,
      checkLang ? mLang : undefined,
      langMark,
      checkLang ? mLangBits : undefined,
      menteeLangBits,
      why,
      elig,
    );

    // ---- pass 2: the gap term ----
    if (nElig * 2 >= m) gapTermDense(out, m, active, a0, a1, expT, why, nElig);
    else gapTermSparse(out, m, active, a0, a1, S, exp, elig, nElig);

    // ---- pass 3: optional terms of the eligible pairs, in OPTIONAL_TERMS order ----
    if (hasOptional) optionalTerms(optional, out, elig, nElig, dept, nAsp, offset, boost);

    // ---- pass 4: the minFit rule, on the finished fits ----
    const kept = minFit > 0 ? dropBelowMinFit(out, why, elig, nElig) : nElig;

    // Reset the scratch.
    if (marked) mark.fill(0);
    if (needLang) for (let p = lo; p < le; p++) langMark[me.languages.items[p]] = 0;
    if (wAsp > 0) for (let p = ao; p < ae; p++) pathMark[me.aspirations.items[p]] = 0;
    return kept;
  }

  /** Rules out the listed pairs whose fit is below minFit (reason `min_fit`, score 0) and keeps
   * the others listed in order. Returns how many are kept. */
  function dropBelowMinFit(
    out: Float64Array,
    why: Uint8Array,
    elig: Int32Array,
    k: number,
  ): number {
    let kept = 0;
    for (let t = 0; t < k; t++) {
      const j = elig[t];
      if (out[j] < minFit) {
        out[j] = 0;
        why[j] = REASON_CODE.min_fit;
      } else elig[kept++] = j;
    }
    return kept;
  }

  /** Codes 1–14 from the rules, then `min_fit` from the fit (eligibility.ts). */
  function reasonOf(i: number, j: number): IneligibleReason | null {
    const r = ineligibleReason(view, i, j);
    return r === null && minFit > 0 && fit(i, j) < minFit ? "min_fit" : r;
  }

  function reasonCodeOf(i: number, j: number): number {
    const r = reasonOf(i, j);
    return r === null ? ELIGIBLE : REASON_CODE[r];
  }

  /** The fit of (i, j) regardless of eligibility, summed exactly as `scoreRow` does. */
  function fit(i: number, j: number): number {
    let s = 0;
    const base = j * S;
    for (let q = actOff[i]; q < actOff[i + 1]; q++) {
      const e = exp[base + actSkill[q]] - actCur[q];
      if (e > 0) {
        const g = actGap[q];
        s += actFactor[q] * (e < g ? e : g);
      }
    }
    if (wCross > 0) s += wCross * TERM_FUNCTIONS.crossDepartment(view, i, j);
    if (wPref > 0) s += wPref * TERM_FUNCTIONS.preference(view, i, j);
    if (wAsp > 0) s += wAsp * TERM_FUNCTIONS.aspiration(view, i, j);
    if (wTz > 0) s += wTz * timezoneValue(me.utcOffset[i], mOffset[j]);
    if (wLang > 0) s += wLang * TERM_FUNCTIONS.language(view, i, j);
    return s + wBoost * TERM_FUNCTIONS.unmatchedBoost(view, i, j);
  }

  function score(i: number, j: number): number {
    return reasonCodeOf(i, j) === ELIGIBLE ? fit(i, j) : 0;
  }

  function explain(i: number, j: number): ScoreBreakdown {
    const gb = gapBreakdown(view, i, j);
    const values = { gap: 0 } as Record<"gap" | OptionalTerm, number>;
    const terms = { gap: gb.term } as Record<"gap" | OptionalTerm, number>;
    // G_ij itself (unweighted), so it is reported even when the gap weight is 0.
    let g = 0;
    for (const sk of gb.skills) g += sk.priority * sk.covered;
    values.gap = normalized ? (gb.weightedGap > 0 ? g / gb.weightedGap : 0) : g;
    let total = gb.term;
    for (const name of OPTIONAL_TERMS) {
      const v = TERM_FUNCTIONS[name](view, i, j);
      const c = w[name] > 0 ? w[name] * v : 0;
      values[name] = v;
      terms[name] = c;
      // Same order and same skips as scoreRow, so total === score(i, j) for eligible pairs.
      if (c > 0 || name === "unmatchedBoost") total += c;
    }
    const reason = reasonOf(i, j);
    return {
      mentee: i,
      mentor: j,
      total,
      form: view.scoring.form,
      terms,
      values,
      weights: { ...w },
      menteeWeightedGap: gb.weightedGap,
      skills: gb.skills,
      eligible: reason === null,
      reason,
      reasonCode: reason === null ? ELIGIBLE : REASON_CODE[reason],
    };
  }

  function rowUpperBound(i: number): number {
    let ub = gapMax[i] + wCross + wPref + wTz + wLang;
    if (me.aspirations.offsets[i + 1] > me.aspirations.offsets[i]) ub += wAsp;
    return ub + wBoost * (me.roundsUnmatched[i] > 0 ? me.roundsUnmatched[i] : 0);
  }

  return { n, m, score, reasonCode: reasonCodeOf, scoreRow, explain, rowUpperBound };
}
