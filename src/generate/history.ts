/**
 * A seeded, plausible program history after a match (docs/IMPACT.md): for each pair, monthly
 * check-ins over `months` (held or missed, the mentor's engagement deciding), the mentee's
 * proficiency re-assessed every `assessEvery` months, growing toward the target on the skills of
 * the gap at a rate that rises with the pair's fit and the check-ins held; and outcome events —
 * leaving the organization (more likely for mentees left unmatched, less for better fits),
 * promotions (more likely with more growth), independence on a skill when its target is reached.
 * People with no outcome by the end are censored there. For examples, tests and benchmarks: the
 * measures are checked on histories where the answer is known to depend on fit.
 */
import type { Cohort } from "../cohort/types.js";
import type { MatchResult } from "../match/types.js";
import { MONTH_DAYS } from "../impact/followup.js";
import type { CheckInInput, OutcomeInput, ProgramRecordsInput } from "../impact/records.js";
import { createRandom } from "./random.js";

export interface GenerateHistoryOptions {
  /** Months followed (default 24). */
  readonly months?: number;
  /** The program's start, YYYY-MM-DD (default the cohort program's `asOf`, else 2025-01-01). */
  readonly start?: string;
  /** Re-assess proficiency every this many months (default 3). */
  readonly assessEvery?: number;
  /** PRNG seed (default 1). */
  readonly seed?: number;
}

/** Days from a YYYY-MM-DD date, as YYYY-MM-DD (UTC). */
function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** A whole month after `start` (`MONTH_DAYS` each, as the impact measures count months), plus
 * `day` days. */
const monthDate = (start: string, month: number, day: number) =>
  addDays(start, Math.round(month * MONTH_DAYS) + day);

/**
 * Generates the records of `result` (a match of `cohort`) over the months after the start:
 * `ProgramRecordsInput`, valid for `parseProgramRecords(records, cohort)`. Deterministic for a
 * seed; the order of the cohort's people does not matter (everything is keyed by id).
 */
export function generateProgramRecords(
  cohort: Cohort,
  result: MatchResult,
  options: GenerateHistoryOptions = {},
): ProgramRecordsInput {
  const months = options.months ?? 24;
  const every = options.assessEvery ?? 3;
  const start = options.start ?? cohort.program.asOf ?? "2025-01-01";
  const { index, view } = cohort;
  const S = view.nSkills;
  const { scaleMin, scaleMax } = view;
  const step = (scaleMax - scaleMin) / 8; // re-assessments are reported on a grid

  // One stream per person, seeded from the seed and the id: independent of the input order.
  const streamOf = (id: string) => {
    let h = options.seed ?? 1;
    for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193) >>> 0;
    return createRandom(h);
  };
  const engagement = new Map<string, number>();
  for (const id of index.mentorIds) engagement.set(id, 0.6 + 0.35 * streamOf(`m:${id}`).next());
  let maxFit = 1e-9; // a loop, not a spread: a big match has more pairs than a call has arguments
  for (const p of result.pairs) if (p.score > maxFit) maxFit = p.score;
  const pairsOf = new Map<string, { mentor: string; score: number }[]>();
  for (const p of result.pairs) {
    const list = pairsOf.get(p.mentee) ?? [];
    list.push({ mentor: p.mentor, score: p.score });
    pairsOf.set(p.mentee, list);
  }

  const checkIns: CheckInInput[] = [];
  const outcomes: OutcomeInput[] = [];
  index.menteeIds.forEach((id, i) => {
    const rng = streamOf(`e:${id}`);
    const pairs = pairsOf.get(id) ?? [];
    const fit = pairs.reduce((a, p) => a + p.score, 0) / maxFit; // 0 when unmatched
    // Growth rate a month: from the fit and the check-ins held.
    let held = 0;
    let planned = 0;
    const gaps: { skill: string; from: number; to: number; k: number }[] = [];
    for (let k = 0; k < S; k++) {
      const from = view.mentees.current[i * S + k];
      const to = view.mentees.target[i * S + k];
      if (to > from) gaps.push({ skill: index.skillIds[k], from, to, k });
    }
    const level = new Map(gaps.map((g) => [g.skill, g.from]));
    let independent = false;
    let left = false;
    // Leaving: a monthly hazard (about 14% a year unmatched, 5–10% with a pair, lower the better
    // the fit).
    const hazard = pairs.length === 0 ? 0.012 : 0.009 - 0.005 * Math.min(1, fit);
    for (let month = 1; month <= months && !left; month++) {
      for (const p of pairs) {
        planned++;
        const took = rng.chance(engagement.get(p.mentor)!);
        if (took) held++;
        const date = monthDate(start, month, rng.int(0, 20));
        const assessed = month % every === 0 && took && gaps.length > 0;
        checkIns.push({
          mentee: id,
          mentor: p.mentor,
          date,
          held: took,
          ...(assessed ? { proficiency: reassess(date) } : {}),
        });
      }
      if (rng.chance(hazard)) {
        left = true;
        outcomes.push({ person: id, kind: "left", date: monthDate(start, month, rng.int(0, 27)) });
      }
    }
    if (!left && pairs.length > 0) {
      const grown = gaps.reduce((a, g) => a + (level.get(g.skill)! - g.from) / (g.to - g.from), 0);
      const share = gaps.length > 0 ? grown / gaps.length : 0;
      if (rng.chance(0.1 + 0.5 * share))
        outcomes.push({
          person: id,
          kind: "promotion",
          date: monthDate(start, rng.int(6, months), rng.int(0, 27)),
        });
    }

    /** Each gap skill grows toward its target with the months of held check-ins so far. */
    function reassess(date: string): Record<string, number> {
      const rate = 0.02 + 0.1 * Math.min(1.5, fit) * (planned > 0 ? held / planned : 0);
      const out: Record<string, number> = {};
      for (const g of gaps) {
        const now = level.get(g.skill)!;
        const next = Math.min(g.to, now + (g.to - g.from) * rate * every * (0.5 + rng.next()));
        const reported = Math.min(scaleMax, Math.max(scaleMin, Math.round(next / step) * step));
        level.set(g.skill, Math.max(now, reported));
        out[g.skill] = level.get(g.skill)!;
        if (!independent && level.get(g.skill)! >= g.to) {
          independent = true;
          outcomes.push({
            person: id,
            kind: "independence",
            date,
            goal: g.skill,
          });
        }
      }
      return out;
    }
  });
  return { start, checkIns, outcomes };
}
