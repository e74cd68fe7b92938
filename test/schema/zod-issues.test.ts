import { describe, it, expect } from "vitest";
import { z } from "zod";
import { formatIssues } from "../../src/schema/errors.js";
import {
  EquityRuleSchema,
  MentorSchema,
  ProgramSchema,
  SkillLevelsSchema,
} from "../../src/schema/input.js";
import { describeReceived, fieldName, issuesFromZod } from "../../src/schema/zod-issues.js";

const mentor = {
  id: "r1",
  department: "ops",
  level: 3,
  tenureMonths: 12,
  expertise: { sql: 4 },
  tier: "peer",
  capacity: 1,
};

/** Parses `value` with `schema` and converts the issues under `prefix`. */
function issuesOf(schema: z.ZodType, value: unknown, prefix: (string | number)[] = ["mentors", 3]) {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) throw new Error("expected the value to be invalid");
  return issuesFromZod(r.error.issues, prefix);
}

describe("fieldName(path)", () => {
  it("fieldName names the field relative to its record", () => {
    expect(fieldName(["mentors", 3, "capacity"])).toBe("capacity");
    expect(fieldName(["mentees", 0, "current", "sql"])).toBe("current.sql");
    expect(fieldName(["mentors", 1, "training", 0, "completedOn"])).toBe("completedOn");
    expect(fieldName(["mentees", 2, "languages", 1])).toBe("languages[1]");
    expect(fieldName(["program", "scale"])).toBe("program.scale");
    expect(fieldName(["mentees", 3])).toBe("mentees[3]");
    expect(fieldName(["mentees", 0, "current", "a b"])).toBe('current["a b"]');
    expect(fieldName([])).toBe("input");
  });
});

describe("describeReceived(value)", () => {
  it("describeReceived names types and special numbers, never string contents", () => {
    expect(describeReceived("secret")).toBe("string");
    expect(describeReceived(NaN)).toBe("NaN");
    expect(describeReceived(-Infinity)).toBe("-Infinity");
    expect(describeReceived(1.5)).toBe("a fractional number");
    expect(describeReceived(2 ** 60)).toBe("an integer beyond the safe range");
    expect(describeReceived(null)).toBe("null");
    expect(describeReceived([])).toBe("array");
  });
});

describe("describeReceived(value): non-plain objects", () => {
  it("describeReceived names the kind of a non-plain object, never its contents", () => {
    class Team {}
    expect(describeReceived({})).toBe("object");
    expect(describeReceived(Object.create(null))).toBe("object");
    expect(describeReceived(new Date(0))).toBe("a Date");
    expect(describeReceived(new Map())).toBe("a Map");
    expect(describeReceived(new Set())).toBe("a Set");
    expect(describeReceived(new Float64Array(1))).toBe("a Float64Array");
    expect(describeReceived(new Error("secret"))).toBe("an Error");
    expect(describeReceived(new Team())).toBe("an instance of Team");
    expect(describeReceived(new Number(1))).toBe("a boxed number (new Number(…))");
    expect(describeReceived(new String("secret"))).toBe("a boxed string (new String(…))");
    expect(describeReceived(Object.create({ a: 1 }))).toBe("an object with a custom prototype");
    expect(describeReceived(() => 1)).toBe("function");
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(describeReceived(revoked.proxy)).toBe("an unreadable value (reading it threw an error)");
  });
});

describe("issuesFromZod(issues, prefix)", () => {
  it("issuesFromZod says 'Too small: expected capacity to be >= 0' for a negative capacity", () => {
    const [issue] = issuesOf(MentorSchema, { ...mentor, capacity: -1 });
    expect(issue).toEqual({
      code: "too_small",
      location: { kind: "path", path: ["mentors", 3, "capacity"] },
      message: "Too small: expected capacity to be >= 0",
      minimum: 0,
      received: -1,
    });
  });

  it("issuesFromZod reports NaN and Infinity as not finite, naming the received value", () => {
    const issues = issuesOf(MentorSchema, {
      ...mentor,
      tenureMonths: NaN,
      expertise: { sql: Infinity },
    });
    expect(formatIssues(issues)).toMatchInlineSnapshot(`
      "mentors[3].tenureMonths: Not a finite number: expected tenureMonths to be a finite number, received NaN
      mentors[3].expertise.sql: Not a finite number: expected expertise.sql to be a finite number, received Infinity"
    `);
    expect(issues.map((i) => i.code)).toEqual(["not_finite", "not_finite"]);
  });

  it("issuesFromZod distinguishes a missing field, a wrong type and a fractional integer", () => {
    const { tier: _tier, ...noTier } = mentor;
    const issues = issuesOf(MentorSchema, { ...noTier, level: "3", capacity: 1.5 });
    expect(formatIssues(issues)).toMatchInlineSnapshot(`
      "mentors[3].level: Invalid type: expected level to be a number, received string
      mentors[3].tier: Missing value: expected tier to be a string
      mentors[3].capacity: Invalid type: expected capacity to be an integer, received a fractional number"
    `);
    expect(issues.map((i) => i.code)).toEqual(["invalid_type", "required", "invalid_type"]);
  });

  it("issuesFromZod gives one unrecognized_key issue per unknown key, at the key's path", () => {
    const issues = issuesOf(MentorSchema, { ...mentor, capcity: 2, colour: "red" });
    expect(issues.map((i) => i.location)).toEqual([
      { kind: "path", path: ["mentors", 3, "capcity"] },
      { kind: "path", path: ["mentors", 3, "colour"] },
    ]);
    expect(issues[0].message).toMatchInlineSnapshot(
      `"Unknown key: "capcity" is not a field here; remove it or fix its spelling"`,
    );
  });

  it("issuesFromZod reports bad record keys as invalid_key at the key", () => {
    const issues = issuesOf(SkillLevelsSchema, { "": 1, " sql": 2 }, ["mentees", 0, "current"]);
    expect(issues.map((i) => [i.code, i.location])).toEqual([
      ["invalid_key", { kind: "path", path: ["mentees", 0, "current", ""] }],
      ["invalid_key", { kind: "path", path: ["mentees", 0, "current", " sql"] }],
    ]);
    expect(formatIssues(issues)).toMatchInlineSnapshot(`
      "mentees[0].current[""]: Too small: expected key "" to be a non-empty string
      mentees[0].current[" sql"]: Invalid value: ids must not start or end with white space"
    `);
  });

  it("issuesFromZod lists the allowed options for an enum and a discriminated union", () => {
    const form = issuesOf(ProgramSchema, { tiers: [{ id: "t" }], scoring: { form: "best" } }, [
      "program",
    ]);
    const kind = issuesOf(EquityRuleSchema, { kind: "quota" }, ["program", "equity", 0]);
    expect(formatIssues([...form, ...kind])).toMatchInlineSnapshot(`
      "program.scoring.form: Invalid option: expected program.scoring.form to be one of "absolute" | "normalized"
      program.equity[0].kind: Invalid option: expected kind to be one of "proportionalTierAccess" | "maxPerMentorPerGroup" | "minFit" | "reserve" | "minMatchRate" | "maxMeanFitGap""
    `);
  });

  it("issuesFromZod renders dates, array sizes and refinements in the same grammar", () => {
    const issues = issuesOf(
      ProgramSchema,
      {
        asOf: "2025-02-30",
        tiers: [],
        scale: { min: 5, max: 1 },
      },
      ["program"],
    );
    expect(formatIssues(issues)).toMatchInlineSnapshot(`
      "program.scale: Invalid value: scale.max must be greater than scale.min
      program.asOf: Invalid format: expected program.asOf to be an ISO date (YYYY-MM-DD)
      program.tiers: Too small: expected program.tiers to have at least 1 item"
    `);
  });

  it("issuesFromZod never echoes a string value from the input", () => {
    const issues = issuesOf(MentorSchema, { ...mentor, level: "very-secret-value" });
    expect(JSON.stringify(issues)).not.toContain("very-secret-value");
  });
});
