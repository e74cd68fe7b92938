import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parseCohort, safeParseCohort } from "../../src/cohort/parse.js";
import { createScorer } from "../../src/score/scorer.js";
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
  add(["strategy", "priorities", skillIds[0]], [-1, NaN, "high", 1e308, 1e-300, new Number(1)]);
  add(["strategy", "priorities"], [new Map(), new Date(0)]);
  input.mentees.forEach((_, i) => {
    add(["mentees", i, "level"], [-1, 1.5, "3", NaN, 101]);
    add(["mentees", i, "tenureMonths"], [-1, Infinity, null]);
    add(["mentees", i, "hoursPerMonth"], [-2]);
    add(["mentees", i, "utcOffset"], [15, -Infinity]);
    add(["mentees", i, "roundsUnmatched"], [-1, 0.5, 2 ** 31]);
    add(["mentees", i, "maxMentors"], [2 ** 40]);
    add(["mentees", i, "highPotential"], ["yes"]);
    add(["mentees", i, "languages"], ["en"]);
    add(["mentees", i, "languages", 0], ["", 3]);
    add(["mentees", i, "current", skillIds[0]], [NaN, "x", 1e-310]);
    add(["mentees", i, "consent", "analytics"], [1]);
    add(["mentees", i, "consent"], [new Date(0), new Map(), new (class Consent {})()]);
    add(["mentees", i, "current"], [new Date(0), [1]]);
    add(["mentees", i, "aspirations"], [Array.from({ length: 1001 }, (_, k) => `a${k}`)]);
    add(["mentees", i, "favouriteColour"], ["red"]);
  });
  input.mentors.forEach((_, j) => {
    add(["mentors", j, "capacity"], [-1, 2.5, NaN, 2 ** 32]);
    add(["mentors", j, "tier"], ["", 5, " x"]);
    add(["mentors", j, "minLoad"], [-1]);
    add(["mentors", j, "training"], ["coach", {}]);
    add(["mentors", j, "expertise", skillIds[skillIds.length - 1]], [-Infinity]);
    add(["mentors", j, "sensitive", "gender"], ["", 1]);
    add(["mentors", j, "sensitive"], [new Map([["gender", "F"]])]);
  });
  input.program.tiers.forEach((_, t) => {
    add(["program", "tiers", t, "minHoursPerMonth"], [-1]);
    add(["program", "tiers", t, "trainingValidMonths"], [0]);
    add(["program", "tiers", t, "levelGap"], [{ min: 3, max: 1 }, new Date(0)]);
  });
  add(["program", "seed"], [1.5]);
  add(["program", "minGroupSize"], [0]);
  add(["program", "coverageFirst"], ["no"]);
  add(["program", "asOf"], ["2025-13-01"]);
  add(["program", "scale"], [{ min: 3, max: 1 }, new Date(0)]);
  add(["program", "scale", "max"], [1e308]);
  add(["program", "scoring", "weights", "gap"], [-1, "1", 1e308]);
  add(["program", "scoring", "weights"], [new Date(0), new Number(2)]);
  add(["program", "scoring"], [new Map()]);
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

/** Every path in a JSON-shaped value (objects and arrays), the root included. */
function allPaths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, k) => allPaths(x, [...at, k], out));
  else if (typeof v === "object" && v !== null)
    for (const [k, x] of Object.entries(v)) allPaths(x, [...at, k], out);
  return out;
}

/** `input` (a deep copy) with `value` at `path`; `input` itself when the path cannot be set. */
function replaceAt(input: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  let copy: Record<string | number, unknown>;
  try {
    copy = structuredClone(input) as Record<string | number, unknown>;
  } catch {
    return input;
  }
  let node = copy;
  for (let k = 0; k < path.length - 1; k++) node = node[path[k]] as typeof node;
  try {
    Object.defineProperty(node, path[path.length - 1], {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } catch {
    return input;
  }
  return copy;
}

/** Any value: non-plain objects (boxed values, Map, Set, Date, typed arrays, null prototypes),
 * bigints, and the numbers at the edges of double range. */
const anyValueArb = fc.oneof(
  fc.anything({
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
    withNullPrototype: true,
    withBigInt: true,
    withSparseArray: true,
    withObjectString: true,
  }),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 5e-324, 1e-310, 2 ** 31, 2 ** 32, 2 ** 53, -0, 1e6, 1e6 + 1),
);

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

  it("safeParseCohort never throws whatever replaces any fields, and every cohort it accepts scores finite, >= 0 and below 1e23", () => {
    const arb = fc.tuple(
      validCohortArb({ maxMentees: 4, maxMentors: 4 }),
      fc.array(fc.tuple(fc.nat(), anyValueArb), { minLength: 1, maxLength: 3 }),
    );
    fc.assert(
      fc.property(arb, ([input, edits]) => {
        let bad: unknown = input;
        for (const [pick, value] of edits) {
          const paths = allPaths(bad);
          bad = replaceAt(bad, paths[pick % paths.length], value);
        }
        const r = safeParseCohort(bad);
        if (!r.ok) return;
        const { view } = r.cohort;
        const scorer = createScorer(view);
        const out = new Float64Array(view.mentors.count);
        for (let i = 0; i < view.mentees.count; i++) {
          scorer.scoreRow(i, out);
          for (const x of out) expect(Number.isFinite(x) && x >= 0 && x < 1e23).toBe(true);
          expect(scorer.rowUpperBound(i)).toBeLessThan(1e23);
        }
      }),
      { numRuns: 400 },
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
