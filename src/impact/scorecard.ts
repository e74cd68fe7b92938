/**
 * The program scorecard (docs/IMPACT.md): per mentee, then per mentor, per tier, per group of a
 * sensitive attribute and for the cohort, from the match and the records after it
 * (records.ts). Only mentees with analytics consent are read; everyone else appears nowhere.
 *
 * Per mentee i (skills k with a gap, strategic priority p_ik as in the score, src/score/gap.ts):
 *   weighted gap     W_i = Σ_k p_ik · (target_ik − current_ik)
 *   weighted growth  Σ_k p_ik · (min(level_ik, target_ik) − current_ik)⁺, level_ik the latest
 *                    re-assessment up to the horizon (the current level before any)
 *   gap closed       weighted growth / W_i (0..1)
 *   alignment        the share of the gap closed on high-priority skills (priority at least the
 *                    median of the mentee's positive priorities) and on the rest
 *   engagement       check-ins held / planned up to the horizon, over the mentee's pairs
 *   independence     months to the first `independence` outcome, censored at leaving or the horizon
 *   retention        months to `left`, censored at the horizon
 * Aggregates: means of the mentees' figures, engagement over all their check-ins, and
 * Kaplan–Meier (survival.ts) for independence (median months, share independent by the horizon)
 * and retention (share still in the organization at the horizon; for high-potential mentees
 * too). Groups of a sensitive attribute smaller than `minGroupSize` are hidden, with the audit's
 * own rules (src/equity/audit.ts `suppress`, `suppressNested`), so no hidden group can be
 * recovered by subtracting the shown ones from the cohort, or from another attribute's groups.
 */
import type { Cohort } from "../cohort/types.js";
import { menteePriority, weightedGap } from "../score/gap.js";
import { menteeGroups } from "../equity/groups.js";
import { suppress, suppressNested } from "../equity/audit.js";
import { InputError } from "../schema/errors.js";
import { followUpOf, MONTH_DAYS, type FollowUp, type ImpactMatch } from "./followup.js";
import type { ProgramRecords } from "./records.js";
import { kaplanMeier, survivalAt, type SurvivalObservation } from "./survival.js";

export interface ScorecardOptions {
  /** Months of follow-up the time-to-event figures run to. Default: from the start to the latest
   * record, rounded up. */
  readonly horizonMonths?: number;
}

/** Time to an event in months, `event: false` when censored at `months`. */
export type Timed = SurvivalObservation;

export interface MenteeImpact {
  readonly mentee: string;
  readonly mentors: readonly string[];
  readonly highPotential: boolean;
  readonly weightedGap: number;
  readonly weightedGrowth: number;
  /** weightedGrowth / weightedGap (0 when there is no weighted gap). */
  readonly gapClosed: number;
  /** Gap closed on high-priority skills and on the rest (NaN where the mentee has none). */
  readonly alignment: { readonly high: number; readonly rest: number };
  readonly checkInsPlanned: number;
  readonly checkInsHeld: number;
  readonly independence: Timed;
  readonly retention: Timed;
}

/** A set of mentees' figures; `hidden` groups give only their label. */
export interface ImpactFigures {
  readonly n: number;
  readonly gapClosed: number;
  readonly weightedGrowth: number;
  readonly alignment: { readonly high: number; readonly rest: number };
  /** Check-ins held / planned (NaN without any planned). */
  readonly engagement: number;
  /** Median months to independence (null when fewer than half reach it), and the share
   * independent by the horizon. */
  readonly independence: { readonly medianMonths: number | null; readonly byHorizon: number };
  /** Share still in the organization at the horizon; among high-potential mentees too (null
   * without any). */
  readonly retention: { readonly atHorizon: number; readonly highPotential: number | null };
}

export interface ImpactGroup {
  readonly label: string;
  /** Fewer than `minGroupSize` mentees, or hidden so that no small group can be recovered. */
  readonly hidden: boolean;
  readonly figures: ImpactFigures | null;
}

export interface Scorecard {
  readonly start: string;
  readonly horizonMonths: number;
  readonly minGroupSize: number;
  /** Consenting mentees (the rest are in no figure). */
  readonly consenting: number;
  readonly cohort: ImpactFigures;
  /** Sorted by mentee id. */
  readonly mentees: readonly MenteeImpact[];
  /** Each mentor's consenting mentees; sorted by mentor id. */
  readonly mentors: readonly { readonly mentor: string; readonly figures: ImpactFigures }[];
  readonly tiers: readonly { readonly tier: string; readonly figures: ImpactFigures }[];
  /** Per sensitive attribute, its groups (and "not stated"), small ones hidden. */
  readonly groups: readonly {
    readonly attribute: string;
    readonly groups: readonly ImpactGroup[];
  }[];
}

/** The follow-up of `records` for `cohort` and `result` (checked against them: an `InputError`
 * with every issue), or `records` when it is already one, made for them. */
export function followUpFor(
  cohort: Cohort,
  result: ImpactMatch,
  records: ProgramRecords | FollowUp,
): FollowUp {
  if ("assessments" in records) {
    if (records.cohort !== cohort || records.result !== result)
      throw new Error("The follow-up was read for another cohort or match result");
    return records;
  }
  const r = followUpOf(cohort, result, records);
  if (!r.ok) throw new InputError(r.issues, "records");
  return r.followUp;
}

/** The horizon of a follow-up: as given, else the months to its latest record, rounded up. */
export function horizonOf(f: FollowUp, options: ScorecardOptions): number {
  return options.horizonMonths ?? Math.max(1, Math.ceil(f.latestMonths));
}

/** The mentors of each mentee in `result`, sorted by id. */
export function mentorsByMentee(result: ImpactMatch): Map<string, string[]> {
  const mentorsOf = new Map<string, string[]>();
  for (const p of result.pairs) {
    const list = mentorsOf.get(p.mentee);
    if (list) list.push(p.mentor);
    else mentorsOf.set(p.mentee, [p.mentor]);
  }
  for (const list of mentorsOf.values()) list.sort();
  return mentorsOf;
}

/** `menteeImpacts` already worked out, per follow-up and horizon (a follow-up never changes):
 * the scorecard, the trajectories and the curves of one follow-up share them. */
const impactsOf = new WeakMap<FollowUp, Map<number, readonly MenteeImpact[]>>();

/** Each consenting mentee's figures (by mentee index order, i.e. by id) from the follow-up. */
export function menteeImpacts(f: FollowUp, horizon: number): readonly MenteeImpact[] {
  const known = impactsOf.get(f) ?? new Map<number, readonly MenteeImpact[]>();
  impactsOf.set(f, known);
  let list = known.get(horizon);
  if (!list) {
    list = Object.freeze(computeImpacts(f, horizon).map((m) => Object.freeze(m)));
    known.set(horizon, list);
  }
  return list;
}

function computeImpacts(f: FollowUp, horizon: number): MenteeImpact[] {
  const { index, view } = f.cohort;
  const S = view.nSkills;
  const B = f.buckets;
  const consent = view.mentees.consentAnalytics;
  const mentorsOf = mentorsByMentee(f.result);
  const { offsets, skill, day, level } = f.assessments;
  const latest = new Float64Array(S);
  const mentees: MenteeImpact[] = [];
  for (let i = 0; i < view.mentees.count; i++) {
    if (consent[i] !== 1) continue;
    const id = index.menteeIds[i];
    const W = weightedGap(view, i);
    // Up to the horizon only: the re-assessments dated up to it (in time order, the last wins).
    for (let k = 0; k < S; k++) latest[k] = view.mentees.current[i * S + k];
    for (let a = offsets[i]; a < offsets[i + 1] && Math.ceil(day[a] / MONTH_DAYS) <= horizon; a++)
      latest[skill[a]] = level[a];
    const priorities: number[] = [];
    for (let k = 0; k < S; k++) {
      const p = menteePriority(view, i, k);
      if (p > 0 && view.mentees.target[i * S + k] > view.mentees.current[i * S + k])
        priorities.push(p);
    }
    priorities.sort((a, b) => a - b);
    const cut =
      priorities.length > 0 ? priorities[Math.floor((priorities.length - 1) / 2)] : Infinity;
    let growth = 0;
    const part = { high: [0, 0], rest: [0, 0] }; // [grown, gap]
    for (let k = 0; k < S; k++) {
      const p = menteePriority(view, i, k);
      const from = view.mentees.current[i * S + k];
      const to = view.mentees.target[i * S + k];
      if (!(p > 0 && to > from)) continue;
      const grown = p * Math.max(0, Math.min(latest[k], to) - from);
      growth += grown;
      const side = p >= cut ? part.high : part.rest;
      side[0] += grown;
      side[1] += p * (to - from);
    }
    let planned = 0;
    let held = 0;
    for (let b = 0; b < B && b <= horizon; b++) {
      planned += f.planned[i * B + b];
      held += f.held[i * B + b];
    }
    const left = f.leftMonths[i];
    const ind = f.independenceMonths[i];
    const end = Math.min(horizon, Number.isNaN(left) ? Infinity : left);
    mentees.push({
      mentee: id,
      mentors: Object.freeze(mentorsOf.get(id) ?? []),
      highPotential: view.mentees.highPotential[i] === 1,
      weightedGap: W,
      weightedGrowth: growth,
      gapClosed: W > 0 ? growth / W : 0,
      alignment: {
        high: part.high[1] > 0 ? part.high[0] / part.high[1] : NaN,
        rest: part.rest[1] > 0 ? part.rest[0] / part.rest[1] : NaN,
      },
      checkInsPlanned: planned,
      checkInsHeld: held,
      independence: ind <= end ? { time: ind, event: true } : { time: end, event: false },
      retention: left <= horizon ? { time: left, event: true } : { time: horizon, event: false },
    });
  }
  return mentees;
}

/** The scorecard of `result` (a match of `cohort`) from the records after it, or from their
 * follow-up (`FollowUpBuilder`, `readProgramRecordsCsv`) read for this cohort and result. The
 * records are checked against the cohort: an `InputError` with every issue. */
export function scorecard(
  cohort: Cohort,
  result: ImpactMatch,
  records: ProgramRecords | FollowUp,
  options: ScorecardOptions = {},
): Scorecard {
  const f = followUpFor(cohort, result, records);
  const horizon = horizonOf(f, options);
  const mentees = menteeImpacts(f, horizon);

  const figures = (list: readonly MenteeImpact[]): ImpactFigures => {
    const mean = (f: (m: MenteeImpact) => number) => {
      const xs = list.map(f).filter((x) => !Number.isNaN(x));
      return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
    };
    const planned = list.reduce((a, m) => a + m.checkInsPlanned, 0);
    const ind = list.length > 0 ? kaplanMeier(list.map((m) => m.independence)) : undefined;
    const ret = list.length > 0 ? kaplanMeier(list.map((m) => m.retention)) : undefined;
    const hipo = list.filter((m) => m.highPotential);
    return {
      n: list.length,
      gapClosed: mean((m) => m.gapClosed),
      weightedGrowth: mean((m) => m.weightedGrowth),
      alignment: { high: mean((m) => m.alignment.high), rest: mean((m) => m.alignment.rest) },
      engagement: planned > 0 ? list.reduce((a, m) => a + m.checkInsHeld, 0) / planned : NaN,
      independence: {
        medianMonths: ind ? ind.median.time : null,
        byHorizon: ind ? 1 - survivalAt(ind, horizon) : NaN,
      },
      retention: {
        atHorizon: ret ? survivalAt(ret, horizon) : NaN,
        highPotential:
          hipo.length > 0 ? survivalAt(kaplanMeier(hipo.map((m) => m.retention)), horizon) : null,
      },
    };
  };

  const byId = new Map(mentees.map((m) => [m.mentee, m]));
  const ofMentor = new Map<string, MenteeImpact[]>();
  for (const p of result.pairs) {
    const m = byId.get(p.mentee);
    if (!m) continue;
    const mine = ofMentor.get(p.mentor);
    if (mine) mine.push(m);
    else ofMentor.set(p.mentor, [m]);
  }
  return {
    start: f.start,
    horizonMonths: horizon,
    minGroupSize: cohort.program.minGroupSize,
    consenting: mentees.length,
    cohort: figures(mentees),
    mentees,
    mentors: [...ofMentor.keys()].sort().map((mentor) => ({
      mentor,
      figures: figures(ofMentor.get(mentor)!),
    })),
    tiers: menteesByTier(cohort, result, mentees).map((t) => ({
      tier: t.tier,
      figures: figures(t.mentees),
    })),
    groups: menteesByGroup(cohort, mentees).map(({ attribute, groups }) => ({
      attribute,
      groups: groups.map((g) => ({
        label: g.label,
        hidden: g.hidden,
        figures: g.mentees ? figures(g.mentees) : null,
      })),
    })),
  };
}

/** The consenting mentees of each tier's mentors, tiers sorted (a mentee with mentors of two
 * tiers is in both). */
export function menteesByTier(
  cohort: Cohort,
  result: ImpactMatch,
  mentees: readonly MenteeImpact[],
): { readonly tier: string; readonly mentees: readonly MenteeImpact[] }[] {
  const { index, view } = cohort;
  const byId = new Map(mentees.map((m) => [m.mentee, m]));
  const ofTier = new Map<string, Set<MenteeImpact>>();
  for (const p of result.pairs) {
    const m = byId.get(p.mentee);
    if (!m) continue;
    const tier = index.tierIds[view.mentors.tier[index.mentorById.get(p.mentor)!]];
    const set = ofTier.get(tier) ?? new Set<MenteeImpact>();
    set.add(m);
    ofTier.set(tier, set);
  }
  return [...ofTier.keys()].sort().map((tier) => ({ tier, mentees: [...ofTier.get(tier)!] }));
}

/** Each sensitive attribute's groups of consenting mentees as every impact report shows them
 * (`reportGroups`): a hidden group with no mentees, "(not stated)" only when someone is in it. */
export function menteesByGroup(
  cohort: Cohort,
  mentees: readonly MenteeImpact[],
): {
  readonly attribute: string;
  readonly groups: readonly {
    readonly label: string;
    readonly hidden: boolean;
    readonly mentees: readonly MenteeImpact[] | null;
  }[];
}[] {
  const { menteeIds } = cohort.index;
  const byId = new Map(mentees.map((m) => [m.mentee, m]));
  return reportGroups(cohort).map(({ attribute, labels, lists, hidden }) => ({
    attribute,
    groups: labels
      .map((label, g) => ({
        label,
        hidden: hidden[g],
        mentees: hidden[g] ? null : lists[g].map((i) => byId.get(menteeIds[i])!),
      }))
      .filter((g, at) => lists[at].length > 0 || g.label !== "(not stated)"),
  }));
}

/** One attribute's groups over the consenting mentees (indices), and which are hidden. */
export interface ReportGroups {
  readonly attribute: string;
  readonly labels: readonly string[];
  readonly lists: readonly number[][];
  readonly hidden: readonly boolean[];
}

/**
 * The groups of each sensitive attribute over consenting mentees, "(not stated)" last, hidden as
 * the fairness audit hides them (`suppress`, then `suppressNested` across attributes): the one
 * place the impact reports decide it, so every report hides the same groups.
 */
export function reportGroups(cohort: Cohort): ReportGroups[] {
  const k = cohort.program.minGroupSize;
  const n = cohort.view.mentees.count;
  const consent = cohort.view.mentees.consentAnalytics;
  const parts = cohort.sensitive.attributes.map((attribute) => {
    const g = menteeGroups(cohort, attribute);
    const labels = [...g.labels, "(not stated)"];
    const lists: number[][] = labels.map(() => []);
    for (let i = 0; i < n; i++) {
      if (consent[i] !== 1) continue;
      lists[g.code[i] >= 0 ? g.code[i] : labels.length - 1].push(i);
    }
    return {
      attribute,
      labels,
      lists,
      hidden: suppress(
        lists.map((l) => l.length),
        k,
      ),
    };
  });
  suppressNested(parts, n, k);
  return parts;
}
