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

export interface Issue {
  /** Stable machine-readable code, e.g. "duplicate_id", "unknown_skill", "too_small". */
  readonly code: string;
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

  constructor(issues: readonly Issue[], what = "input") {
    const head = `Invalid ${what}: ${issues.length} issue${issues.length === 1 ? "" : "s"}`;
    super(`${head}\n${formatIssues(issues)}`);
    this.issues = issues;
  }
}

/** Shorthand for a path issue. */
export function pathIssue(
  code: string,
  path: readonly (string | number)[],
  message: string,
): Issue {
  return { code, location: { kind: "path", path }, message };
}
