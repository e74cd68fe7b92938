/**
 * Stable mode on a cohort (src/lifecycle/stable-compare.ts): ranks derived from fit, and the
 * stable matching beside the fit-maximizing one on the bundled example cohort and a generated
 * one.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  blockingPairs,
  cohortRanks,
  compareStable,
  generateCohort,
  InputError,
  explainPair,
  parseCohort,
  stableMatch,
  type Cohort,
} from "../../src/index.js";
import { cohortFilesIn, loadCohort } from "../../src/node/index.js";

const example = path.resolve(import.meta.dirname, "../../examples/data");

describe("cohortRanks", () => {
  it("ranks eligible pairs with a positive fit by fit, equal fits tied, both sides", () => {
    const cohort = parseCohort(generateCohort({ mentees: 30, mentors: 8, seed: 4 }));
    const ranks = cohortRanks(cohort);
    const { menteeIds, mentorIds } = cohort.index;
    expect(Object.keys(ranks.menteeRanks).sort()).toEqual([...menteeIds]);
    expect(Object.keys(ranks.mentorRanks).sort()).toEqual([...mentorIds]);
    // Each pair ranked by one side is ranked by the other (acceptability is mutual).
    for (const [e, list] of Object.entries(ranks.menteeRanks))
      for (const m of list.flat()) expect(ranks.mentorRanks[m].flat()).toContain(e);
    // Fits fall along each list (ties equal), and only positive fits of eligible pairs are in.
    for (const [e, list] of Object.entries(ranks.menteeRanks)) {
      const fits = list.map((item) =>
        (typeof item === "string" ? [item] : item).map((m) => explainPair(cohort, e, m)),
      );
      for (const group of fits) {
        for (const x of group) expect(x.eligible && x.total > 0).toBe(true);
        expect(new Set(group.map((x) => x.total)).size).toBe(1);
      }
      for (let k = 1; k < fits.length; k++)
        expect(fits[k][0].total).toBeLessThan(fits[k - 1][0].total);
    }
    // The stable matching on them is stable, and the same for both sides here.
    const a = stableMatch(ranks);
    expect(blockingPairs(ranks, a).ok).toBe(true);
    expect(stableMatch(ranks, { side: "mentors" }).pairs).toEqual(a.pairs);
  });

  it("takes only a parsed cohort", () => {
    expect(() => cohortRanks({} as Cohort)).toThrow(InputError);
    expect(() => compareStable(null as never)).toThrow(InputError);
  });
});

describe("compareStable", () => {
  it("on the example cohort: the stable matching has no blocking pair, the fit-maximizing 20", async () => {
    const { cohort } = await loadCohort(cohortFilesIn(example));
    const r = compareStable(cohort);
    expect(r).toMatchObject({ mentees: 40, mentors: 12, acceptablePairs: 123, side: "mentees" });
    expect(r.stable).toMatchObject({
      blockingPairs: 0,
      examples: [],
      unacceptablePairs: 0,
      pairs: 23,
      matchedMentees: 22,
      matchRate: 0.55,
    });
    expect(r.stable.totalFit).toBeCloseTo(139.9667, 3);
    expect(r.fitMax).toMatchObject({
      status: "optimal",
      coverageFirst: true,
      blockingPairs: 20,
      unacceptablePairs: 0,
      pairs: 28,
      matchedMentees: 28,
      matchRate: 0.7,
    });
    expect(r.fitMax.totalFit).toBeCloseTo(144.25, 9);
    expect(r.fitMax.examples).toHaveLength(5);
    expect(r.fitMax.examples[0]).toMatchObject({ mentee: "e002", mentor: "m006" });
    // Plain JSON.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    // Without coverage-first, match maximizes fit alone: more fit, fewer blocking pairs.
    const f = compareStable(cohort, { coverageFirst: false, examples: 0 });
    expect(f.fitMax.totalFit).toBeCloseTo(146.5333, 3);
    expect(f.fitMax).toMatchObject({ blockingPairs: 13, examples: [], matchedMentees: 25 });
  });

  it("on three generated cohorts without coverage-first: stable, and fit-max has at least its fit", () => {
    for (const seed of [1, 2, 3]) {
      const cohort = parseCohort(generateCohort({ mentees: 60, mentors: 15, seed }));
      const r = compareStable(cohort, { coverageFirst: false, side: "mentors" });
      expect(r.stable.blockingPairs).toBe(0);
      expect(r.fitMax.totalFit).toBeGreaterThanOrEqual(r.stable.totalFit - 1e-9);
    }
  });

  it("bad options are an InputError, every one at once", async () => {
    const { cohort } = await loadCohort(cohortFilesIn(example));
    try {
      compareStable(cohort, { side: "both", examples: -1, coverageFirst: 1, x: 1 } as never);
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).issues.map((i) => i.code)).toEqual([
        "unknown_option",
        "invalid_value",
        "invalid_option",
        "invalid_option",
      ]);
    }
  });
});
