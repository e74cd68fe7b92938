/**
 * docs/FAIRNESS.md's worked example, run from the page itself: the program block is parsed with
 * the README's four-mentee cohort, and the result block must be what `match` returns.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { match, verifyMatch } from "../../src/match/match.js";
import type { CohortInput } from "../../src/schema/input.js";
import { readmePeople } from "../fixtures/readme-cohort.js";

const page = readFileSync(new URL("../../docs/FAIRNESS.md", import.meta.url), "utf8");

/** The JSON code block right after `<!-- fairness-example:<name> -->`. */
function block(name: string): unknown {
  const at = page.indexOf(`<!-- fairness-example:${name} -->`);
  expect(at, `docs/FAIRNESS.md has no "${name}" example block`).toBeGreaterThanOrEqual(0);
  const body = /```json\n([\s\S]*?)```/.exec(page.slice(at));
  return JSON.parse(body![1]);
}

/** The README's cohort ("Match a cohort"), without its program. */
const cohort = readmePeople();

describe("docs/FAIRNESS.md worked example", () => {
  it("match under the page's minFit program returns the page's result, and it verifies", () => {
    const program = block("program") as CohortInput["program"];
    const parsed = parseCohort({ ...cohort, program });
    const r = match(parsed);
    expect({
      status: r.status,
      objective: r.objective,
      pairs: r.pairs.map(({ mentee, mentor, score }) => ({ mentee, mentor, score })),
      unmatched: r.unmatched.map(({ mentee, reason, blockedBy }) => ({
        mentee,
        reason,
        blockedBy,
      })),
      equity: r.equity.map(({ index, kind, enforced }) => ({ index, kind, enforced })),
    }).toEqual(block("result"));
    expect(verifyMatch(parsed, r).ok).toBe(true);
    // The page's "without the floor" figures.
    const free = match(parseCohort({ ...cohort, program: { ...program, equity: [] } }));
    expect(free.objective).toBe(18);
  });
});
