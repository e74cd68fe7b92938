/**
 * Brute-force oracle: tries every subset of the allowed, non-forced pairs (with capacity pruning)
 * and keeps the best feasible one. Only for tiny problems; it refuses more than `maxFree` pairs.
 */
import type { AssignmentProblem } from "../../../src/solve/types";
import { normalize, type NormalizedProblem, type OracleResult } from "./model";

export function bruteForce(p: AssignmentProblem, maxFree = 18): OracleResult {
  return bruteForceNormalized(normalize(p), maxFree);
}

export function bruteForceNormalized(n: NormalizedProblem, maxFree = 18): OracleResult {
  if (n.forcedConflict !== null) return { status: "infeasible" };
  const isForced = new Set(n.forced);
  const free: number[] = [];
  for (let k = 0; k < n.pairRow.length; k++) if (!isForced.has(k)) free.push(k);
  if (free.length > maxFree) {
    throw new Error(`bruteForce: ${free.length} free pairs, more than ${maxFree}`);
  }

  const rowLoad = new Array<number>(n.rows).fill(0);
  const colLoad = new Array<number>(n.cols).fill(0);
  let score = 0;
  for (const k of n.forced) {
    rowLoad[n.pairRow[k]]++;
    colLoad[n.pairCol[k]]++;
    score += n.pairScore[k];
  }
  for (let i = 0; i < n.rows; i++) if (rowLoad[i] > n.rowMax[i]) return { status: "infeasible" };
  for (let j = 0; j < n.cols; j++) if (colLoad[j] > n.colMax[j]) return { status: "infeasible" };

  const sign = n.sense === "max" ? 1 : -1;
  let bestFound = false;
  let bestCount = -1;
  let bestScore = -Infinity; // in the max sense (sign · score)
  let bestSet: number[] = [];
  const chosen: number[] = [];

  const better = (count: number, s: number): boolean => {
    if (!bestFound) return true;
    if (n.coverageFirst && count !== bestCount) return count > bestCount;
    return sign * s > bestScore;
  };

  const visit = (t: number): void => {
    if (t === free.length) {
      for (let i = 0; i < n.rows; i++) if (rowLoad[i] < n.rowMin[i]) return;
      for (let j = 0; j < n.cols; j++) if (colLoad[j] < n.colMin[j]) return;
      // Coverage-first counts rows covered (with at least one pair), not pairs.
      let count = 0;
      for (let i = 0; i < n.rows; i++) if (rowLoad[i] > 0) count++;
      if (better(count, score)) {
        bestFound = true;
        bestCount = count;
        bestScore = sign * score;
        bestSet = chosen.slice();
      }
      return;
    }
    const k = free[t];
    const i = n.pairRow[k];
    const j = n.pairCol[k];
    if (rowLoad[i] < n.rowMax[i] && colLoad[j] < n.colMax[j]) {
      rowLoad[i]++;
      colLoad[j]++;
      score += n.pairScore[k];
      chosen.push(k);
      visit(t + 1);
      chosen.pop();
      score -= n.pairScore[k];
      rowLoad[i]--;
      colLoad[j]--;
    }
    visit(t + 1);
  };
  visit(0);

  if (!bestFound) return { status: "infeasible" };
  const all = [...n.forced, ...bestSet].map((k) => [n.pairRow[k], n.pairCol[k]] as const);
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // Re-add in a fixed order so the reported objective does not depend on the search order.
  let objective = 0;
  for (const [i, j] of all) objective += n.pairScore[n.pairAt.get(i * n.cols + j)!];
  return { status: "optimal", objective, count: new Set(all.map(([i]) => i)).size, pairs: all };
}

/** Every feasible answer of a tiny problem, as sorted pair lists (for tampering tests). */
export function allFeasible(n: NormalizedProblem, maxFree = 14): (readonly [number, number])[][] {
  if (n.forcedConflict !== null) return [];
  const isForced = new Set(n.forced);
  const free: number[] = [];
  for (let k = 0; k < n.pairRow.length; k++) if (!isForced.has(k)) free.push(k);
  if (free.length > maxFree) throw new Error(`allFeasible: ${free.length} free pairs`);
  const out: (readonly [number, number])[][] = [];
  const rowLoad = new Array<number>(n.rows).fill(0);
  const colLoad = new Array<number>(n.cols).fill(0);
  const chosen: number[] = [...n.forced];
  for (const k of n.forced) {
    rowLoad[n.pairRow[k]]++;
    colLoad[n.pairCol[k]]++;
  }
  const visit = (t: number): void => {
    if (t === free.length) {
      for (let i = 0; i < n.rows; i++)
        if (rowLoad[i] < n.rowMin[i] || rowLoad[i] > n.rowMax[i]) return;
      for (let j = 0; j < n.cols; j++)
        if (colLoad[j] < n.colMin[j] || colLoad[j] > n.colMax[j]) return;
      out.push(
        chosen
          .map((k) => [n.pairRow[k], n.pairCol[k]] as const)
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]),
      );
      return;
    }
    const k = free[t];
    const i = n.pairRow[k];
    const j = n.pairCol[k];
    if (rowLoad[i] < n.rowMax[i] && colLoad[j] < n.colMax[j]) {
      rowLoad[i]++;
      colLoad[j]++;
      chosen.push(k);
      visit(t + 1);
      chosen.pop();
      rowLoad[i]--;
      colLoad[j]--;
    }
    visit(t + 1);
  };
  visit(0);
  return out;
}
