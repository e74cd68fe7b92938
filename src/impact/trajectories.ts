/**
 * Monthly trajectories (docs/IMPACT.md): the scorecard's figures month by month over the
 * horizon, for the cohort, each tier and each shown group of a sensitive attribute (hidden
 * groups exactly as the scorecard hides them: `reportGroups`). Consenting mentees only.
 *
 * At month m: the mean gap closed with the re-assessments dated up to m; engagement, the
 * check-ins held over those planned up to m; retention, the Kaplan–Meier share still in the
 * organization at m; independence, one minus the Kaplan–Meier curve of the time to independence
 * at m (the share independent by m).
 */
import type { Cohort } from "../cohort/types.js";
import type { MatchResult } from "../match/types.js";
import { menteePriority, weightedGap } from "../score/gap.js";
import type { ProgramRecords } from "./records.js";
import { reportGroups, scorecard, type MenteeImpact, type ScorecardOptions } from "./scorecard.js";
import { kaplanMeier, survivalAt } from "./survival.js";

/** One value a month, months 0..horizon. */
export interface Series {
  readonly gapClosed: readonly number[];
  readonly engagement: readonly number[];
  readonly retention: readonly number[];
  readonly independent: readonly number[];
}

export interface Trajectories {
  readonly start: string;
  readonly months: readonly number[];
  readonly cohort: Series;
  readonly tiers: readonly { readonly tier: string; readonly series: Series }[];
  readonly groups: readonly {
    readonly attribute: string;
    readonly groups: readonly {
      readonly label: string;
      readonly hidden: boolean;
      readonly series: Series | null;
    }[];
  }[];
}

const DAY = 86_400_000;
const monthsFrom = (start: string, date: string) =>
  (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY / 30.44;

/** The monthly trajectories of `result` (a match of `cohort`) from the records after it. */
export function trajectories(
  cohort: Cohort,
  result: MatchResult,
  records: ProgramRecords,
  options: ScorecardOptions = {},
): Trajectories {
  const card = scorecard(cohort, result, records, options);
  const H = card.horizonMonths;
  const months = Array.from({ length: H + 1 }, (_, m) => m);
  const { index, view } = cohort;
  const S = view.nSkills;

  // Per consenting mentee: gap closed each month, and check-ins planned and held up to it.
  const closed = new Map<string, Float64Array>();
  const planned = new Map<string, Int32Array>();
  const held = new Map<string, Int32Array>();
  const byMentee = new Map<string, ProgramRecords["checkIns"][number][]>();
  for (const c of records.checkIns) {
    const list = byMentee.get(c.mentee);
    if (list) list.push(c);
    else byMentee.set(c.mentee, [c]);
  }
  for (const m of card.mentees) {
    const i = index.menteeById.get(m.mentee)!;
    const W = weightedGap(view, i);
    // The gap's skills once: priority, from, to.
    const active: { k: number; p: number; from: number; to: number }[] = [];
    for (let k = 0; k < S; k++) {
      const p = menteePriority(view, i, k);
      const from = view.mentees.current[i * S + k];
      const to = view.mentees.target[i * S + k];
      if (p > 0 && to > from) active.push({ k, p, from, to });
    }
    const level = new Map<number, number>();
    const series = new Float64Array(H + 1);
    const p = new Int32Array(H + 1);
    const h = new Int32Array(H + 1);
    const mine = byMentee.get(m.mentee) ?? []; // sorted by date (records are)
    let at = 0;
    for (let month = 0; month <= H; month++) {
      for (; at < mine.length && monthsFrom(records.start, mine[at].date) <= month; at++) {
        const c = mine[at];
        p[month]++;
        if (c.held) h[month]++;
        for (const [skill, v] of Object.entries(c.proficiency ?? {}))
          level.set(index.skillById.get(skill)!, v);
      }
      if (month > 0) {
        p[month] += p[month - 1];
        h[month] += h[month - 1];
      }
      let grown = 0;
      for (const { k, p: pr, from, to } of active)
        grown += pr * Math.max(0, Math.min(level.get(k) ?? from, to) - from);
      series[month] = W > 0 ? grown / W : 0;
    }
    closed.set(m.mentee, series);
    planned.set(m.mentee, p);
    held.set(m.mentee, h);
  }

  const seriesOf = (list: readonly MenteeImpact[]): Series => {
    const ret = list.length > 0 ? kaplanMeier(list.map((m) => m.retention)) : undefined;
    const ind = list.length > 0 ? kaplanMeier(list.map((m) => m.independence)) : undefined;
    return {
      gapClosed: months.map((month) =>
        list.length > 0
          ? list.reduce((a, m) => a + closed.get(m.mentee)![month], 0) / list.length
          : NaN,
      ),
      engagement: months.map((month) => {
        const p = list.reduce((a, m) => a + planned.get(m.mentee)![month], 0);
        return p > 0 ? list.reduce((a, m) => a + held.get(m.mentee)![month], 0) / p : NaN;
      }),
      retention: months.map((month) => (ret ? survivalAt(ret, month) : NaN)),
      independent: months.map((month) => (ind ? 1 - survivalAt(ind, month) : NaN)),
    };
  };

  const byId = new Map(card.mentees.map((m) => [m.mentee, m]));
  const ofTier = new Map<string, Set<MenteeImpact>>();
  for (const p of result.pairs) {
    const m = byId.get(p.mentee);
    if (!m) continue;
    const tier = index.tierIds[view.mentors.tier[index.mentorById.get(p.mentor)!]];
    const set = ofTier.get(tier) ?? new Set<MenteeImpact>();
    set.add(m);
    ofTier.set(tier, set);
  }
  return {
    start: records.start,
    months,
    cohort: seriesOf(card.mentees),
    tiers: [...ofTier.keys()]
      .sort()
      .map((tier) => ({ tier, series: seriesOf([...ofTier.get(tier)!]) })),
    groups: reportGroups(cohort).map(({ attribute, labels, lists, hidden }) => ({
      attribute,
      groups: labels
        .map((label, g) => ({
          label,
          hidden: hidden[g],
          series: hidden[g] ? null : seriesOf(lists[g].map((i) => byId.get(index.menteeIds[i])!)),
        }))
        .filter((g, at) => lists[at].length > 0 || g.label !== "(not stated)"),
    })),
  };
}
