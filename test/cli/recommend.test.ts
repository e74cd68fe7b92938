/**
 * `mentorflow recommend` end to end, as a spawned process: help, the summary, the
 * recommendations CSV against the JSON result (formula escaping, round trip), the library's
 * answer, options checked, the time limit, invalid input.
 */
import { parse } from "csv-parse/sync";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCohort } from "../../src/generate/cohort.js";
import type { CohortInput } from "../../src/schema/input.js";
import { recommend, type RecommendResult } from "../../src/lifecycle/recommend.js";
import { loadCohort, writeCohortFiles, cohortFilesIn } from "../../src/node/files.js";
import { RECOMMENDATIONS_COLUMNS } from "../../src/node/results.js";
import { readResultCsv, root, useCli } from "./helpers.js";

const example = join(root, "examples/data");
const { mf, path } = useCli("recommend");

/** Everything of a result but the clocks. */
function timeless(r: RecommendResult) {
  const { stats, timeMs: _, ...rest } = r;
  const { timeMs: __, phaseMs: ___, ...counts } = stats;
  return { ...rest, counts };
}

describe("recommend", () => {
  it("--help has examples; the top-level help lists it", async () => {
    const r = await mf("recommend", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("$ mentorflow recommend");
    expect(r.stdout).toContain("-k <n>");
    expect((await mf("--help")).stdout).toContain("recommend");
  });

  it("prints a summary, writes the CSV and the JSON, which agree with the library", async () => {
    const out = path("ex");
    const r = await mf(
      "recommend",
      example,
      "-k",
      "3",
      "--exposure",
      "2",
      "--out",
      join(out, "recommendations.csv"),
      "--json",
      join(out, "recommendations.json"),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("mentorflow recommend — ");
    expect(r.stdout).toMatch(/status: optimal — total fit [\d.]+, proven the best possible/);
    expect(r.stdout).toContain("k 3, each mentor shown to at most ⌈2 × their free places⌉");
    expect(r.stdout).toMatch(/fewer than 3: \d+ — /);
    expect(r.stdout).toContain("wrote ");
    const json = JSON.parse(
      await readFile(join(out, "recommendations.json"), "utf8"),
    ) as RecommendResult;
    const lib = recommend((await loadCohort(cohortFilesIn(example))).cohort, {
      k: 3,
      exposure: 2,
    });
    expect(timeless(json)).toEqual(timeless(lib));
    const rows = readResultCsv(await readFile(join(out, "recommendations.csv"), "utf8"));
    expect(rows[0]).toEqual([...RECOMMENDATIONS_COLUMNS]);
    expect(rows.slice(1).map((x) => [x[0], Number(x[1]), x[2], x[3], Number(x[4])])).toEqual(
      json.mentees.flatMap((e) =>
        e.suggestions.map((s) => [e.mentee, s.rank, s.mentor, s.tier, Number(s.fit.toFixed(4))]),
      ),
    );
    expect(rows[1][5]).toMatch(/^[\w-]+ \+\d+\.\d\d(; [\w-]+ \+\d+\.\d\d){0,2}$/);
  });

  it("--json - writes the JSON alone on stdout; --quiet prints nothing", async () => {
    const r = await mf("recommend", example, "--json", "-");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as RecommendResult;
    expect(json.k).toBe(5);
    expect(json.exposure).toBe(5);
    expect(json.status).toBe("optimal");
    expect(r.stderr).toContain("mentorflow recommend — ");
    const q = await mf("recommend", example, "--quiet");
    expect(q.code).toBe(0);
    expect(q.stdout + q.stderr).toBe("");
  });

  it("ids that look like formulas are escaped in the CSV and come back exactly", async () => {
    const dir = path("formula");
    // Every id renamed to one a spreadsheet would run (references too: the JSON text).
    let raw = JSON.stringify(generateCohort({ mentees: 12, mentors: 4, seed: 5 }));
    raw = raw.replace(/"(e\d{3})"/g, '"=$1"').replace(/"(m\d{3})"/g, '"+$1"');
    const renamed = JSON.parse(raw) as CohortInput;
    await writeCohortFiles(renamed, dir);
    const r = await mf(
      "recommend",
      dir,
      "--out",
      join(dir, "r.csv"),
      "--json",
      join(dir, "r.json"),
    );
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(join(dir, "r.csv"), "utf8");
    expect(text).toContain("'=");
    for (const row of parse(text.replace("\uFEFF", "")) as string[][])
      for (const cell of row) expect(cell, cell).not.toMatch(/^[=+@\t\r]|^-(?!\d)/);
    const json = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as RecommendResult;
    const rows = readResultCsv(text).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((x) => [x[0], x[2]])).toEqual(
      json.mentees.flatMap((e) => e.suggestions.map((s) => [e.mentee, s.mentor])),
    );
  });

  it("bad options are usage errors (2), no stack", async () => {
    for (const args of [
      ["-k", "0"],
      ["-k", "2.5"],
      ["--exposure", "0"],
      ["--exposure", "lots"],
      ["--bogus"],
    ]) {
      const r = await mf("recommend", example, ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("a time limit exits 4 and still writes what it has", async () => {
    const dir = path("big");
    await writeCohortFiles(generateCohort({ mentees: 3000, mentors: 600, seed: 2 }), dir);
    const r = await mf(
      "recommend",
      dir,
      "--time-limit",
      "0.000001",
      "--out",
      join(dir, "r.csv"),
      "--json",
      join(dir, "r.json"),
    );
    expect(r.code).toBe(4);
    expect(r.stdout).toContain("status: stopped (time limit)");
    const json = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as RecommendResult;
    expect(json.status).toBe("time_limit");
    const rows = readResultCsv(await readFile(join(dir, "r.csv"), "utf8"));
    expect(rows.length - 1).toBe(json.mentees.reduce((t, e) => t + e.suggestions.length, 0));
  });

  it("invalid input exits 2 and, with --json -, gives the issues as data", async () => {
    const r = await mf("recommend", path("nowhere"), "--json", "-");
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).status).toBe("invalid");
  });
});
