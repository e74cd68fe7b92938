/**
 * Rounds: rotation and history (docs/LIFECYCLE.md, "Rounds: rotation and history").
 *
 * A program runs in rounds. The round history is a list of plain records, one per pair of a past
 * round and one per mentee that round left unmatched. `roundRecord` turns a finished match into
 * such records; `applyHistory` turns the history into the next round's input, so that the
 * eligibility and scoring the cohort already has do the rest:
 *
 * - every past pair fills the mentee's `pastMentors`, so the `repeat_pair` rule (unless
 *   `program.rules.allowRepeatPairs`) rules the pair out;
 * - `roundsUnmatched` counts the rounds a mentee was left unmatched since they last had a mentor
 *   (reset by a round that matched them), so the `unmatchedBoost` term raises their pairs;
 * - the latest round's pairs come back as `currentPairs`, for a re-match that prefers continuity.
 *
 * Browser-safe: reading and writing history files lives in `mentorflow/node` (src/node/history.ts).
 */
import { z } from "zod";
import type { Cohort } from "../cohort/types.js";
import { checkCohortArg } from "../cohort/arg.js";
import type { MatchResult } from "../match/types.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { IdSchema, INPUT_LIMITS, type CohortInput, type MenteeInput } from "../schema/input.js";
import { plainInput } from "../schema/plain.js";
import { showCell } from "../schema/show.js";
import { describeReceived, issuesFromZod } from "../schema/zod-issues.js";
import { got } from "../solve/args.js";

/** How a pair of a past round ended, when it is known. */
export type RoundOutcome =
  /** The pair ran its course. */
  | "completed"
  /** The pair stopped before the round ended (`reason` may say why). */
  | "ended_early";

/** One record of the round history, as given (JSON, or a row of the history CSV). */
export interface HistoryRecordInput {
  /** The round: an id such as `"2025-H1"` or a round number such as `3` (read as `"3"`). Rounds
   * are ordered by this id in natural order (`compareRounds`: digits compare as numbers). */
  round: string | number;
  /** When the round started, `YYYY-MM-DD` (kept for people; the order comes from `round`). */
  date?: string | undefined;
  /** The mentee's id. */
  mentee: string;
  /** The mentor of this pair; absent when the round left the mentee unmatched. */
  mentor?: string | undefined;
  /** How the pair ended, when known (pairs only). */
  outcome?: RoundOutcome | undefined;
  /** Free text: why the pair ended early, or why the mentee was left unmatched (`roundRecord`
   * writes the `UnmatchedMenteeReason` code there). */
  reason?: string | undefined;
}

/** The round history: every record of every past round, in any order. */
export interface HistoryInput {
  /** One record per pair of a past round, and one per mentee a round left unmatched. */
  records: readonly HistoryRecordInput[];
}

/** A record of a parsed history: the round id always as a string. */
export interface HistoryRecord {
  /** The round id (a round number as its decimal text). */
  readonly round: string;
  /** When the round started, `YYYY-MM-DD`. */
  readonly date?: string;
  /** The mentee's id. */
  readonly mentee: string;
  /** The mentor of the pair; absent when the round left the mentee unmatched. */
  readonly mentor?: string;
  /** How the pair ended, when known. */
  readonly outcome?: RoundOutcome;
  /** Why the pair ended early, or why the mentee was left unmatched. */
  readonly reason?: string;
}

/** A validated history: the records in the order given, and the rounds they name, oldest first. */
export interface History {
  /** The records, in the order given. */
  readonly records: readonly HistoryRecord[];
  /** The distinct rounds of the records, oldest first (`compareRounds`). */
  readonly rounds: readonly string[];
}

/** The result of `safeParseHistory`. */
export type SafeParseHistoryResult =
  | { readonly ok: true; readonly history: History }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/** A current pair by id (see `currentPairs`). */
export interface CurrentPair {
  /** The mentee's id. */
  readonly mentee: string;
  /** The id of their mentor in that round. */
  readonly mentor: string;
}

/** Options of `applyHistory`. */
export interface ApplyHistoryOptions {
  /** The round the next one follows: later rounds of the history are left out, and this
   * round's pairs are the current pairs. Default: the history's latest round. */
  readonly after?: string | number;
  /** Prefer continuity: the current pairs (the latest round's, except those that ended early)
   * are not added to `pastMentors`, so they stay eligible, and a re-match can keep them; every
   * other past pair is still a repeat. Default false (every past pair is a repeat). */
  readonly continuity?: boolean;
}

/** What `applyHistory` returns: the next round's input and what it took from the history. */
export interface AppliedHistory {
  /** A new input for the next round (the caller's is never written; records it did not change
   * are shared with it). */
  readonly input: CohortInput;
  /** The round the input follows (`options.after`, else the latest round); null for an empty
   * history. */
  readonly round: string | null;
  /** That round's pairs (by id, sorted by mentee then mentor) whose mentee and mentor are both
   * in the input, except pairs that ended early. Pass them to a re-match with a price per
   * change to prefer continuity (with `continuity: true`, or `rules.allowRepeatPairs`, so that
   * they stay eligible). */
  readonly currentPairs: readonly CurrentPair[];
  /** Mentees of the input that round left unmatched (sorted): the `unmatchedBoost` term now
   * raises their pairs. */
  readonly unmatchedLastRound: readonly string[];
  /** Past pairs now in `pastMentors` (pairs of people both in the input, counted once). */
  readonly pastPairs: number;
  /** Ids of the history that are not in the input (people who left): their records are ignored.
   * One warning per id (`unknown_mentee` / `unknown_mentor`, at its first record), at most 20,
   * then one counting the rest. */
  readonly warnings: readonly Issue[];
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Parsing and validating a history

const OUTCOMES = ["completed", "ended_early"] as const;
/** Round numbers: whole numbers 0 … 2^53 − 1 (read as their decimal text). */
const RoundSchema = z.union([IdSchema, z.int().min(0).max(Number.MAX_SAFE_INTEGER)]);

const RecordSchema = z.strictObject({
  round: RoundSchema,
  date: z.iso.date().optional(),
  mentee: IdSchema,
  mentor: IdSchema.optional(),
  outcome: z.enum(OUTCOMES).optional(),
  reason: z.string().optional(),
});
const HistorySchema = z.strictObject({ records: z.array(RecordSchema) });
/** The document around the records (each record is parsed on its own). */
const ShellSchema = z.strictObject({ records: z.array(z.unknown()) });
const PARSE = { reportInput: true } as const;

/** How `round` is described when it is neither form. */
const ROUND_EXPECTED = "a round id (a non-empty string) or a round number (a whole number >= 0)";

/** zod says only "matches none of the allowed forms" for a bad `round`: say which forms. */
function roundIssue(issue: Issue, raw: unknown): Issue {
  const path = issue.location.kind === "path" ? issue.location.path : [];
  if (issue.code !== "invalid_union" || path[path.length - 1] !== "round") return issue;
  if (raw === undefined)
    return pathIssue("required", path, `Missing value: expected round to be ${ROUND_EXPECTED}`, {
      expected: ROUND_EXPECTED,
    });
  const received = describeReceived(raw);
  return pathIssue(
    "invalid_type",
    path,
    `Invalid type: expected round to be ${ROUND_EXPECTED}, received ${received}`,
    { expected: ROUND_EXPECTED, received },
  );
}

/**
 * Validates a round history (`{ records: [...] }`, plain JSON-shaped data): every issue at once,
 * each at its path (`records[3].mentor`) with what to do. Records that fail their own schema still
 * take part in the checks across records with the fields that parsed.
 */
export function safeParseHistory(input: unknown): SafeParseHistoryResult {
  let plain: unknown;
  try {
    plain = plainInput(HistorySchema, input);
  } catch {
    return {
      ok: false,
      issues: [pathIssue("unreadable_input", [], "Unreadable history: pass plain data")],
    };
  }
  const shell = ShellSchema.safeParse(plain, PARSE);
  const issues: Issue[] = [];
  if (!shell.success) {
    issues.push(...issuesFromZod(shell.error.issues));
    // Without a list of records there is nothing more to check.
    if (!isObject(plain) || !Array.isArray((plain as { records?: unknown }).records))
      return { ok: false, issues };
  }
  const raw = (plain as { records: unknown[] }).records;
  const records: (HistoryRecord | null)[] = [];
  for (let k = 0; k < raw.length; k++) {
    const r = RecordSchema.safeParse(raw[k], PARSE);
    if (r.success) {
      records.push(normalized(r.data));
      continue;
    }
    const round = isObject(raw[k]) ? (raw[k] as { round?: unknown }).round : undefined;
    issues.push(...issuesFromZod(r.error.issues, ["records", k]).map((i) => roundIssue(i, round)));
    records.push(salvage(raw[k]));
  }
  issues.push(...crossIssues(records));
  if (issues.length > 0) return { ok: false, issues };
  const done = records as HistoryRecord[];
  return { ok: true, history: { records: done, rounds: roundsOf(done) } };
}

/** A history argument: `HistoryInput`, or a `History` from `parseHistory` (its `rounds` are
 * worked out again from the records). */
function historyArg(history: unknown): History {
  if (isObject(history) && Array.isArray(history.rounds)) {
    const { rounds: _rounds, ...rest } = history;
    return parseHistory(rest);
  }
  return parseHistory(history);
}

/** `safeParseHistory`, throwing `InputError` (every issue) when the history is invalid. */
export function parseHistory(input: unknown): History {
  const r = safeParseHistory(input);
  if (!r.ok) throw new InputError(r.issues, "history");
  return r.history;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function normalized(r: z.output<typeof RecordSchema>): HistoryRecord {
  const out: {
    round: string;
    date?: string;
    mentee: string;
    mentor?: string;
    outcome?: RoundOutcome;
    reason?: string;
  } = { round: String(r.round), mentee: r.mentee };
  if (r.date !== undefined) out.date = r.date;
  if (r.mentor !== undefined) out.mentor = r.mentor;
  if (r.outcome !== undefined) out.outcome = r.outcome;
  if (r.reason !== undefined) out.reason = r.reason;
  return out;
}

/** The fields of a record that failed its schema but can still be checked across records: its
 * round, mentee and mentor when each is valid; null when the round or mentee is not. */
function salvage(raw: unknown): HistoryRecord | null {
  if (!isObject(raw)) return null;
  const round = RoundSchema.safeParse(raw.round);
  const mentee = IdSchema.safeParse(raw.mentee);
  if (!round.success || !mentee.success) return null;
  const mentor = raw.mentor === undefined ? undefined : IdSchema.safeParse(raw.mentor);
  if (mentor !== undefined && !mentor.success) return null;
  return mentor === undefined
    ? { round: String(round.data), mentee: mentee.data }
    : { round: String(round.data), mentee: mentee.data, mentor: mentor.data };
}

/** Contradictions between records: a pair of one person, the same record twice, a mentee both
 * paired and unmatched in one round, an outcome on an unmatched record. */
function crossIssues(records: readonly (HistoryRecord | null)[]): Issue[] {
  const issues: Issue[] = [];
  /** round → mentee → { pairs: mentor → first record, unmatched: first record } */
  const seen = new Map<string, Map<string, { pairs: Map<string, number>; unmatched: number }>>();
  records.forEach((r, k) => {
    if (r === null) return;
    const at = ["records", k];
    const round = showCell(r.round);
    if (r.mentor === undefined && r.outcome !== undefined)
      issues.push(
        pathIssue(
          "invalid_value",
          [...at, "outcome"],
          `Invalid value: an outcome is for a pair; this record has no mentor (the mentee was left unmatched in round ${round}): add the mentor or remove the outcome`,
        ),
      );
    if (r.mentor === r.mentee) {
      issues.push(
        pathIssue(
          "self_pair",
          [...at, "mentor"],
          `Self pair: ${showCell(r.mentee)} is recorded as their own mentor in round ${round}; fix the mentee or the mentor`,
        ),
      );
      return;
    }
    let byMentee = seen.get(r.round);
    if (byMentee === undefined) seen.set(r.round, (byMentee = new Map()));
    let mine = byMentee.get(r.mentee);
    if (mine === undefined) byMentee.set(r.mentee, (mine = { pairs: new Map(), unmatched: -1 }));
    const who = showCell(r.mentee);
    if (r.mentor === undefined) {
      if (mine.unmatched >= 0)
        issues.push(
          pathIssue(
            "duplicate_pair",
            at,
            `Duplicate record: mentee ${who} is already recorded as unmatched in round ${round} by records[${mine.unmatched}]; keep one`,
          ),
        );
      else if (mine.pairs.size > 0)
        issues.push(
          pathIssue(
            "invalid_value",
            at,
            `Contradiction: mentee ${who} is recorded as unmatched in round ${round} but paired with mentor ${showCell(first(mine.pairs)[0])} by records[${first(mine.pairs)[1]}]; remove the unmatched record or the pair`,
          ),
        );
      if (mine.unmatched < 0) mine.unmatched = k;
      return;
    }
    const earlier = mine.pairs.get(r.mentor);
    if (earlier !== undefined)
      issues.push(
        pathIssue(
          "duplicate_pair",
          at,
          `Duplicate record: mentee ${who} and mentor ${showCell(r.mentor)} are already recorded in round ${round} by records[${earlier}]; keep one`,
        ),
      );
    else if (mine.unmatched >= 0)
      issues.push(
        pathIssue(
          "invalid_value",
          at,
          `Contradiction: mentee ${who} is paired with mentor ${showCell(r.mentor)} in round ${round} but recorded as unmatched in it by records[${mine.unmatched}]; remove the unmatched record or the pair`,
        ),
      );
    if (earlier === undefined) mine.pairs.set(r.mentor, k);
  });
  return issues;
}

function first<K, V>(m: ReadonlyMap<K, V>): [K, V] {
  return m.entries().next().value as [K, V];
}

/** The distinct rounds of the records, oldest first. */
function roundsOf(records: readonly HistoryRecord[]): string[] {
  return [...new Set(records.map((r) => r.round))].sort(compareRounds);
}

const RUN = /\d+|\D+/g;

/**
 * The order of rounds: natural order of their ids, digits compared as numbers (`"2"` before
 * `"10"`, `"2025-H1"` before `"2025-H2"`, `"round 9"` before `"round 10"`), other text by its
 * UTF-16 code units (no locale); ids equal in that order (`"01"`, `"1"`) by their code units.
 */
export function compareRounds(a: string, b: string): number {
  const x = a.match(RUN) ?? [];
  const y = b.match(RUN) ?? [];
  for (let k = 0; k < x.length && k < y.length; k++) {
    const p = x[k];
    const q = y[k];
    if (p === q) continue;
    const digits = isDigit(p) && isDigit(q);
    if (digits) {
      const s = p.replace(/^0+/, "");
      const t = q.replace(/^0+/, "");
      if (s.length !== t.length) return s.length - t.length;
      if (s !== t) return s < t ? -1 : 1;
      continue;
    }
    return p < q ? -1 : 1;
  }
  if (x.length !== y.length) return x.length - y.length;
  return a === b ? 0 : a < b ? -1 : 1;
}

function isDigit(run: string): boolean {
  const c = run.charCodeAt(0);
  return c >= 48 && c <= 57;
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// A finished match → records

/** A round's id, and optionally its date (`YYYY-MM-DD`), for `roundRecord`. */
export interface RoundInfo {
  /** The round id, or a round number (recorded as its text). */
  readonly id: string | number;
  /** When the round started, `YYYY-MM-DD` (left out of the records when absent). */
  readonly date?: string;
}

/**
 * The history records of a finished match: one per pair (by id), and one per mentee the match
 * left unmatched (with the reason code in `reason`), sorted by mentee then mentor. Mentees who
 * asked for no mentor (`max_mentors_zero`) are not recorded: they were not left out. Append the
 * records to the history (`{ records: [...history.records, ...records] }`) once the round's pairs
 * are agreed; the outcome of each pair can be added later.
 *
 * `round` is the round's id (a string or a whole number) or `{ id, date }`. An infeasible result
 * has no pairs to record: an `InputError` (`invalid_result`) says so, as it does for a result
 * whose people are not in `cohort`.
 */
export function roundRecord(
  cohort: Cohort,
  result: MatchResult,
  round: string | number | RoundInfo,
): HistoryRecord[] {
  checkCohortArg(cohort);
  const info = roundArg(round);
  const r = result as Partial<MatchResult> | null;
  const issues: Issue[] = [];
  if (r === null || typeof r !== "object" || !Array.isArray(r.pairs) || !Array.isArray(r.unmatched))
    throw new InputError(
      [pathIssue("invalid_result", [], `Expected a result of match, got ${got(result)}`)],
      "result",
    );
  if (r.status === "infeasible")
    throw new InputError(
      [
        pathIssue(
          "invalid_result",
          ["status"],
          "An infeasible result has no pairs to record: change the program until match finds pairs, then record that round",
        ),
      ],
      "result",
    );
  const { menteeById, mentorById } = cohort.index;
  const base = info.date === undefined ? { round: info.id } : { round: info.id, date: info.date };
  const out: HistoryRecord[] = [];
  r.pairs.forEach((p, k) => {
    const ok =
      p !== null && typeof p === "object" && menteeById.has(p.mentee) && mentorById.has(p.mentor);
    if (!ok) {
      issues.push(
        pathIssue(
          "invalid_result",
          ["pairs", k],
          `Expected a pair of this cohort's mentee and mentor ids, got ${got(p)}: is the result from another cohort?`,
        ),
      );
      return;
    }
    out.push({ ...base, mentee: p.mentee, mentor: p.mentor });
  });
  r.unmatched.forEach((u, k) => {
    if (u === null || typeof u !== "object" || !menteeById.has(u.mentee)) {
      issues.push(
        pathIssue(
          "invalid_result",
          ["unmatched", k],
          `Expected an unmatched mentee of this cohort, got ${got(u)}: is the result from another cohort?`,
        ),
      );
      return;
    }
    if (u.reason === "max_mentors_zero") return;
    out.push({ ...base, mentee: u.mentee, reason: u.reason });
  });
  if (issues.length > 0) throw new InputError(issues.slice(0, 20), "result");
  return out.sort(byPerson);
}

function byPerson(
  a: { mentee: string; mentor?: string },
  b: { mentee: string; mentor?: string },
): number {
  if (a.mentee !== b.mentee) return a.mentee < b.mentee ? -1 : 1;
  const x = a.mentor ?? "";
  const y = b.mentor ?? "";
  return x === y ? 0 : x < y ? -1 : 1;
}

/** A round argument → its id (as text) and date; `InputError` (`invalid_argument`) otherwise. */
function roundArg(round: unknown): { id: string; date?: string } {
  const isInfo = isObject(round) && !Array.isArray(round);
  const id = isInfo ? round.id : round;
  const date = isInfo ? round.date : undefined;
  const issues: Issue[] = [];
  const r = RoundSchema.safeParse(id);
  if (!r.success)
    issues.push(
      pathIssue(
        "invalid_argument",
        isInfo ? ["id"] : [],
        `Invalid argument: expected the round to be ${ROUND_EXPECTED} or { id, date }, received ${describeReceived(id)}`,
      ),
    );
  if (date !== undefined && !z.iso.date().safeParse(date).success)
    issues.push(
      pathIssue(
        "invalid_argument",
        ["date"],
        `Invalid argument: expected the round's date to be an ISO date (YYYY-MM-DD), received ${describeReceived(date)}`,
      ),
    );
  if (issues.length > 0 || !r.success) throw new InputError(issues, "round");
  return date === undefined ? { id: String(r.data) } : { id: String(r.data), date: date as string };
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// History → the next round

/**
 * The pairs of one round of the history (default: the latest), except those that ended early,
 * by id and sorted by mentee then mentor. These are the pairs a program may want to keep: pass
 * them to a re-match that prices each change, with the repeat-pair rule off for them
 * (`applyHistory(…, { continuity: true })`). The history is validated first (`InputError` with
 * every issue); a round the history does not hold is an `InputError` (`invalid_argument`).
 */
export function currentPairs(history: HistoryInput, round?: string | number): CurrentPair[] {
  const h = historyArg(history);
  const at = pickRound(h, round, []);
  return at === null ? [] : pairsOf(h, at);
}

function pairsOf(h: History, round: string): CurrentPair[] {
  const out: CurrentPair[] = [];
  for (const r of h.records) {
    if (r.round !== round || r.mentor === undefined || r.outcome === "ended_early") continue;
    out.push({ mentee: r.mentee, mentor: r.mentor });
  }
  return out.sort(byPerson);
}

/** The round asked for (as text), the latest when none is; null for an empty history. */
function pickRound(
  h: History,
  round: string | number | undefined,
  path: readonly (string | number)[],
): string | null {
  if (round === undefined) return h.rounds.length === 0 ? null : h.rounds[h.rounds.length - 1];
  const r = RoundSchema.safeParse(round);
  const id = r.success ? String(r.data) : undefined;
  if (id === undefined || !h.rounds.includes(id)) {
    const listed = h.rounds.length <= 20 ? h.rounds : [...h.rounds.slice(0, 19), "…"];
    throw new InputError(
      [
        pathIssue(
          "invalid_argument",
          path,
          id === undefined
            ? `Invalid argument: expected the round to be ${ROUND_EXPECTED}, received ${describeReceived(round)}`
            : `Invalid argument: round ${showCell(id)} is not in the history (its rounds: ${h.rounds.length === 0 ? "none" : listed.map(showCell).join(", ")})`,
        ),
      ],
      "argument",
    );
  }
  return id;
}

const APPLY_OPTIONS = ["after", "continuity"];

function checkApplyOptions(options: unknown): ApplyHistoryOptions {
  if (options === undefined) return {};
  if (!isObject(options))
    throw new InputError(
      [
        pathIssue(
          "invalid_option",
          [],
          `Expected the options to be an object { after, continuity }, got ${got(options)}`,
        ),
      ],
      "options",
    );
  const issues: Issue[] = [];
  for (const key of Object.keys(options))
    if (!APPLY_OPTIONS.includes(key))
      issues.push(
        pathIssue(
          "unknown_option",
          [key],
          `Unknown option ${showCell(key)}; the options are ${APPLY_OPTIONS.join(", ")}`,
          { allowed: APPLY_OPTIONS },
        ),
      );
  if (options.continuity !== undefined && typeof options.continuity !== "boolean")
    issues.push(
      pathIssue(
        "invalid_option",
        ["continuity"],
        `Expected continuity to be true or false, got ${got(options.continuity)}`,
      ),
    );
  if (issues.length > 0) throw new InputError(issues, "options");
  return options as ApplyHistoryOptions;
}

/** Warnings about departed people listed one by one; the rest are counted. */
const MAX_WARNINGS = 20;

/**
 * The next round's input: `input` with the history applied (the caller's input is never
 * written). For each mentee of the input, from the rounds up to `options.after` (default: every
 * round):
 *
 * - `pastMentors` gains every mentor of the input the mentee was paired with (ended early or not;
 *   kept in the order given, the new ones after them sorted by id), so the `repeat_pair` rule
 *   rules those pairs out, unless `program.rules.allowRepeatPairs`; with `continuity`, the
 *   current pairs are left out of it;
 * - `roundsUnmatched` starts from the input's value (0 when absent), grows by one for each round
 *   that left the mentee unmatched, and goes back to 0 with each round that paired them, so the
 *   `unmatchedBoost` term (`program.scoring.weights.unmatchedBoost`) raises their pairs. Apply
 *   a history to the base input once: applying it to its own output counts its rounds twice.
 *
 * Ids in the history that are not in the input (people who left, or who changed side) are
 * ignored, with a warning each (`warnings`), never an error. The history is validated first
 * (`InputError` with every issue, as `parseHistory`); the input is checked only for its shape
 * (`mentees` and `mentors` lists): validate the result with `parseCohort`.
 */
export function applyHistory(
  input: CohortInput,
  history: HistoryInput,
  options?: ApplyHistoryOptions,
): AppliedHistory {
  const o = checkApplyOptions(options);
  const i = input as Partial<CohortInput> | null;
  if (i === null || typeof i !== "object" || !Array.isArray(i.mentees) || !Array.isArray(i.mentors))
    throw new InputError(
      [
        pathIssue(
          "invalid_argument",
          [],
          `Expected a cohort input { skills, strategy, mentees, mentors, program }, got ${got(input)}`,
        ),
      ],
      "argument",
    );
  const h = historyArg(history);
  const round = pickRound(h, o.after, ["after"]);
  const order = new Map(h.rounds.map((r, k) => [r, k]));
  const last = round === null ? -1 : order.get(round)!;

  const menteeIds = new Set<string>();
  for (const m of i.mentees) if (typeof m?.id === "string") menteeIds.add(m.id);
  const mentorIds = new Set<string>();
  for (const m of i.mentors) if (typeof m?.id === "string") mentorIds.add(m.id);

  // What the history says per mentee of the input: past mentors, and per round matched or not.
  const warnings: Issue[] = [];
  let gone = 0;
  const warned = new Set<string>();
  const leftProgram = (k: number, side: "mentee" | "mentor", id: string) => {
    const key = `${side}\u0000${id}`;
    if (warned.has(key)) return;
    warned.add(key);
    if (gone++ >= MAX_WARNINGS) return;
    warnings.push(
      pathIssue(
        side === "mentee" ? "unknown_mentee" : "unknown_mentor",
        ["records", k, side],
        `Unknown ${side}: ${showCell(id)} is in the history but not among the ${side}s of the new input (left the program?); their records are ignored`,
        { received: id },
      ),
    );
  };
  const current = round === null ? [] : pairsOf(h, round);
  const keep = new Set(
    o.continuity === true ? current.map((p) => `${p.mentee}\u0000${p.mentor}`) : [],
  );
  const past = new Map<string, Set<string>>();
  /** mentee → round index → paired (true) or left unmatched (false) */
  const rounds = new Map<string, Map<number, boolean>>();
  h.records.forEach((r, k) => {
    const at = order.get(r.round)!;
    if (at > last) return;
    const mentee = menteeIds.has(r.mentee);
    if (!mentee) leftProgram(k, "mentee", r.mentee);
    if (r.mentor !== undefined && !mentorIds.has(r.mentor)) leftProgram(k, "mentor", r.mentor);
    if (!mentee) return;
    let mine = rounds.get(r.mentee);
    if (mine === undefined) rounds.set(r.mentee, (mine = new Map()));
    mine.set(at, r.mentor !== undefined);
    if (r.mentor === undefined || !mentorIds.has(r.mentor)) return;
    if (keep.has(`${r.mentee}\u0000${r.mentor}`)) return;
    let set = past.get(r.mentee);
    if (set === undefined) past.set(r.mentee, (set = new Set()));
    set.add(r.mentor);
  });
  if (gone > MAX_WARNINGS)
    warnings.push(
      pathIssue(
        "unknown_mentee",
        ["records"],
        `…and ${(gone - MAX_WARNINGS).toLocaleString("en-US")} more people in the history who are not in the new input (${gone.toLocaleString("en-US")} in all); their records are ignored`,
      ),
    );

  let pastPairs = 0;
  const unmatchedLastRound: string[] = [];
  const mentees = i.mentees.map((m): MenteeInput => {
    if (typeof m?.id !== "string") return m;
    const mine = rounds.get(m.id);
    const mentors = past.get(m.id);
    if (mine === undefined && mentors === undefined) return m;
    if (mine?.get(last) === false) unmatchedLastRound.push(m.id);
    const out: MenteeInput = { ...m };
    if (mentors !== undefined) {
      const had = Array.isArray(m.pastMentors) ? m.pastMentors : [];
      const known = new Set(had);
      const added = [...mentors].filter((id) => !known.has(id)).sort();
      pastPairs += mentors.size;
      if (added.length > 0) out.pastMentors = [...had, ...added];
    }
    if (mine !== undefined) {
      const start = typeof m.roundsUnmatched === "number" ? m.roundsUnmatched : 0;
      let count = start;
      for (const at of [...mine.keys()].sort((a, b) => a - b))
        count = mine.get(at) ? 0 : Math.min(count + 1, INPUT_LIMITS.count);
      if (count !== start || m.roundsUnmatched !== undefined) out.roundsUnmatched = count;
    }
    return out;
  });
  return {
    input: { ...(input as CohortInput), mentees },
    round,
    currentPairs: current.filter((p) => menteeIds.has(p.mentee) && mentorIds.has(p.mentor)),
    unmatchedLastRound: unmatchedLastRound.sort(),
    pastPairs,
    warnings,
  };
}
