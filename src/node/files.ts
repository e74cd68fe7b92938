/**
 * File I/O around the CSV intake: read mentees.csv, mentors.csv and the config JSON from disk
 * (`loadCohort`), or write a cohort out as those three files (`writeCohortFiles`).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError, type Issue } from "../schema/errors.js";
import type { CohortInput } from "../schema/input.js";
import { parseCohortCsv, readCohortCsv, type CohortCsvRead, type CohortCsvResult } from "./csv.js";
import { writeCohortCsv, type WriteCsvOptions } from "./csv-write.js";

/** Paths of the three files of a cohort. */
export interface CohortFiles {
  readonly mentees: string;
  readonly mentors: string;
  /** Program config JSON: `{ skills, strategy, program }`. */
  readonly config: string;
}

/** Reads, validates and indexes a cohort from files. Throws `InputError` listing every issue
 * (unreadable files, invalid JSON, CSV problems, validation problems mapped to CSV cells). */
export async function loadCohort(files: CohortFiles): Promise<CohortCsvResult> {
  const { mentees, mentors, config } = await readTexts(files);
  return parseCohortCsv({
    mentees: { text: mentees, file: files.mentees },
    mentors: { text: mentors, file: files.mentors },
    config: parseConfigJson(config, files.config),
  });
}

/** Reads the files into a raw `CohortInput` plus CSV issues and warnings, without validating
 * (e.g. to convert CSV to JSON). Throws `InputError` only for unreadable files or invalid JSON. */
export async function readCohortInputFromFiles(files: CohortFiles): Promise<CohortCsvRead> {
  const { mentees, mentors, config } = await readTexts(files);
  return readCohortCsv({
    mentees: { text: mentees, file: files.mentees },
    mentors: { text: mentors, file: files.mentors },
    config: parseConfigJson(config, files.config),
  });
}

/** The default file names inside a folder: `mentees.csv`, `mentors.csv`, `config.json`. */
export function cohortFilesIn(dir: string): CohortFiles {
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
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    let row = 1;
    if (position !== null) {
      const end = Math.min(Number(position[1]), body.length);
      for (let i = 0; i < end; i++) if (body.charCodeAt(i) === 10) row++;
    }
    throw new InputError(
      [
        {
          code: "invalid_json",
          location: { kind: "csv", file, row },
          message: `Not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}`,
        },
      ],
      "config",
    );
  }
}

async function readTexts(files: CohortFiles): Promise<Record<keyof CohortFiles, string>> {
  const keys = ["mentees", "mentors", "config"] as const;
  const failures: (Issue | null)[] = [null, null, null];
  const texts = await Promise.all(
    keys.map(async (key, k) => {
      try {
        return await readFile(files[key], "utf8");
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const why =
          code === "ENOENT"
            ? "no such file"
            : code === "EISDIR"
              ? "it is a folder"
              : code === "EACCES"
                ? "permission denied"
                : String((error as Error).message ?? error);
        failures[k] = {
          code: "unreadable_file",
          location: { kind: "path", path: [key] },
          message: `Cannot read the ${key} file ${JSON.stringify(files[key])}: ${why}`,
        };
        return "";
      }
    }),
  );
  const issues = failures.filter((f): f is Issue => f !== null);
  if (issues.length > 0) throw new InputError(issues, "cohort files");
  return { mentees: texts[0], mentors: texts[1], config: texts[2] };
}
