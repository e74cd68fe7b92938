/**
 * Survival curves and the log-rank test against published values, and their properties.
 *
 * Fixtures, transcribed from their published sources:
 * - the 6-MP leukemia remission data (Freireich et al., Blood 21, 1963, as tabulated by Gehan,
 *   Biometrika 52, 1965, and in Kleinbaum & Klein, *Survival Analysis*, 3rd ed., ch. 2), remission
 *   times in weeks, "+" censored: the textbook values S(10) = 0.753 for the 6-MP arm (Greenwood
 *   standard error 0.0963, log interval 0.586–0.968), medians 23 and 8 weeks, and the log-rank
 *   chi-square 16.79 on 1 degree of freedom;
 * - R survival's `aml` data (Miller, *Survival Analysis*, 1981): `summary(survfit(Surv(time,
 *   status) ~ x, data = aml))` for the maintained arm, `survdiff(…)`: observed 7 and 11,
 *   expected 10.69 and 7.31, chi-square 3.4 on 1 df, p = 0.0653; medians 31 (lower 18) and 23
 *   (lower 8), no upper limits.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  kaplanMeier,
  logRank,
  survivalAt,
  type SurvivalObservation,
} from "../../src/impact/survival.js";
import {
  chiSquareTail,
  gammaP,
  gammaQ,
  logGamma,
  normalCdf,
  normalQuantile,
} from "../../src/impact/special.js";
import { InputError } from "../../src/schema/errors.js";

/** "6", "6+": a time, censored with a "+". */
const obs = (list: string): SurvivalObservation[] =>
  list.split(/\s*,\s*/).map((x) => ({ time: Number(x.replace("+", "")), event: !x.endsWith("+") }));

const mp6 = obs("6,6,6,6+,7,9+,10,10+,11+,13,16,17+,19+,20+,22,23,25+,32+,32+,34+,35+");
const placebo = obs("1,1,2,2,3,4,4,5,5,8,8,8,8,11,11,12,12,15,17,22,23");
const maintained = obs("9,13,13+,18,23,28+,31,34,45+,48,161+");
const nonmaintained = obs("5,5,8,8,12,16+,23,27,30,33,43,45");

describe("special functions", () => {
  it("match known values", () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(gammaQ(1, 2.5)).toBeCloseTo(Math.exp(-2.5), 13);
    expect(gammaP(1, 0.3) + gammaQ(1, 0.3)).toBeCloseTo(1, 14);
    expect(chiSquareTail(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareTail(5.991464547107979, 2)).toBeCloseTo(0.05, 12);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 13);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
  });
});

describe("kaplanMeier", () => {
  it("the 6-MP arm: S(10) = 0.753, its standard error and log interval, median 23", () => {
    const c = kaplanMeier(mp6);
    expect(c.steps.map((s) => s.time)).toEqual([6, 7, 10, 13, 16, 22, 23]);
    expect(c.steps.map((s) => s.atRisk)).toEqual([21, 17, 15, 12, 11, 7, 6]);
    expect(c.steps.map((s) => Number(s.survival.toFixed(3)))).toEqual([
      0.857, 0.807, 0.753, 0.69, 0.627, 0.538, 0.448,
    ]);
    const at10 = c.steps[2];
    expect(at10.survival).toBeCloseTo(0.753, 3);
    expect(at10.stdErr).toBeCloseTo(0.0963, 4);
    expect(at10.lower).toBeCloseTo(0.586, 3);
    expect(at10.upper).toBeCloseTo(0.968, 3);
    expect(survivalAt(c, 10)).toBe(at10.survival);
    expect(survivalAt(c, 9.99)).toBe(c.steps[1].survival);
    expect(c.median.time).toBe(23);
    expect(kaplanMeier(placebo).median.time).toBe(8);
    expect(c.censoredAfter).toBe(5);
  });

  it("R's aml, maintained arm: survival, standard errors and log intervals as survfit prints them", () => {
    const c = kaplanMeier(maintained);
    const head = c.steps.slice(0, 5);
    expect(head.map((s) => s.time)).toEqual([9, 13, 18, 23, 31]);
    expect(head.map((s) => s.atRisk)).toEqual([11, 10, 8, 7, 5]);
    const r = (x: number, d: number) => Number(x.toFixed(d));
    expect(head.map((s) => r(s.survival, 3))).toEqual([0.909, 0.818, 0.716, 0.614, 0.491]);
    expect(head.map((s) => r(s.stdErr, 4))).toEqual([0.0867, 0.1163, 0.1397, 0.1526, 0.1642]);
    expect(head.map((s) => r(s.lower, 4))).toEqual([0.7541, 0.6192, 0.4884, 0.3769, 0.2549]);
    expect(head.map((s) => r(s.upper, 3))).toEqual([1, 1, 1, 0.999, 0.946]);
    expect(c.median).toEqual({ time: 31, lower: 18, upper: null });
    expect(kaplanMeier(nonmaintained).median).toEqual({ time: 23, lower: 8, upper: null });
  });

  it("log-log intervals stay inside [0, 1] and contain S; a wider level gives a wider band", () => {
    const c = kaplanMeier(mp6, { confType: "log-log" });
    const wide = kaplanMeier(mp6, { confType: "log-log", level: 0.99 });
    c.steps.forEach((s, k) => {
      expect(s.lower).toBeGreaterThanOrEqual(0);
      expect(s.upper).toBeLessThanOrEqual(1);
      expect(s.lower).toBeLessThanOrEqual(s.survival);
      expect(s.upper).toBeGreaterThanOrEqual(s.survival);
      expect(wide.steps[k].lower).toBeLessThanOrEqual(s.lower);
      expect(wide.steps[k].upper).toBeGreaterThanOrEqual(s.upper);
    });
    // ln(−ln S) ± z σ / |ln S| at 10 weeks, by hand.
    const s = c.steps[2].survival;
    const sigma = Math.sqrt(3 / (21 * 18) + 1 / (17 * 16) + 1 / (15 * 14)) / Math.abs(Math.log(s));
    const z = 1.959963984540054;
    expect(c.steps[2].lower).toBeCloseTo(
      Math.exp(-Math.exp(Math.log(-Math.log(s)) + z * sigma)),
      12,
    );
  });

  it("the restricted mean is the area under the curve, with its variance by hand", () => {
    const c = kaplanMeier(obs("2,3+,4,6"), { horizon: 5 });
    // S = 1 on [0, 2), 0.75 on [2, 4), 0.375 on [4, 5]: area 2 + 1.5 + 0.375 = 3.875.
    expect(c.restrictedMean!.value).toBeCloseTo(3.875, 12);
    // A(2) = 1.5 + 0.375, A(4) = 0.375; d/(n(n−d)): 1/(4·3), 1/(2·1).
    const v = (1.875 ** 2 * 1) / 12 + (0.375 ** 2 * 1) / 2;
    expect(c.restrictedMean!.stdErr).toBeCloseTo(Math.sqrt(v), 12);
  });

  it("properties: non-increasing within [0, 1], events counted, censored never events, order-free", () => {
    const arb = fc.array(
      fc.record({ time: fc.integer({ min: 0, max: 30 }), event: fc.boolean() }),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, fc.integer(), (list, seed) => {
        const c = kaplanMeier(list, { horizon: 20 });
        let last = 1;
        for (const s of c.steps) {
          expect(s.survival).toBeLessThanOrEqual(last + 1e-15);
          expect(s.survival).toBeGreaterThanOrEqual(0);
          if (s.survival > 0) {
            expect(s.lower).toBeLessThanOrEqual(s.survival + 1e-15);
            expect(s.upper).toBeGreaterThanOrEqual(s.survival - 1e-15);
          } else expect([s.lower, s.upper]).toEqual([NaN, NaN]);
          expect(s.events).toBe(list.filter((o) => o.event && o.time === s.time).length);
          last = s.survival;
        }
        expect(c.events).toBe(list.filter((o) => o.event).length);
        // Censored times that are not event times make no step.
        for (const o of list)
          if (!list.some((x) => x.event && x.time === o.time))
            expect(c.steps.some((s) => s.time === o.time)).toBe(false);
        const shuffled = [...list].sort(
          (a, b) => ((a.time * 7919 + seed) % 13) - ((b.time * 7919 + seed) % 13),
        );
        expect(kaplanMeier(shuffled, { horizon: 20 })).toEqual(c);
        expect(c.restrictedMean!.value).toBeLessThanOrEqual(20 + 1e-12);
      }),
      { numRuns: 200 },
    );
  });

  it("every problem at once, with its path", () => {
    try {
      kaplanMeier(
        [
          { time: -1, event: true },
          { time: 2, event: "yes" as unknown as boolean },
        ],
        {
          level: 2,
        },
      );
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const paths = (e as InputError).issues.map((i) => JSON.stringify(i.location));
      expect(paths.join(" ")).toContain('"observations",0,"time"');
      expect(paths.join(" ")).toContain('"observations",1,"event"');
      expect(paths.join(" ")).toContain('"level"');
    }
  });
});

describe("logRank", () => {
  it("6-MP against placebo: chi-square 16.79 on 1 df", () => {
    const r = logRank([
      { label: "6-MP", observations: mp6 },
      { label: "placebo", observations: placebo },
    ]);
    expect(r.df).toBe(1);
    expect(r.chiSquare).toBeCloseTo(16.79, 2);
    expect(r.pValue).toBeCloseTo(4.17e-5, 6);
    expect(r.groups.map((g) => g.observed)).toEqual([9, 21]);
    expect(r.groups[0].expected + r.groups[1].expected).toBeCloseTo(30, 10);
  });

  it("R's aml: observed 7 and 11, expected 10.69 and 7.31, chi-square 3.4, p = 0.0653", () => {
    const r = logRank([
      { label: "Maintained", observations: maintained },
      { label: "Nonmaintained", observations: nonmaintained },
    ]);
    expect(r.groups.map((g) => [g.n, g.observed, Number(g.expected.toFixed(2))])).toEqual([
      [11, 7, 10.69],
      [12, 11, 7.31],
    ]);
    expect(Number(r.chiSquare.toFixed(1))).toBe(3.4);
    expect(Number(r.pValue.toFixed(4))).toBe(0.0653);
  });

  it("three groups: df 2; the same whatever the order of groups and observations", () => {
    const groups = [
      { label: "a", observations: mp6 },
      { label: "b", observations: placebo },
      { label: "c", observations: maintained },
    ];
    const r = logRank(groups);
    expect(r.df).toBe(2);
    const back = logRank(
      [...groups].reverse().map((g) => ({ ...g, observations: [...g.observations].reverse() })),
    );
    expect(back.chiSquare).toBeCloseTo(r.chiSquare, 9);
    expect(back.pValue).toBeCloseTo(r.pValue, 12);
    // Two groups drawn from the same observations: O = E, chi-square 0.
    const same = logRank([
      { label: "x", observations: mp6 },
      { label: "y", observations: mp6 },
    ]);
    expect(same.chiSquare).toBeCloseTo(0, 12);
    expect(same.pValue).toBeCloseTo(1, 12);
  });

  it("refuses fewer than two groups and repeated labels, naming each", () => {
    expect(() => logRank([{ label: "a", observations: mp6 }])).toThrow(InputError);
    expect(() =>
      logRank([
        { label: "a", observations: mp6 },
        { label: "a", observations: placebo },
      ]),
    ).toThrow(/given twice/);
  });
});
