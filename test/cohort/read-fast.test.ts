/**
 * The fast path of reading (src/cohort/read-fast.ts) against the zod path: on every input both
 * must give the same `safeParseCohort` result (the same cohort, or the same issues), the fast
 * path must take every valid cohort it is meant to take, and neither may write to the input or
 * read a getter more often than the other.
 */
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeParseCohortReading, type SafeParseCohortResult } from "../../src/cohort/parse.js";
import { readCohortFast } from "../../src/cohort/read-fast.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { cohortFilesIn, readCohortInputFromFiles } from "../../src/node/files.js";
import { INPUT_LIMITS, type CohortInput } from "../../src/schema/input.js";
import { validCohortArb } from "../arbitraries/cohort.js";
import { sampleCohort } from "./fixture.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const fast = (input: unknown) => safeParseCohortReading(input, "fast");
const zod = (input: unknown) => safeParseCohortReading(input, "zod");

/** Both paths on fresh inputs from `make` (a getter may keep state): equal results. */
function expectSame(make: () => unknown): SafeParseCohortResult {
  const a = fast(make());
  const b = zod(make());
  expect(a).toEqual(b);
  return a;
}

/**
 * The same, where it can differ: when `readCohortFast` declines an input, `safeParseCohort`
 * parses it the zod way, exactly as the zod path alone (then `readCohortFast` must have run no
 * getter and written nothing: checked by the callers that use getters).
 */
function expectSameWhereTaken(make: () => unknown): void {
  if (readCohortFast(make()) !== undefined) expectSame(make);
}

/** `input` is valid, taken by the fast path, and parsed to what the zod path gives. */
function expectFastTakes(input: unknown): void {
  expect(readCohortFast(input)).toBeDefined();
  const r = expectSame(() => input);
  if (!r.ok) throw new Error(`rejected:\n${JSON.stringify(r.issues, null, 1)}`);
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Prototypes by a number (a snapshot must not hold a prototype such as `Map.prototype`, which
 * `toEqual` would compare as a Map). */
const protoIds = new Map<object | null, number>();

/** Everything about a value that a parser could change, read without running any getter. */
function snapshot(v: unknown, seen = new Map<object, unknown>()): unknown {
  if ((typeof v !== "object" && typeof v !== "function") || v === null) return v;
  if (typeof v === "function") return v;
  if (seen.has(v)) return seen.get(v);
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  const proto = Object.getPrototypeOf(v) as object | null;
  if (!protoIds.has(proto)) protoIds.set(proto, protoIds.size);
  out["<proto>"] = protoIds.get(proto);
  out["<frozen>"] = Object.isFrozen(v);
  out["<extensible>"] = Object.isExtensible(v);
  if (v instanceof Map) out["<entries>"] = [...v.entries()];
  for (const key of Reflect.ownKeys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, key)!;
    out[String(key)] = "value" in d ? { ...d, value: snapshot(d.value, seen) } : d;
  }
  return out;
}

describe("the fast path takes valid cohorts and parses them as the zod path does", () => {
  it("takes the sample cohort", () => {
    expectFastTakes(sampleCohort());
  });

  it("takes the bundled example cohort (examples/data)", async () => {
    const dir = fileURLToPath(new URL("../../examples/data", import.meta.url));
    const read = await readCohortInputFromFiles(cohortFilesIn(dir));
    expect(read.issues).toEqual([]);
    expectFastTakes(read.input);
  });

  it("takes generated cohorts of several seeds and sizes", () => {
    const sizes = [
      { mentees: 0, mentors: 0 },
      { mentees: 1, mentors: 1, skills: 1, departments: 1 },
      { mentees: 300, mentors: 60 },
      { mentees: 200, mentors: 40, skills: 30, departments: 9 },
      { mentees: 150, mentors: 150, skills: 3 },
    ];
    for (const size of sizes)
      for (const seed of [1, 2, 3]) expectFastTakes(generateCohort({ ...size, seed }));
  });

  it("takes every generated valid cohort (ids such as __proto__ and constructor included)", () => {
    fc.assert(
      fc.property(validCohortArb(), (input) => expectFastTakes(input)),
      { numRuns: 200 },
    );
  });

  it("takes deep-frozen, null-prototype and boundary inputs", () => {
    expectFastTakes(deepFreeze(sampleCohort()));
    const nullProto = (o: object) => Object.assign(Object.create(null), o);
    const c = sampleCohort() as Loose;
    c.mentees[0] = nullProto(c.mentees[0]);
    c.mentees[0].current = nullProto(c.mentees[0].current);
    c.mentees[1].consent = nullProto({ analytics: true });
    c.mentors[0].training[0] = nullProto(c.mentors[0].training[0]);
    const root = nullProto(c);
    expectFastTakes(root);

    const edge = sampleCohort() as Loose;
    edge.mentees.push({
      id: "x".repeat(200),
      department: "ops",
      unit: undefined,
      level: 100,
      tenureMonths: -0,
      hoursPerMonth: 0,
      utcOffset: -12,
      languages: Array.from({ length: INPUT_LIMITS.listItems }, (_, k) => `l${k}`),
      current: { sql: -0, python: 1e-6 },
      targets: { sql: 5, stats: 1e-6 },
      roundsUnmatched: INPUT_LIMITS.count,
      minMentors: 0,
      maxMentors: INPUT_LIMITS.count,
      consent: {},
    });
    edge.mentors.push({
      id: "r3",
      department: "ops",
      level: 0,
      tenureMonths: 0,
      utcOffset: 14,
      expertise: {},
      tier: "peer",
      capacity: INPUT_LIMITS.count,
      minLoad: undefined,
      training: [{ id: "t", completedOn: undefined }, { id: "u" }],
    });
    expectFastTakes(edge);
  });

  it("takes symbol keys on people, which zod does not read", () => {
    const c = sampleCohort() as Loose;
    c.mentees[0][Symbol("note")] = "anything";
    expectFastTakes(c);
  });

  it("takes __proto__ and constructor as keys of records and reads them as skills", () => {
    const c = sampleCohort() as Loose;
    c.skills.push({ id: "__proto__" }, { id: "constructor" });
    c.mentees[0].current = JSON.parse('{ "__proto__": 1, "constructor": 2 }');
    c.mentees[0].targets = JSON.parse('{ "__proto__": 3 }');
    c.mentors[0].expertise = JSON.parse('{ "constructor": 4, "__proto__": 5 }');
    c.mentors[1].sensitive = JSON.parse('{ "__proto__": "p", "constructor": "q" }');
    expectFastTakes(c);
    const cohort = (fast(c) as { cohort: Loose }).cohort;
    expect(cohort.sensitive.attributes).toContain("__proto__");
  });
});

/** Values to put anywhere: wrong types, edges of every range, non-plain objects. */
const VALUES: (() => unknown)[] = [
  () => undefined,
  () => null,
  () => NaN,
  () => Infinity,
  () => -Infinity,
  () => -1,
  () => 0,
  () => -0,
  () => 0.5,
  () => 1,
  () => 2,
  () => 5,
  () => 5.5,
  () => 100,
  () => 101,
  () => 1e6,
  () => 1e6 + 1,
  () => 2 ** 31,
  () => 9.99e-7,
  () => 1e-6,
  () => -1e-6,
  () => -12,
  () => -12.5,
  () => 14,
  () => 14.5,
  () => "",
  () => " a",
  () => "a ",
  () => "\u00a0a",
  () => "x",
  () => "sql",
  () => "r1",
  () => "e1",
  () => "senior",
  () => "2025-02-28",
  () => "2025-02-30",
  () => "2025-2-28",
  () => "x".repeat(200),
  () => "x".repeat(201),
  () => true,
  () => false,
  () => [],
  () => ["x"],
  () => ["r1", "r2"],
  () => [1],
  () => Array.from({ length: INPUT_LIMITS.listItems + 1 }, () => "x"),
  () => ({}),
  () => ({ sql: 1 }),
  () => ({ analytics: true }),
  () => ({ id: "mentor-basics" }),
  () => ({ gender: "F" }),
  () => Object.create(null),
  () => Object.create({ sql: 1 }),
  () => new Date(0),
  () => new Map([["sql", 1]]),
  () => new (class Team {})(),
  () => new Number(1),
  () => new String("x"),
  () => 1n,
  () => Symbol("s"),
  () => () => 1,
  () => runInNewContext("({ sql: 1 })"),
  () => runInNewContext("['x']"),
];

const PERSON_KEYS = [
  "id",
  "department",
  "unit",
  "level",
  "tenureMonths",
  "hoursPerMonth",
  "utcOffset",
  "languages",
  "managerChain",
  "sensitive",
  "current",
  "targets",
  "tiers",
  "aspirations",
  "preferredMentors",
  "excludedMentors",
  "pastMentors",
  "highPotential",
  "roundsUnmatched",
  "minMentors",
  "maxMentors",
  "consent",
  "expertise",
  "tier",
  "capacity",
  "minLoad",
  "training",
  "careerPaths",
  "excludedMentees",
  "__proto__",
  "constructor",
  "colour",
];

/** Counts getter calls, so both paths can be checked to read as often. */
interface Reads {
  n: number;
}

/** A getter that answers `value` once, then `second` (a value, or a throw). */
function getter(reads: Reads, value: unknown, second: "same" | "throw" | "other") {
  let calls = 0;
  return {
    enumerable: true,
    configurable: true,
    get() {
      reads.n++;
      calls++;
      if (calls === 1 || second === "same") return value;
      if (second === "throw") throw new TypeError("second read");
      return "changed";
    },
  };
}

function define(o: object, key: PropertyKey, d: PropertyDescriptor): void {
  Object.defineProperty(o, key, d);
}

function setOwn(o: object, key: PropertyKey, value: unknown): void {
  define(o, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A mutation of a (fresh, deep-copied) valid cohort; `n` picks where. */
type Mutation = (c: Loose, n: number, reads: Reads) => void;

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length];
}

function person(c: Loose, n: number): Loose {
  return pick([...c.mentees, ...c.mentors], n);
}

function recordOf(c: Loose, n: number): Loose {
  const p = person(c, n);
  if (p === undefined) return undefined;
  const keys = ["current", "targets", "expertise", "sensitive"].filter(
    (k) => typeof p[k] === "object",
  );
  const key = pick(keys, n >> 3);
  return key === undefined ? undefined : p[key];
}

function listOf(c: Loose, n: number): Loose {
  const p = person(c, n);
  if (p === undefined) return undefined;
  const keys = Object.keys(p).filter((k) => Array.isArray(p[k]));
  const key = pick(keys, n >> 3);
  return key === undefined ? undefined : p[key];
}

const MUTATIONS: Record<string, Mutation> = {
  personField(c, n) {
    const p = person(c, n);
    if (p) setOwn(p, pick(PERSON_KEYS, n >> 2)!, pick(VALUES, n >> 7)!());
  },
  deleteField(c, n) {
    const p = person(c, n);
    if (p) delete p[pick(Object.keys(p), n >> 2)!];
  },
  recordValue(c, n) {
    const r = recordOf(c, n);
    const keys = [...Object.keys(r ?? {}), "sql", "python", "nope", "__proto__", "constructor"];
    if (r) setOwn(r, pick(keys, n >> 5)!, pick(VALUES, n >> 9)!());
  },
  recordSymbolKey(c, n) {
    const r = recordOf(c, n);
    if (r) define(r, Symbol("k"), { value: 1, enumerable: n % 2 === 0 });
  },
  recordHiddenKey(c, n) {
    const r = recordOf(c, n);
    const key = pick(["nope", "__proto__", "constructor", "sql"], n >> 5)!;
    if (r) define(r, key, { value: pick(VALUES, n >> 7)!(), enumerable: false });
  },
  recordProto(c, n) {
    const p = person(c, n);
    const key = pick(["current", "targets", "expertise", "sensitive"], n >> 2)!;
    if (p && p[key]) p[key] = Object.assign(Object.create(n % 2 ? null : { x: 1 }), p[key]);
  },
  listItem(c, n) {
    const l = listOf(c, n);
    if (l) setOwn(l, l.length === 0 ? 0 : (n >> 5) % (l.length + 1), pick(VALUES, n >> 8)!());
  },
  sparseList(c, n) {
    const l = listOf(c, n);
    if (l) l.length += 1 + (n % 2);
  },
  listExtraProperty(c, n) {
    const l = listOf(c, n);
    if (l) l.extra = 1;
  },
  sparsePeople(c, n) {
    const list = n % 2 ? c.mentees : c.mentors;
    if (n % 4 < 2) list.length += 1;
    else if (list.length > 0) delete list[(n >> 2) % list.length];
  },
  hiddenPersonField(c, n) {
    const p = person(c, n);
    const key = pick(PERSON_KEYS, n >> 2)!;
    if (p) define(p, key, { value: p[key] ?? pick(VALUES, n >> 7)!(), enumerable: false });
  },
  personSymbol(c, n) {
    const p = person(c, n);
    if (p) p[Symbol("x")] = pick(VALUES, n >> 2)!();
  },
  personNotPlain(c, n) {
    const list = n % 2 ? c.mentees : c.mentors;
    if (list.length === 0) return;
    const at = (n >> 1) % list.length;
    const kinds = [
      () => Object.assign(new Date(0), list[at]),
      () => Object.assign(new (class Person {})(), list[at]),
      () => Object.assign(Object.create({}), list[at]),
      () => Object.assign(Object.create(null), list[at]),
      () => runInNewContext("(x) => Object.assign({}, x)")(list[at]),
      () => new Map(Object.entries(list[at])),
    ];
    list[at] = pick(kinds, n >> 4)!();
  },
  trainingItem(c, n) {
    const r = pick<Loose>(c.mentors, n);
    if (!r) return;
    r.training ??= [];
    const t = { id: "mentor-basics" } as Loose;
    const edits = [
      () => (t.completedOn = pick(VALUES, n >> 6)!()),
      () => (t.id = pick(VALUES, n >> 6)!()),
      () => (t.extra = 1),
      () => delete t.id,
      () => define(t, "completedOn", { value: "2025-01-01", enumerable: false }),
    ];
    pick(edits, n >> 3)!();
    r.training.push(t);
  },
  consent(c, n) {
    const e = pick<Loose>(c.mentees, n);
    if (!e) return;
    const kinds = [
      () => ({}),
      () => ({ analytics: undefined }),
      () => ({ analytics: 1 }),
      () => ({ analytics: false, x: 1 }),
      () => Object.assign(Object.create(null), { analytics: true }),
      () => pick(VALUES, n >> 6)!(),
    ];
    e.consent = pick(kinds, n >> 3)!();
  },
  getterField(c, n, reads) {
    const p = person(c, n);
    if (!p) return;
    const key = pick(Object.keys(p), n >> 2)!;
    define(p, key, getter(reads, p[key], pick(["same", "throw", "other"] as const, n >> 6)!));
  },
  getterRecordValue(c, n, reads) {
    const r = recordOf(c, n);
    const key = pick(Object.keys(r ?? {}), n >> 5);
    if (key !== undefined)
      define(r, key, getter(reads, r[key], pick(["same", "throw", "other"] as const, n >> 7)!));
  },
  getterListItem(c, n, reads) {
    const l = listOf(c, n);
    if (l && l.length > 0)
      define(l, 0, getter(reads, l[0], pick(["same", "throw", "other"] as const, n >> 5)!));
  },
  getterPerson(c, n, reads) {
    const list = n % 2 ? c.mentees : c.mentors;
    if (list.length > 0) define(list, 0, getter(reads, list[0], n % 4 < 2 ? "same" : "throw"));
  },
  getterRoot(c, n, reads) {
    const key = pick(["skills", "strategy", "mentees", "mentors", "program"], n)!;
    define(c, key, getter(reads, c[key], n % 2 ? "same" : "throw"));
  },
  getterThenIssue(c, n, reads) {
    // A getter the fast path must not run: it declines at the issue after it.
    const second = pick(["same", "throw", "other"] as const, n >> 4)!;
    const r = recordOf(c, n);
    const l = listOf(c, n >> 1);
    const p = person(c, n >> 2);
    const where = n % 3;
    if (where === 0 && r && Object.keys(r).length > 0) {
      const key = Object.keys(r)[0];
      define(r, key, getter(reads, r[key], second));
    } else if (where === 1 && l && l.length > 0) define(l, 0, getter(reads, l[0], second));
    else if (p) define(p, "id", getter(reads, p.id, second));
    const last = c.mentors.at(-1) ?? c.mentees.at(-1);
    if (last) last.level = -1;
  },
  rootKey(c, n) {
    const kinds = [
      () => (c.extra = 1),
      () => delete c.mentees,
      () => delete c.program,
      () => setOwn(c, "__proto__", {}),
      () => (c.mentees = pick(VALUES, n >> 3)!()),
      () => (c.program.scale = { min: 1, max: 2 }),
    ];
    pick(kinds, n)!();
  },
  duplicateId(c, n) {
    const list = n % 2 ? c.mentees : c.mentors;
    if (list.length > 0) list.push({ ...list[(n >> 1) % list.length] });
  },
  crossRecord(c, n) {
    const e = pick<Loose>(c.mentees, n);
    const r = pick<Loose>(c.mentors, n >> 2);
    const kinds = [
      () => e && (e.current = { ...e.current, nope: 1 }),
      () => e && (e.targets = { ...e.targets, [c.skills[0].id]: -1 }),
      () => e && (e.current = { [c.skills[0].id]: 5 }),
      () => e && (e.targets = { [c.skills[0].id]: (c.program.scale?.max ?? 5) + 1 }),
      () => e && Object.assign(e, { minMentors: 3, maxMentors: 2 }),
      () => e && (e.preferredMentors = ["nobody"]),
      () => e && (e.tiers = ["nope"]),
      () => r && (r.tier = "nope"),
      () => r && Object.assign(r, { capacity: 1, minLoad: 2 }),
      () => r && (r.excludedMentees = ["nobody"]),
      () => r && (r.expertise = { nope: 1 }),
      () => r && (r.sensitive = { gender: "" }),
    ];
    pick(kinds, n >> 4)!();
  },
};

describe("fast and zod paths give the same result on corrupted cohorts", () => {
  it("every value in every field of a mentee and of a mentor of the sample cohort", () => {
    for (const who of ["mentees", "mentors"] as const)
      for (const key of PERSON_KEYS)
        for (const value of VALUES)
          expectSameWhereTaken(() => {
            const c = sampleCohort() as Loose;
            setOwn(c[who][1], key, value());
            return c;
          });
  });

  it("every value under every kind of key in every record and list of the sample cohort", () => {
    const places: [string, (c: Loose) => object][] = [
      ["current", (c) => c.mentees[0].current],
      ["targets", (c) => c.mentees[1].targets],
      ["expertise", (c) => c.mentors[0].expertise],
      ["sensitive", (c) => c.mentees[0].sensitive],
      ["languages", (c) => c.mentees[0].languages],
      ["managerChain", (c) => c.mentors[1].managerChain],
      ["training", (c) => c.mentors[0].training],
      ["training[0]", (c) => c.mentors[0].training[0]],
      ["consent", (c) => (c.mentees[1].consent = { analytics: true })],
    ];
    const keys = ["sql", "stats", "gender", "nope", "__proto__", "constructor", "id", "0", "1"];
    for (const [, place] of places)
      for (const key of keys)
        for (const value of VALUES)
          for (const enumerable of [true, false])
            expectSameWhereTaken(() => {
              const c = sampleCohort() as Loose;
              const d = { value: value(), writable: true, enumerable, configurable: true };
              Object.defineProperty(place(c), key, d);
              return c;
            });
  });

  for (const [name, mutate] of Object.entries(MUTATIONS)) {
    it(`${name}: the same cohort or the same issues, as many getter reads, the input unchanged`, () => {
      const arb = fc.tuple(validCohortArb({ maxMentees: 4, maxMentors: 4 }), fc.nat());
      fc.assert(
        fc.property(arb, ([base, n]) => {
          const make = (reads: Reads) => {
            const c = structuredClone(base);
            mutate(c, n, reads);
            return c;
          };
          const reads: Reads = { n: 0 };
          const input = make(reads);
          const before = snapshot(input);
          const taken = readCohortFast(input) !== undefined;
          expect(snapshot(input)).toEqual(before);
          // Declined: parsed the zod way only, as long as nothing was read through a getter.
          if (!taken) {
            expect(reads.n).toBe(0);
            return;
          }
          const [readsFast, readsZod]: Reads[] = [{ n: 0 }, { n: 0 }];
          expect(fast(make(readsFast))).toEqual(zod(make(readsZod)));
          expect(readsFast.n).toBe(readsZod.n);
        }),
        { numRuns: 100 },
      );
    });
  }

  it("gives the same result when Object.prototype has been modified (the fast path steps aside)", () => {
    const cases: [string, PropertyDescriptor][] = [
      ["unit", { value: "inherited", writable: true, configurable: true }],
      ["extra", { value: 1, enumerable: true, writable: true, configurable: true }],
      ["hoursPerMonth", { get: () => 1, configurable: true }],
    ];
    for (const [key, d] of cases) {
      Object.defineProperty(Object.prototype, key, d);
      try {
        expect(readCohortFast(sampleCohort())).toBeUndefined();
        expectSame(() => sampleCohort());
      } finally {
        delete (Object.prototype as Loose)[key];
      }
    }
    expect(readCohortFast(sampleCohort())).toBeDefined();
  });

  it("reads a getter on a record value or list item as often as the zod path does, with or without an issue in a person's field", () => {
    for (const where of ["record", "list"] as const)
      for (const issue of [false, true]) {
        const results = [fast, zod].map((parse) => {
          const reads: Reads = { n: 0 };
          const c = sampleCohort() as Loose;
          if (where === "record") define(c.mentees[0].current, "sql", getter(reads, 1, "throw"));
          else define(c.mentees[0].languages, 0, getter(reads, "fr", "throw"));
          if (issue) c.mentors[1].level = -1;
          return { result: parse(c), reads: reads.n };
        });
        // (With an issue, the zod path itself reads it again: its second parse reports inputs.)
        expect(results[0]).toEqual(results[1]);
        if (!issue) expect(results[0].reads).toBe(1);
      }
  });

  it("reads such a getter once more when a value in a record or list is invalid (documented in read-fast.ts), with the same result", () => {
    const results = [fast, zod].map((parse) => {
      const reads: Reads = { n: 0 };
      const c = sampleCohort() as Loose;
      define(c.mentees[0].current, "sql", getter(reads, 1, "same"));
      c.mentors[1].expertise.stats = -1;
      return { result: parse(c), reads: reads.n };
    });
    expect(results[0].result).toEqual(results[1].result);
    expect(results[0].result.ok).toBe(false);
    expect(results[0].reads).toBe(results[1].reads + 1);
  });
});

describe("readCohortFast", () => {
  it("answers undefined (never throws) for anything it is not sure of", () => {
    for (const make of VALUES) expect(readCohortFast(make())).toBeUndefined();
    const throwing = new Proxy(sampleCohort(), {
      ownKeys() {
        throw new Error("trap");
      },
    });
    expect(readCohortFast(throwing)).toBeUndefined();
    expectSame(() => throwing);
  });

  it("leaves cohorts above the table-cell limit to the zod path before reading people", () => {
    const input: CohortInput = sampleCohort();
    input.skills = Array.from({ length: INPUT_LIMITS.skills - 3 }, (_, k) => ({ id: `s${k}` }));
    input.skills.push({ id: "sql" }, { id: "python" }, { id: "stats" });
    let touched = false;
    const watched = new Proxy(input.mentees[0], {
      ownKeys(t) {
        touched = true;
        return Reflect.ownKeys(t);
      },
    });
    const people = Math.ceil(INPUT_LIMITS.tableCells / input.skills.length) + 1;
    input.mentees = Array.from({ length: people }, () => watched);
    expect(readCohortFast(input)).toBeUndefined();
    expect(touched).toBe(false);
  });
});
