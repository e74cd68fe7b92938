import { describe, expect, it } from "vitest";
import { scoreMatrix } from "../../src/score/matrix.js";
import { createScorer } from "../../src/score/scorer.js";
import { streamTopCandidates, topCandidates } from "../../src/score/topk.js";
import { makeView } from "./view.js";

// The worked example of docs/SCORING.md: skills sql (3), python (1), slides (0).
const example = makeView({
  priorities: [3, 1, 0],
  weights: {
    gap: 1,
    crossDepartment: 0.5,
    preference: 1,
    aspiration: 2,
    timezone: 1,
    language: 0.25,
    unmatchedBoost: 0.5,
  },
  mentees: [
    {
      current: [1, 2, 0],
      target: [4, 3, 5],
      department: 1,
      utcOffset: 1,
      languages: [0, 1],
      aspirations: [7, 8],
      preferred: [0],
      roundsUnmatched: 1,
    },
  ],
  mentors: [
    {
      expertise: [3, 5, 5],
      department: 2,
      utcOffset: -2,
      languages: [1],
      careerPaths: [8],
    },
    { expertise: [5, 1, 0], department: 1, capacity: 0 },
  ],
});

describe("createScorer(view).explain(i, j)", () => {
  it("breaks the docs example down per skill and per term", () => {
    const b = createScorer(example).explain(0, 0);
    expect(b.terms).toEqual({
      gap: 7,
      crossDepartment: 0.5,
      preference: 1,
      aspiration: 1,
      timezone: 0.75,
      language: 0.25,
      unmatchedBoost: 0.5,
    });
    expect(b.total).toBe(11);
    expect(b.values.gap).toBe(7);
    expect(b.values.aspiration).toBe(0.5);
    expect(b.eligible).toBe(true);
    expect(b.reason).toBeNull();
    expect(b.skills.reduce((s, x) => s + x.contribution, 0)).toBe(b.terms.gap);
    expect(JSON.parse(JSON.stringify(b))).toEqual(b);
  });

  it("gives an ineligible pair's would-be fit and its reason; its score is 0", () => {
    const scorer = createScorer(example);
    const b = scorer.explain(0, 1);
    expect(b.eligible).toBe(false);
    expect(b.reason).toBe("no_capacity");
    expect(b.reasonCode).toBe(6);
    // sql: min(3, 5 − 1) × 3 = 9; same department; no preference; offsets unknown → 0.
    expect(b.total).toBe(9 + 0.5);
    expect(scorer.score(0, 1)).toBe(0);
  });
});

describe("createScorer(view).score(i, j) / scoreRow(i, out, reason)", () => {
  it("agree with each other and with explain", () => {
    const scorer = createScorer(example);
    const out = new Float64Array(2);
    const why = new Uint8Array(2);
    scorer.scoreRow(0, out, why);
    expect(Array.from(out)).toEqual([11, 0]);
    expect(Array.from(why)).toEqual([0, 6]);
    expect(scorer.score(0, 0)).toBe(11);
    expect(scorer.rowUpperBound(0)).toBeGreaterThanOrEqual(11);
  });

  it("scoreRow returns the eligible count and lists the eligible mentors ascending", () => {
    const scorer = createScorer(example);
    const out = new Float64Array(2);
    const eligible = new Int32Array(2).fill(-1);
    expect(scorer.scoreRow(0, out, undefined, eligible)).toBe(1);
    expect(eligible[0]).toBe(0);
  });

  it("scoreRow works without a reason array and writes only m entries", () => {
    const scorer = createScorer(example);
    const out = new Float64Array(3).fill(-1);
    scorer.scoreRow(0, out);
    expect(Array.from(out)).toEqual([11, 0, -1]);
  });
});

describe("scoreMatrix(view)", () => {
  it("fills scores and reasons row-major", () => {
    const view = makeView({
      priorities: [1, 2],
      mentees: [
        { current: [0, 0], target: [2, 2] },
        { current: [1, 1], target: [3, 1] },
      ],
      mentors: [{ expertise: [1, 2] }, { expertise: [3, 0] }, { expertise: [5, 5], capacity: 0 }],
    });
    const r = scoreMatrix(view);
    expect(r.n).toBe(2);
    expect(r.m).toBe(3);
    expect(Array.from(r.scores)).toEqual([5, 2, 0, 0, 2, 0]);
    expect(Array.from(r.reason)).toEqual([0, 0, 6, 0, 0, 6]);
  });

  it("stops when the signal is aborted", () => {
    const ac = new AbortController();
    ac.abort(new Error("stop"));
    expect(() => scoreMatrix(example, { signal: ac.signal })).toThrow("stop");
  });
});

describe("topCandidates(view, k)", () => {
  // Mentee 0 scores mentors 0..5 as 1, 3, 3, 0 (ineligible), 2, 3.
  const view = makeView({
    priorities: [1],
    mentees: [
      { current: [0], target: [5] },
      { current: [0], target: [5], excluded: [0, 1, 2, 4, 5] },
    ],
    mentors: [
      { expertise: [1] },
      { expertise: [3] },
      { expertise: [3] },
      { expertise: [5], capacity: 0 },
      { expertise: [2] },
      { expertise: [3] },
    ],
  });

  it("keeps the K best eligible mentors, ties by mentor index, with the bound kth", () => {
    const t = topCandidates(view, 2);
    expect(Array.from(t.offsets)).toEqual([0, 2, 2]);
    expect(Array.from(t.mentor)).toEqual([1, 2]);
    expect(Array.from(t.score)).toEqual([3, 3]);
    expect(t.kth[0]).toBe(3); // mentor 5 also scores 3 and is unlisted
    expect(t.kth[1]).toBe(-Infinity); // no eligible mentor at all
    expect(Array.from(t.eligibleCount)).toEqual([5, 0]);
  });

  it("kth is −Infinity when every eligible pair is listed", () => {
    const t = topCandidates(view, 5);
    expect(Array.from(t.mentor)).toEqual([1, 2, 5, 4, 0]);
    expect(t.kth[0]).toBe(-Infinity);
  });

  it("kth bounds the unlisted pairs tightly", () => {
    const t = topCandidates(view, 4);
    expect(Array.from(t.mentor)).toEqual([1, 2, 5, 4]);
    expect(t.kth[0]).toBe(1);
  });

  it("k = 0 lists nothing and kth is the best eligible score", () => {
    const t = topCandidates(view, 0);
    expect(t.mentor.length).toBe(0);
    expect(t.kth[0]).toBe(3);
    expect(() => topCandidates(view, -1)).toThrow(RangeError);
  });

  it("the stream yields the same rows", () => {
    const t = topCandidates(view, 3);
    const rows = [...streamTopCandidates(view, 3)];
    expect(rows.map((r) => r.mentee)).toEqual([0, 1]);
    for (const r of rows) {
      const a = t.offsets[r.mentee];
      const b = t.offsets[r.mentee + 1];
      expect(Array.from(r.mentor)).toEqual(Array.from(t.mentor.subarray(a, b)));
      expect(Array.from(r.score)).toEqual(Array.from(t.score.subarray(a, b)));
      expect(r.kth).toBe(t.kth[r.mentee]);
    }
  });
});
