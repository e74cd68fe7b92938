/**
 * CSV intake: mentees and mentors as CSV text (one row a person, see docs/CSV.md) plus the program
 * config as JSON, turned into a validated `Cohort`.
 *
 * Two layers of checks, reported together:
 * 1. CSV issues: malformed CSV, missing / duplicate / unknown columns, cells that are not a
 *    number or boolean, rows with the wrong number of cells.
 * 2. Validation issues from `parseCohort` (ranges, duplicate ids, unknown references …). Their
 *    paths (`mentees[12].targets.sql`) are mapped back to the cell they came from
 *    (`mentees.csv row 14, column "target:sql"`).
 * Every non-blank row becomes a record (cells that could not be read are left out of it), so row
 * k of the data is always `mentees[k]`: a bad row is reported, never dropped.
 *
 * Rows are numbered as a spreadsheet shows them: the header is row 1 and a quoted cell spanning
 * several lines still counts as one row. When the text line differs (after such a cell) the
 * message says so.
 */
import { CsvError, parse } from "csv-parse/sync";
import { Buffer } from "node:buffer";
import type { Cohort } from "../cohort/types.js";
import { safeParseCohort } from "../cohort/parse.js";
import { InputError, type Issue } from "../schema/errors.js";
import type { CohortInput, MenteeInput, MentorInput } from "../schema/input.js";
import {
  LIST_SEPARATOR,
  MENTEE_FORMAT,
  MENTOR_FORMAT,
  TRAINING_DATE_SEPARATOR,
  unescapeFormula,
  type ColumnSpec,
  type CsvFormat,
  type PrefixSpec,
} from "./csv-format.js";

/** CSV text and the file name used in issues. */
export interface CsvSource {
  readonly text: string;
  /** Shown in issues; defaults to `mentees.csv` / `mentors.csv`. */
  readonly file?: string;
}

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
  /** Header as written, by field path key (`level`, `targets.sql`, `consent.analytics`). */
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
  if (!result.ok) throw new InputError(result.issues, "cohort CSV");
  return { cohort: result.cohort, warnings: result.warnings };
}

/** Like `parseCohortCsv`, but returns the issues instead of throwing. */
export function safeParseCohortCsv(sources: CohortCsvSources): SafeCohortCsvResult {
  const read = readCohortCsv(sources);
  const { mentees, mentors } = read.origin;
  // A file that is not CSV at all leaves the other side's references dangling: validating
  // would only add noise, so report the CSV issues alone.
  if (!mentees.readable || !mentors.readable) {
    return { ok: false, issues: read.issues, warnings: read.warnings };
  }
  const parsed = safeParseCohort(read.input);
  if (parsed.ok && read.issues.length === 0) {
    return { ok: true, cohort: parsed.cohort, warnings: read.warnings };
  }
  const issues = [...read.issues];
  if (!parsed.ok) {
    const reported = new Set<string>();
    for (const issue of read.issues) reported.add(cellKey(issue));
    for (const issue of parsed.issues) {
      const mapped = mapIssue(issue, read.origin);
      if (mapped === null) continue;
      const key = cellKey(mapped);
      // One issue per cell: a cell the CSV layer could not read is also missing to the schema.
      if (mapped.location.kind === "csv" && mapped.location.column !== undefined) {
        if (reported.has(key)) continue;
        reported.add(key);
      }
      issues.push(mapped);
    }
  }
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
  const mentees = readPeople(
    sources.mentees.text,
    sources.mentees.file ?? "mentees.csv",
    MENTEE_FORMAT,
    skills,
    issues,
    warnings,
  );
  const mentors = readPeople(
    sources.mentors.text,
    sources.mentors.file ?? "mentors.csv",
    MENTOR_FORMAT,
    skills,
    issues,
    warnings,
  );
  const input = {
    ...config,
    mentees: mentees.records as MenteeInput[],
    mentors: mentors.records as MentorInput[],
  } as CohortInput;
  return { input, issues, warnings, origin: { mentees: mentees.origin, mentors: mentors.origin } };
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
  return {
    code: issue.code,
    location:
      column === undefined
        ? { kind: "csv", file: o.file, row }
        : { kind: "csv", file: o.file, row, column },
    message: line === row ? issue.message : `${issue.message} (text line ${line})`,
  };
}

// ————————————————————————————————————————————————————————————————————————————————————————————

interface CsvRecordWithInfo {
  readonly record: string[];
  readonly info: { readonly bytes: number };
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

function readPeople(
  text: string,
  file: string,
  format: CsvFormat,
  skills: ReadonlySet<string> | null,
  issues: Issue[],
  warnings: Issue[],
): PeopleRead {
  const records: Record<string, unknown>[] = [];
  const rows: number[] = [];
  const lines: number[] = [];
  const headers = new Map<string, string>();
  const missing = new Set<string>();
  const unreadable = (): PeopleRead => ({
    records,
    origin: { file, rows, lines, headers, missing, readable: false },
  });

  if (typeof text !== "string") {
    issues.push(csvIssue("not_text", file, 1, undefined, `Expected the CSV text of ${file}`));
    return unreadable();
  }
  const bytes = Buffer.from(text, "utf8");
  let parsed: CsvRecordWithInfo[];
  try {
    parsed = parse(bytes, {
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      record_delimiter: ["\r\n", "\n", "\r"],
    }) as unknown as CsvRecordWithInfo[];
  } catch (error) {
    issues.push(syntaxIssue(error, file));
    return unreadable();
  }

  const lineOf = lineCounter(bytes);
  // Spreadsheet row r + 1 is parsed[r]; blank lines count as rows, as a spreadsheet shows them.
  let headerAt = 0;
  while (headerAt < parsed.length && isBlank(parsed[headerAt].record)) headerAt++;
  if (headerAt === parsed.length) {
    issues.push(
      csvIssue("empty_file", file, 1, undefined, `${file} is empty: expected a header row first`),
    );
    return unreadable();
  }

  const headerRow = headerAt + 1;
  const header = parsed[headerAt].record;
  const targets = resolveHeader(header, format, file, headerRow, skills, issues, warnings, headers);
  for (const spec of format.columns) {
    if (spec.required === true && !headers.has(spec.field)) {
      missing.add(spec.field);
      issues.push(
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
  const unnamedWithData = new Set<number>();
  const required: { spec: ColumnSpec; c: number }[] = [];
  targets.forEach((t, c) => {
    if (t.kind === "column" && t.spec.required === true) required.push({ spec: t.spec, c });
  });

  for (let r = headerAt + 1; r < parsed.length; r++) {
    const cells = parsed[r].record;
    if (isBlank(cells)) continue;
    const row = r + 1;
    const line = lineOf(r === 0 ? 0 : parsed[r - 1].info.bytes);
    const at = line === row ? "" : ` (text line ${line})`;
    if (cells.length !== header.length) {
      issues.push(
        csvIssue(
          "column_count",
          file,
          row,
          undefined,
          `Expected ${header.length} cells as in the header, found ${cells.length}${at}` +
            (cells.length > header.length
              ? "; is a value with a comma missing its quotes?"
              : "; fill in empty cells"),
        ),
      );
    }
    const record: Record<string, unknown> = {};
    const n = Math.min(cells.length, header.length);
    for (let c = 0; c < n; c++) {
      const target = targets[c];
      const raw = cells[c].trim();
      if (raw === "") continue;
      if (target.kind === "ignored") {
        if (header[c].trim() === "") unnamedWithData.add(c);
        continue;
      }
      const cell = unescapeFormula(raw);
      const column = header[c].trim();
      const fail = (message: string) =>
        issues.push(csvIssue("invalid_cell", file, row, column, `${message}${at}`));
      if (target.kind === "column") {
        const value = readCell(cell, target.spec, fail);
        if (value !== undefined) setField(record, target.spec.field, value);
      } else {
        let value: unknown = cell;
        if (target.spec.kind === "number") {
          value = readNumber(cell);
          if (value === undefined) {
            fail(`Expected a number, got ${JSON.stringify(cell)} (use "." as the decimal point)`);
          }
        }
        if (value !== undefined) {
          const bag = (record[target.spec.field] ??= Object.create(null)) as Record<
            string,
            unknown
          >;
          bag[target.name] = value;
        }
      }
    }
    for (const { spec, c } of required) {
      if (hasField(record, spec.field)) continue;
      if (c < cells.length && cells[c].trim() !== "") continue; // reported as invalid above
      const column = header[c].trim();
      issues.push(csvIssue("missing_value", file, row, column, `Missing value: ${spec.doc}${at}`));
    }
    // Skill maps are required by the schema even when a person lists no skill.
    for (const prefix of format.prefixes) {
      if (prefix.field !== "sensitive" && record[prefix.field] === undefined) {
        record[prefix.field] = Object.create(null);
      }
    }
    records.push(toPlain(record));
    rows.push(row);
    lines.push(line);
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
              written,
              `Expected a name after "${prefix.prefix}"`,
            ),
          );
          return ignored;
        }
        target = { kind: "prefix", spec: prefix, name, key: `${prefix.field}.${name}` };
        if (prefix.field !== "sensitive" && skills !== null && !skills.has(name)) {
          issues.push(
            csvIssue(
              "unknown_skill",
              file,
              row,
              written,
              `Unknown skill "${name}": declare it in the config's skills or rename the column`,
            ),
          );
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
          written,
          `Unknown column "${written}" is ignored (known: ${knownColumns(format)})`,
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
          written,
          `Column "${written}" repeats column "${first}"; keep one of them`,
        ),
      );
      return ignored;
    }
    seen.set(target.key, written);
    headers.set(target.key, written);
    return target;
  });
}

function knownColumns(format: CsvFormat): string {
  const fixed = format.columns.map((c) => c.header);
  const dynamic = format.prefixes.map((p) => `${p.prefix}<name>`);
  return [...fixed, ...dynamic].join(", ");
}

function readCell(cell: string, spec: ColumnSpec, fail: (message: string) => void): unknown {
  switch (spec.kind) {
    case "text":
      return cell;
    case "number": {
      const value = readNumber(cell);
      if (value === undefined) {
        fail(`Expected a number, got ${JSON.stringify(cell)} (use "." as the decimal point)`);
      }
      return value;
    }
    case "boolean": {
      const value = BOOLEANS.get(cell.toLowerCase());
      if (value === undefined) {
        fail(`Expected true/false, yes/no or 1/0, got ${JSON.stringify(cell)}`);
      }
      return value;
    }
    case "list":
      return splitList(cell);
    case "training":
      return splitList(cell).map((item) => {
        const at = item.lastIndexOf(TRAINING_DATE_SEPARATOR);
        if (at < 0) return { id: item };
        return { id: item.slice(0, at).trim(), completedOn: item.slice(at + 1).trim() };
      });
  }
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

function readNumber(cell: string): number | undefined {
  if (!NUMBER.test(cell)) return undefined;
  const value = Number(cell);
  return Number.isFinite(value) ? value : undefined;
}

function splitList(cell: string): string[] {
  const out: string[] = [];
  for (const part of cell.split(LIST_SEPARATOR)) {
    const item = part.trim();
    if (item !== "") out.push(item);
  }
  return out;
}

function hasField(record: Record<string, unknown>, field: string): boolean {
  const dot = field.indexOf(".");
  if (dot < 0) return record[field] !== undefined;
  const bag = record[field.slice(0, dot)] as Record<string, unknown> | undefined;
  return bag !== undefined && bag[field.slice(dot + 1)] !== undefined;
}

function setField(record: Record<string, unknown>, field: string, value: unknown): void {
  const dot = field.indexOf(".");
  if (dot < 0) {
    record[field] = value;
    return;
  }
  const head = field.slice(0, dot);
  const bag = (record[head] ??= {}) as Record<string, unknown>;
  bag[field.slice(dot + 1)] = value;
}

/** Records use null-prototype maps while filling (a skill named `__proto__` stays a key); the
 * result gets ordinary objects with own properties. */
function toPlain(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const inner: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        Object.defineProperty(inner, k, {
          value: (value as Record<string, unknown>)[k],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      out[key] = inner;
    } else {
      out[key] = value;
    }
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
  code: string,
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
