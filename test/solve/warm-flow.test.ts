/**
 * The flow started from an earlier answer (`InternalOptions.warmFlow`, src/solve/solve.ts;
 * `FlowNetwork.warmFrom`): only speed may depend on it. Whatever pairs and duals it is given —
 * the answer of a nearly equal problem, or pairs and prices drawn at random on the scores' scale
 * (negative too; pairs not allowed or forced, more pairs than a row or column takes) — a warm
 * solve must give
 * what a cold solve gives: the same status, the same objective, and a certificate that
 * `verifyCertificate` accepts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toInstance } from "../../src/solve/problem";
import { solveInstance, type WarmFlow } from "../../src/solve/solve";
import { verifyCertificate } from "../../src/solve/index";
import { uncoveredColumnRows } from "../../src/solve/certificate";
import type { AssignmentProblem, AssignmentResult } from "../../src/solve/types";
import { problemSpecArb, toProblem } from "./arbitraries";
import { fcParams } from "./fc-params";
import { closeIn } from "./helpers";

/** A warm start read off a result of (possibly another) problem of the same shape. */
function fromResult(r: AssignmentResult, rows: number): WarmFlow | undefined {
  if (r.status !== "optimal") return undefined;
  const covered = new Set(r.pairs.row);
  const z = r.certificate.uncoveredDual ?? 0;
  const cov = r.certificate.coverage;
  return {
    row: Int32Array.from(r.pairs.row),
    col: Int32Array.from(r.pairs.col),
    uncoveredRows: Int32Array.from({ length: rows }, (_, i) => i).filter((i) => !covered.has(i)),
    main: { u: r.certificate.rowDual, v: r.certificate.colDual, z },
    ...(cov ? { coverage: { u: cov.rowDual, v: cov.colDual, z: cov.uncoveredDual } } : {}),
  };
}

function expectSame(problem: AssignmentProblem, cold: AssignmentResult, warm: AssignmentResult) {
  expect(warm.status).toBe(cold.status);
  if (cold.status !== "optimal" || warm.status !== "optimal") return;
  expect(closeIn(problem, warm.objective, cold.objective)).toBe(true);
  expect(verifyCertificate(problem, warm).problems).toEqual([]);
}

const spec = problemSpecArb({ maxRows: 6, maxCols: 5, maxCells: 30, forms: ["flat", "sparse"] });

/** A price as a multiple of the problem's score scale σ (duals of the same problem family are on
 * its scale; the certificate's tolerance is relative to σ, so prices far beyond it would leave
 * duals it cannot check: docs/ENGINE.md "Numbers"). */
const price = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -2, max: 3 }).map((k) => k / 2),
  fc.double({ min: -2, max: 2, noNaN: true }),
);

describe("the flow started from an earlier answer", () => {
  it("any pairs and prices: the same answer as a cold solve", () => {
    fc.assert(
      fc.property(
        spec,
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(price, { minLength: 30, maxLength: 30 }),
        fc.boolean(),
        (s, picks, prices, withCoverage) => {
          const problem = toProblem(s);
          const { rows: n, cols: m } = s;
          const cold = solveInstance(toInstance(problem));
          if (n === 0 || m === 0) return;
          const row = Int32Array.from(picks, (p) => p % n);
          const col = Int32Array.from(picks, (p) => Math.floor(p / n) % m);
          // σ as the engine takes it: over the pairs allowed and not forbidden.
          const out = new Set(s.forbidden.map(([i, j]) => i * m + j));
          const sigma = Math.max(
            0,
            ...s.scores.map((x, k) => (s.allowed[k] && !out.has(k) ? Math.abs(x) : 0)),
          );
          const at = (k: number) => prices[k % prices.length] * sigma;
          const duals = (shift: number) => ({
            u: Float64Array.from({ length: n }, (_, i) => at(i + shift)),
            v: Float64Array.from({ length: m }, (_, j) => at(n + j + shift)),
            z: at(n + m + shift),
          });
          const warmFlow: WarmFlow = {
            row,
            col,
            uncoveredRows: Int32Array.from({ length: n }, (_, i) => i).filter((i) => at(i) > 0),
            main: duals(0),
            ...(withCoverage ? { coverage: duals(7) } : {}),
          };
          const warm = solveInstance(toInstance(problem), {}, { warmFlow });
          expectSame(problem, cold, warm);
        },
      ),
      fcParams(400),
    );
  });

  it("the answer of the problem with one column fewer and one pair forbidden", () => {
    fc.assert(
      fc.property(spec, fc.nat(), fc.nat(), (s, gone, cut) => {
        const problem = toProblem(s);
        const { rows: n, cols: m } = s;
        if (n === 0 || m === 0) return;
        // The earlier problem: column `gone` had room; now it has none and a pair is forbidden.
        const before = solveInstance(toInstance(problem));
        const colMax = Array.from({ length: m }, (_, j) =>
          j === gone % m ? 0 : ((typeof s.colMax === "number" ? s.colMax : s.colMax?.[j]) ?? 1e6),
        );
        const after = {
          ...problem,
          colMax,
          colMin: undefined,
          forbidden: [...(problem.forbidden ?? []), [cut % n, (cut >> 3) % m] as [number, number]],
        } as AssignmentProblem;
        let cold: AssignmentResult;
        try {
          cold = solveInstance(toInstance(after));
        } catch {
          return; // the change made the problem invalid (e.g. a forced pair now forbidden)
        }
        const warmFlow = fromResult(before, n);
        if (!warmFlow) return;
        expectSame(after, cold, solveInstance(toInstance(after), {}, { warmFlow }));
      }),
      fcParams(400),
    );
  });

  it("an uncovered column held exactly (coverage-first's score problem as a plain one), warm or cold", () => {
    fc.assert(
      fc.property(spec, (s0) => {
        const s = { ...s0, coverageFirst: true, sense: "max" as const };
        const problem = toProblem(s);
        const first = solveInstance(toInstance(problem));
        if (first.status !== "optimal") return;
        const inst = toInstance(problem);
        const z = uncoveredColumnRows(inst);
        const max = z.coverable - first.certificate.coverage!.count;
        const held = () => ({
          ...toInstance(problem),
          coverageFirst: false,
          uncovered: { rows: z.rows, score: 0, max, min: max },
        });
        const cold = solveInstance(held());
        expect(cold.status).toBe("optimal");
        expect(closeIn(problem, cold.objective, first.objective)).toBe(true);
        const warmFlow = fromResult(first, s.rows);
        if (!warmFlow) return;
        const warm = solveInstance(held(), {}, { warmFlow });
        expect(warm.status).toBe("optimal");
        expect(closeIn(problem, warm.objective, first.objective)).toBe(true);
        if (warm.status === "optimal" && cold.status === "optimal")
          expect(closeIn(problem, warm.bound, cold.bound)).toBe(true);
      }),
      fcParams(300),
    );
  });

  it("its own answer: the same answer again", () => {
    fc.assert(
      fc.property(spec, (s) => {
        const problem = toProblem(s);
        const cold = solveInstance(toInstance(problem));
        const warmFlow = fromResult(cold, s.rows);
        if (!warmFlow) return;
        expectSame(problem, cold, solveInstance(toInstance(problem), {}, { warmFlow }));
      }),
      fcParams(300),
    );
  });
});
