/**
 * Public benchmark instances and peer-solver test vectors, read from ../shared/testdata (beside
 * the repository; never copied into it). Skipped with a message when that folder is absent.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/schema/errors";
import { solveAssignment, verifyCertificate } from "../../src/solve/index";
import type { AssignmentProblem } from "../../src/solve/types";
import { expectWellFormed, pairsOf } from "./helpers";

const here = path.dirname(fileURLToPath(import.meta.url));
const testdata = path.resolve(here, "../../../shared/testdata");
const hasOrlib = existsSync(path.join(testdata, "orlib", "optima.json"));
const vectorsFile = path.join(testdata, "peer", "assignment_solver_vectors.json");
const hasVectors = existsSync(vectorsFile);
const missing = (what: string) =>
  `${what}: ${testdata} not found (clone the shared test data beside the repository to run these)`;

/** Dense `n` then n·n costs, or sparse `n` then `i j cost` lines (1-based). */
function readOrlib(name: string): AssignmentProblem {
  const text = readFileSync(path.join(testdata, "orlib", `${name}.txt`), "utf8");
  const tok = text.trim().split(/\s+/).map(Number);
  const n = tok[0];
  const perfect = { rowMin: 1, rowMax: 1, colMin: 1, colMax: 1, sense: "min" } as const;
  if (name.startsWith("assignp")) {
    const m = (tok.length - 1) / 3;
    expect(Number.isInteger(m)).toBe(true);
    const row = new Int32Array(m);
    const col = new Int32Array(m);
    const score = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      row[k] = tok[1 + 3 * k] - 1;
      col[k] = tok[2 + 3 * k] - 1;
      score[k] = tok[3 + 3 * k];
    }
    return { pairs: { row, col, score }, rows: n, cols: n, ...perfect };
  }
  expect(tok.length).toBe(1 + n * n);
  return { scores: Float64Array.from(tok.slice(1)), rows: n, cols: n, ...perfect };
}

describe.skipIf(!hasOrlib)(
  hasOrlib ? "OR-Library assignment instances" : missing("OR-Library"),
  () => {
    const optima: Record<string, number> = hasOrlib
      ? JSON.parse(readFileSync(path.join(testdata, "orlib", "optima.json"), "utf8")).optima
      : {};
    for (const [name, optimum] of Object.entries(optima)) {
      it(`solveAssignment(${name}) reproduces the published optimum ${optimum} (min, perfect)`, () => {
        const p = readOrlib(name);
        const r = solveAssignment(p);
        expect(r.status).toBe("optimal");
        expect(r.objective).toBe(optimum);
        expect(r.pairs.row.length).toBe(p.rows);
        expect(verifyCertificate(p, r).ok).toBe(true);
        expectWellFormed(p, r);
      });
    }

    it("solveAssignment(assign100) gives the same optimum from number[][] and as max of −cost", () => {
      const p = readOrlib("assign100");
      const n = p.rows!;
      const flat = p.scores as Float64Array;
      const dense = Array.from({ length: n }, (_, i) =>
        Array.from(flat.subarray(i * n, (i + 1) * n)),
      );
      expect(
        solveAssignment({ ...p, scores: dense, rows: undefined, cols: undefined }).objective,
      ).toBe(optima.assign100);
      const neg = solveAssignment({ ...p, scores: flat.map((x) => -x), sense: "max" });
      expect(neg.status).toBe("optimal");
      expect(neg.objective).toBe(-optima.assign100);
    });
  },
);

// ---------------------------------------------------------------------------------------------
// Peer vectors (scipy, lap, munkres), mapped to this API.

type Cell = number | string;
interface PeerCase {
  source: string;
  sense?: "min" | "max";
  kind?: string;
  cost?: Cell[][] | number[];
  score?: number[][];
  shape?: [number, number];
  biadjacency_zero_means_no_edge?: number[][];
  cost_limit?: number;
  expected_total?: number;
  expected_error?: string;
  expected?: string;
  expected_row_ind?: number[];
  expected_col_ind?: number[];
  expected_pairs?: [string, string][];
  also_transposed?: string;
}

type Expectation =
  | { kind: "total"; total: number }
  | { kind: "infeasible" }
  | { kind: "throws" }
  | { kind: "skip"; why: string };

/**
 * The convention: every row (rows ≤ cols) or every column (cols < rows) gets exactly one partner;
 * the other side at most one.
 */
function rectangularBounds(rows: number, cols: number) {
  return rows <= cols
    ? { rowMin: 1, rowMax: 1, colMin: 0, colMax: 1 }
    : { rowMin: 0, rowMax: 1, colMin: 1, colMax: 1 };
}

/**
 * A cost matrix with 'inf' / '-inf' / 'nan' strings. The infinity that is worst for the sense
 * ('inf' when minimizing, '-inf' when maximizing) means "not allowed" → a forbidden pair; NaN and
 * the "best" infinity are invalid values and stay in the matrix so that the engine rejects them.
 */
function matrixProblem(cost: Cell[][], sense: "min" | "max"): AssignmentProblem {
  const worst = sense === "min" ? "inf" : "-inf";
  const forbidden: [number, number][] = [];
  const scores = cost.map((row, i) =>
    row.map((x, j) => {
      if (x === worst) {
        forbidden.push([i, j]);
        return 0;
      }
      if (x === "inf") return Infinity;
      if (x === "-inf") return -Infinity;
      if (x === "nan") return NaN;
      return x as number;
    }),
  );
  const rows = scores.length;
  const cols = rows > 0 ? scores[0].length : 0;
  return { scores, forbidden, sense, ...rectangularBounds(rows, cols) };
}

function transposeCells(m: Cell[][]): Cell[][] {
  return m.length === 0 ? [] : m[0].map((_, j) => m.map((row) => row[j]));
}

function mapCase(c: PeerCase): { problem?: AssignmentProblem; expect: Expectation } {
  const sense = c.sense ?? "min";
  if (c.cost_limit !== undefined) {
    // lap's cost_limit lets any row or column stay unassigned at cost_limit/2: a pricing rule
    // this API has no counterpart for (unassigned rows cost nothing here).
    return { expect: { kind: "skip", why: "lap cost_limit semantics have no equivalent" } };
  }
  if (c.score !== undefined) {
    // Mentors (rows) A: min 1 max 1, B: min 1 max 2; mentees (cols) exactly one mentor each.
    return {
      problem: {
        scores: c.score,
        rowMin: [1, 1],
        rowMax: [1, 2],
        colMin: 1,
        colMax: 1,
        sense,
      },
      expect: { kind: "total", total: c.expected_total! },
    };
  }
  if (c.shape !== undefined) {
    const [rows, cols] = c.shape;
    return {
      problem: { scores: new Float64Array(0), rows, cols, sense, ...rectangularBounds(rows, cols) },
      expect: { kind: "total", total: c.expected_total ?? 0 },
    };
  }
  if (c.biadjacency_zero_means_no_edge !== undefined) {
    const m = c.biadjacency_zero_means_no_edge;
    const forbidden: [number, number][] = [];
    m.forEach((row, i) => row.forEach((x, j) => x === 0 && forbidden.push([i, j])));
    const problem: AssignmentProblem = {
      scores: m,
      forbidden,
      sense,
      ...rectangularBounds(m.length, m[0].length),
    };
    // scipy raises "no full matching exists": here a well-formed but infeasible problem.
    return { problem, expect: { kind: "infeasible" } };
  }
  const cost = c.cost!;
  if (cost.length > 0 && !Array.isArray(cost[0])) {
    // 1-D input: a bad shape, so an input error here too.
    return { problem: { scores: cost as unknown as number[][] }, expect: { kind: "throws" } };
  }
  const problem = matrixProblem(cost as Cell[][], sense);
  if (c.expected_error !== undefined) {
    return /invalid numeric entries/.test(c.expected_error)
      ? { problem, expect: { kind: "throws" } }
      : { problem, expect: { kind: "infeasible" } }; // "cost matrix is infeasible", UnsolvableMatrix
  }
  if (c.expected !== undefined && c.expected.startsWith("infeasible")) {
    return { problem, expect: { kind: "infeasible" } };
  }
  if (c.expected_total !== undefined)
    return { problem, expect: { kind: "total", total: c.expected_total } };
  if (c.expected_row_ind !== undefined && c.expected_col_ind !== undefined) {
    // Only the assignment is given (ties): its total is the optimum.
    let total = 0;
    c.expected_row_ind.forEach(
      (i, k) => (total += (cost as number[][])[i][c.expected_col_ind![k]]),
    );
    return { problem, expect: { kind: "total", total } };
  }
  throw new Error(`unmapped peer case from ${c.source}`);
}

const vectors: { convention: string; cases: PeerCase[] } = hasVectors
  ? JSON.parse(readFileSync(vectorsFile, "utf8"))
  : { convention: "", cases: [] };

describe.skipIf(!hasVectors)(
  hasVectors ? "peer solver vectors (scipy, lap, munkres)" : missing("peer vectors"),
  () => {
    it("the file's convention is the one this mapping assumes", () => {
      expect(vectors.convention).toMatch(/'inf', '-inf', 'nan'/);
      expect(vectors.convention).toMatch(
        /every row \(if rows<=cols\) or every column \(if cols<rows\)/,
      );
      expect(vectors.cases.length).toBe(51);
    });

    vectors.cases.forEach((c, idx) => {
      const mapped = mapCase(c);
      const e = mapped.expect;
      const title = `case ${idx} (${c.source.split(" ")[0]}${c.kind ? `, ${c.kind}` : ""}): ${
        e.kind === "total" ? `total ${e.total}` : e.kind === "skip" ? `skipped, ${e.why}` : e.kind
      }`;
      if (e.kind === "skip") {
        it.skip(title, () => {});
        return;
      }
      const p = mapped.problem!;
      it(title, () => {
        if (e.kind === "throws") {
          expect(() => solveAssignment(p)).toThrow(InputError);
          return;
        }
        const r = solveAssignment(p);
        if (e.kind === "infeasible") {
          expect(r.status).toBe("infeasible");
          expectWellFormed(p, r);
          return;
        }
        expect(r.status).toBe("optimal");
        if (r.status !== "optimal") return;
        expect(r.objective).toBeCloseTo(e.total, 9);
        expect(verifyCertificate(p, r).ok).toBe(true);
        expectWellFormed(p, r);
        if (c.also_transposed !== undefined) {
          const t = matrixProblem(transposeCells(c.cost as Cell[][]), p.sense ?? "min");
          const rt = solveAssignment(t);
          expect(rt.status).toBe("optimal");
          expect(rt.objective).toBeCloseTo(e.total, 9);
        }
        if (c.expected_pairs !== undefined) {
          // "unique optimum": the pairs themselves are known. Mentors A, B are rows; a, b, c cols.
          const want = c.expected_pairs.map(([m, s]) => [
            m.charCodeAt(0) - 65,
            s.charCodeAt(0) - 97,
          ]);
          expect(pairsOf(r)).toEqual(want);
        }
      });
    });
  },
);
