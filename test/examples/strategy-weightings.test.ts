/** examples/strategy-weightings.ts: the comparison logic on hand-made cases and on examples/data. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  boostStrategy,
  comparePairs,
  compareWeightings,
  formatComparison,
  parseBoost,
} from "../../examples/strategy-weightings.js";
import { match, parseCohort, type CohortInput, type MatchPair } from "../../src/index.js";
import { cohortFilesIn, readCohortInputFromFiles } from "../../src/node/index.js";
import { readmePeople, readmeTiers } from "../fixtures/readme-cohort.js";

const pair = (mentee: string, mentor: string, score: number): MatchPair => ({
  mentee,
  mentor,
  score,
  locked: false,
});

/** The README's four-mentee cohort (one senior mentor with one seat, one peer with two). */
const tiny = (): CohortInput => ({
  ...readmePeople(),
  strategy: { ...readmePeople().strategy, byUnit: { sales: { python: 2 } } },
  program: { tiers: readmeTiers() },
});

describe("comparePairs(a, b)", () => {
  it("sorts mentees into moved, newly matched and newly unmatched; unchanged ones are in none", () => {
    const a = [
      pair("m1", "x", 3),
      pair("m2", "x", 2),
      pair("m3", "y", 1),
      pair("m5", "x", 1),
      pair("m5", "y", 1),
    ];
    const b = [
      pair("m1", "x", 4), // same mentor, another fit: not moved
      pair("m2", "y", 5), // moved
      pair("m4", "x", 2), // newly matched
      pair("m5", "y", 2), // two mentors → one of them: moved
      pair("m5", "z", 2),
    ];
    const c = comparePairs(a, b);
    expect(c.moved).toEqual([
      { mentee: "m2", before: [{ mentor: "x", score: 2 }], after: [{ mentor: "y", score: 5 }] },
      {
        mentee: "m5",
        before: [
          { mentor: "x", score: 1 },
          { mentor: "y", score: 1 },
        ],
        after: [
          { mentor: "y", score: 2 },
          { mentor: "z", score: 2 },
        ],
      },
    ]);
    expect(c.newlyMatched).toEqual([
      { mentee: "m4", before: [], after: [{ mentor: "x", score: 2 }] },
    ]);
    expect(c.newlyUnmatched).toEqual([
      { mentee: "m3", before: [{ mentor: "y", score: 1 }], after: [] },
    ]);
  });

  it("finds nothing between a list and its reordering", () => {
    const a = [pair("m1", "x", 1), pair("m2", "y", 1), pair("m2", "x", 1)];
    const c = comparePairs(a, [...a].reverse());
    expect([c.moved, c.newlyMatched, c.newlyUnmatched]).toEqual([[], [], []]);
  });
});

describe("parseBoost and boostStrategy", () => {
  it("parseBoost reads SKILL=FACTOR and refuses anything else", () => {
    expect(parseBoost("data=2")).toEqual({ skill: "data", factor: 2 });
    expect(parseBoost(" people-management=1.5 ")).toEqual({
      skill: "people-management",
      factor: 1.5,
    });
    for (const bad of ["data", "data=", "=2", "data=0", "data=-1", "data=x"])
      expect(() => parseBoost(bad), bad).toThrow(/SKILL=FACTOR/);
  });

  it("multiplies the skill's global and per-unit priorities in a new input, leaving the old one as it was", () => {
    const input = tiny();
    const before = structuredClone(input);
    const b = boostStrategy(input, [{ skill: "python", factor: 3 }]);
    expect(input).toEqual(before);
    expect(b.strategy.priorities).toEqual({ sql: 3, python: 3 });
    expect(b.strategy.byUnit).toEqual({ sales: { python: 6 } });
    expect(b.strategy.priorities).not.toBe(input.strategy.priorities);
    expect(b.strategy.byUnit!.sales).not.toBe(input.strategy.byUnit!.sales);
  });

  it("refuses an unknown skill and a skill whose priority is 0 everywhere", () => {
    expect(() => boostStrategy(tiny(), [{ skill: "rust", factor: 2 }])).toThrow(/no such skill/);
    expect(() => boostStrategy(tiny(), [{ skill: "slides", factor: 2 }])).toThrow(/priority is 0/);
  });
});

describe("compareWeightings(input, boosts)", () => {
  it("a factor of 1 changes nothing", () => {
    const c = compareWeightings(tiny(), [{ skill: "sql", factor: 1 }]);
    expect([c.changes.moved, c.changes.newlyMatched, c.changes.newlyUnmatched]).toEqual([
      [],
      [],
      [],
    ]);
    expect(c.bUnderA).toBeCloseTo(
      c.a.pairs.reduce((s, p) => s + p.score, 0),
      9,
    );
  });

  it("on the tiny cohort, python ×10 moves Ben's one seat from Fay to Dev", () => {
    // Under A: ana → cy 9, eli → cy 3, fay → ben 6 (dev → ben would be 3). Under B dev → ben is
    // worth 30 (python gap 3 × 10), fay → ben still 6.
    const c = compareWeightings(tiny(), [{ skill: "python", factor: 10 }]);
    expect(c.changes.moved).toEqual([]);
    expect(c.changes.newlyMatched.map((m) => [m.mentee, m.after])).toEqual([
      ["dev", [{ mentor: "ben", score: 30 }]],
    ]);
    expect(c.changes.newlyUnmatched.map((m) => [m.mentee, m.before])).toEqual([
      ["fay", [{ mentor: "ben", score: 6 }]],
    ]);
    expect(c.bUnderA).toBe(9 + 3 + 3);
  });

  it("on examples/data: runs, prints the same text twice, and its totals are match's", async () => {
    const dir = path.resolve(import.meta.dirname, "../../examples/data");
    const { input, issues } = await readCohortInputFromFiles(cohortFilesIn(dir));
    expect(issues).toEqual([]);
    const boosts = [{ skill: "leadership", factor: 2 }];
    const c = compareWeightings(input, boosts);
    const again = compareWeightings(input, boosts);
    expect(formatComparison(again, "examples/data")).toEqual(formatComparison(c, "examples/data"));
    const direct = match(parseCohort(input));
    expect(c.a.result.status).toBe(direct.status);
    if (direct.status !== "infeasible") expect(c.a.pairs).toEqual(direct.pairs);
    for (const w of [c.a, c.b])
      for (const s of w.coverage) if (s.share !== null) expect(s.share).toBeLessThanOrEqual(1);
    // Every moved mentee is matched under both, to different mentors.
    for (const m of c.changes.moved) {
      expect(m.before.length).toBeGreaterThan(0);
      expect(m.after.map((x) => x.mentor)).not.toEqual(m.before.map((x) => x.mentor));
    }
  });
});
