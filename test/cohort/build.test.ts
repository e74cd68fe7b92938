import { describe, it, expect } from "vitest";
import { compareIds, monthsBefore, trainingCounts } from "../../src/cohort/build.js";

describe("monthsBefore(iso, months)", () => {
  it("monthsBefore steps back calendar months, clamping the day to the month's end", () => {
    expect(monthsBefore("2025-01-15", 12)).toBe("2024-01-15");
    expect(monthsBefore("2025-03-31", 1)).toBe("2025-02-28");
    expect(monthsBefore("2024-03-31", 1)).toBe("2024-02-29");
    expect(monthsBefore("2025-01-31", 2)).toBe("2024-11-30");
    expect(monthsBefore("0000-06-01", 12)).toBe("");
  });
});

describe("trainingCounts(completedOn, asOf, validMonths)", () => {
  it("trainingCounts ignores training completed after asOf", () => {
    expect(trainingCounts("2025-02-01", "2025-01-15", undefined)).toBe(false);
    expect(trainingCounts("2025-01-15", "2025-01-15", undefined)).toBe(true);
  });

  it("trainingCounts counts undated training only when it never expires", () => {
    expect(trainingCounts(undefined, undefined, undefined)).toBe(true);
    expect(trainingCounts(undefined, "2025-01-15", 12)).toBe(false);
  });

  it("trainingCounts keeps training completed within validMonths of asOf, boundary included", () => {
    expect(trainingCounts("2024-01-15", "2025-01-15", 12)).toBe(true);
    expect(trainingCounts("2024-01-14", "2025-01-15", 12)).toBe(false);
  });
});

describe("compareIds(a, b)", () => {
  it("compareIds orders by UTF-16 code units, independent of locale", () => {
    expect(["b", "a", "B", "é", "__proto__", "10", "9"].sort(compareIds)).toEqual([
      "10",
      "9",
      "B",
      "__proto__",
      "a",
      "b",
      "é",
    ]);
  });
});
