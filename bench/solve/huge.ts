/**
 * The 100,000 × 10,000 case (`--huge`): ours only, scores computed on the fly through
 * `solveAssignment({ scoreRow, rows, cols, ... })` (a dense matrix would be 8 GB of doubles).
 * Goal: under 60 s within 16 GiB. The answer is checked against the scores afterwards (feasible,
 * objective recomputed), and its certificate by `verifyCertificate` (one more pass, not timed).
 */
import { performance } from "node:perf_hooks";
import type { AssignmentProblem, AssignmentResult } from "../../src/solve/types.js";
import type { LazyInstance } from "./instances.js";
import { loadEngine, type SolverRun } from "./solvers.js";

/** Capacity 10: mentor places = mentees, the same shape as every size of the main table
 * (n = 5·m with capacity 5). With more mentees than places see docs/ENGINE.md (limits). */
export const HUGE_SIZE = { rows: 100_000, cols: 10_000, capacity: 10 } as const;

type Solve = (problem: AssignmentProblem, options?: object) => AssignmentResult;
type Verify = (
  problem: AssignmentProblem,
  result: AssignmentResult,
) => { ok: boolean; gap: number };

export async function hugeAvailable(): Promise<boolean> {
  const engine = await loadEngine();
  return typeof engine?.solveAssignment === "function";
}

export async function runHuge(lazy: LazyInstance, capMs: number): Promise<SolverRun> {
  const engine = await loadEngine();
  const base = { objective: NaN, matched: 0, prepMs: 0, timesMs: [] as number[] };
  const solve = engine?.solveAssignment as Solve | undefined;
  const verify = engine?.verifyCertificate as Verify | undefined;
  if (!solve) return { ...base, status: "unavailable", note: "no solveAssignment export" };
  const problem: AssignmentProblem = {
    rows: lazy.rows,
    cols: lazy.cols,
    colMax: lazy.capacity,
    sense: "max",
    scoreRow: lazy.fillRow,
  };
  const t0 = performance.now();
  const res = solve(problem, { timeLimitMs: capMs });
  const timeMs = performance.now() - t0;
  // Recompute the objective and check feasibility from the scores (not timed).
  const used = new Uint8Array(lazy.rows);
  const load = new Int32Array(lazy.cols);
  const problems: string[] = [];
  let objective = 0;
  const { row, col } = res.pairs;
  for (let p = 0; p < row.length; p++) {
    const i = row[p];
    const j = col[p];
    if (!lazy.allowedAt(i, j)) problems.push(`pair (${i}, ${j}) is ineligible`);
    if (used[i]++ > 0) problems.push(`mentee ${i} matched twice`);
    if (++load[j] === lazy.capacity + 1) problems.push(`mentor ${j} over capacity`);
    objective += lazy.scoreAt(i, j);
    if (problems.length > 3) break;
  }
  const notes = [
    `phases ${JSON.stringify(res.stats.phaseMs, (_, v) => (typeof v === "number" ? Math.round(v) : v))}`,
  ];
  let verified = false;
  if (res.status === "optimal" && verify) {
    const v = verify(problem, res);
    verified = v.ok;
    if (!v.ok) problems.push(`certificate REJECTED (gap ${v.gap})`);
  }
  return {
    ...base,
    status: res.status !== "optimal" ? res.status : problems.length ? "infeasible answer" : "ok",
    objective,
    reportedObjective: res.objective,
    matched: row.length,
    timesMs: [timeMs],
    verified,
    note: [...notes, ...problems].join("; "),
  };
}
