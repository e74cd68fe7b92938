/**
 * `mentorflow impact` end to end, as a spawned process: `generate --history` writes a cohort, its
 * match and 12 months of records; `impact` reads them (CSV, or the records as JSON) and writes
 * the report and the JSON, equal to the library's answer; bad records and bad usage exit 2
 * naming the file, row and column to fix.
 */
import { readFile, writeFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCohort, cohortFilesIn } from "../../src/node/files.js";
import { parseFollowUpCsv, readMatchesCsv } from "../../src/node/impact.js";
import { programImpact } from "../../src/impact/program.js";
import { useCli } from "./helpers.js";

const { mf, path } = useCli("impact");
let dir: string;
let start: string;

beforeAll(async () => {
  dir = path("demo");
  const g = await mf(
    "generate",
    "--out",
    dir,
    "--mentees",
    "120",
    "--mentors",
    "30",
    "--history",
    "12",
  );
  expect(g.code).toBe(0);
  start = /--start (\d{4}-\d{2}-\d{2})/.exec(g.stdout)![1];
}, 120_000);

const files = () => [
  "--matches",
  `${dir}/matches.csv`,
  "--checkins",
  `${dir}/checkins.csv`,
  "--outcomes",
  `${dir}/outcomes.csv`,
  "--start",
  start,
];

describe("mentorflow impact", () => {
  it("writes the report and the JSON, the library's answer; prints the headline", async () => {
    const r = await mf(
      "impact",
      dir,
      ...files(),
      "--report",
      path("impact.html"),
      "--json",
      path("impact.json"),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/consenting mentees, followed from/);
    expect(r.stdout).toMatch(/weighted gap closed \d+\.\d%/);
    const html = await readFile(path("impact.html"), "utf8");
    expect(html).toContain('<section id="retention"');
    const json = JSON.parse(await readFile(path("impact.json"), "utf8"));
    const { cohort } = await loadCohort(cohortFilesIn(dir));
    const { match } = readMatchesCsv({ bytes: await readFile(`${dir}/matches.csv`) });
    const { followUp } = parseFollowUpCsv(cohort, match, {
      start,
      checkIns: { bytes: await readFile(`${dir}/checkins.csv`) },
      outcomes: { bytes: await readFile(`${dir}/outcomes.csv`) },
    });
    expect(json).toEqual(JSON.parse(JSON.stringify(programImpact(cohort, match, followUp))));
  });

  it("--records takes the records as one JSON file; --json - prints JSON alone", async () => {
    const csv = await mf("impact", dir, ...files(), "--json", "-", "-q");
    const checkIns = (await readFile(`${dir}/checkins.csv`, "utf8"))
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    const head = checkIns[0].split(",");
    const records = {
      start,
      checkIns: checkIns.slice(1).map((line) => {
        const c = line.split(",");
        const proficiency: Record<string, number> = {};
        head.forEach((h, k) => {
          if (h.startsWith("proficiency:") && c[k] !== "") proficiency[h.slice(12)] = Number(c[k]);
        });
        return {
          mentee: c[0],
          mentor: c[1],
          date: c[2],
          held: c[3] === "true",
          ...(Object.keys(proficiency).length ? { proficiency } : {}),
        };
      }),
      outcomes: (await readFile(`${dir}/outcomes.csv`, "utf8"))
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => {
          const [person, kind, date, goal] = line.split(",");
          return { person, kind, date, ...(goal ? { goal } : {}) };
        }),
    };
    await writeFile(path("records.json"), JSON.stringify(records));
    const json = await mf(
      "impact",
      dir,
      "--matches",
      `${dir}/matches.csv`,
      "--records",
      path("records.json"),
      "--json",
      "-",
      "-q",
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(csv.stdout));
  });

  it("bad records exit 2 with every problem at its file, row and column; nothing is written", async () => {
    const text = await readFile(`${dir}/checkins.csv`, "utf8");
    const lines = text.split("\n");
    lines[2] = lines[2].replace(/^[^,]+/, "ghost");
    lines[3] = lines[3].replace(/,(true|false),/, ",maybe,");
    await writeFile(path("bad.csv"), lines.join("\n"));
    const r = await mf(
      "impact",
      dir,
      ...files().map((a) => (a.endsWith("checkins.csv") ? path("bad.csv") : a)),
      "--report",
      path("never.html"),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 problems; nothing was measured/);
    expect(r.stderr).toMatch(/bad\.csv.*row 3.*mentee/);
    expect(r.stderr).toMatch(/bad\.csv.*row 4.*held/);
    await expect(readFile(path("never.html"))).rejects.toThrow();
  });

  it("usage: --checkins needs --start; records are needed; not both forms", async () => {
    const noStart = await mf(
      "impact",
      dir,
      "--matches",
      `${dir}/matches.csv`,
      "--checkins",
      `${dir}/checkins.csv`,
    );
    expect(noStart.code).toBe(2);
    expect(noStart.stderr).toMatch(/--start/);
    const none = await mf("impact", dir, "--matches", `${dir}/matches.csv`);
    expect(none.code).toBe(2);
    const both = await mf("impact", dir, ...files(), "--records", "x.json");
    expect(both.code).toBe(2);
    const ghost = await mf(
      "impact",
      dir,
      ...files().map((a) => (a.endsWith("matches.csv") ? path("nope.csv") : a)),
    );
    expect(ghost.code).toBe(2);
    expect(ghost.stderr).toMatch(/Could not read the match/);
  });
});
