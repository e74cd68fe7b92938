/**
 * A program's records as CSV (docs/IMPACT.md "CSV form", docs/CSV.md): `checkins.csv`
 * (`CHECKIN_FORMAT`) and `outcomes.csv` (`OUTCOME_FORMAT`), read row by row straight into a
 * match's follow-up (src/impact/followup.ts) — no record is kept, so millions of rows need memory
 * for the file's bytes and the cohort, not for the records — with every issue at its row and
 * column; and written back from records (UTF-8 with a byte order mark, formula cells escaped).
 */
import type { Cohort } from "../cohort/types.js";
import { FollowUpBuilder, type FollowUp, type ImpactMatch } from "../impact/followup.js";
import {
  isDay,
  type CheckInInput,
  type OutcomeInput,
  type ProgramRecordsInput,
} from "../impact/records.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import {
  listIssueAt,
  readCsvRecords,
  streamCsvRecords,
  withCellIssues,
  type CsvOrigin,
  type CsvSource,
} from "./csv.js";
import {
  CHECKIN_FORMAT,
  MATCHES_FORMAT,
  OUTCOME_FORMAT,
  escapeFormula,
  quote,
} from "./csv-format.js";

/** The records' CSV files and the program's start. */
export interface FollowUpCsvSources {
  /** The program's start, YYYY-MM-DD: times are measured from it. */
  readonly start: string;
  /** `checkins.csv`: mentee, mentor, date, held, note, proficiency:<skill>… */
  readonly checkIns: CsvSource;
  /** `outcomes.csv`: person, kind, date, goal (none: no outcomes recorded). */
  readonly outcomes?: CsvSource;
}

/** `safeParseFollowUpCsv`'s result. */
export type SafeFollowUpCsvResult =
  | { readonly ok: true; readonly followUp: FollowUp; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly issues: readonly Issue[]; readonly warnings: readonly Issue[] };

/**
 * Reads the records' CSV files of a match of `cohort` into its follow-up, for `scorecard`,
 * `trajectories` and the impact report: each row checked on its own, against the cohort and
 * against the other rows, every issue at its file, row and column (a skill column the cohort
 * does not know once, at its header).
 */
export function safeParseFollowUpCsv(
  cohort: Cohort,
  result: ImpactMatch,
  sources: FollowUpCsvSources,
): SafeFollowUpCsvResult {
  const { start } = sources;
  if (!isDay(start))
    return {
      ok: false,
      issues: [
        pathIssue(
          "invalid_value",
          ["start"],
          `Expected the program's start as YYYY-MM-DD, got ${JSON.stringify(start)}`,
        ),
      ],
      warnings: [],
    };
  const csvIssues: Issue[] = [];
  const warnings: Issue[] = [];
  const builder = new FollowUpBuilder(cohort, result, start);
  const skills = new Set(cohort.index.skillIds);

  const checkInOrigin = streamCsvRecords(
    { file: "checkins.csv", ...sources.checkIns } as CsvSource,
    CHECKIN_FORMAT,
    csvIssues,
    warnings,
    (record) => builder.checkIn(record),
    skills,
  );
  const outcomeOrigin = sources.outcomes
    ? streamCsvRecords(
        { file: "outcomes.csv", ...sources.outcomes } as CsvSource,
        OUTCOME_FORMAT,
        csvIssues,
        warnings,
        (record) => builder.outcome(record),
      )
    : null;
  const done = builder.finish();
  if (done.ok && csvIssues.length === 0) return { ok: true, followUp: done.followUp, warnings };
  if (!checkInOrigin.readable || (outcomeOrigin && !outcomeOrigin.readable))
    return { ok: false, issues: csvIssues, warnings };
  const origins = { checkIns: checkInOrigin, outcomes: outcomeOrigin };
  const issues = withCellIssues(csvIssues, done.ok ? [] : done.issues, (issue) =>
    cellOf(issue, origins, skills),
  );
  return { ok: false, issues, warnings };
}

/** `safeParseFollowUpCsv`, throwing `InputError` (every issue, the warnings beside). */
export function parseFollowUpCsv(
  cohort: Cohort,
  result: ImpactMatch,
  sources: FollowUpCsvSources,
): { readonly followUp: FollowUp; readonly warnings: readonly Issue[] } {
  const r = safeParseFollowUpCsv(cohort, result, sources);
  if (!r.ok) throw new InputError(r.issues, "records CSV", r.warnings);
  return { followUp: r.followUp, warnings: r.warnings };
}

/** An issue of the records at its file, row and column (`listIssueAt`); null for one in a
 * column already reported at its header: missing, or a skill the cohort does not know. */
function cellOf(
  issue: Issue,
  origins: { readonly checkIns: CsvOrigin; readonly outcomes: CsvOrigin | null },
  skills: ReadonlySet<string>,
): Issue | null {
  if (issue.location.kind !== "path") return issue;
  const [list, , field, sub] = issue.location.path;
  if (list !== "checkIns" && list !== "outcomes") return issue;
  if (field === "proficiency" && typeof sub === "string" && !skills.has(sub)) return null;
  const origin = origins[list];
  return origin ? listIssueAt(issue, origin, list) : issue;
}

/** A match's pairs from the matches CSV (`mentorflow match --out`), not yet checked against a
 * cohort (`FollowUpBuilder` does): the pairs, the CSV's issues and warnings, and where each pair
 * came from (`listIssueAt(issue, origin, "pairs")`). Not part of the public API. */
export function readMatchesCsv(source: CsvSource): {
  readonly match: ImpactMatch;
  readonly issues: readonly Issue[];
  readonly warnings: readonly Issue[];
  readonly origin: CsvOrigin;
} {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const { records, origin } = readCsvRecords(
    { file: "matches.csv", ...source } as CsvSource,
    MATCHES_FORMAT,
    issues,
    warnings,
  );
  const pairs = records
    .filter((r) => typeof r.mentee === "string" && typeof r.mentor === "string")
    .map((r) => ({ mentee: r.mentee as string, mentor: r.mentor as string }));
  return { match: { pairs }, issues, warnings, origin };
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Writing

const BOM = "\uFEFF";

/** The records' CSV files' text (`checkins.csv`, `outcomes.csv`): one row a record in the order
 * given, a `proficiency:<skill>` column for each skill re-assessed (sorted), UTF-8 with a byte
 * order mark, formula-looking cells escaped with a leading `'` (which the reader removes). A
 * note's surrounding white space is not kept (the reader trims cells). For valid records
 * (`parseProgramRecords`). */
export function writeProgramRecordsCsv(
  records: Pick<ProgramRecordsInput, "checkIns" | "outcomes">,
  options: { readonly newline?: "\n" | "\r\n" } = {},
): { readonly checkIns: string; readonly outcomes: string } {
  const nl = options.newline ?? "\n";
  const text = (v: string | undefined) => (v === undefined ? "" : quote(escapeFormula(v.trim())));
  const skills = new Set<string>();
  for (const c of records.checkIns) for (const skill in c.proficiency) skills.add(skill);
  const sorted = [...skills].sort();
  const checkIns: string[] = [
    ["mentee", "mentor", "date", "held", "note", ...sorted.map((s) => `proficiency:${s}`)]
      .map(quote)
      .join(","),
  ];
  for (const c of records.checkIns as readonly CheckInInput[]) {
    const row = [text(c.mentee), text(c.mentor), c.date, c.held ? "true" : "false", text(c.note)];
    for (const s of sorted) {
      const v = c.proficiency?.[s];
      row.push(v === undefined ? "" : String(v));
    }
    checkIns.push(row.join(","));
  }
  const outcomes: string[] = ["person,kind,date,goal"];
  for (const e of records.outcomes as readonly OutcomeInput[])
    outcomes.push([text(e.person), e.kind, e.date, text(e.goal)].join(","));
  return {
    checkIns: BOM + checkIns.join(nl) + nl,
    outcomes: BOM + outcomes.join(nl) + nl,
  };
}
