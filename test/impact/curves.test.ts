/** Survival by group (outcomeCurves): each curve is the Kaplan–Meier curve of its mentees, each
 * test the log-rank test of the shown sets, and hidden sets show nothing. */
import { describe, expect, it } from "vitest";
import { generateCohort, match, parseCohort, type CohortInput } from "../../src/index.js";
import { generateProgramRecords } from "../../src/generate/history.js";
import { outcomeCurves } from "../../src/impact/curves.js";
import { parseProgramRecords } from "../../src/impact/records.js";
import { scorecard } from "../../src/impact/scorecard.js";
import { kaplanMeier, logRank } from "../../src/impact/survival.js";

function setup(small = false, mentors = 40) {
  const g = generateCohort({ mentees: 160, mentors, seed: 12, equity: false });
  const input: CohortInput = {
    ...g,
    mentees: g.mentees.map((e, k) => ({
      ...e,
      consent: { analytics: true },
      ...(small && k < 3 ? { sensitive: { ...e.sensitive, gender: "Y" } } : {}),
    })),
  };
  const cohort = parseCohort(input);
  const result = match(cohort);
  const records = parseProgramRecords(
    generateProgramRecords(cohort, result, { months: 18, seed: 12 }),
    cohort,
  );
  return { cohort, result, records };
}

describe("outcome curves", () => {
  it("the cohort's, matched and unmatched curves are Kaplan–Meier of those mentees; the test is log-rank", () => {
    const { cohort, result, records } = setup();
    const card = scorecard(cohort, result, records);
    const c = outcomeCurves(cohort, result, records);
    const H = card.horizonMonths;
    expect(c.horizonMonths).toBe(H);
    expect(c.retention.cohort).toEqual(
      kaplanMeier(
        card.mentees.map((m) => m.retention),
        { horizon: H },
      ),
    );
    const withMentor = card.mentees.filter((m) => m.mentors.length > 0);
    const without = card.mentees.filter((m) => m.mentors.length === 0);
    expect(without.length).toBeGreaterThanOrEqual(cohort.program.minGroupSize);
    expect(c.independence.matched.matched).toEqual(
      kaplanMeier(withMentor.map((m) => m.independence)),
    );
    expect(c.independence.matched.unmatched).toEqual(
      kaplanMeier(without.map((m) => m.independence)),
    );
    expect(c.retention.matched.test).toEqual(
      logRank([
        { label: "matched", observations: withMentor.map((m) => m.retention) },
        { label: "unmatched", observations: without.map((m) => m.retention) },
      ]),
    );
    for (const t of c.retention.tiers)
      expect(t.curve.n).toBe(card.tiers.find((x) => x.tier === t.tier)!.figures.n);
  });

  it("a hidden group has no curve and is in no test; with no one unmatched, no comparison", () => {
    const { cohort, result, records } = setup(true, 80);
    const c = outcomeCurves(cohort, result, records);
    const gender = c.retention.groups.find((g) => g.attribute === "gender")!;
    const y = gender.groups.find((g) => g.label === "Y")!;
    expect(y).toMatchObject({ hidden: true, curve: null });
    const hidden = gender.groups.filter((g) => g.hidden).map((g) => g.label);
    expect(hidden.length).toBeGreaterThanOrEqual(2); // Y and the next smallest
    for (const label of hidden)
      expect(gender.test?.groups.map((g) => g.label) ?? []).not.toContain(label);
    // Everyone with a mentor: nothing to compare, no test.
    const [m0] = cohort.index.mentorIds;
    const everyone = { pairs: cohort.index.menteeIds.map((mentee) => ({ mentee, mentor: m0 })) };
    const d = outcomeCurves(cohort, everyone, records);
    expect(d.retention.matched.unmatched).toBeNull();
    expect(d.retention.matched.test).toBeNull();
  });
});
