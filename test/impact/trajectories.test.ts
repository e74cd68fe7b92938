/** Monthly trajectories: they end where the scorecard stands, move the way the measures must,
 * and hide the groups the scorecard hides. */
import { describe, expect, it } from "vitest";
import { generateCohort, match, parseCohort } from "../../src/index.js";
import { generateProgramRecords } from "../../src/generate/history.js";
import { parseProgramRecords } from "../../src/impact/records.js";
import { scorecard } from "../../src/impact/scorecard.js";
import { trajectories } from "../../src/impact/trajectories.js";

describe("trajectories", () => {
  it("end at the scorecard's figures; retention falls, growth and independence rise", () => {
    const g = generateCohort({ mentees: 150, mentors: 30, seed: 12, equity: false });
    const cohort = parseCohort({
      ...g,
      mentees: g.mentees.map((e, k) => ({
        ...e,
        consent: { analytics: k % 5 !== 0 },
        ...(k < 3 ? { sensitive: { ...e.sensitive, region: "antarctica" } } : {}),
      })),
    });
    const result = match(cohort);
    const records = parseProgramRecords(
      generateProgramRecords(cohort, result, { seed: 3 }),
      cohort,
    );
    const t = trajectories(cohort, result, records);
    const card = scorecard(cohort, result, records);
    const H = card.horizonMonths;
    expect(t.months).toHaveLength(H + 1);
    expect(t.cohort.gapClosed[H]).toBeCloseTo(card.cohort.gapClosed, 12);
    expect(t.cohort.engagement[H]).toBeCloseTo(card.cohort.engagement, 12);
    expect(t.cohort.retention[H]).toBeCloseTo(card.cohort.retention.atHorizon, 12);
    expect(t.cohort.independent[H]).toBeCloseTo(card.cohort.independence.byHorizon, 12);
    expect(t.cohort.gapClosed[0]).toBe(0);
    expect(t.cohort.retention[0]).toBe(1);
    for (let m = 1; m <= H; m++) {
      expect(t.cohort.gapClosed[m]).toBeGreaterThanOrEqual(t.cohort.gapClosed[m - 1] - 1e-12);
      expect(t.cohort.retention[m]).toBeLessThanOrEqual(t.cohort.retention[m - 1] + 1e-12);
      expect(t.cohort.independent[m]).toBeGreaterThanOrEqual(t.cohort.independent[m - 1] - 1e-12);
    }
    // The same groups hidden as in the scorecard; a hidden group has no series.
    for (const [a, attr] of t.groups.entries())
      attr.groups.forEach((grp, k) => {
        expect(grp.hidden).toBe(card.groups[a].groups[k].hidden);
        expect(grp.series === null).toBe(grp.hidden);
      });
    expect(t.groups.find((a) => a.attribute === "region")!.groups.some((g) => g.hidden)).toBe(true);
    expect(t.tiers.map((x) => x.tier)).toEqual(card.tiers.map((x) => x.tier));
  });
});
