import { existsSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import type { Cohort } from "../../src/cohort/types.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { explainPair } from "../../src/match/explain.js";
import { match, verifyMatch } from "../../src/match/match.js";
import type { MatchResult } from "../../src/match/types.js";
import { loadCohort } from "../../src/node/files.js";
import { InputError } from "../../src/schema/errors.js";
import type { CohortInput } from "../../src/schema/input.js";
import { REASONS } from "../../src/score/eligibility.js";
import { scoreMatrix } from "../../src/score/matrix.js";
import type { AssignmentProblem } from "../../src/solve/types.js";
import { validCohortArb } from "../arbitraries/cohort.js";
import { lpOracle } from "../solve/oracles/lp.js";
import { runs } from "../support/harness.js";

/** The cohort as a plain assignment problem, built independently of `match`. */
function asProblem(input: CohortInput, coverageFirst: boolean): AssignmentProblem {
  const { view } = parseCohort(input);
  const { n, m, scores, reason } = scoreMatrix(view);
  const allowed = Uint8Array.from(reason, (r) => (r === 0 ? 1 : 0));
  return {
    scores,
    rows: n,
    cols: m,
    allowed,
    rowMin: view.mentees.minMentors,
    rowMax: view.mentees.maxMentors,
    colMin: view.mentors.minLoad,
    colMax: view.mentors.capacity,
    forced: view.locked.map((p) => [p.mentee, p.mentor] as const),
    coverageFirst,
  };
}

/** The cohort without equity rules (tests of the engine under rules: test/equity). */
const noRules = (input: CohortInput): CohortInput => ({
  ...input,
  program: { ...input.program, equity: [] },
});

/** Everything but timings. */
const stable = (r: MatchResult) => ({
  ...r,
  stats: {
    ...r.stats,
    timeMs: 0,
    phaseMs: { sample: 0, candidates: 0, auction: 0, flow: 0, pricing: 0 },
  },
});

describe("match(cohort)", () => {
  it("match(cohort) equals the LP optimum of the cohort's own scores and rules", () => {
    fc.assert(
      fc.property(
        validCohortArb({ maxMentees: 6, maxMentors: 4 }),
        fc.boolean(),
        (drawn, cover) => {
          // The engine's optimum (equity rules: test/equity, against a MIP).
          const input = noRules(drawn);
          const cohort = parseCohort(input);
          const result = match(cohort, { coverageFirst: cover });
          const oracle = lpOracle(asProblem(input, cover));
          expect(result.status).toBe(oracle.status);
          if (result.status === "optimal" && oracle.status === "optimal") {
            expect(result.objective).toBeCloseTo(oracle.objective, 7);
            expect(verifyMatch(cohort, result).ok).toBe(true);
          }
        },
      ),
      runs(120),
    );
  });

  it("match on small generated cohorts (scarce mentors, two-mentor mentees, minimum loads, a locked pair; short candidate lists) equals the LP optimum", () => {
    // The project's own generator, small enough for the LP oracle: the shapes real programs have
    // — places fewer than mentees (the flow then runs from the mentors' side), tied integer-scale
    // proficiencies, mentees wanting two mentors, peer mentors with a minimum load — plus one
    // locked pair drawn among the eligible ones.
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 28 }),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.boolean(),
        fc.nat(),
        // Short candidate lists make the engine price the rows it keeps as lists.
        fc.constantFrom<"auto" | number>("auto", 1, 2),
        (mentees, mentors, seed, cover, pick, candidatesPerRow) => {
          // Without the generator's equity rules: the engine alone (rules: test/equity).
          const base = noRules(generateCohort({ mentees, mentors, seed }));
          const { view } = parseCohort(base);
          const { n, reason } = scoreMatrix(view);
          const eligible = [...reason.keys()].filter((k) => reason[k] === 0);
          const input: CohortInput =
            eligible.length === 0
              ? base
              : (() => {
                  const k = eligible[pick % eligible.length];
                  const m = reason.length / n;
                  const pair = {
                    mentee: base.mentees[Math.floor(k / m)].id,
                    mentor: base.mentors[k % m].id,
                  };
                  return { ...base, program: { ...base.program, lockedPairs: [pair] } };
                })();
          const cohort = parseCohort(input);
          const result = match(cohort, { coverageFirst: cover, candidatesPerRow });
          const oracle = lpOracle(asProblem(input, cover));
          expect(result.status).toBe(oracle.status);
          if (result.status === "optimal" && oracle.status === "optimal") {
            const scale = Math.max(1, Math.abs(oracle.objective));
            expect(Math.abs(result.objective - oracle.objective)).toBeLessThan(1e-9 * scale);
            expect(verifyMatch(cohort, result).ok).toBe(true);
          }
        },
      ),
      runs(60),
    );
  });

  it("the candidate lists' length never changes the optimum (1,000 x 200 generated cohorts: every pricing path, coverage phase included)", () => {
    // Large enough that short lists leave pairs out in both phases, so pricing reads rows (kept
    // as lists) and adds pairs; the objective is the proven optimum whatever the lists.
    for (const seed of [1, 2]) {
      const cohort = parseCohort(noRules(generateCohort({ mentees: 1000, mentors: 200, seed })));
      for (const coverageFirst of [false, true]) {
        const full = match(cohort, { coverageFirst });
        expect(full.status).toBe("optimal");
        for (const candidatesPerRow of [1, 3]) {
          const short = match(cohort, { coverageFirst, candidatesPerRow });
          expect(short.status).toBe("optimal");
          expect(short.stats.pricingRounds).toBeGreaterThan(0);
          const scale = Math.max(1, Math.abs(full.objective));
          expect(Math.abs(short.objective - full.objective)).toBeLessThan(1e-9 * scale);
          if (coverageFirst) expect(short.pairs.length).toBe(full.pairs.length);
          expect(verifyMatch(cohort, short).ok).toBe(true);
        }
      }
    }
  });

  it("match(cohort) gives the same answer whatever the order of mentees and mentors", () => {
    fc.assert(
      fc.property(validCohortArb({ maxMentees: 7, maxMentors: 5 }), (input) => {
        const reversed: CohortInput = {
          ...input,
          mentees: [...input.mentees].reverse(),
          mentors: [...input.mentors].reverse(),
        };
        expect(stable(match(parseCohort(reversed)))).toEqual(stable(match(parseCohort(input))));
      }),
      runs(80),
    );
  });

  it("match(cohort) does not change when sensitive group labels are renamed or reassigned", () => {
    fc.assert(
      fc.property(validCohortArb({ maxMentees: 7, maxMentors: 5 }), fc.integer(), (input, salt) => {
        const relabel = <T extends { sensitive?: Record<string, string> }>(p: T, k: number): T =>
          p.sensitive === undefined
            ? p
            : {
                ...p,
                sensitive: Object.fromEntries(
                  Object.keys(p.sensitive).map((a) => [a, `g${(k + salt) % 3}`]),
                ),
              };
        const other: CohortInput = {
          ...input,
          program: { ...input.program, equity: [] },
          mentees: input.mentees.map(relabel),
          mentors: input.mentors.map(relabel),
        };
        const a = match(parseCohort({ ...input, program: { ...input.program, equity: [] } }));
        const b = match(parseCohort(other));
        expect(stable(b)).toEqual(stable(a));
      }),
      runs(60),
    );
  });

  it("match(cohort) lists every equity rule of the program, each enforced and with a message (none is dropped in silence)", () => {
    const input = generateCohort({ mentees: 40, mentors: 12, seed: 3 });
    const rules = [
      ...(input.program.equity ?? []),
      { kind: "minFit" as const, min: 0 },
      { kind: "maxMeanFitGap" as const, attribute: "gender", maxGap: 1 },
    ];
    expect(rules.map((r) => r.kind)).toEqual([
      "proportionalTierAccess",
      "maxPerMentorPerGroup",
      "minFit",
      "maxMeanFitGap",
    ]);
    const r = match(parseCohort({ ...input, program: { ...input.program, equity: rules } }));
    expect(r.equity.map((e) => [e.index, e.kind, e.enforced])).toEqual(
      rules.map((rule, i) => [i, rule.kind, true]),
    );
    for (const e of r.equity) expect(e.message).toContain(`program.equity[${e.index}]`);
    const none = match(parseCohort({ ...input, program: { ...input.program, equity: [] } }));
    expect(none.equity).toEqual([]);
  });

  it("match(cohort) under a minFit rule equals the LP optimum over the pairs whose fit is at least min (filtered here, independently of the scorer's rule)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 24 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.boolean(),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (mentees, mentors, seed, cover, q) => {
          const base = generateCohort({ mentees, mentors, seed });
          const free = { ...base, program: { ...base.program, equity: [] } };
          const problem = asProblem(free, cover);
          const scores = problem.scores as Float64Array;
          const allowed = problem.allowed!;
          const fits = [...scores.keys()]
            .filter((k) => allowed[k] === 1)
            .map((k) => scores[k])
            .sort((a, b) => a - b);
          // A threshold at a quantile of the fits (often exactly one of them: ties at the edge).
          const min = fits.length === 0 ? 1 : fits[Math.floor(q * fits.length)];
          const kept = Uint8Array.from(allowed, (a, k) => (a === 1 && scores[k] >= min ? 1 : 0));
          const input: CohortInput = {
            ...base,
            program: { ...base.program, equity: [{ kind: "minFit", min }] },
          };
          const cohort = parseCohort(input);
          const result = match(cohort, { coverageFirst: cover });
          const oracle = lpOracle({ ...problem, allowed: kept });
          expect(result.status).toBe(oracle.status);
          for (const p of result.pairs) expect(p.score).toBeGreaterThanOrEqual(min);
          if (result.status === "optimal" && oracle.status === "optimal") {
            const scale = Math.max(1, Math.abs(oracle.objective));
            expect(Math.abs(result.objective - oracle.objective)).toBeLessThan(1e-9 * scale);
            expect(verifyMatch(cohort, result).ok).toBe(true);
          }
        },
      ),
      runs(60),
    );
  });

  it("minFit: a mentee whose every fit is below it is unmatched as no_eligible_mentor blocked by min_fit; verifyMatch rejects a pair below it; a locked pair below it is an input error", () => {
    const base = generateCohort({ mentees: 30, mentors: 10, seed: 11 });
    const free = match(parseCohort({ ...base, program: { ...base.program, equity: [] } }));
    const fits = free.pairs.map((p) => p.score).sort((a, b) => a - b);
    const low = free.pairs.find((p) => p.score === fits[0])!;
    const min = fits[fits.length - 1];
    const input: CohortInput = {
      ...base,
      program: { ...base.program, equity: [{ kind: "minFit", min }] },
    };
    const cohort = parseCohort(input);
    const r = match(cohort);
    expect(r.status).toBe("optimal");
    for (const p of r.pairs) expect(p.score).toBeGreaterThanOrEqual(min);
    const blocked = r.unmatched.filter((u) => u.blockedBy.some((b) => b.rule === "min_fit"));
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.every((u) => u.reason === "no_eligible_mentor")).toBe(true);
    // The unconstrained answer has pairs below min: checked against the rule, it fails.
    const v = verifyMatch(cohort, free);
    expect(v.ok).toBe(false);
    expect(v.primalFeasible).toBe(false);
    // explainPair says why, with the fit the pair would have.
    const e = explainPair(cohort, low.mentee, low.mentor);
    expect([e.eligible, e.reason, e.total]).toEqual([false, "min_fit", low.score]);
    const locked = { ...input.program, lockedPairs: [{ mentee: low.mentee, mentor: low.mentor }] };
    const err = (() => {
      try {
        parseCohort({ ...input, program: locked });
      } catch (x) {
        return x as InputError;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err!.issues.map((i) => [i.code, i.location])).toEqual([
      ["locked_pair_ineligible", { kind: "path", path: ["program", "lockedPairs", 0] }],
    ]);
    expect(err!.issues[0].message).toContain(
      `"min_fit" rule (their fit is below program.equity's minFit ${min}`,
    );
  });

  it("coverage-first match(cohort) never matches fewer mentees", () => {
    fc.assert(
      fc.property(validCohortArb({ maxMentees: 7, maxMentors: 4 }), (input) => {
        const cohort = parseCohort(input);
        const plain = match(cohort, { coverageFirst: false });
        const cover = match(cohort, { coverageFirst: true });
        if (plain.status !== "optimal" || cover.status !== "optimal") return;
        expect(cover.pairs.length).toBeGreaterThanOrEqual(plain.pairs.length);
        expect(cover.objective).toBeLessThanOrEqual(plain.objective + 1e-9);
        expect(verifyMatch(cohort, cover).ok).toBe(true);
      }),
      runs(60),
    );
  });
});

/** A hand-made cohort: senior mentors need a level gap of 2 or more. */
function tinyCohort(): CohortInput {
  return {
    skills: [{ id: "sql" }, { id: "ml" }],
    strategy: { priorities: { sql: 2, ml: 1 } },
    mentees: [
      {
        id: "ana",
        department: "ops",
        level: 1,
        tenureMonths: 6,
        current: { sql: 1 },
        targets: { sql: 4, ml: 2 },
      },
      { id: "bo", department: "ops", level: 5, tenureMonths: 6, current: {}, targets: { ml: 3 } },
      { id: "cy", department: "data", level: 2, tenureMonths: 6, current: {}, targets: { sql: 2 } },
    ],
    mentors: [
      {
        id: "mia",
        department: "data",
        level: 4,
        tenureMonths: 40,
        tier: "senior",
        capacity: 1,
        expertise: { sql: 5, ml: 4 },
      },
      {
        id: "raj",
        department: "ops",
        level: 2,
        tenureMonths: 20,
        tier: "peer",
        capacity: 1,
        expertise: { sql: 3 },
      },
    ],
    program: {
      tiers: [
        { id: "peer", levelGap: { min: 0, max: 1 } },
        { id: "senior", levelGap: { min: 2 } },
      ],
    },
  };
}

describe("match(cohort) reasons and diagnoses", () => {
  it("match(cohort) explains every unmatched mentee as its own scores and rules say (mentors on both sides of 32; equity rules enforced)", () => {
    // The explanation comes from a tally taken when the solve first read each row; here it is
    // recomputed from the dense score matrix, independently. Generated cohorts (mentors full)
    // and random ones (zero fits, mentors with room) both.
    const check = (cohort: ReturnType<typeof parseCohort>) => {
      const result = match(cohort);
      if (result.status !== "optimal" && result.status !== "feasible") return;
      // Pairs chosen by the equity search (rules that cut across mentors) may leave a mentee
      // out while a mentor with room and a positive fit exists: "equity_rules".
      const byRules = result.certificate.equity !== undefined;
      const { m, scores, reason } = scoreMatrix(cohort.view);
      const { capacity } = cohort.view.mentors;
      const load = new Map<string, number>();
      for (const p of result.pairs) load.set(p.mentor, (load.get(p.mentor) ?? 0) + 1);
      const hasRoom = (j: number) => (load.get(cohort.index.mentorIds[j]) ?? 0) < capacity[j];
      for (const u of result.unmatched) {
        const i = cohort.index.menteeById.get(u.mentee)!;
        const row = Array.from({ length: m }, (_, j) => j);
        const eligible = row.filter((j) => reason[i * m + j] === 0);
        expect(u.eligibleMentors).toBe(eligible.length);
        const blocked = new Map<string, number>();
        for (const j of row)
          if (reason[i * m + j] !== 0) {
            const rule = REASONS[reason[i * m + j]]!;
            blocked.set(rule, (blocked.get(rule) ?? 0) + 1);
          }
        expect(new Map(u.blockedBy.map((b) => [b.rule, b.mentors]))).toEqual(blocked);
        const room = eligible.some(hasRoom);
        const roomWithFit = eligible.some((j) => hasRoom(j) && scores[i * m + j] > 0);
        const expected =
          cohort.view.mentees.maxMentors[i] === 0
            ? "max_mentors_zero"
            : eligible.length === 0
              ? "no_eligible_mentor"
              : roomWithFit
                ? byRules
                  ? "equity_rules"
                  : "mentors_full"
                : room
                  ? "no_fit"
                  : "mentors_full";
        expect(u.reason).toBe(expected);
      }
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 90 }),
        fc.integer({ min: 3, max: 70 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (mentees, mentors, seed) => check(parseCohort(generateCohort({ mentees, mentors, seed }))),
      ),
      runs(20),
    );
    fc.assert(
      fc.property(validCohortArb({ maxMentees: 12, maxMentors: 45 }), (input) =>
        check(parseCohort(input)),
      ),
      runs(80),
    );
  });

  it("match(cohort) reports a mentee every mentor is ruled out for as no_eligible_mentor, with the rules", () => {
    const result = match(parseCohort(tinyCohort()));
    expect(result.status).toBe("optimal");
    const bo = result.unmatched.find((u) => u.mentee === "bo");
    expect(bo).toEqual({
      mentee: "bo",
      reason: "no_eligible_mentor",
      eligibleMentors: 0,
      blockedBy: [{ rule: "level_gap", mentors: 2 }],
    });
  });

  // The schema keeps every fit in range; a cohort changed after parsing (priorities of 1e300)
  // stands in for a scorer bug.
  const outOfRange = (cohort: Cohort) => {
    cohort.view.priorities.byUnit.fill(1e300);
    cohort.view.priorities.global.fill(1e300);
  };
  const expectOutOfRangeByIds = (cohort: Cohort, run: () => unknown) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const issue = (error as InputError).issues[0];
    expect(issue.code).toBe("score_out_of_range");
    if (issue.location.kind !== "path") throw new Error("expected a path");
    const [mentees, mentee, mentors, mentor] = issue.location.path;
    expect([mentees, mentors]).toEqual(["mentees", "mentors"]);
    expect(cohort.index.menteeIds).toContain(mentee);
    expect(cohort.index.mentorIds).toContain(mentor);
  };

  it("match(cohort) reports a fit outside the engine's range by ids instead of solving with it", () => {
    const cohort = parseCohort(tinyCohort());
    outOfRange(cohort);
    expectOutOfRangeByIds(cohort, () => match(cohort));
  });

  it("verifyMatch reports a fit outside the engine's range by ids too (its rows are listed, not masked)", () => {
    const cohort = parseCohort(tinyCohort());
    const result = match(cohort);
    outOfRange(cohort);
    expectOutOfRangeByIds(cohort, () => verifyMatch(cohort, result));
  });

  it("match(cohort) pairs each mentee with the mentor that covers the most weighted gap", () => {
    const result = match(parseCohort(tinyCohort()));
    // ana: mia covers sql 3·2 + ml 2·1 = 8 (senior, gap 3); raj is a peer within 1 level: sql 2·2 = 4.
    // cy: raj covers sql 2·2 = 4 (peer, gap 0); mia (2 levels up) also 4; ana with raj only 4.
    // Best total: ana–mia 8 + cy–raj 4 = 12 (ana–raj + cy–mia would give 8).
    expect(result.pairs.map((p) => [p.mentee, p.mentor, p.score])).toEqual([
      ["ana", "mia", 8],
      ["cy", "raj", 4],
    ]);
    expect(result.objective).toBe(12);
    const why = explainPair(parseCohort(tinyCohort()), "ana", "mia");
    expect(why.skills.map((s) => [s.skill, s.contribution])).toEqual([
      ["ml", 2],
      ["sql", 6],
    ]);
  });

  it("match(cohort) diagnoses a mentor minLoad nobody can meet, naming the mentor", () => {
    const input = tinyCohort();
    const mentors = input.mentors.map((m) =>
      m.id === "raj" ? { ...m, capacity: 3, minLoad: 3 } : m,
    );
    const result = match(parseCohort({ ...input, mentors }));
    expect(result.status).toBe("infeasible");
    if (result.status !== "infeasible") return;
    expect(result.diagnosis.kind).toBe("mentor_min");
    expect(result.diagnosis.mentor).toBe("raj");
    expect(result.diagnosis.needed).toBe(3);
    expect(result.diagnosis.message).toMatch(/raj/);
  });

  it("match(cohort) diagnoses a mentee minMentors the eligible mentors cannot meet", () => {
    const input = tinyCohort();
    const mentees = input.mentees.map((e) =>
      e.id === "cy" ? { ...e, minMentors: 3, maxMentors: 3 } : e,
    );
    const result = match(parseCohort({ ...input, mentees }));
    expect(result.status).toBe("infeasible");
    if (result.status !== "infeasible") return;
    expect(result.diagnosis.kind).toBe("mentee_min");
    expect(result.diagnosis.mentees).toContain("cy");
  });

  it("match(cohort) aborted before it starts returns pairs within every capacity and labels mentees it did not reach stopped_early", () => {
    const cohort = parseCohort(generateCohort({ mentees: 60, mentors: 12, seed: 3 }));
    const controller = new AbortController();
    controller.abort();
    const result = match(cohort, { signal: controller.signal });
    expect(result.status).toBe("time_limit");
    if (result.status !== "time_limit") return;
    expect(result.reason).toBe("aborted");
    expect(verifyMatch(cohort, result).primalFeasible).toBe(true);
    const full = match(cohort);
    expect(full.unmatched.some((u) => u.reason === "stopped_early")).toBe(false);
    expect(result.unmatched.length).toBeGreaterThanOrEqual(full.unmatched.length);
    expect(result.unmatched.some((u) => u.reason === "stopped_early")).toBe(true);
  });

  it("match(cohort, options) rejects bad and unknown options with an InputError, before solving", () => {
    const cohort = parseCohort(tinyCohort());
    for (const [options, mentions] of [
      [{ coverageFirst: "yes" }, /coverageFirst: Expected true or false/],
      [{ timelimitMs: 5 }, /Unknown option "timelimitMs"/],
      [{ candidatesPerRow: NaN }, /candidatesPerRow/],
      [{ onProgress: 42 }, /onProgress/],
    ] as const) {
      let error: unknown;
      try {
        match(cohort, options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(mentions);
    }
  });

  it("match, verifyMatch and explainPair given something other than a parsed cohort throw InputError", () => {
    const raw = tinyCohort();
    const parsedResult = match(parseCohort(raw));
    for (const bad of [undefined, null, 42, raw, {}]) {
      expect(() => match(bad as never)).toThrow(/Expected a cohort from parseCohort/);
      expect(() => verifyMatch(bad as never, parsedResult)).toThrow(InputError);
      expect(() => explainPair(bad as never, "ana", "cy")).toThrow(InputError);
    }
  });

  it("verifyMatch's problems name mentees and mentors by id, never by engine index", () => {
    const cohort = parseCohort(generateCohort({ mentees: 12, mentors: 4, seed: 2 }));
    const result = match(cohort);
    if (result.status !== "optimal") throw new Error("expected an optimal result");
    const first = result.pairs[0];
    const twice = { ...result, pairs: [...result.pairs, first] };
    const check = verifyMatch(cohort, twice);
    expect(check.ok).toBe(false);
    expect(check.problems).toContain(
      `pair (mentee "${first.mentee}", mentor "${first.mentor}") appears twice`,
    );
    const mentorId = result.mentors[0].mentor;
    const over = {
      ...result,
      pairs: cohort.index.menteeIds.map((mentee) => ({
        mentee,
        mentor: mentorId,
        score: 0,
        locked: false,
      })),
    };
    const problems = verifyMatch(cohort, over).problems.join("\n");
    expect(problems).toContain(`mentor "${mentorId}" has 12 pairs`);
    expect(problems).not.toMatch(/\b(row|column) \d+/);
  });

  it("verifyMatch(cohort, not a result) is an InputError naming what is missing", () => {
    const cohort = parseCohort(tinyCohort());
    const result = match(cohort, { coverageFirst: true });
    if (result.status !== "optimal") throw new Error(result.status);
    const noCoverageDuals = {
      ...result,
      certificate: { ...result.certificate, coverage: { count: 1 } },
    };
    for (const bad of [
      null,
      42,
      { status: "optimal" },
      { status: "optimal", pairs: [1], objective: 0 },
      noCoverageDuals,
    ])
      expect(() => verifyMatch(cohort, bad as never)).toThrow(InputError);
  });

  it("verifyMatch(cohort, result) rejects a result whose pairs were edited", () => {
    const cohort = parseCohort(tinyCohort());
    const result = match(cohort);
    if (result.status !== "optimal") throw new Error("expected optimal");
    const worse = { ...result, pairs: result.pairs.slice(0, 1), objective: result.pairs[0].score };
    expect(verifyMatch(cohort, worse).ok).toBe(false);
  });
});

const examples = path.resolve(import.meta.dirname, "../../examples/data");
describe.skipIf(!existsSync(examples))("match on the bundled example cohort", () => {
  it("match(cohort) on examples/data keeps its rules with a proven bound, and its certificate verifies", async () => {
    const { cohort } = await loadCohort({
      mentees: path.join(examples, "mentees.csv"),
      mentors: path.join(examples, "mentors.csv"),
      config: path.join(examples, "config.json"),
    });
    const result = match(cohort);
    expect(["optimal", "feasible"]).toContain(result.status);
    const check = verifyMatch(cohort, result);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
