/**
 * How a piece of the user's own text is shown inside a message: cut to a readable length, and
 * never as raw spreadsheet formula text. Messages end up in terminals, JSON results, HTML reports
 * and CSV issue lists; a 1 MB cell or `=HYPERLINK(…)` must not travel into them as it is. One
 * rule for the whole library (browser-safe): the CSV reader (`mentorflow/node`) and the cohort
 * validation messages both use it.
 */

/**
 * Formula escaping. A spreadsheet treats a cell that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return as a formula (CSV injection). The writer puts a `'` before such a text cell,
 * and also before a text cell that starts with `'` followed by one of those characters or by
 * another `'`, so the escape is reversible. The reader removes one leading `'` exactly when it is
 * followed by one of those characters or by `'`. Numbers are written as numbers (`-5` stays `-5`).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export const ESCAPED = /^'[=+\-@\t\r']/;

export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) || ESCAPED.test(text) ? `'${text}` : text;
}

/** Longest cell text (in characters) that an issue message repeats; longer text is cut. */
export const MESSAGE_CELL_CHARS = 40;

/**
 * A cell's text as an issue message shows it, in double quotes: one line (JSON string escapes),
 * formula text neutralized as the writer does (`escapeFormula`: `=1+1` → `"'=1+1"`), and text
 * longer than `MESSAGE_CELL_CHARS` cut with an ellipsis and its full length:
 * `"abcd…" (1,048,576 characters)`. Every message that repeats a cell goes through here.
 */
export function showCell(text: string): string {
  const { head, cut, length } = shorten(escapeFormula(text), text);
  const quoted = JSON.stringify(head);
  return cut ? `${quoted.slice(0, -1)}…" (${length.toLocaleString("en-US")} characters)` : quoted;
}

/** Like `showCell`, without quotes or escapes: for a header as written in an issue's location
 * (`column "…"`). Short ordinary headers are returned as they are. */
export function showColumn(header: string): string {
  const { head, cut, length } = shorten(escapeFormula(header), header);
  return cut ? `${head}… (${length.toLocaleString("en-US")} characters)` : head;
}

/** `shown` (the text, perhaps escaped) cut to `MESSAGE_CELL_CHARS` characters (code points)
 * when the original text is longer than that; `length` counts the original's characters. */
function shorten(shown: string, original: string): { head: string; cut: boolean; length: number } {
  // Two UTF-16 units at most per character: a short string needs no counting.
  if (original.length <= MESSAGE_CELL_CHARS) return { head: shown, cut: false, length: 0 };
  let length = 0;
  for (let i = 0; i < original.length; i += isPairAt(original, i) ? 2 : 1) length++;
  if (length <= MESSAGE_CELL_CHARS) return { head: shown, cut: false, length };
  let end = 0;
  for (let n = 0; n < MESSAGE_CELL_CHARS && end < shown.length; n++) {
    end += isPairAt(shown, end) ? 2 : 1;
  }
  return { head: shown.slice(0, end), cut: true, length };
}

function isPairAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return false;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}
