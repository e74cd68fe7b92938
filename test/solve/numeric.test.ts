/**
 * The numerical model (src/solve/numeric.ts, docs/ENGINE.md "Numbers"): tolerances relative to
 * the problem's score scale σ, at every scale; the verifier sound to its documented tolerance;
 * inputs the arithmetic cannot carry rejected; misuse a clear `InputError`; no hangs.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/schema/errors";
import { solveAssignment, verifyCertificate } from "../../src/solve/index";
import {
  ErrorBoundedSum,
  MAX_SCORE,
  MIN_SCALE,
  smallIntegers,
  verifyTolerance,
} from "../../src/solve/numeric";
import type { AssignmentProblem, AssignmentResult, OptimalResult } from "../../src/solve/types";
import { problemSpecArb, toProblem, type ProblemSpec, type SpecOptions } from "./arbitraries";
import { fcParams } from "./fc-params";
import { pairsOf, withDuals, withPairs } from "./helpers";
import { allFeasible, bruteForceNormalized } from "./oracles/brute";
import { evaluate, normalize } from "./oracles/model";

const scaled = (s: ProblemSpec, c: number): ProblemSpec => ({
  ...s,
  scores: s.scores.map((x) => x * c),
});

/** σ of a problem as the model defines it: the largest |score| over free and forced pairs. */
function sigma(p: AssignmentProblem): number {
  const n = normalize(p);
  let s = 0;
  for (const x of n.pairScore) s = Math.max(s, Math.abs(x));
  return s;
}

const optimal = (r: AssignmentResult): r is OptimalResult => r.status === "optimal";

const small: SpecOptions = { maxRows: 5, maxCols: 5, maxCells: 20, maxForbidden: 3 };
const SCALES = [1e-12, 3e-9, 1e-6, 0.7, 1, 1e3, 1e6, 7e9, 1e12];
const POWERS_OF_TWO = [2 ** -40, 2 ** -17, 2 ** 13, 2 ** 40];

describe("scale invariance: multiplying every score by c > 0", () => {
  it("keeps the status, scales the optimum by c and verifies, for c from 1e-12 to 1e12 (every input form)", () => {
    fc.assert(
      fc.property(problemSpecArb(small), fc.constantFrom(...SCALES), (spec, c) => {
        const p1 = toProblem(spec);
        const p2 = toProblem(scaled(spec, c));
        const r1 = solveAssignment(p1);
        const r2 = solveAssignment(p2);
        expect(r2.status).toBe(r1.status);
        if (!optimal(r1) || !optimal(r2)) return;
        const v2 = verifyCertificate(p2, r2);
        expect(v2.problems).toEqual([]);
        // Both are optimal to within the tolerance, so they agree to within twice it.
        const pairs = Math.max(r1.pairs.row.length, r2.pairs.row.length);
        const tol = 2 * verifyTolerance(c * sigma(p1), pairs) + 1e-15 * Math.abs(r2.objective);
        expect(Math.abs(r2.objective - c * r1.objective)).toBeLessThanOrEqual(tol);
      }),
      fcParams(300),
    );
  });

  it("by a power of two gives the very same pairs and exactly c times the objective", () => {
    fc.assert(
      fc.property(problemSpecArb(small), fc.constantFrom(...POWERS_OF_TWO), (spec, c) => {
        const r1 = solveAssignment(toProblem(spec));
        const r2 = solveAssignment(toProblem(scaled(spec, c)));
        expect(r2.status).toBe(r1.status);
        expect(pairsOf(r2)).toEqual(pairsOf(r1));
        expect(r2.objective).toBe(c * r1.objective);
      }),
      fcParams(300),
    );
  });
});

describe("verifyCertificate is sound to its documented tolerance, at every scale", () => {
  it("rejects every feasible answer worse than the optimum by more than the tolerance, accepts the optimum", () => {
    fc.assert(
      fc.property(
        problemSpecArb({ ...small, maxCells: 12 }),
        fc.constantFrom(...SCALES),
        (spec, c) => {
          const p = toProblem(scaled(spec, c));
          const n = normalize(p);
          fc.pre(n.pairRow.length - n.forced.length <= 10);
          const r = solveAssignment(p);
          if (!optimal(r)) return;
          expect(verifyCertificate(p, r).ok).toBe(true);
          const best = bruteForceNormalized(n);
          if (best.status !== "optimal") throw new Error("oracle disagrees on feasibility");
          const sign = n.sense === "max" ? 1 : -1;
          for (const answer of allFeasible(n, 10)) {
            const ev = evaluate(n, answer);
            const tol = verifyTolerance(sigma(p), answer.length);
            const shortBy = n.coverageFirst
              ? answer.length < best.count
                ? Infinity
                : sign * (best.objective - ev.objective)
              : sign * (best.objective - ev.objective);
            if (!(shortBy > 2 * tol)) continue;
            const t = withPairs(p, r, answer);
            expect(verifyCertificate(p, t).ok, `answer ${JSON.stringify(answer)}`).toBe(false);
          }
        },
      ),
      fcParams(150),
    );
  });

  it("never accepts, whatever the duals, an answer worse than the optimum by more than the tolerance", () => {
    fc.assert(
      fc.property(
        problemSpecArb({ ...small, maxCells: 12, coverageFirst: [false] }),
        fc.constantFrom(...SCALES),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 10, maxLength: 10 }),
        (spec, c, noise) => {
          const p = toProblem(scaled(spec, c));
          const n = normalize(p);
          fc.pre(n.pairRow.length - n.forced.length <= 10);
          const r = solveAssignment(p);
          if (!optimal(r)) return;
          const best = bruteForceNormalized(n);
          if (best.status !== "optimal") return;
          const sign = n.sense === "max" ? 1 : -1;
          // The optimal duals moved by tiny and by large amounts (relative to the scale).
          const step = c * noise[0] * 10 ** Math.round(noise[1] * 6);
          for (const answer of allFeasible(n, 10)) {
            const t = withDuals(withPairs(p, r, answer), (d) => {
              let q = 2;
              for (let i = 0; i < d.rowDual.length; i++) d.rowDual[i] += step * noise[q++ % 10];
              for (let j = 0; j < d.colDual.length; j++) d.colDual[j] += step * noise[q++ % 10];
            });
            const v = verifyCertificate(p, t);
            if (!v.ok) continue;
            const ev = evaluate(n, answer);
            expect(sign * (best.objective - ev.objective)).toBeLessThanOrEqual(v.tolerance);
          }
        },
      ),
      fcParams(150),
    );
  });
});

describe("regressions: the reproducers of the numerics issue", () => {
  for (const c of [1e-9, 5e-10, 1e-12]) {
    it(`a 27 × 26 matrix with every score ${c} gets all 26 pairs, and 25 pairs do not verify`, () => {
      const p = { scores: Array.from({ length: 27 }, () => new Array<number>(26).fill(c)) };
      const r = solveAssignment(p);
      expect(r.status).toBe("optimal");
      if (!optimal(r)) return;
      expect(r.pairs.row.length).toBe(26);
      expect(verifyCertificate(p, r).ok).toBe(true);
      const worse = withPairs(p, r, pairsOf(r).slice(1));
      expect(verifyCertificate(p, worse).ok).toBe(false);
    });
  }

  it("an answer worse by 9e-12 of a total near 1e-10 is rejected", () => {
    // Ten pairs of 1e-11 (total 1e-10); the worse answer swaps one for a pair of 1e-12.
    const scores = Array.from({ length: 10 }, (_, i) =>
      Array.from({ length: 11 }, (_, j) => (j === i ? 1e-11 : j === 10 ? 1e-12 : 0)),
    );
    const p = { scores };
    const r = solveAssignment(p);
    if (!optimal(r)) throw new Error(r.status);
    expect(r.objective).toBeCloseTo(1e-10, 20);
    const pairs = pairsOf(r).map(([i, j]) => (i === 0 ? ([0, 10] as const) : ([i, j] as const)));
    const t = withPairs(p, r, pairs);
    expect(r.objective - t.objective).toBeCloseTo(9e-12, 22);
    expect(verifyCertificate(p, t).ok).toBe(false);
  });

  it("min sense with scores near ±1e-9 finds the negative optimum", () => {
    const p: AssignmentProblem = {
      scores: [
        [1e-9, -2e-10],
        [-1e-10, 3e-10],
      ],
      sense: "min",
    };
    const r = solveAssignment(p);
    if (!optimal(r)) throw new Error(r.status);
    expect(r.objective).toBeCloseTo(-3e-10, 22);
    expect(verifyCertificate(p, r).ok).toBe(true);
    const none = withPairs(p, r, []);
    expect(verifyCertificate(p, none).ok).toBe(false);
  });

  it("a score of −1e12 beside scores near 1 does not spoil the certificate", () => {
    const p = { scores: [[-1e12, 1, 0.001, 0.001]] };
    const r = solveAssignment(p);
    if (!optimal(r)) throw new Error(r.status);
    expect(r.objective).toBe(1);
    expect(r.bound).toBe(1);
    expect(verifyCertificate(p, r).ok).toBe(true);
  });

  it("scores far beyond 1e200 are an input error naming the pair and the supported range", () => {
    const sparse = {
      pairs: { row: [0, 0], col: [0, 1], score: [1, 1e300] },
      rows: 1,
      cols: 2,
      colMax: [1, 0],
    };
    for (const p of [
      sparse,
      { scores: [[1e308, -1e308]] },
      { scores: [[1, 1e201]], coverageFirst: true },
    ] as AssignmentProblem[]) {
      const e = catchError(() => solveAssignment(p, { timeLimitMs: 1000 }));
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(/at most 1e\+200 in magnitude/);
    }
    const e = catchError(() =>
      solveAssignment({ rows: 1, cols: 2, scoreRow: (_i, s) => s.set([1, -1e250]) }),
    );
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).issues[0].location).toEqual({
      kind: "path",
      path: ["scoreRow", 0, 1],
    });
  });

  it("a problem whose largest score is below 1e-200 is an input error saying what to do", () => {
    for (const p of [
      { scores: [[1e-250, 0]] },
      { rows: 1, cols: 1, scoreRow: (_i: number, s: Float64Array) => s.fill(5e-324) },
    ] as AssignmentProblem[]) {
      const e = catchError(() => solveAssignment(p));
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(/multiply every score by one positive constant/);
    }
    // All zero is fine (σ = 0), and so is a tiny score beside ordinary ones.
    expect(solveAssignment({ scores: [[0, 0]] }).status).toBe("optimal");
    const p = { scores: [[1, 1e-250]], rowMax: 2 };
    const r = solveAssignment(p);
    expect(r.status).toBe("optimal");
    expect(verifyCertificate(p, r).ok).toBe(true);
  });

  it(`scores up to ${MAX_SCORE} solve with finite objectives and verify (coverage-first too)`, () => {
    const rows = 30;
    const big = Array.from({ length: rows }, (_, i) =>
      Array.from({ length: 20 }, (_, j) => MAX_SCORE * (((i * 7 + j * 13) % 17) / 17 - 0.3)),
    );
    for (const coverageFirst of [false, true]) {
      const p = { scores: big, colMax: 2, coverageFirst };
      const r = solveAssignment(p);
      if (!optimal(r)) throw new Error(r.status);
      expect(Number.isFinite(r.objective)).toBe(true);
      expect(Number.isFinite(r.bound)).toBe(true);
      expect(verifyCertificate(p, r).ok).toBe(true);
    }
    const tiny = big.map((row) => row.map((x) => (x / MAX_SCORE) * 2 * MIN_SCALE));
    const r = solveAssignment({ scores: tiny, colMax: 2 });
    expect(r.status).toBe("optimal");
    expect(verifyCertificate({ scores: tiny, colMax: 2 }, r).ok).toBe(true);
  });
});

describe("misuse is a clear InputError, never a hang or a TypeError", () => {
  const p = { scores: [[1]] };
  const bad: [string, unknown, RegExp][] = [
    ["candidatesPerRow NaN", { candidatesPerRow: NaN }, /candidatesPerRow/],
    ["candidatesPerRow a string", { candidatesPerRow: "12" }, /candidatesPerRow/],
    ["candidatesPerRow Infinity", { candidatesPerRow: Infinity }, /candidatesPerRow/],
    ["candidatesPerRow 0", { candidatesPerRow: 0 }, /candidatesPerRow/],
    ["onProgress 42", { onProgress: 42 }, /onProgress/],
    ["timeLimitMs NaN", { timeLimitMs: NaN }, /timeLimitMs/],
    ["timeLimitMs negative", { timeLimitMs: -1 }, /timeLimitMs/],
    ["signal not a signal", { signal: {} }, /signal/],
    ["seed (no such option any more)", { seed: 1 }, /Unknown option "seed"/],
    ["a misspelt option", { timelimitMs: 10 }, /Unknown option "timelimitMs"/],
    ["options not an object", 42, /options object/],
  ];
  for (const [name, options, mentions] of bad)
    it(`solveAssignment(p, ${name})`, () => {
      const e = catchError(() =>
        solveAssignment(p, options as Parameters<typeof solveAssignment>[1]),
      );
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(mentions);
    });

  it("every bad option is reported at once", () => {
    const e = catchError(() =>
      solveAssignment(p, { candidatesPerRow: NaN, onProgress: 42, nope: 1 } as never),
    );
    expect((e as InputError).issues.map((i) => i.code).sort()).toEqual([
      "invalid_option",
      "invalid_option",
      "unknown_option",
    ]);
  });

  it("candidatesPerRow above the column count is the column count", () => {
    const q = { scores: [[1, 2, 3]] };
    const r = solveAssignment(q, { candidatesPerRow: 1000 });
    expect(r.objective).toBe(3);
  });

  for (const [name, result] of [
    ["null", null],
    ["a number", 42],
    ["no pairs", { status: "optimal", objective: 1 }],
    ["pairs of strings", { status: "optimal", objective: 1, pairs: { row: ["0"], col: [0] } }],
    ["an unknown status", { status: "done", objective: 1, pairs: { row: [], col: [] } }],
    [
      "optimal without a certificate",
      { status: "optimal", objective: 0, pairs: { row: [], col: [] } },
    ],
  ] as [string, unknown][])
    it(`verifyCertificate(p, ${name}) is an InputError`, () => {
      const e = catchError(() => verifyCertificate(p, result as AssignmentResult));
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toMatch(/Invalid result/);
    });

  it("verifyCertificate rejects non-finite duals as a problem, not an exception", () => {
    const r = solveAssignment(p);
    if (!optimal(r)) throw new Error(r.status);
    const t = withDuals(r, (d) => (d.rowDual[0] = NaN));
    const v = verifyCertificate(p, t);
    expect(v.ok).toBe(false);
    expect(v.problems.join()).toMatch(/finite/);
  });
});

describe("extreme magnitudes never hang", () => {
  it("random problems with scores from 1e-200 to 1e200 (and beyond) finish in a separate process under a wall-clock guard", () => {
    // Synchronous code cannot be interrupted in-process, so the batch runs in a child process
    // that is killed if it outlives the guard; every solve has a time limit, and every answer
    // is checked there (status, verification) and reported back.
    const magnitude = fc.constantFrom(
      0,
      1e-200,
      1e-100,
      1e-12,
      1,
      1e12,
      1e100,
      1e200,
      1e250,
      1e308,
    );
    const score = fc
      .tuple(magnitude, fc.double({ min: -1, max: 1, noNaN: true }))
      .map(([m, x]) => m * x);
    const specs = fc.sample(
      problemSpecArb(small).chain((s) =>
        fc
          .array(score, { minLength: s.scores.length, maxLength: s.scores.length })
          .map((scores) => ({ ...s, form: s.form === "callback" ? "flat" : s.form, scores })),
      ),
      { numRuns: 300, seed: 42 },
    );
    const out = spawnSync(
      process.execPath,
      ["--import", "tsx", new URL("./fixtures/extreme-solves.ts", import.meta.url).pathname],
      { input: JSON.stringify(specs), encoding: "utf8", timeout: 60_000 },
    );
    expect(out.error, "the batch outlived its 60 s guard").toBeUndefined();
    expect(out.stderr).toBe("");
    const lines = out.stdout.trim().split("\n");
    expect(lines).toHaveLength(specs.length);
    for (const line of lines)
      expect(line).toMatch(/^(optimal verified|infeasible|input_error) \d+ms$/);
    expect(lines.some((l) => l.startsWith("optimal"))).toBe(true);
    expect(lines.some((l) => l.startsWith("input_error"))).toBe(true);
  });
});

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("review regressions", () => {
  const claim = (u: number[], v: number[]) =>
    ({
      status: "optimal",
      pairs: { row: Int32Array.from([0]), col: Int32Array.from([0]) },
      objective: 0,
      bound: 0,
      unmatched: { row: new Int32Array(0), reason: [] },
      certificate: { rowDual: Float64Array.from(u), colDual: Float64Array.from(v) },
    }) as unknown as AssignmentResult;

  it("verifyCertificate never accepts an answer to a problem whose forced pairs contradict each other", () => {
    const cases: [AssignmentProblem, AssignmentResult][] = [
      [{ scores: [[100, 1]], forced: [[0, 0]], forbidden: [[0, 0]] }, claim([1], [0, 0])],
      [
        { pairs: { row: [0], col: [1], score: [3] }, rows: 1, cols: 2, forced: [[0, 0]] },
        claim([3], [0, 0]),
      ],
      [
        {
          scores: Float64Array.from([5]),
          rows: 1,
          cols: 1,
          allowed: Uint8Array.from([0]),
          forced: [[0, 0]],
        },
        claim([0], [0]),
      ],
    ];
    for (const [p, r] of cases) {
      expect(solveAssignment(p).status).toBe("infeasible");
      const v = verifyCertificate(p, r);
      expect(v.ok).toBe(false);
      expect(v.primalFeasible).toBe(false);
    }
  });

  it("a stopped solve's bound is never below the optimum, rounding included", () => {
    const p = {
      scores: [
        [0.7, 0.7],
        [0.3, 1.1],
        [0.7, 1.1],
        [0.3, 1.1],
        [0.3, 1.1],
        [1.1, 1.1],
      ],
      colMax: 3,
    };
    const full = solveAssignment(p);
    for (let stopAt = 1; stopAt < 40; stopAt++) {
      let polls = 0;
      const signal = {
        get aborted() {
          return ++polls > stopAt;
        },
      } as AbortSignal;
      const r = solveAssignment(p, { signal });
      if (r.status !== "time_limit") continue;
      // 0.7 + 1.1·3 + 0.3 + … summed exactly is above 5.8: the bound must not be 5.8 itself.
      expect(r.bound).toBeGreaterThanOrEqual(full.objective);
    }
  });

  it("a stopped solve says 'capacity' only when the candidate lists prove it", () => {
    let polls = 0;
    const signal = {
      get aborted() {
        return ++polls > 6;
      },
    } as AbortSignal;
    const r = solveAssignment(
      {
        scores: [
          [3, 8, 1],
          [7, 5, 0],
          [9, 4, 6],
        ],
      },
      { candidatesPerRow: 1, signal },
    );
    const load = [0, 0, 0];
    for (const j of r.pairs.col) load[j]++;
    r.unmatched.row.forEach((i, k) => {
      // Column 2 is empty and allowed for every row, so no row is blocked by capacity.
      if (load[2] === 0) expect(r.unmatched.reason[k], `row ${i}`).not.toBe("capacity");
    });
  });

  it("with timeLimitMs 0 nothing long runs: the sample copy and the first pass stop at their first poll", () => {
    let reads = 0;
    const r = solveAssignment(
      {
        rows: 40_000,
        cols: 2_000,
        colMax: 25,
        scoreRow: (i, s) => {
          reads++;
          for (let j = 0; j < 2000; j++) s[j] = (i * 7 + j * 13) % 101;
        },
      },
      { timeLimitMs: 0 },
    );
    expect(r.status).toBe("time_limit");
    expect(reads).toBeLessThanOrEqual(64);
    const n = 600;
    const sparse = {
      rows: n,
      cols: n,
      pairs: {
        row: Int32Array.from({ length: n * n }, (_, k) => Math.floor(k / n)),
        col: Int32Array.from({ length: n * n }, (_, k) => k % n),
        score: Float64Array.from({ length: n * n }, (_, k) => (k * 37) % 101),
      },
    };
    const rs = solveAssignment(sparse, { timeLimitMs: 0 });
    expect(rs.status).toBe("time_limit");
    // Stopped in the first pass, before any dual existed.
    if (rs.status === "time_limit") expect(rs.bound).toBe(Infinity);
  });

  it("verifyCertificate reads every dual once (a getter cannot answer two checks differently)", () => {
    const p = { scores: [[10]] };
    let reads = 0;
    const values = [0, -1, 100];
    const rowDual = new Proxy([0], {
      get(target, key, recv) {
        if (key === "0") return values[Math.min(reads++, 2)];
        return Reflect.get(target, key, recv);
      },
    });
    const r = {
      status: "optimal",
      pairs: { row: [], col: [] },
      objective: 0,
      bound: 0,
      unmatched: { row: new Int32Array(0), reason: [] },
      certificate: { rowDual, colDual: [0] },
    } as unknown as AssignmentResult;
    expect(verifyCertificate(p, r).ok).toBe(false); // the optimum is 10
    expect(reads).toBe(1);
  });

  it("a coverage proof without its dual lists is an InputError, not a TypeError", () => {
    const p = { scores: [[1, 2]], coverageFirst: true };
    const r = solveAssignment(p);
    if (!optimal(r)) throw new Error(r.status);
    const bad = { ...r, certificate: { ...r.certificate, coverage: { count: 1 } } } as never;
    expect(() => verifyCertificate(p, bad)).toThrow(/certificate\.coverage\.rowDual/);
  });

  it("coverage-first certificates with a non-number uncoveredDual or count are rejected, not coerced", () => {
    const p = { scores: [[1, 2]], coverageFirst: true };
    const r = solveAssignment(p);
    if (!optimal(r)) throw new Error(r.status);
    expect(verifyCertificate(p, r).ok).toBe(true);
    const bad1 = { ...r, certificate: { ...r.certificate, uncoveredDual: "0" } } as never;
    expect(verifyCertificate(p, bad1).ok).toBe(false);
    const cov = r.certificate.coverage!;
    const bad2 = {
      ...r,
      certificate: { ...r.certificate, coverage: { ...cov, count: 1.5 } },
    } as never;
    expect(verifyCertificate(p, bad2).ok).toBe(false);
  });

  it("verifyCertificate on a problem whose largest score is below 1e-200 is the same InputError as solving it", () => {
    const p = { scores: [[1e-250]] };
    const r = {
      status: "optimal",
      pairs: { row: [0], col: [0] },
      objective: 1e-250,
      bound: 1e-250,
      unmatched: { row: new Int32Array(0), reason: [] },
      certificate: { rowDual: [1e-250], colDual: [0] },
    } as unknown as AssignmentResult;
    expect(() => verifyCertificate(p, r)).toThrow(/below the supported 1e-200/);
  });
});

describe("ErrorBoundedSum's row methods are the per-term sums, taken faster", () => {
  const termsArb = fc.record({
    u: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    pairs: fc.array(
      fc.record({
        s: fc.oneof(
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          fc.integer({ min: -9, max: 9 }),
        ),
        v: fc.oneof(
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          fc.integer({ min: -9, max: 9 }),
        ),
      }),
      { maxLength: 12 },
    ),
  });

  it("addRowPositiveParts gives the same value, error bound and scale as addPositivePart per pair", () => {
    fc.assert(
      fc.property(termsArb, ({ u, pairs }) => {
        const s = Float64Array.from(pairs, (p) => p.s);
        const v = Float64Array.from(pairs, (p) => p.v);
        const col = Int32Array.from(pairs, (_, k) => k);
        const row = new ErrorBoundedSum();
        const scale = row.addRowPositiveParts(s, col, pairs.length, u, v);
        const each = new ErrorBoundedSum();
        for (const p of pairs) each.addPositivePart(p.s, u, p.v);
        expect(row.value).toBe(each.value);
        expect(row.error()).toBe(each.error());
        expect(scale).toBe(Math.max(0, ...pairs.map((p) => Math.abs(p.s))));
      }),
      fcParams(200),
    );
  });

  it("addRowUnitPositiveParts' exact path agrees with the rounding-aware one on small integers", () => {
    const intArb = fc.integer({ min: -(2 ** 20), max: 2 ** 20 });
    fc.assert(
      fc.property(intArb, fc.array(intArb, { maxLength: 12 }), (u, vs) => {
        const v = Float64Array.from(vs);
        const col = Int32Array.from(vs, (_, k) => k);
        expect(smallIntegers(1, u, v)).toBe(true);
        const exact = new ErrorBoundedSum();
        exact.addRowUnitPositiveParts(1, col, vs.length, u, v, true);
        const careful = new ErrorBoundedSum();
        careful.addRowUnitPositiveParts(1, col, vs.length, u, v, false);
        expect(exact.value).toBe(careful.value);
        expect(exact.value).toBe(vs.reduce((a, x) => a + Math.max(0, 1 - u - x), 0));
      }),
      fcParams(200),
    );
  });

  it("smallIntegers refuses fractions and integers beyond 2^50", () => {
    expect(smallIntegers(1, Float64Array.of(0, -3, 2 ** 50))).toBe(true);
    expect(smallIntegers(1, Float64Array.of(0.5))).toBe(false);
    expect(smallIntegers(2 ** 50 + 2)).toBe(false);
    expect(smallIntegers(Float64Array.of(1, NaN))).toBe(false);
  });
});
