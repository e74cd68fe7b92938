/**
 * What every command shares: where output goes, the exit codes, and reading a cohort from a
 * folder or from three named files with every problem printed at once.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { InputError, formatIssues, type Issue } from "../schema/errors.js";
import type { Cohort } from "../cohort/types.js";
import type { CohortInput } from "../schema/input.js";
import { checkCohortCsvRead } from "../node/csv.js";
import {
  cohortFilesIn,
  loadCohort,
  readCohortInputFromFiles,
  type CohortFiles,
} from "../node/files.js";
import { counted } from "../report/format.js";

/** Exit codes (docs/CLI.md). */
export const EXIT = {
  /** Done: valid input, or an optimal (or feasible, every rule kept) match. */
  ok: 0,
  /** Anything unexpected (a bug, an unreadable output path). */
  error: 1,
  /** Invalid input: the cohort files, or the command line itself. */
  invalid: 2,
  /** No matching can keep every rule; the diagnosis names who and which rule. */
  infeasible: 3,
  /** Stopped by the time limit: the best answer so far was written, with its bound. */
  timeLimit: 4,
} as const;

/** Where a command writes: stdout for results, stderr for progress, warnings and problems. */
export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** stderr is a terminal (a progress bar), not a file or pipe (plain lines). */
  readonly tty: boolean;
  readonly stderr?: NodeJS.WritableStream;
}

/** A command's failure with its exit code, printed by the program (no stack trace). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** The cohort options every cohort-reading command takes. */
export interface CohortArgs {
  readonly mentees?: string;
  readonly mentors?: string;
  readonly config?: string;
}

/** The three files: from the folder, each overridable by its flag; without a folder, all three
 * flags are needed. */
export function cohortFiles(dir: string | undefined, args: CohortArgs): CohortFiles {
  if (dir === undefined) {
    const missing = (["mentees", "mentors", "config"] as const).filter((k) => !args[k]);
    if (missing.length > 0)
      throw new CliFailure(
        `Give a cohort folder (with mentees.csv, mentors.csv, config.json) or all of --mentees, --mentors and --config (missing: ${missing.map((k) => `--${k}`).join(", ")})`,
        EXIT.invalid,
      );
    return { mentees: args.mentees!, mentors: args.mentors!, config: args.config! };
  }
  const inDir = cohortFilesIn(dir);
  return {
    mentees: args.mentees ?? inDir.mentees,
    mentors: args.mentors ?? inDir.mentors,
    config: args.config ?? inDir.config,
  };
}

/** Issues one per line, indented, each with its file, row and column (or path). */
export function issueLines(issues: readonly Issue[]): string {
  return formatIssues(issues)
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

export interface Loaded {
  readonly cohort: Cohort;
  readonly warnings: readonly Issue[];
  readonly files: CohortFiles;
}

/** The cohort, or every issue that keeps it from being read. */
export type CohortRead =
  | ({ readonly ok: true } & Loaded)
  | {
      readonly ok: false;
      readonly files: CohortFiles;
      readonly issues: readonly Issue[];
      readonly warnings: readonly Issue[];
    };

/** Reads the cohort; `transform` (the history applied by `match --history`) changes the input
 * read before it is validated, record for record, so that issues still point at cells. */
export async function tryReadCohort(
  dir: string | undefined,
  args: CohortArgs,
  transform?: (input: CohortInput) => CohortInput,
): Promise<CohortRead> {
  const files = cohortFiles(dir, args);
  try {
    if (transform !== undefined) {
      const read = await readCohortInputFromFiles(files);
      const r = checkCohortCsvRead(read, transform(read.input));
      return r.ok
        ? { ok: true, cohort: r.cohort, warnings: r.warnings, files }
        : { ok: false, files, issues: r.issues, warnings: r.warnings };
    }
    const { cohort, warnings } = await loadCohort(files);
    return { ok: true, cohort, warnings, files };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { ok: false, files, issues: e.issues, warnings: e.warnings };
  }
}

/** Loads the cohort; prints warnings to stderr; on invalid input throws `CliFailure` (exit 2)
 * listing every issue. */
export async function readCohort(
  io: CliIO,
  dir: string | undefined,
  args: CohortArgs,
): Promise<Loaded> {
  const read = await tryReadCohort(dir, args);
  printWarnings(io, read.warnings);
  if (read.ok) return read;
  throw invalidCohort(read.issues);
}

/**
 * An invalid cohort ends the command (exit 2, every issue listed); with `--json` the issues go
 * to the JSON reader as data too (`{ status: "invalid", issues, warnings }`).
 */
export async function failInvalid(
  io: CliIO,
  json: string | undefined,
  read: { readonly issues: readonly Issue[]; readonly warnings: readonly Issue[] },
): Promise<never> {
  const text = `${JSON.stringify({ status: "invalid", issues: read.issues, warnings: read.warnings }, null, 2)}\n`;
  if (json === "-") io.out(text);
  else if (json !== undefined) await writeText(json, text);
  throw invalidCohort(read.issues);
}

export function invalidCohort(issues: readonly Issue[]): CliFailure {
  return new CliFailure(
    `The cohort has ${counted(issues.length, "problem", "problems")}; nothing was matched:\n${issueLines(issues)}`,
    EXIT.invalid,
  );
}

export function printWarnings(io: CliIO, warnings: readonly Issue[]): void {
  if (warnings.length === 0) return;
  io.err(`${counted(warnings.length, "warning", "warnings")}:\n${issueLines(warnings)}\n`);
}

/** Reads a file named on the command line (`what` names it in the message: "the previous
 * answer"); a file that cannot be read is invalid input (exit 2). */
export async function readInputFile(path: string, what?: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new CliFailure(
      `Could not read ${what === undefined ? "" : `${what} `}${path}: ${(e as Error).message}`,
      EXIT.invalid,
    );
  }
}

/** Writes a result file (its folder created if needed); a failure is exit 1, named by path. */
export async function writeText(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, "utf8");
  } catch (e) {
    throw new CliFailure(`Could not write ${path}: ${(e as Error).message}`, EXIT.error);
  }
}

/**
 * A command's result out: the JSON written (`--json FILE`, or stdout alone with `--json -`),
 * then the summary with the files written — on stdout, or on stderr when stdout holds the JSON
 * (nothing with `--quiet`).
 */
export async function emitResult(
  io: CliIO,
  args: { readonly json?: string; readonly quiet?: boolean },
  result: unknown,
  written: string[],
  summary: () => string,
): Promise<void> {
  const jsonText = args.json === undefined ? "" : `${JSON.stringify(result, null, 2)}\n`;
  if (args.json !== undefined && args.json !== "-") {
    await writeText(args.json, jsonText);
    written.push(args.json);
  }
  const say = args.json === "-" || args.quiet === true ? io.err : io.out;
  if (args.json === "-") io.out(jsonText);
  if (args.quiet !== true) {
    const lines = [summary()];
    if (written.length > 0) lines.push(`wrote ${written.join(", ")}`);
    say(`${lines.join("\n")}\n`);
  }
}
