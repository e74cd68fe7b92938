import { describe, expect, it } from "vitest";
import { solveAssignment, verifyCertificate } from "../../src/solve/index.js";
import type { AssignmentProblem } from "../../src/solve/types.js";

/** A seeded dense problem where the sparse start (1 candidate per row) needs pricing rounds. */
function problem(seed: number, coverageFirst: boolean): AssignmentProblem {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296;
  };
  const rows = 60;
  const cols = 15;
  const scores = new Float64Array(rows * cols);
  const allowed = new Uint8Array(rows * cols);
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.round(rnd() * 100) / 10 - 1;
    allowed[k] = rnd() < 0.8 ? 1 : 0;
  }
  return { scores, rows, cols, allowed, colMax: 3, rowMax: seed % 2 === 0 ? 1 : 2, coverageFirst };
}

/** Checks every maximum, allowedness and the objective by hand. */
function checkWithinMaxima(p: AssignmentProblem, r: ReturnType<typeof solveAssignment>): void {
  const rows = p.rows!;
  const cols = p.cols!;
  const scores = p.scores as Float64Array;
  const rowCount = new Int32Array(rows);
  const colCount = new Int32Array(cols);
  let total = 0;
  for (let k = 0; k < r.pairs.row.length; k++) {
    const i = r.pairs.row[k];
    const j = r.pairs.col[k];
    expect(p.allowed![i * cols + j]).toBe(1);
    rowCount[i]++;
    colCount[j]++;
    total += scores[i * cols + j];
  }
  const rowMax = p.rowMax as number;
  for (let i = 0; i < rows; i++) expect(rowCount[i]).toBeLessThanOrEqual(rowMax);
  for (let j = 0; j < cols; j++) expect(colCount[j]).toBeLessThanOrEqual(3);
  expect(r.objective).toBeCloseTo(total, 9);
}

describe("solveAssignment stopped mid-solve", () => {
  for (const coverageFirst of [false, true]) {
    it(`solveAssignment aborted after a pricing round returns pairs within every maximum, scored by real scores (coverageFirst ${coverageFirst})`, () => {
      let stoppedSome = 0;
      for (let seed = 1; seed <= 24; seed++) {
        for (const round of [1, 2, 3]) {
          const p = problem(seed, coverageFirst);
          const controller = new AbortController();
          let rounds = 0;
          const r = solveAssignment(p, {
            candidatesPerRow: 1,
            signal: controller.signal,
            onProgress: (e) => {
              if (e.phase === "pricing" && ++rounds === round) controller.abort();
            },
          });
          if (r.status !== "time_limit") {
            expect(r.status).toBe("optimal");
            continue;
          }
          stoppedSome++;
          expect(r.reason).toBe("aborted");
          expect(r.feasible).toBe(true); // no minimums here
          checkWithinMaxima(p, r);
          if (!coverageFirst) expect(r.objective).toBeLessThanOrEqual(r.bound + 1e-9);
          const full = solveAssignment(p);
          expect(full.status).toBe("optimal");
          if (!coverageFirst) expect(r.objective).toBeLessThanOrEqual(full.objective + 1e-9);
          expect(verifyCertificate(p, r).primalFeasible).toBe(true);
        }
      }
      expect(stoppedSome).toBeGreaterThan(10);
    });
  }
});

describe("every long loop polls the clock and the signal", () => {
  it("an abort during the first pass over the rows stops it there: forced pairs only, no bound", () => {
    const rows = 5000;
    const cols = 50;
    const controller = new AbortController();
    let reads = 0;
    const r = solveAssignment(
      {
        rows,
        cols,
        scoreRow: (i, s) => {
          if (++reads === 300) controller.abort();
          for (let j = 0; j < cols; j++) s[j] = ((i * 31 + j * 17) % 23) + 1;
        },
        forced: [[7, 3]],
      },
      { signal: controller.signal },
    );
    expect(r.status).toBe("time_limit");
    if (r.status !== "time_limit") return;
    expect(r.reason).toBe("aborted");
    expect(reads).toBeLessThan(400); // the pass stopped within 64 rows of the abort
    expect(Array.from(r.pairs.row)).toEqual([7]);
    expect(r.bound).toBe(Infinity);
  });

  it("a stop during the final reads (the bound's, the reasons') returns the answer as time_limit at once", () => {
    // 42 usable places for 60 rows: unmatched rows, whose reasons read their rows after the
    // solve. The last column is allowed for no row, so it keeps room (with every column full,
    // the reasons come from the rows' degrees and read nothing).
    const p = problem(2, false);
    for (let i = 0; i < 60; i++) p.allowed![i * 15 + 14] = 0;
    let polls = 0;
    const counting = {
      get aborted() {
        polls++;
        return false;
      },
    } as AbortSignal;
    const full = solveAssignment(p, { signal: counting });
    expect(full.status).toBe("optimal");
    expect(full.unmatched.row.length).toBeGreaterThan(0);
    // The same solve, stopped at its very last poll: the answer is the optimal one, not proven
    // in time, and nothing runs (or polls) after the stop.
    const total = polls;
    let seen = 0;
    const last = {
      get aborted() {
        return ++seen >= total;
      },
    } as AbortSignal;
    const r = solveAssignment(p, { signal: last });
    expect(r.status).toBe("time_limit");
    expect(seen).toBe(total);
    if (r.status !== "time_limit") return;
    expect(r.reason).toBe("aborted");
    expect(r.feasible).toBe(true);
    expect(r.objective).toBe(full.objective);
    expect(r.bound).toBeGreaterThanOrEqual(r.objective);
    checkWithinMaxima(p, r);
  });

  it("an abort while pricing stops the pricing pass, not only the flow after it", () => {
    // As many places as row units (colMax 8): with one candidate per row, the first pricing pass
    // reads rows, and it polls before each row it reads. Aborted `after` polls into pricing, the
    // pass must stop right there: the answer is a time_limit one, and almost no poll follows.
    const pollsInPricing = (after: number) => {
      let pricing = false;
      let polls = 0;
      const signal = {
        get aborted() {
          if (pricing) polls++;
          return pricing && polls > after;
        },
      } as AbortSignal;
      const r = solveAssignment(
        { ...problem(1, false), colMax: 8 },
        {
          candidatesPerRow: 1,
          signal,
          onProgress: (e) => {
            if (e.phase === "pricing") pricing = true;
          },
        },
      );
      return { status: r.status, polls };
    };
    const free = pollsInPricing(Infinity);
    expect(free.status).toBe("optimal");
    expect(free.polls).toBeGreaterThan(20); // (the pass does read rows)
    const stopped = pollsInPricing(3);
    expect(stopped.status).toBe("time_limit");
    expect(stopped.polls).toBeLessThanOrEqual(3 + 3);
  });
});
