/**
 * Plain data only: a non-plain object (Date, Map, class instance, boxed number, typed array …)
 * anywhere the cohort schema reads an object is one `invalid_type` issue at its path that says
 * what was received, never a silent `{}`; a value that throws when read is an issue, never an
 * exception.
 */
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { parseCohort, safeParseCohort } from "../../src/cohort/parse.js";
import type { Issue } from "../../src/schema/errors.js";
import { CohortInputSchema } from "../../src/schema/input.js";
import { isPlainObject, plainInput } from "../../src/schema/plain.js";
import { sampleCohort } from "./fixture.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

class Team {
  analytics = true;
}

/** Non-plain objects and how messages name them. */
const NON_PLAIN: [string, () => unknown, string][] = [
  ["Date", () => new Date(0), "a Date"],
  ["Map", () => new Map([["analytics", true]]), "a Map"],
  ["class instance", () => new Team(), "an instance of Team"],
  ["boxed number", () => new Number(3), "a boxed number (new Number(…))"],
  [
    "object with a custom prototype",
    () => Object.create({ analytics: true }),
    "an object with a custom prototype",
  ],
];

/** Every kind of place the schema reads an object: [name, path, put the value there]. */
const OBJECT_PLACES: [string, (string | number)[], (c: Loose, v: unknown) => void][] = [
  ["mentees[0].consent", ["mentees", 0, "consent"], (c, v) => (c.mentees[0].consent = v)],
  [
    "program.scoring.weights",
    ["program", "scoring", "weights"],
    (c, v) => (c.program.scoring = { weights: v }),
  ],
  ["program.scoring", ["program", "scoring"], (c, v) => (c.program.scoring = v)],
  ["program.rules", ["program", "rules"], (c, v) => (c.program.rules = v)],
  ["program.scale", ["program", "scale"], (c, v) => (c.program.scale = v)],
  [
    "program.tiers[1].levelGap",
    ["program", "tiers", 1, "levelGap"],
    (c, v) => (c.program.tiers[1].levelGap = v),
  ],
  ["strategy", ["strategy"], (c, v) => (c.strategy = v)],
  ["strategy.priorities", ["strategy", "priorities"], (c, v) => (c.strategy.priorities = v)],
  ["strategy.byUnit.ops", ["strategy", "byUnit", "ops"], (c, v) => (c.strategy.byUnit.ops = v)],
  ["mentees[0].current", ["mentees", 0, "current"], (c, v) => (c.mentees[0].current = v)],
  ["mentors[1].sensitive", ["mentors", 1, "sensitive"], (c, v) => (c.mentors[1].sensitive = v)],
  ["skills[2]", ["skills", 2], (c, v) => (c.skills[2] = v)],
  [
    "mentors[0].training[0]",
    ["mentors", 0, "training", 0],
    (c, v) => (c.mentors[0].training[0] = v),
  ],
  [
    "program.forbiddenPairs[0]",
    ["program", "forbiddenPairs", 0],
    (c, v) => (c.program.forbiddenPairs[0] = v),
  ],
  ["program.equity[0]", ["program", "equity", 0], (c, v) => (c.program.equity[0] = v)],
];

function issuesOf(input: unknown): readonly Issue[] {
  const r = safeParseCohort(input);
  return r.ok ? [] : r.issues;
}

function pathOf(issue: Issue): (string | number)[] {
  return issue.location.kind === "path" ? [...issue.location.path] : [];
}

describe("parseCohort: non-plain objects where the schema reads an object", () => {
  for (const [place, path, put] of OBJECT_PLACES) {
    for (const [kind, make, named] of NON_PLAIN) {
      it(`parseCohort rejects a ${kind} as ${place} with one invalid_type issue there`, () => {
        const input = sampleCohort() as Loose;
        put(input, make());
        const issues = issuesOf(input);
        const here = issues.filter((i) => pathOf(i).join(".") === path.join("."));
        expect(here).toHaveLength(1);
        expect(here[0].code).toBe("invalid_type");
        expect(here[0].message).toContain("to be an object, received ");
        expect(here[0].message).toContain(named);
        // Nothing is reported beneath it (no "missing id" for the fields of a Date).
        const beneath = issues.filter((i) => {
          const p = pathOf(i);
          return p.length > path.length && path.every((s, k) => p[k] === s);
        });
        expect(beneath).toEqual([]);
      });
    }
  }

  it("parseCohort rejects a Date as consent and as scoring.weights (they used to parse as {})", () => {
    const input = sampleCohort() as Loose;
    input.mentees[0].consent = new Date();
    input.program.scoring = { weights: new Date() };
    expect(issuesOf(input)).toEqual([
      {
        code: "invalid_type",
        location: { kind: "path", path: ["mentees", 0, "consent"] },
        message: "Invalid type: expected consent to be an object, received a Date",
        expected: "an object",
        received: "a Date",
      },
      {
        code: "invalid_type",
        location: { kind: "path", path: ["program", "scoring", "weights"] },
        message: "Invalid type: expected program.scoring.weights to be an object, received a Date",
        expected: "an object",
        received: "a Date",
      },
    ]);
  });

  it("parseCohort rejects a non-plain root input, naming what it received", () => {
    expect(issuesOf(new Date()).map((i) => [i.code, pathOf(i), i.message])).toEqual([
      ["invalid_type", [], "Invalid type: expected input to be an object, received a Date"],
    ]);
    expect(issuesOf(new (class Cohort {})())[0].message).toBe(
      "Invalid type: expected input to be an object, received an instance of Cohort",
    );
  });

  it("parseCohort rejects an array where a record is expected", () => {
    const input = sampleCohort() as Loose;
    input.mentees[0].targets = [3, 2];
    expect(issuesOf(input).map((i) => [i.code, pathOf(i), i.message])).toEqual([
      [
        "invalid_type",
        ["mentees", 0, "targets"],
        "Invalid type: expected targets to be an object, received array",
      ],
    ]);
  });

  it("parseCohort names non-plain values given for numbers, strings and lists", () => {
    const input = sampleCohort() as Loose;
    input.mentees[0].level = new Date(0);
    input.mentors[0].training[0].completedOn = new Date(0);
    input.mentees[1].languages = new Float64Array(2);
    input.program.scoring = { weights: { gap: new Number(2) } };
    expect(issuesOf(input).map((i) => i.message)).toEqual([
      "Invalid type: expected level to be a number, received a Date",
      "Invalid type: expected languages to be an array, received a Float64Array",
      "Invalid type: expected completedOn to be a string, received a Date",
      "Invalid type: expected program.scoring.weights.gap to be a number, received a boxed number (new Number(…))",
    ]);
  });

  it("parseCohort reports a non-plain value in a record under a __proto__ key at that key", () => {
    const input = sampleCohort() as Loose;
    const byUnit = JSON.parse('{ "__proto__": { "sql": 1 } }');
    Object.defineProperty(byUnit, "__proto__", { value: new Map(), enumerable: true });
    input.strategy.byUnit = byUnit;
    expect(issuesOf(input).map((i) => [i.code, pathOf(i), i.message])).toEqual([
      [
        "invalid_type",
        ["strategy", "byUnit", "__proto__"],
        "Invalid type: expected strategy.byUnit.__proto__ to be an object, received a Map",
      ],
    ]);
  });

  it("parseCohort reports only the unknown key when its value is a Date", () => {
    const input = sampleCohort() as Loose;
    input.mentees[0].colour = new Date();
    expect(issuesOf(input).map((i) => [i.code, pathOf(i)])).toEqual([
      ["unrecognized_key", ["mentees", 0, "colour"]],
    ]);
  });

  it("parseCohort still salvages the rest of a record whose consent is a Date", () => {
    const input = sampleCohort() as Loose;
    input.mentees[0].consent = new Date();
    input.mentees[0].current.nope = 1;
    expect(issuesOf(input).map((i) => [i.code, pathOf(i)])).toEqual([
      ["invalid_type", ["mentees", 0, "consent"]],
      ["unknown_skill", ["mentees", 0, "current", "nope"]],
    ]);
  });

  it("parseCohort accepts null-prototype objects and objects from another realm", () => {
    const input = sampleCohort() as Loose;
    input.mentees[0].consent = Object.assign(Object.create(null), { analytics: true });
    input.program.scoring = runInNewContext("({ weights: { gap: 2 } })");
    input.strategy.byUnit = runInNewContext("({ ops: { python: 0.5, stats: 3 } })");
    const cohort = parseCohort(input);
    expect(cohort.view.scoring.weights.gap).toBe(2);
    expect([...cohort.view.mentees.consentAnalytics]).toEqual([0, 1]);
  });

  it("parseCohort reports a getter that throws as an issue at its path, never an exception", () => {
    const input = sampleCohort() as Loose;
    Object.defineProperty(input.mentees[0], "level", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    input.program.rules = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error("trap");
        },
      },
    );
    expect(() => safeParseCohort(input)).not.toThrow();
    expect(issuesOf(input).map((i) => [i.code, pathOf(i), i.message])).toEqual([
      [
        "invalid_type",
        ["mentees", 0, "level"],
        "Invalid type: expected level to be a number, received an unreadable value (reading it threw an error)",
      ],
      [
        "invalid_type",
        ["program", "rules"],
        "Invalid type: expected program.rules to be an object, received an unreadable value (reading it threw an error)",
      ],
    ]);
  });

  it("parseCohort turns a getter that throws only on a second read into one unreadable_input issue", () => {
    const input = sampleCohort() as Loose;
    let reads = 0;
    Object.defineProperty(input.mentees[0], "level", {
      enumerable: true,
      get() {
        if (++reads > 1) throw new TypeError("second read");
        return 2;
      },
    });
    expect(issuesOf(input)).toEqual([
      {
        code: "unreadable_input",
        location: { kind: "path", path: [] },
        message:
          "Unreadable input: reading it threw an error (TypeError); pass plain data, such as the output of JSON.parse",
      },
    ]);
  });

  it("parseCohort never writes to an input holding non-plain objects", () => {
    const input = sampleCohort() as Loose;
    const date = new Date(0);
    input.mentees[0].consent = date;
    input.strategy.byUnit.ops = new Map();
    const before = { ...input, mentees: [...input.mentees] };
    Object.freeze(input);
    Object.freeze(input.mentees);
    Object.freeze(input.mentees[0]);
    expect(issuesOf(input)).toHaveLength(2);
    expect(input.mentees[0].consent).toBe(date);
    expect(input.strategy.byUnit.ops).toBeInstanceOf(Map);
    expect(input).toEqual(before);
  });
});

describe("plainInput(schema, input)", () => {
  it("plainInput returns a plain input itself, without copying", () => {
    const input = sampleCohort();
    expect(plainInput(CohortInputSchema, input)).toBe(input);
  });

  it("plainInput copies only the path to a replaced value", () => {
    const input = sampleCohort() as Loose;
    input.mentees[1].consent = new Date();
    const out = plainInput(CohortInputSchema, input) as Loose;
    expect(out).not.toBe(input);
    expect(out.mentees).not.toBe(input.mentees);
    expect(out.mentees[1]).not.toBe(input.mentees[1]);
    expect(out.mentees[0]).toBe(input.mentees[0]);
    expect(out.mentors).toBe(input.mentors);
    expect(out.program).toBe(input.program);
    expect(input.mentees[1].consent).toBeInstanceOf(Date);
  });

  it("isPlainObject accepts literals, null prototypes and other realms only", () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(runInNewContext("({})"))).toBe(true);
    expect(isPlainObject(JSON.parse('{"constructor": 1}'))).toBe(true);
    for (const v of [
      [],
      new Date(),
      new Map(),
      new Team(),
      new Number(1),
      runInNewContext("new Date()"),
    ])
      expect(isPlainObject(v)).toBe(false);
  });
});
