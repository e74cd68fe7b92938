/**
 * The service validates request bodies with the library's own reader, whose zod schemas the
 * published JSON Schema (`cohortJsonSchema`, the OpenAPI document's `CohortInput`) is generated
 * from. Here the two are held to the promise that schema makes: a body the JSON Schema rejects,
 * the service rejects too (a client validating against the schema never sends one the service
 * would take and it would not) — checked with an independent JSON Schema validator (Ajv, draft
 * 2020-12) on cohorts broken at random.
 */
import Ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cohortJsonSchema, generateCohort, safeParseCohort } from "../../src/index.js";

const validate = new Ajv2020({ strict: false, allErrors: true }).compile(cohortJsonSchema());
const base = generateCohort({ mentees: 12, mentors: 5, seed: 9 });

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path in a JSON value, parents before children. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}
const allPaths = paths(base as unknown as Json).filter((p) => p.length > 0);

/** A replacement value of another kind than most fields take. */
const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(-1, 0.5, 1e9, -1e9, 3),
  fc.string({ maxLength: 3 }),
  fc.constant([]),
  fc.constant({}),
);

/** One edit at one path: a value replaced, a key removed, an unknown key added. */
const edit = fc.record({
  path: fc.constantFrom(...allPaths),
  kind: fc.constantFrom("replace", "remove", "add"),
  value: junk,
});

function apply(input: unknown, e: { path: (string | number)[]; kind: string; value: unknown }) {
  const copy = structuredClone(input) as Record<string | number, unknown>;
  let parent = copy;
  for (const part of e.path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  const key = e.path[e.path.length - 1];
  if (e.kind === "replace") parent[key] = e.value;
  else if (e.kind === "remove") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (parent[key] !== null && typeof parent[key] === "object" && !Array.isArray(parent[key]))
    (parent[key] as Record<string, unknown>).zzUnknown = e.value;
  return copy;
}

describe("the published JSON Schema and the service's reader", () => {
  it("the untouched cohort passes both", () => {
    expect(validate(base)).toBe(true);
    expect(safeParseCohort(base).ok).toBe(true);
  });

  it("whatever the JSON Schema rejects, the reader rejects (1 to 3 random edits)", () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let input: unknown = base;
        for (const e of edits) {
          try {
            input = apply(input, e);
          } catch {
            return; // an earlier edit removed this path's parent
          }
        }
        if (validate(input)) return;
        rejected++;
        expect(safeParseCohort(input).ok).toBe(false);
      }),
      { numRuns: 400, seed: 15 },
    );
    expect(rejected).toBeGreaterThan(100); // the edits do break the schema, mostly
  });
});
