/**
 * A JSON document received as bytes from someone not trusted (the HTTP service's request
 * bodies), read without letting it cost more than its size or reach anything it should not.
 *
 * `checkJsonBytes` looks at the bytes only, in one linear pass and before anything is built, so
 * it is cheap enough for the thread that serves HTTP (about 40 ms for 12 MB): the nesting depth
 * (a body of a million `[` is refused, not parsed), the length of each string as written, keys
 * written `"__proto__"`, UTF-8. `parseCheckedJson`, for bytes that passed, parses them and walks
 * the value (a loop, never recursion) for the keys `__proto__` (however escaped) and
 * `constructor.prototype`, each refused at its path, so that no code downstream ever meets a key
 * that could reach an object's prototype.
 *
 * Every problem is an issue of a `BodyError` (an `InputError`), at the line or path where it is.
 */
import { isUtf8 } from "node:buffer";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";

/** The body itself cannot be read (as against a cohort in it with problems): an HTTP 400. */
export class BodyError extends InputError {}

/** The limits of a request body beyond its size (which the server caps). */
export const JSON_BODY_LIMITS = Object.freeze({
  /** Arrays and objects nested in one another; a cohort needs 5. */
  depth: 64,
  /** Characters of one string (key or value) as written, escapes included; ids are at most 200,
   * names and notes far less. */
  stringLength: 10_000,
});

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;
const PROTO = [..."__proto__"].map((c) => c.charCodeAt(0));

function lineIssue(code: Issue["code"], file: string, line: number, message: string): Issue {
  return { code, location: { kind: "csv", file, row: line }, message };
}

function fail(issues: Issue[], file: string): never {
  throw new BodyError(issues, `request ${file}`);
}

/**
 * Refuses, from the bytes alone, a body nested deeper than `limits.depth`, a string longer than
 * `limits.stringLength` characters as written, a key written `"__proto__"`, or bytes that are
 * not UTF-8; `file` names the document in the issues ("body"). Throws `BodyError`.
 */
export function checkJsonBytes(
  bytes: Uint8Array,
  file = "body",
  limits: typeof JSON_BODY_LIMITS = JSON_BODY_LIMITS,
): void {
  let depth = 0;
  let line = 1;
  let inString = false;
  let length = 0; // characters of the string being read, as written
  let proto = false; // the string just read is "__proto__" (a key, if a colon follows)
  const refuse = (code: Issue["code"], message: string) =>
    fail([lineIssue(code, file, line, message)], file);
  for (let k = 0; k < bytes.length; k++) {
    const b = bytes[k];
    if (inString) {
      if (b === QUOTE) {
        inString = false;
        proto = length === PROTO.length && PROTO.every((c, i) => bytes[k - PROTO.length + i] === c);
        continue;
      }
      // Characters are counted by their first byte (UTF-8 continuation bytes are 10xxxxxx).
      if ((b & 0xc0) !== 0x80 && ++length > limits.stringLength)
        refuse(
          "too_big",
          `A string of more than ${limits.stringLength} characters; no field of a cohort needs one`,
        );
      if (b === BACKSLASH) {
        k++; // the escaped character, a quote perhaps
        length++;
      } else if (b === NEWLINE) line++;
      continue;
    }
    switch (b) {
      case QUOTE:
        inString = true;
        length = 0;
        break;
      case COLON:
        if (proto)
          refuse(
            "forbidden_key",
            'The key "__proto__" is not accepted anywhere in a request; remove it',
          );
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        if (++depth > limits.depth)
          refuse("too_deep", `Nested more than ${limits.depth} levels deep; a cohort needs 5`);
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        depth--;
        break;
      case NEWLINE:
        line++;
        continue;
      case SPACE:
      case TAB:
      case RETURN:
        continue;
    }
    proto = false;
  }
  if (!isUtf8(bytes))
    fail([lineIssue("invalid_utf8", file, 1, "Not UTF-8: send the JSON as UTF-8 text")], file);
}

/**
 * A JSON.parse error in words that never quote the text (V8 quotes a piece of it after
 * "Unexpected token"; the text may hold personal data), with the line of its position when V8
 * gives one.
 */
export function jsonSyntaxError(
  text: string,
  error: unknown,
): { line: number | null; message: string } {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(raw);
  let line: number | null = null;
  if (position !== null) {
    line = 1;
    const end = Math.min(Number(position[1]), text.length);
    for (let i = 0; i < end; i++) if (text.charCodeAt(i) === NEWLINE) line++;
  }
  const what = raw
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, "")
    .replace(/ (in JSON )?at position \d+.*$/s, "");
  return { line, message: `Not valid JSON: ${what}` };
}

/** The keys `__proto__` and `constructor.prototype`, at their paths (at most `max`). */
function forbiddenKeys(value: unknown, max = 20): Issue[] {
  const issues: Issue[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && issues.length < max) {
    const { value: v, path } = stack.pop()!;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
    } else if (v !== null && typeof v === "object") {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        if (key === "__proto__" || (key === "prototype" && path.at(-1) === "constructor"))
          issues.push(
            pathIssue(
              "forbidden_key",
              [...path, key],
              `The key "${key}" is not accepted anywhere in a request; remove it`,
            ),
          );
        else stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
      }
    }
  }
  return issues;
}

/**
 * The JSON value in `bytes` that `checkJsonBytes` has passed (the service checks each body on
 * the thread that serves HTTP, then parses it here on a worker thread): the parse, and the walk
 * for forbidden keys; `file` names the document in the issues ("body"). Throws `BodyError`.
 */
export function parseCheckedJson(bytes: Uint8Array, file = "body"): unknown {
  const text = new TextDecoder("utf-8").decode(bytes); // a BOM is dropped
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { line, message } =
      text.trim() === ""
        ? { line: 1, message: "Empty: send a JSON document" }
        : jsonSyntaxError(text, error);
    fail(
      [
        line === null
          ? pathIssue("invalid_json", [], message)
          : lineIssue("invalid_json", file, line, message),
      ],
      file,
    );
  }
  const issues = forbiddenKeys(value);
  if (issues.length > 0) fail(issues, file);
  return value;
}
