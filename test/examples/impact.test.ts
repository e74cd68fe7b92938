/** examples/impact.ts: two generated years — growth rises over time, matched mentees stay more,
 * the fit predicts growth, and the suggested weights keep the gap weight. */
import { describe, expect, it } from "vitest";
import { runImpact } from "../../examples/impact.js";

describe("examples/impact.ts", () => {
  it("the scorecard, trajectory, retention curves, log-rank and calibration of a generated history", () => {
    const { card, trend, survival, curves, calibration } = runImpact();
    expect(card.consenting).toBe(600);
    const g = trend.cohort.gapClosed;
    expect(g[g.length - 1]).toBeGreaterThan(g[6]);
    const [matched, unmatched] = curves;
    expect(matched.curve.restrictedMean!.value).toBeGreaterThan(
      unmatched.curve.restrictedMean!.value,
    );
    expect(survival.df).toBe(1);
    expect(survival.groups.map((x) => x.label)).toEqual(["matched", "unmatched"]);
    const fit = calibration.correlations.find((x) => x.term === "fit")!;
    expect(fit.lower).toBeGreaterThan(0);
    expect(calibration.suggestedWeights?.gap).toBeCloseTo(calibration.currentWeights.gap, 12);
  });
});
