/**
 * The intrusive lists (src/shared/links.ts) against arrays: after any sequence of insertions at
 * the front and removals, walking each list forward and backward gives the model's order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linkFront, unlink } from "../../src/shared/links";
import { fcParams } from "../solve/fc-params";

describe("linkFront / unlink", () => {
  it("keep every list in the order of a model", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ item: fc.nat(9), list: fc.nat(2) }), { maxLength: 60 }),
        (ops) => {
          const head = new Int32Array(3).fill(-1);
          const next = new Int32Array(10).fill(-1);
          const prev = new Int32Array(10).fill(-1);
          const model: number[][] = [[], [], []];
          const where = new Map<number, number>();
          for (const { item, list } of ops) {
            const g = where.get(item);
            if (g !== undefined) {
              unlink(head, next, prev, g, item); // in a list: take it out
              model[g].splice(model[g].indexOf(item), 1);
              where.delete(item);
            } else {
              linkFront(head, next, prev, list, item);
              model[list].unshift(item);
              where.set(item, list);
            }
          }
          for (let g = 0; g < 3; g++) {
            const forward: number[] = [];
            let last = -1;
            for (let x = head[g]; x !== -1; x = next[x]) {
              expect(prev[x]).toBe(last);
              forward.push(x);
              last = x;
            }
            expect(forward).toEqual(model[g]);
          }
        },
      ),
      fcParams(200),
    );
  });
});
