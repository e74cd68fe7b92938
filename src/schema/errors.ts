/**
 * Errors are data: every problem found in an input is an `Issue` (where, what, how to fix), and
 * `InputError` carries all of them at once. Rendering is separate (`formatIssues`).
 */

/** Where an issue is: a path into the input object, or a file position for CSV intake. */
export type IssueLocation =
  | { readonly kind: "path"; readonly path: readonly (string | number)[] }
  | {
      readonly kind: "csv";
      readonly file: string;
      /** 1-based line number as an editor shows it (the header is row 1). */
      readonly row: number;
      /** Column header, when the issue is about one cell. */
      readonly column?: string;
    };

/**
 * Every `Issue.code`, in one place. Codes are stable: new ones are only added. What each means:
 *
 * Shape and values (the cohort input, options, engine problems):
 * - `invalid_type`: a value of the wrong type (`expected`, `received`).
 * - `invalid_value`: a value outside a fixed set (`allowed`, `received`).
 * - `invalid_format`: a string in the wrong format (a date, an id).
 * - `invalid_union`: a value that matches none of the accepted forms (an equity rule's `kind`).
 * - `invalid_key`: a key that is not allowed there (a reserved name such as `__proto__`).
 * - `unrecognized_key`: a key the schema does not know (often a typo).
 * - `too_small` / `too_big`: a number, list or string outside its limits (`minimum` /
 *   `maximum`, `received`); `not_multiple_of`: a number off its step.
 * - `not_finite`: NaN or ±Infinity where a finite number is needed.
 * - `required`: a required field is missing.
 * - `duplicate_id`, `unknown_skill`, `unknown_tier`, `unknown_mentee`, `unknown_mentor`,
 *   `unknown_group`, `unknown_attribute`: ids that repeat or refer to nothing declared.
 * - `self_pair`, `duplicate_pair`, `locked_and_forbidden`, `locked_pair_ineligible`,
 *   `too_many_locked`: locked and forbidden pairs that contradict each other or the rules.
 * - `min_mentors_above_max`, `min_load_above_capacity`, `target_below_current`, `off_scale`,
 *   `missing_as_of`: values that contradict each other.
 * - `invalid_input`, `invalid_config`, `invalid_argument`, `invalid_option`, `unknown_option`,
 *   `invalid_result`: a whole argument of the wrong kind (not a cohort, an options object that
 *   is not one, a result that is not `match`'s).
 * - Engine problems (`solveAssignment`, `verifyCertificate`): `invalid_problem`,
 *   `invalid_shape`, `invalid_score`, `invalid_bound`, `invalid_pair`, `invalid_pairs`,
 *   `invalid_allowed`, `invalid_sense`, `score_out_of_range`, `score_scale` (scores too small
 *   to certify: scale them up).
 *
 * Files (`mentorflow/node`, docs/CSV.md):
 * - `unreadable_file`, `unreadable_input`, `not_writable`, `empty_file`, `not_text`,
 *   `invalid_utf8`, `invalid_json`: the file itself.
 * - `csv_syntax`, `column_count`, `invalid_header`, `missing_column`, `duplicate_column`,
 *   `unnamed_column`, `unknown_column`, `invalid_cell`, `missing_value`: the CSV's layout and
 *   cells.
 * - `no_rows`: a CSV file with a header but no data rows (no mentees, or no mentors).
 * - Warnings only (returned beside a result, never thrown): `formula_cell`, a text cell that a
 *   spreadsheet would run as a formula (`=…`, `+…`, `@…`, `-…` when not a number), kept as
 *   written; `similar_id`, two ids that differ only in case or white space (`M005`, `m005`),
 *   which are different people; and `unknown_column` / `unnamed_column` above.
 */
export type IssueCode =
  | "invalid_type"
  | "invalid_value"
  | "invalid_format"
  | "invalid_union"
  | "invalid_key"
  | "unrecognized_key"
  | "too_small"
  | "too_big"
  | "not_multiple_of"
  | "not_finite"
  | "required"
  | "duplicate_id"
  | "unknown_skill"
  | "unknown_tier"
  | "unknown_mentee"
  | "unknown_mentor"
  | "unknown_group"
  | "unknown_attribute"
  | "self_pair"
  | "duplicate_pair"
  | "locked_and_forbidden"
  | "locked_pair_ineligible"
  | "too_many_locked"
  | "min_mentors_above_max"
  | "min_load_above_capacity"
  | "target_below_current"
  | "off_scale"
  | "missing_as_of"
  | "invalid_input"
  | "invalid_config"
  | "invalid_argument"
  | "invalid_option"
  | "unknown_option"
  | "invalid_result"
  | "invalid_problem"
  | "invalid_shape"
  | "invalid_score"
  | "invalid_bound"
  | "invalid_pair"
  | "invalid_pairs"
  | "invalid_allowed"
  | "invalid_sense"
  | "score_out_of_range"
  | "score_scale"
  | "unreadable_file"
  | "unreadable_input"
  | "not_writable"
  | "empty_file"
  | "not_text"
  | "invalid_utf8"
  | "invalid_json"
  | "too_deep"
  | "forbidden_key"
  | "csv_syntax"
  | "column_count"
  | "invalid_header"
  | "missing_column"
  | "duplicate_column"
  | "unnamed_column"
  | "unknown_column"
  | "invalid_cell"
  | "missing_value"
  | "no_rows"
  | "formula_cell"
  | "similar_id";

/** What a program can read about an issue beside its message (each field only when it applies). */
export interface IssueDetails {
  /** What was expected, in words ("a whole number", "one of: peer, senior"); for an unknown id
   * that equals a known id but for case and white space, that known id as written. */
  readonly expected?: string;
  /** What was found: a number as itself, an id (unknown ids) as written, anything else by its
   * kind ("a fractional number", "an object") — never free text from the input. */
  readonly received?: string | number | boolean | null;
  /** The limits a value broke (`too_small` / `too_big`, the bounds of a scale or a capacity),
   * inclusive unless `exclusive` says the limit itself is not allowed. */
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusive?: true;
  /** The values that would have been accepted (`invalid_value`, `unknown_option`; at most 20). */
  readonly allowed?: readonly string[];
}

export interface Issue extends IssueDetails {
  /** Stable machine-readable code (`IssueCode` lists them all). */
  readonly code: IssueCode;
  readonly location: IssueLocation;
  /** What is wrong and what to do, in one sentence. */
  readonly message: string;
}

/** Renders a path the way users write it: `mentees[12].targets.sql`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === "" ? "(root)" : out;
}

export function formatLocation(location: IssueLocation): string {
  if (location.kind === "path") return formatPath(location.path);
  const col = location.column === undefined ? "" : `, column "${location.column}"`;
  return `${location.file} row ${location.row}${col}`;
}

/** One line per issue: `mentees[3].capacity: Too small: expected …`. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${formatLocation(i.location)}: ${i.message}`).join("\n");
}

/** Thrown for invalid input only (never for an infeasible but well-formed problem). */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly issues: readonly Issue[];
  /** Warnings found on the way (CSV intake: unknown columns, formula-looking cells …), which
   * often explain the issues; empty for most errors. The message lists them after the issues. */
  readonly warnings: readonly Issue[];

  constructor(issues: readonly Issue[], what = "input", warnings: readonly Issue[] = []) {
    const head = `Invalid ${what}: ${issues.length} issue${issues.length === 1 ? "" : "s"}`;
    const tail =
      warnings.length === 0
        ? ""
        : `\n${warnings.length} warning${warnings.length === 1 ? "" : "s"}:\n${formatIssues(warnings)}`;
    super(`${head}\n${formatIssues(issues)}${tail}`);
    this.issues = issues;
    this.warnings = warnings;
  }
}

/** Shorthand for a path issue, with its details when there are any. */
export function pathIssue(
  code: IssueCode,
  path: readonly (string | number)[],
  message: string,
  details?: IssueDetails,
): Issue {
  return { code, location: { kind: "path", path }, message, ...details };
}
