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
import { menteePriority, weightedGap } from "../score/gap.js";
import { MONTH_DAYS, type FollowUp, type ImpactMatch } from "./followup.js";
import type { ProgramRecords } from "./records.js";
import {
  followUpFor,
  horizonOf,
  menteeImpacts,
  menteesByGroup,
  menteesByTier,
  type MenteeImpact,
  type ScorecardOptions,
} from "./scorecard.js";
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

/** The monthly trajectories of `result` (a match of `cohort`) from the records after it, or
 * from their follow-up read for this cohort and result (as `scorecard` takes them). */
export function trajectories(
  cohort: Cohort,
  result: ImpactMatch,
  records: ProgramRecords | FollowUp,
  options: ScorecardOptions = {},
): Trajectories {
  const f = followUpFor(cohort, result, records);
  const H = horizonOf(f, options);
  const impacts = menteeImpacts(f, H);
  const months = Array.from({ length: H + 1 }, (_, m) => m);
  const { index, view } = cohort;
  const S = view.nSkills;
  const B = f.buckets;
  const { offsets, skill, day, level } = f.assessments;

  // Per consenting mentee (its place in `impacts`): gap closed each month, and check-ins planned
  // and held up to it.
  const n = impacts.length;
  const closed = new Float64Array(n * (H + 1));
  const planned = new Int32Array(n * (H + 1));
  const held = new Int32Array(n * (H + 1));
  const place = new Map<string, number>();
  const latest = new Float64Array(S);
  // The gap's skills of the mentee at hand, worked out once: skill, priority, from, to.
  const active: { k: number; p: number; from: number; to: number }[] = [];
  impacts.forEach((m, x) => {
    place.set(m.mentee, x);
    const i = index.menteeById.get(m.mentee)!;
    const W = weightedGap(view, i);
    active.length = 0;
    for (let k = 0; k < S; k++) {
      const from = view.mentees.current[i * S + k];
      const to = view.mentees.target[i * S + k];
      const p = menteePriority(view, i, k);
      latest[k] = from;
      if (p > 0 && to > from) active.push({ k, p, from, to });
    }
    let a = offsets[i];
    let p = 0;
    let h = 0;
    for (let month = 0; month <= H; month++) {
      for (; a < offsets[i + 1] && Math.ceil(day[a] / MONTH_DAYS) <= month; a++)
        latest[skill[a]] = level[a];
      if (month < B) {
        p += f.planned[i * B + month];
        h += f.held[i * B + month];
      }
      planned[x * (H + 1) + month] = p;
      held[x * (H + 1) + month] = h;
      let grown = 0;
      for (const { k, p: priority, from, to } of active)
        grown += priority * Math.max(0, Math.min(latest[k], to) - from);
      closed[x * (H + 1) + month] = W > 0 ? grown / W : 0;
    }
  });

  const seriesOf = (list: readonly MenteeImpact[]): Series => {
    const ret = list.length > 0 ? kaplanMeier(list.map((m) => m.retention)) : undefined;
    const ind = list.length > 0 ? kaplanMeier(list.map((m) => m.independence)) : undefined;
    const at = list.map((m) => place.get(m.mentee)! * (H + 1));
    const sum = (xs: Float64Array | Int32Array, month: number) => {
      let total = 0;
      for (const o of at) total += xs[o + month];
      return total;
    };
    return {
      gapClosed: months.map((month) => (list.length > 0 ? sum(closed, month) / list.length : NaN)),
      engagement: months.map((month) => {
        const p = sum(planned, month);
        return p > 0 ? sum(held, month) / p : NaN;
      }),
      retention: months.map((month) => (ret ? survivalAt(ret, month) : NaN)),
      independent: months.map((month) => (ind ? 1 - survivalAt(ind, month) : NaN)),
    };
  };

  return {
    start: f.start,
    months,
    cohort: seriesOf(impacts),
    tiers: menteesByTier(cohort, result, impacts).map((t) => ({
      tier: t.tier,
      series: seriesOf(t.mentees),
    })),
    groups: menteesByGroup(cohort, impacts).map(({ attribute, groups }) => ({
      attribute,
      groups: groups.map((g) => ({
        label: g.label,
        hidden: g.hidden,
        series: g.mentees ? seriesOf(g.mentees) : null,
      })),
    })),
  };
}
