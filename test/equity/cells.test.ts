/**
 * A per-mentor group cap kept in the flow (src/equity/cells.ts): exact, not gap-proven. Against
 * the MIP (HiGHS) on small generated cohorts, and on the grown instance itself.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { auditFairness } from "../../src/equity/audit.js";
import { capCells, menteePairs, sideDuals } from "../../src/equity/cells.js";
import { multiplierBound, sideInstance, type SideProblem } from "../../src/equity/lagrange.js";
import { sideRules, zeroMultipliers } from "../../src/equity/rows.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { match, verifyMatch } from "../../src/match/match.js";
import type { CohortInput, EquityRuleInput } from "../../src/schema/input.js";
import { scoreMatrix } from "../../src/score/matrix.js";
import { solveInstance } from "../../src/solve/solve.js";
import { coveredOf, mipOracle } from "./mip.js";
import { runs, highsBeforeAll } from "../support/harness.js";

const highs = highsBeforeAll();

/** Small cohorts whose only rules keep the flow's structure: one hard cap (and sometimes a
 * second cap, on another attribute, which stays a side row); sometimes minimums (a third of the
 * mentees need a mentor, or mentors who can take two need two) and a locked pair (the first of
 * the answer without rules), so that the cap alone can leave no assignment. */
const capCohort = fc
  .record({
    mentees: fc.integer({ min: 5, max: 16 }),
    mentors: fc.integer({ min: 2, max: 5 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    attribute: fc.constantFrom("gender", "region", "department"),
    max: fc.integer({ min: 1, max: 2 }),
    second: fc.option(fc.constantFrom("gender", "region"), { nil: undefined }),
    coverageFirst: fc.boolean(),
    minimums: fc.constantFrom("none", "mentees", "mentors"),
    lock: fc.boolean(),
  })
  .map(({ mentees, mentors, seed, attribute, max, second, coverageFirst, minimums, lock }) => {
    const base = generateCohort({ mentees, mentors, seed });
    // Minimums and a lock the answer without rules meets: only the cap can break them.
    const free = match(parseCohort({ ...base, program: { ...base.program, equity: [] } }));
    const matched = new Set(free.pairs.map((q) => q.mentee));
    const load = new Map(free.mentors.map((l) => [l.mentor, l.load]));
    const cohortInput: CohortInput = {
      ...base,
      mentees: base.mentees.map((e) =>
        minimums === "mentees" && matched.has(e.id) ? { ...e, minMentors: 1 } : e,
      ),
      mentors: base.mentors.map((r) =>
        minimums === "mentors" ? { ...r, minLoad: Math.min(r.capacity, load.get(r.id) ?? 0) } : r,
      ),
    };
    const lockedPairs =
      lock && free.pairs.length > 0
        ? [{ mentee: free.pairs[0].mentee, mentor: free.pairs[0].mentor }]
        : [];
    const equity: EquityRuleInput[] = [{ kind: "maxPerMentorPerGroup", attribute, max }];
    if (second && second !== attribute)
      equity.push({ kind: "maxPerMentorPerGroup", attribute: second, max: 2 });
    const input: CohortInput = {
      ...cohortInput,
      program: { ...base.program, equity, minGroupSize: 1, coverageFirst, lockedPairs },
    };
    return input;
  });

describe("a per-mentor group cap in the flow", () => {
  it("is exact: with one cap, match is optimal at the MIP's optimum (pairs too, coverage-first), verifies, and keeps the cap; infeasible only when the MIP is", () => {
    fc.assert(
      fc.property(capCohort, (input) => {
        const cohort = parseCohort(input);
        const r = match(cohort);
        const mip = mipOracle(highs(), input, input.program.coverageFirst === true);
        const one = input.program.equity!.length === 1;
        if (mip.status === "infeasible") {
          // One cap in the flow: the engine's own proof (two: the side row's search may stop).
          expect(one ? ["infeasible"] : ["infeasible", "time_limit"]).toContain(r.status);
          // The cap's own diagnosis: its rule, who it leaves short, and a cap that works.
          if (r.status === "infeasible" && r.diagnosis.kind === "equity" && one) {
            const d = r.diagnosis;
            expect(d.rules).toEqual([0]);
            if (d.needed > 0 || d.possible > 0) expect(d.needed).toBeGreaterThan(d.possible);
            for (const x of d.relaxations ?? []) {
              const relaxed = {
                ...input.program,
                equity: [{ ...input.program.equity![0], max: x.value }],
              };
              expect(match(parseCohort({ ...input, program: relaxed })).status).not.toBe(
                "infeasible",
              );
            }
          }
          return;
        }
        if (r.status === "infeasible") expect(r.diagnosis).toEqual("the MIP found an optimum");
        // The cap in the flow holds for any pairs match returns, a stopped search's too.
        if (r.status === "time_limit")
          expect(auditFairness(cohort, r, { price: false }).rules[0].held).toBe(true);
        if (!one && r.status === "time_limit") return;
        expect(["optimal", "feasible"]).toContain(r.status);
        if (r.status !== "optimal" && r.status !== "feasible") return;
        const tol = 1e-7 * Math.max(1, mip.objective);
        expect(verifyMatch(cohort, r).problems).toEqual([]);
        for (const rule of auditFairness(cohort, r, { price: false }).rules)
          expect(rule.held).toBe(true);
        if (one) {
          expect(r.status).toBe("optimal");
          if (input.program.coverageFirst) expect(coveredOf(r)).toBe(mip.covered);
          expect(Math.abs(r.objective - mip.objective)).toBeLessThanOrEqual(tol);
        } else if (!input.program.coverageFirst || coveredOf(r) === mip.covered) {
          expect(r.objective).toBeLessThanOrEqual(mip.objective + tol);
          expect(r.bound).toBeGreaterThanOrEqual(mip.objective - tol);
        }
      }),
      runs(60),
    );
  });

  it("the grown instance: its optimum is the capped one, its pairs map back to mentors, and its duals prove the same bound over the side rows", () => {
    const base = generateCohort({ mentees: 300, mentors: 60, seed: 5 });
    const input: CohortInput = {
      ...base,
      program: {
        ...base.program,
        coverageFirst: false,
        equity: [{ kind: "maxPerMentorPerGroup", attribute: "department", max: 1 }],
      },
    };
    const cohort = parseCohort(input);
    const r = match(cohort);
    const mip = mipOracle(highs(), input, false);
    expect(mip.status).toBe("optimal");
    expect(r.status).toBe("optimal");
    if (r.status !== "optimal" || mip.status !== "optimal") return;
    expect(Math.abs(r.objective - mip.objective)).toBeLessThanOrEqual(1e-7 * mip.objective);
    // The proof is the side rows': the cap's multipliers, by mentor and group.
    const mult = r.certificate.equity!.multipliers;
    expect(mult.length).toBeGreaterThan(0);
    expect(mult.every((m) => m.rule === 0 && m.mentor !== undefined && m.value > 0)).toBe(true);
    expect(verifyMatch(cohort, r).problems).toEqual([]);

    // On the grown instance directly: one engine solve.
    const p = sideProblemOf(input);
    const x = capCells(p)!;
    expect(x.cols).toBeGreaterThan(p.cols);
    // Every cell is where the cap can bind: a mentor with room above it, more than it allowed.
    const code = p.rules.caps[x.rule].code;
    for (let c = 0; c < x.cols; c++) {
      if (x.groupOf[c] < 0) continue;
      const j = x.mentorOf[c];
      expect(p.colMax[j]).toBeGreaterThan(1);
      let allowed = 0;
      for (let i = 0; i < p.rows; i++)
        if (code[i] === x.groupOf[c])
          for (let e = p.start[i]; e < p.start[i + 1]; e++) if (p.col[e] === j) allowed++;
      expect(allowed).toBeGreaterThan(1);
    }
    const score = new Float64Array(x.col.length);
    score.set(p.fit);
    const res = solveInstance(
      sideInstance(x, { kind: "sparse", start: x.start, col: x.col, score }),
    );
    expect(res.status).toBe("optimal");
    if (res.status !== "optimal") return;
    const pairs = menteePairs(x, res.pairs);
    let total = 0;
    pairs.row.forEach((i, t) => {
      const e =
        p.start[i] + Array.from(p.col.subarray(p.start[i], p.start[i + 1])).indexOf(pairs.col[t]);
      total += p.fit[e];
    });
    expect(Math.abs(total - mip.objective)).toBeLessThanOrEqual(1e-7 * mip.objective);
    const d = sideDuals(x, res.certificate.rowDual, res.certificate.colDual);
    const m = zeroMultipliers(p.rules);
    for (const [key, mu] of d.cap) m.cap[x.rule].set(key, mu);
    const b = multiplierBound(p, p.rules, m, { perPair: 0, minPairs: 0 }, p.fit, d);
    expect(b.value).toBeLessThanOrEqual(res.bound + 1e-9 * mip.objective);
    expect(b.value).toBeGreaterThanOrEqual(mip.objective - 1e-7 * mip.objective);
  });

  it("a cap the bounds cannot meet (a minimum load only one more group could fill; locked pairs over it) is proven infeasible by the flow, the diagnosis naming the rule, who is short, by how much, and a cap that works", () => {
    const mentee = (k: number, department: string) => ({
      id: `e${k}`,
      department,
      level: 1,
      tenureMonths: 1,
      current: { sql: 1 },
      targets: { sql: 3 },
    });
    const mentor = (id: string, minLoad: number) => ({
      id,
      department: "it",
      level: 1,
      tenureMonths: 9,
      tier: "peer",
      capacity: 4,
      minLoad,
      expertise: { sql: 5 },
    });
    const input: CohortInput = {
      skills: [{ id: "sql" }],
      strategy: { priorities: { sql: 1 } },
      mentees: [0, 1, 2, 3]
        .map((k) => mentee(k, "ops"))
        .concat([mentee(4, "data"), mentee(5, "data")]),
      mentors: [mentor("m1", 3), mentor("m2", 0)],
      program: {
        tiers: [{ id: "peer" }],
        equity: [{ kind: "maxPerMentorPerGroup", attribute: "department", max: 1 }],
      },
    };
    expect(mipOracle(highs(), input, false).status).toBe("infeasible");
    const free = match(parseCohort({ ...input, program: { ...input.program, equity: [] } }));
    expect(free.status).toBe("optimal"); // the bounds alone can be met
    const r = match(parseCohort(input));
    expect(r.status).toBe("infeasible");
    if (r.status !== "infeasible") return;
    expect(r.diagnosis).toMatchObject({
      kind: "equity",
      rules: [0],
      mentors: ["m1"],
      needed: 3,
      possible: 2,
    });
    expect(r.diagnosis.message).toContain("program.equity[0] (maxPerMentorPerGroup)");
    expect(r.diagnosis.message).toContain('"m1"');
    // Two departments: a cap of 2 lets m1 take its 3.
    expect(r.diagnosis.relaxations).toEqual([
      { rule: 0, attribute: "department", parameter: "max", value: 2 },
    ]);

    // Two ops mentees locked to m2, with a cap of 1 (and no minimum load): the locks break it.
    const locked: CohortInput = {
      ...input,
      mentors: [mentor("m1", 0), mentor("m2", 0)],
      program: {
        ...input.program,
        lockedPairs: [
          { mentee: "e0", mentor: "m2" },
          { mentee: "e1", mentor: "m2" },
        ],
      },
    };
    const l = match(parseCohort(locked));
    expect(l.status).toBe("infeasible");
    if (l.status !== "infeasible") return;
    expect(l.diagnosis).toMatchObject({
      kind: "equity",
      rules: [0],
      mentors: ["m2"],
      mentees: ["e0", "e1"],
      needed: 2,
      possible: 1,
    });
  });
});

/** The side problem `match` builds for a cohort (every allowed pair with its fit). */
function sideProblemOf(input: CohortInput): SideProblem {
  const cohort = parseCohort(input);
  const { n, m, scores, reason } = scoreMatrix(cohort.view);
  const start = new Int32Array(n + 1);
  const col: number[] = [];
  const fit: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++)
      if (reason[i * m + j] === 0) {
        col.push(j);
        fit.push(scores[i * m + j]);
      }
    start[i + 1] = col.length;
  }
  const { minMentors, maxMentors } = cohort.view.mentees;
  const { minLoad, capacity } = cohort.view.mentors;
  return {
    rows: n,
    cols: m,
    start,
    col: Int32Array.from(col),
    fit: Float64Array.from(fit),
    rowMin: Int32Array.from(minMentors),
    rowMax: Float64Array.from(maxMentors),
    colMin: Int32Array.from(minLoad),
    colMax: Float64Array.from(capacity),
    forced: cohort.view.locked.map((l) => [l.mentee, l.mentor] as const),
    coverageFirst: false,
    rules: sideRules(cohort),
  };
}
