/**
 * The shared bounded top-K (src/shared/toplist.ts): the best `cap` pairs by value descending,
 * ties to the lower index, and `dropped`, the best value left out — checked on small cases and
 * against a sort-based oracle on many random pushes (ties, −Infinity, NaN, any push order, a
 * caller's own `floor` test), and `scanRow` / `scanList`, the engine's row scans, against `push`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TopList } from "../../src/shared/toplist";
import { fcParams } from "../solve/fc-params";

/** The list after `sort()`: [index, value] pairs, best first. */
function listed(t: TopList): [number, number][] {
  return Array.from({ length: t.size }, (_, p) => [t.idx[p], t.val[p]]);
}

function pushAll(t: TopList, values: readonly number[], order?: readonly number[]): void {
  for (const i of order ?? values.keys()) t.push(values[i], i);
}

/** What the list must hold: every value above −Infinity by value descending then index, the
 * first `cap`; `dropped` is the best value of the rest (NaN counts nowhere). */
function oracle(values: readonly number[], cap: number) {
  const all = [...values.keys()]
    .filter((i) => !Number.isNaN(values[i]))
    .sort((a, b) => (values[a] === values[b] ? a - b : values[b] - values[a]));
  const kept = all.filter((i) => values[i] > -Infinity).slice(0, cap);
  const keptSet = new Set(kept);
  let dropped = -Infinity;
  for (const i of all) if (!keptSet.has(i) && values[i] > dropped) dropped = values[i];
  return { kept: kept.map((i) => [i, values[i]]), dropped };
}

describe("TopList", () => {
  it("keeps the best values, ties to the lower index, and the best value left out", () => {
    const t = new TopList(3);
    pushAll(t, [5, 3, 5, 7, 3, 5]);
    expect(t.floor).toBe(5);
    t.sort();
    expect(listed(t)).toEqual([
      [3, 7],
      [0, 5],
      [2, 5],
    ]);
    expect(t.dropped).toBe(5);
  });

  it("breaks ties by index whatever the push order", () => {
    const t = new TopList(2);
    pushAll(t, [1, 1, 1, 1], [3, 2, 1, 0]);
    t.sort();
    expect(listed(t)).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(t.dropped).toBe(1);
  });

  it("with cap 0 lists nothing and drops everything", () => {
    const t = new TopList(0);
    expect(t.floor).toBe(Infinity);
    pushAll(t, [2, 9, -1]);
    t.sort();
    expect(t.size).toBe(0);
    expect(t.dropped).toBe(9);
  });

  it("drops nothing while there is room; −Infinity and NaN are never listed", () => {
    const t = new TopList(4);
    pushAll(t, [1, -Infinity, NaN, 2]);
    expect(t.floor).toBe(-Infinity);
    t.sort();
    expect(listed(t)).toEqual([
      [3, 2],
      [0, 1],
    ]);
    expect(t.dropped).toBe(-Infinity);
    t.reset(1);
    pushAll(t, [NaN, 4, NaN]);
    expect(t.dropped).toBe(-Infinity);
  });

  it("reset empties it, to a larger cap too", () => {
    const t = new TopList(1);
    pushAll(t, [3, 4]);
    expect(t.dropped).toBe(3);
    t.reset(3);
    pushAll(t, [1, 2, 3, 4]);
    t.sort();
    expect(listed(t).map(([i]) => i)).toEqual([3, 2, 1]);
    expect(t.dropped).toBe(1);
    t.reset();
    expect([t.size, t.cap, t.floor, t.dropped]).toEqual([0, 3, -Infinity, -Infinity]);
  });

  it("equals a sort on many pushes, in any order and through the hot loops' floor test", () => {
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -4, max: 4 }) }, // many ties
      { weight: 3, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
      { weight: 1, arbitrary: fc.constantFrom(-Infinity, Infinity, NaN, -0) },
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 300 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (values, capArg, seed) => {
          const cap = capArg > 35 ? values.length + capArg - 35 : capArg;
          const want = oracle(values, cap);
          const check = (t: TopList) => {
            expect(t.size).toBe(want.kept.length);
            if (t.size === cap) expect(t.floor).toBe(cap === 0 ? Infinity : want.kept[cap - 1][1]);
            else expect(t.floor).toBe(-Infinity);
            t.sort();
            expect(listed(t)).toEqual(want.kept);
            // + 0: of 0 and −0 (equal values), `dropped` keeps the first one pushed.
            expect(t.dropped + 0).toBe(want.dropped + 0);
          };
          // Ascending indices, reusing a list that held something else.
          const t = new TopList(cap + 1);
          pushAll(t, [7, 8, 9]);
          t.sort();
          t.reset(cap);
          pushAll(t, values);
          check(t);
          // Shuffled order.
          const order = [...values.keys()];
          let a = seed;
          for (let p = order.length - 1; p > 0; p--) {
            a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
            const q = a % (p + 1);
            [order[p], order[q]] = [order[q], order[p]];
          }
          const u = new TopList(cap);
          pushAll(u, values, order);
          check(u);
          // As rowscan.ts does: ascending indices, a value ≤ floor goes straight to `dropped`.
          const w = new TopList(cap);
          for (let i = 0; i < values.length; i++) {
            const v = values[i];
            if (v <= w.floor) {
              if (v > w.dropped) w.dropped = v;
              continue;
            }
            w.push(v, i);
          }
          check(w);
        },
      ),
      fcParams(400),
    );
  });

  it("scanRow (and scanList on the allowed entries) equals push on each allowed s − price, with masked entries and Infinity prices", () => {
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }) },
      { weight: 2, arbitrary: fc.double({ min: -5, max: 5, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0) },
    );
    const entry = fc.record({
      s: value,
      price: fc.oneof(
        { weight: 8, arbitrary: value },
        { weight: 1, arbitrary: fc.constant(Infinity) },
      ),
      allowed: fc.boolean(),
      masked: fc.constantFrom(NaN, 100, -Infinity), // what a masked place may hold
    });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 200 }),
        fc.nat(3),
        fc.integer({ min: 0, max: 30 }),
        (row, off, cap) => {
          const m = row.length;
          const s = new Float64Array(off + m + 1).fill(NaN);
          const ok = new Uint8Array(off + m + 1).fill(1);
          const price = Float64Array.from(row, (e) => e.price);
          row.forEach((e, j) => {
            s[off + j] = e.allowed ? e.s : e.masked;
            ok[off + j] = e.allowed ? 1 : 0;
          });
          const t = new TopList(2);
          pushAll(t, [1, 2, 3]); // scanRow starts from an empty list whatever it held
          t.scanRow(cap, s, off, ok, price, m);
          const u = new TopList(cap);
          for (let j = 0; j < m; j++) if (ok[off + j] === 1) u.push(s[off + j] - price[j], j);
          expect([t.size, t.floor, t.floorIdx]).toEqual([u.size, u.floor, u.floorIdx]);
          expect(Object.is(t.dropped, u.dropped)).toBe(true);
          t.sort();
          u.sort();
          expect(listed(t)).toEqual(listed(u));
          const values = row.map((e) => (e.allowed ? e.s - e.price : NaN));
          const want = oracle(values, cap);
          expect(listed(t)).toEqual(want.kept);
          expect(t.dropped + 0).toBe(want.dropped + 0);
          // The same row as a list of its allowed entries (the list row cache's form).
          const cols = Int32Array.from(row.flatMap((e, j) => (e.allowed ? [j] : [])));
          const vals = Float64Array.from(cols, (j) => s[off + j]);
          const l = new TopList(2);
          pushAll(l, [1, 2, 3]);
          l.scanList(cap, cols, vals, cols.length, price);
          expect([l.size, l.floor, l.floorIdx]).toEqual([u.size, u.floor, u.floorIdx]);
          expect(Object.is(l.dropped, u.dropped)).toBe(true);
          l.sort();
          expect(listed(l)).toEqual(want.kept);
        },
      ),
      fcParams(400),
    );
  });
});
