/**
 * What a program records after the match, the input of the impact measures (docs/IMPACT.md):
 * the program's start date, check-ins per pair (held or missed, with an optional re-assessment
 * of the mentee's proficiency per skill and an opaque note) and outcome events per person
 * (promotion, internal move, leaving the organization, reaching independence on a goal).
 * Validated like a cohort: every issue at once, each at its path, and — given the cohort —
 * against its people, skills and proficiency scale.
 */
import { z } from "zod";
import type { Cohort } from "../cohort/types.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { plainInput } from "../schema/plain.js";
import { issuesFromZod } from "../schema/zod-issues.js";

/** What happened to a person, and when. */
export const OUTCOME_KINDS = ["promotion", "internal_move", "left", "independence"] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export interface CheckInInput {
  readonly mentee: string;
  readonly mentor: string;
  /** YYYY-MM-DD, not before the program's start. */
  readonly date: string;
  /** The check-in took place (false: planned, missed). */
  readonly held: boolean;
  /** The mentee's proficiency re-assessed at this check-in, per skill id, on the cohort's scale. */
  readonly proficiency?: Readonly<Record<string, number>>;
  /** Free text, kept as it is and never read by any measure. */
  readonly note?: string;
}

export interface OutcomeInput {
  /** A mentee's or a mentor's id. */
  readonly person: string;
  readonly kind: OutcomeKind;
  /** YYYY-MM-DD, not before the program's start. */
  readonly date: string;
  /** `independence`: the skill the person became independent on (optional). */
  readonly goal?: string;
}

export interface ProgramRecordsInput {
  /** The program's start date, YYYY-MM-DD: times are measured from it. */
  readonly start: string;
  readonly checkIns: readonly CheckInInput[];
  readonly outcomes: readonly OutcomeInput[];
}

/** Validated records: check-ins sorted by date, mentee, mentor; outcomes by date, person, kind. */
export interface ProgramRecords {
  readonly start: string;
  readonly checkIns: readonly CheckInInput[];
  readonly outcomes: readonly OutcomeInput[];
}

export type SafeParseRecordsResult =
  | { readonly ok: true; readonly records: ProgramRecords }
  | { readonly ok: false; readonly issues: readonly Issue[] };

const Id = z.string().trim().min(1);
const Day = z.iso.date();
const CheckInSchema = z.strictObject({
  mentee: Id,
  mentor: Id,
  date: Day,
  held: z.boolean(),
  proficiency: z.record(Id, z.number().finite()).optional(),
  note: z.string().optional(),
});
const OutcomeSchema = z.strictObject({
  person: Id,
  kind: z.enum(OUTCOME_KINDS),
  date: Day,
  goal: Id.optional(),
});
const RecordsSchema = z.strictObject({
  start: Day,
  checkIns: z.array(CheckInSchema),
  outcomes: z.array(OutcomeSchema),
});
const PARSE = { reportInput: true } as const;

/**
 * Validates a program's records (plain JSON-shaped data): every issue at once, at its path
 * (`checkIns[4].proficiency.sql`). Given the cohort, also: every mentee, mentor, person and
 * skill known, every proficiency on the cohort's scale. Check-ins and outcomes that fail their
 * own schema are left out of the checks across records.
 */
export function safeParseProgramRecords(input: unknown, cohort?: Cohort): SafeParseRecordsResult {
  let plain: unknown;
  try {
    plain = plainInput(RecordsSchema, input);
  } catch {
    return {
      ok: false,
      issues: [pathIssue("unreadable_input", [], "Unreadable records: pass plain data")],
    };
  }
  const o = (plain ?? {}) as { start?: unknown; checkIns?: unknown; outcomes?: unknown };
  const issues: Issue[] = [];
  const start = Day.safeParse(o.start, PARSE);
  if (!start.success) issues.push(...issuesFromZod(start.error.issues, ["start"]));
  if (typeof plain !== "object" || plain === null || Array.isArray(plain))
    return {
      ok: false,
      issues: [pathIssue("invalid_type", [], "Expected { start, checkIns, outcomes }")],
    };
  for (const key of Object.keys(plain))
    if (!["start", "checkIns", "outcomes"].includes(key))
      issues.push(pathIssue("unrecognized_key", [key], `Unknown field "${key}": remove it`));
  const list = <T>(
    key: "checkIns" | "outcomes",
    read: (r: unknown, at: readonly (string | number)[], issues: Issue[]) => T | null,
  ): (T | null)[] => {
    const raw = o[key];
    if (!Array.isArray(raw)) {
      issues.push(
        pathIssue(
          raw === undefined ? "required" : "invalid_type",
          [key],
          `Expected ${key} to be an array`,
        ),
      );
      return [];
    }
    return raw.map((r: unknown, k) => read(r, [key, k], issues));
  };
  const checkIns = list("checkIns", readCheckIn);
  const outcomes = list("outcomes", readOutcome);
  const first = start.success ? start.data : undefined;

  const seen = new Set<string>();
  checkIns.forEach((c, k) => {
    if (!c) return;
    const at = ["checkIns", k];
    checkInIssues(c, at, first, cohort, issues);
    const key = `${c.mentee}\u0000${c.mentor}\u0000${c.date}`;
    if (seen.has(key)) issues.push(twoCheckIns(c, at));
    seen.add(key);
  });
  const once = new Set<string>();
  outcomes.forEach((e, k) => {
    if (!e) return;
    const at = ["outcomes", k];
    outcomeIssues(e, at, first, cohort, issues);
    if (e.kind === "left") {
      if (once.has(e.person)) issues.push(leavesTwice(e, at));
      once.add(e.person);
    }
  });
  if (issues.length > 0) return { ok: false, issues };
  // Field by field: no key string built per comparison.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return {
    ok: true,
    records: {
      start: first!,
      checkIns: (checkIns as CheckInInput[]).sort(
        (a, b) => cmp(a.date, b.date) || cmp(a.mentee, b.mentee) || cmp(a.mentor, b.mentor),
      ),
      outcomes: (outcomes as OutcomeInput[]).sort(
        (a, b) =>
          cmp(a.date, b.date) ||
          cmp(a.person, b.person) ||
          cmp(a.kind, b.kind) ||
          cmp(a.goal ?? "", b.goal ?? ""),
      ),
    },
  };
}

type At = readonly (string | number)[];

/** One check-in as given (plain data) checked on its own: a copy, or null with its issues at `at`. */
export function readCheckIn(r: unknown, at: At, issues: Issue[]): CheckInInput | null {
  // Well-formed records (most) are taken as they are; any doubt goes through zod, the one
  // source of issues, whose output they equal.
  if (fastCheckIn(r)) {
    // A copy: the caller's objects are never kept (a proficiency record is the one nested).
    const o = r as unknown as CheckInInput;
    return o.proficiency ? { ...o, proficiency: { ...o.proficiency } } : { ...o };
  }
  const p = CheckInSchema.safeParse(r, PARSE);
  if (p.success) return p.data;
  issues.push(...issuesFromZod(p.error.issues, [...at]));
  return null;
}

/** One outcome as given, checked on its own (`readCheckIn`). */
export function readOutcome(r: unknown, at: At, issues: Issue[]): OutcomeInput | null {
  if (fastOutcome(r)) return { ...(r as OutcomeInput) };
  const p = OutcomeSchema.safeParse(r, PARSE);
  if (p.success) return p.data;
  issues.push(...issuesFromZod(p.error.issues, [...at]));
  return null;
}

/** A well-formed check-in's own issues: before the program's start; given the cohort, an
 * unknown mentee, mentor or skill, or a proficiency off the cohort's scale. */
export function checkInIssues(
  c: CheckInInput,
  at: At,
  start: string | undefined,
  cohort: Cohort | undefined,
  issues: Issue[],
): void {
  datedIssues("check-in", c.date, at, start, issues);
  if (!cohort) return;
  const { menteeById, mentorById } = cohort.index;
  if (!menteeById.has(c.mentee))
    issues.push(
      pathIssue("unknown_mentee", [...at, "mentee"], `No mentee "${c.mentee}" in the cohort`),
    );
  if (!mentorById.has(c.mentor))
    issues.push(
      pathIssue("unknown_mentor", [...at, "mentor"], `No mentor "${c.mentor}" in the cohort`),
    );
  for (const skill in c.proficiency)
    onScale(cohort, skill, c.proficiency[skill], [...at, "proficiency", skill], issues);
}

/** A well-formed outcome's own issues: before the start, a goal on an outcome other than
 * independence; given the cohort, an unknown person or goal skill. */
export function outcomeIssues(
  e: OutcomeInput,
  at: At,
  start: string | undefined,
  cohort: Cohort | undefined,
  issues: Issue[],
): void {
  datedIssues("outcome", e.date, at, start, issues);
  if (e.goal !== undefined && e.kind !== "independence")
    issues.push(
      pathIssue(
        "invalid_value",
        [...at, "goal"],
        "Only an independence outcome has a goal: remove it",
      ),
    );
  if (!cohort) return;
  const { menteeById, mentorById, skillById } = cohort.index;
  if (!menteeById.has(e.person) && !mentorById.has(e.person))
    issues.push(
      pathIssue(
        "unknown_mentee",
        [...at, "person"],
        `No mentee or mentor "${e.person}" in the cohort`,
      ),
    );
  if (e.goal !== undefined && !skillById.has(e.goal))
    issues.push(pathIssue("unknown_skill", [...at, "goal"], `No skill "${e.goal}" in the cohort`));
}

/** Years after the start a record may be dated: a program's follow-up runs for months, so a
 * later date is taken for a mistyped year (and would size every per-month measure by it). */
export const MAX_FOLLOW_UP_YEARS = 10;

/** A record's date before the program's start, or more than `MAX_FOLLOW_UP_YEARS` after it. */
function datedIssues(
  what: string,
  date: string,
  at: At,
  start: string | undefined,
  issues: Issue[],
): void {
  if (start === undefined) return;
  // Dates as YYYY-MM-DD compare as text; the limit is the start's day, that many years on.
  const limit = `${String(Number(start.slice(0, 4)) + MAX_FOLLOW_UP_YEARS).padStart(4, "0")}${start.slice(4)}`;
  if (date < start)
    issues.push(
      pathIssue(
        "invalid_value",
        [...at, "date"],
        `The ${what} on ${date} is before the program's start (${start})`,
      ),
    );
  else if (date > limit)
    issues.push(
      pathIssue(
        "invalid_value",
        [...at, "date"],
        `The ${what} on ${date} is more than ${MAX_FOLLOW_UP_YEARS} years after the program's start (${start}): check the year`,
      ),
    );
}

/** The issue of a second check-in of a pair on one day. */
export const twoCheckIns = (c: CheckInInput, at: At): Issue =>
  pathIssue(
    "duplicate_pair",
    [...at],
    `${c.mentee} and ${c.mentor} have two check-ins on ${c.date}: keep one`,
  );

/** The issue of a second `left` outcome of one person. */
export const leavesTwice = (e: OutcomeInput, at: At): Issue =>
  pathIssue("duplicate_pair", [...at], `${e.person} leaves the organization twice: keep one`);

const DAY_FORM = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar date YYYY-MM-DD (what `z.iso.date()` accepts): month 1–12, the month's days. */
export function isDay(v: unknown): v is string {
  if (typeof v !== "string" || !DAY_FORM.test(v)) return false;
  const y = Number(v.slice(0, 4));
  const m = Number(v.slice(5, 7));
  const d = Number(v.slice(8, 10));
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return m >= 1 && m <= 12 && d >= 1 && d <= days;
}
/** A non-empty id with no space around it (zod's trimmed id, unchanged). */
const isId = (v: unknown): v is string => typeof v === "string" && v !== "" && v.trim() === v;
const plainRecord = (r: unknown): r is Record<string, unknown> =>
  typeof r === "object" && r !== null && Object.getPrototypeOf(r) === Object.prototype;

const CHECK_IN_KEYS = new Set(["mentee", "mentor", "date", "held", "proficiency", "note"]);
/** A check-in zod would accept unchanged (else it is parsed by zod for its issues). */
function fastCheckIn(r: unknown): boolean {
  if (!plainRecord(r)) return false;
  for (const key in r) if (!CHECK_IN_KEYS.has(key)) return false;
  if (!isId(r.mentee) || !isId(r.mentor) || !isDay(r.date) || typeof r.held !== "boolean")
    return false;
  if (r.note !== undefined && typeof r.note !== "string") return false;
  const p = r.proficiency;
  if (p === undefined) return !("proficiency" in r);
  if (!plainRecord(p)) return false;
  for (const key in p) if (!isId(key) || !Number.isFinite(p[key])) return false;
  return true;
}

const OUTCOME_KEYS = new Set(["person", "kind", "date", "goal"]);
function fastOutcome(r: unknown): boolean {
  if (!plainRecord(r)) return false;
  for (const key in r) if (!OUTCOME_KEYS.has(key)) return false;
  return (
    isId(r.person) &&
    (OUTCOME_KINDS as readonly unknown[]).includes(r.kind) &&
    isDay(r.date) &&
    (r.goal === undefined ? !("goal" in r) : isId(r.goal))
  );
}

/** `safeParseProgramRecords`, throwing `InputError` (every issue) when the records are invalid. */
export function parseProgramRecords(input: unknown, cohort?: Cohort): ProgramRecords {
  const r = safeParseProgramRecords(input, cohort);
  if (!r.ok) throw new InputError(r.issues, "records");
  return r.records;
}

function onScale(cohort: Cohort, skill: string, level: number, path: At, issues: Issue[]) {
  if (!cohort.index.skillById.has(skill)) {
    issues.push(pathIssue("unknown_skill", [...path], `No skill "${skill}" in the cohort`));
    return;
  }
  const { scaleMin, scaleMax } = cohort.view;
  if (!(level >= scaleMin && level <= scaleMax))
    issues.push(
      pathIssue(
        "off_scale",
        [...path],
        `${level} is off the cohort's scale ${scaleMin}–${scaleMax}`,
      ),
    );
}

/** The mentees whose records the impact reports may read: those with analytics consent
 * (`consent.analytics` in their record). Everyone else appears in no report. */
export function consenting(cohort: Cohort): ReadonlySet<string> {
  const out = new Set<string>();
  const { consentAnalytics } = cohort.view.mentees;
  cohort.index.menteeIds.forEach((id, i) => {
    if (consentAnalytics[i] === 1) out.add(id);
  });
  return out;
}
