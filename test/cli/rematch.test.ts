/**
 * `mentorflow rematch` end to end, as a spawned process: a match's JSON file as the previous
 * answer, people leaving by flag, dissolved pairs from a file, the move budget; the summary, the
 * pairs CSV (kept, added, ended) against the JSON result and the library's answer; and every kind
 * of bad input exits 2 naming what to fix (a cohort whose equity rules a re-match cannot keep
 * yet is refused, not matched without them).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { JsonResult } from "../../src/cli/commands/match.js";
import { rematch, withoutPeople, type RematchResult } from "../../src/lifecycle/rematch.js";
import { loadCohort, readCohortInputFromFiles, cohortFilesIn } from "../../src/node/files.js";
import { parseCohort } from "../../src/cohort/parse.js";
import { match } from "../../src/match/match.js";
import { whyNot } from "../../src/lifecycle/counterfactual.js";
import { REMATCH_COLUMNS } from "../../src/node/results.js";
import { readResultCsv, root, useCli } from "./helpers.js";

const { mf, path } = useCli("rematch");

/** Everything of a result but the clocks. */
const timeless = (r: RematchResult) => ({ ...r, stats: undefined });

let cohort: string;
let first: JsonResult;
let leaving: string;

beforeAll(async () => {
  cohort = path("plain");
  const g = await mf(
    "generate",
    "--out",
    cohort,
    "--no-equity",
    "--mentees",
    "80",
    "--mentors",
    "20",
  );
  expect(g.code, g.stderr).toBe(0);
  const m = await mf("match", cohort, "--json", path("first.json"), "--quiet");
  expect(m.code, m.stderr).toBe(0);
  first = JSON.parse(await readFile(path("first.json"), "utf8")) as JsonResult;
  leaving = first.result.pairs[0].mentor;
}, 120_000);

describe("mentorflow rematch", () => {
  it("--help has examples; the top-level help lists it", async () => {
    const r = await mf("rematch", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("$ mentorflow rematch");
    expect(r.stdout).toContain("--max-moves <n>");
    expect((await mf("--help")).stdout).toContain("rematch");
  });

  it("after a mentor leaves: the summary, the CSV and the JSON agree with the library", async () => {
    const dissolvedFile = path("dissolved.json");
    const other = first.result.pairs.find((p) => p.mentor !== leaving)!;
    const dissolved = [{ mentee: other.mentee, mentor: other.mentor, reason: "asked to change" }];
    await writeFile(dissolvedFile, JSON.stringify(dissolved));
    const r = await mf(
      "rematch",
      cohort,
      "--previous",
      path("first.json"),
      "--leave-mentor",
      leaving,
      "--dissolved",
      dissolvedFile,
      "--max-moves",
      "3",
      "--out",
      path("changes.csv"),
      "--json",
      path("again.json"),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mentorflow rematch — .*: 80 mentees, 19 mentors; previous answer/);
    expect(r.stdout).toMatch(/ended: .*mentor left/);
    expect(r.stdout).toContain("dissolved 1");
    expect(r.stdout).toContain("at most 3 allowed");
    expect(r.stdout).toContain("started from the previous answer");
    const json = JSON.parse(await readFile(path("again.json"), "utf8")) as RematchResult;

    // The library on the same cohort and previous answer.
    const read = await readCohortInputFromFiles(cohortFilesIn(cohort));
    const now = parseCohort(withoutPeople(read.input, { mentors: [leaving] }));
    const lib = rematch(now, first.result, { maxMoves: 3, dissolved });
    expect(timeless(json)).toEqual(JSON.parse(JSON.stringify(timeless(lib))));
    expect(json.moves.moved).toBeLessThanOrEqual(3);
    expect(json.pairs.some((p) => p.mentee === other.mentee && p.mentor === other.mentor)).toBe(
      false,
    );

    // The CSV: one row per pair (kept or added) and per ended pair, by mentee then mentor.
    const [header, ...rows] = readResultCsv(await readFile(path("changes.csv"), "utf8"));
    expect(header).toEqual([...REMATCH_COLUMNS]);
    expect(rows).toHaveLength(json.pairs.length + json.ended.length);
    const keys = rows.map((x) => `${x[0]}\u0000${x[1]}`);
    expect(keys).toEqual([...keys].sort());
    const added = new Map(json.added.map((a) => [`${a.mentee}\u0000${a.mentor}`, a.reason]));
    for (const p of json.pairs) {
      const row = rows.find((x) => x[0] === p.mentee && x[1] === p.mentor && x[2] !== "ended")!;
      const key = `${p.mentee}\u0000${p.mentor}`;
      expect(row[2]).toBe(added.has(key) ? "added" : "kept");
      expect(row[3]).toBe(added.get(key) ?? "");
      expect(Number(row[4])).toBeCloseTo(p.score, 4);
    }
    const ended = rows.filter((x) => x[2] === "ended");
    expect(ended).toHaveLength(json.ended.length);
    expect(ended.filter((x) => x[3].startsWith("mentor_left"))).toHaveLength(
      first.result.pairs.filter((p) => p.mentor === leaving).length,
    );
    expect(ended.find((x) => x[0] === other.mentee && x[1] === other.mentor)![3]).toBe(
      "dissolved: asked to change",
    );
  });

  it("--json - writes the JSON alone to stdout, the summary to stderr; --compare-cold", async () => {
    const r = await mf(
      "rematch",
      cohort,
      "--previous",
      path("first.json"),
      "--json",
      "-",
      "--compare-cold",
    );
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as RematchResult;
    expect(json.status).toBe("optimal");
    expect(json.moves.moved).toBe(0); // nothing changed: every pair kept
    expect(r.stderr).toContain("status: optimal");
    expect(r.stderr).toMatch(
      /the first solve from the previous answer .* s, cold .* s: .*× as fast/,
    );
    expect(json.stats.cold!.speedup).toBeGreaterThan(0);
  });

  it("explain prices an eligible pair not chosen: the forced re-solve (whyNot)", async () => {
    const files = cohortFilesIn(cohort);
    const c = (await loadCohort(files)).cohort;
    const result = match(c);
    if (result.status !== "optimal") throw new Error(result.status);
    let found: { mentee: string; mentor: string; delta: number; moves: number } | undefined;
    for (const mentee of c.index.menteeIds.slice(0, 20)) {
      for (const mentor of c.index.mentorIds) {
        const w = whyNot(c, result, mentee, mentor);
        if (w.forced && w.forced.status === "optimal" && w.forced.moves.length > 0) {
          found = { mentee, mentor, delta: w.forced.delta, moves: w.forced.moves.length };
          break;
        }
      }
      if (found) break;
    }
    if (!found) throw new Error("no eligible pair left out");
    const r = await mf("explain", cohort, "--mentee", found.mentee, "--mentor", found.mentor);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("but not chosen");
    expect(r.stdout).toContain(`Pairing them: the best total with the pair is`);
    expect(r.stdout).toContain(
      `${found.moves} ${found.moves === 1 ? "mentee moves" : "mentees move"}`,
    );
    expect(r.stdout).toContain(`${found.mentee}: `);
    // With equity rules that cut across mentors (the example cohort) the cost is not guessed.
    const ex = await mf(
      "explain",
      join(root, "examples/data"),
      "--mentee",
      "e006",
      "--mentor",
      "m011",
    );
    expect(ex.code).toBe(0);
    if (ex.stdout.includes("but not chosen"))
      expect(ex.stdout).toContain("The exact cost of pairing them is not computed");
  });

  it("bad input exits 2 and says what to fix", async () => {
    const missing = await mf("rematch", cohort, "--previous", path("nope.json"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Could not read the previous answer");
    await writeFile(path("bad.json"), "{ not json");
    const bad = await mf("rematch", cohort, "--previous", path("bad.json"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("is not JSON");
    await writeFile(path("unknown.json"), JSON.stringify([{ mentee: "nobody", mentor: leaving }]));
    const unknown = await mf(
      "rematch",
      cohort,
      "--previous",
      path("first.json"),
      "--dissolved",
      path("unknown.json"),
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("dissolved[0]");
    const budget = await mf(
      "rematch",
      cohort,
      "--previous",
      path("first.json"),
      "--max-moves",
      "-1",
    );
    expect(budget.code).toBe(2);
    // The example cohort has equity rules that cut across mentors: refused, each named.
    const example = join(root, "examples/data");
    const ex = await mf("match", example, "--json", path("ex.json"), "--quiet");
    expect(ex.code).toBe(0);
    const refused = await mf("rematch", example, "--previous", path("ex.json"));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("program.equity[0]");
    expect(refused.stderr).toContain("use match()");
    expect((await loadCohort(cohortFilesIn(example))).cohort.equity.length).toBeGreaterThan(0);
  });
});
