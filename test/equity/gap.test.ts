/**
 * `match` under mean-fit gaps (maxMeanFitGap) against the brute-force oracle on tiny generated
 * cohorts, and on a realistic one: every answer keeps every rule; the bound is never below the
 * optimum and the objective never above it; optimal answers equal it; an answer is returned only
 * when one exists.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { auditFairness } from "../../src/equity/audit.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { match, verifyMatch } from "../../src/match/match.js";
import type { CohortInput, EquityRuleInput } from "../../src/schema/input.js";
import { bruteOracle } from "./brute.js";
import { coveredOf } from "./mip.js";
import { runs } from "../support/harness.js";

const gapArb: fc.Arbitrary<EquityRuleInput> = fc.record({
  kind: fc.constant("maxMeanFitGap" as const),
  attribute: fc.constantFrom("gender", "region"),
  maxGap: fc.constantFrom(0, 0.25, 0.5, 1, 2),
});
const capArb: fc.Arbitrary<EquityRuleInput> = fc.record({
  kind: fc.constant("maxPerMentorPerGroup" as const),
  attribute: fc.constantFrom("gender", "department"),
  max: fc.constant(1),
});

const tinyArb = fc
  .record({
    mentees: fc.integer({ min: 4, max: 7 }),
    mentors: fc.integer({ min: 2, max: 3 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    minGroupSize: fc.integer({ min: 1, max: 2 }),
    rules: fc.tuple(
      gapArb,
      fc.option(gapArb, { nil: undefined }),
      fc.option(capArb, { nil: undefined }),
    ),
    coverageFirst: fc.boolean(),
  })
  .map(({ mentees, mentors, seed, minGroupSize, rules, coverageFirst }) => {
    const base = generateCohort({ mentees, mentors, seed });
    const equity = rules.filter((r): r is EquityRuleInput => r !== undefined);
    const input: CohortInput = {
      ...base,
      // The generator's forbidden pairs and locks stay; its other rules are the MIP tests'.
      program: { ...base.program, equity, minGroupSize, coverageFirst },
    };
    return input;
  });

describe("match(cohort) under mean-fit gaps vs brute force", () => {
  it("keeps every rule, brackets the optimum with its objective and bound, equals it when optimal, and answers only when an answer exists", () => {
    let answered = 0;
    let exists = 0;
    fc.assert(
      fc.property(tinyArb, (input) => {
        const cohort = parseCohort(input);
        const r = match(cohort);
        const cover = input.program.coverageFirst === true;
        const best = bruteOracle(input, cover);
        if (best.status === "optimal") exists++;
        if (r.status === "infeasible") expect(best.status).toBe("infeasible");
        if (r.status !== "optimal" && r.status !== "feasible") return;
        answered++;
        expect(best.status).toBe("optimal");
        if (best.status !== "optimal") return;
        expect(verifyMatch(cohort, r).problems).toEqual([]);
        const audit = auditFairness(cohort, r, { price: false });
        for (const rule of audit.rules) expect(rule.held).toBe(true);
        const tol = 1e-9 * Math.max(1, best.objective);
        if (cover) expect(coveredOf(r)).toBeLessThanOrEqual(best.covered);
        if (!cover || coveredOf(r) === best.covered) {
          expect(r.objective).toBeLessThanOrEqual(best.objective + tol);
          expect(r.bound).toBeGreaterThanOrEqual(best.objective - tol);
        }
        if (r.status === "optimal") {
          expect(coveredOf(r) === best.covered || !cover).toBe(true);
          expect(Math.abs(r.objective - best.objective)).toBeLessThanOrEqual(tol);
        }
      }),
      runs(80),
    );
    // Not a contract (the gap rules are kept by local search): how often an answer was found.
    console.info(`mean-fit gaps: an answer in ${answered} of ${exists} cohorts that have one`);
  });

  it("on a realistic cohort (300 x 60), a gap of 0.1 in mean fit between genders holds, the bound is the search's without the gap (the free optimum here), and verifyMatch rechecks both", () => {
    const base = generateCohort({ mentees: 300, mentors: 60, seed: 5 });
    const rule = { kind: "maxMeanFitGap" as const, attribute: "gender", maxGap: 0.1 };
    const free = match(parseCohort({ ...base, program: { ...base.program, equity: [] } }));
    const plain = parseCohort({ ...base, program: { ...base.program, equity: [] } });
    const onlyGap = parseCohort({ ...base, program: { ...base.program, equity: [rule] } });
    const r = match(onlyGap);
    const freeAudit = auditFairness(onlyGap, free, { price: false });
    // Without the rule, the genders' mean fits are further apart than 0.1.
    expect(freeAudit.rules[0].held).toBe(false);
    expect(r.status).toBe("feasible");
    if (r.status !== "feasible") return;
    expect(r.equity[0]).toMatchObject({ kind: "maxMeanFitGap", enforced: true });
    const audit = auditFairness(onlyGap, r, { price: false });
    expect(audit.rules[0].held).toBe(true);
    expect(audit.rules[0].achieved).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(r.bound).toBeCloseTo(free.objective, 9);
    expect(r.objective).toBeLessThan(free.objective);
    expect(r.gap).toBeCloseTo(r.bound - r.objective, 9);
    expect(verifyMatch(onlyGap, r).ok).toBe(true);
    // The free answer breaks the gap: verifyMatch says so, naming the rule.
    const broken = verifyMatch(onlyGap, { ...r, pairs: free.pairs, objective: free.objective });
    expect(broken.ok).toBe(false);
    expect(broken.problems.join(" ")).toContain("mean fits too far apart for program.equity[0]");
    expect(plain.equity).toEqual([]);
  });
});
