import { describe, expect, it } from "vitest";
import {
  aspirationTerm,
  aspirationValue,
  crossDepartmentTerm,
  crossDepartmentValue,
  languageTerm,
  preferenceTerm,
  timezoneTerm,
  timezoneValue,
  unmatchedBoostTerm,
  unmatchedBoostValue,
} from "../../src/score/terms.js";
import { makeView } from "./view.js";

const pair = (mentee: object, mentor: object) =>
  makeView({
    priorities: [1],
    mentees: [{ current: [0], target: [1], ...mentee }],
    mentors: [{ expertise: [1], ...mentor }],
  });

describe("crossDepartment", () => {
  it("is 1 across departments and 0 inside one", () => {
    expect(crossDepartmentValue(1, 2)).toBe(1);
    expect(crossDepartmentValue(2, 2)).toBe(0);
    expect(crossDepartmentTerm(pair({ department: 1 }, { department: 2 }), 0, 0)).toBe(1);
    expect(crossDepartmentTerm(pair({ department: 3 }, { department: 3 }), 0, 0)).toBe(0);
  });
});

describe("preference", () => {
  it("is 1 for a mentor the mentee prefers, else 0", () => {
    expect(preferenceTerm(pair({ preferred: [0] }, {}), 0, 0)).toBe(1);
    expect(preferenceTerm(pair({ preferred: [] }, {}), 0, 0)).toBe(0);
  });
});

describe("aspiration", () => {
  it("is the share of the mentee's aspirations among the mentor's career paths", () => {
    expect(aspirationValue(1, 4)).toBe(0.25);
    expect(aspirationTerm(pair({ aspirations: [1, 2] }, { careerPaths: [2, 3] }), 0, 0)).toBe(0.5);
    expect(aspirationTerm(pair({ aspirations: [1, 2] }, { careerPaths: [1, 2, 9] }), 0, 0)).toBe(1);
  });
  it("is 0 when the mentee states no aspiration", () => {
    expect(aspirationValue(0, 0)).toBe(0);
    expect(aspirationTerm(pair({}, { careerPaths: [1] }), 0, 0)).toBe(0);
  });
});

describe("timezone", () => {
  it("is 1 − distance/12 on the 24-hour clock", () => {
    expect(timezoneValue(0, 0)).toBe(1);
    expect(timezoneValue(-5, 1)).toBe(0.5);
    expect(timezoneValue(-12, 0)).toBe(0);
    expect(timezoneValue(-11, 13)).toBe(1); // same wall clock
    expect(timezoneValue(5.5, 14)).toBeCloseTo(1 - 8.5 / 12, 15);
    expect(timezoneTerm(pair({ utcOffset: 2 }, { utcOffset: 5 }), 0, 0)).toBe(0.75);
  });
  it("is 0 when an offset is unknown", () => {
    expect(timezoneValue(NaN, 0)).toBe(0);
    expect(timezoneTerm(pair({ utcOffset: 2 }, {}), 0, 0)).toBe(0);
  });
});

describe("language", () => {
  it("is 1 when a language is shared, else 0", () => {
    expect(languageTerm(pair({ languages: [1, 4] }, { languages: [4] }), 0, 0)).toBe(1);
    expect(languageTerm(pair({ languages: [1] }, { languages: [2] }), 0, 0)).toBe(0);
    expect(languageTerm(pair({}, { languages: [2] }), 0, 0)).toBe(0);
  });
});

describe("unmatchedBoost", () => {
  it("is the number of rounds the mentee was left unmatched", () => {
    expect(unmatchedBoostValue(3)).toBe(3);
    expect(unmatchedBoostValue(0)).toBe(0);
    expect(unmatchedBoostTerm(pair({ roundsUnmatched: 2 }, {}), 0, 0)).toBe(2);
  });
});
