/**
 * Validates an `AssignmentProblem` (all issues at once, as `InputError`) and turns it into the
 * engine's `Instance`. The caller's arrays are read, never written.
 */
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { buildExcluded, type Instance, type RowSource, type SparseSource } from "./instance.js";
import { groupBy } from "./csr.js";
import { firstBadScore, SCORE_RANGE_FIX, scoreInRange } from "./numeric.js";
import type { AssignmentProblem, Bound } from "./types.js";

const isIndex = (v: unknown, size: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 && v < size;

function readBound(
  issues: Issue[],
  name: string,
  bound: Bound | undefined,
  size: number,
  fallback: number,
  allowInfinity: boolean,
): Float64Array {
  const out = new Float64Array(size).fill(fallback);
  if (bound === undefined) return out;
  const ok = (v: number) =>
    (Number.isInteger(v) && v >= 0) || (allowInfinity && v === Number.POSITIVE_INFINITY);
  const what = allowInfinity ? "a whole number >= 0 or Infinity" : "a whole number >= 0";
  if (typeof bound === "number") {
    if (!ok(bound))
      issues.push(pathIssue("invalid_bound", [name], `Expected ${what}, got ${bound}`));
    else out.fill(bound);
    return out;
  }
  if (bound.length !== size) {
    issues.push(
      pathIssue(
        "invalid_bound",
        [name],
        `Expected ${size} values (one per index), got ${bound.length}`,
      ),
    );
    return out;
  }
  for (let k = 0; k < size; k++) {
    const v = bound[k];
    if (!ok(v)) {
      issues.push(pathIssue("invalid_bound", [name, k], `Expected ${what}, got ${v}`));
      if (issues.length > 100) return out;
    } else out[k] = v;
  }
  return out;
}

function readPairs(
  issues: Issue[],
  name: string,
  list: readonly (readonly [number, number])[] | undefined,
  rows: number,
  cols: number,
): [number, number][] {
  const out: [number, number][] = [];
  if (list === undefined) return out;
  if (!Array.isArray(list)) {
    issues.push(pathIssue("invalid_pairs", [name], "Expected an array of [row, col] pairs"));
    return out;
  }
  list.forEach((p, k) => {
    if (!Array.isArray(p) || p.length !== 2 || !isIndex(p[0], rows) || !isIndex(p[1], cols)) {
      issues.push(
        pathIssue(
          "invalid_pair",
          [name, k],
          `Expected [row, col] with 0 <= row < ${rows} and 0 <= col < ${cols}, got ${JSON.stringify(p)}`,
        ),
      );
    } else out.push([p[0], p[1]]);
  });
  return out;
}

const badScore = (v: number) =>
  Number.isNaN(v)
    ? "NaN"
    : v === Number.POSITIVE_INFINITY
      ? "Infinity"
      : v === Number.NEGATIVE_INFINITY
        ? "-Infinity"
        : String(v);

const SCORE_FIX =
  "scores must be finite numbers; to disallow a pair use `forbidden`, `allowed`, or leave it out of `pairs`";

/** Why a score the engine cannot carry is rejected (numeric.ts: finite, |s| ≤ MAX_SCORE). */
const scoreMessage = (v: number) =>
  `Got ${badScore(v)}: ${Number.isFinite(v) ? SCORE_RANGE_FIX : SCORE_FIX}`;

/** `rows` and `cols` as given, when both are whole numbers ≥ 0; else an issue ("<who> need(s)
 * whole-number `rows` and `cols`") and undefined. */
function givenShape(
  issues: Issue[],
  problem: AssignmentProblem,
  who: string,
): { rows: number; cols: number } | undefined {
  const rows = problem.rows ?? -1;
  const cols = problem.cols ?? -1;
  if (Number.isInteger(rows) && rows >= 0 && Number.isInteger(cols) && cols >= 0)
    return { rows, cols };
  issues.push(pathIssue("invalid_shape", ["rows"], `${who} whole-number \`rows\` and \`cols\``));
  return undefined;
}

/** Dense input (number[][] or flat Float64Array) → a row source plus a checked flat matrix. */
function denseSource(
  issues: Issue[],
  problem: AssignmentProblem,
  sign: number,
): { rows: number; cols: number; source?: RowSource } {
  const scores = problem.scores!;
  let rows: number;
  let cols: number;
  let flat: Float64Array;
  if (scores instanceof Float64Array) {
    const shape = givenShape(issues, problem, "A flat Float64Array needs");
    if (!shape) return { rows: 0, cols: 0 };
    ({ rows, cols } = shape);
    if (scores.length !== rows * cols) {
      issues.push(
        pathIssue(
          "invalid_shape",
          ["scores"],
          `Expected rows * cols = ${rows * cols} scores, got ${scores.length}`,
        ),
      );
      return { rows, cols };
    }
    flat = scores;
  } else if (Array.isArray(scores)) {
    rows = scores.length;
    const first = scores[0];
    cols = rows === 0 ? (problem.cols ?? 0) : Array.isArray(first) ? first.length : -1;
    if (cols < 0) {
      issues.push(
        pathIssue(
          "invalid_shape",
          ["scores"],
          "Expected a matrix (number[][]), got a flat list; wrap rows in arrays",
        ),
      );
      return { rows: 0, cols: 0 };
    }
    if (problem.rows !== undefined && problem.rows !== rows)
      issues.push(
        pathIssue("invalid_shape", ["rows"], `rows is ${problem.rows} but scores has ${rows} rows`),
      );
    flat = new Float64Array(rows * Math.max(cols, 0));
    for (let i = 0; i < rows; i++) {
      const row = scores[i];
      if (!Array.isArray(row) || row.length !== cols) {
        issues.push(
          pathIssue(
            "invalid_shape",
            ["scores", i],
            `Expected a row of ${cols} numbers (every row as long as the first), got ${Array.isArray(row) ? row.length : typeof row}`,
          ),
        );
        continue;
      }
      for (let j = 0; j < cols; j++) {
        const v: unknown = row[j];
        if (typeof v !== "number") {
          issues.push(
            pathIssue(
              "invalid_score",
              ["scores", i, j],
              `Expected a number, got ${v === null ? "null" : typeof v}`,
            ),
          );
          flat[i * cols + j] = 0;
        } else flat[i * cols + j] = v;
      }
    }
    if (problem.cols !== undefined && rows > 0 && problem.cols !== cols)
      issues.push(
        pathIssue(
          "invalid_shape",
          ["cols"],
          `cols is ${problem.cols} but rows have ${cols} scores`,
        ),
      );
  } else {
    issues.push(
      pathIssue(
        "invalid_shape",
        ["scores"],
        "Expected number[][] or a flat Float64Array of scores",
      ),
    );
    return { rows: 0, cols: 0 };
  }
  const allowed = problem.allowed;
  if (
    allowed !== undefined &&
    (!(allowed instanceof Uint8Array) || allowed.length !== rows * cols)
  ) {
    issues.push(
      pathIssue(
        "invalid_shape",
        ["allowed"],
        `Expected a Uint8Array of rows * cols = ${rows * cols}`,
      ),
    );
    return { rows, cols };
  }
  if (allowed !== undefined) {
    // 1 = allowed, 0 = not; anything else is a mistake (e.g. 255 from a boolean cast), reported
    // rather than guessed at.
    let wrong = 0;
    for (let k = firstAbove1(allowed); k < allowed.length && wrong < 20; k++)
      if (allowed[k] > 1) {
        const i = Math.floor(k / cols);
        issues.push(
          pathIssue(
            "invalid_allowed",
            ["allowed", k],
            `Got ${allowed[k]} for pair (${i}, ${k - i * cols}); use 1 (allowed) or 0 (not allowed)`,
          ),
        );
        wrong++;
      }
  }
  let bad = 0;
  for (let k = 0; k < flat.length && bad < 20; k++) {
    const v = flat[k];
    if (!scoreInRange(v)) {
      const i = Math.floor(k / cols);
      const j = k - i * cols;
      issues.push(pathIssue("invalid_score", ["scores", i, j], scoreMessage(v)));
      bad++;
    }
  }
  if (bad > 0) return { rows, cols };
  const source: RowSource = {
    kind: "rows",
    ...(sign === 1 ? { view: (i: number) => ({ scores: flat, allowed, offset: i * cols }) } : {}),
    readRow(i, out, ok) {
      const base = i * cols;
      if (sign === 1) out.set(flat.subarray(base, base + cols));
      else for (let j = 0; j < cols; j++) out[j] = -flat[base + j];
      if (allowed === undefined) ok.fill(1);
      else ok.set(allowed.subarray(base, base + cols));
    },
  };
  return { rows, cols, source };
}

/**
 * Scores computed on the fly by the caller, a row at a time. Each read is checked (a bad value
 * throws `InputError` naming the pair, at the point the engine meets it); the engine keeps the rows
 * it has read (`withRowCache`, instance.ts: all of them when the whole matrix fits its dense
 * cache, else their allowed pairs while they fit a budget).
 */
function callbackSource(
  issues: Issue[],
  problem: AssignmentProblem,
  sign: number,
): { rows: number; cols: number; source?: RowSource } {
  const fill = problem.scoreRow!;
  const shape = givenShape(issues, problem, "`scoreRow` needs");
  if (!shape) return { rows: 0, cols: 0 };
  const { rows, cols } = shape;
  if (typeof fill !== "function") {
    issues.push(
      pathIssue(
        "invalid_problem",
        ["scoreRow"],
        "Expected a function (i, scores, allowed) => void",
      ),
    );
    return { rows, cols };
  }
  const source: RowSource = {
    kind: "rows",
    readRow(i, out, ok) {
      out.fill(NaN, 0, cols);
      ok.fill(1, 0, cols);
      fill(
        i,
        out.length === cols ? out : out.subarray(0, cols),
        ok.length === cols ? ok : ok.subarray(0, cols),
      );
      const j = firstBadScore(out, ok, cols);
      if (j >= 0) throw badRow(i, j, out[j], ok[j]);
      if (sign === -1) for (let j = 0; j < cols; j++) out[j] = -out[j];
    },
  };
  return { rows, cols, source };
}

function badRow(i: number, j: number, score: number, allowed: number): InputError {
  const what =
    allowed > 1
      ? `allowed[${j}] is ${allowed}; use 1 (allowed) or 0 (not allowed)`
      : Number.isNaN(score)
        ? `scores[${j}] was not set (or is NaN): ${SCORE_FIX}`
        : `scores[${j}]: ${scoreMessage(score)}`;
  return new InputError(
    [pathIssue(allowed > 1 ? "invalid_allowed" : "invalid_score", ["scoreRow", i, j], what)],
    "problem",
  );
}

/** Index of the first byte > 1 (or a little before it), reading 4 bytes at a time when aligned. */
function firstAbove1(a: Uint8Array): number {
  if (a.byteOffset % 4 !== 0) return 0;
  const words = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2);
  for (let w = 0; w < words.length; w++) if ((words[w] & 0xfefefefe) !== 0) return 4 * w;
  return 4 * words.length;
}

function sparseSource(
  issues: Issue[],
  problem: AssignmentProblem,
  sign: number,
): { rows: number; cols: number; source?: SparseSource } {
  const { pairs } = problem;
  const shape = givenShape(issues, problem, "Sparse `pairs` need");
  if (!shape) return { rows: 0, cols: 0 };
  const { rows, cols } = shape;
  const { row, col, score } = pairs!;
  const len = row?.length;
  if (len === undefined || col?.length !== len || score?.length !== len) {
    issues.push(
      pathIssue(
        "invalid_shape",
        ["pairs"],
        "pairs.row, pairs.col and pairs.score must have one length",
      ),
    );
    return { rows, cols };
  }
  const before = issues.length;
  for (let k = 0; k < len && issues.length - before < 20; k++) {
    if (!isIndex(row[k], rows) || !isIndex(col[k], cols)) {
      issues.push(
        pathIssue(
          "invalid_pair",
          ["pairs", k],
          `Expected 0 <= row < ${rows} and 0 <= col < ${cols}, got (${row[k]}, ${col[k]})`,
        ),
      );
    } else if (typeof score[k] !== "number" || !scoreInRange(score[k])) {
      issues.push(pathIssue("invalid_score", ["pairs", "score", k], scoreMessage(score[k])));
    }
  }
  if (issues.length > before) return { rows, cols };
  // Row-major order with columns ascending: a counting sort by column, then a stable one by row
  // (linear in pairs + rows + cols; sorting each row with a comparator cost seconds at 4M pairs).
  const { start, order } = groupBy(row, rows, groupBy(col, cols).order);
  const c = new Int32Array(len);
  const s = new Float64Array(len);
  for (let r = 0; r < rows; r++) {
    for (let t = start[r]; t < start[r + 1]; t++) {
      const k = order[t];
      c[t] = col[k];
      s[t] = sign * score[k];
      if (t > start[r] && c[t - 1] === c[t] && issues.length - before < 20)
        issues.push(
          pathIssue(
            "duplicate_pair",
            ["pairs", k],
            `Pair (${r}, ${col[k]}) is listed twice; list each pair once`,
          ),
        );
    }
  }
  return { rows, cols, source: { kind: "sparse", start, col: c, score: s } };
}

/** Validates and normalizes. Throws `InputError` listing every issue found. */
export function toInstance(problem: AssignmentProblem): Instance {
  const issues: Issue[] = [];
  if (problem === null || typeof problem !== "object")
    throw new InputError(
      [pathIssue("invalid_problem", [], "Expected a problem object")],
      "problem",
    );
  const sense = problem.sense ?? "max";
  if (sense !== "max" && sense !== "min")
    issues.push(
      pathIssue(
        "invalid_sense",
        ["sense"],
        `Expected "max" or "min", got ${JSON.stringify(sense)}`,
      ),
    );
  const sign = sense === "min" ? -1 : 1;
  const given = [problem.scores, problem.pairs, problem.scoreRow].filter((x) => x !== undefined);
  if (given.length !== 1) {
    issues.push(
      pathIssue(
        "invalid_problem",
        [],
        "Give exactly one of `scores` (dense), `pairs` (sparse) and `scoreRow` (on the fly)",
      ),
    );
    throw new InputError(issues, "problem");
  }
  if (problem.allowed !== undefined && problem.scores === undefined)
    issues.push(
      pathIssue(
        "invalid_problem",
        ["allowed"],
        "`allowed` goes with dense `scores`; with `pairs` leave the pair out, with `scoreRow` set allowed[j] = 0",
      ),
    );
  const built =
    problem.scores !== undefined
      ? denseSource(issues, problem, sign)
      : problem.pairs !== undefined
        ? sparseSource(issues, problem, sign)
        : callbackSource(issues, problem, sign);
  const { rows, cols } = built;
  const rowMinF = readBound(issues, "rowMin", problem.rowMin, rows, 0, false);
  const rowMax = readBound(issues, "rowMax", problem.rowMax, rows, 1, true);
  const colMinF = readBound(issues, "colMin", problem.colMin, cols, 0, false);
  const colMax = readBound(issues, "colMax", problem.colMax, cols, 1, true);
  for (const [side, lo, hi] of [
    ["row", rowMinF, rowMax],
    ["col", colMinF, colMax],
  ] as const)
    for (let k = 0; k < lo.length; k++)
      if (lo[k] > hi[k])
        issues.push(
          pathIssue(
            "invalid_bound",
            [`${side}Min`, k],
            `${side}Min ${lo[k]} is above ${side}Max ${hi[k]}`,
            { maximum: hi[k], received: lo[k] },
          ),
        );
  const forced = readPairs(issues, "forced", problem.forced, rows, cols);
  const forbidden = readPairs(issues, "forbidden", problem.forbidden, rows, cols);
  if (issues.length > 0 || built.source === undefined) throw new InputError(issues, "problem");

  return finishInstance({
    rows,
    cols,
    source: built.source,
    rowMin: Int32Array.from(rowMinF),
    rowMax,
    colMin: Int32Array.from(colMinF),
    colMax,
    forced,
    forbidden,
    minimize: sense === "min",
    coverageFirst: problem.coverageFirst === true,
  });
}

/** What `finishInstance` needs: a checked source, bounds and pair lists with valid indices. */
export interface InstanceParts extends Pick<
  Instance,
  | "rows"
  | "cols"
  | "source"
  | "rowMin"
  | "rowMax"
  | "colMin"
  | "colMax"
  | "minimize"
  | "coverageFirst"
  | "rowsSupply"
  | "uncovered"
> {
  readonly forced: readonly (readonly [number, number])[];
  readonly forbidden: readonly (readonly [number, number])[];
}

/** The forced pairs' scores read again from the instance's source, whose scores changed since
 * the instance was built (solve.ts `Resolvable`); the pairs themselves were checked then. */
export function readForcedScores(inst: Instance): void {
  const read = pairReader(inst.source, inst.cols);
  for (let k = 0; k < inst.forcedRow.length; k++) {
    const s = read(inst.forcedRow[k], inst.forcedCol[k]);
    if (s !== undefined) inst.forcedScore[k] = s;
  }
}

/** Reads pair scores from a source, pairs taken in row order (a row source's row is read once
 * for a run of pairs in it): the score, or undefined when the pair is not allowed. */
function pairReader(
  src: RowSource | SparseSource,
  cols: number,
): (r: number, c: number) => number | undefined {
  if (src.kind === "sparse")
    return (r, c) => {
      let found = -1;
      for (let e = src.start[r]; e < src.start[r + 1]; e++) if (src.col[e] === c) found = e;
      return found < 0 ? undefined : src.score[found];
    };
  const row = new Float64Array(cols);
  const ok = new Uint8Array(cols);
  let lastRead = -1;
  return (r, c) => {
    if (lastRead !== r) src.readRow(r, row, ok);
    lastRead = r;
    return ok[c] === 1 ? row[c] : undefined;
  };
}

/** Reads the forced pairs' scores, notes the first contradiction among them (repeated,
 * forbidden or not allowed: an infeasibility, not an input error), and builds the exclusions. */
export function finishInstance(parts: InstanceParts): Instance {
  const { rows, cols, source: src } = parts;
  const key = (r: number, c: number) => r * cols + c;
  const forced = [...parts.forced].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const forbiddenSet = new Set(parts.forbidden.map(([r, c]) => key(r, c)));
  let forcedConflict: Instance["forcedConflict"];
  const forcedScore = new Float64Array(forced.length);
  const read = pairReader(src, cols);
  forced.forEach(([r, c], k) => {
    if (k > 0 && forced[k - 1][0] === r && forced[k - 1][1] === c) {
      forcedConflict ??= { row: r, col: c, conflict: "repeated" };
      return;
    }
    if (forbiddenSet.has(key(r, c))) {
      forcedConflict ??= { row: r, col: c, conflict: "forbidden" };
      return;
    }
    const score = read(r, c);
    if (score !== undefined) forcedScore[k] = score;
    else forcedConflict ??= { row: r, col: c, conflict: "not_allowed" };
  });
  const excluded = buildExcluded(rows, [parts.forbidden, forced]);
  return {
    rows,
    cols,
    source: src,
    rowMin: parts.rowMin,
    rowMax: parts.rowMax,
    colMin: parts.colMin,
    colMax: parts.colMax,
    forcedRow: Int32Array.from(forced, (p) => p[0]),
    forcedCol: Int32Array.from(forced, (p) => p[1]),
    forcedScore,
    excludedStart: excluded.start,
    excludedCol: excluded.col,
    minimize: parts.minimize,
    coverageFirst: parts.coverageFirst,
    ...(parts.rowsSupply ? { rowsSupply: true } : {}),
    ...(parts.uncovered ? { uncovered: parts.uncovered } : {}),
    forcedConflict,
  };
}
