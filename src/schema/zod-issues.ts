/**
 * zod issues → mentorflow `Issue`s.
 *
 * zod's own messages are generic ("Invalid input: expected number, received NaN") and its issue
 * shapes vary by code. Here every issue becomes one `Issue` with a stable `code`, a path location,
 * and a message in one grammar that names the field and says what it should be:
 *
 *     Too small: expected capacity to be >= 0
 *     Not a finite number: expected tenureMonths to be a finite number, received NaN
 *     Missing value: expected tier to be a string
 *     Unknown key: "capcity" is not a field here; remove it or fix its spelling
 *
 * Messages never echo string input values (they may be personal data); they name the received
 * *type*, and for numbers the special value (NaN, Infinity) that made them invalid.
 *
 * Call this once per `safeParse` result, never per pair.
 */
import { showCell } from "./show.js";
import type { z } from "zod";
import { pathIssue, type Issue, type IssueCode } from "./errors.js";
import { describeObject, standsFor } from "./plain.js";

type ZodIssue = z.core.$ZodIssue;
type Path = readonly (string | number)[];

/** Our path segments are strings and numbers; zod allows symbols too (never in our schemas). */
function toSegments(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((p) => (typeof p === "number" ? p : String(p)));
}

/**
 * How a message names the field: the path from the nearest record (array element) or the root,
 * e.g. `capacity` for `mentors[3].capacity`, `current.sql` for `mentees[0].current.sql`,
 * `training[0].completedOn`, `program.scale`. The full path is in the issue's location.
 */
export function fieldName(path: Path): string {
  if (path.length === 0) return "input";
  let start = path.length - 1;
  // Back up to the last string segment (a trailing index names an element of that list) …
  while (start > 0 && typeof path[start] === "number") start--;
  // … then to the first segment after an array index (or the root).
  while (start > 0 && typeof path[start - 1] === "string") start--;
  let out = "";
  for (let k = start; k < path.length; k++) {
    const part = path[k];
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean (true or false)",
  array: "an array",
  object: "an object",
  record: "an object",
  date: "a date",
  null: "null",
  undefined: "absent",
  never: "absent",
};

/** A type description of a received value (never the value itself, except special numbers):
 * "string", "NaN", "array", "a Date", "an instance of Team" … A stand-in from `plainInput` is
 * described as the value it replaced. */
export function describeReceived(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return standsFor(value) ?? "function";
  if (typeof value === "object") return describeObject(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    if (!Number.isInteger(value)) return "a fractional number";
    if (!Number.isSafeInteger(value)) return "an integer beyond the safe range";
    return "number";
  }
  return typeof value;
}

/** Headlines of the codes a refinement may choose. */
const HEADLINES: Record<string, string> = { too_small: "Too small", too_big: "Too big" };

/** A number as itself (numbers are never personal data); anything else by its type. */
function receivedValue(value: unknown): string | number {
  return typeof value === "number" && Number.isFinite(value) ? value : describeReceived(value);
}

function hasInput(issue: ZodIssue): boolean {
  return "input" in issue;
}

/** The issue's `received` detail (`receivedValue` of its input), when zod kept the input. */
function receivedOf(issue: ZodIssue): { received?: string | number } {
  return hasInput(issue) ? { received: receivedValue((issue as { input?: unknown }).input) } : {};
}

function bound(n: number | bigint): string {
  return typeof n === "bigint" ? n.toString() : String(n);
}

function plural(n: number | bigint, word: string): string {
  return `${bound(n)} ${word}${n === 1 || n === 1n ? "" : "s"}`;
}

function tooSmall(issue: z.core.$ZodIssueTooSmall, name: string): string {
  const { origin, minimum } = issue;
  if (origin === "string") {
    if (minimum === 1 || minimum === 1n)
      return `Too small: expected ${name} to be a non-empty string`;
    return `Too small: expected ${name} to have at least ${plural(minimum, "character")}`;
  }
  if (origin === "array" || origin === "set") {
    return `Too small: expected ${name} to have at least ${plural(minimum, "item")}`;
  }
  return `Too small: expected ${name} to be ${issue.inclusive === false ? ">" : ">="} ${bound(minimum)}`;
}

function tooBig(issue: z.core.$ZodIssueTooBig, name: string): string {
  const { origin, maximum } = issue;
  if (origin === "string") {
    return `Too big: expected ${name} to have at most ${plural(maximum, "character")}`;
  }
  if (origin === "array" || origin === "set") {
    return `Too big: expected ${name} to have at most ${plural(maximum, "item")}`;
  }
  return `Too big: expected ${name} to be ${issue.inclusive === false ? "<" : "<="} ${bound(maximum)}`;
}

function options(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? showCell(v) : String(v))).join(" | ");
}

function lowerFirst(s: string): string {
  return s.length === 0 ? s : s[0].toLowerCase() + s.slice(1);
}

/** One zod issue → our issues (an unrecognized-keys issue gives one issue per key). */
function convert(issue: ZodIssue, prefix: Path, out: Issue[], subject?: string): void {
  const path = [...prefix, ...toSegments(issue.path)];
  const name = subject ?? fieldName(path);
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED_NAMES[issue.expected] ?? `a ${issue.expected}`;
      // `input` is only on the issue when parsing with `reportInput: true`.
      if (hasInput(issue) && issue.input === undefined) {
        out.push(
          pathIssue("required", path, `Missing value: expected ${name} to be ${expected}`, {
            expected,
          }),
        );
        return;
      }
      const received = hasInput(issue) ? describeReceived(issue.input) : undefined;
      if (received === "NaN" || received === "Infinity" || received === "-Infinity") {
        out.push(
          pathIssue(
            "not_finite",
            path,
            `Not a finite number: expected ${name} to be a finite number, received ${received}`,
            { expected: "a finite number", received },
          ),
        );
        return;
      }
      const tail = received === undefined ? "" : `, received ${received}`;
      out.push(
        pathIssue("invalid_type", path, `Invalid type: expected ${name} to be ${expected}${tail}`, {
          expected,
          ...(received === undefined ? {} : { received }),
        }),
      );
      return;
    }
    case "too_small":
      out.push(
        pathIssue("too_small", path, tooSmall(issue, name), {
          minimum: Number(issue.minimum),
          ...(issue.inclusive === false ? { exclusive: true as const } : {}),
          ...receivedOf(issue),
        }),
      );
      return;
    case "too_big":
      out.push(
        pathIssue("too_big", path, tooBig(issue, name), {
          maximum: Number(issue.maximum),
          ...(issue.inclusive === false ? { exclusive: true as const } : {}),
          ...receivedOf(issue),
        }),
      );
      return;
    case "invalid_format": {
      const what =
        issue.format === "date"
          ? "an ISO date (YYYY-MM-DD)"
          : issue.format === "datetime"
            ? "an ISO date-time"
            : `in ${issue.format} format`;
      out.push(
        pathIssue("invalid_format", path, `Invalid format: expected ${name} to be ${what}`, {
          expected: what,
        }),
      );
      return;
    }
    case "not_multiple_of":
      out.push(
        pathIssue(
          "not_multiple_of",
          path,
          `Invalid number: expected ${name} to be a multiple of ${issue.divisor}`,
          { expected: `a multiple of ${issue.divisor}`, ...receivedOf(issue) },
        ),
      );
      return;
    case "invalid_value":
      out.push(
        pathIssue(
          "invalid_value",
          path,
          `Invalid option: expected ${name} to be ${issue.values.length === 1 ? "" : "one of "}${options(issue.values)}`,
          { allowed: issue.values.slice(0, 20).map(String), ...receivedOf(issue) },
        ),
      );
      return;
    case "unrecognized_keys":
      for (const key of issue.keys) {
        out.push(
          pathIssue(
            "unrecognized_key",
            [...path, key],
            `Unknown key: ${showCell(key)} is not a field here; remove it or fix its spelling`,
          ),
        );
      }
      return;
    case "invalid_union": {
      if (issue.discriminator !== undefined && issue.errors.length === 0 && "options" in issue) {
        out.push(
          pathIssue(
            "invalid_value",
            path,
            `Invalid option: expected ${name} to be one of ${options(issue.options ?? [])}`,
            { allowed: (issue.options ?? []).slice(0, 20).map(String) },
          ),
        );
        return;
      }
      out.push(
        pathIssue(
          "invalid_union",
          path,
          `Invalid value: ${name} matches none of the allowed forms`,
        ),
      );
      return;
    }
    case "invalid_key": {
      // The nested issues are about the key itself; the path already ends in the key.
      const keyName = `key ${showCell(String(path[path.length - 1]))}`;
      const inner: Issue[] = [];
      for (const nested of issue.issues) convert(nested, path, inner, keyName);
      for (const c of inner) out.push(pathIssue("invalid_key", path, c.message));
      return;
    }
    case "invalid_element":
      for (const inner of issue.issues) convert(inner, path, out);
      return;
    case "custom": {
      // A refinement may carry `params: { code, expected }` (input.ts): then the issue gets that
      // code and the usual grammar; otherwise its own sentence under our headline.
      const params = (issue as { params?: { code?: unknown; expected?: unknown } }).params;
      const code = params?.code;
      if (typeof code === "string" && typeof params?.expected === "string") {
        const tail = hasInput(issue) ? `, received ${receivedValue(issue.input)}` : "";
        out.push(
          pathIssue(
            // input.ts sets only codes of the union (too_small, too_big).
            code as IssueCode,
            path,
            `${HEADLINES[code] ?? "Invalid value"}: expected ${name} to be ${params.expected}${tail}`,
            { expected: params.expected, ...receivedOf(issue) },
          ),
        );
        return;
      }
      out.push(pathIssue("invalid_value", path, `Invalid value: ${lowerFirst(issue.message)}`));
      return;
    }
    default: {
      const unknown = issue as { message?: string };
      out.push(pathIssue("invalid_input", path, `Invalid input: ${unknown.message ?? name}`));
    }
  }
}

/**
 * Converts zod issues to `Issue`s, prefixing each path (e.g. `["mentees", 3]` when the record was
 * parsed on its own). Parse with `{ reportInput: true }` so messages can say what was received.
 */
export function issuesFromZod(issues: readonly ZodIssue[], prefix: Path = []): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) convert(issue, prefix, out);
  return out;
}
