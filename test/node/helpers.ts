/**
 * Shared bits for the CSV tests: a small hand-written cohort (config + CSV rows) and helpers to
 * build CSV text and pick issues.
 */
import { expect } from "vitest";
import type { Issue } from "../../src/schema/errors.js";
import { InputError } from "../../src/schema/errors.js";

export const CONFIG = {
  skills: [{ id: "sql" }, { id: "python" }],
  strategy: { priorities: { sql: 2, python: 1 } },
  program: {
    asOf: "2025-06-01",
    tiers: [
      { id: "peer", levelGap: { min: 0, max: 1 } },
      { id: "senior", levelGap: { min: 2 }, trainingRequired: ["coach"] },
    ],
  },
};

export const MENTEE_HEADER = [
  "id",
  "department",
  "level",
  "tenure_months",
  "languages",
  "high_potential",
  "current:sql",
  "target:sql",
  "group:gender",
];
export const MENTEE_ROWS = [
  ["e1", "data", "1", "12", "en;de", "yes", "1", "3", "F"],
  ["e2", "ops", "2", "30", "en", "", "2", "4", "M"],
  ["e3", "data", "1", "6", "", "0", "", "2.5", ""],
];
export const MENTOR_HEADER = [
  "id",
  "department",
  "level",
  "tenure_months",
  "tier",
  "capacity",
  "training",
  "skill:sql",
  "skill:python",
];
export const MENTOR_ROWS = [
  ["m1", "data", "4", "60", "senior", "2", "coach@2024-01-15;ethics", "5", "3"],
  ["m2", "ops", "2", "24", "peer", "3", "", "3", ""],
];

/** CSV text from rows; cells are quoted only when needed. */
export function csv(rows: readonly (readonly string[])[], newline = "\n"): string {
  return rows.map((r) => r.map(quoteCell).join(",")).join(newline) + newline;
}

export function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function menteesCsv(rows = MENTEE_ROWS, header = MENTEE_HEADER): string {
  return csv([header, ...rows]);
}

export function mentorsCsv(rows = MENTOR_ROWS, header = MENTOR_HEADER): string {
  return csv([header, ...rows]);
}

/** Runs `fn`, expects an `InputError`, returns its issues. */
export function issuesOf(fn: () => unknown): readonly Issue[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues;
  }
  throw new Error("expected an InputError");
}

/** `file row N[, column "c"]: message` of each issue, for compact assertions. */
export function where(issue: Issue): string {
  const l = issue.location;
  if (l.kind === "path") return l.path.join(".");
  return `${l.file}:${l.row}${l.column === undefined ? "" : `:${l.column}`}`;
}

/** The three sources of a cohort read from text: mentees and mentors CSV (defaults: the rows
 * above) and the config. */
export function textSources(
  mentees = menteesCsv(),
  mentors = mentorsCsv(),
  config: unknown = CONFIG,
) {
  return {
    mentees: { text: mentees, file: "mentees.csv" },
    mentors: { text: mentors, file: "mentors.csv" },
    config,
  };
}
