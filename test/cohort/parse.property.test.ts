import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parseCohort, safeParseCohort } from "../../src/cohort/parse.js";
import { InputError } from "../../src/schema/errors.js";
import type { CohortInput } from "../../src/schema/input.js";
import { validCohortArb } from "../arbitraries/cohort.js";

type Path = (string | number)[];

/** A field set to a value its schema rejects. */
interface Corruption {
  readonly path: Path;
  readonly value: unknown;
}

/** Every corruption that applies to `input`: each replaces one field (or adds one unknown key)
 * with a value the schema rejects on its own, so exactly one issue must be reported. */
function corruptions(input: CohortInput): Corruption[] {
  const out: Corruption[] = [];
  const add = (path: Path, values: unknown[]) =>
    values.forEach((value) => out.push({ path, value }));
  const skillIds = input.skills.map((s) => s.id);
  add(["bogus"], [1]);
  add(["skills", 0, "label"], [7, null]);
  add(["strategy", "priorities", skillIds[0]], [-1, NaN, "high"]);
  input.mentees.forEach((_, i) => {
    add(["mentees", i, "level"], [-1, 1.5, "3", NaN, 101]);
    add(["mentees", i, "tenureMonths"], [-1, Infinity, null]);
    add(["mentees", i, "hoursPerMonth"], [-2]);
    add(["mentees", i, "utcOffset"], [15, -Infinity]);
    add(["mentees", i, "roundsUnmatched"], [-1, 0.5]);
    add(["mentees", i, "highPotential"], ["yes"]);
    add(["mentees", i, "languages"], ["en"]);
    add(["mentees", i, "languages", 0], ["", 3]);
    add(["mentees", i, "current", skillIds[0]], [NaN, "x"]);
    add(["mentees", i, "consent", "analytics"], [1]);
    add(["mentees", i, "favouriteColour"], ["red"]);
  });
  input.mentors.forEach((_, j) => {
    add(["mentors", j, "capacity"], [-1, 2.5, NaN]);
    add(["mentors", j, "tier"], ["", 5, " x"]);
    add(["mentors", j, "minLoad"], [-1]);
    add(["mentors", j, "training"], ["coach", {}]);
    add(["mentors", j, "expertise", skillIds[skillIds.length - 1]], [-Infinity]);
    add(["mentors", j, "sensitive", "gender"], ["", 1]);
  });
  input.program.tiers.forEach((_, t) => {
    add(["program", "tiers", t, "minHoursPerMonth"], [-1]);
    add(["program", "tiers", t, "trainingValidMonths"], [0]);
    add(["program", "tiers", t, "levelGap"], [{ min: 3, max: 1 }]);
  });
  add(["program", "seed"], [1.5]);
  add(["program", "minGroupSize"], [0]);
  add(["program", "coverageFirst"], ["no"]);
  add(["program", "asOf"], ["2025-13-01"]);
  add(["program", "scale"], [{ min: 3, max: 1 }]);
  add(["program", "scoring", "weights", "gap"], [-1, "1"]);
  add(["program", "rules", "maxUtcOffsetDiffHours"], [-3]);
  add(["program", "equity", (input.program.equity ?? []).length, "kind"], ["quota"]);
  return out;
}

/** A deep copy of `input` with `value` at `path` (an own data property, even for `__proto__`). */
function applyCorruption(input: CohortInput, { path, value }: Corruption): unknown {
  const copy = structuredClone(input) as unknown as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (let k = 0; k < path.length - 1; k++) {
    const key = path[k];
    // Create a missing container of the kind the next segment indexes.
    if (node[key] === undefined) node[key] = typeof path[k + 1] === "number" ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  Object.defineProperty(node, path[path.length - 1], {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return copy;
}

/** Fisher–Yates with fast-check-chosen swaps (reproducible from the seed). */
function permute<T>(items: readonly T[], swaps: readonly number[]): T[] {
  const a = [...items];
  for (let k = a.length - 1; k > 0; k--) {
    const r = swaps[k % Math.max(1, swaps.length)] % (k + 1);
    [a[k], a[r]] = [a[r], a[k]];
  }
  return a;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

describe("parseCohort properties", () => {
  it("safeParseCohort accepts every generated valid cohort", () => {
    fc.assert(
      fc.property(validCohortArb(), (input) => {
        const r = safeParseCohort(input);
        if (!r.ok) throw new Error(`rejected a valid cohort:\n${JSON.stringify(r.issues)}`);
      }),
      { numRuns: 150 },
    );
  });

  it("parseCohort reports a corrupted field with exactly its path, and throws only InputError", () => {
    const arb = fc.tuple(validCohortArb({ maxMentees: 4, maxMentors: 4 }), fc.nat(), fc.nat());
    fc.assert(
      fc.property(arb, ([input, pick]) => {
        const options = corruptions(input);
        const corruption = options[pick % options.length];
        const bad = applyCorruption(input, corruption);
        let thrown: unknown;
        try {
          parseCohort(bad);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(InputError);
        const issues = (thrown as InputError).issues;
        expect(issues.map((i) => i.location)).toEqual([{ kind: "path", path: corruption.path }]);
      }),
      { numRuns: 200 },
    );
  });

  it("parseCohort yields identical indexed tables for any order of mentees, mentors, skills, tiers and pairs", () => {
    const arb = fc.tuple(validCohortArb(), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }));
    fc.assert(
      fc.property(arb, ([input, swaps]) => {
        const shuffled: CohortInput = {
          ...input,
          skills: permute(input.skills, swaps),
          mentees: permute(input.mentees, swaps),
          mentors: permute(input.mentors, [...swaps].reverse()),
          program: {
            ...input.program,
            tiers: permute(input.program.tiers, swaps),
            lockedPairs: permute(input.program.lockedPairs ?? [], swaps),
            forbiddenPairs: permute(input.program.forbiddenPairs ?? [], swaps),
          },
        };
        const a = parseCohort(input);
        const b = parseCohort(shuffled);
        expect(b.view).toEqual(a.view);
        expect(b.index).toEqual(a.index);
        expect(b.sensitive).toEqual(a.sensitive);
      }),
      { numRuns: 100 },
    );
  });

  it("parseCohort never modifies its (deep-frozen) input", () => {
    fc.assert(
      fc.property(validCohortArb(), (input) => {
        const before = structuredClone(input);
        parseCohort(deepFreeze(input));
        expect(input).toEqual(before);
      }),
      { numRuns: 100 },
    );
  });
});
