/**
 * `minFit`'s max-min mode: the highest fit floor at which as many pairs can be made as at the
 * declared one (the bounds, eligibility and locked pairs kept), so that the worst pair is as
 * good as it can be without losing a pair; `match` then maximizes the total at that floor.
 *
 * The most pairs at a floor τ is one exact engine solve over the pairs of fit ≥ τ, each scoring
 * 1 (a locked pair below τ, or bounds no such pairs can meet, make τ too high). It only falls as
 * τ rises, so the floor is found by bisection over the distinct fits at or above the declared
 * floor: about log₂ of their number solves (the bottleneck assignment problem's threshold
 * method; Gross 1959, Garfinkel 1971).
 */
import { csrIndexOf } from "../shared/sorted.js";
import { untilDeadline } from "../solve/args.js";
import { solveInstance } from "../solve/solve.js";
import type { SolveOptions } from "../solve/types.js";
import { sideInstance, type SideProblem } from "./lagrange.js";

/** The pairs and bounds the floor search reads (a side problem's, rules aside). */
export type FloorProblem = Omit<SideProblem, "rules" | "coverageFirst">;

export type FloorSearch =
  | {
      readonly kind: "found";
      /** The highest floor, the most pairs there (as at the declared floor), and the next fit
       * above it (null when none), at which fewer can be made. */
      readonly floor: number;
      readonly pairs: number;
      readonly next: number | null;
      readonly solves: number;
    }
  | { readonly kind: "stopped"; readonly reason: "time" | "aborted" };

/** The most pairs with fit ≥ `floor` (−1 when none can meet the bounds and locked pairs);
 * undefined when stopped. */
export function mostPairsAt(
  p: FloorProblem,
  floor: number,
  options: SolveOptions,
): number | undefined {
  const start = new Int32Array(p.rows + 1);
  const col: number[] = [];
  for (let i = 0; i < p.rows; i++) {
    for (let e = p.start[i]; e < p.start[i + 1]; e++) if (p.fit[e] >= floor) col.push(p.col[e]);
    start[i + 1] = col.length;
  }
  const cols = Int32Array.from(col);
  if (!p.forced.every(([i, j]) => csrIndexOf(start, cols, i, j) >= 0)) return -1;
  const ones = new Float64Array(cols.length).fill(1);
  const inst = sideInstance(p, { kind: "sparse", start, col: cols, score: ones });
  const res = solveInstance(inst, options, { ownReasons: true });
  if (res.status === "infeasible") return -1;
  if (res.status !== "optimal") return undefined;
  return res.pairs.row.length;
}

/** The highest floor at or above `min` keeping the most pairs at `min` (see above). */
export function highestFloor(p: FloorProblem, min: number, options: SolveOptions): FloorSearch {
  const t0 = now();
  const left = () => untilDeadline(options, t0 + (options.timeLimitMs ?? Infinity));
  const stopped = (): FloorSearch => ({
    kind: "stopped",
    reason: options.signal?.aborted ? "aborted" : "time",
  });
  const fits = [...new Set(Array.from(p.fit).filter((f) => f >= min))].sort((a, b) => a - b);
  let solves = 1;
  const most = mostPairsAt(p, min, left());
  if (most === undefined) return stopped();
  // The smallest fit at or above min admits every pair min does: the search starts there.
  let lo = 0; // fits[lo] keeps `most` pairs (or there are no fits)
  let hi = fits.length; // fits[hi] does not (fits.length: past the last)
  if (most > 0)
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const at = mostPairsAt(p, fits[mid], left());
      solves++;
      if (at === undefined) return stopped();
      if (at === most) lo = mid;
      else hi = mid;
    }
  const floor = most > 0 && fits.length > 0 ? fits[lo] : min;
  return {
    kind: "found",
    floor: Math.max(floor, min),
    pairs: most,
    next: most > 0 && hi < fits.length ? fits[hi] : null,
    solves,
  };
}

const now = () => (typeof performance !== "undefined" ? performance.now() : Date.now());
