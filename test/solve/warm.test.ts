/**
 * Starting prices from a sample of the rows (src/solve/warm.ts): the sample problem is built
 * right, and on problems large enough to use it the answer is still exact (the certificate
 * verifies), also with scores on the fly, and does not depend on which rows the sample took.
 */
import { describe, expect, it } from "vitest";
import { toInstance } from "../../src/solve/problem";
import { solveAssignment, verifyCertificate } from "../../src/solve/index";
import type { AssignmentProblem, OptimalResult } from "../../src/solve/types";
import { sampleRows } from "../../src/solve/warm";

/** A seeded, mentoring-like dense problem: a popularity term every row agrees on plus noise. */
function market(rows: number, cols: number, seed: number) {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pop = Array.from({ length: cols }, () => rand() ** 3);
  const scores = new Float64Array(rows * cols);
  const allowed = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      allowed[i * cols + j] = rand() < 0.9 ? 1 : 0;
      scores[i * cols + j] = Math.round((3 * pop[j] + 7 * rand()) * 1024) / 1024;
    }
  return { scores, allowed, rows, cols };
}

describe("sampleRows", () => {
  const base = market(2000, 1100, 1);

  it("takes about 1/c of the open rows and gives each column its share of capacity (≥ 1)", () => {
    const rowMax = new Float64Array(2000).fill(1);
    rowMax[5] = 0; // a row that takes nothing is never sampled
    const inst = toInstance({ ...base, colMax: 4, rowMax: Array.from(rowMax) });
    const colCap = Array.from({ length: 1100 }, (_, j) => (j === 7 ? 0 : 4));
    const s = sampleRows(inst, rowMax, colCap)!;
    expect(s).toBeDefined();
    expect(s.rows.includes(5)).toBe(false);
    expect(s.inst.rows).toBe(s.rows.length);
    expect(s.rows.length).toBeGreaterThan(2000 / 4 - 100);
    expect(s.rows.length).toBeLessThan(2000 / 4 + 100);
    expect(Array.from(s.rows)).toEqual(Array.from(s.rows).sort((x, y) => x - y));
    expect(s.inst.colMax[7]).toBe(0);
    let total = 0;
    for (let j = 0; j < 1100; j++) {
      if (j !== 7) expect(s.inst.colMax[j]).toBeGreaterThanOrEqual(1);
      total += s.inst.colMax[j];
    }
    // The sample keeps the ratio of rows to capacity (up to rounding).
    const share = (s.rows.length / 1999) * 4 * 1099;
    expect(Math.abs(total - share)).toBeLessThanOrEqual(2);
    // Sampled rows read the full problem's rows.
    const out = new Float64Array(1100);
    const ok = new Uint8Array(1100);
    const r = 3;
    if (s.inst.source.kind !== "rows") throw new Error("expected a row source");
    s.inst.source.readRow(r, out, ok);
    const i = s.rows[r];
    expect(Array.from(out)).toEqual(Array.from(base.scores.subarray(i * 1100, (i + 1) * 1100)));
    // Same input, same sample.
    expect(Array.from(sampleRows(inst, rowMax, colCap)!.rows)).toEqual(Array.from(s.rows));
  });

  it("carries the sampled rows' excluded pairs over, re-indexed", () => {
    const inst = toInstance({
      ...base,
      colMax: 4,
      forbidden: [
        [0, 3],
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    });
    const s = sampleRows(inst, new Array(2000).fill(1), new Array(1100).fill(4))!;
    const e = s.inst;
    for (let r = 0; r < e.rows; r++) {
      const i = s.rows[r];
      const mine = Array.from(e.excludedCol.subarray(e.excludedStart[r], e.excludedStart[r + 1]));
      const theirs = Array.from(
        inst.excludedCol.subarray(inst.excludedStart[i], inst.excludedStart[i + 1]),
      );
      expect(mine).toEqual(theirs);
    }
  });

  it("declines when rows outnumber the places (estimated prices would come out too high)", () => {
    const m = market(2500, 1000, 3);
    const inst = toInstance({ ...m, colMax: 2 });
    expect(sampleRows(inst, new Array(2500).fill(1), new Array(1000).fill(2))).toBeUndefined();
    expect(sampleRows(inst, new Array(2500).fill(1), new Array(1000).fill(3))).toBeDefined();
  });

  it("declines small problems, sparse sources and capacities that cannot be scaled down", () => {
    const small = toInstance({ ...market(300, 300, 2), colMax: 4 });
    expect(sampleRows(small, new Array(300).fill(1), new Array(300).fill(4))).toBeUndefined();
    const big = toInstance({ ...base, colMax: 1 });
    expect(sampleRows(big, new Array(2000).fill(1), new Array(1100).fill(1))).toBeUndefined();
    const sparse = toInstance({
      pairs: { row: [0], col: [0], score: [1] },
      rows: 3000,
      cols: 1000,
      colMax: 5,
    });
    expect(sampleRows(sparse, new Array(3000).fill(1), new Array(1000).fill(5))).toBeUndefined();
  });
});

describe("solveAssignment with starting prices from a sample", () => {
  const rows = 2400;
  const cols = 1000; // 2.4M pairs: large enough to sample
  const m = market(rows, cols, 7);
  const problem: AssignmentProblem = {
    ...m,
    colMax: 3,
    forbidden: [
      [10, 3],
      [11, 4],
    ],
    forced: [[12, 5]],
  };

  let first: OptimalResult | undefined;
  /** The problem as given, solved once for the tests that compare against it. */
  const solved = () => (first ??= solveAssignment(problem) as OptimalResult);

  /** `variant` solves with the sample used, its certificate verifies, same optimum. */
  function expectSameSampledOptimum(variant: AssignmentProblem): void {
    const a = solved();
    const b = solveAssignment(variant) as OptimalResult;
    expect(b.status).toBe("optimal");
    expect(b.stats.sampleRows).toBeGreaterThan(0);
    expect(verifyCertificate(variant, b).ok).toBe(true);
    expect(Math.abs(a.objective - b.objective)).toBeLessThanOrEqual(1e-9 * Math.abs(a.objective));
  }

  it("is exact: the certificate verifies, with the sample used", () => {
    const r = solved();
    expect(r.status).toBe("optimal");
    expect(r.stats.sampleRows).toBeGreaterThan(0);
    const v = verifyCertificate(problem, r);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it("gives the same optimum when the rows come in another order (another sample)", () => {
    // Reverse the rows: the sample picks rows by index, so it now holds other mentees.
    const scores = new Float64Array(rows * cols);
    const allowed = new Uint8Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const k = rows - 1 - i;
      scores.set(m.scores.subarray(i * cols, (i + 1) * cols), k * cols);
      allowed.set(m.allowed.subarray(i * cols, (i + 1) * cols), k * cols);
    }
    const flip = (p: readonly (readonly [number, number])[]) =>
      p.map(([i, j]) => [rows - 1 - i, j] as [number, number]);
    const reversed: AssignmentProblem = {
      ...problem,
      scores,
      allowed,
      forbidden: flip(problem.forbidden!),
      forced: flip(problem.forced!),
    };
    expectSameSampledOptimum(reversed);
  });

  it("is exact with scores computed on the fly (the sample's rows are copied once)", () => {
    const { scores, allowed } = m;
    const onTheFly: AssignmentProblem = {
      ...problem,
      scores: undefined,
      allowed: undefined,
      scoreRow: (i, out, ok) => {
        out.set(scores.subarray(i * cols, (i + 1) * cols));
        ok.set(allowed.subarray(i * cols, (i + 1) * cols));
      },
    };
    expectSameSampledOptimum(onTheFly);
  });

  it("stops cleanly when time runs out during the sample solve", () => {
    const r = solveAssignment(problem, { timeLimitMs: 0 });
    expect(r.status).toBe("time_limit");
  });
});

describe("the auction warm start on problems with minimums and two-unit rows", () => {
  it("an infeasible row minimum is diagnosed as such, not as a column with no minimum that a warm start left short", () => {
    const p = {
      scores: [
        [3, 1, 0, 1],
        [4, 0, 1, 0],
      ],
      rowMin: [1, 0],
      rowMax: [2, 1],
      colMax: [1, 0, 2, 2],
      forbidden: [
        [0, 0],
        [0, 2],
        [0, 3],
      ] as [number, number][],
    };
    for (const candidatesPerRow of [1, undefined]) {
      const r = solveAssignment(p, { candidatesPerRow });
      expect(r.status).toBe("infeasible");
      if (r.status !== "infeasible") continue;
      expect(r.diagnosis.kind).toBe("row_min");
      expect(r.diagnosis.index).toBe(0);
    }
  });
});
