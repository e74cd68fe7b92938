import { describe, it, expect } from "vitest";
import { parseCohort, safeParseCohort } from "../../src/cohort/parse.js";
import type { Cohort, CsrLists } from "../../src/cohort/types.js";
import { InputError } from "../../src/schema/errors.js";
import type { CohortInput } from "../../src/schema/input.js";
import { sampleCohort } from "./fixture.js";

/** Row `r` of a CSR list as a plain array. */
function row(list: CsrLists, r: number): number[] {
  return [...list.items.subarray(list.offsets[r], list.offsets[r + 1])];
}

/** Freezes an input recursively, as a caller might. */
function freezeAll<T>(v: T): T {
  if (typeof v === "object" && v !== null) {
    Object.freeze(v);
    for (const x of Object.values(v)) freezeAll(x);
  }
  return v;
}

function names(cohort: Cohort, table: keyof Cohort["index"], codes: Iterable<number>): unknown[] {
  const t = cohort.index[table] as readonly string[];
  return [...codes].map((c) => t[c]);
}

describe("parseCohort(input): the indexed cohort", () => {
  const c = parseCohort(sampleCohort());
  const { view, index } = c;
  const [e1, e2] = [index.menteeById.get("e1")!, index.menteeById.get("e2")!];
  const [r1, r2] = [index.mentorById.get("r1")!, index.mentorById.get("r2")!];
  const skill = (id: string) => index.skillById.get(id)!;

  it("parseCohort indexes mentees and mentors in id order, not input order", () => {
    expect(index.menteeIds).toEqual(["e1", "e2"]);
    expect(index.mentorIds).toEqual(["r1", "r2"]);
    expect([e1, e2, r1, r2]).toEqual([0, 1, 0, 1]);
  });

  it("parseCohort sorts every code table", () => {
    expect(index.skillIds).toEqual(["python", "sql", "stats"]);
    expect(index.tierIds).toEqual(["peer", "senior"]);
    expect(index.persons).toEqual(["boss", "ceo", "e1", "e2", "r1", "r2"]);
    expect(index.departments).toEqual(["data", "ops"]);
    expect(index.units).toEqual(["analytics", "data", "ops"]);
    expect(index.languages).toEqual(["en", "fr"]);
    expect(index.trainings).toEqual(["coach", "old"]);
    expect(index.careerPaths).toEqual(["ic", "lead"]);
  });

  it("parseCohort stores skills row-major with scale.min for missing current and current for missing targets", () => {
    const S = view.nSkills;
    const cur = (i: number, id: string) => view.mentees.current[i * S + skill(id)];
    const tgt = (i: number, id: string) => view.mentees.target[i * S + skill(id)];
    expect([cur(e2, "sql"), tgt(e2, "sql")]).toEqual([1, 3]);
    expect([cur(e2, "python"), tgt(e2, "python")]).toEqual([0, 2]); // missing current = scale.min
    expect([cur(e1, "python"), tgt(e1, "python")]).toEqual([2, 4]);
    expect([cur(e1, "sql"), tgt(e1, "sql")]).toEqual([0, 0]); // missing target = current
    expect(view.mentors.expertise[r1 * S + skill("stats")]).toBe(4);
    expect(view.mentors.expertise[r1 * S + skill("sql")]).toBe(0);
  });

  it("parseCohort fills missing proficiency with a non-zero scale.min", () => {
    const input = sampleCohort();
    input.program.scale = { min: 1, max: 5 };
    input.mentees[0].targets.python = 2;
    const d = parseCohort(input);
    const S = d.view.nSkills;
    const i = d.index.menteeById.get("e2")!;
    const k = d.index.skillById.get("stats")!;
    expect([d.view.mentees.current[i * S + k], d.view.mentees.target[i * S + k]]).toEqual([1, 1]);
    expect([d.view.scaleMin, d.view.scaleMax]).toEqual([1, 5]);
  });

  it("parseCohort stores lists as sorted, deduplicated CSR rows of codes or indices", () => {
    expect(names(c, "languages", row(view.mentees.languages, e2))).toEqual(["en", "fr"]);
    expect(row(view.mentees.languages, e1)).toEqual([]);
    expect(names(c, "persons", row(view.mentees.managerChain, e2))).toEqual(["boss", "ceo"]);
    expect(names(c, "persons", row(view.mentors.managerChain, r1))).toEqual(["ceo"]);
    expect(row(view.mentees.preferredMentors, e1)).toEqual([r1, r2]);
    expect(row(view.mentees.pastMentors, e2)).toEqual([r1]);
    expect(names(c, "tierIds", row(view.mentees.tiersWanted, e1))).toEqual(["peer", "senior"]);
    expect(names(c, "careerPaths", row(view.mentors.careerPaths, r2))).toEqual(["ic", "lead"]);
    expect(view.mentees.languages.offsets).toHaveLength(view.mentees.count + 1);
  });

  it("parseCohort gives one person code per id, shared by a mentee and mentor with the same id", () => {
    const input = sampleCohort();
    input.mentors.push({ ...input.mentors[1], id: "e2", minLoad: 0, managerChain: [] });
    const d = parseCohort(input);
    const i = d.index.menteeById.get("e2")!;
    const j = d.index.mentorById.get("e2")!;
    expect(d.view.mentees.person[i]).toBe(d.view.mentors.person[j]);
    expect(d.index.persons[d.view.mentees.person[i]]).toBe("e2");
  });

  it("parseCohort applies person defaults: unit = department, NaN hours and offset, demand 0..1", () => {
    expect(index.units[view.mentees.unit[e2]]).toBe("ops");
    expect(index.units[view.mentees.unit[e1]]).toBe("analytics");
    expect(view.mentees.hoursPerMonth[e2]).toBeNaN();
    expect(view.mentees.utcOffset[e2]).toBeNaN();
    expect(view.mentees.utcOffset[e1]).toBe(-5);
    expect([view.mentees.minMentors[e2], view.mentees.maxMentors[e2]]).toEqual([0, 1]);
    expect(view.mentees.maxMentors[e1]).toBe(2);
    expect([view.mentors.minLoad[r1], view.mentors.minLoad[r2]]).toEqual([1, 0]);
    expect([...view.mentees.roundsUnmatched, ...view.mentees.highPotential]).toEqual([0, 0, 0, 0]);
  });

  it("parseCohort resolves priorities per unit, falling back to the global row for unlisted skills", () => {
    const S = view.nSkills;
    const u = index.units.indexOf("ops");
    const a = index.units.indexOf("analytics");
    expect([...view.priorities.global]).toEqual([2, 1, 0]); // python, sql, stats
    expect([...view.priorities.byUnit.subarray(u * S, u * S + S)]).toEqual([0.5, 1, 3]);
    expect([...view.priorities.byUnit.subarray(a * S, a * S + S)]).toEqual([2, 1, 0]);
  });

  it("parseCohort resolves tiers to TierRules indexed by tier code", () => {
    const senior = view.tiers[index.tierById.get("senior")!];
    expect(senior).toEqual({
      code: 1,
      id: "senior",
      levelGapMin: 2,
      levelGapMax: Infinity,
      trainingRequired: new Int32Array([index.trainings.indexOf("coach")]),
      minMentorTenureMonths: 0,
      minHoursPerMonth: 0,
    });
    expect(view.tiers[0]).toMatchObject({ id: "peer", levelGapMin: -1, levelGapMax: 1 });
    expect(names(c, "tierIds", view.mentors.tier)).toEqual(["peer", "senior"]);
  });

  it("parseCohort keeps only training valid as of program.asOf for the mentor's tier", () => {
    // r2 (senior, valid 12 months, asOf 2025-01-15): coach 2024-06-01 counts, old 2020-01-01 not.
    expect(names(c, "trainings", row(view.mentors.training, r2))).toEqual(["coach"]);
  });

  it("parseCohort stores locked and forbidden pairs as sorted index pairs", () => {
    expect(view.locked).toEqual([{ mentee: e1, mentor: r2 }]);
    expect(view.forbidden).toEqual([{ mentee: e2, mentor: r2 }]);
    const input = sampleCohort();
    input.program.forbiddenPairs = [
      { mentee: "e2", mentor: "r2" },
      { mentee: "e1", mentor: "r1" },
      { mentee: "e2", mentor: "r2" },
    ];
    expect(parseCohort(input).view.forbidden).toEqual([
      { mentee: 0, mentor: 0 },
      { mentee: 1, mentor: 1 },
    ]);
  });

  it("parseCohort puts sensitive attributes only in the SensitiveTable", () => {
    expect(c.sensitive.attributes).toEqual(["gender", "region"]);
    const gender = c.sensitive.mentees[0];
    expect(gender.groups).toEqual(["F", "M"]);
    expect(gender.code[e2]).toBe(0); // F
    expect(gender.code[e1]).toBe(1); // M
    expect(c.sensitive.mentors[0].code[r2]).toBe(0);
    expect(c.sensitive.mentors[0].code[r1]).toBe(-1);
    expect(c.sensitive.mentees[1].code[e1]).toBe(-1); // region not stated
    // No key or string in the scoring view mentions an attribute or a group label.
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "string") strings.push(v);
      else if (v instanceof Map)
        for (const [k, x] of v) {
          walk(k);
          walk(x);
        }
      else if (typeof v === "object" && v !== null && !ArrayBuffer.isView(v))
        for (const [k, x] of Object.entries(v)) {
          strings.push(k);
          walk(x);
        }
    };
    walk(view);
    for (const word of ["gender", "region", "south", "sensitive"])
      expect(strings).not.toContain(word);
  });

  it("parseCohort returns a frozen cohort (typed arrays are documented read-only)", () => {
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.isFrozen(view.mentees)).toBe(true);
    expect(Object.isFrozen(view.mentees.languages)).toBe(true);
    expect(Object.isFrozen(view.tiers[0])).toBe(true);
    expect(Object.isFrozen(view.locked[0])).toBe(true);
    expect(Object.isFrozen(index.menteeIds)).toBe(true);
    expect(Object.isFrozen(c.sensitive.mentees[0].groups)).toBe(true);
    expect(Object.isFrozen(c.program.scoring.weights)).toBe(true);
    expect(() => {
      (view as { nSkills: number }).nSkills = 9;
    }).toThrow(TypeError);
  });

  it("parseCohort applies program defaults and exposes the equity rules", () => {
    expect(c.program.minGroupSize).toBe(5);
    expect(c.program.rules.allowRepeatPairs).toBe(false);
    expect(view.scoring.weights.gap).toBe(1);
    expect(c.equity).toEqual([{ kind: "maxPerMentorPerGroup", attribute: "department", max: 2 }]);
    expect(c.equity).toBe(c.program.equity);
  });
});

describe("parseCohort(input): safety", () => {
  it("parseCohort never mutates the caller's input (deep-frozen input, structuredClone comparison)", () => {
    const input = sampleCohort();
    const before = structuredClone(input);
    freezeAll(input);
    expect(() => parseCohort(input)).not.toThrow();
    expect(input).toEqual(before);
  });

  it("parseCohort shares no object with the caller's input", () => {
    const input = sampleCohort();
    const c = parseCohort(input);
    expect(c.program.tiers[0]).not.toBe(input.program.tiers[0]);
    expect(Object.isFrozen(input.program.tiers[0])).toBe(false);
  });

  it("parseCohort handles ids like __proto__ and constructor as plain ids without pollution", () => {
    const input = JSON.parse(`{
      "skills": [{ "id": "__proto__" }, { "id": "constructor" }],
      "strategy": {
        "priorities": { "__proto__": 2, "constructor": 1 },
        "byUnit": { "__proto__": { "__proto__": 5 } }
      },
      "mentees": [{
        "id": "__proto__", "department": "constructor", "unit": "__proto__", "level": 1,
        "tenureMonths": 1, "current": { "__proto__": 1 }, "targets": { "__proto__": 4 },
        "sensitive": { "__proto__": "toString" }
      }],
      "mentors": [{
        "id": "constructor", "department": "hasOwnProperty", "level": 3, "tenureMonths": 9,
        "expertise": { "__proto__": 5, "constructor": 2 }, "tier": "__proto__", "capacity": 1,
        "excludedMentees": []
      }],
      "program": {
        "tiers": [{ "id": "__proto__" }],
        "lockedPairs": [{ "mentee": "__proto__", "mentor": "constructor" }],
        "equity": [{ "kind": "maxMeanFitGap", "attribute": "__proto__", "maxGap": 1 }]
      }
    }`) as CohortInput;
    const before = structuredClone(input);
    const c = parseCohort(input);
    const S = c.view.nSkills;
    const p = c.index.skillById.get("__proto__")!;
    expect(c.index.skillIds).toEqual(["__proto__", "constructor"]);
    expect(c.index.menteeById.get("__proto__")).toBe(0);
    expect(c.index.mentorById.get("constructor")).toBe(0);
    expect([c.view.mentees.current[p], c.view.mentees.target[p]]).toEqual([1, 4]);
    expect([...c.view.mentors.expertise]).toEqual([5, 2]);
    expect([...c.view.priorities.global]).toEqual([2, 1]);
    const u = c.index.units.indexOf("__proto__");
    expect([...c.view.priorities.byUnit.subarray(u * S, u * S + S)]).toEqual([5, 1]);
    expect(c.index.tierIds).toEqual(["__proto__"]);
    expect(c.view.locked).toEqual([{ mentee: 0, mentor: 0 }]);
    expect(c.sensitive.attributes).toEqual(["__proto__"]);
    expect(c.sensitive.mentees[0].groups).toEqual(["toString"]);
    expect(input).toEqual(before);
    // Nothing leaked onto Object.prototype.
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it("parseCohort throws InputError carrying every issue; safeParseCohort returns them", () => {
    const input = sampleCohort();
    input.mentors[0].capacity = -1;
    input.mentees[0].current.nope = 1;
    let caught: unknown;
    try {
      parseCohort(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    const err = caught as InputError;
    expect(err.issues.map((i) => i.code)).toEqual(["too_small", "unknown_skill"]);
    expect(err.message).toMatchInlineSnapshot(`
      "Invalid cohort: 2 issues
      mentors[0].capacity: Too small: expected capacity to be >= 0
      mentees[0].current.nope: Unknown skill: "nope" is not declared in skills; declare it or fix the id"
    `);
    const r = safeParseCohort(input);
    expect(r).toEqual({ ok: false, issues: err.issues });
  });
});

describe("parseCohort(input): wrong argument types", () => {
  it("parseCohort(undefined | null | 42 | string | array) throws InputError; safeParseCohort returns the issue", () => {
    const cases: [unknown, string][] = [
      [undefined, "(root): Missing value: expected input to be an object"],
      [null, "(root): Invalid type: expected input to be an object, received null"],
      [42, "(root): Invalid type: expected input to be an object, received number"],
      ["{}", "(root): Invalid type: expected input to be an object, received string"],
      [[], "(root): Invalid type: expected input to be an object, received array"],
    ];
    for (const [input, line] of cases) {
      expect(() => parseCohort(input)).toThrow(InputError);
      expect(() => parseCohort(input)).toThrow(`Invalid cohort: 1 issue\n${line}`);
      const r = safeParseCohort(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues).toHaveLength(1);
    }
  });
});
