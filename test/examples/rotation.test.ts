/** examples/rotation.ts: rounds on examples/data never repeat a pair, and the boost places more
 * of last round's unmatched than no boost does. */
import { describe, expect, it } from "vitest";
import { runRounds, withBoost } from "../../examples/rotation.js";
import { cohortFilesIn, readCohortInputFromFiles } from "../../src/node/index.js";

describe("examples/rotation.ts", () => {
  it("three rounds of examples/data: no repeat pair; the boost helps last round's unmatched", async () => {
    const { input } = await readCohortInputFromFiles(cohortFilesIn("examples/data"));
    const boosted = runRounds(withBoost(input, 3), 3);
    const plain = runRounds(withBoost(input, 0), 3);
    for (const l of [...boosted.lines, ...plain.lines]) expect(l.repeats).toBe(0);
    const placed = (ls: typeof boosted.lines) => ls.reduce((s, l) => s + l.placed, 0);
    expect(placed(boosted.lines)).toBeGreaterThan(placed(plain.lines));
  });
});
