/**
 * The assignment engine: `solveAssignment` for any score matrix or pair list, and
 * `verifyCertificate` to check an answer's optimality proof independently.
 */
import { checkSolveOptions } from "./args.js";
import { toInstance } from "./problem.js";
import { solveInstance } from "./solve.js";
import type { AssignmentProblem, AssignmentResult, SolveOptions } from "./types.js";

export { verifyCertificate } from "./certificate.js";

/**
 * What each `SolveOptions` field means when it is left out (as YALPS exports its defaults): no
 * time limit, candidate lists sized by the engine. `signal` and `onProgress` have no default (no
 * abort, no progress calls). Frozen; spread it to change one field.
 */
export const DEFAULT_SOLVE_OPTIONS: Readonly<
  Required<Pick<SolveOptions, "timeLimitMs" | "candidatesPerRow">>
> = Object.freeze({ timeLimitMs: Infinity, candidatesPerRow: "auto" });
export type * from "./types.js";

/**
 * Maximizes (or minimizes) the total score of a set of pairs subject to per-row and per-column
 * bounds, forced and forbidden pairs; optionally coverage first. Exact: an `optimal` result
 * carries dual values that prove it (see `verifyCertificate`). Throws `InputError` only for
 * invalid input; infeasible bounds come back as `status: "infeasible"` with a diagnosis.
 */
export function solveAssignment(
  problem: AssignmentProblem,
  options?: SolveOptions,
): AssignmentResult {
  const inst = toInstance(problem);
  return solveInstance(inst, checkSolveOptions(options));
}
