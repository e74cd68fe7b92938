/** The seeded program history: deterministic, valid records, independent of input order, and
 * plausible — growth rises with fit, people left unmatched leave more often. */
import { describe, expect, it } from "vitest";
import { generateCohort, match, parseCohort } from "../../src/index.js";
import { generateProgramRecords } from "../../src/generate/history.js";
import { parseProgramRecords } from "../../src/impact/records.js";

const input = generateCohort({ mentees: 400, mentors: 80, seed: 5, equity: false });
const cohort = parseCohort(input);
const result = match(cohort);

describe("generateProgramRecords", () => {
  it("deterministic for a seed, valid for the cohort, the same whatever the input order", () => {
    const a = generateProgramRecords(cohort, result, { seed: 2 });
    expect(generateProgramRecords(cohort, result, { seed: 2 })).toEqual(a);
    expect(generateProgramRecords(cohort, result, { seed: 3 })).not.toEqual(a);
    const parsed = parseProgramRecords(a, cohort);
    const shuffled = parseCohort({
      ...input,
      mentees: [...input.mentees].reverse(),
      mentors: [...input.mentors].reverse(),
    });
    const b = generateProgramRecords(shuffled, match(shuffled), { seed: 2 });
    expect(parseProgramRecords(b, shuffled)).toEqual(parsed);
    const last = a.checkIns.reduce((d, c) => (c.date > d ? c.date : d), a.start);
    expect(Date.parse(last) - Date.parse(a.start)).toBeLessThanOrEqual(25 * 31 * 86_400_000);
  });

  it("growth rises with fit; mentees left unmatched leave more often", () => {
    const r = generateProgramRecords(cohort, result, { seed: 1 });
    const S = cohort.view.nSkills;
    // Share of the gap closed by each matched mentee's last assessment.
    const last = new Map<string, Record<string, number>>();
    for (const c of r.checkIns) if (c.proficiency) last.set(c.mentee, c.proficiency);
    const fit = new Map<string, number>();
    for (const p of result.pairs) fit.set(p.mentee, (fit.get(p.mentee) ?? 0) + p.score);
    const closed: [number, number][] = [];
    for (const [mentee, levels] of last) {
      const i = cohort.index.menteeById.get(mentee)!;
      let share = 0;
      let skills = 0;
      for (const [skill, level] of Object.entries(levels)) {
        const k = cohort.index.skillById.get(skill)!;
        const from = cohort.view.mentees.current[i * S + k];
        const to = cohort.view.mentees.target[i * S + k];
        share += (level - from) / (to - from);
        skills++;
      }
      closed.push([fit.get(mentee)!, share / skills]);
    }
    closed.sort((a, b) => a[0] - b[0]);
    const q = Math.floor(closed.length / 4);
    const mean = (xs: [number, number][]) => xs.reduce((a, x) => a + x[1], 0) / xs.length;
    expect(mean(closed.slice(-q))).toBeGreaterThan(mean(closed.slice(0, q)));
    const leftIds = new Set(r.outcomes.filter((o) => o.kind === "left").map((o) => o.person));
    const matched = new Set(result.pairs.map((p) => p.mentee));
    const rate = (ids: string[]) => ids.filter((id) => leftIds.has(id)).length / ids.length;
    const ids = cohort.index.menteeIds;
    expect(rate(ids.filter((id) => !matched.has(id)))).toBeGreaterThan(
      rate(ids.filter((id) => matched.has(id))),
    );
    expect(r.outcomes.some((o) => o.kind === "independence")).toBe(true);
    expect(r.outcomes.some((o) => o.kind === "promotion")).toBe(true);
  });
});
