import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/generate/random.js";

const take = (seed: number, n: number) => {
  const rng = createRandom(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe("createRandom(seed)", () => {
  it("same seed ⇒ same sequence; different seeds ⇒ different sequences", () => {
    expect(take(7, 50)).toEqual(take(7, 50));
    expect(take(7, 50)).not.toEqual(take(8, 50));
    expect(take(1.5, 5)).not.toEqual(take(2.5, 5));
  });

  it("is pinned to splitmix32 (values do not drift between versions)", () => {
    expect(take(1, 3).map((x) => Math.round(x * 2 ** 32))).toMatchInlineSnapshot(`
      [
        1580013426,
        350525680,
        3524174333,
      ]
    `);
  });

  it("next() is in [0, 1) and roughly uniform", () => {
    const xs = take(3, 20_000);
    const bins = new Array(10).fill(0);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      bins[Math.floor(x * 10)]++;
    }
    for (const b of bins) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });

  it("int(lo, hi) covers both ends and nothing else", () => {
    const rng = createRandom(5);
    const seen = new Set<number>();
    for (let t = 0; t < 2000; t++) seen.add(rng.int(-2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it("weighted(weights) follows the weights and never picks a zero weight", () => {
    const rng = createRandom(9);
    const counts = [0, 0, 0];
    for (let t = 0; t < 10_000; t++) counts[rng.weighted([1, 0, 3])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.6);
    expect(counts[2] / counts[0]).toBeLessThan(3.4);
  });

  it("normal() has mean ≈ 0 and variance ≈ 1", () => {
    const rng = createRandom(11);
    const xs = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
