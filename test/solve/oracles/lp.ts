/**
 * LP/MIP oracle: the problem as a binary program for javascript-lp-solver (one binary per allowed
 * pair, a two-sided constraint per row and column, `equal: 1` per forced pair). Coverage-first is
 * two solves: the most rows covered (a binary "uncovered" per row with rowMin 0 and rowMax ≥ 1,
 * its row's pairs plus it at least 1, their sum minimized), then the best score with that sum
 * fixed.
 */
import solver, { type Model as LpModel } from "javascript-lp-solver";
import type { AssignmentProblem } from "../../../src/solve/types";
import { evaluate, normalize, type NormalizedProblem, type OracleResult } from "./model";

interface Model extends LpModel {
  constraints: Record<string, { min?: number; max?: number; equal?: number }>;
  variables: Record<string, Record<string, number>>;
}

export function lpOracle(p: AssignmentProblem): OracleResult {
  return lpOracleNormalized(normalize(p));
}

export function lpOracleNormalized(n: NormalizedProblem): OracleResult {
  if (n.forcedConflict !== null) return { status: "infeasible" };
  const degRow = new Array<number>(n.rows).fill(0);
  const degCol = new Array<number>(n.cols).fill(0);
  for (let k = 0; k < n.pairRow.length; k++) {
    degRow[n.pairRow[k]]++;
    degCol[n.pairCol[k]]++;
  }
  // The solver drops constraints no variable mentions, so an unreachable minimum is checked here.
  for (let i = 0; i < n.rows; i++) if (n.rowMin[i] > degRow[i]) return { status: "infeasible" };
  for (let j = 0; j < n.cols; j++) if (n.colMin[j] > degCol[j]) return { status: "infeasible" };

  const nPairs = n.pairRow.length;
  if (nPairs === 0) return { status: "optimal", objective: 0, count: 0, pairs: [] };

  const constraints: Model["constraints"] = {};
  const variables: Model["variables"] = {};
  const binaries: Record<string, 1> = {};
  for (let i = 0; i < n.rows; i++) constraints[`r${i}`] = { min: n.rowMin[i], max: n.rowMax[i] };
  for (let j = 0; j < n.cols; j++) constraints[`c${j}`] = { min: n.colMin[j], max: n.colMax[j] };
  for (let k = 0; k < nPairs; k++) {
    const name = `x${k}`;
    variables[name] = {
      score: n.pairScore[k],
      count: 1,
      [`r${n.pairRow[k]}`]: 1,
      [`c${n.pairCol[k]}`]: 1,
    };
    binaries[name] = 1;
  }
  n.forced.forEach((k, t) => {
    constraints[`f${t}`] = { equal: 1 };
    variables[`x${k}`][`f${t}`] = 1;
  });

  const solve = (optimize: string, opType: "max" | "min"): number[] | null => {
    const model: Model = { optimize, opType, constraints, variables, binaries };
    const out = solver.Solve(model) as { feasible: boolean } & Record<string, unknown>;
    if (!out.feasible) return null;
    const chosen: number[] = [];
    for (let k = 0; k < nPairs; k++) {
      const v = out[`x${k}`];
      if (typeof v === "number" && v > 0.5) chosen.push(k);
    }
    return chosen;
  };

  let chosen: number[] | null;
  if (n.coverageFirst) {
    const uncovered: string[] = [];
    for (let i = 0; i < n.rows; i++) {
      if (n.rowMin[i] > 0 || n.rowMax[i] < 1) continue;
      constraints[`v${i}`] = { min: 1 };
      variables[`z${i}`] = { uncovered: 1, [`v${i}`]: 1 };
      binaries[`z${i}`] = 1;
      uncovered.push(`z${i}`);
    }
    for (let k = 0; k < nPairs; k++)
      if (constraints[`v${n.pairRow[k]}`]) variables[`x${k}`][`v${n.pairRow[k]}`] = 1;
    const most = solve("uncovered", "min");
    if (most === null) return { status: "infeasible" };
    const rows = new Set(most.map((k) => n.pairRow[k]));
    let fewest = 0;
    for (let i = 0; i < n.rows; i++)
      if (n.rowMin[i] === 0 && n.rowMax[i] >= 1 && !rows.has(i)) fewest++;
    constraints.uncovered = { max: fewest };
    chosen = solve("score", n.sense);
    if (chosen === null) throw new Error("lpOracle: infeasible with the count it just found");
  } else {
    chosen = solve("score", n.sense);
    if (chosen === null) return { status: "infeasible" };
  }

  const pairs = chosen
    .map((k) => [n.pairRow[k], n.pairCol[k]] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // Trust the solver's choice only after checking it; its objective is recomputed here.
  const check = evaluate(n, pairs);
  if (!check.feasible) {
    throw new Error(`lpOracle: solver returned an infeasible answer: ${check.problems.join("; ")}`);
  }
  return {
    status: "optimal",
    objective: check.objective,
    count: new Set(pairs.map(([i]) => i)).size,
    pairs,
  };
}
