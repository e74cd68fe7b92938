/** Calibration: the ridge regression against its closed form, Pearson's r against a hand value,
 * and on a generated history (growth rises with fit there) the evidence and a warning when the
 * sample is too small. */
import { describe, expect, it } from "vitest";
import { generateCohort, match, parseCohort } from "../../src/index.js";
import { generateProgramRecords } from "../../src/generate/history.js";
import { calibrate, correlation, predict, ridge } from "../../src/impact/calibration.js";
import { parseProgramRecords } from "../../src/impact/records.js";
import { scorecard } from "../../src/impact/scorecard.js";

describe("ridge and correlation", () => {
  const x = [1, 2, 3, 4, 5];
  const y = [2, 4, 5, 4, 5];
  it("one predictor: slope 2.4 / (4 + λ) by hand (λ = 0: least squares 0.6, intercept 2.2)", () => {
    const ols = ridge(
      x.map((v) => [v]),
      y,
      0,
    );
    expect(ols.beta[0]).toBeCloseTo(0.6, 12);
    expect(ols.intercept).toBeCloseTo(2.2, 12);
    expect(
      ridge(
        x.map((v) => [v]),
        y,
        2,
      ).beta[0],
    ).toBeCloseTo(2.4 / 6, 12);
    expect(predict(ols, [6])).toBeCloseTo(2.2 + 3.6, 12);
  });

  it("two predictors: (ZᵀZ + λI)⁻¹ Zᵀ(y − ȳ) with the 2×2 inverse written out", () => {
    const X = [
      [1, 0.5],
      [2, 0.1],
      [3, 0.9],
      [4, 0.3],
      [5, 0.7],
      [6, 0.2],
    ];
    const Y = [1.2, 2.1, 3.9, 3.2, 5.5, 4.8];
    const lambda = 0.7;
    const n = Y.length;
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const cols = [0, 1].map((c) => X.map((r) => r[c]));
    const mu = cols.map(mean);
    const sd = cols.map((col, c) =>
      Math.sqrt(col.reduce((s, v) => s + (v - mu[c]) ** 2, 0) / (n - 1)),
    );
    const Z = X.map((r) => r.map((v, c) => (v - mu[c]) / sd[c]));
    const my = mean(Y);
    const a = Z.reduce((s, r) => s + r[0] * r[0], 0) + lambda;
    const b = Z.reduce((s, r) => s + r[0] * r[1], 0);
    const d = Z.reduce((s, r) => s + r[1] * r[1], 0) + lambda;
    const g0 = Z.reduce((s, r, k) => s + r[0] * (Y[k] - my), 0);
    const g1 = Z.reduce((s, r, k) => s + r[1] * (Y[k] - my), 0);
    const det = a * d - b * b;
    const beta = [(d * g0 - b * g1) / det, (a * g1 - b * g0) / det].map((v, c) => v / sd[c]);
    const m = ridge(X, Y, lambda);
    expect(m.beta[0]).toBeCloseTo(beta[0], 10);
    expect(m.beta[1]).toBeCloseTo(beta[1], 10);
    expect(m.intercept).toBeCloseTo(my - beta[0] * mu[0] - beta[1] * mu[1], 10);
  });

  it("Pearson's r = 6 / √60 and its Fisher interval", () => {
    const c = correlation("x", x, y);
    expect(c.r).toBeCloseTo(6 / Math.sqrt(60), 12);
    const half = 1.959963984540054 / Math.sqrt(2);
    expect(c.lower).toBeCloseTo(Math.tanh(Math.atanh(c.r) - half), 9);
    expect(c.upper).toBeCloseTo(Math.tanh(Math.atanh(c.r) + half), 9);
  });
});

describe("calibrate", () => {
  const g = generateCohort({ mentees: 600, mentors: 150, seed: 21, equity: false });
  const input = { ...g, mentees: g.mentees.map((e) => ({ ...e, consent: { analytics: true } })) };
  const cohort = parseCohort(input);
  const result = match(cohort);
  const records = parseProgramRecords(generateProgramRecords(cohort, result, { seed: 5 }), cohort);
  const card = scorecard(cohort, result, records);

  it("growth rises with fit in a generated history; the evidence, and weights suggested, never applied", () => {
    const c = calibrate(cohort, result, card);
    expect(c.n).toBe(new Set(result.pairs.map((p) => p.mentee)).size);
    const fit = c.correlations.find((x) => x.term === "fit")!;
    expect(fit.r).toBeGreaterThan(0);
    expect(fit.lower).toBeGreaterThan(0);
    expect(c.regression).not.toBeNull();
    expect(c.regression!.cvError).toBeLessThanOrEqual(c.regression!.baselineError * 1.05);
    for (const k of c.regression!.coefficients) expect(k.lower).toBeLessThanOrEqual(k.upper);
    expect(c.suggestedWeights).not.toBeNull();
    expect(c.suggestedWeights!.gap).toBeCloseTo(c.currentWeights.gap, 12);
    // A term without evidence (its interval holds 0, or constant) keeps its weight.
    for (const term of Object.keys(c.currentWeights)) {
      const k = c.regression!.coefficients.find((x) => x.term === term);
      if (term !== "gap" && (!k || (k.lower <= 0 && k.upper >= 0)))
        expect(c.suggestedWeights![term]).toBe(c.currentWeights[term]);
    }
    // Nothing is applied: the cohort's weights are unchanged.
    expect(cohort.view.scoring.weights.gap).toBe(c.currentWeights.gap);
    // The same seed gives the same answer.
    expect(calibrate(cohort, result, card)).toEqual(c);
  });

  it("too small a sample: a warning, no weights", () => {
    const few = {
      ...card,
      mentees: card.mentees
        .filter((m) => result.pairs.some((p) => p.mentee === m.mentee))
        .slice(0, 12),
    };
    const c = calibrate(cohort, result, few);
    expect(c.n).toBe(12);
    expect(c.suggestedWeights).toBeNull();
    expect(c.warning).toMatch(/at least|too few/);
  });
});
