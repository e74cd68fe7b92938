/**
 * Checks the arguments of the engine's public calls that `problem.ts` does not: the options of
 * `solveAssignment` and `match`, and the result handed to `verifyCertificate` (all issues at once,
 * as `InputError`). A mistake is then a clear error instead of a hang (`candidatesPerRow: NaN`)
 * or a TypeError from deep inside a solve (`onProgress: 42`, `verifyCertificate(p, null)`).
 */
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import type { SolveOptions } from "./types.js";

const SOLVE_KEYS = ["timeLimitMs", "signal", "onProgress", "candidatesPerRow"] as const;

/** `options` with the time limit cut to what is left before `deadline` (a `performance.now()`
 * time; not finite: no limit, `options` as they are). */
export function untilDeadline<T extends { readonly timeLimitMs?: number }>(
  options: T,
  deadline: number,
): T {
  if (!Number.isFinite(deadline)) return options;
  return { ...options, timeLimitMs: Math.max(0, deadline - performance.now()) };
}

/** A received value for a message: short, never a whole big string. */
export const got = (v: unknown): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "an array"
      : typeof v === "object"
        ? `a ${(v as object).constructor?.name ?? "object"}`
        : typeof v === "string"
          ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
          : String(v);

/** Throws `InputError` for every option that is not what the engine reads, and for unknown keys
 * (a misspelt `timelimitMs` would otherwise be ignored without a word). `extra` names the
 * options a caller such as `match` reads itself, each with its check. */
export function checkSolveOptions(
  options: unknown,
  extra: Record<string, (v: unknown) => string | undefined> = {},
): SolveOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw new InputError(
      [pathIssue("invalid_option", [], `Expected an options object, got ${got(options)}`)],
      "options",
    );
  const o = options as Record<string, unknown>;
  const issues: Issue[] = [];
  const bad = (key: string, expected: string) =>
    issues.push(
      pathIssue("invalid_option", [key], `Expected ${expected}, got ${got(o[key])}`, {
        expected,
        received: typeof o[key] === "number" ? o[key] : got(o[key]),
      }),
    );
  const t = o.timeLimitMs;
  if (t !== undefined && !(typeof t === "number" && t >= 0))
    bad("timeLimitMs", "a number of milliseconds >= 0 (or Infinity)");
  const s = o.signal as { aborted?: unknown } | undefined;
  if (s !== undefined && !(s !== null && typeof s === "object" && typeof s.aborted === "boolean"))
    bad("signal", "an AbortSignal");
  if (o.onProgress !== undefined && typeof o.onProgress !== "function")
    bad("onProgress", "a function (progress) => void");
  const k = o.candidatesPerRow;
  if (k !== undefined && k !== "auto" && !(Number.isSafeInteger(k) && (k as number) >= 1))
    bad("candidatesPerRow", `"auto" or a whole number >= 1`);
  for (const [key, check] of Object.entries(extra)) {
    const why = o[key] === undefined ? undefined : check(o[key]);
    if (why) bad(key, why);
  }
  const known = new Set<string>([...SOLVE_KEYS, ...Object.keys(extra)]);
  for (const key of Object.keys(o))
    if (!known.has(key))
      issues.push(
        pathIssue(
          "unknown_option",
          [key],
          `Unknown option "${key}"; the options are ${[...known].join(", ")}`,
          { allowed: [...known] },
        ),
      );
  if (issues.length > 0) throw new InputError(issues, "options");
  return o as SolveOptions;
}

const isIntList = (a: unknown): a is ArrayLike<number> =>
  (Array.isArray(a) || a instanceof Int32Array) &&
  Array.prototype.every.call(a, (x: unknown) => typeof x === "number");
const isNumList = (a: unknown): a is ArrayLike<number> =>
  Array.isArray(a) || a instanceof Float64Array;

/** `verifyCertificate`'s second argument must look like a result of `solveAssignment`: an
 * `InputError` says what is missing, rather than a TypeError from deep inside the check. */
export function checkResultShape(result: unknown): void {
  const issues: Issue[] = [];
  const r = result as Partial<Record<string, unknown>> | null;
  if (r === null || typeof r !== "object") {
    throw new InputError(
      [pathIssue("invalid_result", [], `Expected a result of solveAssignment, got ${got(r)}`)],
      "result",
    );
  }
  issues.push(...statusAndObjectiveIssues(r));
  const pairs = r.pairs as { row?: unknown; col?: unknown } | undefined;
  if (pairs === null || typeof pairs !== "object")
    issues.push(
      pathIssue("invalid_result", ["pairs"], `Expected { row, col } lists, got ${got(pairs)}`),
    );
  else
    for (const key of ["row", "col"] as const)
      if (!isIntList(pairs[key]))
        issues.push(
          pathIssue(
            "invalid_result",
            ["pairs", key],
            `Expected an Int32Array or number[] of indices, got ${got(pairs[key])}`,
          ),
        );
  if (r.status === "optimal") {
    const c = r.certificate as Partial<Record<string, unknown>> | undefined;
    if (c === null || typeof c !== "object")
      issues.push(
        pathIssue(
          "invalid_result",
          ["certificate"],
          `An optimal result carries { rowDual, colDual }, got ${got(c)}`,
        ),
      );
    else {
      const cov = c.coverage as Partial<Record<string, unknown>> | null | undefined;
      const lists: [readonly (string | number)[], unknown][] = [
        [["certificate", "rowDual"], c.rowDual],
        [["certificate", "colDual"], c.colDual],
      ];
      if (cov !== undefined && (cov === null || typeof cov !== "object"))
        issues.push(
          pathIssue(
            "invalid_result",
            ["certificate", "coverage"],
            `Expected { count, rowDual, colDual }, got ${got(cov)}`,
          ),
        );
      else if (cov)
        lists.push(
          [["certificate", "coverage", "rowDual"], cov.rowDual],
          [["certificate", "coverage", "colDual"], cov.colDual],
        );
      for (const [path, list] of lists)
        if (!isNumList(list))
          issues.push(
            pathIssue(
              "invalid_result",
              path,
              `Expected a Float64Array or number[], got ${got(list)}`,
            ),
          );
    }
  }
  if (issues.length > 0) throw new InputError(issues, "result");
}

/** Each entry of a result's `pairs` that is not `{ mentee, mentor }` ids, as an issue with `code`
 * at `["pairs", k]` (`verifyMatch`'s result, `rematch`'s previous answer). */
export function pairIdIssues(
  pairs: readonly unknown[],
  code: "invalid_result" | "invalid_argument",
): Issue[] {
  const issues: Issue[] = [];
  pairs.forEach((p, k) => {
    const q = p as { mentee?: unknown; mentor?: unknown } | null;
    if (
      q === null ||
      typeof q !== "object" ||
      typeof q.mentee !== "string" ||
      typeof q.mentor !== "string"
    )
      issues.push(pathIssue(code, ["pairs", k], `Expected { mentee, mentor } ids, got ${got(p)}`));
  });
  return issues;
}

/** The `status` and `objective` checks a result of `solveAssignment` and of `match` share
 * (`match` also has "feasible", under equity rules). */
export function statusAndObjectiveIssues(
  r: Partial<Record<string, unknown>>,
  statuses: readonly string[] = ["optimal", "time_limit", "infeasible"],
): Issue[] {
  const issues: Issue[] = [];
  if (!statuses.includes(r.status as string))
    issues.push(
      pathIssue(
        "invalid_result",
        ["status"],
        `Expected ${statuses.map((x) => `"${x}"`).join(", ")}, got ${got(r.status)}`,
      ),
    );
  if (typeof r.objective !== "number")
    issues.push(
      pathIssue("invalid_result", ["objective"], `Expected a number, got ${got(r.objective)}`),
    );
  return issues;
}
