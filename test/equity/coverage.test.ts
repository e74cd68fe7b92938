/**
 * Coverage-first in `match` counts MENTEES covered (with at least one mentor), then fit, with
 * two-mentor mentees in the cohort: against the HiGHS MIP (test/equity/mip.ts, its own model of
 * "covered"), without equity rules (the engine's two proofs) and with them (the equity search's
 * count and fit proofs). `verifyMatch` accepts every answer.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { match, verifyMatch } from "../../src/match/match.js";
import type { CohortInput, EquityRuleInput } from "../../src/schema/input.js";
import { coveredOf, mipOracle } from "./mip.js";
import { runs, highsBeforeAll } from "../support/harness.js";
import { equityRuleArb } from "./rules-arb.js";

const highs = highsBeforeAll();

const ruleArb = equityRuleArb({ mild: true });

/** Small generated cohorts where many mentees may take two mentors (and places are scarce, so
 * a second mentor for one mentee can cost another mentee its only one). */
const cohortArb = (withRules: boolean) =>
  fc
    .record({
      mentees: fc.integer({ min: 4, max: 12 }),
      mentors: fc.integer({ min: 2, max: 5 }),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      two: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      rules: withRules
        ? fc.array(ruleArb, { minLength: 1, maxLength: 2 })
        : fc.constant<EquityRuleInput[]>([]),
    })
    .map(({ mentees, mentors, seed, two, rules }) => {
      const base = generateCohort({ mentees, mentors, seed });
      const input: CohortInput = {
        ...base,
        mentees: base.mentees.map((e, k) => (two[k] ? { ...e, minMentors: 0, maxMentors: 2 } : e)),
        program: { ...base.program, equity: rules, minGroupSize: 1, coverageFirst: true },
      };
      return input;
    });

describe("match(coverageFirst) covers the most mentees, two-mentor mentees included (HiGHS MIP)", () => {
  it("without equity rules: optimal, as many mentees covered as the MIP, its fit, and verifies", () => {
    fc.assert(
      fc.property(cohortArb(false), (input) => {
        const cohort = parseCohort(input);
        const r = match(cohort);
        const mip = mipOracle(highs(), input, true);
        if (mip.status === "infeasible") {
          expect(r.status).toBe("infeasible");
          return;
        }
        expect(r.status).toBe("optimal");
        if (r.status !== "optimal") return;
        expect(coveredOf(r)).toBe(mip.covered);
        expect(r.certificate.coverage?.count).toBe(mip.covered);
        expect(Math.abs(r.objective - mip.objective)).toBeLessThanOrEqual(
          1e-7 * Math.max(1, Math.abs(mip.objective)),
        );
        expect(verifyMatch(cohort, r).problems).toEqual([]);
      }),
      runs(60),
    );
  });

  it("with equity rules: never more mentees than the MIP, as many when the count is proven, and verifies", () => {
    fc.assert(
      fc.property(cohortArb(true), (input) => {
        const cohort = parseCohort(input);
        const r = match(cohort);
        const mip = mipOracle(highs(), input, true);
        if (r.status === "infeasible") expect(mip.status).toBe("infeasible");
        if (r.status !== "optimal" && r.status !== "feasible") return;
        expect(mip.status).toBe("optimal");
        if (mip.status !== "optimal") return;
        expect(verifyMatch(cohort, r).problems).toEqual([]);
        const coverage = r.certificate.equity?.coverage;
        expect(coveredOf(r)).toBeLessThanOrEqual(mip.covered);
        if (r.status === "optimal" || coverage?.proven) expect(coveredOf(r)).toBe(mip.covered);
        if (r.status === "optimal")
          expect(Math.abs(r.objective - mip.objective)).toBeLessThanOrEqual(
            1e-7 * Math.max(1, Math.abs(mip.objective)),
          );
      }),
      runs(60),
    );
  });
});
