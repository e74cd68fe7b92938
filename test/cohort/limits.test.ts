/**
 * Scale caps (docs/MODEL.md, "Limits"): every number that feeds a score has a finite upper limit
 * and a resolution (0 or at least 1e-6), so a valid cohort's scores stay finite and inside the
 * engine's supported range, and every size that the indexed tables grow with is bounded, so
 * indexing never throws a raw `RangeError`.
 */
import { describe, expect, it } from "vitest";
import { parseCohort, safeParseCohort } from "../../src/cohort/parse.js";
import { formatIssues, type Issue } from "../../src/schema/errors.js";
import { INPUT_LIMITS, type CohortInput } from "../../src/schema/input.js";
import { match } from "../../src/match/match.js";
import { createScorer } from "../../src/score/scorer.js";
import { sampleCohort } from "./fixture.js";

function issuesOf(input: unknown): readonly Issue[] {
  const r = safeParseCohort(input);
  return r.ok ? [] : r.issues;
}

function found(input: unknown): [string, string][] {
  return issuesOf(input).map((i) => [
    i.code,
    i.location.kind === "path" ? i.location.path.join(".") : "",
  ]);
}

function withEdit(edit: (c: CohortInput) => void): CohortInput {
  const c = sampleCohort();
  edit(c);
  return c;
}

describe("limits on numbers that feed the score", () => {
  it("parseCohort rejects priorities, unit priorities and scoring weights above 1e6 (1e308 made scores Infinity)", () => {
    const input = withEdit((c) => {
      c.strategy.priorities.python = 1e308;
      c.strategy.byUnit!.ops.stats = 1e6 + 1;
      c.program.scoring = { weights: { gap: 1e308, timezone: 2e6, unmatchedBoost: 1e7 } };
    });
    expect(formatIssues(issuesOf(input))).toMatchInlineSnapshot(`
      "strategy.priorities.python: Too big: expected strategy.priorities.python to be <= 1000000
      strategy.byUnit.ops.stats: Too big: expected strategy.byUnit.ops.stats to be <= 1000000
      program.scoring.weights.gap: Too big: expected program.scoring.weights.gap to be <= 1000000
      program.scoring.weights.timezone: Too big: expected program.scoring.weights.timezone to be <= 1000000
      program.scoring.weights.unmatchedBoost: Too big: expected program.scoring.weights.unmatchedBoost to be <= 1000000"
    `);
  });

  it("parseCohort accepts priorities and weights of exactly 1e6", () => {
    const input = withEdit((c) => {
      c.strategy.priorities.python = 1e6;
      c.program.scoring = { weights: { gap: 1e6, crossDepartment: 1e6, unmatchedBoost: 1e6 } };
    });
    expect(found(input)).toEqual([]);
  });

  it("parseCohort rejects a proficiency scale beyond ±1e6", () => {
    const input = withEdit((c) => (c.program.scale = { min: -1e308, max: 1e308 }));
    expect(found(input)).toEqual([
      ["too_small", "program.scale.min"],
      ["too_big", "program.scale.max"],
    ]);
  });

  it("parseCohort rejects counts above 1e6 (capacity 2^32 used to wrap to 0 in the Int32 table)", () => {
    const input = withEdit((c) => {
      c.mentors[0].capacity = 2 ** 32;
      c.mentors[1].minLoad = 2 ** 31;
      c.mentees[0].roundsUnmatched = 2 ** 31;
      c.mentees[1].minMentors = 1e6 + 1;
      c.mentees[1].maxMentors = 2 ** 40;
    });
    expect(found(input)).toEqual([
      ["too_big", "mentees.0.roundsUnmatched"],
      ["too_big", "mentees.1.minMentors"],
      ["too_big", "mentees.1.maxMentors"],
      ["too_big", "mentors.0.capacity"],
      ["too_big", "mentors.1.minLoad"],
    ]);
    expect(issuesOf(input)[3].message).toBe("Too big: expected capacity to be <= 1000000");
  });

  it("parseCohort rejects a proficiency 1e-310 that made the normalized form score Infinity", () => {
    const input = withEdit((c) => {
      c.program.scoring = { form: "normalized", weights: { gap: 1e6 } };
      c.strategy.priorities.python = 1e6;
      c.mentees[1].current = { python: 0 };
      c.mentees[1].targets = { python: 1e-310 };
    });
    expect(formatIssues(issuesOf(input))).toMatchInlineSnapshot(
      `"mentees[1].targets.python: Too small: expected targets.python to be 0 or at least 1e-6 in magnitude, received 1e-310"`,
    );
  });
});

describe("resolution: no non-zero magnitude below 1e-6 where a score is computed", () => {
  it("parseCohort rejects priorities, weights, proficiencies and scale bounds of non-zero magnitude below 1e-6", () => {
    const input = withEdit((c) => {
      c.strategy.priorities.python = 1e-300;
      c.strategy.byUnit!.ops.stats = 5e-324;
      c.program.scoring = { weights: { gap: 1e-7, language: -1e-9 } };
      c.program.scale = { min: -1e-9, max: 5 };
      c.mentors[0].expertise.sql = 1e-310;
      c.mentees[0].current.sql = -0; // zero, whatever its sign
    });
    expect(formatIssues(issuesOf(input))).toMatchInlineSnapshot(`
      "strategy.priorities.python: Too small: expected strategy.priorities.python to be 0 or at least 1e-6 in magnitude, received 1e-300
      strategy.byUnit.ops.stats: Too small: expected strategy.byUnit.ops.stats to be 0 or at least 1e-6 in magnitude, received 5e-324
      mentors[0].expertise.sql: Too small: expected expertise.sql to be 0 or at least 1e-6 in magnitude, received 1e-310
      program.scale.min: Too small: expected program.scale.min to be 0 or at least 1e-6 in magnitude, received -1e-9
      program.scoring.weights.gap: Too small: expected program.scoring.weights.gap to be 0 or at least 1e-6 in magnitude, received 1e-7
      program.scoring.weights.language: Too small: expected program.scoring.weights.language to be >= 0"
    `);
  });

  it("parseCohort accepts 1e-6 and a scale of [-1e6, 1e6] with proficiencies at both ends", () => {
    const input = withEdit((c) => {
      c.strategy.priorities.python = 1e-6;
      c.program.scoring = { weights: { gap: 1e-6, timezone: 1e-6 } };
      c.program.scale = { min: -1e6, max: 1e6 };
      c.mentees[0].current.sql = -1e-6;
      c.mentees[0].targets.sql = 1e6;
      c.program.lockedPairs = [];
    });
    expect(found(input)).toEqual([]);
  });

  it("match never meets the engine's score-scale limit on a valid cohort (1e-300 priorities used to reach it)", () => {
    // The engine needs the largest score to be 0 or >= 1e-200 (docs/ENGINE.md). At the
    // resolution, every positive score is far above that.
    const input = withEdit((c) => {
      c.strategy.priorities = { sql: 1e-6, python: 1e-6 };
      c.strategy.byUnit = { ops: { python: 1e-6, stats: 1e-6 } };
      c.program.scoring = { weights: { gap: 1e-6 } };
      c.mentees[1].current = { python: 1e-6 };
      c.mentees[1].targets = { python: 1e-6 + 2 ** -72 };
      c.mentors[0].expertise = { sql: 5, python: 5 };
    });
    const cohort = parseCohort(input);
    const scorer = createScorer(cohort.view);
    const out = new Float64Array(cohort.view.mentors.count);
    let smallest = Infinity;
    for (let i = 0; i < cohort.view.mentees.count; i++) {
      scorer.scoreRow(i, out);
      for (const x of out) if (x > 0) smallest = Math.min(smallest, x);
    }
    expect(smallest).toBeGreaterThan(1e-50);
    expect(() => match(cohort)).not.toThrow();
  });
});

describe("limits on sizes", () => {
  it("parseCohort rejects more than 10,000 skills and more than 1,000 tiers", () => {
    const input = withEdit((c) => {
      c.skills.push(...Array.from({ length: INPUT_LIMITS.skills }, (_, k) => ({ id: `s${k}` })));
      c.program.tiers.push(
        ...Array.from({ length: INPUT_LIMITS.tiers }, (_, k) => ({ id: `t${k}` })),
      );
    });
    expect(formatIssues(issuesOf(input))).toMatchInlineSnapshot(`
      "skills: Too big: expected skills to have at most 10000 items
      program.tiers: Too big: expected program.tiers to have at most 1000 items"
    `);
  });

  it("parseCohort rejects a person's list or a tier's trainingRequired longer than 1,000 items", () => {
    const many = Array.from({ length: INPUT_LIMITS.listItems + 1 }, (_, k) => `x${k}`);
    const input = withEdit((c) => {
      c.mentees[0].languages = many;
      c.mentors[1].careerPaths = many;
      c.mentors[1].training = many.map((id) => ({ id }));
      c.program.tiers[1].trainingRequired = many;
    });
    expect(found(input)).toEqual([
      ["too_big", "mentees.0.languages"],
      ["too_big", "mentors.1.training"],
      ["too_big", "mentors.1.careerPaths"],
      ["too_big", "program.tiers.1.trainingRequired"],
    ]);
  });

  it("parseCohort rejects (mentees + mentors) × (skills + attributes) above 2^27 cells (the indexed tables)", () => {
    const skills = INPUT_LIMITS.skills;
    const people = Math.floor(INPUT_LIMITS.tableCells / skills) + 1; // 13,422
    const input = withEdit((c) => {
      c.skills = Array.from({ length: skills - 3 }, (_, k) => ({ id: `s${k}` }));
      c.skills.push({ id: "sql" }, { id: "python" }, { id: "stats" });
      const template = { ...c.mentees[0], pastMentors: [], sensitive: undefined };
      for (let k = c.mentees.length + c.mentors.length; k < people; k++)
        c.mentees.push({ ...template, id: `x${k}` });
    });
    expect(issuesOf(input).map((i) => [i.code, i.location, i.message])).toEqual([
      [
        "too_big",
        { kind: "path", path: [] },
        `Too big: expected (mentees + mentors) × (skills + sensitive attributes) to be <= 134217728, received ${people} × (10000 + 2) = ${people * 10002}; declare fewer skills or split the cohort`,
      ],
    ]);
  });
});

describe("a cohort at every limit", () => {
  /** One mentee and one mentor with every score-feeding number at its limit, over S skills. */
  function atLimits(form: "absolute" | "normalized"): CohortInput {
    const L = INPUT_LIMITS;
    const ids = Array.from({ length: L.skills }, (_, k) => `s${k}`);
    const all = (v: number) => Object.fromEntries(ids.map((id) => [id, v]));
    return {
      skills: ids.map((id) => ({ id })),
      strategy: { priorities: all(L.weight), byUnit: { u: all(L.weight) } },
      mentees: [
        {
          id: "e",
          department: "a",
          unit: "u",
          level: 0,
          tenureMonths: 0,
          utcOffset: 0,
          languages: ["en"],
          aspirations: ["lead"],
          preferredMentors: ["m"],
          roundsUnmatched: L.count,
          maxMentors: L.count,
          current: all(-L.proficiency),
          targets: all(L.proficiency),
        },
      ],
      mentors: [
        {
          id: "m",
          department: "b",
          level: 1,
          tenureMonths: 0,
          utcOffset: 0,
          languages: ["en"],
          careerPaths: ["lead"],
          tier: "t",
          capacity: L.count,
          expertise: all(L.proficiency),
        },
      ],
      program: {
        scale: { min: -L.proficiency, max: L.proficiency },
        tiers: [{ id: "t" }],
        scoring: {
          form,
          weights: {
            gap: L.weight,
            crossDepartment: L.weight,
            preference: L.weight,
            aspiration: L.weight,
            timezone: L.weight,
            language: L.weight,
            unmatchedBoost: L.weight,
          },
        },
      },
    };
  }

  it("scores every pair finite and far below 1e200: about 2e22 at most (absolute form)", () => {
    const { view } = parseCohort(atLimits("absolute"));
    const scorer = createScorer(view);
    const out = new Float64Array(1);
    scorer.scoreRow(0, out);
    // gap 1e6 · Σ 10,000 skills · priority 1e6 · covered 2e6, five optional terms at 1e6,
    // boost 1e6 · 1e6 rounds.
    const bound = 1e6 * 1e4 * 1e6 * 2e6 + 5e6 + 1e12;
    expect(out[0]).toBeCloseTo(bound, -10);
    expect(Number.isFinite(out[0]) && out[0] < 1e200).toBe(true);
    expect(scorer.score(0, 0)).toBe(out[0]);
    expect(scorer.explain(0, 0).total).toBe(out[0]);
    expect(scorer.rowUpperBound(0)).toBeLessThan(1e23);
    expect(scorer.explain(0, 0).menteeWeightedGap).toBeLessThan(1e23);
  });

  it("scores every pair finite at the limits in the normalized form too (gap term at most weights.gap)", () => {
    const { view } = parseCohort(atLimits("normalized"));
    const out = new Float64Array(1);
    createScorer(view).scoreRow(0, out);
    expect(out[0]).toBeCloseTo(1e6 + 5e6 + 1e12, 0);
  });
});
