/**
 * One function per solver: convert the instance (timed as `prepMs`), solve (timed as `timeMs`),
 * read the answer back and recompute its objective from the instance. Run inside a child process
 * (child.ts) so that a crash, a time cap or peak memory stays with one solver.
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import type { AssignmentProblem, AssignmentResult, VerifyResult } from "../../src/solve/types.js";
import {
  checkPairs,
  lpVarName,
  pairsFromLp,
  pairsFromSlots,
  slotCostMatrix,
  slotProfitMatrix,
  toCplexLp,
  toJsLpModel,
} from "./convert.js";
import type { Instance } from "./instances.js";

export const BASELINES = [
  "munkres",
  "linear-sum-assignment",
  "javascript-lp-solver",
  "highs",
] as const;
export type Baseline = (typeof BASELINES)[number];
/** "instance": generate only (the memory of the instance alone); "huge": see huge.ts. */
export type SolverName = "ours" | Baseline | "instance" | "huge";

export interface SolverRun {
  /** "ok", or what went wrong ("crash", "infeasible answer", a solver status …). */
  status: string;
  /** Objective recomputed from the returned pairs (NaN if none). */
  objective: number;
  /** Objective the solver itself reported, where it reports one. */
  reportedObjective?: number;
  matched: number;
  prepMs: number;
  /** Solve time per repetition (one entry for the baselines). */
  timesMs: number[];
  /** Ours: every result passed `verifyCertificate`. */
  verified?: boolean;
  note?: string;
}

const empty = (status: string, note?: string): SolverRun => ({
  status,
  objective: NaN,
  matched: 0,
  prepMs: 0,
  timesMs: [],
  ...(note ? { note } : {}),
});

export const ENGINE_PATH = fileURLToPath(new URL("../../src/solve/index.ts", import.meta.url));

/** The engine module if `src/solve/index.ts` exists, else undefined. */
export async function loadEngine(): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(ENGINE_PATH)) return undefined;
  return (await import(pathToFileURL(ENGINE_PATH).href)) as Record<string, unknown>;
}

export function toProblem(inst: Instance): AssignmentProblem {
  return {
    scores: inst.scores,
    rows: inst.rows,
    cols: inst.cols,
    allowed: inst.allowed,
    colMax: inst.capacity,
    sense: "max",
  };
}

type Solve = (p: AssignmentProblem, o?: object) => AssignmentResult;
type Verify = (p: AssignmentProblem, r: AssignmentResult) => VerifyResult;

/**
 * Ours: one warm-up, then `reps` timed solves, each with `timeLimitMs` = the cap; every result is
 * verified with its certificate (not timed). A warm-up of 5 s or more counts as the first timed
 * run: JIT warm-up is noise at that length, and it saves a long solve.
 */
async function runOurs(inst: Instance, reps: number, capMs: number): Promise<SolverRun> {
  const engine = await loadEngine();
  if (!engine) return empty("unavailable", `${ENGINE_PATH} does not exist yet`);
  const solve = engine.solveAssignment as Solve | undefined;
  const verify = engine.verifyCertificate as Verify | undefined;
  if (typeof solve !== "function") return empty("unavailable", "no solveAssignment export");
  const problem = toProblem(inst);
  const timesMs: number[] = [];
  let last: AssignmentResult | undefined;
  const notes: string[] = [];
  let rejected = false;
  for (let r = 0; timesMs.length < reps; r++) {
    const t0 = performance.now();
    const result = solve(problem, { timeLimitMs: capMs });
    const ms = performance.now() - t0;
    if (r > 0 || ms >= 5000) timesMs.push(ms);
    last = result;
    if (result.status !== "optimal") {
      const bound =
        "bound" in result ? ` (bound ${result.bound}, objective ${result.objective})` : "";
      return { ...empty(result.status, `after ${Math.round(ms)} ms${bound}`), timesMs: [ms] };
    }
    if (typeof verify === "function") {
      const v = verify(problem, result);
      if (!v.ok && !rejected) {
        rejected = true;
        notes.push(`certificate rejected: ${v.problems.slice(0, 3).join("; ")}`);
      }
    } else if (r === 0) notes.push("verifyCertificate not exported: not verified");
  }
  const res = last!;
  const checked = checkPairs(inst, res.pairs);
  notes.push(...checked.problems.slice(0, 3));
  return {
    status: checked.problems.length
      ? "infeasible answer"
      : rejected
        ? "certificate rejected"
        : "ok",
    verified: typeof verify === "function" && !rejected,
    objective: checked.objective,
    reportedObjective: res.objective,
    matched: checked.matched,
    prepMs: 0,
    timesMs,
    ...(notes.length ? { note: notes.join("; ") } : {}),
  };
}

async function runMunkres(inst: Instance): Promise<SolverRun> {
  const { munkres } = await import("munkres");
  const t0 = performance.now();
  const cost = slotCostMatrix(inst);
  const t1 = performance.now();
  const pairs = munkres(cost);
  const t2 = performance.now();
  const slotOfRow = new Int32Array(inst.rows).fill(-1);
  for (const [y, x] of pairs) if (x >= 0 && y >= 0) slotOfRow[y] = x;
  return fromSlots(inst, slotOfRow, t1 - t0, t2 - t1);
}

async function runLsa(inst: Instance): Promise<SolverRun> {
  const { linearSumAssignment } = await import("linear-sum-assignment");
  const t0 = performance.now();
  const profit = slotProfitMatrix(inst);
  const t1 = performance.now();
  // The option really is spelled "maximaze" (default true).
  const res = linearSumAssignment(profit, { maximaze: true });
  const t2 = performance.now();
  const run = fromSlots(inst, res.rowAssignments, t1 - t0, t2 - t1);
  return { ...run, reportedObjective: res.gain };
}

function fromSlots(
  inst: Instance,
  slotOfRow: ArrayLike<number>,
  prepMs: number,
  timeMs: number,
): SolverRun {
  const checked = checkPairs(inst, pairsFromSlots(inst, slotOfRow));
  return {
    status: checked.problems.length ? "infeasible answer" : "ok",
    objective: checked.objective,
    matched: checked.matched,
    prepMs,
    timesMs: [timeMs],
    ...(checked.problems.length ? { note: checked.problems.slice(0, 3).join("; ") } : {}),
  };
}

async function runJsLp(inst: Instance, capMs: number): Promise<SolverRun> {
  const solver = (await import("javascript-lp-solver")).default;
  const t0 = performance.now();
  const model = toJsLpModel(inst);
  // Its own timeout, a little under the process cap, so it can still say "timed out" itself.
  (model as { options?: object }).options = { timeout: Math.max(1000, capMs - 5000) };
  const t1 = performance.now();
  const res = solver.Solve(model) as Record<string, number | boolean | undefined>;
  const t2 = performance.now();
  if (!res.feasible) return { ...empty("not feasible / timed out"), prepMs: t1 - t0 };
  const lp = pairsFromLp(inst, (i, j) => res[lpVarName(i, j)] as number | undefined);
  return fromLp(inst, lp, res.result as number, t1 - t0, t2 - t1);
}

async function runHighs(inst: Instance, capMs: number): Promise<SolverRun> {
  const loadHighs = (await import("highs")).default;
  const highs = await loadHighs();
  const t0 = performance.now();
  const text = toCplexLp(inst);
  const t1 = performance.now();
  let res;
  try {
    res = highs.solve(text, { output_flag: false, time_limit: Math.max(1, capMs / 1000 - 5) });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ...empty("crash", msg.slice(0, 160)), prepMs: t1 - t0 };
  }
  const t2 = performance.now();
  if (res.Status !== "Optimal") return { ...empty(res.Status), prepMs: t1 - t0 };
  const cols = res.Columns;
  const lp = pairsFromLp(inst, (i, j) => cols[lpVarName(i, j)]?.Primal);
  return fromLp(inst, lp, res.ObjectiveValue, t1 - t0, t2 - t1);
}

function fromLp(
  inst: Instance,
  lp: ReturnType<typeof pairsFromLp>,
  reported: number,
  prepMs: number,
  timeMs: number,
): SolverRun {
  const checked = checkPairs(inst, lp);
  const notes = [...checked.problems.slice(0, 3)];
  if (lp.fractional) notes.push(`${lp.fractional} fractional values`);
  return {
    status: checked.problems.length ? "infeasible answer" : lp.fractional ? "fractional" : "ok",
    objective: checked.objective,
    reportedObjective: reported,
    matched: checked.matched,
    prepMs,
    timesMs: [timeMs],
    ...(notes.length ? { note: notes.join("; ") } : {}),
  };
}

export async function runSolver(
  name: SolverName,
  inst: Instance,
  opts: { reps: number; capMs: number },
): Promise<SolverRun> {
  switch (name) {
    case "ours":
      return runOurs(inst, opts.reps, opts.capMs);
    case "munkres":
      return runMunkres(inst);
    case "linear-sum-assignment":
      return runLsa(inst);
    case "javascript-lp-solver":
      return runJsLp(inst, opts.capMs);
    case "highs":
      return runHighs(inst, opts.capMs);
    case "instance":
      return empty("ok", "instance generated, nothing solved");
    case "huge":
      throw new Error("huge runs from child.ts with a lazy instance");
  }
}
