/** examples/rematch.ts: a term on a generated cohort — the budget holds, the dissolved pair never
 * returns, newcomers are placed as new mentees, the session carries the scores and starts the
 * flow from the previous answer, and "why not" costs at least the certificate's reduced cost. */
import { describe, expect, it } from "vitest";
import { runTerm } from "../../examples/rematch.js";

describe("examples/rematch.ts", () => {
  it("a term: leave and dissolve under a budget, newcomers join, why not", () => {
    const term = runTerm();
    const { leave, join } = term;
    expect(leave.status).toBe("optimal");
    expect(leave.moves.moved).toBeLessThanOrEqual(3);
    expect(leave.stats.warmFlow).toBe(true);
    expect(leave.stats.carried!.menteesCarried).toBeGreaterThan(term.mentees - 10);
    const d = term.dissolved;
    for (const r of [leave, join])
      expect(r.pairs.some((p) => p.mentee === d.mentee && p.mentor === d.mentor)).toBe(false);
    expect(leave.ended.filter((e) => e.reason === "dissolved")).toHaveLength(1);
    expect(
      leave.ended.every((e) => e.reason !== "mentor_left" || term.leaving.includes(e.mentor)),
    ).toBe(true);
    expect(join.status).toBe("optimal");
    const fresh = join.added.filter((a) => a.reason === "new_mentee");
    expect(fresh.length).toBeGreaterThan(0);
    for (const a of fresh) expect(term.joined).toContain(a.mentee);
    expect(join.stats.carried!.menteesScored).toBe(term.joined.length);
    const c = term.whyNot!;
    expect(c.forced!.delta).toBeLessThanOrEqual(1e-9);
    expect(-c.forced!.delta).toBeGreaterThanOrEqual(c.forced!.reducedCost - 1e-9);
  });
});
