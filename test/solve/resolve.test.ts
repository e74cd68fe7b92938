/**
 * Re-solves after the scores change (`resolvableSolve`, src/solve/solve.ts): each resolve must
 * give what a fresh solve of the same problem at the new scores gives — the same status, the
 * same objective (optima tie, so not the same pairs), a certificate `verifyCertificate` accepts
 * at the new scores — whether it resumed warm (a view: a flat matrix; a list: CSR pairs, as the
 * equity search uses) or solved afresh (scores on the fly, forced pairs' scores included). The
 * warm path must really be taken (`warm`), across pricing rounds, both orientations of the
 * network, forced pairs, minimums and coverage-first; a stopped resolve still returns a valid
 * bound; the engine's own row cache, which keeps the first scores, is never resumed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csrRowSource, withRowCache, type Instance } from "../../src/solve/instance";
import { finishInstance, toInstance } from "../../src/solve/problem";
import { resolvableSolve } from "../../src/solve/solve";
import { solveAssignment, verifyCertificate } from "../../src/solve/index";
import type { AssignmentProblem } from "../../src/solve/types";
import { expandBoundSpec, problemSpecArb, toProblem, type ProblemSpec } from "./arbitraries";
import { fcParams } from "./fc-params";
import { closeIn } from "./helpers";

type Form = "flat" | "list" | "callback";

/** The spec's problem with `scores` (row-major, every cell) as a plain problem. */
function problemAt(spec: ProblemSpec, scores: readonly number[]): AssignmentProblem {
  return toProblem({ ...spec, form: "flat", scores });
}

/**
 * An instance of the spec whose scores live in `cells` (row-major), read in place, in one of
 * three forms: a flat matrix (a view), CSR pairs (a list), or a callback (computed rows).
 */
function instanceOf(spec: ProblemSpec, form: Form, cells: Float64Array): Instance {
  const problem = toProblem({ ...spec, form: "flat", scores: [...cells] });
  if (form === "flat") return toInstance({ ...problem, scores: cells } as AssignmentProblem);
  const { rows: n, cols: m } = spec;
  if (form === "callback") {
    const allowed = spec.allowed;
    const {
      scores: _s,
      allowed: _a,
      ...bounds
    } = problem as AssignmentProblem & {
      scores?: unknown;
      allowed?: unknown;
    };
    return toInstance({
      ...bounds,
      rows: n,
      cols: m,
      scoreRow: (i: number, out: Float64Array, ok: Uint8Array) => {
        for (let j = 0; j < m; j++) {
          out[j] = cells[i * m + j];
          if (!allowed[i * m + j]) ok[j] = 0;
        }
      },
    } as unknown as AssignmentProblem);
  }
  // A list over the allowed cells: its score array mirrors `cells` through `sync`.
  const start = new Int32Array(n + 1);
  const col: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++)
      if (spec.allowed[i * m + j]) {
        col.push(j);
        at.push(i * m + j);
      }
    start[i + 1] = col.length;
  }
  const score = Float64Array.from(at, (c) => cells[c]);
  const inst = finishInstance({
    rows: n,
    cols: m,
    source: csrRowSource(start, Int32Array.from(col), score, m),
    rowMin: Float64Array.from(expandBoundSpec(spec.rowMin, n, 0)) as unknown as Int32Array,
    rowMax: Float64Array.from(expandBoundSpec(spec.rowMax, n, 1)),
    colMin: Float64Array.from(expandBoundSpec(spec.colMin, m, 0)) as unknown as Int32Array,
    colMax: Float64Array.from(expandBoundSpec(spec.colMax, m, 1)),
    forced: spec.forced,
    forbidden: spec.forbidden,
    minimize: false,
    coverageFirst: spec.coverageFirst ?? false,
  });
  (inst as { sync?: () => void }).sync = () => at.forEach((c, k) => (score[k] = cells[c]));
  return inst;
}

const specs = problemSpecArb({
  maxRows: 9,
  maxCols: 5,
  maxCells: 45,
  maxBound: 3,
  maxForced: 2,
  maxForbidden: 4,
  forms: ["flat"],
  senses: ["max", undefined],
  contradictions: false,
}).chain((spec) =>
  fc.record({
    spec: fc.constant(spec),
    form: fc.constantFrom<Form>("flat", "list", "callback"),
    // Each later round: a new score for every cell (ties, shifts, sign changes).
    rounds: fc.array(
      fc.array(fc.integer({ min: -5, max: 12 }), {
        minLength: spec.rows * spec.cols,
        maxLength: spec.rows * spec.cols,
      }),
      { minLength: 1, maxLength: 4 },
    ),
    k: fc.constantFrom<1 | 2 | "auto">(1, 2, "auto"),
  }),
);

describe("resolvableSolve: re-solves after the scores change", () => {
  it("each resolve has a fresh solve's status and objective, and a certificate that verifies at the new scores", () => {
    const warm: Record<Form, number> = { flat: 0, list: 0, callback: 0 };
    let priced = 0;
    fc.assert(
      fc.property(specs, ({ spec, form, rounds, k }) => {
        const cells = Float64Array.from(spec.scores);
        const inst = instanceOf(spec, form, cells);
        const options = { candidatesPerRow: k };
        const solver = resolvableSolve(inst, options);
        for (const scores of rounds) {
          cells.set(scores);
          (inst as { sync?: () => void }).sync?.();
          const last = solver.resolve(options);
          const problem = problemAt(spec, scores);
          const fresh = solveAssignment(problem, options);
          expect(last.status).toBe(fresh.status);
          if (solver.warm) {
            warm[form]++;
            if (last.stats.pricingRounds > 0) priced++;
          }
          if (last.status !== "optimal" || fresh.status !== "optimal") continue;
          expect(closeIn(problem, last.objective, fresh.objective)).toBe(true);
          expect(verifyCertificate(problem, last).problems).toEqual([]);
        }
      }),
      fcParams(300),
    );
    // The property is about the warm path (views and lists), pricing included; computed rows
    // are always solved afresh.
    expect(warm.flat).toBeGreaterThan(50);
    expect(warm.list).toBeGreaterThan(50);
    expect(priced).toBeGreaterThan(20);
    expect(warm.callback).toBe(0);
  });

  it("a stopped resolve (after any number of polls) returns its pairs at the new scores and a bound that is a number, not below them; the next resolve is right again", () => {
    let stopped = 0;
    fc.assert(
      fc.property(specs, fc.nat(12), ({ spec, rounds }, polls) => {
        const cells = Float64Array.from(spec.scores);
        const inst = instanceOf(spec, "flat", cells);
        const solver = resolvableSolve(inst, { candidatesPerRow: 1 });
        cells.set(rounds[0]);
        let seen = 0;
        const signal = {
          get aborted() {
            return seen++ >= polls;
          },
        } as AbortSignal;
        const r = solver.resolve({ signal });
        if (r.status === "time_limit") {
          stopped++;
          expect(Number.isNaN(r.bound)).toBe(false);
          const tol = 1e-9 * (1 + Math.abs(r.objective));
          expect(r.bound).toBeGreaterThanOrEqual(r.objective - tol);
          let total = 0;
          for (let k = 0; k < r.pairs.row.length; k++)
            total += cells[r.pairs.row[k] * spec.cols + r.pairs.col[k]];
          expect(Math.abs(total - r.objective)).toBeLessThanOrEqual(tol);
        }
        const again = solver.resolve();
        const fresh = solveAssignment(problemAt(spec, rounds[0]), { candidatesPerRow: 1 });
        expect(again.status).toBe(fresh.status);
        if (again.status === "optimal" && fresh.status === "optimal")
          expect(closeIn(problemAt(spec, rounds[0]), again.objective, fresh.objective)).toBe(true);
      }),
      fcParams(200),
    );
    expect(stopped).toBeGreaterThan(30);
  });

  it("the engine's row cache, which keeps the first scores, is solved afresh, not resumed", () => {
    const cells = Float64Array.from([5, 1, 1, 5]);
    const base = toInstance({
      rows: 2,
      cols: 2,
      scoreRow: (i: number, out: Float64Array) => out.set(cells.subarray(2 * i, 2 * i + 2)),
    });
    const cached = withRowCache(base);
    expect(cached.source.kind === "rows" && cached.source.view !== undefined).toBe(true);
    const solver = resolvableSolve(cached);
    expect(solver.result.objective).toBe(10);
    cells.set([1, 7, 7, 1]);
    solver.resolve();
    expect(solver.warm).toBe(false);
  });
});
