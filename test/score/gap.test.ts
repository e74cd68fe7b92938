import { describe, expect, it } from "vitest";
import {
  gapBreakdown,
  gapTerm,
  menteePriority,
  skillCovered,
  skillGap,
  weightedGap,
} from "../../src/score/gap.js";
import { makeView } from "./view.js";

describe("skillGap(current, target)", () => {
  it("is target − current when the target is above", () => expect(skillGap(1, 4)).toBe(3));
  it("is 0 when the mentee is already at or above target", () => {
    expect(skillGap(4, 4)).toBe(0);
    expect(skillGap(5, 2)).toBe(0);
  });
});

describe("skillCovered(current, target, expertise)", () => {
  it("is the expertise above the mentee's current level", () =>
    expect(skillCovered(1, 5, 3)).toBe(2));
  it("is capped by the gap", () => expect(skillCovered(1, 3, 5)).toBe(2));
  it("is 0 when the mentor is not above the mentee", () => {
    expect(skillCovered(3, 5, 3)).toBe(0);
    expect(skillCovered(3, 5, 1)).toBe(0);
  });
  it("is 0 when there is no gap", () => expect(skillCovered(4, 4, 5)).toBe(0));
});

// The worked example of docs/SCORING.md.
const example = {
  priorities: [3, 1, 0],
  mentees: [{ current: [1, 2, 0], target: [4, 3, 5] }],
  mentors: [{ expertise: [3, 5, 5] }],
};

describe("gapBreakdown(view, i, j)", () => {
  it("absolute form: Σ priority × covered (docs/SCORING.md example)", () => {
    const view = makeView(example);
    const b = gapBreakdown(view, 0, 0);
    // sql: gap 3, covered 2, ×3 = 6; python: gap 1, covered 1, ×1 = 1; slides: priority 0.
    expect(b.skills).toEqual([
      { skill: 0, gap: 3, covered: 2, priority: 3, contribution: 6 },
      { skill: 1, gap: 1, covered: 1, priority: 1, contribution: 1 },
      { skill: 2, gap: 5, covered: 5, priority: 0, contribution: 0 },
    ]);
    expect(b.term).toBe(7);
    expect(b.weightedGap).toBe(10);
  });

  it("normalized form: share of the mentee's weighted gap covered", () => {
    const view = makeView({ ...example, form: "normalized" });
    expect(gapTerm(view, 0, 0)).toBeCloseTo(0.7, 12);
  });

  it("normalized form is 0 when the mentee has no weighted gap", () => {
    const view = makeView({ ...example, form: "normalized", priorities: [0, 0, 1] });
    const v2 = makeView({ ...example, form: "normalized", priorities: [0, 0, 0] });
    expect(gapTerm(view, 0, 0)).toBe(1);
    expect(gapTerm(v2, 0, 0)).toBe(0);
  });

  it("scales with weights.gap", () => {
    const view = makeView({ ...example, weights: { gap: 2.5 } });
    expect(gapTerm(view, 0, 0)).toBe(17.5);
  });

  it("lists only skills with a gap", () => {
    const view = makeView({ ...example, mentees: [{ current: [4, 2, 0], target: [4, 3, 0] }] });
    expect(gapBreakdown(view, 0, 0).skills.map((s) => s.skill)).toEqual([1]);
  });
});

describe("menteePriority(view, i, k)", () => {
  it("reads the mentee's business-unit row", () => {
    const view = makeView({
      priorities: [1, 1],
      byUnit: [
        [1, 1],
        [0, 4],
      ],
      mentees: [{ current: [0, 0], target: [1, 1], unit: 1 }],
      mentors: [],
    });
    expect(menteePriority(view, 0, 0)).toBe(0);
    expect(menteePriority(view, 0, 1)).toBe(4);
    expect(weightedGap(view, 0)).toBe(4);
  });
});
