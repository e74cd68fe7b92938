/**
 * `mentorflow stable` end to end, as a spawned process: the summary and blocking-pair count for
 * the example ranks file, both sides, `--json -`, every problem of an invalid file (exit 2), the
 * usage errors, and `--compare` on the example cohort.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StableJson } from "../../src/cli/commands/stable.js";
import type { StableComparison } from "../../src/lifecycle/stable-compare.js";
import { root, useCli } from "./helpers.js";

const ranks = join(root, "examples/data/ranks.json");
const { mf, path } = useCli("stable");

describe("mentorflow stable", () => {
  it("--help has the format and examples", async () => {
    const r = await mf("stable", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Examples:");
    expect(r.stdout).toContain("$ mentorflow stable examples/data/ranks.json");
    expect((await mf("--help")).stdout).toContain("stable");
  });

  it("the example ranks: mentee-optimal by default, the summary and 0 blocking pairs, exit 0", async () => {
    const r = await mf("stable", ranks);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("7 mentees, 3 mentors, 15 mutually acceptable pairs");
    expect(r.stdout).toContain("mentee-optimal stable matching");
    expect(r.stdout).toContain("matched 5 of 7 mentees (71.4%) in 5 pairs");
    expect(r.stdout).toContain("  ana → raj: 1 / 3");
    expect(r.stdout).toContain("  fay → zoe: 1 / 3");
    expect(r.stdout).toContain("unmatched: dev, gus");
    expect(r.stdout).toContain("blocking pairs: 0 — stable");
  });

  it("--side mentors --json -: the mentor-optimal matching as JSON on stdout, the summary on stderr", async () => {
    const r = await mf("stable", ranks, "--side", "mentors", "--json", "-");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as StableJson;
    expect(json.status).toBe("ok");
    expect(json.result.side).toBe("mentors");
    expect(json.result.pairs.map((p) => `${p.mentee}-${p.mentor}`)).toEqual([
      "ana-zoe",
      "ben-mia",
      "cy-mia",
      "eli-zoe",
      "fay-raj",
    ]);
    expect(json.check).toEqual({ ok: true, blockingPairs: [], problems: [] });
    expect(r.stderr).toContain("mentor-optimal stable matching");
  });

  it("an invalid ranks file: every problem at once, exit 2 (and as data with --json -)", async () => {
    const bad = path("bad.json");
    await writeFile(
      bad,
      JSON.stringify({
        menteeRanks: { a: ["X", "y"], b: ["x", "x"] },
        mentorRanks: { x: ["a"] },
        capacities: { x: -2 },
      }),
    );
    const r = await mf("stable", bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("has 4 problems; nothing was matched");
    expect(r.stderr).toContain('menteeRanks.a[0]: Unknown mentor "X"; did you mean "x"?');
    expect(r.stderr).toContain("menteeRanks.b[1]");
    expect(r.stderr).toContain("capacities.x");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const j = await mf("stable", bad, "--json", "-");
    expect(j.code).toBe(2);
    expect((JSON.parse(j.stdout) as { issues: unknown[] }).issues).toHaveLength(4);
  });

  it("usage errors exit 2: no file, a missing file, bad JSON, a bad side, a file and --compare", async () => {
    const none = await mf("stable");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Give either a ranks file");
    const missing = await mf("stable", path("nowhere.json"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Could not read");
    const text = path("text.json");
    await writeFile(text, "{ not json");
    const notJson = await mf("stable", text);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("is not valid JSON");
    const side = await mf("stable", ranks, "--side", "both");
    expect(side.code).toBe(2);
    expect(side.stderr).toContain('--side is mentees or mentors, got "both"');
    const both = await mf("stable", ranks, "--compare", join(root, "examples/data"));
    expect(both.code).toBe(2);
  });

  it("--compare: the stable matching beside match's on the example cohort", async () => {
    const r = await mf("stable", "--compare", join(root, "examples/data"));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("40 mentees, 12 mentors; ranks from fit (123 acceptable pairs");
    expect(r.stdout).toMatch(/blocking pairs\s+0\s+20/);
    expect(r.stdout).toMatch(/total fit\s+139\.97\s+144\.25/);
    expect(r.stdout).toMatch(/matched mentees\s+22 of 40 \(55\.0%\)\s+28 of 40 \(70\.0%\)/);
    expect(r.stdout).toContain("e002–m006 (e002 ranks m006 4; m006 ranks e002 8)");
    const out = path("compare.json");
    const j = await mf("stable", "--compare", join(root, "examples/data"), "--json", out);
    expect(j.code).toBe(0);
    const json = JSON.parse(await readFile(out, "utf8")) as StableComparison;
    expect(json.stable.blockingPairs).toBe(0);
    expect(json.fitMax.blockingPairs).toBe(20);
  });
});
