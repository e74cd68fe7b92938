/**
 * CSV intake: mentees and mentors as CSV text (one row a person, see docs/CSV.md) plus the program
 * config as JSON, turned into a validated `Cohort`.
 *
 * Files as spreadsheets save them: UTF-8 (a byte order mark is skipped) or UTF-16 with a byte
 * order mark; cells separated by commas, `;` or tabs (an Excel `sep=X` first line, else the
 * header row tells); decimal commas where the comma does not separate cells.
 *
 * Two layers of checks, reported together:
 * 1. CSV issues: bytes that are not UTF-8 (when the file is given as bytes), malformed CSV,
 *    missing / duplicate / unknown columns, cells that are not a number or boolean, rows with the
 *    wrong number of cells, a file with no data rows. A cell a message repeats is shown by
 *    `showCell` (cut, never formula text raw). Warnings: unknown columns, formula-looking cells,
 *    ids that differ only in case or spaces.
 * 2. Validation issues from `parseCohort` (ranges, duplicate ids, unknown references …). Their
 *    paths (`mentees[12].targets.sql`) are mapped back to the cell they came from
 *    (`mentees.csv row 14, column "target:sql"`).
 * Every non-blank row becomes a record (cells that could not be read are left out of it), so row
 * k of the data is always `mentees[k]`: a bad row is reported, never dropped.
 *
 * Rows are numbered as a spreadsheet shows them: the header is row 1 (an Excel `sep=` line is not
 * a row, as Excel hides it) and a quoted cell spanning several lines still counts as one row.
 * When the text line differs (after such a cell, or a `sep=` line) the message says so.
 */
import { Parser } from "csv-parse";
import { CsvError, parse } from "csv-parse/sync";
import { splitRecords } from "./csv-split.js";
import { Buffer, constants, isUtf8 } from "node:buffer";
import type { Cohort } from "../cohort/types.js";
import { safeParseCohort } from "../cohort/parse.js";
import { InputError, type Issue, type IssueCode } from "../schema/errors.js";
import { nearId, nearKey } from "../schema/validate.js";
import type { CohortInput, MenteeInput, MentorInput } from "../schema/input.js";
import {
  LIST_SEPARATOR,
  MENTEE_FORMAT,
  MENTOR_FORMAT,
  TRAINING_DATE_SEPARATOR,
  showCell,
  showColumn,
  unescapeFormula,
  type ColumnSpec,
  type CsvFormat,
  type PrefixSpec,
} from "./csv-format.js";

/**
 * A CSV file's content and the file name used in issues (default `mentees.csv` / `mentors.csv`).
 * Give the file's **bytes** when you have them (a `Buffer` from `readFile`): they are checked to be
 * UTF-8, and bytes that are not are an `invalid_utf8` issue at their row and column; UTF-16 with a
 * byte order mark is decoded. Text that is already a string has no bytes left to check; it is
 * read as it is.
 */
export type CsvSource =
  | { readonly bytes: Uint8Array; readonly file?: string }
  | { readonly text: string; readonly file?: string };

export interface CohortCsvSources {
  readonly mentees: CsvSource;
  readonly mentors: CsvSource;
  /** The program config: the parsed JSON object `{ skills, strategy, program }`. */
  readonly config: unknown;
}

/** Where each person record came from, for mapping validation paths back to cells. */
export interface CsvOrigin {
  readonly file: string;
  /** Spreadsheet row (header = 1) of each record, in record order. */
  readonly rows: readonly number[];
  /** Text line each record starts on (differs from `rows` after multi-line cells). */
  readonly lines: readonly number[];
  /** Header as written (as issues show it, see `showColumn`), by field path key (`level`,
   * `targets.sql`, `consent.analytics`). */
  readonly headers: ReadonlyMap<string, string>;
  /** Field keys of required columns missing from the header. */
  readonly missing: ReadonlySet<string>;
  /** False when the file could not be read as CSV at all. */
  readonly readable: boolean;
}

export interface CohortCsvRead {
  /** The raw cohort assembled from the CSV rows and the config (not yet validated). */
  readonly input: CohortInput;
  /** CSV-level issues (errors). */
  readonly issues: readonly Issue[];
  /** Things worth knowing that do not stop the intake (unknown columns are ignored). */
  readonly warnings: readonly Issue[];
  readonly origin: { readonly mentees: CsvOrigin; readonly mentors: CsvOrigin };
}

export interface CohortCsvResult {
  readonly cohort: Cohort;
  readonly warnings: readonly Issue[];
}

export type SafeCohortCsvResult =
  | { readonly ok: true; readonly cohort: Cohort; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly issues: readonly Issue[]; readonly warnings: readonly Issue[] };

/** Reads, validates and indexes a cohort from CSV; throws `InputError` with every issue. */
export function parseCohortCsv(sources: CohortCsvSources): CohortCsvResult {
  const result = safeParseCohortCsv(sources);
  if (!result.ok) throw new InputError(result.issues, "cohort CSV", result.warnings);
  return { cohort: result.cohort, warnings: result.warnings };
}

/** Like `parseCohortCsv`, but returns the issues instead of throwing. */
export function safeParseCohortCsv(sources: CohortCsvSources): SafeCohortCsvResult {
  return checkCohortCsvRead(readCohortCsv(sources));
}

/**
 * The second half of `safeParseCohortCsv`: validates `input` (by default the input read) with
 * the validation issues mapped to the cells of `read`. `input` may differ from `read.input` in
 * field values only, record for record (the history applied by `mentorflow match --history`).
 * Not part of the public API.
 */
export function checkCohortCsvRead(
  read: CohortCsvRead,
  input: CohortInput = read.input,
): SafeCohortCsvResult {
  const { mentees, mentors } = read.origin;
  // A file that is not CSV at all, or has no data rows, leaves the other side's references
  // dangling: validating would only add noise, so report the CSV issues alone.
  if (
    !mentees.readable ||
    !mentors.readable ||
    mentees.rows.length === 0 ||
    mentors.rows.length === 0
  ) {
    return { ok: false, issues: read.issues, warnings: read.warnings };
  }
  const parsed = safeParseCohort(input);
  if (parsed.ok && read.issues.length === 0) {
    return { ok: true, cohort: parsed.cohort, warnings: read.warnings };
  }
  const issues = parsed.ok
    ? [...read.issues]
    : withCellIssues(read.issues, parsed.issues, (issue) => mapIssue(issue, read.origin));
  return { ok: false, issues, warnings: read.warnings };
}

/**
 * Reads both CSV files into a raw `CohortInput` (no validation beyond the CSV layer). Useful to
 * inspect or edit the input before `parseCohort`, or to convert CSV to JSON.
 */
export function readCohortCsv(sources: CohortCsvSources): CohortCsvRead {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const config = readConfig(sources.config, issues);
  const skills = knownSkills(config);
  const mentees = readPeople(sources.mentees, MENTEE_FORMAT, skills, issues, warnings);
  const mentors = readPeople(sources.mentors, MENTOR_FORMAT, skills, issues, warnings);
  similarIds(mentees, mentors, warnings);
  const input = {
    ...config,
    mentees: mentees.records as unknown as MenteeInput[],
    mentors: mentors.records as unknown as MentorInput[],
  } as CohortInput;
  return { input, issues, warnings, origin: { mentees: mentees.origin, mentors: mentors.origin } };
}

/**
 * Warnings for ids that differ only in case or white space (`M005`, `m 005`): they are different
 * people to the matching, which is seldom what was meant. In one file, at the later row; between
 * the files, at the mentor row (a person who is both uses the same id in both files).
 */
function similarIds(mentees: PeopleRead, mentors: PeopleRead, warnings: Issue[]): void {
  // Warns within one file; returns each near key's first id and every id as written.
  const withinFile = (side: PeopleRead, role: "mentee" | "mentor") => {
    const first = new Map<string, { id: string; row: number }>();
    const exact = new Set<string>();
    const warned = new Set<string>();
    const column = side.origin.headers.get("id");
    side.records.forEach((record, k) => {
      const id = record.id;
      if (typeof id !== "string") return;
      const key = nearKey(id);
      const seen = first.get(key);
      exact.add(id);
      if (seen === undefined) first.set(key, { id, row: side.origin.rows[k] });
      else if (seen.id !== id && !warned.has(id)) {
        warned.add(id);
        warnings.push(
          csvIssue(
            "similar_id",
            side.origin.file,
            side.origin.rows[k],
            column,
            `Id ${showCell(id)} differs from ${showCell(seen.id)} (row ${seen.row}) only in ` +
              `case or spaces: they are two different ${role}s; write one person's id the same way each time`,
          ),
        );
      }
    });
    return { first, exact };
  };
  const e = withinFile(mentees, "mentee");
  withinFile(mentors, "mentor");
  const column = mentors.origin.headers.get("id");
  const warned = new Set<string>();
  mentors.records.forEach((record, k) => {
    const id = record.id;
    if (typeof id !== "string" || e.exact.has(id) || warned.has(id)) return;
    const seen = e.first.get(nearKey(id));
    if (seen === undefined) return;
    warned.add(id);
    warnings.push(
      csvIssue(
        "similar_id",
        mentors.origin.file,
        mentors.origin.rows[k],
        column,
        `Mentor id ${showCell(id)} differs from mentee id ${showCell(seen.id)} ` +
          `(${mentees.origin.file} row ${seen.row}) only in case or spaces: they are two different ` +
          `people; for one person who is both, write the id the same way in both files`,
      ),
    );
  });
}

/** Maps a validation issue at `mentees[k]…` / `mentors[k]…` to its CSV cell. Returns null for
 * an issue that repeats a missing-column issue. Other paths (config) are kept as they are. */
export function mapIssue(
  issue: Issue,
  origin: { readonly mentees: CsvOrigin; readonly mentors: CsvOrigin },
): Issue | null {
  if (issue.location.kind !== "path") return issue;
  const [role, k, ...rest] = issue.location.path;
  if ((role !== "mentees" && role !== "mentors") || typeof k !== "number") return issue;
  const o = origin[role];
  if (k < 0 || k >= o.rows.length) return issue;
  const field = fieldKeyOf(rest);
  if (field !== undefined && o.missing.has(field)) return null;
  const column = field === undefined ? undefined : o.headers.get(field);
  const row = o.rows[k];
  const line = o.lines[k];
  return atCell(issue, o.file, row, line, column, rowsInMessage(issue.message, role, origin));
}

/** `issue` at a cell (or a row: `column` undefined), its message the one given, with the text
 * line when it is not the row's number. The issue's details (expected, received, limits) travel
 * with it. */
function atCell(
  issue: Issue,
  file: string,
  row: number,
  line: number,
  column: string | undefined,
  message: string,
): Issue {
  return {
    ...issue,
    location:
      column === undefined ? { kind: "csv", file, row } : { kind: "csv", file, row, column },
    message: line === row ? message : `${message} (text line ${line})`,
  };
}

/** An issue at `<list>[k].<field>…` of a list read from one CSV file, a record a row (the round
 * history, a program's records, the matches), at its row and column; other records named in its
 * message (`<list>[2]`) become rows. Null for an issue that repeats a missing column. Not part of
 * the public API. */
export function listIssueAt(issue: Issue, origin: CsvOrigin, list: string): Issue | null {
  if (issue.location.kind !== "path") return issue;
  const [head, k, field] = issue.location.path;
  if (head !== list || typeof k !== "number" || k < 0 || k >= origin.rows.length) return issue;
  if (typeof field === "string" && origin.missing.has(field)) return null;
  // A prefix column (`proficiency:sql`) fills a key inside its field: `<list>[k].proficiency.sql`.
  const sub = issue.location.path[3];
  const inner = typeof sub === "string" ? `${String(field)}.${sub}` : undefined;
  const column =
    inner !== undefined && origin.headers.has(inner)
      ? origin.headers.get(inner)
      : typeof field === "string"
        ? origin.headers.get(field)
        : undefined;
  const row = origin.rows[k];
  const line = origin.lines[k];
  const named = new RegExp(`"(?:[^"\\\\]|\\\\.)*"|\\b${list}\\[(\\d+)\\]`, "g");
  const message = issue.message.replace(named, (match, j?: string) => {
    if (j === undefined) return match;
    const r = origin.rows[Number(j)];
    return r === undefined ? match : `row ${r}`;
  });
  return atCell(issue, origin.file, row, line, column, message);
}

/** A validation message names other records by path (`is already used by mentees[0]`); in a CSV
 * issue they are named by row (`row 2`, with the file when it is the other one), so one message
 * never mixes the two conventions. Quoted text (ids, as `showCell` quotes them) is left alone. */
function rowsInMessage(
  message: string,
  role: "mentees" | "mentors",
  origin: { readonly mentees: CsvOrigin; readonly mentors: CsvOrigin },
): string {
  if (!message.includes("[")) return message;
  return message.replace(RECORD_PATH, (match, list?: "mentees" | "mentors", k?: string) => {
    if (list === undefined) return match; // a quoted string
    const o = origin[list];
    const row = o.rows[Number(k)];
    if (row === undefined) return match;
    return list === role ? `row ${row}` : `${o.file} row ${row}`;
  });
}

/** A JSON-quoted string (kept as it is), or a record path `mentees[3]` / `mentors[0]`. */
const RECORD_PATH = /"(?:[^"\\]|\\.)*"|\b(mentees|mentors)\[(\d+)\]/g;

// ————————————————————————————————————————————————————————————————————————————————————————————

/**
 * Reads one CSV file of `format` into raw records (one per non-blank data row, cells that could
 * not be read left out) with the reader's conventions (encoding, separator, quoting, formula
 * cells, row numbers), pushing CSV issues and warnings. For formats beside the cohort's (the round
 * history, src/node/history.ts); not part of the public API.
 */
export function readCsvRecords(
  source: CsvSource,
  format: CsvFormat,
  issues: Issue[],
  warnings: Issue[],
): { readonly records: Record<string, unknown>[]; readonly origin: CsvOrigin } {
  return readPeople(source, format, null, issues, warnings);
}

/** Takes each record as its row is read, instead of keeping it (the origin keeps its row and
 * text line, for issues). */
export type RecordSink = (record: Record<string, unknown>) => void;

/**
 * `readCsvRecords` for files too big to hold as records (the impact records, src/node/impact.ts):
 * each record goes to `sink` as its row is read and none is kept (the origin keeps each one's
 * row and text line, two numbers). Not part of the public API.
 */
export function streamCsvRecords(
  source: CsvSource,
  format: CsvFormat,
  issues: Issue[],
  warnings: Issue[],
  sink: RecordSink,
  /** The skills a prefix column may name (else an issue at its header); null: any. */
  skills: ReadonlySet<string> | null = null,
): CsvOrigin {
  return readPeople(source, format, skills, issues, warnings, sink).origin;
}

interface PeopleRead {
  readonly records: Record<string, unknown>[];
  readonly origin: CsvOrigin;
}

/** A header cell resolved to what it fills. */
type Target =
  | { readonly kind: "column"; readonly spec: ColumnSpec; readonly key: string }
  | {
      readonly kind: "prefix";
      readonly spec: PrefixSpec;
      readonly name: string;
      readonly key: string;
    }
  | { readonly kind: "ignored" };

/** How one column fills a record, worked out once from its header. */
interface ColumnReader {
  readonly kind: ColumnSpec["kind"] | "ignored";
  /** The record field, and the key inside it for `consent.analytics` and prefix columns. */
  readonly head: string;
  readonly sub: string | undefined;
  /** The header as written, for issues (`showColumn`). */
  readonly label: string;
  /** An empty header: data under it is warned about. */
  readonly unnamed: boolean;
  /** A number column of whole numbers (messages say so). */
  readonly whole: boolean;
}

/** csv-parse's options as the reader gives them, shared by the reader and the encoding check so
 * both see the same rows (and by the quick split's test, csv-split.test.ts). Not part of the
 * public API. */
export function csvOptions(lineBreak: string | string[], separator: Separator) {
  return {
    bom: true,
    delimiter: separator,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    record_delimiter: lineBreak,
  };
}

type CsvOptions = ReturnType<typeof csvOptions>;

function readPeople(
  source: CsvSource,
  format: CsvFormat,
  skills: ReadonlySet<string> | null,
  issues: Issue[],
  warnings: Issue[],
  sink?: RecordSink,
): PeopleRead {
  const file = source.file ?? `${format.role}.csv`;
  const records: Record<string, unknown>[] = [];
  const rows: number[] = [];
  const lines: number[] = [];
  const headers = new Map<string, string>();
  const missing = new Set<string>();
  const unreadable = (): PeopleRead => ({
    records,
    origin: { file, rows, lines, headers, missing, readable: false },
  });

  const input = prepare(source, file, issues);
  if (input === null) return unreadable();
  const { bytes, separator, shift } = input;
  // Decimal commas (`3,5`) are read only where the comma does not separate cells.
  const decimalComma = separator !== ",";
  const breaks = lineBreaks(bytes);
  // A fast native check; the slow search for where the bad bytes are runs only when it fails.
  if (input.check && !isUtf8(bytes)) {
    issues.push(...encodingIssues(bytes, file, csvOptions(breaks.delimiter, separator), shift));
    return unreadable();
  }
  // Rows are read one at a time as the parser meets them (none is kept but as a record, and
  // none at all with a sink); their issues are kept aside, so a file the parser then rejects
  // reports its syntax issue alone.
  const rowIssues: Issue[] = [];
  const rowWarnings: Issue[] = [];
  let formulas = 0; // formula-looking cells seen (the first MAX_FORMULA_WARNINGS are listed)
  let seen = 0; // non-blank data rows
  let r = 0; // spreadsheet row of the last parsed record (blank lines count, as a spreadsheet shows them)
  let nextLine = 1; // text line the next record starts on
  let headerRow = 0;
  let width = 0;
  let header: readonly string[] = [];
  let columns: ColumnReader[] = [];
  const unnamedWithData = new Set<number>();
  const required: { spec: ColumnSpec; c: number }[] = [];
  // Skill maps are required by the cohort's schema even when a person lists no skill.
  const people = format.role === "mentees" || format.role === "mentors";
  const bags = people
    ? format.prefixes.filter((p) => p.field !== "sensitive").map((p) => p.field)
    : [];

  const readHeader = (cells: readonly string[], row: number) => {
    headerRow = row;
    header = cells;
    width = header.length;
    const targets = resolveHeader(
      [...header],
      format,
      file,
      headerRow,
      skills,
      rowIssues,
      rowWarnings,
      headers,
    );
    for (const spec of format.columns) {
      if (spec.required === true && !headers.has(spec.field)) {
        missing.add(spec.field);
        rowIssues.push(
          csvIssue(
            "missing_column",
            file,
            headerRow,
            spec.header,
            `Missing required column "${spec.header}" (${spec.doc})`,
          ),
        );
      }
    }
    columns = targets.map((t, c) => columnReader(t, header[c]));
    targets.forEach((t, c) => {
      if (t.kind === "column" && t.spec.required === true) required.push({ spec: t.spec, c });
    });
  };

  const readRow = (cells: string[]) => {
    const row = ++r;
    const start = nextLine;
    nextLine += 1;
    for (const cell of cells) if (LINE_BREAK.test(cell)) nextLine += countBreaks(cell);
    if (isBlank(cells)) return;
    if (headerRow === 0) {
      readHeader(cells, row);
      return;
    }
    const issues = rowIssues;
    const warnings = rowWarnings;
    const line = start + shift;
    const at = line === row ? "" : ` (text line ${line})`;
    if (cells.length !== width) {
      issues.push(
        csvIssue(
          "column_count",
          file,
          row,
          undefined,
          `Expected ${width} cells as in the header, found ${cells.length}${at}` +
            (cells.length > width ? `; ${SPLIT_HINT[separator]}` : "; fill in empty cells"),
        ),
      );
    }
    const record: Record<string, unknown> = {};
    const n = cells.length < width ? cells.length : width;
    for (let c = 0; c < n; c++) {
      let cell = cells[c];
      if (cell === "") continue;
      cell = cell.trim();
      if (cell === "") continue;
      const column = columns[c];
      if (column.kind === "ignored") {
        if (column.unnamed) unnamedWithData.add(c);
        continue;
      }
      const first = cell.charCodeAt(0);
      if (first === 0x27) {
        cell = unescapeFormula(cell); // a leading '
      } else if (
        FORMULA_START[first] === 1 &&
        column.kind !== "number" &&
        column.kind !== "boolean" &&
        readNumber(cell, decimalComma) === undefined
      ) {
        // Kept as written (it is the user's value), but worth a look: see docs/CSV.md.
        if (formulas++ < MAX_FORMULA_WARNINGS) {
          warnings.push(
            csvIssue(
              "formula_cell",
              file,
              row,
              column.label,
              `Looks like a spreadsheet formula: ${showCell(cell)} is kept as text, as written; ` +
                `check the value (a spreadsheet saves a formula's result, not the formula), ` +
                `or start it with ' to mark it as text${at}`,
            ),
          );
        }
      }
      let value: unknown;
      let wrong: string | undefined; // what is wrong with the cell, when it cannot be read
      switch (column.kind) {
        case "text":
          value = cell;
          break;
        case "number":
          value = readNumber(cell, decimalComma);
          if (value === undefined) wrong = numberProblem(cell, column.whole, decimalComma);
          break;
        case "boolean":
          value = BOOLEANS.get(cell.toLowerCase());
          if (value === undefined)
            wrong = `Expected true/false, yes/no or 1/0, got ${showCell(cell)}`;
          break;
        case "list":
          value = splitList(cell);
          break;
        case "training":
          value = readTraining(cell);
          break;
      }
      if (wrong !== undefined) {
        issues.push(csvIssue("invalid_cell", file, row, column.label, `${wrong}${at}`));
        continue;
      }
      if (column.sub === undefined) {
        record[column.head] = value;
      } else {
        const bag = (record[column.head] ??= {}) as Bag;
        setOwn(bag, column.sub, value);
      }
    }
    for (const { spec, c } of required) {
      const { head, sub } = columns[c];
      const value = sub === undefined ? record[head] : (record[head] as Bag | undefined)?.[sub];
      if (value !== undefined) continue;
      if (c < cells.length && cells[c].trim() !== "") continue; // reported as invalid above
      issues.push(
        csvIssue("missing_value", file, row, columns[c].label, `Missing value: ${spec.doc}${at}`),
      );
    }
    for (const field of bags) if (record[field] === undefined) record[field] = {};
    seen++;
    if (sink) sink(record);
    else records.push(record);
    rows.push(row);
    lines.push(line);
  };

  const failed = eachRecord(bytes, csvOptions(breaks.delimiter, separator), readRow);
  if (failed !== null) {
    issues.push(syntaxIssue(failed, file));
    return unreadable();
  }
  if (headerRow === 0) {
    issues.push(
      csvIssue("empty_file", file, 1, undefined, `${file} is empty: expected a header row first`),
    );
    return unreadable();
  }
  issues.push(...rowIssues);
  warnings.push(...rowWarnings);

  if (formulas > MAX_FORMULA_WARNINGS) {
    warnings.push(
      csvIssue(
        "formula_cell",
        file,
        headerRow,
        undefined,
        `…and ${(formulas - MAX_FORMULA_WARNINGS).toLocaleString("en-US")} more cells that look ` +
          `like spreadsheet formulas (${formulas.toLocaleString("en-US")} in all), kept as written`,
      ),
    );
  }
  if (seen === 0 && format.emptyOk !== true) {
    const one = format.role === "mentees" ? "mentee" : "mentor";
    issues.push(
      csvIssue(
        "no_rows",
        file,
        headerRow,
        undefined,
        `No data rows: ${file} has a header but no ${format.role}; add one row per ${one} below the header`,
      ),
    );
  }
  for (const c of unnamedWithData) {
    warnings.push(
      csvIssue(
        "unnamed_column",
        file,
        headerRow,
        undefined,
        `Column ${c + 1} has no header; its values are ignored`,
      ),
    );
  }
  return { records, origin: { file, rows, lines, headers, missing, readable: true } };
}

/** Bytes handed to the parser at a time. */
const CHUNK = 1 << 20;

/**
 * Parses `bytes` as CSV and hands each record to `onRecord` as soon as it is parsed, none kept:
 * the quick split of well-formed text (`splitRecords`), else csv-parse's stream parser, written
 * a chunk at a time and read empty after each (its transform runs synchronously, so every record
 * is out before this returns). The parser's error, or null.
 */
function eachRecord(
  bytes: Buffer,
  options: CsvOptions,
  onRecord: (cells: string[]) => void,
): unknown {
  // Well-formed text (most files) takes the quick way; csv-parse judges the rest (csv-split.ts).
  const { delimiter, record_delimiter: lineBreak } = options;
  // (A file too long for one string, over about 512 MB, goes to csv-parse a chunk at a time.)
  if (
    typeof lineBreak === "string" &&
    bytes.length < constants.MAX_STRING_LENGTH &&
    splitRecords(bytes.toString("utf8"), delimiter, lineBreak, onRecord)
  )
    return null;
  const parser = new Parser(options);
  parser.on("error", () => {}); // read from `errored` below; an unheard error event would throw
  for (let at = 0; ; at += CHUNK) {
    const last = at + CHUNK >= bytes.length;
    const chunk = bytes.subarray(at, Math.min(at + CHUNK, bytes.length));
    if (last) parser.end(chunk);
    else parser.write(chunk);
    let cells: string[] | null;
    while ((cells = parser.read() as string[] | null) !== null) onRecord(cells);
    if (parser.errored) return parser.errored;
    if (last) return null;
  }
}

/** A cell separator the reader knows: comma (the default), semicolon, tab, or `|` (only by an
 * Excel `sep=|` line). */
export type Separator = "," | ";" | "\t" | "|";

/** What to say when a row has more cells than the header. */
const SPLIT_HINT: Record<Separator, string> = {
  ",": "is a value with a comma missing its quotes?",
  ";": 'is a value with a ";" missing its quotes? (in a file separated by ";", a list such as en;de must be quoted: "en;de")',
  "\t": "is a value with a tab missing its quotes?",
  "|": 'is a value with a "|" missing its quotes?',
};

/** A source made ready to parse. */
interface Prepared {
  /** UTF-8 bytes (UTF-16 is decoded first), without an Excel `sep=` line. */
  readonly bytes: Buffer;
  /** Whether the bytes came as UTF-8 bytes, and so are checked to be UTF-8. */
  readonly check: boolean;
  readonly separator: Separator;
  /** Text lines before `bytes` (1 after a `sep=` line, which is not a row). */
  readonly shift: number;
}

/**
 * The bytes to parse (UTF-8, UTF-16 with a byte order mark decoded), the cell separator (an
 * Excel `sep=X` first line, else the one the header row uses most among `,` `;` and tab, a comma
 * on a tie) and how many text lines come before them; null, with an issue, for a source that is
 * not CSV text.
 */
function prepare(source: unknown, file: string, issues: Issue[]): Prepared | null {
  const notText = (row: number, message: string): null => {
    issues.push(csvIssue("not_text", file, row, undefined, message));
    return null;
  };
  if (source === null || typeof source !== "object") {
    return notText(1, `Expected the CSV bytes or text of ${file}`);
  }
  const { bytes: given, text } = source as { bytes?: unknown; text?: unknown };
  let bytes: Buffer;
  let check = true;
  if (given instanceof Uint8Array) {
    bytes = Buffer.isBuffer(given)
      ? given
      : Buffer.from(given.buffer, given.byteOffset, given.byteLength);
    if (startsWith(bytes, ZIP) || startsWith(bytes, OLE)) {
      return notText(
        1,
        `${file} is a spreadsheet workbook (.xlsx, .xls or .ods), not a CSV file; ${SAVE_AS_UTF8}`,
      );
    }
    if (startsWith(bytes, UTF16_LE) || startsWith(bytes, UTF16_BE)) {
      const bigEndian = bytes[0] === 0xfe;
      const decoded = decodeUtf16(bytes, bigEndian);
      if (typeof decoded !== "string") {
        return notText(
          decoded.line,
          `Not UTF-16: the file starts as UTF-16 ${bigEndian ? "BE" : "LE"} (a byte order mark) ` +
            `but ${decoded.what} on text line ${decoded.line}; ${SAVE_AS_UTF8}`,
        );
      }
      bytes = Buffer.from(decoded, "utf8");
      check = false;
    }
  } else if (typeof text === "string") {
    bytes = Buffer.from(text, "utf8");
    check = false;
  } else {
    return notText(1, `Expected the CSV bytes or text of ${file}`);
  }

  const sep = sepLine(bytes);
  if (sep === null) return { bytes, check, separator: headerSeparator(bytes), shift: 0 };
  if (sep.separator === null) {
    issues.push(
      csvIssue(
        "csv_syntax",
        file,
        1,
        undefined,
        `Not valid CSV: the first line ${showCell(sep.line)} names a separator the reader does ` +
          `not know; use sep=, or sep=; or sep= and a tab, or remove the line`,
      ),
    );
    return null;
  }
  return { bytes: bytes.subarray(sep.end), check, separator: sep.separator, shift: 1 };
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16_LE = [0xff, 0xfe];
const UTF16_BE = [0xfe, 0xff];
/** A ZIP archive (.xlsx, .ods) and an OLE compound file (.xls). */
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * UTF-16 bytes after a byte order mark, as text; or what is wrong and on which text line: an odd
 * number of bytes, or half of a surrogate pair alone (never replaced by U+FFFD silently).
 */
function decodeUtf16(
  bytes: Buffer,
  bigEndian: boolean,
): string | { readonly what: string; readonly line: number } {
  const n = bytes.length;
  const unit = (i: number) =>
    bigEndian ? (bytes[i] << 8) | bytes[i + 1] : bytes[i] | (bytes[i + 1] << 8);
  let line = 1;
  for (let i = 2; i < n; i += 2) {
    if (i + 1 >= n) return { what: "it ends in half a character (an odd number of bytes)", line };
    const u = unit(i);
    if (u === 0x0a || (u === 0x0d && (i + 3 >= n || unit(i + 2) !== 0x0a))) line++;
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = i + 3 < n ? unit(i + 2) : -1;
      if (next < 0xdc00 || next > 0xdfff) return { what: "a character is cut in half", line };
      i += 2;
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      return { what: "a character is cut in half", line };
    }
  }
  const body = bytes.subarray(2);
  return bigEndian ? Buffer.from(body).swap16().toString("utf16le") : body.toString("utf16le");
}

/** An Excel `sep=X` first line (after a UTF-8 byte order mark): the separator it names (null when
 * it is not one the reader knows), the line as written, and where the next line starts. */
function sepLine(
  bytes: Buffer,
): { readonly separator: Separator | null; readonly line: string; readonly end: number } | null {
  const from = startsWith(bytes, UTF8_BOM) ? 3 : 0;
  if (bytes.length < from + 4) return null;
  const head = bytes.toString("latin1", from, from + 4).toLowerCase();
  if (head !== "sep=") return null;
  let eol = from + 4;
  while (eol < bytes.length && bytes[eol] !== 0x0a && bytes[eol] !== 0x0d) eol++;
  let end = eol;
  if (bytes[end] === 0x0d) end++;
  if (bytes[end] === 0x0a) end++;
  const line = bytes.toString("utf8", from, eol);
  const named = line.slice(4).replace(/ +$/, "");
  const separator =
    named === "," || named === ";" || named === "\t" || named === "|" ? named : null;
  return { separator, line, end };
}

/**
 * The separator the header row (the first line that is not blank) uses most, outside quotes,
 * among comma, semicolon and tab; a comma when there is a tie or none.
 */
function headerSeparator(bytes: Uint8Array): Separator {
  let comma = 0;
  let semicolon = 0;
  let tab = 0;
  let quoted = false;
  let content = false;
  for (let i = startsWith(bytes, UTF8_BOM) ? 3 : 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) {
      quoted = !quoted;
      content = true;
    } else if (quoted) {
      continue;
    } else if (b === 0x0a || b === 0x0d) {
      if (content) break;
      comma = semicolon = tab = 0; // a blank line (maybe ",,,"): the header comes later
    } else if (b === 0x2c) comma++;
    else if (b === 0x3b) semicolon++;
    else if (b === 0x09) tab++;
    else if (b !== 0x20) content = true;
  }
  if (comma >= semicolon && comma >= tab) return ",";
  return semicolon >= tab ? ";" : "\t";
}

function columnReader(target: Target, written: string): ColumnReader {
  const label = showColumn(written.trim());
  if (target.kind === "ignored") {
    const unnamed = written.trim() === "";
    return { kind: "ignored", head: "", sub: undefined, label, unnamed, whole: false };
  }
  if (target.kind === "prefix") {
    const { field, kind } = target.spec;
    return { kind, head: field, sub: target.name, label, unnamed: false, whole: false };
  }
  const { field, kind } = target.spec;
  const whole = target.spec.whole === true;
  const dot = field.indexOf(".");
  return dot < 0
    ? { kind, head: field, sub: undefined, label, unnamed: false, whole }
    : {
        kind,
        head: field.slice(0, dot),
        sub: field.slice(dot + 1),
        label,
        unnamed: false,
        whole,
      };
}

/**
 * The record delimiter of the file: the one kind of line break it uses (CRLF, LF or a lone CR),
 * or all three when it mixes them (which only csv-parse reads, and more slowly). Either way every
 * line break outside quotes ends a row.
 */
function lineBreaks(bytes: Buffer): { delimiter: string | string[] } {
  let lf = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) lf++;
  let cr = 0;
  let crlf = 0;
  for (let i = bytes.indexOf(0x0d); i >= 0; i = bytes.indexOf(0x0d, i + 1)) {
    cr++;
    if (bytes[i + 1] === 0x0a) crlf++;
  }
  const delimiter =
    cr === 0 ? "\n" : lf === 0 ? "\r" : crlf === cr && crlf === lf ? "\r\n" : ["\r\n", "\n", "\r"];
  return { delimiter };
}

const LINE_BREAK = /[\r\n]/;

function countBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) n++;
  }
  return n;
}

type Bag = Record<string, unknown>;

/** Sets an own property, also for a key named `__proto__` (a skill id is any text). */
function setOwn(bag: Bag, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(bag, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    bag[key] = value;
  }
}

function resolveHeader(
  header: readonly string[],
  format: CsvFormat,
  file: string,
  row: number,
  skills: ReadonlySet<string> | null,
  issues: Issue[],
  warnings: Issue[],
  headers: Map<string, string>,
): Target[] {
  const byName = new Map(format.columns.map((spec) => [spec.header, spec]));
  const seen = new Map<string, string>();
  const ignored: Target = { kind: "ignored" };
  return header.map((cell): Target => {
    const written = cell.trim();
    if (written === "") return ignored;
    const label = showColumn(written);
    const lower = written.toLowerCase();
    const spec = byName.get(lower);
    let target: Target | null = null;
    if (spec !== undefined) {
      target = { kind: "column", spec, key: spec.field };
    } else {
      const prefix = format.prefixes.find((p) => lower.startsWith(p.prefix));
      if (prefix !== undefined) {
        const name = written.slice(prefix.prefix.length).trim();
        if (name === "") {
          issues.push(
            csvIssue(
              "invalid_header",
              file,
              row,
              label,
              `Expected a name after "${prefix.prefix}"`,
            ),
          );
          return ignored;
        }
        target = { kind: "prefix", spec: prefix, name, key: `${prefix.field}.${name}` };
        if (prefix.field !== "sensitive" && skills !== null && !skills.has(name)) {
          const near = nearId(name, skills);
          issues.push({
            ...csvIssue(
              "unknown_skill",
              file,
              row,
              label,
              near === undefined
                ? `Unknown skill ${showCell(name)}: declare it in the config's skills or rename the column`
                : `Unknown skill ${showCell(name)}: did you mean ${showCell(near)}? Skill ids must match exactly, case and spaces included`,
            ),
            received: name,
            ...(near === undefined ? {} : { expected: near }),
          });
          return ignored;
        }
      }
    }
    if (target === null) {
      warnings.push(
        csvIssue(
          "unknown_column",
          file,
          row,
          label,
          `Unknown column ${showCell(written)} is ignored (known: ${knownColumns(format)})`,
        ),
      );
      return ignored;
    }
    const first = seen.get(target.key);
    if (first !== undefined) {
      issues.push(
        csvIssue(
          "duplicate_column",
          file,
          row,
          label,
          `Column ${showCell(written)} repeats column ${showCell(first)}; keep one of them`,
        ),
      );
      return ignored;
    }
    seen.set(target.key, written);
    headers.set(target.key, label);
    return target;
  });
}

function knownColumns(format: CsvFormat): string {
  const fixed = format.columns.map((c) => c.header);
  const dynamic = format.prefixes.map((p) => `${p.prefix}<name>`);
  return [...fixed, ...dynamic].join(", ");
}

function readTraining(cell: string): { id: string; completedOn?: string }[] {
  return splitList(cell).map((item) => {
    const at = item.lastIndexOf(TRAINING_DATE_SEPARATOR);
    if (at < 0) return { id: item };
    return { id: item.slice(0, at).trim(), completedOn: item.slice(at + 1).trim() };
  });
}

const BOOLEANS = new Map<string, boolean>([
  ["true", true],
  ["false", false],
  ["yes", true],
  ["no", false],
  ["1", true],
  ["0", false],
]);

// Plain decimal notation only: `Number()` would also take "0x1F", "Infinity" and "1_000".
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** The same with a decimal comma (`3,5`, `-0,25`, `1,5E3`). */
const DECIMAL_COMMA = /^[+-]?(?:\d+,\d*|,\d+)(?:[eE][+-]?\d+)?$/;
/** Digits in groups of three (`1.234,5`, `1,234.5`, `1 234`, `1'234`): thousands separators. */
const GROUPED = /^[+-]?\d{1,3}(?:[.,' \u00a0\u202f]\d{3})+(?:[.,]\d+)?$/;

/** A number cell's value; `decimalComma` also takes `3,5` (files not separated by commas). */
function readNumber(cell: string, decimalComma: boolean): number | undefined {
  let text = cell;
  if (!NUMBER.test(text)) {
    if (!decimalComma || !DECIMAL_COMMA.test(text)) return undefined;
    text = text.replace(",", ".");
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Why a number cell cannot be read, with a hint only where one applies. */
function numberProblem(cell: string, whole: boolean, decimalComma: boolean): string {
  const got = `Expected ${whole ? "a whole number" : "a number"}, got ${showCell(cell)}`;
  // Only reached with a comma as the cell separator (elsewhere `3,5` is read).
  if (DECIMAL_COMMA.test(cell)) return `${got} (use "." as the decimal point)`;
  if (GROUPED.test(cell)) {
    return `${got}: thousands separators are not read; write the number without them${
      decimalComma ? "" : ' and with "." as the decimal point'
    }`;
  }
  return got;
}

/** First characters of a cell a spreadsheet would run as a formula (`-` unless a number). */
const FORMULA_START = new Uint8Array(128);
for (const c of "=+-@") FORMULA_START[c.charCodeAt(0)] = 1;

/** Formula-looking cells listed one by one per file; the rest are counted. */
const MAX_FORMULA_WARNINGS = 20;

/** Items of a trimmed, non-empty cell. */
function splitList(cell: string): string[] {
  if (!cell.includes(LIST_SEPARATOR)) return [cell];
  const out: string[] = [];
  for (const part of cell.split(LIST_SEPARATOR)) {
    const item = part.trim();
    if (item !== "") out.push(item);
  }
  return out;
}

/** The field key of a validation path below a person: `["targets", "sql"]` → `targets.sql`,
 * `["training", 2, "completedOn"]` → `training`. */
function fieldKeyOf(rest: readonly (string | number)[]): string | undefined {
  const [head, second] = rest;
  if (typeof head !== "string") return undefined;
  if (head === "current" || head === "targets" || head === "expertise" || head === "sensitive") {
    return typeof second === "string" ? `${head}.${second}` : undefined;
  }
  if (head === "consent") return "consent.analytics";
  return head;
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== "") return false;
  return true;
}

/** Text line (1-based) of a byte offset; offsets must be asked in increasing order. */
function lineCounter(bytes: Uint8Array): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    for (; at < offset && at < bytes.length; at++) {
      const b = bytes[at];
      if (b === 0x0a || (b === 0x0d && bytes[at + 1] !== 0x0a)) line++;
    }
    return line;
  };
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Bytes that are not UTF-8

/** Most cells with bytes that are not UTF-8 listed one by one, per file; the rest are counted. */
const MAX_ENCODING_ISSUES = 20;

const SAVE_AS_UTF8 =
  'save the file as CSV UTF-8 (in Excel: File › Save As › "CSV UTF-8 (Comma delimited)") and load it again';

/**
 * Issues for bytes that are not UTF-8: one a cell holding some, at its row and column (the first
 * `MAX_ENCODING_ISSUES` cells), then one counting the rest. Each run of bad bytes is swapped for a
 * marker character the file does not hold and the file is parsed again, as the reader parses it:
 * the cells with a marker are the bad cells, at the rows and columns every other issue uses.
 */
function encodingIssues(bytes: Buffer, file: string, options: CsvOptions, shift: number): Issue[] {
  const runs = invalidUtf8Runs(bytes);
  const total = runs.length / 2;
  const count = lineCounter(bytes);
  const lineOf = (offset: number) => count(offset) + shift;
  const legacy = looksWindows1252(bytes, runs);
  const out: Issue[] = [];
  const more = (listed: number) => {
    if (listed >= total) return;
    out.push(
      csvIssue(
        "invalid_utf8",
        file,
        1,
        undefined,
        `…and ${(total - listed).toLocaleString("en-US")} more places further on with bytes that ` +
          `are not UTF-8 (${total.toLocaleString("en-US")} in all): the file is in another ` +
          `encoding, such as Windows-1252; ${SAVE_AS_UTF8}`,
      ),
    );
  };
  // Not parseable even so (or no marker left): say which text lines hold the bad bytes.
  const byLine = (): Issue[] => {
    const listed = Math.min(total, MAX_ENCODING_ISSUES);
    for (let k = 0; k < listed; k++) {
      const line = lineOf(runs[2 * k]);
      out.push(
        csvIssue(
          "invalid_utf8",
          file,
          line,
          undefined,
          `Not UTF-8: ${byteList(bytes, runs[2 * k], runs[2 * k + 1])} on text line ${line} ` +
            `cannot be read; ${SAVE_AS_UTF8}`,
        ),
      );
    }
    if (total === 0) {
      out.push(csvIssue("invalid_utf8", file, 1, undefined, `Not UTF-8; ${SAVE_AS_UTF8}`));
    }
    more(listed);
    return out;
  };
  const marker = pickMarker(bytes);
  if (total === 0 || marker === null) return byLine();

  const parts: Buffer[] = [];
  const markerBytes = Buffer.from(marker, "utf8");
  let from = 0;
  for (let k = 0; k < runs.length; k += 2) {
    parts.push(bytes.subarray(from, runs[k]), markerBytes);
    from = runs[k + 1];
  }
  parts.push(bytes.subarray(from));
  let parsed: string[][];
  try {
    parsed = parse(Buffer.concat(parts), options) as string[][];
  } catch {
    return byLine();
  }

  // A marker is not white space, so the header (the first row that is not blank) comes first.
  let headerAt = 0;
  while (headerAt < parsed.length && isBlank(parsed[headerAt])) headerAt++;
  const header = headerAt < parsed.length ? parsed[headerAt] : [];
  const readable = (cell: string) => cell.trim().replaceAll(marker, "\uFFFD");
  let k = 0; // the next run, in file order: the markers come in the same order
  let listed = 0;
  search: for (let r = headerAt; r < parsed.length; r++) {
    const cells = parsed[r];
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (!cell.includes(marker)) continue;
      if (listed === MAX_ENCODING_ISSUES) break search;
      const start = runs[2 * k];
      const row = r + 1;
      const line = lineOf(start);
      const shown = readable(cell);
      let column: string | undefined;
      let where = "";
      if (r === headerAt) {
        column = showColumn(shown);
        where = " in this header";
      } else if (c < header.length && header[c].trim() !== "") {
        column = showColumn(readable(header[c]));
      } else {
        where = ` in cell ${c + 1}`;
      }
      // What the cell says read as Windows-1252, each marker standing for the next run's bytes.
      let guess = "";
      if (legacy) {
        const pieces = cell.split(marker);
        guess = pieces[0];
        for (let m = 1; m < pieces.length; m++) {
          const run = 2 * (k + m - 1);
          guess += windows1252(bytes, runs[run], runs[run + 1]) + pieces[m];
        }
        guess = `; it looks like Windows-1252 / Latin-1, where it reads ${showCell(guess.trim())}`;
      }
      out.push(
        csvIssue(
          "invalid_utf8",
          file,
          row,
          column,
          `Not UTF-8: ${byteList(bytes, start, runs[2 * k + 1])}${where} cannot be read ` +
            `(shown as \uFFFD in ${showCell(shown)})` +
            `${line === row ? "" : ` (text line ${line})`}${guess}; ${SAVE_AS_UTF8}`,
        ),
      );
      listed++;
      k += cell.split(marker).length - 1;
    }
  }
  more(k);
  return out;
}

/** Windows-1252's characters for the bytes 0x80..0x9F (0 where it has none); from 0xA0 on, a
 * byte is the code point of the same number (as in Latin-1). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0, 0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161,
  0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** The bytes [start, end) read as Windows-1252 (each is ≥ 0x80 in a bad run). */
function windows1252(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    out += String.fromCharCode(b < 0x80 ? b : b < 0xa0 ? WINDOWS_1252_HIGH[b - 0x80] : b);
  }
  return out;
}

/** Whether the bad runs look like Windows-1252 / Latin-1 text: short runs (an accented letter
 * or two) of bytes that encoding defines, rather than binary data. */
function looksWindows1252(bytes: Uint8Array, runs: readonly number[]): boolean {
  if (runs.length === 0) return false;
  for (let k = 0; k < runs.length; k += 2) {
    if (runs[k + 1] - runs[k] > 3) return false;
    for (let i = runs[k]; i < runs[k + 1]; i++) {
      const b = bytes[i];
      if (b < 0x80 || (b < 0xa0 && WINDOWS_1252_HIGH[b - 0x80] === 0)) return false;
    }
  }
  return true;
}

/** Where a file (the config JSON) first holds bytes that are not UTF-8: the text line and the
 * bytes for a message (`byte 0xE9`); null when it is UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): { line: number; what: string } | null {
  const runs = invalidUtf8Runs(bytes);
  if (runs.length === 0) return null;
  return { line: lineCounter(bytes)(runs[0]), what: byteList(bytes, runs[0], runs[1]) };
}

/** `byte 0xE9`, `bytes 0xC3 0x28`: the bad bytes (the first four) for a message. */
function byteList(bytes: Uint8Array, start: number, end: number): string {
  const hex: string[] = [];
  for (let i = start; i < end && i < start + 4; i++) {
    hex.push(`0x${bytes[i].toString(16).toUpperCase().padStart(2, "0")}`);
  }
  return `${end - start === 1 ? "byte" : "bytes"} ${hex.join(" ")}${end - start > 4 ? " …" : ""}`;
}

/** A character the file does not hold (a Unicode noncharacter), or null. */
function pickMarker(bytes: Buffer): string | null {
  for (let cp = 0xfdd0; cp <= 0xfdef; cp++) {
    const marker = String.fromCharCode(cp);
    if (bytes.indexOf(Buffer.from(marker, "utf8")) < 0) return marker;
  }
  return null;
}

/**
 * Byte ranges that are not UTF-8, as flat `[start, end, start, end …]` in file order, adjacent ones
 * merged. A range is what a UTF-8 decoder replaces with U+FFFD (the WHATWG Encoding Standard's
 * rules: overlong forms, surrogates, code points above U+10FFFF, stray continuation bytes and
 * sequences cut short are all invalid).
 */
function invalidUtf8Runs(bytes: Uint8Array): number[] {
  const runs: number[] = [];
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    }
    let j = i + 1;
    if (need > 0) {
      let ok = true;
      for (let k = 0; k < need; k++, j++) {
        const x = bytes[j];
        if (j >= n || x < (k === 0 ? lo : 0x80) || x > (k === 0 ? hi : 0xbf)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        i = j;
        continue;
      }
    }
    // [i, j) cannot be read; the byte at j (if any) starts afresh.
    if (runs.length > 0 && runs[runs.length - 1] === i) runs[runs.length - 1] = j;
    else runs.push(i, j);
    i = j;
  }
  return runs;
}

function readConfig(config: unknown, issues: Issue[]): Record<string, unknown> {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    issues.push({
      code: "invalid_config",
      location: { kind: "path", path: [] },
      message: "Expected the config to be a JSON object { skills, strategy, program }",
    });
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "mentees" || key === "mentors") {
      issues.push({
        code: "invalid_config",
        location: { kind: "path", path: [key] },
        message: `The config must not contain "${key}": they come from the CSV file`,
      });
      continue;
    }
    out[key] = value;
  }
  return out;
}

function knownSkills(config: Record<string, unknown>): ReadonlySet<string> | null {
  const skills = config.skills;
  if (!Array.isArray(skills)) return null;
  const out = new Set<string>();
  for (const skill of skills) {
    if (skill === null || typeof skill !== "object" || typeof skill.id !== "string") return null;
    out.add(skill.id);
  }
  return out;
}

function syntaxIssue(error: unknown, file: string): Issue {
  // Anything but a CSV syntax error is a bug, not an input problem.
  if (!(error instanceof CsvError)) throw error;
  const records = error.records;
  const row = typeof records === "number" ? records + 1 : 1;
  return csvIssue(
    "csv_syntax",
    file,
    row,
    undefined,
    `Not valid CSV: ${error.message.replace(/\.$/, "")}; check the quotes in this row`,
  );
}

function csvIssue(
  code: IssueCode,
  file: string,
  row: number,
  column: string | undefined,
  message: string,
): Issue {
  return {
    code,
    location:
      column === undefined ? { kind: "csv", file, row } : { kind: "csv", file, row, column },
    message,
  };
}

function cellKey(issue: Issue): string {
  const l = issue.location;
  return l.kind === "csv" ? `${l.file}\u0000${l.row}\u0000${l.column ?? ""}` : "";
}

/**
 * The CSV layer's issues, then the schema's mapped to their cells (`map`; null: not shown), one
 * issue per cell: a cell the CSV layer could not read is also missing to the schema.
 */
export function withCellIssues(
  csvIssues: readonly Issue[],
  schemaIssues: readonly Issue[],
  map: (issue: Issue) => Issue | null,
): Issue[] {
  const issues = [...csvIssues];
  const reported = new Set(csvIssues.map(cellKey));
  for (const issue of schemaIssues) {
    const mapped = map(issue);
    if (mapped === null) continue;
    if (mapped.location.kind === "csv" && mapped.location.column !== undefined) {
      const key = cellKey(mapped);
      if (reported.has(key)) continue;
      reported.add(key);
    }
    issues.push(mapped);
  }
  return issues;
}
