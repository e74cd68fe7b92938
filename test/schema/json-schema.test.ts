import { describe, it, expect } from "vitest";
import { cohortJsonSchema } from "../../src/schema/json-schema.js";

type Node = { [key: string]: any };

describe("cohortJsonSchema()", () => {
  const schema = cohortJsonSchema() as Node;

  it("cohortJsonSchema is a draft 2020-12 object schema requiring the five top-level keys", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(["skills", "strategy", "mentees", "mentors", "program"]);
    expect(schema.additionalProperties).toBe(false);
  });

  it("cohortJsonSchema describes the input side: defaulted fields are optional", () => {
    const program = schema.properties.program;
    expect(program.required).toEqual(["tiers"]);
    expect(program.properties.scale.default).toEqual({ min: 0, max: 5 });
    expect(program.properties.tiers.minItems).toBe(1);
  });

  it("cohortJsonSchema keeps numeric bounds and id lengths", () => {
    const mentor = schema.properties.mentors.items;
    expect(mentor.required).toEqual([
      "id",
      "department",
      "level",
      "tenureMonths",
      "expertise",
      "tier",
      "capacity",
    ]);
    expect(mentor.properties.capacity).toMatchObject({ type: "integer", minimum: 0 });
    expect(mentor.properties.tenureMonths).toEqual({ type: "number", minimum: 0 });
    expect(mentor.properties.utcOffset).toEqual({ type: "number", minimum: -12, maximum: 14 });
    expect(mentor.properties.id).toEqual({ type: "string", minLength: 1, maxLength: 200 });
    expect(mentor.properties.expertise.additionalProperties).toEqual({ type: "number" });
  });

  it("cohortJsonSchema carries the scale limits (docs/MODEL.md, Limits)", () => {
    const { properties: p } = schema;
    expect(p.strategy.properties.priorities.additionalProperties).toEqual({
      type: "number",
      minimum: 0,
      maximum: 1e6,
    });
    expect(p.program.properties.scoring.properties.weights.properties.gap).toMatchObject({
      minimum: 0,
      maximum: 1e6,
    });
    expect(p.program.properties.scale.properties.min).toMatchObject({
      minimum: -1e6,
      maximum: 1e6,
    });
    expect(p.mentors.items.properties.capacity).toMatchObject({ maximum: 1e6 });
    expect(p.mentees.items.properties.languages.maxItems).toBe(1000);
    expect(p.skills.maxItems).toBe(10_000);
    expect(p.program.properties.tiers.maxItems).toBe(1000);
  });

  it("cohortJsonSchema lists every equity rule kind as a oneOf branch", () => {
    const branches = schema.properties.program.properties.equity.items.oneOf as Node[];
    expect(branches.map((b) => b.properties.kind.const)).toEqual([
      "proportionalTierAccess",
      "maxPerMentorPerGroup",
      "minFit",
      "reserve",
      "minMatchRate",
      "maxMeanFitGap",
    ]);
  });

  it("cohortJsonSchema is plain JSON and each call returns an independent copy", () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    const mine = cohortJsonSchema() as Node;
    mine.required.push("extra");
    expect((cohortJsonSchema() as Node).required).not.toContain("extra");
  });
});
