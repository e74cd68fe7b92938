/**
 * Writes mentees and mentors back to CSV in the format `csv.ts` reads (docs/CSV.md), so
 * `readCohortCsv(writeCohortCsv(input))` gives the same cohort back.
 *
 * Text cells that a spreadsheet would run as a formula get a leading `'` (see `escapeFormula`).
 * A value the format cannot hold (a list item with `;`, text with surrounding spaces, which the
 * reader trims) is an `InputError` naming its path, never a silently different file.
 */
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import type { CohortInput, MenteeInput, MentorInput } from "../schema/input.js";
import {
  LIST_SEPARATOR,
  MENTEE_FORMAT,
  MENTOR_FORMAT,
  TRAINING_DATE_SEPARATOR,
  escapeFormula,
  quote,
  type ColumnSpec,
  type CsvFormat,
} from "./csv-format.js";

export interface WriteCsvOptions {
  /** Skill columns in this order (default: the skills the people use, in first-seen order). */
  readonly skills?: readonly string[];
  /** Line ending (default "\n"). */
  readonly newline?: "\n" | "\r\n";
}

export interface CohortCsvFiles {
  readonly mentees: string;
  readonly mentors: string;
  /** The program config as JSON: `{ skills, strategy, program }`. */
  readonly config: string;
}

/** Mentees as CSV text: fixed columns, then `current:<skill>` / `target:<skill>` pairs, then
 * `group:<attribute>` columns. */
export function writeMenteesCsv(
  mentees: readonly MenteeInput[],
  options: WriteCsvOptions = {},
): string {
  const skills = options.skills ?? keysOf(mentees, ["current", "targets"]);
  const dynamic: DynamicColumn[] = [];
  for (const skill of skills) {
    dynamic.push({ header: `current:${skill}`, field: "current", key: skill, kind: "number" });
    dynamic.push({ header: `target:${skill}`, field: "targets", key: skill, kind: "number" });
  }
  for (const group of keysOf(mentees, ["sensitive"]).sort()) {
    dynamic.push({ header: `group:${group}`, field: "sensitive", key: group, kind: "text" });
  }
  return writeTable(mentees, MENTEE_FORMAT, dynamic, options.newline ?? "\n");
}

/** Mentors as CSV text: fixed columns, then `skill:<skill>`, then `group:<attribute>`. */
export function writeMentorsCsv(
  mentors: readonly MentorInput[],
  options: WriteCsvOptions = {},
): string {
  const skills = options.skills ?? keysOf(mentors, ["expertise"]);
  const dynamic: DynamicColumn[] = skills.map((skill) => ({
    header: `skill:${skill}`,
    field: "expertise",
    key: skill,
    kind: "number" as const,
  }));
  for (const group of keysOf(mentors, ["sensitive"]).sort()) {
    dynamic.push({ header: `group:${group}`, field: "sensitive", key: group, kind: "text" });
  }
  return writeTable(mentors, MENTOR_FORMAT, dynamic, options.newline ?? "\n");
}

/** The whole cohort as the three files `loadCohort` reads. Skill columns follow `input.skills`. */
export function writeCohortCsv(
  input: CohortInput,
  options: Omit<WriteCsvOptions, "skills"> = {},
): CohortCsvFiles {
  const skills = input.skills.map((s) => s.id);
  const { skills: skillList, strategy, program } = input;
  return {
    mentees: writeMenteesCsv(input.mentees, { ...options, skills }),
    mentors: writeMentorsCsv(input.mentors, { ...options, skills }),
    config: `${JSON.stringify({ skills: skillList, strategy, program }, null, 2)}\n`,
  };
}

// ————————————————————————————————————————————————————————————————————————————————————————————

interface DynamicColumn {
  readonly header: string;
  readonly field: string;
  readonly key: string;
  readonly kind: "number" | "text";
}

function writeTable(
  people: readonly (MenteeInput | MentorInput)[],
  format: CsvFormat,
  dynamic: readonly DynamicColumn[],
  newline: string,
): string {
  const issues: Issue[] = [];
  const header = [...format.columns.map((c) => c.header), ...dynamic.map((d) => d.header)];
  // Headers start with a letter (fixed names and prefixes), so they never need formula escaping.
  // A header holding ";" or a tab is quoted too: the reader tells the separator from the header.
  const lines: string[] = [header.map(quoteHeader).join(",")];
  const cells: string[] = new Array(header.length);
  for (let k = 0; k < people.length; k++) {
    const person = people[k] as unknown as Record<string, unknown>;
    const at = (...path: (string | number)[]) => [format.role, k, ...path];
    let c = 0;
    for (const spec of format.columns) {
      cells[c++] = writeCell(getField(person, spec.field), spec, at, issues);
    }
    for (const d of dynamic) {
      const bag = person[d.field] as Record<string, unknown> | undefined;
      const value = bag === undefined || !Object.hasOwn(bag, d.key) ? undefined : bag[d.key];
      cells[c++] = writeScalar(value, d.kind, at(d.field, d.key), issues);
    }
    lines.push(cells.join(","));
  }
  if (issues.length > 0) throw new InputError(issues, `${format.role} for CSV`);
  return lines.join(newline) + newline;
}

function writeCell(
  value: unknown,
  spec: ColumnSpec,
  at: (...path: (string | number)[]) => (string | number)[],
  issues: Issue[],
): string {
  const path = spec.field.split(".");
  if (value === undefined || value === null) return "";
  switch (spec.kind) {
    case "text":
      return writeScalar(value, "text", at(...path), issues);
    case "number":
      return writeScalar(value, "number", at(...path), issues);
    case "boolean":
      if (typeof value !== "boolean") break;
      return value ? "true" : "false";
    case "list": {
      if (!Array.isArray(value)) break;
      const items = value.map((item, i) => listItem(item, at(...path, i), issues));
      return quote(escapeFormula(items.join(LIST_SEPARATOR)));
    }
    case "training": {
      if (!Array.isArray(value)) break;
      const items = value.map((t: { id?: unknown; completedOn?: unknown }, i) => {
        const id = listItem(t?.id, at(...path, i, "id"), issues);
        if (t?.completedOn === undefined) {
          if (id.includes(TRAINING_DATE_SEPARATOR)) {
            issues.push(
              pathIssue(
                "not_writable",
                at(...path, i, "id"),
                `A training id with "${TRAINING_DATE_SEPARATOR}" needs a completion date to be written to CSV`,
              ),
            );
          }
          return id;
        }
        const date = listItem(t.completedOn, at(...path, i, "completedOn"), issues);
        return `${id}${TRAINING_DATE_SEPARATOR}${date}`;
      });
      return quote(escapeFormula(items.join(LIST_SEPARATOR)));
    }
  }
  issues.push(pathIssue("not_writable", at(...path), `Expected a ${spec.kind} value`));
  return "";
}

function writeScalar(
  value: unknown,
  kind: "number" | "text",
  path: (string | number)[],
  issues: Issue[],
): string {
  if (value === undefined || value === null) return "";
  if (kind === "number") {
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    issues.push(pathIssue("not_writable", path, "Expected a finite number"));
    return "";
  }
  if (typeof value !== "string") {
    issues.push(pathIssue("not_writable", path, "Expected text"));
    return "";
  }
  if (value.trim() !== value || value === "") {
    issues.push(
      pathIssue(
        "not_writable",
        path,
        "Text with leading or trailing white space (or empty text) cannot be written to CSV: the reader trims cells",
      ),
    );
  }
  return quote(escapeFormula(value));
}

function listItem(value: unknown, path: (string | number)[], issues: Issue[]): string {
  if (typeof value !== "string" || value.trim() !== value || value === "") {
    issues.push(
      pathIssue("not_writable", path, "Expected non-empty text without surrounding spaces"),
    );
    return "";
  }
  if (value.includes(LIST_SEPARATOR)) {
    issues.push(
      pathIssue(
        "not_writable",
        path,
        `A list item with "${LIST_SEPARATOR}" cannot be written to CSV (it separates items)`,
      ),
    );
  }
  return value;
}

function getField(person: Record<string, unknown>, field: string): unknown {
  const dot = field.indexOf(".");
  if (dot < 0) return person[field];
  const bag = person[field.slice(0, dot)] as Record<string, unknown> | undefined;
  return bag?.[field.slice(dot + 1)];
}

/** Keys of the given object fields across people, in first-seen order. */
function keysOf(people: readonly object[], fields: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const person of people) {
    for (const field of fields) {
      const bag = (person as Record<string, unknown>)[field];
      if (bag !== null && typeof bag === "object")
        for (const key of Object.keys(bag)) seen.add(key);
    }
  }
  return [...seen];
}

/** A header cell: quoted also when it holds a separator the reader could take (`;`, a tab). */
function quoteHeader(cell: string): string {
  return /[;\t]/.test(cell) && !/[",\r\n]/.test(cell) ? `"${cell}"` : quote(cell);
}
