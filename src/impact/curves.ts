/**
 * Survival of a match's outcomes (docs/IMPACT.md "Survival by group"): retention (months to
 * leaving the organization) and time to independence as Kaplan–Meier curves with their bands —
 * for the cohort, matched against unmatched mentees, per tier and per shown group of each
 * sensitive attribute — with the log-rank test wherever there are two or more curves to compare.
 * Consenting mentees only; groups of a sensitive attribute hidden exactly as the scorecard hides
 * them (`reportGroups`). Matched and unmatched mentees, like tiers, are the program's own sets
 * (the match lists who is in them), shown at any size.
 */
import type { Cohort } from "../cohort/types.js";
import type { FollowUp, ImpactMatch } from "./followup.js";
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
import {
  kaplanMeier,
  logRank,
  type KaplanMeierCurve,
  type KaplanMeierOptions,
  type LogRankResult,
  type SurvivalObservation,
} from "./survival.js";

/** One outcome's curves. A curve is null for a hidden or empty set of mentees. */
export interface OutcomeSurvival {
  /** The cohort's curve, with its restricted mean up to the horizon. */
  readonly cohort: KaplanMeierCurve;
  readonly matched: {
    readonly matched: KaplanMeierCurve | null;
    readonly unmatched: KaplanMeierCurve | null;
    /** Log-rank, matched against unmatched (null: a side empty, or no event). */
    readonly test: LogRankResult | null;
  };
  readonly tiers: readonly { readonly tier: string; readonly curve: KaplanMeierCurve }[];
  readonly groups: readonly {
    readonly attribute: string;
    readonly groups: readonly {
      readonly label: string;
      readonly hidden: boolean;
      readonly curve: KaplanMeierCurve | null;
    }[];
    /** Log-rank across the shown groups (null: fewer than two, or no event). */
    readonly test: LogRankResult | null;
  }[];
}

export interface OutcomeCurves {
  readonly horizonMonths: number;
  /** Months to leaving the organization, censored at the horizon. */
  readonly retention: OutcomeSurvival;
  /** Months to the first independence outcome, censored at leaving or the horizon. */
  readonly independence: OutcomeSurvival;
}

export interface OutcomeCurvesOptions
  extends ScorecardOptions, Pick<KaplanMeierOptions, "level" | "confType"> {}

/** The survival curves of `result`'s outcomes from the records after it, or their follow-up. */
export function outcomeCurves(
  cohort: Cohort,
  result: ImpactMatch,
  records: ProgramRecords | FollowUp,
  options: OutcomeCurvesOptions = {},
): OutcomeCurves {
  const f = followUpFor(cohort, result, records);
  const horizon = horizonOf(f, options);
  const mentees = menteeImpacts(f, horizon);
  const km = { level: options.level, confType: options.confType };
  const tiers = menteesByTier(cohort, result, mentees);
  const groups = menteesByGroup(cohort, mentees);

  const one = (time: (m: MenteeImpact) => SurvivalObservation): OutcomeSurvival => {
    const curve = (list: readonly MenteeImpact[]) =>
      list.length > 0 ? kaplanMeier(list.map(time), km) : null;
    const test = (sets: readonly { label: string; list: readonly MenteeImpact[] }[]) => {
      const shown = sets.filter((s) => s.list.length > 0);
      if (shown.length < 2 || !shown.some((s) => s.list.some((m) => time(m).event))) return null;
      return logRank(shown.map((s) => ({ label: s.label, observations: s.list.map(time) })));
    };
    const withMentor = mentees.filter((m) => m.mentors.length > 0);
    const without = mentees.filter((m) => m.mentors.length === 0);
    return {
      cohort: kaplanMeier(mentees.map(time), { ...km, horizon }),
      matched: {
        matched: curve(withMentor),
        unmatched: curve(without),
        test: test([
          { label: "matched", list: withMentor },
          { label: "unmatched", list: without },
        ]),
      },
      tiers: tiers.map((t) => ({ tier: t.tier, curve: curve(t.mentees)! })),
      groups: groups.map(({ attribute, groups }) => ({
        attribute,
        groups: groups.map((g) => ({
          label: g.label,
          hidden: g.hidden,
          curve: g.mentees ? curve(g.mentees) : null,
        })),
        test: test(groups.flatMap((g) => (g.mentees ? [{ label: g.label, list: g.mentees }] : []))),
      })),
    };
  };

  return {
    horizonMonths: horizon,
    retention: one((m) => m.retention),
    independence: one((m) => m.independence),
  };
}
