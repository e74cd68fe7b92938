/**
 * The candidate network across pricing rounds (src/solve/network.ts): once the network simplex
 * carries it, each round hands it only the pairs the round added, and nothing is rebuilt. So
 * after every update the simplex's pair arcs must be exactly the candidate lists, in the
 * network's orientation (columns supply when places are scarcer than row units) and with the
 * phase's scores (every score 1 in the coverage phase), and the answer read back must be pairs
 * that are candidates, with their real scores. White-box: the simplex's arcs are read from its
 * private fields.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { initialCandidates, price, type Candidates } from "../../src/solve/candidates";
import { newScratch } from "../../src/solve/instance";
import { CandidateNetwork, columnsSupply } from "../../src/solve/network";
import { toInstance } from "../../src/solve/problem";
import { gridArb } from "./arbitraries";
import { fcParams } from "./fc-params";

const never = () => false;
const TOL = 1e-9;

interface SimplexArcs {
  n: number;
  firstPair: number;
  arcs: number;
  tail: Int32Array;
  head: Int32Array;
  cost: Float64Array;
}

/** "row col score" for every pair arc of the network's simplex, in instance terms. */
function simplexPairs(net: CandidateNetwork): string[] {
  const sx = (net as unknown as { simplex?: SimplexArcs }).simplex;
  if (!sx) return [];
  const out: string[] = [];
  for (let e = sx.firstPair; e < sx.arcs; e++) {
    const [t, h] = [sx.tail[e], sx.head[e] - sx.n];
    const [i, j] = net.transposed ? [h, t] : [t, h];
    out.push(`${i} ${j} ${-sx.cost[e]}`);
  }
  return out.sort();
}

/** The same for the candidate lists, with the phase's score (`unit` when given). */
function candidatePairs(c: Candidates, unit?: number): string[] {
  const out: string[] = [];
  c.cols.forEach((cols, i) =>
    cols.forEach((j, t) => out.push(`${i} ${j} ${unit ?? c.scores[i][t]}`)),
  );
  return out.sort();
}

describe("CandidateNetwork across pricing rounds", () => {
  it("keeps the simplex's arcs equal to the candidates and reads back candidate pairs", () => {
    let simplexRounds = 0;
    let transposedRounds = 0;
    fc.assert(
      fc.property(
        gridArb({ rows: [8, 40], cols: [3, 12], score: [0, 9] }).chain((g) =>
          fc.record({
            g: fc.constant(g),
            unit: fc.boolean(),
            colMax: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: g.m, maxLength: g.m }),
          }),
        ),
        ({ g: { n, m, score, allowed }, unit, colMax }) => {
          const inst = toInstance({
            scores: Float64Array.from(score, (s) => s / 2),
            allowed: Uint8Array.from(allowed, (a) => (a ? 1 : 0)),
            rows: n,
            cols: m,
            colMax: Int32Array.from(colMax),
          });
          const scratch = newScratch(m);
          const c = initialCandidates(inst, 1, scratch)!;
          // One pair a row to start from (the bound then proves nothing: every row is read), so
          // that pricing has pairs to add round after round.
          for (let i = 0; i < n; i++) {
            c.cols[i] = c.cols[i].slice(0, 1);
            c.scores[i] = c.scores[i].slice(0, 1);
            c.kth[i] = Infinity;
          }
          const b = {
            loR: new Int32Array(n),
            hiR: Int32Array.from(c.rowDegree, (d) => Math.min(1, d)),
            loC: new Int32Array(m),
            hiC: Int32Array.from(c.colDegree, (d, j) => Math.min(colMax[j], d)),
          };
          const u = unit ? 1 : undefined;
          const net = new CandidateNetwork(c, b, { unit: u }, columnsSupply(b));
          for (let round = 0; round < 20; round++) {
            expect(net.run(never).kind).toBe("done");
            const p = net.pairs();
            p.row.forEach((i, k) => {
              const t = Array.from(c.cols[i]).indexOf(p.col[k]);
              expect(t, `pair (${i}, ${p.col[k]}) is a candidate`).toBeGreaterThanOrEqual(0);
              expect(p.score[k]).toBe(c.scores[i][t]);
            });
            const added = price(inst, c, net.duals(), TOL, 1, scratch, never, u);
            if (added.row.length === 0) return;
            net.update(added);
            const arcs = simplexPairs(net);
            if (arcs.length === 0) continue; // the shortest-path core rebuilt from the lists
            simplexRounds++;
            if (net.transposed) transposedRounds++;
            expect(arcs).toEqual(candidatePairs(c, u));
          }
        },
      ),
      fcParams(300),
    );
    expect(simplexRounds).toBeGreaterThan(0);
    expect(transposedRounds).toBeGreaterThan(0);
  });
});
