/**
 * The row caches (src/solve/instance.ts, `withRowCache`): every read of a cached instance gives
 * the source's row (its allowed pairs and their scores), the source is asked for each row once
 * while the cache has room, and again at each read for the rows past a sparse cache's budget.
 * Both forms: the dense n·m copy and the allowed pairs only (lists), which a source that lists
 * its rows (`readPairs`, a cohort's scorer) always gets, and which serves lists as well as rows.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withRowCache, type Instance, type PairList } from "../../src/solve/instance";
import { toInstance } from "../../src/solve/problem";
import { fcParams } from "./fc-params";

const caseArb = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 9 }) })
  .chain(({ n, m }) =>
    fc.record({
      n: fc.constant(n),
      m: fc.constant(m),
      scores: fc.array(fc.integer({ min: -5, max: 9 }), { minLength: n * m, maxLength: n * m }),
      allowed: fc.array(fc.boolean(), { minLength: n * m, maxLength: n * m }),
      reads: fc.array(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: 30 }),
      budget: fc.integer({ min: 0, max: 10 * n * m }),
      // Small slabs: rows kept across several, read in place (a row fits an eighth of a slab)
      // or not.
      slab: fc.integer({ min: 1, max: 24 * m }),
    }),
  );

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** Reads `c.reads` through the cached source (rows; and lists, when it serves them) and checks
 * each against the case; then how often the source was asked for each row. */
function checkReads(cached: Instance, c: Case, asked: Int32Array, roomForAll: boolean): void {
  const src = cached.source;
  if (src.kind !== "rows") throw new Error("expected a row source");
  const out = new Float64Array(c.m).fill(NaN);
  const ok = new Uint8Array(c.m).fill(7);
  const cols = new Int32Array(c.m);
  const vals = new Float64Array(c.m);
  // Every list served, with what it must still hold at the end if its row is kept.
  const held: { i: number; cols: number[]; vals: number[]; list: PairList }[] = [];
  for (const i of c.reads) {
    src.readRow(i, out, ok);
    const want: number[] = [];
    for (let j = 0; j < c.m; j++) {
      const allowed = c.allowed[i * c.m + j];
      expect(ok[j]).toBe(allowed ? 1 : 0);
      if (allowed) {
        expect(out[j]).toBe(c.scores[i * c.m + j] / 4);
        want.push(j);
      }
    }
    if (src.list && src.readPairs) {
      // Served from the cache: no new question to the source.
      const before = asked[i];
      const l = src.list(i);
      const wantVals = want.map((j) => c.scores[i * c.m + j] / 4);
      expect(Array.from(l.cols.subarray(0, l.n))).toEqual(want);
      expect(Array.from(l.vals.subarray(0, l.n))).toEqual(wantVals);
      held.push({ i, cols: want, vals: wantVals, list: l });
      const k = src.readPairs(i, cols, vals);
      expect(Array.from(cols.subarray(0, k))).toEqual(want);
      if (roomForAll) expect(asked[i]).toBe(before);
    }
  }
  // A kept row's list stays valid whatever is read after it (slabs are shared).
  const stillHeld = (keptRow: (i: number) => boolean) => {
    for (const h of held)
      if (keptRow(h.i)) {
        expect(Array.from(h.list.cols.subarray(0, h.list.n))).toEqual(h.cols);
        expect(Array.from(h.list.vals.subarray(0, h.list.n))).toEqual(h.vals);
      }
  };
  const distinct = new Set(c.reads);
  if (roomForAll) {
    for (let i = 0; i < c.n; i++) expect(asked[i]).toBe(distinct.has(i) ? 1 : 0);
    stillHeld(() => true);
    return;
  }
  // Rows are kept in the order first read while their pairs fit (10 bytes each); a row that did
  // not fit is asked for at each read.
  let bytes = 0;
  const kept = new Set<number>();
  for (const i of c.reads) {
    if (kept.has(i)) continue;
    let degree = 0;
    for (let j = 0; j < c.m; j++) if (c.allowed[i * c.m + j]) degree++;
    if (bytes + 10 * degree <= c.budget) {
      bytes += 10 * degree;
      kept.add(i);
    }
  }
  const perRead = src.list ? 3 : 1; // readRow, list and readPairs each read a row not kept
  for (let i = 0; i < c.n; i++) {
    const reads = c.reads.filter((r) => r === i).length;
    expect(asked[i]).toBe(kept.has(i) ? 1 : perRead * reads);
  }
  stillHeld((i) => kept.has(i));
}

describe("row caches", () => {
  const sourceOf = (c: Case, asked: Int32Array) => ({
    fill(i: number, out: Float64Array, ok: Uint8Array) {
      asked[i]++;
      for (let j = 0; j < c.m; j++) {
        out[j] = c.scores[i * c.m + j] / 4;
        ok[j] = c.allowed[i * c.m + j] ? 1 : 0;
      }
    },
    list(i: number, cols: Int32Array, vals: Float64Array) {
      asked[i]++;
      let k = 0;
      for (let j = 0; j < c.m; j++)
        if (c.allowed[i * c.m + j]) {
          cols[k] = j;
          vals[k++] = c.scores[i * c.m + j] / 4;
        }
      return k;
    },
  });

  it("give the source's rows, reading each from the source once while they have room", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const asked = new Int32Array(c.n);
        const inst: Instance = toInstance({
          rows: c.n,
          cols: c.m,
          scoreRow: sourceOf(c, asked).fill,
        });
        const forms = [
          { limits: { dense: 2 ** 30, sparse: 0 }, roomForAll: true },
          { limits: { dense: 0, sparse: Infinity }, roomForAll: true },
          { limits: { dense: 0, sparse: Infinity, slab: c.slab }, roomForAll: true },
          { limits: { dense: 0, sparse: c.budget }, roomForAll: false },
          { limits: { dense: 0, sparse: c.budget, slab: c.slab }, roomForAll: false },
        ];
        for (const { limits, roomForAll } of forms) {
          asked.fill(0);
          checkReads(withRowCache(inst, limits), c, asked, roomForAll);
        }
      }),
      fcParams(200),
    );
  });

  it("keep a source that lists its rows as lists, whatever the dense limit, and serve them as lists and rows", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const asked = new Int32Array(c.n);
        const own = sourceOf(c, asked);
        const base = toInstance({ rows: c.n, cols: c.m, scoreRow: own.fill });
        const inst: Instance = {
          ...base,
          source: { kind: "rows", readRow: own.fill, readPairs: own.list },
        };
        const forms = [
          { limits: { dense: 2 ** 30, sparse: Infinity }, roomForAll: true },
          { limits: { dense: 2 ** 30, sparse: c.budget }, roomForAll: false },
          { limits: { dense: 2 ** 30, sparse: c.budget, slab: c.slab }, roomForAll: false },
        ];
        for (const { limits, roomForAll } of forms) {
          asked.fill(0);
          const cached = withRowCache(inst, limits);
          expect(cached.source.kind === "rows" && cached.source.list).toBeTruthy();
          checkReads(cached, c, asked, roomForAll);
        }
      }),
      fcParams(200),
    );
  });
});
