import { describe, expect, it } from "vitest";
import { safeParseCohort } from "../../src/cohort/parse.js";
import { DEFAULT_GENERATE_OPTIONS, generateCohort } from "../../src/generate/cohort.js";
import { formatIssues } from "../../src/schema/errors.js";
import { ineligibleReason } from "../../src/score/eligibility.js";
import { createScorer } from "../../src/score/scorer.js";

function parsed(options: Parameters<typeof generateCohort>[0]) {
  const result = safeParseCohort(generateCohort(options));
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return result.cohort;
}

describe("generateCohort(options)", () => {
  it("same options ⇒ identical output", () => {
    const a = generateCohort({ mentees: 300, mentors: 40, seed: 42 });
    const b = generateCohort({ mentees: 300, mentors: 40, seed: 42 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("different seeds ⇒ different cohorts", () => {
    const a = JSON.stringify(generateCohort({ seed: 1 }));
    const b = JSON.stringify(generateCohort({ seed: 2 }));
    expect(a).not.toBe(b);
  });

  it("a fixed seed keeps its output across versions (golden digest)", () => {
    const input = generateCohort({ mentees: 6, mentors: 3, seed: 5 });
    expect(input.mentees.map((m) => [m.id, m.department, m.level])).toMatchInlineSnapshot(`
      [
        [
          "e001",
          "finance",
          2,
        ],
        [
          "e002",
          "data",
          3,
        ],
        [
          "e003",
          "sales",
          2,
        ],
        [
          "e004",
          "finance",
          5,
        ],
        [
          "e005",
          "engineering",
          2,
        ],
        [
          "e006",
          "engineering",
          2,
        ],
      ]
    `);
    expect(input.mentors.map((m) => [m.id, m.tier, m.level, m.capacity])).toMatchInlineSnapshot(`
      [
        [
          "m001",
          "senior",
          7,
          3,
        ],
        [
          "m002",
          "peer",
          3,
          2,
        ],
        [
          "m003",
          "peer",
          3,
          1,
        ],
      ]
    `);
  });

  it("uses the documented defaults", () => {
    const input = generateCohort();
    expect(input.mentees).toHaveLength(DEFAULT_GENERATE_OPTIONS.mentees);
    expect(input.mentors).toHaveLength(DEFAULT_GENERATE_OPTIONS.mentors);
    expect(input.skills).toHaveLength(12);
    expect(new Set(input.mentees.map((m) => m.department)).size).toBeLessThanOrEqual(5);
    expect(input.program.asOf).toBe("2025-06-01");
  });

  it("is valid for parseCohort across seeds and sizes", () => {
    const cases = [
      { mentees: 0, mentors: 0 },
      { mentees: 1, mentors: 1 },
      { mentees: 40, mentors: 12, seed: 7 },
      { mentees: 500, mentors: 60, seed: 3 },
      { mentees: 80, mentors: 10, seed: 9, skills: 20, departments: 11 },
      { mentees: 30, mentors: 6, seed: 4, skills: ["rust", "go"], departments: ["a", "b", "c"] },
      { mentees: 30, mentors: 6, seed: 0.5, skills: 1, departments: 1 },
    ];
    for (const options of cases) {
      const cohort = parsed(options);
      expect(cohort.index.menteeIds).toHaveLength(options.mentees);
      expect(cohort.index.mentorIds).toHaveLength(options.mentors);
    }
  });

  it("rejects nonsense options with a RangeError", () => {
    expect(() => generateCohort({ mentees: -1 })).toThrow(RangeError);
    expect(() => generateCohort({ mentors: 1.5 })).toThrow(RangeError);
    expect(() => generateCohort({ skills: 0 })).toThrow(RangeError);
    expect(() => generateCohort({ departments: ["a", "a"] })).toThrow(RangeError);
    expect(() => generateCohort({ asOf: "2025-02-30" })).toThrow(RangeError);
  });

  it("builds both tiers with the documented levels, capacities and training", () => {
    const input = generateCohort({ mentees: 400, mentors: 200, seed: 8 });
    const seniors = input.mentors.filter((m) => m.tier === "senior");
    const peers = input.mentors.filter((m) => m.tier === "peer");
    expect(seniors.length).toBeGreaterThan(40);
    expect(peers.length).toBeGreaterThan(80);
    for (const m of seniors) {
      expect(m.level).toBeGreaterThanOrEqual(5);
      expect(m.capacity).toBeGreaterThanOrEqual(1);
      expect(m.capacity).toBeLessThanOrEqual(3);
    }
    for (const m of peers) {
      expect(m.level).toBeLessThanOrEqual(5);
      expect(m.capacity).toBeGreaterThanOrEqual(1);
      expect(m.capacity).toBeLessThanOrEqual(5);
    }
    const trained = seniors.filter((m) => m.training?.some((t) => t.id === "mentor-basics"));
    expect(trained.length / seniors.length).toBeGreaterThan(0.7);
    expect(trained.length).toBeLessThan(seniors.length); // some seniors lack it
    expect(generateCohort({ mentees: 1, mentors: 2 }).mentors.map((m) => m.tier)).toEqual([
      "senior",
      "peer",
    ]);
  });

  it("correlates expertise with level and skills with department", () => {
    const input = generateCohort({ mentees: 2000, mentors: 400, seed: 12 });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const total = (e: Record<string, number>) => Object.values(e).reduce((a, b) => a + b, 0);
    const low = input.mentors.filter((m) => m.level <= 3).map((m) => total(m.expertise));
    const high = input.mentors.filter((m) => m.level >= 7).map((m) => total(m.expertise));
    expect(mean(high)).toBeGreaterThan(mean(low) + 2);
    const sql = (dept: string) =>
      mean(input.mentees.filter((m) => m.department === dept).map((m) => m.current.sql ?? 0));
    expect(sql("data")).toBeGreaterThan(sql("sales") + 0.5);
    // Targets sit above current proficiency.
    for (const m of input.mentees) {
      for (const [k, t] of Object.entries(m.targets)) expect(t).toBeGreaterThan(m.current[k] ?? 0);
    }
  });

  it("makes the reporting-line and time-zone rules bite", () => {
    const cohort = parsed({ mentees: 300, mentors: 40, seed: 21 });
    const counts = new Map<string, number>();
    for (let i = 0; i < cohort.view.mentees.count; i++) {
      for (let j = 0; j < cohort.view.mentors.count; j++) {
        const r = ineligibleReason(cohort.view, i, j) ?? "eligible";
        counts.set(r, (counts.get(r) ?? 0) + 1);
      }
    }
    for (const r of ["eligible", "same_reporting_line", "timezone", "level_gap", "training"]) {
      expect(counts.get(r) ?? 0, r).toBeGreaterThan(0);
    }
  });

  it("has sensitive groups of clearly different sizes", () => {
    const input = generateCohort({ mentees: 3000, mentors: 10, seed: 4 });
    const share = (attr: string, group: string) =>
      input.mentees.filter((m) => m.sensitive?.[attr] === group).length / input.mentees.length;
    expect(share("gender", "X")).toBeLessThan(0.12);
    expect(share("gender", "F")).toBeLessThan(share("gender", "M"));
    expect(share("region", "apac")).toBeLessThan(share("region", "emea"));
    expect(share("region", "emea")).toBeLessThan(share("region", "amer"));
  });

  it("scales linearly: 100,000 mentees × 10,000 mentors", () => {
    const start = performance.now();
    const input = generateCohort({ mentees: 100_000, mentors: 10_000, seed: 1 });
    const ms = performance.now() - start;
    expect(input.mentees).toHaveLength(100_000);
    expect(input.mentors).toHaveLength(10_000);
    expect(new Set(input.mentees.map((m) => m.id)).size).toBe(100_000);
    // Generous bound for loaded CI machines; typical runs take 1–3 s.
    expect(ms).toBeLessThan(30_000);
  });
});

describe("generated cohorts are feasible", () => {
  it("every mentor given a minimum load has a mentee they may be paired with (seeds 1, 2, 3, 7)", () => {
    for (const seed of [1, 2, 3, 7]) {
      const cohort = parsed({ mentees: 2000, mentors: 400, seed });
      const { mentees, mentors } = cohort.view;
      const scorer = createScorer(cohort.view);
      const eligible = new Int32Array(mentors.count);
      const out = new Float64Array(mentors.count);
      const reason = new Uint8Array(mentors.count);
      for (let i = 0; i < mentees.count; i++) {
        scorer.scoreRow(i, out, reason);
        for (let j = 0; j < mentors.count; j++) if (reason[j] === 0) eligible[j]++;
      }
      for (let j = 0; j < mentors.count; j++)
        if (mentors.minLoad[j] > 0)
          expect(eligible[j], `seed ${seed}, mentor ${cohort.index.mentorIds[j]}`).toBeGreaterThan(
            0,
          );
    }
  });
});
