/**
 * The CLI on CSVs as spreadsheets save them, end to end as a spawned process: each case the
 * analysts reported is either read to the same answer as the clean file or refused with a message
 * that names the file, the row and the fix — and warnings reach the terminal.
 */
import { parse } from "csv-parse/sync";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonResult } from "../../src/cli/commands/match.js";
import { buildCli, root, spawnCli, type Run } from "./helpers.js";

let cli: string;
let cleanup: () => Promise<void>;
let work: string;
let clean: JsonResult;
const example = join(root, "examples/data");
const mf = (...args: string[]): Promise<Run> => spawnCli(cli, args);

beforeAll(async () => {
  ({ cli, cleanup } = await buildCli());
  await mkdir(join(root, ".cache"), { recursive: true });
  work = await mkdtemp(join(root, ".cache", "cli-sheets-"));
  clean = JSON.parse((await mf("match", example, "--json", "-", "--quiet")).stdout) as JsonResult;
}, 120_000);

afterAll(async () => {
  await cleanup?.();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A copy of the example cohort with `mentees.csv` (or `mentors.csv`) replaced by `bytes`. */
async function cohortWith(
  name: string,
  file: "mentees.csv" | "mentors.csv",
  bytes: Buffer | string,
) {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  for (const f of ["mentees.csv", "mentors.csv", "config.json"])
    await copyFile(join(example, f), join(dir, f));
  await writeFile(join(dir, file), bytes);
  return dir;
}

const rowsOf = async (file: string) =>
  parse(await readFile(join(example, file), "utf8")) as string[][];

/** The rows as a European Excel saves them: `;` between cells, decimal commas, lists quoted. */
function european(rows: string[][]): string {
  expect(
    rows.flat().some((c) => /^\d*\.\d+$/.test(c)),
    "the example has decimals",
  ).toBe(true);
  const cell = (c: string) =>
    /^-?\d*\.\d+$/.test(c) ? c.replace(".", ",") : c.includes(";") ? `"${c}"` : c;
  return rows.map((r) => r.map(cell).join(";")).join("\r\n") + "\r\n";
}

async function matchesClean(dir: string): Promise<Run> {
  const r = await mf("match", dir, "--json", "-", "--quiet");
  expect(r.code, r.stderr).toBe(0);
  const json = JSON.parse(r.stdout) as JsonResult;
  expect(json.result.objective).toBe(clean.result.objective);
  expect(json.summary.pairs).toEqual(clean.summary.pairs);
  return r;
}

describe("read to the same answer", () => {
  it("';' separators with decimal commas (a European Excel)", async () => {
    const dir = await cohortWith("euro", "mentees.csv", european(await rowsOf("mentees.csv")));
    await writeFile(join(dir, "mentors.csv"), european(await rowsOf("mentors.csv")));
    expect((await mf("validate", dir)).code).toBe(0);
    await matchesClean(dir);
  });

  it("tab separators", async () => {
    const rows = await rowsOf("mentees.csv");
    const dir = await cohortWith("tabs", "mentees.csv", rows.map((r) => r.join("\t")).join("\n"));
    await matchesClean(dir);
  });

  it("an Excel sep= first line", async () => {
    const text = await readFile(join(example, "mentees.csv"), "utf8");
    const dir = await cohortWith("sep", "mentees.csv", `sep=,\r\n${text}`);
    await matchesClean(dir);
  });

  it("UTF-16 LE with a byte order mark (Excel's Unicode Text)", async () => {
    const text = await readFile(join(example, "mentors.csv"), "utf8");
    const dir = await cohortWith("utf16", "mentors.csv", Buffer.from(`\uFEFF${text}`, "utf16le"));
    await matchesClean(dir);
  });
});

describe("refused or warned, with the row and the fix", () => {
  it("Windows-1252 / Latin-1 bytes: exit 2, the row and column, save as CSV UTF-8", async () => {
    const rows = (await readFile(join(example, "mentees.csv"), "utf8")).split("\n");
    rows[3] = rows[3].replace(/^(e003),([a-z]+)/, "$1,fïnance");
    const dir = await cohortWith("latin1", "mentees.csv", Buffer.from(rows.join("\n"), "latin1"));
    const r = await mf("validate", dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/mentees\.csv row 4, column "department"/);
    expect(r.stdout).toContain("save the file as CSV UTF-8");
    expect(r.stdout).toContain("Windows-1252");
    const m = await mf("match", dir);
    expect(m.code).toBe(2);
    expect(m.stdout).toBe("");
    expect(m.stderr).toContain("nothing was matched");
  });

  it("a header-only file: no data rows", async () => {
    const header = (await readFile(join(example, "mentors.csv"), "utf8")).split("\n")[0];
    const dir = await cohortWith("header-only", "mentors.csv", `${header}\n`);
    const r = await mf("validate", dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("mentors.csv row 1");
    expect(r.stdout).toContain("No data rows");
  });

  it("=HYPERLINK(…) as an id: accepted with a warning on stderr, escaped in the message", async () => {
    const text = await readFile(join(example, "mentees.csv"), "utf8");
    const dir = await cohortWith(
      "formula",
      "mentees.csv",
      text.replace("\ne040,", '\n"=HYPERLINK(""x"")",'),
    );
    const r = await mf("validate", dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("1 warning");
    expect(r.stderr).toContain("Looks like a spreadsheet formula");
    expect(r.stderr).not.toContain('"=HYPERLINK');
  });

  it('"L3" as a level says a whole number is expected, without a decimal-point hint', async () => {
    const text = await readFile(join(example, "mentees.csv"), "utf8");
    const dir = await cohortWith(
      "l3",
      "mentees.csv",
      text.replace(/\ne001,([^,]*),([^,]*),2,/, "\ne001,$1,$2,L3,"),
    );
    const r = await mf("validate", dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /mentees\.csv row 2, column "level": Expected a whole number, got "L3"/,
    );
    expect(r.stdout).not.toContain("decimal point");
  });

  it("an unknown column is a warning that is shown, and matching goes on", async () => {
    const rows = await rowsOf("mentees.csv");
    const text = rows
      .map((r, k) => [...r, k === 0 ? "Tenure (months)" : "12"].join(","))
      .join("\n");
    const dir = await cohortWith(
      "extra",
      "mentees.csv",
      text.replaceAll(/"?([^,"]*;[^,"]*)"?/g, '"$1"'),
    );
    const r = await mf("match", dir, "--quiet", "--out", join(dir, "m.csv"));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Unknown column "Tenure (months)"');
  });

  it("an id that differs only in case: did you mean …?", async () => {
    const text = await readFile(join(example, "mentors.csv"), "utf8");
    const header = text.split("\n")[0].split(",");
    const excluded = header.indexOf("excluded_mentees");
    const lines = text.split("\n");
    const cells = lines[1].split(",");
    cells[excluded] = "E005";
    lines[1] = cells.join(",");
    const dir = await cohortWith("case", "mentors.csv", lines.join("\n"));
    const r = await mf("validate", dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /mentors\.csv row 2, column "excluded_mentees": .*did you mean "e005"\?/,
    );
  });
});
