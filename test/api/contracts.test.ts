/**
 * Contracts of the public surface that are not about one algorithm: issues carry their details
 * as data beside the message, the exported defaults are what an empty options object means, and
 * options that mean nothing are gone.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SOLVE_OPTIONS,
  generateCohort,
  InputError,
  match,
  parseCohort,
  solveAssignment,
  type Issue,
} from "../../src/index.js";
import { safeParseCohortCsv, writeCohortCsv } from "../../src/node/index.js";
import { createScorer, scoreMatrix } from "../../src/score/index.js";

function issuesOf(f: () => unknown): readonly Issue[] {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.issues;
    throw e;
  }
  throw new Error("expected an InputError");
}

const at = (issues: readonly Issue[], path: string) =>
  issues.find((i) => i.location.kind === "path" && i.location.path.join(".") === path)!;

describe("issues carry their details beside the message", () => {
  it("limits, what was expected and what was received", () => {
    const input = generateCohort({ mentees: 4, mentors: 2, seed: 2 });
    input.mentors[0].capacity = -1;
    input.mentors[1].capacity = 2.5;
    input.mentees[0].tiers = ["gold"];
    input.mentees[1].targets = {
      ...input.mentees[1].targets,
      [Object.keys(input.mentees[1].targets)[0]]: 9,
    };
    (input.program as unknown as Record<string, unknown>).scoring = { form: "sideways" };
    const issues = issuesOf(() => parseCohort(input));
    expect(at(issues, "mentors.0.capacity")).toMatchObject({
      code: "too_small",
      minimum: 0,
      received: -1,
    });
    expect(at(issues, "mentors.1.capacity")).toMatchObject({
      code: "invalid_type",
      expected: "an integer",
      received: "a fractional number",
    });
    expect(at(issues, "mentees.0.tiers.0")).toMatchObject({
      code: "unknown_tier",
      received: "gold",
    });
    const offScale = issues.find((i) => i.code === "off_scale")!;
    expect(offScale).toMatchObject({ minimum: 0, maximum: 5, received: 9 });
    expect(at(issues, "program.scoring.form")).toMatchObject({
      code: "invalid_value",
      allowed: ["absolute", "normalized"],
    });
  });

  it("options: what was expected, and the options there are", () => {
    const issues = issuesOf(() =>
      solveAssignment({ scores: [[1]] }, { timeLimitMs: -1, timelimitMs: 5 } as never),
    );
    expect(at(issues, "timeLimitMs")).toMatchObject({
      code: "invalid_option",
      expected: "a number of milliseconds >= 0 (or Infinity)",
      received: -1,
    });
    expect(at(issues, "timelimitMs")).toMatchObject({ code: "unknown_option" });
    expect(at(issues, "timelimitMs").allowed).toContain("timeLimitMs");
  });
});

describe("exported defaults", () => {
  const drop = (r: object) => JSON.stringify({ ...r, stats: undefined });
  it("DEFAULT_SOLVE_OPTIONS is what no options mean, for the engine and for match", () => {
    const problem = {
      scores: [
        [3, 1, 2],
        [2, 2, 0],
        [1, 3, 3],
      ],
      colMax: 2,
    };
    expect(drop(solveAssignment(problem, DEFAULT_SOLVE_OPTIONS))).toBe(
      drop(solveAssignment(problem)),
    );
    const cohort = parseCohort(generateCohort({ mentees: 30, mentors: 8, seed: 5 }));
    expect(drop(match(cohort, DEFAULT_SOLVE_OPTIONS))).toBe(drop(match(cohort)));
    expect(Object.isFrozen(DEFAULT_SOLVE_OPTIONS)).toBe(true);
  });

  it("seed is not an option or a program setting: it meant nothing", () => {
    const input = generateCohort({ mentees: 3, mentors: 2 });
    expect("seed" in input.program).toBe(false);
    const issues = issuesOf(() =>
      parseCohort({ ...input, program: { ...input.program, seed: 3 } }),
    );
    expect(issues.map((i) => i.code)).toEqual(["unrecognized_key"]);
  });
});

describe("details survive the CSV layer, limits say when they are exclusive", () => {
  it("a CSV cell's issue keeps expected / received / limits", () => {
    const input = generateCohort({ mentees: 4, mentors: 2, seed: 3 });
    input.mentors[0].capacity = -1;
    const files = writeCohortCsv(input);
    const read = safeParseCohortCsv({
      mentees: { text: files.mentees },
      mentors: { text: files.mentors },
      config: JSON.parse(files.config),
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.issues[0]).toMatchObject({
      code: "too_small",
      location: { kind: "csv", file: "mentors.csv", row: 2, column: "capacity" },
      minimum: 0,
      received: -1,
    });
  });

  it("an exclusive limit is marked (a penalty must be above 0)", () => {
    const input = generateCohort({ mentees: 4, mentors: 2, seed: 3 });
    input.program.equity = [
      { kind: "maxPerMentorPerGroup", attribute: "gender", max: 1, penalty: 0 },
    ];
    const issue = issuesOf(() => parseCohort(input))[0];
    expect(issue).toMatchObject({ code: "too_small", minimum: 0, exclusive: true, received: 0 });
  });

  it("a scorer of another cohort is refused by the scoring entry", () => {
    const a = parseCohort(generateCohort({ mentees: 4, mentors: 2, seed: 3 }));
    const b = parseCohort(generateCohort({ mentees: 5, mentors: 2, seed: 3 }));
    const issues = issuesOf(() => scoreMatrix(a, { scorer: createScorer(b) }));
    expect(issues[0]).toMatchObject({ code: "invalid_option", location: { path: ["scorer"] } });
  });
});
