/**
 * The fast path of reading: a hand-written check of well-formed input that accepts only what the
 * zod path (`readCohort`, then `validateCohortRecords`) accepts, and reads it into the same
 * parsed data, or answers `undefined` whenever it is not sure.
 *
 * Mentees and mentors are most of any cohort, and zod spends a payload, an issue list and a
 * closure call on every field of every person, then `read.ts` an entry array per skill. Here
 * each person is checked with plain loops against a mirror of `MenteeSchema` / `MentorSchema`
 * (input.ts), into one parsed object without its record-typed fields; those (`current`,
 * `targets`, `expertise`, `sensitive`) go straight into the `PeopleTables` that `buildCohort`
 * reads, and the per-person rules that `validate.ts` checks on them (a declared skill, on
 * `program.scale`, a target not below the current level) are checked here instead, so the
 * person records carry no entries for them. Skills, strategy and program (small) still go
 * through zod, each on its own part of the input, as in the full parse.
 *
 * The fast path never reports. Any value it does not accept (a wrong type or range, an unknown
 * key, a skill off the list or the scale, a non-plain object or one from another realm, an
 * accessor property, a symbol key, a modified `Object.prototype` …) makes it answer
 * `undefined`, and `parseCohort` reads the input again the zod way, which stays the single
 * source of issues; so does any issue found after reading (`parse.ts`). The tests run both
 * paths on valid and corrupted cohorts and compare (test/cohort/read-fast.test.ts).
 *
 * Getters. A value zod reads twice (a person's fields, a training, a consent, a person in its
 * list: once in `plainInput`, once in zod) is read here only if `__lookupGetter__` says no getter
 * would run; a getter makes this path decline. That first pass covers everything but the values
 * in records and lists, which zod reads once; a second pass reads those, once each. So on any
 * valid input a getter runs as often as on the zod path alone, and this path declines before
 * running any. Only when a value in a record or list is itself invalid (or its getter throws)
 * does it decline in the second pass, and the getters it read there before are read once more
 * by the zod path (which reads an invalid input's values at least twice itself). A `Proxy` cannot be told from its
 * target: its traps run here as well. Only checked values are kept; the input is never written.
 */
import type { Issue } from "../schema/errors.js";
import {
  CohortInputSchema,
  INPUT_LIMITS,
  MenteeSchema,
  MentorSchema,
  TrainingSchema,
  type CohortData,
} from "../schema/input.js";
import { plainInput } from "../schema/plain.js";
import type { CohortRecords, MenteeRecord, MentorRecord } from "../schema/validate.js";
import {
  skillColumns,
  type BuildData,
  type BuildMentee,
  type BuildMentor,
  type LabelLists,
  type LevelLists,
  type PeopleTables,
} from "./build.js";
import { NO_BAD, partRecords } from "./read.js";

/** What the fast path read: the data and records `readCohort` would give (less the people's
 * record-typed fields) and those fields as tables. */
export interface FastRead {
  readonly data: BuildData;
  readonly records: CohortRecords;
  readonly people: PeopleTables;
}

/** Thrown (and caught in `readCohortFast`) when the fast path is not sure. */
const NOT_SURE: unique symbol = Symbol("not sure");

function notSure(): never {
  throw NOT_SURE;
}

const gopd = Object.getOwnPropertyDescriptor;
/** `Object.prototype.__lookupGetter__` (Annex B; in every engine this library supports): the
 * getter that reading `obj[key]` would run, found without running it (or allocating a
 * descriptor). Checked once that it answers as specified; without it, there is no fast path. */
const lookupGetter = (() => {
  const f = (Object.prototype as { __lookupGetter__?: unknown }).__lookupGetter__;
  if (typeof f !== "function") return undefined;
  const get = () => 1;
  const probe = Object.defineProperty({ data: 1 }, "get", { get });
  return f.call(probe, "get") === get && f.call(probe, "data") === undefined
    ? (f as (this: object, key: PropertyKey) => unknown)
    : undefined;
})();
const isEnumerable = Object.prototype.propertyIsEnumerable;
const ownNames = Object.getOwnPropertyNames;
const ownSymbols = Object.getOwnPropertySymbols;
const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

// Mirrors of the bounds in input.ts.
/** IdSchema: 1 to 200 characters. */
const ID_MAX = 200;
/** A person's job `level`: an integer in [0, 100]. */
const LEVEL_MAX = 100;
/** `utcOffset`: a number in [-12, 14]. */
const UTC_MIN = -12;
const UTC_MAX = 14;
const { count: COUNT_MAX, listItems: LIST_MAX, resolution: RESOLUTION } = INPUT_LIMITS;

/** Every key the zod path reads on an object of the people's part, and the root's. */
const READ_KEYS = [
  ...Object.keys(CohortInputSchema.shape),
  ...Object.keys(MenteeSchema.shape),
  ...Object.keys(MentorSchema.shape),
  ...Object.keys(TrainingSchema.shape),
  "analytics",
];

/** zod sees inherited properties (`key in input`, `for…in`); this path reads own ones only, so it
 * runs only when there are none to see. */
function pristinePrototypes(): boolean {
  if (Object.keys(Object.prototype).length > 0) return false;
  for (const key of READ_KEYS) if (key in Object.prototype) return false;
  // zod's record check reads `value.constructor`.
  return gopd(Object.prototype, "constructor")?.value === Object;
}

/** An object whose prototype is `Object.prototype` or null. (Plain objects of another realm
 * are plain for the zod path too, but left to it.) */
function plainObject(v: unknown): object {
  if (typeof v !== "object" || v === null) notSure();
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) notSure();
  return v;
}

/** `obj[key]`, read as zod reads it, when that runs no getter (a getter is not sure). */
function value(obj: object, key: string | number): unknown {
  if (lookupGetter!.call(obj, key) !== undefined) notSure();
  return (obj as Record<string | number, unknown>)[key];
}

function id(v: unknown): string {
  if (typeof v !== "string" || v.length < 1 || v.length > ID_MAX || v.trim() !== v) notSure();
  return v;
}

function finite(v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) notSure();
  return v;
}

function nonNegative(v: unknown): number {
  const x = finite(v);
  if (!(x >= 0)) notSure();
  return x;
}

function int(v: unknown, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || !(v >= 0 && v <= max)) notSure();
  return v;
}

function bool(v: unknown): boolean {
  if (typeof v !== "boolean") notSure();
  return v;
}

/** A list field, checked for its shape in the first pass (its items are read in the second). */
function list(v: unknown): readonly unknown[] {
  if (!Array.isArray(v) || v.length > LIST_MAX) notSure();
  return v;
}

/** Second pass: a copy of a list of ids, each item read once (as zod reads it). */
function idList(v: readonly unknown[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const n = v.length;
  const out = new Array<string>(n);
  for (let k = 0; k < n; k++) out[k] = id(v[k]);
  return out;
}

/** Dates zod accepted or rejected as `completedOn`: checking a date is left to zod. */
const dateOk = new Map<string, boolean>();
const completedOnSchema = TrainingSchema.shape.completedOn;

function isoDate(v: unknown): string {
  if (typeof v !== "string") notSure();
  let ok = dateOk.get(v);
  if (ok === undefined) {
    ok = completedOnSchema.safeParse(v).success;
    if (dateOk.size < 4096) dateOk.set(v, ok);
  }
  if (!ok) notSure();
  return v;
}

/**
 * A record-typed field, checked for its shape in the first pass (its values are read in the
 * second): a plain object, no symbol key (zod reads those too, and reports them). Its own
 * `constructor` (which zod's plain-object check reads as well, so twice) must be an enumerable
 * data property, checked as an entry; its own `__proto__` (which `read.ts` reads from its data
 * property) a data property.
 */
function recordObject(v: unknown): Record<string, unknown> {
  const obj = plainObject(v) as Record<string, unknown>;
  if (ownSymbols(obj).length > 0) notSure();
  if (hasOwn(obj, "constructor")) {
    if (!isEnumerable.call(obj, "constructor")) notSure();
    value(obj, "constructor");
  }
  if (hasOwn(obj, "__proto__")) value(obj, "__proto__");
  return obj;
}

/** The skill columns and scale that proficiencies are checked against (validate.ts: a declared
 * skill, on the scale). */
interface Scale {
  readonly skills: ReadonlyMap<string, number>;
  readonly min: number;
  readonly max: number;
}

/** `LevelLists` written one person at a time, in input order. */
class LevelWriter {
  readonly offsets: Int32Array;
  skill = new Int32Array(256);
  value = new Float64Array(256);
  size = 0;

  constructor(
    rows: number,
    readonly scale: Scale,
  ) {
    this.offsets = new Int32Array(rows + 1);
  }

  put(key: string, v: unknown): void {
    const x = finite(v);
    // A resolved value (input.ts), on the scale, for a declared skill.
    if (x !== 0 && !(Math.abs(x) >= RESOLUTION)) notSure();
    if (!(x >= this.scale.min && x <= this.scale.max)) notSure();
    const k = this.scale.skills.get(key);
    if (k === undefined) notSure();
    if (this.size === this.skill.length) {
      const skill = new Int32Array(this.size * 2);
      const value = new Float64Array(this.size * 2);
      skill.set(this.skill);
      value.set(this.value);
      this.skill = skill;
      this.value = value;
    }
    this.skill[this.size] = k;
    this.value[this.size++] = x;
  }

  /** Second pass: reads a `current` / `targets` / `expertise` record. */
  read(obj: Record<string, unknown>): void {
    for (const key in obj) if (key !== "__proto__") this.put(key, obj[key]);
    if (hasOwn(obj, "__proto__")) this.put("__proto__", obj["__proto__"]);
  }

  /** Ends the row of the person at `at`. */
  end(at: number): void {
    this.offsets[at + 1] = this.size;
  }

  lists(): LevelLists {
    const { offsets, size } = this;
    return { offsets, skill: this.skill.subarray(0, size), value: this.value.subarray(0, size) };
  }
}

/** `LabelLists` written one person at a time, and the attribute names of the last person read
 * (people in a row usually state the same ones, and then share one list of names). */
class LabelWriter {
  readonly offsets: Int32Array;
  readonly attribute: string[] = [];
  readonly label: string[] = [];
  lastNames: readonly string[] = [];

  constructor(rows: number) {
    this.offsets = new Int32Array(rows + 1);
  }

  put(key: string, v: unknown): void {
    if (typeof v !== "string" || v.length < 1) notSure();
    this.attribute.push(key);
    this.label.push(v);
  }

  /** Second pass: reads a `sensitive` record; returns its attribute names as `read.ts` lists
   * them (own enumerable keys, `__proto__` included). */
  read(obj: Record<string, unknown>): readonly string[] {
    const last = this.lastNames;
    let count = 0;
    let same = true;
    for (const key in obj) {
      if (same && last[count] !== key) same = false;
      count++;
      if (key !== "__proto__") this.put(key, obj[key]);
    }
    if (hasOwn(obj, "__proto__")) this.put("__proto__", obj["__proto__"]);
    if (same && count === last.length) return last;
    return (this.lastNames = Object.keys(obj));
  }

  end(at: number): void {
    this.offsets[at + 1] = this.attribute.length;
  }

  lists(): LabelLists {
    return { offsets: this.offsets, attribute: this.attribute, label: this.label };
  }
}

/** The two parsed consents (shared: parsed data is only read). */
const CONSENT = [{ analytics: false }, { analytics: true }] as const;

function consent(v: unknown): { analytics: boolean } {
  const obj = plainObject(v);
  let analytics = false;
  for (const key of ownNames(obj)) {
    if (key !== "analytics") notSure();
    const a = value(obj, key);
    if (a !== undefined) analytics = bool(a);
  }
  return CONSENT[analytics ? 1 : 0];
}

type Training = { id: string; completedOn?: string };

function training(v: unknown): Training[] {
  if (!Array.isArray(v)) notSure();
  const n = v.length;
  if (n > LIST_MAX) notSure();
  const out = new Array<Training>(n);
  for (let k = 0; k < n; k++) {
    const obj = plainObject(value(v, k));
    let tid: string | undefined;
    let dated = false;
    let date: string | undefined;
    for (const key of ownNames(obj)) {
      const x = value(obj, key);
      if (key === "id") tid = id(x);
      else if (key === "completedOn") {
        dated = true;
        if (x !== undefined) date = isoDate(x);
      } else notSure();
    }
    if (tid === undefined) notSure();
    out[k] = dated ? { id: tid, completedOn: date } : { id: tid };
  }
  return out;
}

/** A parsed person as this path writes it: one shape, every field there (`undefined` when the
 * input omits it, which is all `buildCohort` and `validate.ts` ask of the parsed data). */
interface PersonOut {
  id: string | undefined;
  department: string | undefined;
  unit: string | undefined;
  level: number | undefined;
  tenureMonths: number | undefined;
  hoursPerMonth: number | undefined;
  utcOffset: number | undefined;
  // Lists hold the input's own between the passes, then their checked copies.
  languages: readonly unknown[] | undefined;
  managerChain: readonly unknown[] | undefined;
}

/** Reads a field both kinds of person have (`sensitive`, a record, into `pending` for the
 * second pass); false for any other key. An optional field may be present with the value
 * `undefined` (zod accepts that as absent). */
function personField(
  out: PersonOut,
  key: string,
  v: unknown,
  at: number,
  pending: Pending,
): boolean {
  switch (key) {
    case "id":
      out.id = id(v);
      return true;
    case "department":
      out.department = id(v);
      return true;
    case "level":
      out.level = int(v, LEVEL_MAX);
      return true;
    case "tenureMonths":
      out.tenureMonths = nonNegative(v);
      return true;
    case "unit":
      if (v !== undefined) out.unit = id(v);
      return true;
    case "hoursPerMonth":
      if (v !== undefined) out.hoursPerMonth = nonNegative(v);
      return true;
    case "utcOffset":
      if (v !== undefined) {
        const x = finite(v);
        if (!(x >= UTC_MIN && x <= UTC_MAX)) notSure();
        out.utcOffset = x;
      }
      return true;
    case "languages":
      if (v !== undefined) out.languages = list(v);
      return true;
    case "managerChain":
      if (v !== undefined) out.managerChain = list(v);
      return true;
    case "sensitive":
      if (v !== undefined) pending.sensitive[at] = recordObject(v);
      return true;
    default:
      return false;
  }
}

/** Not sure unless the person's required fields were all read. */
function required(out: PersonOut): void {
  if (out.id === undefined || out.department === undefined) notSure();
  if (out.level === undefined || out.tenureMonths === undefined) notSure();
}

interface MenteeOut extends PersonOut {
  tiers: readonly unknown[] | undefined;
  aspirations: readonly unknown[] | undefined;
  preferredMentors: readonly unknown[] | undefined;
  excludedMentors: readonly unknown[] | undefined;
  pastMentors: readonly unknown[] | undefined;
  highPotential: boolean | undefined;
  roundsUnmatched: number | undefined;
  minMentors: number | undefined;
  maxMentors: number | undefined;
  consent: { analytics: boolean } | undefined;
}

interface MenteeWriters {
  readonly current: LevelWriter;
  readonly targets: LevelWriter;
  readonly sensitive: LabelWriter;
  /** Scratch: one row of current levels (NaN = not stated). */
  readonly row: Float64Array;
}

/** The record-typed fields of a person, between the passes. */
interface Pending {
  readonly levels: Record<string, unknown>[];
  readonly levels2: Record<string, unknown>[];
  readonly sensitive: (Record<string, unknown> | undefined)[];
}

/** First pass over a mentee: every field but the values in its records and lists. */
function mentee(at: number, raw: unknown, pending: Pending): MenteeOut {
  const obj = plainObject(raw);
  const out: MenteeOut = {
    id: undefined,
    department: undefined,
    unit: undefined,
    level: undefined,
    tenureMonths: undefined,
    hoursPerMonth: undefined,
    utcOffset: undefined,
    languages: undefined,
    managerChain: undefined,
    tiers: undefined,
    aspirations: undefined,
    preferredMentors: undefined,
    excludedMentors: undefined,
    pastMentors: undefined,
    highPotential: undefined,
    roundsUnmatched: undefined,
    minMentors: undefined,
    maxMentors: undefined,
    consent: undefined,
  };
  let current: Record<string, unknown> | undefined;
  let targets: Record<string, unknown> | undefined;
  for (const key of ownNames(obj)) {
    const v = value(obj, key);
    if (personField(out, key, v, at, pending)) continue;
    switch (key) {
      case "current":
        current = recordObject(v);
        break;
      case "targets":
        targets = recordObject(v);
        break;
      case "tiers":
        if (v !== undefined) out.tiers = list(v);
        break;
      case "aspirations":
        if (v !== undefined) out.aspirations = list(v);
        break;
      case "preferredMentors":
        if (v !== undefined) out.preferredMentors = list(v);
        break;
      case "excludedMentors":
        if (v !== undefined) out.excludedMentors = list(v);
        break;
      case "pastMentors":
        if (v !== undefined) out.pastMentors = list(v);
        break;
      case "highPotential":
        if (v !== undefined) out.highPotential = bool(v);
        break;
      case "roundsUnmatched":
        if (v !== undefined) out.roundsUnmatched = int(v, COUNT_MAX);
        break;
      case "minMentors":
        if (v !== undefined) out.minMentors = int(v, COUNT_MAX);
        break;
      case "maxMentors":
        if (v !== undefined) out.maxMentors = int(v, COUNT_MAX);
        break;
      case "consent":
        if (v !== undefined) out.consent = consent(v);
        break;
      default:
        notSure();
    }
  }
  required(out);
  if (current === undefined || targets === undefined) notSure();
  pending.levels[at] = current;
  pending.levels2[at] = targets;
  return out;
}

/** Second pass over the fields both kinds of person have: the `sensitive` record (its attribute
 * names returned) and the id lists. */
function personValues(
  at: number,
  out: PersonOut,
  p: Pending,
  sensitiveWriter: LabelWriter,
): readonly string[] {
  const sensitive = p.sensitive[at];
  const attributeNames = sensitive === undefined ? [] : sensitiveWriter.read(sensitive);
  sensitiveWriter.end(at);
  out.languages = idList(out.languages);
  out.managerChain = idList(out.managerChain);
  return attributeNames;
}

/** Second pass over a mentee: the values in its records and lists. */
function menteeValues(at: number, out: MenteeOut, p: Pending, w: MenteeWriters): MenteeRecord {
  w.current.read(p.levels[at]);
  w.targets.read(p.levels2[at]);
  belowCurrent(w, at);
  w.current.end(at);
  w.targets.end(at);
  const attributeNames = personValues(at, out, p, w.sensitive);
  out.tiers = idList(out.tiers);
  out.aspirations = idList(out.aspirations);
  out.preferredMentors = idList(out.preferredMentors);
  out.excludedMentors = idList(out.excludedMentors);
  out.pastMentors = idList(out.pastMentors);
  return { at, data: out as BuildMentee, bad: NO_BAD, attributeNames };
}

/** Not sure when a target of the mentee being read is below its current level (validate.ts; a
 * skill not listed is at the bottom of the scale). */
function belowCurrent(w: MenteeWriters, at: number): void {
  const { current, targets, row } = w;
  const min = current.scale.min;
  const c0 = current.offsets[at];
  for (let k = c0; k < current.size; k++) row[current.skill[k]] = current.value[k];
  let below = false;
  for (let k = targets.offsets[at]; k < targets.size; k++) {
    const c = row[targets.skill[k]];
    if (targets.value[k] < (c === c ? c : min)) below = true;
  }
  for (let k = c0; k < current.size; k++) row[current.skill[k]] = NaN;
  if (below) notSure();
}

interface MentorOut extends PersonOut {
  tier: string | undefined;
  capacity: number | undefined;
  minLoad: number | undefined;
  training: Training[] | undefined;
  careerPaths: readonly unknown[] | undefined;
  excludedMentees: readonly unknown[] | undefined;
}

interface MentorWriters {
  readonly expertise: LevelWriter;
  readonly sensitive: LabelWriter;
}

/** First pass over a mentor. */
function mentor(at: number, raw: unknown, pending: Pending): MentorOut {
  const obj = plainObject(raw);
  const out: MentorOut = {
    id: undefined,
    department: undefined,
    unit: undefined,
    level: undefined,
    tenureMonths: undefined,
    hoursPerMonth: undefined,
    utcOffset: undefined,
    languages: undefined,
    managerChain: undefined,
    tier: undefined,
    capacity: undefined,
    minLoad: undefined,
    training: undefined,
    careerPaths: undefined,
    excludedMentees: undefined,
  };
  let expertise: Record<string, unknown> | undefined;
  for (const key of ownNames(obj)) {
    const v = value(obj, key);
    if (personField(out, key, v, at, pending)) continue;
    switch (key) {
      case "expertise":
        expertise = recordObject(v);
        break;
      case "tier":
        out.tier = id(v);
        break;
      case "capacity":
        out.capacity = int(v, COUNT_MAX);
        break;
      case "minLoad":
        if (v !== undefined) out.minLoad = int(v, COUNT_MAX);
        break;
      case "training":
        if (v !== undefined) out.training = training(v);
        break;
      case "careerPaths":
        if (v !== undefined) out.careerPaths = list(v);
        break;
      case "excludedMentees":
        if (v !== undefined) out.excludedMentees = list(v);
        break;
      default:
        notSure();
    }
  }
  required(out);
  if (expertise === undefined || out.tier === undefined || out.capacity === undefined) notSure();
  pending.levels[at] = expertise;
  return out;
}

/** Second pass over a mentor. */
function mentorValues(at: number, out: MentorOut, p: Pending, w: MentorWriters): MentorRecord {
  w.expertise.read(p.levels[at]);
  w.expertise.end(at);
  const attributeNames = personValues(at, out, p, w.sensitive);
  out.careerPaths = idList(out.careerPaths);
  out.excludedMentees = idList(out.excludedMentees);
  return { at, data: out as BuildMentor, bad: NO_BAD, attributeNames };
}

function people(v: unknown): readonly unknown[] {
  if (!Array.isArray(v)) notSure();
  return v;
}

/** A small part of the input (skills, strategy, program), parsed by zod as the full parse
 * parses it; not sure when `plainInput` would replace anything in it, or zod rejects it. */
function zodPart<K extends "skills" | "strategy" | "program">(key: K, raw: unknown): CohortData[K] {
  const schema = CohortInputSchema.shape[key];
  if (plainInput(schema, raw) !== raw) notSure();
  const r = schema.safeParse(raw);
  if (!r.success) notSure();
  return r.data as CohortData[K];
}

const ROOT_KEYS = new Set(Object.keys(CohortInputSchema.shape));

function read(input: unknown): FastRead {
  const root = plainObject(input);
  const raw: Record<string, unknown> = {};
  for (const key of ownNames(root)) {
    if (!ROOT_KEYS.has(key)) notSure();
    raw[key] = value(root, key);
  }
  const skills = zodPart("skills", raw.skills);
  const strategy = zodPart("strategy", raw.strategy);
  const program = zodPart("program", raw.program);
  const issues: Issue[] = [];
  const parts = partRecords({ skills, strategy, program }, raw, issues);
  // A `__proto__` key in the strategy that zod dropped and `read.ts` rejects.
  if (issues.length > 0) notSure();
  const rawMentees = people(raw.mentees);
  const rawMentors = people(raw.mentors);

  const skillIds = skillColumns(skills);
  // Too many table cells (validate.ts reports it; the attributes only add to the count).
  if ((rawMentees.length + rawMentors.length) * skillIds.length > INPUT_LIMITS.tableCells)
    notSure();
  const scale: Scale = {
    skills: new Map(skillIds.map((s, k) => [s, k])),
    min: program.scale.min,
    max: program.scale.max,
  };

  // First pass: everything a getter could hide (each value checked for one before it is read),
  // so that declining after it has read nothing through a getter.
  const n = rawMentees.length;
  const m = rawMentors.length;
  const pendingMentees: Pending = {
    levels: new Array(n),
    levels2: new Array(n),
    sensitive: new Array(n),
  };
  const pendingMentors: Pending = { levels: new Array(m), levels2: [], sensitive: new Array(m) };
  const menteeOut = new Array<MenteeOut>(n);
  const mentorOut = new Array<MentorOut>(m);
  for (let at = 0; at < n; at++) menteeOut[at] = mentee(at, value(rawMentees, at), pendingMentees);
  for (let at = 0; at < m; at++) mentorOut[at] = mentor(at, value(rawMentors, at), pendingMentors);

  // Second pass: the values in records and lists, which zod reads once, read once (a value that
  // is not accepted here makes the input invalid: the zod path then reads it again anyway).
  const mw: MenteeWriters = {
    current: new LevelWriter(n, scale),
    targets: new LevelWriter(n, scale),
    sensitive: new LabelWriter(n),
    row: new Float64Array(skillIds.length).fill(NaN),
  };
  const mentees = new Array<MenteeRecord>(n);
  const menteeData = new Array<BuildMentee>(n);
  for (let at = 0; at < n; at++) {
    const r = menteeValues(at, menteeOut[at], pendingMentees, mw);
    mentees[at] = r;
    menteeData[at] = r.data as BuildMentee;
  }
  const rw: MentorWriters = { expertise: new LevelWriter(m, scale), sensitive: new LabelWriter(m) };
  const mentors = new Array<MentorRecord>(m);
  const mentorData = new Array<BuildMentor>(m);
  for (let at = 0; at < m; at++) {
    const r = mentorValues(at, mentorOut[at], pendingMentors, rw);
    mentors[at] = r;
    mentorData[at] = r.data as BuildMentor;
  }

  return {
    data: { skills, mentees: menteeData, mentors: mentorData, program },
    records: { ...parts, mentees, mentors },
    people: {
      current: mw.current.lists(),
      targets: mw.targets.lists(),
      expertise: rw.expertise.lists(),
      menteeSensitive: mw.sensitive.lists(),
      mentorSensitive: rw.sensitive.lists(),
    },
  };
}

/**
 * What `readCohort(input)` reads, for a well-formed input, without zod for the people (see the
 * file comment); `undefined` whenever this path is not sure (then read it with `readCohort`).
 * Never throws.
 */
export function readCohortFast(input: unknown): FastRead | undefined {
  if (lookupGetter === undefined || !pristinePrototypes()) return undefined;
  try {
    return read(input);
  } catch {
    // Not sure, or a getter or proxy trap threw: the zod path reports what it finds.
    return undefined;
  }
}
