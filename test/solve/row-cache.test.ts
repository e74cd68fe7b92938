/**
 * The row caches (src/solve/instance.ts, `withRowCache`): every read of a cached instance gives
 * the source's row (its allowed pairs and their scores), the source is asked for each row once
 * while the cache has room, and again at each read for the rows past a sparse cache's budget.
 * Both forms: the dense n·m copy and the allowed pairs only.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withRowCache, type Instance } from "../../src/solve/instance";
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
    }),
  );

describe("row caches", () => {
  it("give the source's rows, reading each from the source once while they have room", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const asked = new Int32Array(c.n);
        const inst: Instance = toInstance({
          rows: c.n,
          cols: c.m,
          scoreRow: (i, out, ok) => {
            asked[i]++;
            for (let j = 0; j < c.m; j++) {
              out[j] = c.scores[i * c.m + j] / 4;
              ok[j] = c.allowed[i * c.m + j] ? 1 : 0;
            }
          },
        });
        const forms = [
          { limits: { dense: 2 ** 30, sparse: 0 }, roomForAll: true },
          { limits: { dense: 0, sparse: Infinity }, roomForAll: true },
          { limits: { dense: 0, sparse: c.budget }, roomForAll: false },
        ];
        for (const { limits, roomForAll } of forms) {
          asked.fill(0);
          const cached = withRowCache(inst, limits);
          const src = cached.source;
          if (src.kind !== "rows") throw new Error("expected a row source");
          const out = new Float64Array(c.m).fill(NaN);
          const ok = new Uint8Array(c.m).fill(7);
          for (const i of c.reads) {
            src.readRow(i, out, ok);
            for (let j = 0; j < c.m; j++) {
              const allowed = c.allowed[i * c.m + j];
              expect(ok[j]).toBe(allowed ? 1 : 0);
              if (allowed) expect(out[j]).toBe(c.scores[i * c.m + j] / 4);
            }
          }
          const distinct = new Set(c.reads);
          if (roomForAll)
            for (let i = 0; i < c.n; i++) expect(asked[i]).toBe(distinct.has(i) ? 1 : 0);
          else {
            // Rows are kept in the order first read while their pairs fit (10 bytes each);
            // a row that did not fit is asked for at each read.
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
            for (let i = 0; i < c.n; i++) {
              const reads = c.reads.filter((r) => r === i).length;
              expect(asked[i]).toBe(kept.has(i) ? 1 : reads);
            }
          }
        }
      }),
      fcParams(200),
    );
  });
});
