import { describe, expect, it } from "vitest";
import {
  type IneligibleReason,
  REASON_CODE,
  REASONS,
  ineligibleReason,
  reasonCode,
  reasonFromCode,
  utcOffsetDistance,
} from "../../src/score/eligibility.js";
import { createScorer } from "../../src/score/scorer.js";
import { type MenteeSpec, type MentorSpec, type ViewSpec, makeView } from "./view.js";

/** One mentee (0) and one mentor (0) with the given overrides. */
function one(
  mentee: Partial<MenteeSpec> = {},
  mentor: Partial<MentorSpec> = {},
  extra: Partial<ViewSpec> = {},
) {
  return makeView({
    priorities: [1],
    mentees: [{ current: [0], target: [2], ...mentee }],
    mentors: [{ expertise: [3], ...mentor }],
    ...extra,
  });
}

/** The reason by the reference rule and by the scorer's row pass must agree. */
function reasonOf(view: ReturnType<typeof one>): IneligibleReason | null {
  const ref = ineligibleReason(view, 0, 0);
  const scorer = createScorer(view);
  const out = new Float64Array(1);
  const why = new Uint8Array(1);
  scorer.scoreRow(0, out, why);
  expect(reasonFromCode(why[0])).toBe(ref);
  expect(scorer.reasonCode(0, 0)).toBe(why[0]);
  if (ref !== null) expect(out[0]).toBe(0);
  return ref;
}

describe("reason codes", () => {
  it("are stable and round-trip", () => {
    expect(REASON_CODE.self).toBe(1);
    expect(REASON_CODE.language).toBe(14);
    for (let c = 0; c < REASONS.length; c++) expect(reasonCode(reasonFromCode(c))).toBe(c);
    expect(() => reasonFromCode(99)).toThrow(RangeError);
  });
});

describe("ineligibleReason(view, i, j)", () => {
  it("is null for a plain pair", () => expect(reasonOf(one())).toBeNull());

  it("self: the same person on both sides", () =>
    expect(reasonOf(one({ person: 7 }, { person: 7 }))).toBe("self"));

  it("forbidden: a program-forbidden pair", () =>
    expect(reasonOf(one({}, {}, { forbidden: [[0, 0]] }))).toBe("forbidden"));

  it("excluded: by the mentee or by the mentor", () => {
    expect(reasonOf(one({ excluded: [0] }))).toBe("excluded");
    expect(reasonOf(one({}, { excludedMentees: [0] }))).toBe("excluded");
  });

  it("same_reporting_line: mentor in the mentee's chain or the mentee in the mentor's", () => {
    expect(reasonOf(one({ managerChain: [5, 1000] }))).toBe("same_reporting_line");
    expect(reasonOf(one({}, { managerChain: [0] }))).toBe("same_reporting_line");
    expect(
      reasonOf(one({ managerChain: [1000] }, {}, { rules: { allowSameReportingLine: true } })),
    ).toBeNull();
  });

  it("repeat_pair: a past mentor, unless repeats are allowed", () => {
    expect(reasonOf(one({ past: [0] }))).toBe("repeat_pair");
    expect(reasonOf(one({ past: [0] }, {}, { rules: { allowRepeatPairs: true } }))).toBeNull();
  });

  it("no_capacity: a mentor with capacity 0", () =>
    expect(reasonOf(one({}, { capacity: 0 }))).toBe("no_capacity"));

  it("no_demand: a mentee with maxMentors 0", () =>
    expect(reasonOf(one({ maxMentors: 0 }))).toBe("no_demand"));

  it("tier_not_wanted: the mentee lists other tiers only", () => {
    const tiers = [{}, {}];
    expect(reasonOf(one({ tiersWanted: [1] }, { tier: 0 }, { tiers }))).toBe("tier_not_wanted");
    expect(reasonOf(one({ tiersWanted: [0, 1] }, { tier: 0 }, { tiers }))).toBeNull();
  });

  it("level_gap: mentor.level − mentee.level outside the tier window (inclusive)", () => {
    const tiers = [{ levelGapMin: 1, levelGapMax: 3 }];
    expect(reasonOf(one({ level: 4 }, { level: 4 }, { tiers }))).toBe("level_gap");
    expect(reasonOf(one({ level: 4 }, { level: 8 }, { tiers }))).toBe("level_gap");
    expect(reasonOf(one({ level: 4 }, { level: 5 }, { tiers }))).toBeNull();
    expect(reasonOf(one({ level: 4 }, { level: 7 }, { tiers }))).toBeNull();
  });

  it("training: every required training must be completed", () => {
    const tiers = [{ trainingRequired: [2, 5] }];
    expect(reasonOf(one({}, { training: [2] }, { tiers }))).toBe("training");
    expect(reasonOf(one({}, { training: [1, 2, 5] }, { tiers }))).toBeNull();
  });

  it("tenure: the mentor's tenure is below the tier minimum", () => {
    const tiers = [{ minMentorTenureMonths: 12 }];
    expect(reasonOf(one({}, { tenureMonths: 11.5 }, { tiers }))).toBe("tenure");
    expect(reasonOf(one({}, { tenureMonths: 12 }, { tiers }))).toBeNull();
  });

  it("hours: either side states fewer hours than the tier requires; unstated = no limit", () => {
    const tiers = [{ minHoursPerMonth: 4 }];
    expect(reasonOf(one({}, { hoursPerMonth: 3 }, { tiers }))).toBe("hours");
    expect(reasonOf(one({ hoursPerMonth: 2 }, {}, { tiers }))).toBe("hours");
    expect(reasonOf(one({ hoursPerMonth: 4 }, {}, { tiers }))).toBeNull();
  });

  it("timezone: offset distance over the hard limit, on the 24-hour clock", () => {
    const rules = { maxUtcOffsetDiffHours: 3 };
    expect(reasonOf(one({ utcOffset: -5 }, { utcOffset: 1 }, { rules }))).toBe("timezone");
    expect(reasonOf(one({ utcOffset: -5 }, { utcOffset: -2 }, { rules }))).toBeNull();
    expect(reasonOf(one({ utcOffset: -11 }, { utcOffset: 13 }, { rules }))).toBeNull();
    expect(reasonOf(one({ utcOffset: -5 }, {}, { rules }))).toBeNull(); // unknown offset
    expect(reasonOf(one({ utcOffset: -5 }, { utcOffset: 1 }))).toBeNull(); // no limit set
    expect(utcOffsetDistance(-11, 13)).toBe(0);
  });

  it("language: required and both list languages but none shared", () => {
    const rules = { requireSharedLanguage: true };
    expect(reasonOf(one({ languages: [1] }, { languages: [2] }, { rules }))).toBe("language");
    expect(reasonOf(one({ languages: [1, 2] }, { languages: [2] }, { rules }))).toBeNull();
    expect(reasonOf(one({}, { languages: [2] }, { rules }))).toBeNull();
    expect(reasonOf(one({ languages: [1] }, { languages: [2] }))).toBeNull();
  });

  it("reports the first failing rule in the documented order", () => {
    const tiers = [{ levelGapMin: 1, minMentorTenureMonths: 6 }];
    const rules = { requireSharedLanguage: true };
    const all = one(
      { person: 3, excluded: [0], past: [0], level: 5, languages: [1] },
      { person: 3, capacity: 0, level: 2, languages: [2] },
      { tiers, rules, forbidden: [[0, 0]] },
    );
    expect(reasonOf(all)).toBe("self");
    expect(reasonOf(one({ excluded: [0], past: [0] }, {}, { forbidden: [[0, 0]] }))).toBe(
      "forbidden",
    );
    expect(reasonOf(one({ excluded: [0], past: [0] }))).toBe("excluded");
    expect(reasonOf(one({ past: [0], level: 5 }, { capacity: 0 }, { tiers }))).toBe("repeat_pair");
    expect(reasonOf(one({ maxMentors: 0 }, { capacity: 0 }))).toBe("no_capacity");
    expect(reasonOf(one({ level: 5 }, { level: 2 }, { tiers }))).toBe("level_gap");
    expect(
      reasonOf(one({ level: 1, languages: [1] }, { level: 2, languages: [2] }, { tiers, rules })),
    ).toBe("tenure");
  });

  it("does not treat a locked pair as a reason", () => {
    const view = { ...one(), locked: [{ mentee: 0, mentor: 0 }] };
    expect(ineligibleReason(view, 0, 0)).toBeNull();
  });
});
