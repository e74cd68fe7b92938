/**
 * `summarizeMatch(cohort, result)`: what an analyst needs to read a match, as plain JSON — the
 * headline numbers, each pair with its tier and the largest parts of its fit, mentor load by
 * tier, spare capacity grouped by why it stayed spare, unmet demand grouped by skill and tier
 * with the idle mentors who could teach it, the share of the weighted strategic gap covered per
 * skill, minimums no one can meet, and the fairness audit's per-group outcomes (small groups
 * suppressed). The CLI's summary, its result files and the HTML report are all rendered from it.
 *
 * For each mentor who has room or is short of their minimum load it reads eligibility only until
 * it knows what the summary says (whether any mentee is eligible; whether the minimum can be
 * met), so it costs far less than scoring the cohort. Sensitive attributes enter only through `auditFairness`.
 */
import { checkCohortArg } from "../cohort/arg.js";
import type { Cohort, ScoringView } from "../cohort/types.js";
import { auditFairness } from "../equity/audit.js";
import type { FairnessAudit } from "../equity/types.js";
import { checkMatchResultShape } from "../match/match.js";
import type { MatchDiagnosis, MatchResult, UnmatchedMenteeReason } from "../match/types.js";
import { InputError, pathIssue } from "../schema/errors.js";
import { csrHas, REASONS, tierByCode, type IneligibleReason } from "../score/eligibility.js";
import { menteePriority, skillCovered, skillGap } from "../score/gap.js";
import { createScorer, type Scorer } from "../score/scorer.js";

/** Options of `summarizeMatch`. */
export interface SummaryOptions {
  /** How many parts of each pair's fit to keep, largest first. Default 3. */
  readonly reasons?: number;
  /** Price every enforced equity rule in the audit (a re-solve per rule; `auditFairness`'s
   * `price`). Default false. */
  readonly price?: boolean;
}

/** One part of a pair's fit: a skill's share of the gap term (`skill`) or another term. */
export interface FitPart {
  /** `skill:<id>` or the term's name (`timezone`, `language`, `aspiration`, …). */
  readonly part: string;
  readonly value: number;
}

/** One pair of the answer, with its mentor's tier and where its fit comes from. */
export interface PairSummary {
  readonly mentee: string;
  readonly mentor: string;
  readonly tier: string;
  readonly fit: number;
  readonly locked: boolean;
  /** The largest parts of the fit, largest first (`SummaryOptions.reasons` of them). */
  readonly reasons: readonly FitPart[];
}

/** A mentee without a mentor: `match`'s reason and counts, plus the skill they most need. */
export interface UnmatchedSummary {
  readonly mentee: string;
  readonly reason: UnmatchedMenteeReason;
  readonly eligibleMentors: number;
  /** Mentors ruled out, by the first rule they fail, most first. */
  readonly blockedBy: readonly { readonly rule: IneligibleReason; readonly mentors: number }[];
  /** The skill with the mentee's largest strategy-weighted gap (null without one). */
  readonly topSkill: string | null;
}

/** One tier's mentors: how many, their capacity and load, idle mentors and places left. */
export interface TierSummary {
  readonly tier: string;
  readonly mentors: number;
  readonly capacity: number;
  readonly load: number;
  /** Mentors with no mentee although they have room. */
  readonly idle: number;
  /** Capacity left: Σ (capacity − load). */
  readonly spare: number;
}

/**
 * Why mentors kept spare capacity:
 * - `training`, `tenure`, `hours`: the mentor misses their tier's criterion (`detail`: the
 *   training ids missing, or the limit), so they are eligible for no mentee at all;
 * - `no_eligible_mentee`: every mentee is ruled out for another reason (`detail`: the rule that
 *   rules out the most);
 * - `placed_elsewhere`: mentees were eligible, but each got mentors the program prefers (or the
 *   rules chose other pairs);
 * - `stopped_early`: mentees were eligible, but the solve stopped (time limit) first.
 */
export type SpareCause =
  "training" | "tenure" | "hours" | "no_eligible_mentee" | "placed_elsewhere" | "stopped_early";

/** Mentors of one tier who kept room for the same cause (and detail). */
export interface SpareGroup {
  readonly tier: string;
  readonly cause: SpareCause;
  readonly detail: string | null;
  /** The mentors, by id (sorted). */
  readonly mentors: readonly string[];
  /** Of them, mentors with no mentee at all. */
  readonly idle: number;
  readonly spare: number;
}

/** Unmatched mentees whose largest weighted gap is in one skill, by the tiers they want. */
export interface DemandGroup {
  readonly skill: string;
  /** Tiers the mentees want (null: any tier). */
  readonly tiers: readonly string[] | null;
  readonly mentees: readonly string[];
  /** How many of them have no eligible mentor, and how many have only full ones. */
  readonly noEligibleMentor: number;
  readonly mentorsFull: number;
  /** Mentors with spare capacity who could teach this skill to at least one of the mentees but
   * are ruled out for them, by why (the recruiting lever: train them, or relax the rule). */
  readonly couldTeach: readonly TeachBlock[];
}

/** Mentors of one tier with room who could teach a skill but are ruled out: by a criterion of
 * their tier they miss (`training`, `tenure`, `hours`; `detail` as in `SpareGroup`), or by a
 * rule about the pair (`rule`; `detail`: the eligibility rule that rules out the most of the
 * mentees they could teach). */
export interface TeachBlock {
  readonly cause: "training" | "tenure" | "hours" | "rule";
  readonly detail: string | null;
  readonly tier: string;
  readonly mentors: number;
}

/** How much of the cohort's strategy-weighted gap in one skill the answer covers. */
export interface SkillCoverage {
  readonly skill: string;
  /** Σ over mentees of priority × gap in this skill. */
  readonly weightedGap: number;
  /** Σ over mentees of priority × the part of the gap their best mentor in it covers. */
  readonly covered: number;
  /** covered ÷ weightedGap; null without a gap. */
  readonly share: number | null;
}

/** A minimum no answer can meet alone: a person needs more partners than are eligible. */
export interface Shortfall {
  readonly side: "mentee" | "mentor";
  readonly id: string;
  /** `minMentors` or `minLoad`. */
  readonly needed: number;
  readonly eligible: number;
  /** The rule that rules out the most partners (a mentor's own missing training first). */
  readonly rule: IneligibleReason | null;
  readonly detail: string | null;
}

/** What an analyst reads about a match, as plain JSON (`summarizeMatch`). Exact numbers; the
 * CLI, the CSVs and the report round them when they show them. */
export interface MatchSummary {
  readonly status: MatchResult["status"];
  /** Total fit of the pairs. */
  readonly objective: number;
  /** With soft equity rules: what they cost (`match` maximizes objective − penalty, and the bound
   * and gap are on that); null without. */
  readonly penalty: number | null;
  /** How far the answer may be from the best: bound − (objective − penalty) (`result.gap` when
   * `feasible`); null without a finite bound. */
  readonly gap: number | null;
  /** `time_limit` only: why the solve ended early (`time`, `aborted`, or `rules`: the equity
   * search ended without pairs that keep every rule) and whether the pairs meet every minimum
   * and enforced rule. */
  readonly stop: {
    readonly reason: "time" | "aborted" | "rules";
    readonly feasible: boolean;
  } | null;
  /** `infeasible` only: why (`match`'s diagnosis, by ids). */
  readonly diagnosis: MatchDiagnosis | null;
  /** Proven upper bound on the total fit less penalty (null when infeasible or not finite). */
  readonly bound: number | null;
  readonly timeMs: number;
  readonly mentees: {
    readonly total: number;
    /** Mentees with at least one mentor. */
    readonly matched: number;
    readonly unmatched: number;
    readonly pairs: number;
    readonly locked: number;
  };
  readonly mentors: {
    readonly total: number;
    readonly capacity: number;
    readonly load: number;
    readonly idle: number;
    readonly spare: number;
  };
  /** Every tier, in the program's order. */
  readonly tiers: readonly TierSummary[];
  /** Mentors with room, grouped by tier and cause; most spare first. */
  readonly spare: readonly SpareGroup[];
  /** Unmatched mentees by reason, most first. */
  readonly unmatchedReasons: readonly {
    readonly reason: UnmatchedMenteeReason;
    readonly mentees: number;
  }[];
  /** Unmet demand, largest group first. */
  readonly demand: readonly DemandGroup[];
  /** Every skill with a weighted gap, in skill id order. */
  readonly skills: readonly SkillCoverage[];
  /** Minimums no answer can meet, by id (mentors first). */
  readonly shortfalls: readonly Shortfall[];
  readonly pairs: readonly PairSummary[];
  readonly unmatched: readonly UnmatchedSummary[];
  /** What `match` did with each equity rule. */
  readonly equity: MatchResult["equity"];
  /** Rules recounted and per-group outcomes, small groups suppressed (`auditFairness`). */
  readonly audit: FairnessAudit;
}

/** A mentor's own reason to be eligible for no mentee: a criterion of their tier they miss. */
function ownBlock(
  cohort: Cohort,
  j: number,
): { cause: "training" | "tenure" | "hours"; detail: string } | null {
  const { view, index } = cohort;
  const mr = view.mentors;
  const tier = tierByCode(view, mr.tier[j]);
  const missing: string[] = [];
  for (const t of tier.trainingRequired)
    if (!csrHas(mr.training, j, t)) missing.push(index.trainings[t]);
  if (missing.length > 0) return { cause: "training", detail: missing.join(", ") };
  if (mr.tenureMonths[j] < tier.minMentorTenureMonths)
    return { cause: "tenure", detail: `under ${tier.minMentorTenureMonths} months` };
  if (mr.hoursPerMonth[j] < tier.minHoursPerMonth)
    return { cause: "hours", detail: `under ${tier.minHoursPerMonth} hours a month` };
  return null;
}

/**
 * For the mentors in `need`: how many mentees are eligible, counted only as far as the summary
 * asks (one, or the mentor's minimum load), and a histogram of the rules that rule the others
 * out (`reasons[j · R + code]`, complete whenever the count fell short). A mentor who misses a
 * criterion of their tier is eligible for no mentee and is not scanned.
 */
function eligibilityByMentor(
  cohort: Cohort,
  scorer: Scorer,
  need: readonly number[],
): { eligible: Int32Array; reasons: Int32Array } {
  const { mentees, mentors } = cohort.view;
  const R = REASONS.length;
  const eligible = new Int32Array(mentors.count);
  const reasons = new Int32Array(mentors.count * R);
  for (const j of need) {
    if (ownBlock(cohort, j)) continue;
    const enough = Math.max(1, Math.min(mentors.minLoad[j], mentors.capacity[j]));
    let count = 0;
    for (let i = 0; i < mentees.count && count < enough; i++) {
      const code = scorer.reasonCode(i, j);
      if (code === 0) count++;
      else reasons[j * R + code]++;
    }
    eligible[j] = count;
  }
  return { eligible, reasons };
}

/** Spare groups and could-teach entries in a fixed order: tier, cause, detail. */
function byCause(
  a: { tier: string; cause: string; detail: string | null },
  b: { tier: string; cause: string; detail: string | null },
): number {
  const x = `${a.tier}\u0000${a.cause}\u0000${a.detail ?? ""}`;
  const y = `${b.tier}\u0000${b.cause}\u0000${b.detail ?? ""}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

function topReason(hist: Int32Array, at: number): IneligibleReason | null {
  let best = 0;
  let bestCode = 0;
  for (let c = 1; c < REASONS.length; c++)
    if (hist[at + c] > best) {
      best = hist[at + c];
      bestCode = c;
    }
  return REASONS[bestCode];
}

/** The skill with mentee i's largest priority × gap (lowest index on ties), or -1. */
function topSkillOf(view: ScoringView, i: number): number {
  const S = view.nSkills;
  let best = 0;
  let bestK = -1;
  for (let k = 0; k < S; k++) {
    const w =
      menteePriority(view, i, k) *
      skillGap(view.mentees.current[i * S + k], view.mentees.target[i * S + k]);
    if (w > best) {
      best = w;
      bestK = k;
    }
  }
  return bestK;
}

function checkOptions(options: unknown): Required<SummaryOptions> {
  const o = (options ?? {}) as SummaryOptions;
  const issues = [];
  const reasons = o.reasons ?? 3;
  if (!Number.isInteger(reasons) || reasons < 0)
    issues.push(
      pathIssue("invalid_option", ["reasons"], `Expected a whole number ≥ 0, got ${reasons}`),
    );
  const price = o.price ?? false;
  if (typeof price !== "boolean")
    issues.push(pathIssue("invalid_option", ["price"], `Expected true or false, got ${price}`));
  if (issues.length > 0) throw new InputError(issues, "options");
  return { reasons, price };
}

/** Summarizes a match of this cohort for people: see `MatchSummary`. Throws `InputError` for a
 * wrong cohort, result or option. */
export function summarizeMatch(
  cohort: Cohort,
  result: MatchResult,
  options: SummaryOptions = {},
): MatchSummary {
  checkCohortArg(cohort);
  checkMatchResultShape(result);
  const opts = checkOptions(options);
  const { view, index } = cohort;
  const mr = view.mentors;
  const me = view.mentees;
  const S = view.nSkills;
  const scorer = createScorer(view);
  const R = REASONS.length;
  // Eligibility is read for the mentors with room (why?) and those short of their minLoad.
  const loads = new Map(result.mentors.map((l) => [l.mentor, l]));
  const loadOf = (j: number) => loads.get(index.mentorIds[j])?.load ?? 0;
  const need: number[] = [];
  for (let j = 0; j < mr.count; j++)
    if (mr.capacity[j] > loadOf(j) || mr.minLoad[j] > loadOf(j)) need.push(j);
  const { eligible, reasons } = eligibilityByMentor(cohort, scorer, need);
  const tierOf = (j: number) => index.tierIds[mr.tier[j]];
  const mentorAt = (id: string) => index.mentorById.get(id)!;
  const menteeAt = (id: string) => index.menteeById.get(id)!;

  // Pairs, with the largest parts of each fit.
  const mentorsOf: number[][] = Array.from({ length: me.count }, () => []);
  const pairs: PairSummary[] = result.pairs.map((p) => {
    const i = menteeAt(p.mentee);
    const j = mentorAt(p.mentor);
    mentorsOf[i].push(j);
    const b = scorer.explain(i, j);
    const parts: FitPart[] = [];
    for (const s of b.skills)
      if (s.contribution !== 0)
        parts.push({ part: `skill:${index.skillIds[s.skill]}`, value: s.contribution });
    for (const [term, value] of Object.entries(b.terms))
      if (term !== "gap" && value !== 0) parts.push({ part: term, value });
    parts.sort((a, c) => c.value - a.value || (a.part < c.part ? -1 : 1));
    return {
      mentee: p.mentee,
      mentor: p.mentor,
      tier: tierOf(j),
      fit: p.score,
      locked: p.locked,
      reasons: parts.slice(0, opts.reasons),
    };
  });

  // Load by tier, and mentors with room grouped by why.
  const tiers = index.tierIds.map((tier) => ({
    tier,
    mentors: 0,
    capacity: 0,
    load: 0,
    idle: 0,
    spare: 0,
  }));
  // Mentors with room, grouped by (tier, cause, detail); `groupOf[j]` is mentor j's group.
  const groups: {
    tier: string;
    cause: SpareCause;
    detail: string | null;
    mentors: string[];
    idle: number;
    spare: number;
  }[] = [];
  const groupAt = new Map<string, number>();
  const groupOf = new Int32Array(mr.count).fill(-1);
  for (let j = 0; j < mr.count; j++) {
    const id = index.mentorIds[j];
    const load = loadOf(j);
    const capacity = mr.capacity[j];
    const t = tiers[mr.tier[j]];
    t.mentors++;
    t.capacity += capacity;
    t.load += load;
    const room = capacity - load;
    if (room <= 0) continue;
    t.spare += room;
    if (load === 0) t.idle++;
    if (result.status === "infeasible") continue; // no answer: nobody was placed elsewhere
    const own = ownBlock(cohort, j);
    const cause: SpareCause = own
      ? own.cause
      : eligible[j] === 0
        ? "no_eligible_mentee"
        : result.status === "time_limit"
          ? "stopped_early"
          : "placed_elsewhere";
    const detail = own ? own.detail : eligible[j] === 0 ? topReason(reasons, j * R) : null;
    const key = `${t.tier}\u0000${cause}\u0000${detail ?? ""}`;
    let g = groupAt.get(key);
    if (g === undefined) {
      g = groups.push({ tier: t.tier, cause, detail, mentors: [], idle: 0, spare: 0 }) - 1;
      groupAt.set(key, g);
    }
    groupOf[j] = g;
    groups[g].mentors.push(id);
    if (load === 0) groups[g].idle++;
    groups[g].spare += room;
  }
  const spare: SpareGroup[] = [...groups].sort((a, b) => b.spare - a.spare || byCause(a, b));

  // Unmatched mentees, their reasons, and unmet demand by top skill and wanted tiers.
  const unmatched: UnmatchedSummary[] = result.unmatched.map((u) => {
    const k = topSkillOf(view, menteeAt(u.mentee));
    return { ...u, topSkill: k < 0 ? null : index.skillIds[k] };
  });
  const reasonOf = new Map(unmatched.map((u) => [u.mentee, u.reason]));
  const reasonCounts = new Map<UnmatchedMenteeReason, number>();
  for (const u of unmatched) reasonCounts.set(u.reason, (reasonCounts.get(u.reason) ?? 0) + 1);
  const unmatchedReasons = [...reasonCounts]
    .map(([reason, mentees]) => ({ reason, mentees }))
    .sort((a, b) => b.mentees - a.mentees || (a.reason < b.reason ? -1 : 1));

  const demandGroups = new Map<
    string,
    { skill: number; tiers: string[] | null; mentees: number[] }
  >();
  for (const u of unmatched) {
    if (u.reason !== "no_eligible_mentor" && u.reason !== "mentors_full") continue;
    const i = menteeAt(u.mentee);
    const k = topSkillOf(view, i);
    if (k < 0) continue;
    const wanted = me.tiersWanted;
    const tierList: string[] | null =
      wanted.offsets[i + 1] > wanted.offsets[i]
        ? [...wanted.items.subarray(wanted.offsets[i], wanted.offsets[i + 1])]
            .map((c) => index.tierIds[c])
            .sort()
        : null;
    const key = `${k}\u0000${tierList?.join("\u0000") ?? ""}`;
    let g = demandGroups.get(key);
    if (!g) demandGroups.set(key, (g = { skill: k, tiers: tierList, mentees: [] }));
    g.mentees.push(i);
  }
  const demand: DemandGroup[] = [...demandGroups.values()].map((g) => {
    const k = g.skill;
    // Mentors with room who could cover the skill for one of these mentees but may not have
    // them: by their own missing criterion, or by the rule that rules out most such pairs.
    const teach = new Map<string, TeachBlock>();
    const hist = new Int32Array(R);
    for (let j = 0; j < mr.count; j++) {
      const c = groupOf[j];
      if (c < 0 || (g.tiers && !g.tiers.includes(groups[c].tier))) continue;
      hist.fill(0);
      let blocked = false;
      for (const i of g.mentees) {
        const covers =
          skillCovered(me.current[i * S + k], me.target[i * S + k], mr.expertise[j * S + k]) > 0;
        const code = covers ? scorer.reasonCode(i, j) : 0;
        if (code !== 0) {
          hist[code]++;
          blocked = true;
        }
      }
      if (!blocked) continue;
      const own = groups[c].cause;
      const block =
        own === "training" || own === "tenure" || own === "hours"
          ? { cause: own, detail: groups[c].detail }
          : { cause: "rule" as const, detail: topReason(hist, 0) };
      const key = `${groups[c].tier}\u0000${block.cause}\u0000${block.detail ?? ""}`;
      const prev = teach.get(key);
      teach.set(key, { ...block, tier: groups[c].tier, mentors: (prev?.mentors ?? 0) + 1 });
    }
    const ids = g.mentees.map((i) => index.menteeIds[i]);
    const full = g.mentees.filter(
      (i) => reasonOf.get(index.menteeIds[i]) === "mentors_full",
    ).length;
    return {
      skill: index.skillIds[k],
      tiers: g.tiers,
      mentees: ids,
      noEligibleMentor: ids.length - full,
      mentorsFull: full,
      couldTeach: [...teach.values()].sort((a, b) => b.mentors - a.mentors || byCause(a, b)),
    };
  });
  demand.sort(
    (a, b) =>
      b.mentees.length - a.mentees.length || (a.skill < b.skill ? -1 : a.skill > b.skill ? 1 : 0),
  );

  // Share of the weighted strategic gap covered per skill: per mentee, the best of its mentors.
  const gapSum = new Float64Array(S);
  const coveredSum = new Float64Array(S);
  for (let i = 0; i < me.count; i++) {
    for (let k = 0; k < S; k++) {
      const cur = me.current[i * S + k];
      const tgt = me.target[i * S + k];
      const p = menteePriority(view, i, k);
      const gap = skillGap(cur, tgt);
      if (!(p > 0 && gap > 0)) continue;
      gapSum[k] += p * gap;
      let best = 0;
      for (const j of mentorsOf[i])
        best = Math.max(best, skillCovered(cur, tgt, mr.expertise[j * S + k]));
      coveredSum[k] += p * best;
    }
  }
  const skills: SkillCoverage[] = [];
  for (let k = 0; k < S; k++)
    if (gapSum[k] > 0)
      skills.push({
        skill: index.skillIds[k],
        weightedGap: gapSum[k],
        covered: coveredSum[k],
        share: coveredSum[k] / gapSum[k],
      });

  // Minimums that no answer can meet: more partners needed than are eligible at all.
  const shortfalls: Shortfall[] = [];
  for (let j = 0; j < mr.count; j++) {
    const need = Math.min(mr.minLoad[j], mr.capacity[j]);
    // Eligibility is counted only for mentors short of their minimum (or with room).
    if (loadOf(j) >= need || need <= eligible[j]) continue;
    const own = ownBlock(cohort, j);
    shortfalls.push({
      side: "mentor",
      id: index.mentorIds[j],
      needed: mr.minLoad[j],
      eligible: eligible[j],
      rule: own ? own.cause : topReason(reasons, j * R),
      detail: own?.detail ?? null,
    });
  }
  const menteeEligible = new Int32Array(me.count);
  const menteeReasons = new Int32Array(me.count * R);
  if (me.minMentors.some((x) => x > 0)) {
    const out = new Float64Array(mr.count);
    const code = new Uint8Array(mr.count);
    for (let i = 0; i < me.count; i++) {
      if (me.minMentors[i] <= 0) continue;
      scorer.scoreRow(i, out, code);
      for (let j = 0; j < mr.count; j++)
        if (code[j] === 0) menteeEligible[i]++;
        else menteeReasons[i * R + code[j]]++;
      if (menteeEligible[i] < me.minMentors[i])
        shortfalls.push({
          side: "mentee",
          id: index.menteeIds[i],
          needed: me.minMentors[i],
          eligible: menteeEligible[i],
          rule: topReason(menteeReasons, i * R),
          detail: null,
        });
    }
  }

  let capacity = 0;
  let load = 0;
  let idle = 0;
  let spareTotal = 0;
  for (const t of tiers) {
    capacity += t.capacity;
    load += t.load;
    idle += t.idle;
    spareTotal += t.spare;
  }
  const matched = new Set(result.pairs.map((p) => p.mentee)).size;
  const bound =
    result.status !== "infeasible" && Number.isFinite(result.bound) ? result.bound : null;
  const gap =
    result.status === "feasible"
      ? result.gap
      : bound === null
        ? null
        : bound - (result.objective - (result.penalty ?? 0));
  return {
    status: result.status,
    objective: result.objective,
    penalty: result.penalty ?? null,
    gap,
    bound,
    stop:
      result.status === "time_limit" ? { reason: result.reason, feasible: result.feasible } : null,
    diagnosis: result.status === "infeasible" ? result.diagnosis : null,
    timeMs: result.stats.timeMs,
    mentees: {
      total: me.count,
      matched,
      unmatched: me.count - matched,
      pairs: result.pairs.length,
      locked: result.pairs.filter((p) => p.locked).length,
    },
    mentors: { total: mr.count, capacity, load, idle, spare: spareTotal },
    tiers,
    spare,
    unmatchedReasons,
    demand,
    skills,
    shortfalls,
    pairs,
    unmatched,
    equity: result.equity,
    audit: auditFairness(cohort, result, { price: opts.price }),
  };
}
