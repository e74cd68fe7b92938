/**
 * docs/FAIRNESS.md's worked example, run from the page itself: the program block is parsed with
 * the README's four-mentee cohort, and the result block must be what `match` returns.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { match, verifyMatch } from "../../src/match/match.js";
import type { CohortInput } from "../../src/schema/input.js";

const page = readFileSync(new URL("../../docs/FAIRNESS.md", import.meta.url), "utf8");

/** The JSON code block right after `<!-- fairness-example:<name> -->`. */
function block(name: string): unknown {
  const at = page.indexOf(`<!-- fairness-example:${name} -->`);
  expect(at, `docs/FAIRNESS.md has no "${name}" example block`).toBeGreaterThanOrEqual(0);
  const body = /```json\n([\s\S]*?)```/.exec(page.slice(at));
  return JSON.parse(body![1]);
}

/** The README's cohort ("Match a cohort"), without its program. */
const cohort: Omit<CohortInput, "program"> = {
  skills: [{ id: "sql" }, { id: "python" }, { id: "slides" }],
  strategy: { priorities: { sql: 3, python: 1 } },
  mentees: [
    {
      id: "ana",
      department: "ops",
      level: 2,
      tenureMonths: 14,
      current: { sql: 1, python: 2 },
      targets: { sql: 4, python: 3, slides: 5 },
    },
    {
      id: "dev",
      department: "ops",
      level: 1,
      tenureMonths: 6,
      current: { python: 1 },
      targets: { python: 4 },
    },
    {
      id: "eli",
      department: "sales",
      level: 3,
      tenureMonths: 30,
      current: { sql: 2 },
      targets: { sql: 3 },
    },
    {
      id: "fay",
      department: "sales",
      level: 0,
      tenureMonths: 3,
      tiers: ["senior"],
      current: {},
      targets: { sql: 2 },
    },
  ],
  mentors: [
    {
      id: "ben",
      department: "data",
      level: 4,
      tenureMonths: 60,
      tier: "senior",
      capacity: 1,
      expertise: { sql: 3, python: 5, slides: 5 },
    },
    {
      id: "cy",
      department: "data",
      level: 3,
      tenureMonths: 24,
      tier: "peer",
      capacity: 2,
      expertise: { sql: 5, python: 2 },
    },
  ],
};

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
