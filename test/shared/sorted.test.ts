import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortedHas } from "../../src/shared/sorted.js";

describe("sortedHas", () => {
  it("agrees with a linear search on any ascending run of any sub-range", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: -60, max: 60 }),
        (raw, a, b, value) => {
          const items = Int32Array.from(raw.sort((x, y) => x - y));
          const lo = items.length === 0 ? 0 : a % (items.length + 1);
          const hi = lo + (items.length === 0 ? 0 : b % (items.length - lo + 1));
          const linear = Array.from(items.subarray(lo, hi)).includes(value);
          expect(sortedHas(items, lo, hi, value)).toBe(linear);
        },
      ),
    );
  });

  it("finds the first and last items and nothing in an empty range", () => {
    const items = [2, 4, 8];
    expect(sortedHas(items, 0, 3, 2)).toBe(true);
    expect(sortedHas(items, 0, 3, 8)).toBe(true);
    expect(sortedHas(items, 1, 1, 4)).toBe(false);
    expect(sortedHas(items, 0, 3, 5)).toBe(false);
  });
});
