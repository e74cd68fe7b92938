/**
 * The pricing bound (src/solve/candidates.ts): each row's `kth` bounds every pair left out of its
 * list relative to the reference prices its last read used (`refs[refOf[i]]`), and a round of
 * `price` that leaves a row unchanged proves that none of its left-out pairs prices out. Checked
 * directly, round after round with arbitrary duals (negative ones too), against every pair.
 * The pairs a round reports added are exactly the ones new to the lists: the network takes
 * them, and only them, as new arcs (network.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addToRow,
  initialCandidates,
  leftOutBound,
  price,
  refDrift,
} from "../../src/solve/candidates";
import { forEachFreePair, newScratch } from "../../src/solve/instance";
import { toInstance } from "../../src/solve/problem";
import { fcParams } from "./fc-params";

const TOL = 1e-9;

const caseArb = fc
  .record({ n: fc.integer({ min: 1, max: 7 }), m: fc.integer({ min: 1, max: 7 }) })
  .chain(({ n, m }) =>
    fc.record({
      n: fc.constant(n),
      m: fc.constant(m),
      scores: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n * m, maxLength: n * m }),
      allowed: fc.array(fc.boolean(), { minLength: n * m, maxLength: n * m }),
      k: fc.integer({ min: 1, max: 3 }),
      rounds: fc.array(
        fc.record({
          u: fc.array(fc.integer({ min: -3, max: 8 }), { minLength: n, maxLength: n }),
          v: fc.array(fc.integer({ min: -3, max: 8 }), { minLength: m, maxLength: m }),
          perRow: fc.integer({ min: 1, max: 3 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  );

/** The case's instance (scores halved: ties and half-integers), scratch and first candidates. */
function start(c: { n: number; m: number; k: number; scores: number[]; allowed: boolean[] }) {
  const inst = toInstance({
    scores: Float64Array.from(c.scores, (s) => s / 2),
    allowed: Uint8Array.from(c.allowed, (a) => (a ? 1 : 0)),
    rows: c.n,
    cols: c.m,
  });
  const scratch = newScratch(c.m);
  return { inst, scratch, cands: initialCandidates(inst, c.k, scratch)! };
}

/** Every listed pair as "row col score". */
function listed(c: { cols: Int32Array[]; scores: Float64Array[] }): Set<string> {
  const out = new Set<string>();
  c.cols.forEach((cols, i) => cols.forEach((j, t) => out.add(`${i} ${j} ${c.scores[i][t]}`)));
  return out;
}

describe("addToRow", () => {
  it("merges by column, reports only the pairs new to the row, and a repeated column's last score stands", () => {
    const c = { cols: [Int32Array.from([1, 4, 6])], scores: [Float64Array.from([10, 40, 60])] };
    const added = { row: [] as number[], col: [] as number[], score: [] as number[] };
    addToRow(c as never, 0, [5, 4, 0, 5, 7], [50, 44, 0, 55, 70], added);
    expect(Array.from(c.cols[0])).toEqual([0, 1, 4, 5, 6, 7]);
    expect(Array.from(c.scores[0])).toEqual([0, 10, 44, 55, 60, 70]);
    expect(added).toEqual({ row: [0, 0, 0], col: [0, 5, 7], score: [0, 55, 70] });
  });
});

describe("candidate bounds and pricing", () => {
  it("kth bounds every left-out pair at its row's reference prices, and unchanged rows price nothing out", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { inst, scratch, cands } = start(c);
        const check = (duals?: { u: Float64Array; v: Float64Array }, changed?: number[]) => {
          for (let i = 0; i < c.n; i++) {
            const own = new Set(cands.cols[i]);
            const ref = cands.refs[cands.refOf[i]];
            forEachFreePair(inst, i, scratch, (j, s) => {
              if (own.has(j)) return;
              expect(s - ref[j]).toBeLessThanOrEqual(cands.kth[i]);
              if (duals && !changed!.includes(i))
                expect(s - duals.u[i] - duals.v[j]).toBeLessThanOrEqual(TOL);
            });
          }
        };
        check();
        for (const r of c.rounds) {
          const duals = { u: Float64Array.from(r.u), v: Float64Array.from(r.v) };
          const before = listed(cands);
          const added = price(inst, cands, duals, TOL, r.perRow, scratch, () => false);
          check(duals, added.row);
          const now = listed(cands);
          const fresh = added.row.map((i, t) => `${i} ${added.col[t]} ${added.score[t]}`);
          expect(fresh.sort()).toEqual([...now].filter((p) => !before.has(p)).sort());
          expect(before.size + fresh.length).toBe(now.size);
        }
      }),
      fcParams(300),
    );
  });

  it("with unit scores (the coverage phase, then scores), leftOutBound bounds every left-out pair at any later duals, and unchanged rows price nothing out", () => {
    const unit = 1;
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 4 }), (c, unitRounds) => {
        const { inst, scratch, cands } = start(c);
        // Every left-out pair's reduced score, with unit scores and with its own, under duals d,
        // is at most the row's bound (quarters of small integers: no rounding).
        const sound = (d: { u: Float64Array; v: Float64Array }) => {
          const drift = refDrift(cands, d.v);
          for (let i = 0; i < c.n; i++) {
            const own = new Set(cands.cols[i]);
            const bound = leftOutBound(cands, i, d.u[i], drift, unit);
            const boundS = leftOutBound(cands, i, d.u[i], drift);
            forEachFreePair(inst, i, scratch, (j, s) => {
              if (own.has(j)) return;
              expect(unit - d.u[i] - d.v[j]).toBeLessThanOrEqual(bound + TOL);
              expect(s - d.u[i] - d.v[j]).toBeLessThanOrEqual(boundS + TOL);
            });
          }
        };
        const rounds = c.rounds.map((r, t) => ({
          duals: {
            u: Float64Array.from(r.u, (x) => x / 4),
            v: Float64Array.from(r.v, (x) => x / 4),
          },
          perRow: r.perRow,
          units: t < unitRounds,
        }));
        for (const r of rounds) sound(r.duals);
        for (const r of rounds) {
          const added = price(
            inst,
            cands,
            r.duals,
            TOL,
            r.perRow,
            scratch,
            () => false,
            r.units ? unit : undefined,
          );
          for (let i = 0; i < c.n; i++) {
            if (added.row.includes(i)) continue;
            const own = new Set(cands.cols[i]);
            forEachFreePair(inst, i, scratch, (j, s) => {
              if (own.has(j)) return;
              const d = r.duals;
              const value = r.units ? unit : s;
              expect(value - d.u[i] - d.v[j]).toBeLessThanOrEqual(TOL);
            });
          }
          for (const later of rounds) sound(later.duals);
        }
      }),
      fcParams(300),
    );
  });
});
