/**
 * The `mentorflow` command line end to end, as a spawned process: help, exit codes, the results
 * files (formula escaping, round trip through the project's CSV reader), the JSON result, the
 * infeasible diagnosis by ids, the time limit, explain and generate.
 */
import { parse } from "csv-parse/sync";
import { readFile, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateCohort } from "../../src/generate/cohort.js";
import { cohortFilesIn, readCohortInputFromFiles, writeCohortFiles } from "../../src/node/files.js";
import { MATCHES_COLUMNS, UNMATCHED_COLUMNS } from "../../src/node/results.js";
import type { JsonResult } from "../../src/cli/commands/match.js";
import { readResultCsv, root, useCli, type Run } from "./helpers.js";

const example = join(root, "examples/data");
const { mf, path, cli } = useCli("cli");

describe("a reader that stops early", () => {
  it("a closed stdout ends the command quietly (exit 0, no EPIPE error)", async () => {
    const child = spawn(process.execPath, [cli(), "match", example, "--json", "-"], { cwd: root });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.destroy(); // the reader is gone before the first byte
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
  });
});

describe("help and usage", () => {
  it("--help lists the commands and exits 0; every command has --help with examples", async () => {
    const top = await mf("--help");
    expect(top.code).toBe(0);
    for (const cmd of ["validate", "match", "explain", "generate"])
      expect(top.stdout).toContain(cmd);
    for (const cmd of ["validate", "match", "explain", "generate"]) {
      const r = await mf(cmd, "--help");
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain("Examples:");
      expect(r.stdout, cmd).toContain(`$ mentorflow ${cmd}`);
    }
  });

  it("no command prints the help and exits 2; a wrong option is a usage error (2), no stack", async () => {
    const none = await mf();
    expect(none.code).toBe(2);
    expect(none.stdout + none.stderr).toContain("Usage: mentorflow");
    const bad = await mf("match", example, "--bogus");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--bogus'");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const limit = await mf("match", example, "--time-limit", "soon");
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain(
      'expected a number of seconds above 0, such as 30 or 0.5, got "soon"',
    );
  });

  it("--version prints the version", async () => {
    const r = await mf("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("test");
  });

  it("a folder or all three files: a missing one is named", async () => {
    const r = await mf("validate", "--mentees", join(example, "mentees.csv"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing: --mentors, --config");
    const files = await mf(
      "validate",
      "--mentees",
      join(example, "mentees.csv"),
      "--mentors",
      join(example, "mentors.csv"),
      "--config",
      join(example, "config.json"),
    );
    expect(files.code).toBe(0);
  });
});

describe("validate", () => {
  it("a valid cohort: exit 0 with its counts", async () => {
    const r = await mf("validate", example);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("valid — 40 mentees, 12 mentors, 12 skills, tiers peer / senior");
  });

  it("every problem at once with file, row and column, warnings shown; exit 2; --json as data", async () => {
    const dir = path("bad");
    const input = generateCohort({ mentees: 6, mentors: 3 });
    await writeCohortFiles(input, dir);
    const menteesCsv = await readFile(join(dir, "mentees.csv"), "utf8");
    const lines = menteesCsv.trimEnd().split("\n");
    const header = lines[0].split(",");
    const level = header.indexOf("level");
    const cells = lines[2].split(",");
    cells[level] = "L3";
    lines[2] = cells.join(",");
    // An unknown column is a warning, not an error.
    const withExtra = lines.map((l, k) => `${l},${k === 0 ? "Tenure (months)" : "12"}`);
    const row4 = withExtra[3].split(",");
    row4[header.indexOf("max_mentors")] = "-1";
    withExtra[3] = row4.join(",");
    await writeFile(join(dir, "mentees.csv"), withExtra.join("\n") + "\n");
    const r = await mf("validate", dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("2 problems to fix");
    expect(r.stdout).toMatch(/mentees\.csv row 3, column "level"/);
    expect(r.stdout).toMatch(/mentees\.csv row 4, column "max_mentors"/);
    expect(r.stderr).toContain('Unknown column "Tenure (months)"');
    const json = await mf("validate", dir, "--json");
    expect(json.code).toBe(2);
    const data = JSON.parse(json.stdout) as {
      ok: boolean;
      issues: { code: string }[];
      warnings: unknown[];
    };
    expect(data.ok).toBe(false);
    expect(data.issues).toHaveLength(2);
    expect(data.warnings.length).toBeGreaterThan(0);
  });

  it("a folder without the files names them and exits 2", async () => {
    const r = await mf("validate", path("nowhere"));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("mentees.csv");
    expect(r.stdout).toContain("config.json");
  });
});

describe("match", () => {
  let run: Run;
  let out: string;
  beforeAll(async () => {
    out = path("out");
    run = await mf(
      "match",
      example,
      "--out",
      join(out, "matches.csv"),
      "--unmatched",
      join(out, "unmatched.csv"),
      "--report",
      join(out, "report.html"),
      "--json",
      join(out, "result.json"),
    );
  });

  it("exits 0 with a short summary on stdout", () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("status: optimal — total fit 144.25");
    expect(run.stdout).toContain("matched 28 of 40 mentees (70.0%) in 28 pairs");
    expect(run.stdout).toContain("load by tier: peer 24/27, senior 4/6 (1 idle)");
    expect(run.stdout).toContain(
      "1 senior mentor with room (1 idle, 2 places spare) lacks training mentor-basics",
    );
    expect(run.stdout).toContain("department: data 5/8 (62.5%)");
    expect(run.stdout).toContain("certificate: verified independently");
    expect(run.stdout.split("\n").length).toBeLessThan(40);
  });

  it("the JSON result carries the summary, the result with its certificate, and the check", async () => {
    const json = JSON.parse(await readFile(join(out, "result.json"), "utf8")) as JsonResult;
    expect(json.status).toBe("optimal");
    expect(json.check?.ok).toBe(true);
    expect(json.summary.pairs).toHaveLength(28);
    expect(json.summary.pairs[0]).toMatchObject({ mentee: "e001", mentor: "m007", tier: "senior" });
    expect(json.summary.pairs[0].reasons[0]).toEqual({ part: "skill:leadership", value: 4 });
    expect(json.result.objective).toBeCloseTo(144.25, 9);
  });

  it("the matches and unmatched CSVs agree with the JSON and round-trip", async () => {
    const json = JSON.parse(await readFile(join(out, "result.json"), "utf8")) as JsonResult;
    const matches = readResultCsv(await readFile(join(out, "matches.csv"), "utf8"));
    expect(matches[0]).toEqual([...MATCHES_COLUMNS]);
    expect(matches.slice(1).map((r) => [r[0], r[1], r[2], Number(r[3]), r[5]])).toEqual(
      json.summary.pairs.map((p) => [
        p.mentee,
        p.mentor,
        p.tier,
        Number(p.fit.toFixed(4)),
        String(p.locked),
      ]),
    );
    expect(matches[1][4]).toBe("leadership +4.00; aspiration +0.40; crossDepartment +0.30");
    const unmatched = readResultCsv(await readFile(join(out, "unmatched.csv"), "utf8"));
    expect(unmatched[0]).toEqual([...UNMATCHED_COLUMNS]);
    expect(unmatched.slice(1).map((r) => r[0])).toEqual(
      json.summary.unmatched.map((u) => u.mentee),
    );
    expect(unmatched[1]).toEqual([
      "e003",
      "no_eligible_mentor",
      "no eligible mentor",
      "0",
      "level_gap ×10, min_fit ×1, same_reporting_line ×1",
      "ml",
    ]);
  });

  it("writes a report file", async () => {
    const html = await readFile(join(out, "report.html"), "utf8");
    expect(html.toLowerCase()).toContain("<!doctype html>");
  });

  it("--json - writes the JSON alone on stdout (the summary goes to stderr)", async () => {
    const r = await mf("match", example, "--json", "-");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonResult).status).toBe("optimal");
    expect(r.stderr).toContain("matched 28 of 40");
    const quiet = await mf("match", example, "--json", "-", "--quiet");
    expect(JSON.parse(quiet.stdout)).toBeTruthy();
    expect(quiet.stderr).toBe("");
  });

  it("ids that look like formulas are escaped in both CSVs and come back exactly", async () => {
    const dir = path("formula");
    const hostile: Record<string, string> = {
      e001: '=HYPERLINK("http://x","y")',
      e002: "+e002",
      e003: "-e003",
      e004: "@e004",
      m001: "=m001",
    };
    let text = JSON.stringify(generateCohort({ mentees: 12, mentors: 4, seed: 5 }));
    for (const [id, bad] of Object.entries(hostile))
      text = text.replaceAll(`"${id}"`, JSON.stringify(bad));
    await writeCohortFiles(JSON.parse(text), dir);
    const r = await mf(
      "match",
      dir,
      "--out",
      join(dir, "m.csv"),
      "--unmatched",
      join(dir, "u.csv"),
      "--json",
      join(dir, "r.json"),
    );
    expect(r.code).toBe(0);
    const raw =
      (await readFile(join(dir, "m.csv"), "utf8")) + (await readFile(join(dir, "u.csv"), "utf8"));
    // No cell starts with a formula character unescaped.
    for (const row of parse(raw.replaceAll("\uFEFF", ""), {
      relax_column_count: true,
    }) as string[][])
      for (const cell of row) expect(cell, cell).not.toMatch(/^[=+@\t\r]|^-(?!\d)/);
    const json = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as JsonResult;
    const back = readResultCsv(await readFile(join(dir, "m.csv"), "utf8")).slice(1);
    const backUnmatched = readResultCsv(await readFile(join(dir, "u.csv"), "utf8")).slice(1);
    expect(back.map((row) => [row[0], row[1]])).toEqual(
      json.summary.pairs.map((p) => [p.mentee, p.mentor]),
    );
    expect(backUnmatched.map((row) => row[0])).toEqual(json.summary.unmatched.map((u) => u.mentee));
    const ids = new Set([
      ...back.flatMap((row) => [row[0], row[1]]),
      ...backUnmatched.map((row) => row[0]),
    ]);
    expect(
      [...ids].filter((id) => Object.values(hostile).includes(id)).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it("an infeasible cohort exits 3 naming every mentor to blame and the rule that blocks them", async () => {
    const dir = path("infeasible");
    const raw = (await readCohortInputFromFiles(cohortFilesIn(example))).input;
    const mentors = raw.mentors.map((m) =>
      m.tier === "senior" ? { ...m, minLoad: m.capacity } : m,
    );
    await writeCohortFiles({ ...raw, mentors }, dir);
    const r = await mf("match", dir, "--json", join(dir, "r.json"));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("No matching can keep every rule");
    expect(r.stdout).toContain(
      "Mentor m004 needs at least 2 mentees, but only 0 are eligible; mostly ruled out by: missing training (mentor-basics)",
    );
    const json = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as JsonResult;
    expect(json.status).toBe("infeasible");
    expect(json.summary.shortfalls).toEqual([
      {
        side: "mentor",
        id: "m004",
        needed: 2,
        eligible: 0,
        rule: "training",
        detail: "mentor-basics",
      },
    ]);
  });

  it("a time limit exits 4 and still writes the best answer with its bound", async () => {
    const dir = path("big");
    await writeCohortFiles(generateCohort({ mentees: 3000, mentors: 600, seed: 2 }), dir);
    const r = await mf(
      "match",
      dir,
      "--time-limit",
      "0.000001",
      "--out",
      join(dir, "m.csv"),
      "--json",
      join(dir, "r.json"),
    );
    expect(r.code).toBe(4);
    expect(r.stdout).toContain("status: stopped early — total fit");
    expect(r.stdout).toContain("The time limit ended the solve.");
    const json = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as JsonResult;
    expect(json.status).toBe("time_limit");
    const rows = readResultCsv(await readFile(join(dir, "m.csv"), "utf8"));
    expect(rows.length - 1).toBe(json.summary.pairs.length);
  });

  it("invalid input exits 2 and, with --json -, gives the issues as data", async () => {
    const dir = path("bad-json");
    await writeCohortFiles(generateCohort({ mentees: 4, mentors: 2 }), dir);
    await writeFile(join(dir, "config.json"), "{ not json");
    const r = await mf("match", dir, "--json", "-");
    expect(r.code).toBe(2);
    const data = JSON.parse(r.stdout) as { status: string; issues: { message: string }[] };
    expect(data.status).toBe("invalid");
    expect(data.issues.length).toBeGreaterThan(0);
    expect(r.stderr).toContain("nothing was matched");
  });

  it("--quiet prints nothing for a good run", async () => {
    const r = await mf("match", example, "--quiet", "--out", path("q.csv"));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
  });
});

describe("explain", () => {
  it("why this mentor: the fit taken apart", async () => {
    const r = await mf("explain", example, "--mentee", "e001");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("e001 is matched with m007 (senior), fit 4.87:");
    expect(r.stdout).toMatch(/leadership\s+\+4\.00 {2}\(gap/);
  });

  it("why not that one: the failing rule, or the mentor's load and whom they would displace", async () => {
    const ineligible = await mf("explain", example, "--mentee", "e002", "--mentor", "m005");
    expect(ineligible.code).toBe(0);
    expect(ineligible.stdout).toContain(
      "e002 with m005 (peer): not eligible — level gap (level_gap): m005 is level 4 and e002 level 2; the peer tier allows a gap of 0 to 1.",
    );
    expect(ineligible.stdout).toContain("The pair would fit 3.02:");
    const floor = await mf("explain", example, "--mentee", "e003", "--mentor", "m001");
    expect(floor.stdout).toContain("the program's minFit rule allows pairs fitting at least 1.5.");
    const untrained = await mf("explain", example, "--mentee", "e001", "--mentor", "m004");
    expect(untrained.stdout).toContain("m004 is missing mentor-basics");
    // e006's only eligible mentor, m011, is full with a pair that fits better.
    const full = await mf("explain", example, "--mentee", "e006", "--mentor", "m011");
    expect(full.code).toBe(0);
    expect(full.stdout).toContain("e006 is not matched: eligible mentors all full");
    expect(full.stdout).toContain("e006 with m011 (senior): eligible, fit 3.83, but not chosen.");
    expect(full.stdout).toContain("m011 is full (1/1) with e037 (10.30).");
    expect(full.stdout).toContain("the lowest, e037 at 10.30, fits at least as well as this pair");
  });

  it("an unknown id exits 2", async () => {
    const r = await mf("explain", example, "--mentee", "nobody");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no mentee "nobody"');
  });
});

describe("generate", () => {
  it("writes a cohort that validates", async () => {
    const dir = path("gen");
    const r = await mf(
      "generate",
      "--out",
      dir,
      "--mentees",
      "30",
      "--mentors",
      "8",
      "--seed",
      "4",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("30 mentees, 8 mentors");
    expect((await mf("validate", dir)).code).toBe(0);
  });
});
