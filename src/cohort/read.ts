/**
 * Reads raw input into records: one zod pass over the whole input for the issues, and, only when
 * that pass fails, a field-by-field salvage so the cross-record checks still run on everything
 * that did parse (a bad `level` on one mentee must not hide an unknown skill on another).
 *
 * zod silently drops a record key named `__proto__` (its guard against prototype pollution), so
 * `{ "current": { "__proto__": 3 } }` would lose a skill whose id is `__proto__`. Record-typed
 * fields are therefore read as entries here, taking that one key from the raw input (as an own
 * data property, never through the prototype accessor) and validating its value with the field's
 * value schema.
 *
 * The caller's input is only read, never written.
 */
import type { z } from "zod";
import { pathIssue, type Issue } from "../schema/errors.js";
import {
  CohortInputSchema,
  EquityRuleSchema,
  MenteeSchema,
  MentorSchema,
  PairSchema,
  ProgramSchema,
  SensitiveSchema,
  SkillLevelsSchema,
  SkillSchema,
  StrategySchema,
  TierSchema,
  type CohortData,
  type EquityRule,
  type Tier,
} from "../schema/input.js";
import type {
  CohortRecords,
  Entries,
  MenteeRecord,
  MentorRecord,
  PairRecord,
  ParsedRecord,
  ProgramRecord,
  StrategyRecord,
} from "../schema/validate.js";
import { plainInput } from "../schema/plain.js";
import { issuesFromZod } from "../schema/zod-issues.js";

type Path = readonly (string | number)[];
type Obj = Readonly<Record<string, unknown>>;

const PARSE = { reportInput: true } as const;
/** The `bad` set of a record that parsed whole. */
export const NO_BAD: ReadonlySet<string> = new Set();
const PROTO = "__proto__";

const skillLevelValue = SkillLevelsSchema.valueType;
const sensitiveValue = SensitiveSchema.valueType;
const priorityValue = StrategySchema.shape.priorities.valueType;
const unitRowSchema = StrategySchema.shape.byUnit.unwrap().valueType;

/** The result of reading: every schema issue, the records, and the parsed data when the whole
 * input matched the schema. */
export interface ReadResult {
  readonly issues: Issue[];
  readonly records: CohortRecords;
  readonly data: CohortData | undefined;
}

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An own property, read without getters or the `__proto__` accessor. */
function own(obj: unknown, key: string): unknown {
  if (!isObject(obj)) return undefined;
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d !== undefined && "value" in d ? d.value : undefined;
}

function ownList(obj: unknown, key: string): readonly unknown[] | undefined {
  const v = own(obj, key);
  return Array.isArray(v) ? v : undefined;
}

/**
 * Entries of a parsed record-typed field, plus the `__proto__` key zod dropped (validated with
 * `valueSchema`; its issues go to `issues`).
 */
function entriesOf<V>(
  parsed: Readonly<Record<string, V>> | undefined,
  raw: unknown,
  valueSchema: z.ZodType<V>,
  path: Path,
  issues: Issue[],
): Entries<V> | undefined {
  let proto: readonly [string, V] | undefined;
  // Checked even when the rest of the field failed, so its issue is not hidden behind the others.
  if (isObject(raw) && Object.prototype.hasOwnProperty.call(raw, PROTO)) {
    const r = valueSchema.safeParse(own(raw, PROTO), PARSE);
    if (r.success) proto = [PROTO, r.data];
    else issues.push(...issuesFromZod(r.error.issues, [...path, PROTO]));
  }
  if (parsed === undefined) return undefined;
  const out: (readonly [string, V])[] = Object.entries(parsed);
  if (proto !== undefined) out.push(proto);
  return out;
}

/** Field-by-field parse of one object record. Only the schema's own keys are read. */
function salvage<T>(
  schema: z.ZodObject,
  raw: unknown,
): { data: Partial<T>; bad: Set<string> } | undefined {
  if (!isObject(raw)) return undefined;
  const data: Record<string, unknown> = {};
  const bad = new Set<string>();
  const shape = schema.shape as Record<string, z.ZodType>;
  for (const key of Object.keys(shape)) {
    const r = shape[key].safeParse(own(raw, key));
    if (!r.success) bad.add(key);
    else if (r.data !== undefined) data[key] = r.data;
  }
  return { data: data as Partial<T>, bad };
}

function attributeNames(raw: unknown): readonly string[] {
  const s = own(raw, "sensitive");
  return isObject(s) ? Object.keys(s) : [];
}

/** The entries of a person's record-typed field `key`, from its parsed data and raw input. */
function personEntries<K extends string, V>(
  data: Partial<Readonly<Record<K, Readonly<Record<string, NoInfer<V>>>>>>,
  raw: unknown,
  key: K,
  valueSchema: z.ZodType<V>,
  base: Path,
  issues: Issue[],
): Entries<V> | undefined {
  return entriesOf(data[key], own(raw, key), valueSchema, [...base, key], issues);
}

function menteeRecord(
  at: number,
  data: Partial<z.output<typeof MenteeSchema>>,
  bad: ReadonlySet<string>,
  raw: unknown,
  issues: Issue[],
): MenteeRecord {
  const base = ["mentees", at];
  return {
    at,
    data,
    bad,
    current: personEntries(data, raw, "current", skillLevelValue, base, issues),
    targets: personEntries(data, raw, "targets", skillLevelValue, base, issues),
    sensitive: personEntries(data, raw, "sensitive", sensitiveValue, base, issues),
    attributeNames: attributeNames(raw),
  };
}

function mentorRecord(
  at: number,
  data: Partial<z.output<typeof MentorSchema>>,
  bad: ReadonlySet<string>,
  raw: unknown,
  issues: Issue[],
): MentorRecord {
  const base = ["mentors", at];
  return {
    at,
    data,
    bad,
    expertise: personEntries(data, raw, "expertise", skillLevelValue, base, issues),
    sensitive: personEntries(data, raw, "sensitive", sensitiveValue, base, issues),
    attributeNames: attributeNames(raw),
  };
}

function strategyRecord(
  data: Partial<z.output<typeof StrategySchema>>,
  bad: ReadonlySet<string>,
  raw: unknown,
  issues: Issue[],
): StrategyRecord {
  const priorities = bad.has("priorities")
    ? undefined
    : entriesOf(
        data.priorities ?? {},
        own(raw, "priorities"),
        priorityValue,
        ["strategy", "priorities"],
        issues,
      );
  let byUnit: (readonly [string, Entries<number>])[] | undefined;
  if (!bad.has("byUnit") && data.byUnit !== undefined) {
    const rawByUnit = own(raw, "byUnit");
    const rows =
      entriesOf<Record<string, number>>(
        data.byUnit,
        rawByUnit,
        unitRowSchema,
        ["strategy", "byUnit"],
        issues,
      ) ?? [];
    byUnit = [];
    for (const [unit, row] of rows) {
      const e = entriesOf<number>(
        row,
        own(rawByUnit, unit),
        priorityValue,
        ["strategy", "byUnit", unit],
        issues,
      );
      if (e !== undefined) byUnit.push([unit, e]);
    }
  }
  return { priorities, byUnit };
}

function pairRecords(parsed: readonly { mentee?: string; mentor?: string }[]): PairRecord[] {
  return parsed.map((p, at) => ({ at, mentee: p.mentee, mentor: p.mentor }));
}

/** Records of the skills, the strategy and the program, from their parsed data. */
export function partRecords(
  data: Pick<CohortData, "skills" | "strategy" | "program">,
  input: Obj,
  issues: Issue[],
): Pick<CohortRecords, "skills" | "strategy" | "program"> {
  const program = data.program;
  return {
    skills: data.skills.map((s, at) => ({ at, data: s, bad: NO_BAD })),
    strategy: strategyRecord(data.strategy, NO_BAD, own(input, "strategy"), issues),
    program: {
      data: program,
      bad: NO_BAD,
      tiers: program.tiers.map((t, at) => ({ at, data: t, bad: NO_BAD })),
      equity: program.equity.map((rule, at) => ({ at, rule })),
      lockedPairs: pairRecords(program.lockedPairs),
      forbiddenPairs: pairRecords(program.forbiddenPairs),
    },
  };
}

/** Records from a fully parsed input (the common case: no salvage needed). */
function fromData(data: CohortData, input: Obj, issues: Issue[]): CohortRecords {
  const rawMentees = ownList(input, "mentees") ?? [];
  const rawMentors = ownList(input, "mentors") ?? [];
  const { skills, strategy, program } = partRecords(data, input, issues);
  return {
    skills,
    strategy,
    mentees: data.mentees.map((m, at) => menteeRecord(at, m, NO_BAD, rawMentees[at], issues)),
    mentors: data.mentors.map((m, at) => mentorRecord(at, m, NO_BAD, rawMentors[at], issues)),
    program,
  };
}

function salvageList<T, R>(
  raw: unknown,
  schema: z.ZodObject,
  make: (at: number, data: Partial<T>, bad: ReadonlySet<string>, raw: unknown) => R,
): R[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: R[] = [];
  for (let at = 0; at < raw.length; at++) {
    const s = salvage<T>(schema, raw[at]);
    if (s !== undefined) out.push(make(at, s.data, s.bad, raw[at]));
  }
  return out;
}

/** A salvaged record with nothing more than its fields (a tier, a skill). */
function parsedRecord<T>(at: number, data: Partial<T>, bad: ReadonlySet<string>): ParsedRecord<T> {
  return { at, data, bad };
}

function salvagePairs(raw: unknown): PairRecord[] | undefined {
  return salvageList<{ mentee: string; mentor: string }, PairRecord>(raw, PairSchema, (at, d) => ({
    at,
    mentee: d.mentee,
    mentor: d.mentor,
  }));
}

function salvageProgram(raw: unknown): ProgramRecord | undefined {
  const s = salvage<z.output<typeof ProgramSchema>>(ProgramSchema, raw);
  if (s === undefined) return undefined;
  const rawEquity = own(raw, "equity");
  let equity: { at: number; rule: EquityRule }[] | undefined;
  if (rawEquity === undefined) equity = [];
  else if (Array.isArray(rawEquity)) {
    equity = [];
    for (let at = 0; at < rawEquity.length; at++) {
      const r = EquityRuleSchema.safeParse(rawEquity[at]);
      if (r.success) equity.push({ at, rule: r.data });
    }
  }
  const { tiers: _t, equity: _e, lockedPairs: _l, forbiddenPairs: _f, ...rest } = s.data;
  const rawLocked = own(raw, "lockedPairs");
  const rawForbidden = own(raw, "forbiddenPairs");
  return {
    data: rest,
    bad: s.bad,
    tiers: salvageList<Tier, ParsedRecord<Tier>>(own(raw, "tiers"), TierSchema, parsedRecord),
    equity,
    lockedPairs: rawLocked === undefined ? [] : salvagePairs(rawLocked),
    forbiddenPairs: rawForbidden === undefined ? [] : salvagePairs(rawForbidden),
  };
}

/** Records from an input that failed the schema: everything that can still be read. */
function salvageAll(input: unknown, issues: Issue[]): CohortRecords {
  if (!isObject(input)) return {};
  const strategy = salvage<z.output<typeof StrategySchema>>(StrategySchema, own(input, "strategy"));
  return {
    skills: salvageList<{ id: string }, ParsedRecord<{ id: string }>>(
      own(input, "skills"),
      SkillSchema,
      parsedRecord,
    ),
    strategy:
      strategy && strategyRecord(strategy.data, strategy.bad, own(input, "strategy"), issues),
    mentees: salvageList(own(input, "mentees"), MenteeSchema, (at, data, bad, raw) =>
      menteeRecord(at, data, bad, raw, issues),
    ),
    mentors: salvageList(own(input, "mentors"), MentorSchema, (at, data, bad, raw) =>
      mentorRecord(at, data, bad, raw, issues),
    ),
    program: salvageProgram(own(input, "program")),
  };
}

/**
 * Parses the input once with zod and splits it into records for the cross-record checks.
 *
 * Non-plain objects (a `Date`, `Map`, class instance … where the schema reads an object) and
 * values that throw when read are first replaced by stand-ins that zod rejects at their path
 * (`plainInput`). Should reading still throw (a getter that throws only on a second read), the
 * result is one `unreadable_input` issue instead of the raw exception.
 */
export function readCohort(input: unknown): ReadResult {
  try {
    return readPlain(plainInput(CohortInputSchema, input));
  } catch (error) {
    const name = error instanceof Error && /^\w{1,64}$/.test(error.name) ? ` (${error.name})` : "";
    const message = `Unreadable input: reading it threw an error${name}; pass plain data, such as the output of JSON.parse`;
    return { issues: [pathIssue("unreadable_input", [], message)], records: {}, data: undefined };
  }
}

function readPlain(input: unknown): ReadResult {
  // Without `reportInput` first: it costs ~15% on large cohorts and only failures need it.
  const full = CohortInputSchema.safeParse(input);
  if (full.success) {
    const issues: Issue[] = [];
    const records = fromData(full.data, input as Obj, issues);
    return { issues, records, data: issues.length === 0 ? full.data : undefined };
  }
  const again = CohortInputSchema.safeParse(input, PARSE);
  const issues = issuesFromZod(again.success ? full.error.issues : again.error.issues);
  const records = salvageAll(input, issues);
  return { issues, records, data: undefined };
}
