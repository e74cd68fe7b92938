/**
 * File I/O around the CSV intake: read mentees.csv, mentors.csv and the config JSON from disk
 * (`loadCohort`), or write a cohort out as those three files (`writeCohortFiles`).
 */
import { Buffer, isUtf8 } from "node:buffer";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError, type Issue } from "../schema/errors.js";
import { describeReceived } from "../schema/zod-issues.js";
import type { CohortInput } from "../schema/input.js";
import {
  firstInvalidUtf8,
  parseCohortCsv,
  readCohortCsv,
  type CohortCsvRead,
  type CohortCsvResult,
  type CohortCsvSources,
} from "./csv.js";
import { writeCohortCsv, type WriteCsvOptions } from "./csv-write.js";
import { jsonSyntaxError } from "./json-body.js";

/** Paths of the three files of a cohort. */
export interface CohortFiles {
  readonly mentees: string;
  readonly mentors: string;
  /** Program config JSON: `{ skills, strategy, program }`. */
  readonly config: string;
}

const FILE_KEYS = ["mentees", "mentors", "config"] as const;
const FILE_NAMES = {
  mentees: "mentees CSV",
  mentors: "mentors CSV",
  config: "config JSON",
} as const;

function argumentIssue(path: readonly (string | number)[], message: string): Issue {
  return { code: "invalid_argument", location: { kind: "path", path }, message };
}

/**
 * Checks a `CohortFiles` argument: an object with the three file paths as non-empty strings.
 * Throws `InputError` (code `invalid_argument`, one issue per bad path) instead of letting a wrong
 * argument reach `fs` as a raw `TypeError`.
 */
function checkFiles(fn: string, files: unknown): asserts files is CohortFiles {
  const expected = `${fn} expects { mentees, mentors, config }: the paths of mentees.csv, mentors.csv and the config JSON (cohortFilesIn(dir) builds them for a folder)`;
  if (typeof files !== "object" || files === null || Array.isArray(files)) {
    const hint = typeof files === "string" ? "; for a folder pass cohortFilesIn(dir)" : "";
    throw new InputError(
      [
        argumentIssue(
          [],
          `Invalid argument: ${expected}, received ${describeReceived(files)}${hint}`,
        ),
      ],
      "cohort files",
    );
  }
  const issues: Issue[] = [];
  for (const key of FILE_KEYS) {
    let value: unknown;
    try {
      value = (files as Record<string, unknown>)[key];
    } catch {
      value = undefined;
    }
    if (typeof value !== "string" || value === "")
      issues.push(
        argumentIssue(
          [key],
          `Invalid argument: ${fn} expects files.${key} to be the path of the ${FILE_NAMES[key]} (a non-empty string), received ${value === "" ? "an empty string" : value === undefined ? "nothing" : describeReceived(value)}`,
        ),
      );
  }
  if (issues.length > 0) throw new InputError(issues, "cohort files");
}

/** Throws `InputError` when `value` is not a string (`what` names the argument). */
function checkString(
  fn: string,
  what: string,
  value: unknown,
  empty = true,
): asserts value is string {
  if (typeof value === "string" && (empty || value !== "")) return;
  throw new InputError(
    [
      argumentIssue(
        [],
        `Invalid argument: ${fn} expects ${what}, received ${value === "" ? "an empty string" : describeReceived(value)}`,
      ),
    ],
    "argument",
  );
}

/** Reads, validates and indexes a cohort from files. Throws `InputError` listing every issue
 * (a wrong argument, unreadable files, invalid JSON, CSV problems, validation problems mapped
 * to CSV cells). */
export async function loadCohort(files: CohortFiles): Promise<CohortCsvResult> {
  return parseCohortCsv(await readSources("loadCohort", files));
}

/** Reads the files into a raw `CohortInput` plus CSV issues and warnings, without validating
 * (e.g. to convert CSV to JSON). Throws `InputError` only for a wrong argument, unreadable files
 * or invalid JSON. */
export async function readCohortInputFromFiles(files: CohortFiles): Promise<CohortCsvRead> {
  return readCohortCsv(await readSources("readCohortInputFromFiles", files));
}

/** The default file names inside a folder: `mentees.csv`, `mentors.csv`, `config.json`. */
export function cohortFilesIn(dir: string): CohortFiles {
  checkString("cohortFilesIn", "the path of a folder (a non-empty string)", dir, false);
  return {
    mentees: join(dir, "mentees.csv"),
    mentors: join(dir, "mentors.csv"),
    config: join(dir, "config.json"),
  };
}

/** Writes a cohort as `mentees.csv`, `mentors.csv` and `config.json` into `dir` (created if
 * needed). Returns the paths written. */
export async function writeCohortFiles(
  input: CohortInput,
  dir: string,
  options: Omit<WriteCsvOptions, "skills"> = {},
): Promise<CohortFiles> {
  checkString(
    "writeCohortFiles",
    "the path of a folder as its second argument (a non-empty string)",
    dir,
    false,
  );
  const texts = writeCohortCsv(input, options);
  const files = cohortFilesIn(dir);
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(files.mentees, texts.mentees, "utf8"),
    writeFile(files.mentors, texts.mentors, "utf8"),
    writeFile(files.config, texts.config, "utf8"),
  ]);
  return files;
}

/** Parses config JSON text; invalid JSON is an `InputError` naming the file and line. */
export function parseConfigJson(text: string, file = "config.json"): unknown {
  checkString("parseConfigJson", "the text of a JSON file (a string)", text);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const { line, message } = jsonSyntaxError(body, error);
    throw new InputError(
      [{ code: "invalid_json", location: { kind: "csv", file, row: line ?? 1 }, message }],
      "config",
    );
  }
}

/** The CSV files as bytes (the reader checks they are UTF-8), the config as text. */
async function readAll(
  files: CohortFiles,
): Promise<{ mentees: Buffer; mentors: Buffer; config: string }> {
  const failures: (Issue | null)[] = [null, null, null];
  const contents = await Promise.all(
    FILE_KEYS.map(async (key, k) => {
      try {
        return await readFile(files[key]);
      } catch (error) {
        const why = readFailure(error);
        failures[k] = {
          code: "unreadable_file",
          location: { kind: "path", path: [key] },
          message: `Cannot read the ${key} file ${JSON.stringify(files[key])}: ${why}`,
        };
        return Buffer.alloc(0);
      }
    }),
  );
  const issues = failures.filter((f): f is Issue => f !== null);
  if (issues.length > 0) throw new InputError(issues, "cohort files");
  // The config's text is never read with bytes replaced by U+FFFD either.
  const config = contents[2];
  const bad = isUtf8(config) ? null : firstInvalidUtf8(config);
  if (bad !== null) {
    throw new InputError(
      [
        {
          code: "invalid_utf8",
          location: { kind: "csv", file: files.config, row: bad.line },
          message: `Not UTF-8: ${bad.what} on line ${bad.line} cannot be read; save the config file as UTF-8 and load it again`,
        },
      ],
      "config",
    );
  }
  return { mentees: contents[0], mentors: contents[1], config: config.toString("utf8") };
}

/** The files of `fn`'s argument `files` (checked first) as the CSV reader's sources. */
async function readSources(fn: string, files: CohortFiles): Promise<CohortCsvSources> {
  checkFiles(fn, files);
  const { mentees, mentors, config } = await readAll(files);
  return {
    mentees: { bytes: mentees, file: files.mentees },
    mentors: { bytes: mentors, file: files.mentors },
    config: parseConfigJson(config, files.config),
  };
}

/** Why a file could not be read, in a few words (an error of `readFile`). */
export function readFailure(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return code === "ENOENT"
    ? "no such file"
    : code === "EISDIR"
      ? "it is a folder"
      : code === "EACCES"
        ? "permission denied"
        : String((error as Error).message ?? error);
}
