/**
 * Round history files (docs/LIFECYCLE.md, docs/CSV.md "history.csv"): the records of past rounds
 * as JSON (`{ "records": [...] }`) or CSV (one row a record, `HISTORY_FORMAT`), read with every
 * issue at its path or cell, and written back (CSV: UTF-8 with a byte order mark, formula cells
 * escaped, as the results CSVs are).
 */
import { Buffer, isUtf8 } from "node:buffer";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import {
  compareRounds,
  safeParseHistory,
  type History,
  type HistoryInput,
  type HistoryRecord,
  type HistoryRecordInput,
} from "../lifecycle/rotation.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { describeReceived } from "../schema/zod-issues.js";
import {
  firstInvalidUtf8,
  listIssueAt,
  readCsvRecords,
  withCellIssues,
  type CsvOrigin,
  type CsvSource,
} from "./csv.js";
import { HISTORY_FORMAT, escapeFormula, quote, showCell } from "./csv-format.js";
import { parseConfigJson, readFailure } from "./files.js";

/** A history read from CSV, not yet validated: the records as the rows give them. */
export interface HistoryCsvRead {
  /** The records as the rows give them (not yet validated). */
  readonly input: HistoryInput;
  /** CSV-level issues (errors). */
  readonly issues: readonly Issue[];
  /** Unknown columns, formula-looking cells … (they do not stop the reading). */
  readonly warnings: readonly Issue[];
  /** Row and column of each record, for mapping issues at `records[k]…` to cells. */
  readonly origin: CsvOrigin;
}

/** A validated history and the warnings found on the way. */
export interface HistoryRead {
  /** The validated history. */
  readonly history: History;
  /** Unknown columns, formula-looking cells … (CSV only; empty for JSON). */
  readonly warnings: readonly Issue[];
}

/** `safeParseHistoryCsv`'s result. */
export type SafeHistoryCsvResult =
  | { readonly ok: true; readonly history: History; readonly warnings: readonly Issue[] }
  | { readonly ok: false; readonly issues: readonly Issue[]; readonly warnings: readonly Issue[] };

/** Reads the history CSV into raw records (no validation beyond the CSV layer). */
export function readHistoryCsv(source: CsvSource): HistoryCsvRead {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const named = { file: "history.csv", ...source } as CsvSource;
  const { records, origin } = readCsvRecords(named, HISTORY_FORMAT, issues, warnings);
  return {
    input: { records: records as unknown as HistoryRecordInput[] },
    issues,
    warnings,
    origin,
  };
}

/** Reads and validates the history CSV: every issue at its row and column. */
export function safeParseHistoryCsv(source: CsvSource): SafeHistoryCsvResult {
  return validateHistoryRead(readHistoryCsv(source));
}

function validateHistoryRead(read: HistoryCsvRead): SafeHistoryCsvResult {
  if (!read.origin.readable) return { ok: false, issues: read.issues, warnings: read.warnings };
  const parsed = safeParseHistory(read.input);
  if (parsed.ok && read.issues.length === 0)
    return { ok: true, history: parsed.history, warnings: read.warnings };
  const issues = parsed.ok
    ? [...read.issues]
    : withCellIssues(read.issues, parsed.issues, (issue) => historyIssueAt(issue, read.origin));
  return { ok: false, issues, warnings: read.warnings };
}

/** `safeParseHistoryCsv`, throwing `InputError` (every issue, the warnings beside). */
export function parseHistoryCsv(source: CsvSource): HistoryRead {
  const r = safeParseHistoryCsv(source);
  if (!r.ok) throw new InputError(r.issues, "history CSV", r.warnings);
  return { history: r.history, warnings: r.warnings };
}

/**
 * An issue at `records[k]…` (from `parseHistory` or `applyHistory`'s warnings) at its CSV row
 * and column; other records named in its message (`records[2]`) become rows. Null for an issue
 * that repeats a missing column. Not part of the public API.
 */
export function historyIssueAt(issue: Issue, origin: CsvOrigin): Issue | null {
  return listIssueAt(issue, origin, "records");
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Writing

/** A byte order mark first, so that Excel shows non-ASCII ids as written; the reader skips it. */
const BOM = "\uFEFF";

/**
 * The history as CSV text (`HISTORY_FORMAT`: round, date, mentee, mentor, outcome, reason), one
 * row a record in the order given: UTF-8 with a byte order mark, cells a spreadsheet would run as
 * a formula escaped with a leading `'` (which the reader removes). Text the format cannot hold
 * (empty, or with surrounding white space, which the reader trims) is an `InputError`
 * (`not_writable`) naming its path; so is anything but a record's fields.
 */
export function writeHistoryCsv(
  history: HistoryInput,
  options: { readonly newline?: "\n" | "\r\n" } = {},
): string {
  const records = recordsOf("writeHistoryCsv", history);
  const newline = options.newline ?? "\n";
  const issues: Issue[] = [];
  const lines = [HISTORY_FORMAT.columns.map((c) => c.header).join(",")];
  records.forEach((record, k) => {
    const r = record as unknown as Record<string, unknown>;
    const cells = HISTORY_FORMAT.columns.map((c) => {
      const value = r[c.field];
      if (value === undefined || value === null) return "";
      const path = ["records", k, c.field];
      if (typeof value === "number" && c.field === "round" && Number.isSafeInteger(value))
        return String(value);
      if (typeof value !== "string") {
        issues.push(
          pathIssue("not_writable", path, `Expected text, got ${describeReceived(value)}`),
        );
        return "";
      }
      if (value === "" || value.trim() !== value) {
        issues.push(
          pathIssue(
            "not_writable",
            path,
            "Text with leading or trailing white space (or empty text) cannot be written to CSV: the reader trims cells",
          ),
        );
      }
      return quote(escapeFormula(value));
    });
    lines.push(cells.join(","));
  });
  if (issues.length > 0) throw new InputError(issues.slice(0, 20), "history for CSV");
  return BOM + lines.join(newline) + newline;
}

/** The history as JSON text, `{ "records": [...] }`, two-space indented (no byte order mark:
 * JSON has none). */
export function writeHistoryJson(history: HistoryInput): string {
  const records = recordsOf("writeHistoryJson", history);
  return `${JSON.stringify({ records }, null, 2)}\n`;
}

function recordsOf(fn: string, history: unknown): readonly HistoryRecordInput[] {
  const records = (history as { records?: unknown } | null)?.records;
  if (typeof history === "object" && history !== null && Array.isArray(records))
    return records as HistoryRecordInput[];
  throw new InputError(
    [
      pathIssue(
        "invalid_argument",
        [],
        `Invalid argument: ${fn} expects a history { records: [...] }, received ${describeReceived(history)}`,
      ),
    ],
    "argument",
  );
}

// ————————————————————————————————————————————————————————————————————————————————————————————
// Files

/** JSON when the file name ends in `.json`, CSV otherwise. */
function isJson(file: string): boolean {
  return extname(file).toLowerCase() === ".json";
}

/** A history file as read, with where each record came from (CSV only). Not public. */
export interface HistoryFileRead extends HistoryRead {
  readonly origin: CsvOrigin | null;
}

/**
 * Reads and validates a history file: JSON (`{ "records": [...] }`) when its name ends in
 * `.json`, else CSV. Throws `InputError` with every issue: unreadable file, invalid JSON or UTF-8,
 * CSV problems, validation problems (at their JSON path, or mapped to the CSV row and column).
 */
export async function loadHistory(file: string): Promise<HistoryRead> {
  const { history, warnings } = await readHistoryFile(file);
  return { history, warnings };
}

/** `loadHistory`, keeping the CSV origin so that later issues about records (`applyHistory`'s
 * warnings) can be shown at their rows. With `missingOk`, a file that does not exist is an empty
 * history. Not part of the public API. */
export async function readHistoryFile(file: string, missingOk = false): Promise<HistoryFileRead> {
  if (typeof file !== "string" || file === "")
    throw new InputError(
      [
        pathIssue(
          "invalid_argument",
          [],
          `Invalid argument: expected the path of a history file (a non-empty string), received ${file === "" ? "an empty string" : describeReceived(file)}`,
        ),
      ],
      "argument",
    );
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" && missingOk)
      return { history: { records: [], rounds: [] }, warnings: [], origin: null };
    const why = readFailure(error);
    throw new InputError(
      [
        pathIssue(
          "unreadable_file",
          [],
          `Cannot read the history file ${JSON.stringify(file)}: ${why}`,
        ),
      ],
      "history",
    );
  }
  if (!isJson(file)) {
    const read = readHistoryCsv({ bytes, file });
    const parsed = validateHistoryRead(read);
    if (!parsed.ok) throw new InputError(parsed.issues, "history", parsed.warnings);
    return { history: parsed.history, warnings: parsed.warnings, origin: read.origin };
  }
  const bad = isUtf8(bytes) ? null : firstInvalidUtf8(bytes);
  if (bad !== null)
    throw new InputError(
      [
        {
          code: "invalid_utf8",
          location: { kind: "csv", file, row: bad.line },
          message: `Not UTF-8: ${bad.what} on line ${bad.line} cannot be read; save the history file as UTF-8 and load it again`,
        },
      ],
      "history",
    );
  let json: unknown;
  try {
    json = parseConfigJson(bytes.toString("utf8"), file);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.issues, "history");
    throw error;
  }
  const parsed = safeParseHistory(json);
  if (!parsed.ok) throw new InputError(parsed.issues, "history");
  return { history: parsed.history, warnings: [], origin: null };
}

/** Writes a history file: JSON when the name ends in `.json`, else CSV (`writeHistoryCsv`).
 * Creates the folder when needed. */
export async function saveHistory(file: string, history: HistoryInput): Promise<void> {
  const text = isJson(file) ? writeHistoryJson(history) : writeHistoryCsv(history);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text, "utf8");
}

/**
 * Appends one round's records (from `roundRecord`) to a history file, creating it when it does
 * not exist, and returns the whole history. The file is read and validated first; a round it
 * already holds is an `InputError` (`invalid_argument`): each round is recorded once.
 */
export async function appendHistory(
  file: string,
  records: readonly HistoryRecordInput[],
): Promise<History> {
  const { history } = await readHistoryFile(file, true);
  const rounds = new Set(records.map((r) => String(r.round)));
  const again = history.rounds.filter((r) => rounds.has(r)).sort(compareRounds);
  if (again.length > 0)
    throw new InputError(
      [
        pathIssue(
          "invalid_argument",
          [],
          `Round ${again.map(showCell).join(", ")} is already in ${JSON.stringify(file)}: record each round once (give another round id)`,
        ),
      ],
      "history",
    );
  const all: HistoryRecordInput[] = [...(history.records as HistoryRecord[]), ...records];
  const merged = safeParseHistory({ records: all });
  if (!merged.ok) throw new InputError(merged.issues, "history");
  await saveHistory(file, merged.history);
  return merged.history;
}
