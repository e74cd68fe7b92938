import { describe, it, expect } from "vitest";
import { safeParseCohort } from "../../src/cohort/parse.js";
import type { Issue } from "../../src/schema/errors.js";
import { formatIssues } from "../../src/schema/errors.js";
import type { CohortInput } from "../../src/schema/input.js";
import { sampleCohort } from "../cohort/fixture.js";

/** Issues of an input as `[code, path]`, in report order. */
function found(input: unknown): [string, (string | number)[]][] {
  const r = safeParseCohort(input);
  if (r.ok) return [];
  return r.issues.map((i: Issue) => [
    i.code,
    i.location.kind === "path" ? [...i.location.path] : [],
  ]);
}

function issues(input: unknown): readonly Issue[] {
  const r = safeParseCohort(input);
  return r.ok ? [] : r.issues;
}

/** A sample cohort edited by `edit`. */
function withEdit(edit: (c: CohortInput) => void): CohortInput {
  const c = sampleCohort();
  edit(c);
  return c;
}

describe("validateCohortRecords: duplicate ids", () => {
  it("the sample cohort is valid (baseline for every test below)", () => {
    expect(found(sampleCohort())).toEqual([]);
  });

  it("parseCohort reports a duplicate mentor id at mentors[2].id", () => {
    const input = withEdit((c) => c.mentors.push({ ...c.mentors[0] }));
    expect(found(input)).toEqual([["duplicate_id", ["mentors", 2, "id"]]]);
    expect(issues(input)[0].message).toMatchInlineSnapshot(
      `"Duplicate id: mentor id "r2" is already used by mentors[0]; ids must be unique"`,
    );
  });

  it("parseCohort reports a duplicate mentee id at mentees[2].id", () => {
    const input = withEdit((c) => c.mentees.push({ ...c.mentees[1], preferredMentors: [] }));
    expect(found(input)).toEqual([["duplicate_id", ["mentees", 2, "id"]]]);
  });

  it("parseCohort reports a duplicate skill id at skills[3].id", () => {
    const input = withEdit((c) => c.skills.push({ id: "sql" }));
    expect(found(input)).toEqual([["duplicate_id", ["skills", 3, "id"]]]);
  });

  it("parseCohort reports a duplicate tier id at program.tiers[2].id", () => {
    const input = withEdit((c) => c.program.tiers.push({ id: "peer" }));
    expect(found(input)).toEqual([["duplicate_id", ["program", "tiers", 2, "id"]]]);
  });
});

describe("validateCohortRecords: unknown references", () => {
  it("parseCohort reports unknown skills in current, targets, expertise and strategy at the key", () => {
    const input = withEdit((c) => {
      c.mentees[0].current.sqll = 1;
      c.mentees[1].targets.rust = 3;
      c.mentors[1].expertise.go = 2;
      c.strategy.priorities.java = 1;
      c.strategy.byUnit!.ops.cobol = 1;
    });
    expect(found(input)).toEqual([
      ["unknown_skill", ["strategy", "priorities", "java"]],
      ["unknown_skill", ["strategy", "byUnit", "ops", "cobol"]],
      ["unknown_skill", ["mentees", 0, "current", "sqll"]],
      ["unknown_skill", ["mentees", 1, "targets", "rust"]],
      ["unknown_skill", ["mentors", 1, "expertise", "go"]],
    ]);
    expect(issues(input)[2].message).toMatchInlineSnapshot(
      `"Unknown skill: "sqll" is not declared in skills; declare it or fix the id"`,
    );
  });

  it("parseCohort reports unknown tiers in mentee.tiers, mentor.tier and equity rules", () => {
    const input = withEdit((c) => {
      c.mentees[1].tiers = ["senior", "expert"];
      c.mentors[0].tier = "senoir";
      c.program.equity = [
        { kind: "proportionalTierAccess", attribute: "gender", tier: "principal" },
      ];
      c.program.lockedPairs = [];
    });
    expect(found(input)).toEqual([
      ["unknown_tier", ["mentees", 1, "tiers", 1]],
      ["unknown_tier", ["mentors", 0, "tier"]],
      ["unknown_tier", ["program", "equity", 0, "tier"]],
    ]);
  });

  it("parseCohort reports unknown mentor ids in preferredMentors, excludedMentors and pastMentors", () => {
    const input = withEdit((c) => {
      c.mentees[0].preferredMentors = ["r1", "nobody"];
      c.mentees[0].excludedMentors = ["ghost"];
      c.mentees[1].pastMentors = ["r0"];
    });
    expect(found(input)).toEqual([
      ["unknown_mentor", ["mentees", 0, "preferredMentors", 1]],
      ["unknown_mentor", ["mentees", 0, "excludedMentors", 0]],
      ["unknown_mentor", ["mentees", 1, "pastMentors", 0]],
    ]);
  });

  it("parseCohort reports unknown mentee ids in mentor.excludedMentees", () => {
    const input = withEdit((c) => (c.mentors[1].excludedMentees = ["e1", "e9"]));
    expect(found(input)).toEqual([["unknown_mentee", ["mentors", 1, "excludedMentees", 1]]]);
  });

  it("parseCohort reports locked and forbidden pairs naming unknown ids at the id", () => {
    const input = withEdit((c) => {
      c.program.lockedPairs = [{ mentee: "e7", mentor: "r2" }];
      c.program.forbiddenPairs = [{ mentee: "e1", mentor: "r7" }];
    });
    expect(found(input)).toEqual([
      ["unknown_mentor", ["program", "forbiddenPairs", 0, "mentor"]],
      ["unknown_mentee", ["program", "lockedPairs", 0, "mentee"]],
    ]);
  });

  it("parseCohort does not call a reference unknown when the record it names failed its schema", () => {
    // r2 has a bad capacity; the locked pair and preferences naming r2 are not "unknown".
    const input = withEdit((c) => (c.mentors[0].capacity = -2));
    expect(found(input)).toEqual([["too_small", ["mentors", 0, "capacity"]]]);
  });
});

describe("validateCohortRecords: locked and forbidden pairs", () => {
  it("parseCohort reports a pair both locked and forbidden at program.lockedPairs[k]", () => {
    const input = withEdit((c) => c.program.forbiddenPairs!.push({ mentee: "e1", mentor: "r2" }));
    expect(found(input)).toEqual([["locked_and_forbidden", ["program", "lockedPairs", 0]]]);
    expect(issues(input)[0].message).toMatchInlineSnapshot(
      `"Conflicting pair: mentee "e1" and mentor "r2" are locked here and forbidden at program.forbiddenPairs[1]; remove one of them"`,
    );
  });

  it("parseCohort reports a duplicate locked pair at the second occurrence", () => {
    const input = withEdit((c) => c.program.lockedPairs!.push({ mentee: "e1", mentor: "r2" }));
    expect(found(input)).toEqual([["duplicate_pair", ["program", "lockedPairs", 1]]]);
  });

  it("parseCohort reports a locked pair of one person with themself (same id as mentee and mentor)", () => {
    const input = withEdit((c) => {
      c.mentors.push({ ...c.mentors[1], id: "e1", minLoad: 0 });
      c.program.lockedPairs = [{ mentee: "e1", mentor: "e1" }];
    });
    expect(found(input)).toEqual([["self_pair", ["program", "lockedPairs", 0]]]);
  });

  it("parseCohort reports more locked pairs on a mentee than its maxMentors (default 1)", () => {
    const input = withEdit((c) => {
      c.program.lockedPairs = [
        { mentee: "e2", mentor: "r1" },
        { mentee: "e2", mentor: "r2" },
      ];
      c.program.forbiddenPairs = [];
    });
    expect(found(input)).toEqual([["too_many_locked", ["program", "lockedPairs", 1]]]);
    expect(issues(input)[0].message).toMatchInlineSnapshot(
      `"Too many locked pairs: mentee "e2" has 2 locked pairs but maxMentors is 1; raise maxMentors or unlock a pair"`,
    );
  });

  it("parseCohort reports more locked pairs on a mentor than its capacity", () => {
    const input = withEdit((c) => {
      c.mentors[1].minLoad = 0;
      c.mentors[1].capacity = 0;
      c.program.lockedPairs = [{ mentee: "e2", mentor: "r1" }];
    });
    expect(found(input)).toEqual([["too_many_locked", ["program", "lockedPairs", 0]]]);
  });

  it("parseCohort reports a locked pair that breaks eligibility, with the reason", () => {
    const input = withEdit((c) => (c.mentors[0].level = 2)); // senior tier wants a gap >= 2
    expect(found(input)).toEqual([["locked_pair_ineligible", ["program", "lockedPairs", 0]]]);
    expect(issues(input)[0].message).toMatchInlineSnapshot(
      `"Ineligible locked pair: mentee "e1" and mentor "r2" fail the "level_gap" rule (their level gap is outside the tier's levelGap window); fix the data or unlock the pair"`,
    );
  });

  it("parseCohort rejects a locked pair whose required training expired before program.asOf", () => {
    const input = withEdit((c) => (c.program.asOf = "2025-06-02")); // coach done 2024-06-01
    expect(found(input)).toEqual([["locked_pair_ineligible", ["program", "lockedPairs", 0]]]);
    expect(issues(input)[0].message).toContain('"training"');
  });
});

describe("validateCohortRecords: values against other fields", () => {
  it("parseCohort reports a target below the current proficiency at targets.<skill>", () => {
    const input = withEdit((c) => (c.mentees[0].targets.sql = 0.5));
    expect(found(input)).toEqual([["target_below_current", ["mentees", 0, "targets", "sql"]]]);
    expect(issues(input)[0].message).toMatchInlineSnapshot(
      `"Target below current: expected targets.sql to be >= the current proficiency 1, received 0.5"`,
    );
  });

  it("parseCohort reports proficiency and expertise off program.scale at the skill", () => {
    const input = withEdit((c) => {
      c.program.scale = { min: 1, max: 4 };
      c.mentees[0].targets.python = 4.5;
      c.mentors[0].expertise.sql = 0;
    });
    expect(found(input)).toEqual([
      ["off_scale", ["mentees", 0, "targets", "python"]],
      ["off_scale", ["mentors", 0, "expertise", "sql"]],
    ]);
    expect(issues(input)[1].message).toMatchInlineSnapshot(
      `"Off scale: expected expertise.sql to be within program.scale [1, 4], received 0"`,
    );
  });

  it("parseCohort reports capacity below minLoad at mentors[j].minLoad", () => {
    const input = withEdit((c) => (c.mentors[1].minLoad = 3));
    expect(found(input)).toEqual([["min_load_above_capacity", ["mentors", 1, "minLoad"]]]);
  });

  it("parseCohort reports minMentors above maxMentors, counting the default maxMentors of 1", () => {
    const input = withEdit((c) => {
      c.mentees[0].minMentors = 2; // maxMentors defaults to 1
      c.mentees[1].minMentors = 3;
    });
    expect(found(input)).toEqual([
      ["min_mentors_above_max", ["mentees", 0, "minMentors"]],
      ["min_mentors_above_max", ["mentees", 1, "minMentors"]],
    ]);
    expect(issues(input)[0].message).toMatchInlineSnapshot(
      `"Min above max: expected minMentors to be <= maxMentors 1 (the default), received 2"`,
    );
  });

  it("parseCohort reports trainingValidMonths without program.asOf", () => {
    const input = withEdit((c) => delete c.program.asOf);
    expect(found(input)).toEqual([
      ["missing_as_of", ["program", "tiers", 0, "trainingValidMonths"]],
    ]);
  });
});

describe("validateCohortRecords: equity rules", () => {
  it("parseCohort reports an equity rule on a sensitive attribute no mentee states", () => {
    const input = withEdit((c) => {
      c.program.equity = [
        { kind: "maxMeanFitGap", attribute: "gender", maxGap: 1 },
        { kind: "maxMeanFitGap", attribute: "age", maxGap: 1 },
        { kind: "maxPerMentorPerGroup", attribute: "gendr", max: 1 },
      ];
    });
    expect(found(input)).toEqual([
      ["unknown_attribute", ["program", "equity", 1, "attribute"]],
      ["unknown_attribute", ["program", "equity", 2, "attribute"]],
    ]);
  });

  it("parseCohort accepts department and unit only for maxPerMentorPerGroup", () => {
    const input = withEdit((c) => {
      c.program.equity = [
        { kind: "maxPerMentorPerGroup", attribute: "department", max: 1 },
        { kind: "maxPerMentorPerGroup", attribute: "unit", max: 1 },
        { kind: "proportionalTierAccess", attribute: "unit", tier: "senior" },
      ];
    });
    expect(found(input)).toEqual([["unknown_attribute", ["program", "equity", 2, "attribute"]]]);
  });
});

describe("parseCohort reports every issue at once", () => {
  it("parseCohort reports schema issues and cross-record issues from different records together", () => {
    const input = withEdit((c) => {
      c.mentees[0].level = -1; // schema
      c.mentees[0].current.sqll = 1; // cross-record, same (failed) record
      c.mentors[1].expertise.go = 2; // cross-record, another record
      c.mentors.push({ ...c.mentors[0] }); // duplicate id
    });
    const r = safeParseCohort(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatIssues(r.issues)).toMatchInlineSnapshot(`
      "mentees[0].level: Too small: expected level to be >= 0
      mentors[2].id: Duplicate id: mentor id "r2" is already used by mentors[0]; ids must be unique
      mentees[0].current.sqll: Unknown skill: "sqll" is not declared in skills; declare it or fix the id
      mentors[1].expertise.go: Unknown skill: "go" is not declared in skills; declare it or fix the id"
    `);
  });

  it("parseCohort reports a non-object input and non-array lists at their path", () => {
    expect(found(null)).toEqual([["invalid_type", []]]);
    expect(found(withEdit((c) => Object.assign(c, { mentees: {} })))).toEqual([
      ["invalid_type", ["mentees"]],
    ]);
  });

  it("parseCohort reports NaN and Infinity with a clear message", () => {
    const input = withEdit((c) => {
      c.mentors[0].tenureMonths = NaN;
      c.strategy.priorities.sql = Infinity;
    });
    expect(formatIssues(issues(input))).toMatchInlineSnapshot(`
      "strategy.priorities.sql: Not a finite number: expected strategy.priorities.sql to be a finite number, received Infinity
      mentors[0].tenureMonths: Not a finite number: expected tenureMonths to be a finite number, received NaN"
    `);
  });
});

describe("record keys named __proto__", () => {
  it("parseCohort validates a __proto__ key that zod would drop, at its path", () => {
    const input = withEdit((c) => {
      c.mentees[0].current = JSON.parse('{"sql": 1, "__proto__": "high"}');
      c.mentors[0].expertise = JSON.parse('{"__proto__": 3}');
    });
    expect(found(input)).toEqual([
      ["invalid_type", ["mentees", 0, "current", "__proto__"]],
      ["unknown_skill", ["mentors", 0, "expertise", "__proto__"]],
    ]);
  });
});
