/**
 * `match` under equity rules against the exact MIP (HiGHS), on small generated cohorts with
 * random rule sets: every answer keeps every rule; the bound is never below the MIP optimum and
 * the objective never above it; optimal answers equal it; infeasible only when the MIP is.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { auditFairness } from "../../src/equity/audit.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { match, verifyMatch } from "../../src/match/match.js";
import { InputError } from "../../src/schema/errors.js";
import type { CohortInput, EquityRuleInput } from "../../src/schema/input.js";
import { ZERO_WEIGHTS } from "../score/view.js";
import { coveredOf, mipOracle } from "./mip.js";
import { runs, highsBeforeAll } from "../support/harness.js";
import { equityRuleArb } from "./rules-arb.js";

const highs = highsBeforeAll();

const ruleArb = equityRuleArb({ mild: false });

const cohortArb = fc
  .record({
    mentees: fc.integer({ min: 6, max: 18 }),
    mentors: fc.integer({ min: 2, max: 6 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    minGroupSize: fc.integer({ min: 1, max: 4 }),
    rules: fc.array(ruleArb, { minLength: 1, maxLength: 3 }),
    coverageFirst: fc.boolean(),
  })
  .map(({ mentees, mentors, seed, minGroupSize, rules, coverageFirst }) => {
    const base = generateCohort({ mentees, mentors, seed });
    const equity = rules.map((r) => {
      if (r.kind !== "reserve") return r;
      const { tier, ...rest } = r;
      const group = base.mentees[seed % base.mentees.length].sensitive![r.attribute];
      return { ...rest, group, ...(tier ? { tier } : {}) };
    });
    const input: CohortInput = {
      ...base,
      program: { ...base.program, equity, minGroupSize, coverageFirst },
    };
    return input;
  });

describe("match(cohort) under equity rules vs the exact MIP", () => {
  it("keeps every enforced rule, brackets the MIP optimum with its objective and bound, and is infeasible only when the MIP is", () => {
    fc.assert(
      fc.property(cohortArb, (input) => {
        const cohort = parseCohort(input);
        const r = match(cohort);
        const mip = mipOracle(highs(), input, input.program.coverageFirst === true);
        const scale = Math.max(1, Math.abs(mip.status === "optimal" ? mip.objective : 0));
        const tol = 1e-7 * scale;
        if (r.status === "infeasible") expect(mip.status).toBe("infeasible");
        if (mip.status === "infeasible") expect(["infeasible", "time_limit"]).toContain(r.status);
        if (r.status === "optimal" || r.status === "feasible") {
          expect(mip.status).toBe("optimal");
          if (mip.status !== "optimal") return;
          const v = verifyMatch(cohort, r);
          expect(v.problems).toEqual([]);
          const audit = auditFairness(cohort, r, { price: false });
          for (const rule of audit.rules) if (rule.enforced) expect(rule.held).toBe(true);
          if (input.program.coverageFirst) expect(coveredOf(r)).toBeLessThanOrEqual(mip.covered);
          if (!input.program.coverageFirst || coveredOf(r) === mip.covered) {
            expect(r.objective).toBeLessThanOrEqual(mip.objective + tol);
            expect(r.bound).toBeGreaterThanOrEqual(mip.objective - tol);
          }
          if (r.status === "optimal") {
            if (input.program.coverageFirst) expect(coveredOf(r)).toBe(mip.covered);
            expect(Math.abs(r.objective - mip.objective)).toBeLessThanOrEqual(tol);
          }
        }
      }),
      runs(80),
    );
  });

  it("soft rules (a penalty per unit short or over): the total less their cost brackets the MIP's optimum with its bound, equals it when optimal, and hard rules still hold", () => {
    const softArb = fc
      .tuple(cohortArb, fc.array(fc.constantFrom(undefined, 0.3, 2, 20), { maxLength: 3 }))
      .map(([input, penalties]): CohortInput => {
        const equity = input.program.equity!.map((r, k) =>
          penalties[k] === undefined || r.kind === "minFit" || r.kind === "maxMeanFitGap"
            ? r
            : { ...r, penalty: penalties[k] },
        );
        return { ...input, program: { ...input.program, equity } };
      });
    fc.assert(
      fc.property(softArb, (input) => {
        const cohort = parseCohort(input);
        const r = match(cohort);
        const cover = input.program.coverageFirst === true;
        const mip = mipOracle(highs(), input, cover);
        const soft = input.program.equity!.some((x) => "penalty" in x && x.penalty !== undefined);
        expect(r.penalty !== undefined).toBe(soft);
        if (r.status === "infeasible") expect(mip.status).toBe("infeasible");
        if (r.status !== "optimal" && r.status !== "feasible") return;
        expect(mip.status).toBe("optimal");
        if (mip.status !== "optimal") return;
        expect(verifyMatch(cohort, r).problems).toEqual([]);
        const audit = auditFairness(cohort, r, { price: false });
        let cost = 0;
        for (const rule of audit.rules) {
          const declared = input.program.equity![rule.index];
          const penalty = "penalty" in declared ? declared.penalty : undefined;
          if (penalty === undefined) expect(rule.held).toBe(true);
          else {
            const entry = r.equity[rule.index];
            expect(entry.cost).toBeCloseTo(penalty * entry.shortfall!, 9);
            expect(rule.held).toBe(entry.shortfall === 0);
            cost += entry.cost!;
          }
        }
        expect(r.penalty ?? 0).toBeCloseTo(cost, 9);
        const value = r.objective - (r.penalty ?? 0);
        const tol = 1e-7 * Math.max(1, Math.abs(mip.objective));
        if (cover) expect(coveredOf(r)).toBeLessThanOrEqual(mip.covered);
        if (!cover || coveredOf(r) === mip.covered) {
          expect(value).toBeLessThanOrEqual(mip.objective + tol);
          expect(r.bound).toBeGreaterThanOrEqual(mip.objective - tol);
        }
        if (r.status === "optimal") {
          if (cover) expect(coveredOf(r)).toBe(mip.covered);
          expect(Math.abs(value - mip.objective)).toBeLessThanOrEqual(tol);
        }
      }),
      runs(60),
    );
  });

  it("a soft rule is given up where it costs less than it brings, kept where its penalty is high; verifyMatch rejects a soft multiplier above its penalty and a wrong penalty", () => {
    const base = generateCohort({ mentees: 300, mentors: 60, seed: 5 });
    const at = (penalty: number) => {
      const cohort = parseCohort({
        ...base,
        program: {
          ...base.program,
          equity: [
            { kind: "maxPerMentorPerGroup", attribute: "department", max: 1, penalty },
            { kind: "reserve", attribute: "region", group: "apac", tier: "senior", min: 12 },
          ],
        },
      });
      return { cohort, r: match(cohort) };
    };
    const cheap = at(0.01);
    const dear = at(1000);
    for (const { cohort, r } of [cheap, dear]) {
      expect(["optimal", "feasible"]).toContain(r.status);
      expect(verifyMatch(cohort, r).problems).toEqual([]);
      // The hard reserve holds either way.
      expect(auditFairness(cohort, r, { price: false }).rules[1].held).toBe(true);
    }
    expect(cheap.r.equity[0].shortfall).toBeGreaterThan(0);
    expect(cheap.r.penalty).toBeCloseTo(0.01 * cheap.r.equity[0].shortfall!, 12);
    expect(dear.r.equity[0]).toMatchObject({ shortfall: 0, cost: 0 });
    expect(cheap.r.objective).toBeGreaterThan(dear.r.objective);
    const { cohort, r } = cheap;
    if (r.status !== "optimal" && r.status !== "feasible") return;
    const eq = r.certificate.equity!;
    const soft = eq.multipliers.findIndex((x) => x.rule === 0);
    expect(soft).toBeGreaterThanOrEqual(0);
    const multipliers = eq.multipliers.map((x, k) => (k === soft ? { ...x, value: 5 } : x));
    const tampered = { ...r, certificate: { ...r.certificate, equity: { ...eq, multipliers } } };
    expect(verifyMatch(cohort, tampered).problems.join(" ")).toContain("rule 0 is soft");
    // Split into many entries each below the penalty: their sum is what counts.
    const split = eq.multipliers.flatMap((x) =>
      x.rule === 0 ? Array.from({ length: 4 }, () => ({ ...x, value: 0.009 })) : [x],
    );
    const spread = {
      ...r,
      certificate: { ...r.certificate, equity: { ...eq, multipliers: split } },
    };
    expect(verifyMatch(cohort, spread).problems.join(" ")).toContain("rule 0 is soft");
    // Each soft rule's shortfall and cost are rechecked too.
    const understated = {
      ...r,
      equity: r.equity.map((e) => (e.index === 0 ? { ...e, shortfall: 0, cost: 0 } : e)),
    };
    expect(verifyMatch(cohort, understated).problems.join(" ")).toContain(
      "program.equity[0] is soft",
    );
    const wrong = verifyMatch(cohort, { ...r, penalty: 0 });
    expect(wrong.problems.join(" ")).toContain("is not what the soft rules cost");
  });

  it("a huge penalty widens no tolerance: a soft rule at 1e9 per unit that the answer keeps is optimal only at the MIP's optimum", () => {
    const base = generateCohort({ mentees: 10, mentors: 3, seed: 66 });
    const input: CohortInput = {
      ...base,
      program: {
        ...base.program,
        minGroupSize: 1,
        coverageFirst: false,
        equity: [{ kind: "reserve", attribute: "region", group: "amer", min: 1, penalty: 1e9 }],
      },
    };
    const cohort = parseCohort(input);
    const r = match(cohort);
    const mip = mipOracle(highs(), input, false);
    if (mip.status !== "optimal") throw new Error("the MIP must be feasible here");
    expect(["optimal", "feasible"]).toContain(r.status);
    if (r.status !== "optimal" && r.status !== "feasible") return;
    const value = r.objective - (r.penalty ?? 0);
    const tol = 1e-9 * Math.max(1, mip.objective);
    expect(value).toBeLessThanOrEqual(mip.objective + tol);
    expect(r.bound).toBeGreaterThanOrEqual(mip.objective - tol);
    if (r.status === "optimal") expect(value).toBeCloseTo(mip.objective, 9);
    expect(verifyMatch(cohort, r).problems).toEqual([]);
  });

  it("adding a mentor never lowers the optimum: the bound with the extra mentor is never below the total without, and two optimal answers never fall", () => {
    fc.assert(
      fc.property(cohortArb, fc.nat(), (input, pick) => {
        const plain = { ...input, program: { ...input.program, coverageFirst: false } };
        const copy = plain.mentors[pick % plain.mentors.length];
        const more = {
          ...plain,
          mentors: [...plain.mentors, { ...copy, id: "m-extra", minLoad: 0 }],
        };
        const a = match(parseCohort(plain));
        const b = match(parseCohort(more));
        if (a.status !== "optimal" && a.status !== "feasible") return;
        // The extra mentor (no minimum load) may take no one: every answer without it is one
        // with it, so the cohort stays feasible.
        expect(b.status).not.toBe("infeasible");
        if (b.status === "infeasible") return;
        const tol = 1e-9 * Math.max(1, Math.abs(a.objective));
        expect(b.bound).toBeGreaterThanOrEqual(a.objective - tol);
        if (a.status === "optimal" && b.status === "optimal")
          expect(b.objective).toBeGreaterThanOrEqual(a.objective - tol);
      }),
      runs(40),
    );
  });

  // Renaming reorders the groups, so the search adds its multipliers' steps in another order:
  // the bound may move by rounding (seen: one unit in the last place), never by more.
  it("renaming group labels changes neither the scores nor the status, objective and bound (bound up to rounding)", () => {
    const rename: Record<string, Record<string, string>> = {
      gender: { F: "zeta", M: "alpha", X: "mid" },
      region: { amer: "r3", emea: "r1", apac: "r2" },
    };
    fc.assert(
      fc.property(cohortArb, (input) => {
        const renamed: CohortInput = {
          ...input,
          program: {
            ...input.program,
            equity: input.program.equity!.map((r) =>
              r.kind === "reserve" ? { ...r, group: rename[r.attribute]?.[r.group] ?? r.group } : r,
            ),
          },
          mentees: input.mentees.map((e) => ({
            ...e,
            sensitive: Object.fromEntries(
              Object.entries(e.sensitive ?? {}).map(([a, g]) => [a, rename[a]?.[g] ?? g]),
            ),
          })),
        };
        const a = match(parseCohort(input));
        const b = match(parseCohort(renamed));
        expect(b.status).toBe(a.status);
        expect(b.objective).toBe(a.objective);
        expect(b.pairs.map((p) => p.score)).toEqual(a.pairs.map((p) => p.score));
        if ("bound" in a && "bound" in b) {
          const rounding = 1e-12 * Math.max(1, Math.abs(a.bound));
          if (b.bound !== a.bound)
            expect(Math.abs(b.bound - a.bound)).toBeLessThanOrEqual(rounding);
        }
      }),
      runs(60),
    );
  });

  it("coverage-first proves the count without the rules when pairs keeping them reach it (the quick path), and verifyMatch rechecks that proof", () => {
    // Found by review: a gender cap of 1 and a 30% match rate per gender bind, yet the most pairs
    // without the rules can still be made under them.
    const base = generateCohort({ mentees: 6, mentors: 4, seed: 707122 });
    const input: CohortInput = {
      ...base,
      program: {
        ...base.program,
        minGroupSize: 1,
        coverageFirst: true,
        equity: [
          { kind: "maxPerMentorPerGroup", attribute: "gender", max: 1 },
          { kind: "minMatchRate", attribute: "gender", rate: 0.3 },
        ],
      },
    };
    const cohort = parseCohort(input);
    const r = match(cohort);
    const mip = mipOracle(highs(), input, true);
    expect(mip.status).toBe("optimal");
    expect(r.status).toBe("optimal");
    if (r.status !== "optimal" || mip.status !== "optimal") return;
    const coverage = r.certificate.equity?.coverage;
    // The count without the rate rule: no multiplier of its own; the cap, kept in the flow
    // (equity/cells.ts), proves itself with multipliers from the cells' duals.
    expect(coverage?.multipliers.filter((m) => m.rule !== 0)).toEqual([]);
    expect(coverage?.proven).toBe(true);
    expect(coveredOf(r)).toBe(mip.covered);
    expect(Math.abs(r.objective - mip.objective)).toBeLessThanOrEqual(1e-7 * mip.objective);
    expect(verifyMatch(cohort, r).problems).toEqual([]);
    const zeroed = {
      ...r,
      certificate: {
        ...r.certificate,
        equity: {
          ...r.certificate.equity!,
          coverage: {
            ...coverage!,
            menteeDual: coverage!.menteeDual.map(() => 0),
            mentorDual: coverage!.mentorDual.map(() => 0),
          },
        },
      },
    };
    expect(verifyMatch(cohort, zeroed).ok).toBe(false);
  });

  it("verifyMatch rechecks an equity certificate from the cohort alone: a changed multiplier, bound or dual, or pairs that break a rule, fail", () => {
    const base = generateCohort({ mentees: 120, mentors: 25, seed: 8 });
    const input: CohortInput = {
      ...base,
      program: {
        ...base.program,
        minGroupSize: 3,
        equity: [
          { kind: "proportionalTierAccess", attribute: "gender", tier: "senior", tolerance: 0 },
          { kind: "maxPerMentorPerGroup", attribute: "department", max: 1 },
        ],
      },
    };
    const cohort = parseCohort(input);
    const r = match(cohort);
    expect(["optimal", "feasible"]).toContain(r.status);
    if (r.status !== "optimal" && r.status !== "feasible") return;
    expect(verifyMatch(cohort, r).problems).toEqual([]);
    const eq = r.certificate.equity!;
    expect(eq.multipliers.length).toBeGreaterThan(0);
    const bad = (x: typeof r) => verifyMatch(cohort, x).ok;
    const scaled = eq.multipliers.map((m, k) => (k === 0 ? { ...m, value: m.value * 2 + 1 } : m));
    expect(
      bad({ ...r, certificate: { ...r.certificate, equity: { ...eq, multipliers: scaled } } }),
    ).toBe(false);
    expect(bad({ ...r, bound: r.bound - 1 })).toBe(false);
    const duals = r.certificate.menteeDual.map((u, i) => (i === 0 ? u - 5 : u));
    expect(bad({ ...r, certificate: { ...r.certificate, menteeDual: duals } })).toBe(false);
    const stranger = { ...eq.multipliers[0], group: "no-such-group" };
    expect(
      bad({ ...r, certificate: { ...r.certificate, equity: { ...eq, multipliers: [stranger] } } }),
    ).toBe(false);
    // The tolerance is the fits' own: a huge multiplier in the certificate cannot widen it.
    const cap = eq.multipliers.find((x) => x.mentor !== undefined) ?? {
      rule: 1,
      group: input.mentees[0].department,
      mentor: input.mentors[0].id,
      value: 0,
    };
    const huge = [...eq.multipliers, { ...cap, value: 1e12 }];
    const v1 = verifyMatch(cohort, {
      ...r,
      certificate: { ...r.certificate, equity: { ...eq, multipliers: huge } },
    });
    expect(v1.ok).toBe(false);
    expect(Number.isNaN(v1.tolerance) || v1.tolerance < 1e-3).toBe(true);
    // A coverage-first result whose count proof is removed no longer verifies.
    const cov = match(cohort, { coverageFirst: true });
    if ((cov.status === "optimal" || cov.status === "feasible") && cov.certificate.equity) {
      expect(verifyMatch(cohort, cov).ok).toBe(true);
      const { coverage: _drop, ...rest } = cov.certificate.equity;
      expect(bad({ ...cov, certificate: { ...cov.certificate, equity: rest } })).toBe(false);
    }
    // The same pairs checked against the cohort without the cap: the free answer breaks it.
    const free = match(parseCohort({ ...input, program: { ...input.program, equity: [] } }));
    const broken = { ...r, pairs: free.pairs, objective: free.objective };
    const v = verifyMatch(cohort, broken);
    expect(v.ok).toBe(false);
  });

  it("stops on time or abort with time_limit (never hangs), and proves rules that cannot hold together infeasible, naming them and the smallest change of each that works", () => {
    const base = generateCohort({ mentees: 200, mentors: 40, seed: 2 });
    const input: CohortInput = {
      ...base,
      program: {
        ...base.program,
        equity: [
          { kind: "proportionalTierAccess", attribute: "gender", tier: "senior", tolerance: 0 },
        ],
      },
    };
    const cohort = parseCohort(input);
    const aborted = match(cohort, { signal: AbortSignal.abort() });
    expect(aborted.status).toBe("time_limit");
    if (aborted.status === "time_limit") expect(aborted.reason).toBe("aborted");
    const late = match(cohort, { timeLimitMs: 0 });
    expect(late.status).toBe("time_limit");
    // Every mentee must be matched (minMentors 1) and at most one per department per mentor
    // with one mentor of capacity 10: impossible, and the bound proves it.
    const tight: CohortInput = {
      skills: [{ id: "sql" }],
      strategy: { priorities: { sql: 1 } },
      mentees: Array.from({ length: 6 }, (_, k) => ({
        id: `e${k}`,
        department: "ops",
        level: 1,
        tenureMonths: 1,
        minMentors: 1,
        current: { sql: 1 },
        targets: { sql: 3 },
      })),
      mentors: [
        {
          id: "m",
          department: "data",
          level: 1,
          tenureMonths: 9,
          tier: "peer",
          capacity: 10,
          expertise: { sql: 5 },
        },
      ],
      program: {
        tiers: [{ id: "peer" }],
        equity: [{ kind: "maxPerMentorPerGroup", attribute: "department", max: 1 }],
      },
    };
    const r = match(parseCohort(tight));
    expect(r.status).toBe("infeasible");
    if (r.status === "infeasible") {
      expect(r.diagnosis.kind).toBe("equity");
      expect(r.diagnosis.rules).toEqual([0]);
      expect(r.diagnosis.message).toContain("program.equity[0] (maxPerMentorPerGroup)");
      // All six must go to the one mentor: a cap of 6 is the smallest that works.
      expect(r.diagnosis.relaxations).toEqual([
        { rule: 0, attribute: "department", parameter: "max", value: 6 },
      ]);
      expect(r.diagnosis.message).toContain("max 6 for program.equity[0] (department)");
    }
    expect(mipOracle(highs(), tight, false).status).toBe("infeasible");
    const relaxed = {
      ...tight,
      program: {
        ...tight.program,
        equity: [{ kind: "maxPerMentorPerGroup" as const, attribute: "department", max: 6 }],
      },
    };
    expect(match(parseCohort(relaxed)).status).toBe("optimal");
    // A share no assignment can give: the senior mentor (who must take 2 mentees) can only take
    // group M, so group F, owed ⌊(1 − tolerance) · 4/8 · 2⌋ = 1 pair, cannot get it. Any
    // tolerance above 0 owes F nothing: 1/64, the bisection's step, is the smallest it finds.
    const person = (id: string, gender: string, level: number) => ({
      id,
      department: "ops",
      level,
      tenureMonths: 1,
      tiers: ["senior"],
      current: { sql: 1 },
      targets: { sql: 3 },
      sensitive: { gender },
    });
    const share: CohortInput = {
      skills: [{ id: "sql" }],
      strategy: { priorities: { sql: 1 } },
      mentees: [
        ...["a", "b", "c", "d"].map((id) => person(`f${id}`, "F", 0)),
        ...["a", "b", "c", "d"].map((id) => person(`m${id}`, "M", 3)),
      ],
      mentors: [
        {
          id: "s",
          department: "data",
          level: 5,
          tenureMonths: 9,
          tier: "senior",
          capacity: 2,
          minLoad: 2,
          expertise: { sql: 5 },
        },
      ],
      program: {
        tiers: [{ id: "senior", levelGap: { min: 1, max: 2 } }],
        minGroupSize: 1,
        equity: [
          { kind: "proportionalTierAccess", attribute: "gender", tier: "senior", tolerance: 0 },
        ],
      },
    };
    const q = match(parseCohort(share));
    expect(q.status).toBe("infeasible");
    expect(mipOracle(highs(), share, false).status).toBe("infeasible");
    if (q.status === "infeasible")
      expect(q.diagnosis.relaxations).toEqual([
        { rule: 0, attribute: "gender", parameter: "tolerance", value: 1 / 64 },
      ]);
  });

  it("with every fit 0, a per-mentor cap is still kept and proven (the search's steps never shrink the scores below the engine's range)", () => {
    const base = generateCohort({ mentees: 30, mentors: 6, seed: 3 });
    const weights = { ...ZERO_WEIGHTS, gap: 0 };
    for (const coverageFirst of [false, true]) {
      const cohort = parseCohort({
        ...base,
        program: {
          ...base.program,
          coverageFirst,
          scoring: { ...base.program.scoring, weights },
          equity: [{ kind: "maxPerMentorPerGroup", attribute: "department", max: 1 }],
        },
      });
      const r = match(cohort);
      expect(r.status).toBe("optimal");
      expect(r.objective).toBe(0);
      expect(r.pairs.length).toBeGreaterThan(0);
      expect(verifyMatch(cohort, r).ok).toBe(true);
      expect(auditFairness(cohort, r, { price: false }).rules[0].held).toBe(true);
    }
  });

  it("a reserve names a group some mentee states and a known tier, or parseCohort says which and where", () => {
    const base = generateCohort({ mentees: 20, mentors: 5, seed: 1 });
    const bad = (rule: EquityRuleInput) => {
      try {
        parseCohort({ ...base, program: { ...base.program, equity: [rule] } });
      } catch (e) {
        return (e as InputError).issues.map((i) => [i.code, i.location]);
      }
      return [];
    };
    expect(bad({ kind: "reserve", attribute: "gender", group: "nobody", min: 1 })).toEqual([
      ["unknown_group", { kind: "path", path: ["program", "equity", 0, "group"] }],
    ]);
    expect(bad({ kind: "reserve", attribute: "gender", group: "F", tier: "gold", min: 1 })).toEqual(
      [["unknown_tier", { kind: "path", path: ["program", "equity", 0, "tier"] }]],
    );
    const dept = base.mentees[0].department;
    expect(bad({ kind: "reserve", attribute: "department", group: dept, min: 1 })).toEqual([]);
  });

  it("a match-rate floor no assignment can meet is proven infeasible, with a rate that works", () => {
    const g = generateCohort({ mentees: 120, mentors: 25, seed: 4 });
    const at = (rate: number) =>
      match(
        parseCohort({
          ...g,
          program: { ...g.program, equity: [{ kind: "minMatchRate", attribute: "region", rate }] },
        }),
      );
    const r = at(0.8);
    expect(r.status).toBe("infeasible");
    if (r.status !== "infeasible") return;
    expect(r.diagnosis.kind).toBe("equity");
    const [fix] = r.diagnosis.relaxations!;
    expect(fix).toMatchObject({ rule: 0, attribute: "region", parameter: "rate" });
    expect(fix.value).toBeLessThan(0.8);
    expect(["optimal", "feasible"]).toContain(at(fix.value).status);
  });

  it("match rates relative to the overall rate: a locked pair that makes equal rates impossible is proven infeasible (as the MIP says), with the least distance below the overall rate that works", () => {
    const g = generateCohort({ mentees: 12, mentors: 4, seed: 2 });
    const input = (maxBelowOverall: number): CohortInput => ({
      ...g,
      program: {
        ...g.program,
        minGroupSize: 2,
        lockedPairs: [{ mentee: "e012", mentor: "m002" }],
        equity: [{ kind: "minMatchRate", attribute: "gender", maxBelowOverall }],
      },
    });
    expect(mipOracle(highs(), input(0), false).status).toBe("infeasible");
    const r = match(parseCohort(input(0)));
    expect(r.status).toBe("infeasible");
    if (r.status !== "infeasible") return;
    expect(r.diagnosis).toMatchObject({ kind: "equity", rules: [0] });
    const [fix] = r.diagnosis.relaxations!;
    expect(fix).toMatchObject({ rule: 0, attribute: "gender", parameter: "maxBelowOverall" });
    expect(fix.value).toBeGreaterThan(0);
    const cohort = parseCohort(input(fix.value));
    const ok = match(cohort);
    expect(["optimal", "feasible"]).toContain(ok.status);
    expect(verifyMatch(cohort, ok).ok).toBe(true);
    const rule = auditFairness(cohort, ok, { price: false }).rules[0];
    expect(rule).toMatchObject({ held: true, required: fix.value });
    // One step (1/64) less is not met: the MIP agrees.
    expect(mipOracle(highs(), input(fix.value - 1 / 64), false).status).toBe("infeasible");
  });

  it("minMatchRate takes exactly one of rate and maxBelowOverall, or parseCohort says where", () => {
    const g = generateCohort({ mentees: 12, mentors: 4, seed: 2 });
    for (const rule of [
      { kind: "minMatchRate", attribute: "gender" },
      { kind: "minMatchRate", attribute: "gender", rate: 0.5, maxBelowOverall: 0.1 },
    ]) {
      const bad = { ...g, program: { ...g.program, equity: [rule] } } as CohortInput;
      expect(() => parseCohort(bad)).toThrow(InputError);
      try {
        parseCohort(bad);
      } catch (e) {
        const [issue] = (e as InputError).issues;
        expect(issue.location).toEqual({ kind: "path", path: ["program", "equity", 0] });
        expect(issue.message).toContain("exactly one of rate");
      }
    }
  });

  it("verifyMatch refuses a certificate whose multipliers are too large to check: a reserve's multiplier cancelled by a dual cannot pass a worse answer as optimal", () => {
    const base = generateCohort({ mentees: 12, mentors: 4, seed: 7 });
    const input: CohortInput = {
      ...base,
      program: {
        ...base.program,
        coverageFirst: false,
        equity: [{ kind: "reserve", attribute: "gender", group: "X", min: 1 }],
      },
    };
    const cohort = parseCohort(input);
    const r = match(cohort);
    expect(r.status).toBe("optimal");
    if (r.status !== "optimal") return;
    const x = input.mentees.find((e) => e.sensitive?.gender === "X")!.id;
    // A worse answer that keeps the rule: drop one pair not of the reserved mentee.
    const drop = r.pairs.find((p) => p.mentee !== x)!;
    const pairs = r.pairs.filter((p) => p !== drop);
    for (const huge of [1e12, 1e17]) {
      const menteeDual = [...r.certificate.menteeDual];
      menteeDual[cohort.index.menteeById.get(x)!] += huge;
      const forged = {
        ...r,
        pairs,
        objective: r.objective - drop.score,
        bound: r.objective - drop.score,
        certificate: {
          ...r.certificate,
          menteeDual,
          equity: {
            multipliers: [{ rule: 0, group: "X", value: huge }],
            coveredMultiplier: 0,
            minCovered: 0,
            solves: 1,
          },
        },
      };
      expect(verifyMatch(cohort, forged).ok).toBe(false);
    }
  });

  it("stopped at any point of the search (an abort on the k-th progress report), match returns a bound that never falls below the MIP optimum", () => {
    const base = generateCohort({ mentees: 16, mentors: 4, seed: 21 });
    for (const coverageFirst of [false, true]) {
      const input: CohortInput = {
        ...base,
        program: {
          ...base.program,
          coverageFirst,
          minGroupSize: 2,
          equity: [
            { kind: "proportionalTierAccess", attribute: "gender", tier: "peer", tolerance: 0 },
            { kind: "maxPerMentorPerGroup", attribute: "department", max: 1 },
          ],
        },
      };
      const cohort = parseCohort(input);
      const mip = mipOracle(highs(), input, coverageFirst);
      if (mip.status !== "optimal") continue;
      let stoppedOnce = false;
      for (let k = 1; k <= 60; k += 3) {
        const ac = new AbortController();
        let reports = 0;
        const r = match(cohort, {
          signal: ac.signal,
          onProgress: () => {
            if (++reports >= k) ac.abort();
          },
        });
        if (r.status === "time_limit") stoppedOnce = true;
        if ("bound" in r && Number.isFinite(r.bound))
          expect(r.bound).toBeGreaterThanOrEqual(mip.objective - 1e-7 * Math.max(1, mip.objective));
      }
      expect(stoppedOnce).toBe(true);
    }
  });

  it("stopped after k polls of its signal, anywhere (the first solve, reading the pairs, the search), match never claims pairs feasible that break a rule", () => {
    const base = generateCohort({ mentees: 60, mentors: 12, seed: 5 });
    const input: CohortInput = {
      ...base,
      program: {
        ...base.program,
        equity: [{ kind: "maxPerMentorPerGroup", attribute: "department", max: 1 }],
      },
    };
    const cohort = parseCohort(input);
    for (let k = 0; k < 400; k++) {
      let polls = 0;
      // A signal that turns aborted on its k-th read.
      const signal = {
        get aborted() {
          return ++polls > k;
        },
      } as unknown as AbortSignal;
      const r = match(cohort, { signal });
      if (r.status !== "time_limit") continue;
      const audit = auditFairness(cohort, r, { price: false });
      if (r.feasible) for (const rule of audit.rules) expect(rule.held).toBe(true);
      expect(r.equity[0].enforced).toBe(true);
    }
  });
});
