/**
 * The network simplex (src/solve/simplex.ts) re-optimizes after pricing rounds: built around the
 * shortest-path core's optimal flow on some arcs, given more arcs, it must reach the optimum of
 * the larger network (the shortest-path core run from no flow on all of it is the oracle), with
 * a flow that meets every supply, demand and capacity and potentials that prove it (no residual
 * arc with negative reduced cost beyond the pricing tolerance). Networks of both kinds the
 * engine builds: minimums on either side, rows with several units, and coverage mode (unused
 * units through Y, capped). Tied integer scores make most pivots degenerate.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FlowNetwork, type ArcSet, type FlowSetup } from "../../src/solve/flow";
import { NetworkSimplex } from "../../src/solve/simplex";
import { PRICE_REL } from "../../src/solve/numeric";
import { fcParams } from "./fc-params";

interface Case {
  setup: FlowSetup;
  /** All arcs, and which of them the first run sees. */
  all: ArcSet;
  first: boolean[];
  rounds: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 7 }),
    m: fc.integer({ min: 1, max: 6 }),
    coverage: fc.boolean(),
    rounds: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ n, m, coverage, rounds }) =>
    fc
      .record({
        rowMax: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
        rowMin: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
        colMax: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: m, maxLength: m }),
        colMin: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: m, maxLength: m }),
        arc: fc.array(fc.boolean(), { minLength: n * m, maxLength: n * m }),
        score: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n * m, maxLength: n * m }),
        first: fc.array(fc.boolean(), { minLength: n * m, maxLength: n * m }),
        yCap: fc.integer({ min: 0, max: 8 }),
      })
      .map((r) => {
        const rowSupply = Int32Array.from(r.rowMax);
        const rowMin = r.rowMin.map((l, i) => Math.min(l, r.rowMax[i]));
        const colMin = r.colMin.map((l, j) => Math.min(l, r.colMax[j]));
        const setup: FlowSetup = {
          n,
          m,
          rowSupply,
          rowSlack: Int32Array.from(rowSupply, (s, i) => s - rowMin[i]),
          colDemand: Int32Array.from(colMin),
          colSlack: Int32Array.from(r.colMax, (c, j) => c - colMin[j]),
          yCap: coverage ? r.yCap : Infinity,
        };
        const start = new Int32Array(n + 1);
        const col: number[] = [];
        const score: number[] = [];
        const first: boolean[] = [];
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++)
            if (r.arc[i * m + j]) {
              col.push(j);
              score.push(r.score[i * m + j]);
              first.push(r.first[i * m + j]);
            }
          start[i + 1] = col.length;
        }
        const all = { start, col: Int32Array.from(col), score: Float64Array.from(score) };
        return { setup, all, first, rounds };
      }),
  );

/** The arcs of `all` kept by `keep`, in CSR. */
function subset(all: ArcSet, keep: (e: number) => boolean): ArcSet {
  const n = all.start.length - 1;
  const start = new Int32Array(n + 1);
  const col: number[] = [];
  const score: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let e = all.start[i]; e < all.start[i + 1]; e++)
      if (keep(e)) {
        col.push(all.col[e]);
        score.push(all.score[e]);
      }
    start[i + 1] = col.length;
  }
  return { start, col: Int32Array.from(col), score: Float64Array.from(score) };
}

const total = (f: FlowNetwork) => f.score.reduce((a, s, e) => a + s * f.x[e], 0);

/** Every supply and demand met, every capacity kept, and no residual arc that prices out. */
function expectOptimalFlow(f: FlowNetwork, tol: number): void {
  const { n, m, setup, pi } = f;
  const Y = n + m;
  const Z = n + m + 1;
  expect(balanced(f)).toBe(true);
  const U = f.coverage ? Y : Z;
  const rc = (c: number, a: number, b: number) => c + pi[a] - pi[b];
  for (let i = 0; i < n; i++) {
    expect(f.unused[i]).toBeGreaterThanOrEqual(0);
    expect(f.unused[i]).toBeLessThanOrEqual(setup.rowSlack[i]);
    if (f.unused[i] < setup.rowSlack[i]) expect(rc(0, i, U)).toBeGreaterThanOrEqual(-tol);
    if (f.unused[i] > 0) expect(rc(0, i, U)).toBeLessThanOrEqual(tol);
    for (let e = f.start[i]; e < f.start[i + 1]; e++) {
      const r = rc(-f.score[e], i, n + f.col[e]);
      if (f.x[e] === 0) expect(r).toBeGreaterThanOrEqual(-tol);
      else expect(r).toBeLessThanOrEqual(tol);
    }
  }
  for (let j = 0; j < m; j++) {
    expect(f.spare[j]).toBeGreaterThanOrEqual(0);
    expect(f.spare[j]).toBeLessThanOrEqual(setup.colSlack[j]);
    if (f.spare[j] < setup.colSlack[j]) expect(rc(0, n + j, Z)).toBeGreaterThanOrEqual(-tol);
    if (f.spare[j] > 0) expect(rc(0, n + j, Z)).toBeLessThanOrEqual(tol);
  }
  if (f.coverage) {
    expect(f.yFlow).toBeLessThanOrEqual(setup.yCap);
    if (f.yFlow < setup.yCap) expect(rc(0, Y, Z)).toBeGreaterThanOrEqual(-tol);
    if (f.yFlow > 0) expect(rc(0, Y, Z)).toBeLessThanOrEqual(tol);
  }
}

const never = () => false;

/** The shortest-path core's optimal flow on the first arcs and the simplex built around it
 * (undefined when the first arcs admit no feasible flow: not these tests' subject). */
function firstRound({ setup, all, first }: Case) {
  const f = new FlowNetwork(
    setup,
    subset(all, (e) => first[e]),
  );
  if (f.run(never).kind !== "done") return undefined;
  return { f, sx: new NetworkSimplex(f) };
}

/** The simplex given every arc at once, run with `stop`, `workLimit` and `stallLimit`, its flow loaded. */
function allAtOnce(c: Case, stop: () => boolean, workLimit?: number, stallLimit?: number) {
  const start = firstRound(c);
  if (!start) return undefined;
  const { f, sx } = start;
  f.setArcs(c.all, undefined);
  sx.addPairs(c.all);
  const end = sx.run(stop, workLimit, stallLimit);
  f.loadSolution(sx.solution());
  return { f, end };
}

const balanced = (f: FlowNetwork) => Array.from(f.bal).every((b) => b === 0);

describe("NetworkSimplex after pricing rounds", () => {
  it("reaches the optimum of the grown network, feasible and proven by its potentials", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { setup, all, first, rounds } = c;
        const start = firstRound(c);
        if (!start) return;
        const { f, sx } = start;
        // The arcs arrive over `rounds` rounds, the last with all of them.
        for (let r = 1; r <= rounds; r++) {
          const arcs = subset(all, (e) => first[e] || e % rounds < r);
          f.setArcs(arcs, undefined);
          sx.addPairs(arcs);
          expect(sx.run(never)).toBe("optimal");
          f.loadSolution(sx.solution());
          expectOptimalFlow(f, PRICE_REL * 5 * 64);
        }
        const oracle = new FlowNetwork(setup, all);
        expect(oracle.run(never).kind).toBe("done");
        expect(total(f)).toBeCloseTo(total(oracle), 9);
      }),
      fcParams(400),
    );
  });

  it("stops when asked, leaving a flow that meets every supply, demand and capacity", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const out = allAtOnce(c, () => true);
        if (!out) return;
        expect(out.end).toBe("stopped");
        expect(balanced(out.f)).toBe(true);
      }),
      fcParams(100),
    );
  });

  it("gives up past its work limit with a feasible flow", () => {
    let gaveUp = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const out = allAtOnce(c, never, 0);
        if (!out) return;
        expect(["optimal", "gave_up"]).toContain(out.end);
        if (out.end === "gave_up") gaveUp++;
        expect(balanced(out.f)).toBe(true);
      }),
      fcParams(200),
    );
    expect(gaveUp).toBeGreaterThan(0);
  });

  it("gives up on a stall (degenerate pivots in a row past the limit) with a feasible flow", () => {
    let stalls = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const out = allAtOnce(c, never, Infinity, 0);
        if (!out) return;
        expect(["optimal", "gave_up"]).toContain(out.end);
        if (out.end === "gave_up") stalls++;
        expect(balanced(out.f)).toBe(true);
      }),
      fcParams(200),
    );
    expect(stalls).toBeGreaterThan(0);
  });
});
