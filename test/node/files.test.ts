import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCohort } from "../../src/generate/cohort.js";
import { writeCohortCsv } from "../../src/node/csv-write.js";
import {
  cohortFilesIn,
  loadCohort,
  parseConfigJson,
  readCohortInputFromFiles,
  writeCohortFiles,
} from "../../src/node/files.js";
import { InputError } from "../../src/schema/errors.js";
import { ineligibleReason } from "../../src/score/eligibility.js";
import { CONFIG, MENTEE_ROWS, menteesCsv, mentorsCsv, where } from "./helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mentorflow-files-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("loadCohort(files)", () => {
  it("reads mentees.csv, mentors.csv and config.json (with a BOM) from disk", async () => {
    const sub = join(dir, "ok");
    await mkdir(sub);
    const files = cohortFilesIn(sub);
    await writeFile(files.mentees, menteesCsv());
    await writeFile(files.mentors, mentorsCsv());
    await writeFile(files.config, `\uFEFF${JSON.stringify(CONFIG)}`);
    const { cohort, warnings } = await loadCohort(files);
    expect(warnings).toEqual([]);
    expect(cohort.index.menteeIds).toEqual(["e1", "e2", "e3"]);
  });

  it("names the file path in CSV issues", async () => {
    const files = await writeCohortFiles(
      generateCohort({ mentees: 4, mentors: 2 }),
      join(dir, "bad"),
    );
    const text = await readFile(files.mentors, "utf8");
    await writeFile(files.mentors, text.replace(",senior,", ",sage,"));
    const error = await rejection(loadCohort(files));
    expect(error.issues.map(where)).toEqual([`${files.mentors}:2:tier`]);
  });

  it("reports every unreadable file at once", async () => {
    const files = {
      mentees: join(dir, "missing-mentees.csv"),
      mentors: dir,
      config: join(dir, "missing.json"),
    };
    const error = await rejection(loadCohort(files));
    expect(error.issues.map((i) => [i.code, where(i)])).toEqual([
      ["unreadable_file", "mentees"],
      ["unreadable_file", "mentors"],
      ["unreadable_file", "config"],
    ]);
    expect(error.issues[0].message).toContain("no such file");
    expect(error.issues[1].message).toContain("it is a folder");
  });

  it("reports invalid config JSON with its line", async () => {
    const files = await writeCohortFiles(
      generateCohort({ mentees: 4, mentors: 2 }),
      join(dir, "json"),
    );
    await writeFile(files.config, '{\n  "skills": [],\n  "strategy": {,\n}');
    const error = await rejection(loadCohort(files));
    expect(error.issues.map((i) => [i.code, where(i)])).toEqual([
      ["invalid_json", `${files.config}:3`],
    ]);
  });

  it("readCohortInputFromFiles returns the raw input and CSV issues without validating", async () => {
    const files = cohortFilesIn(join(dir, "ok"));
    const read = await readCohortInputFromFiles(files);
    expect(read.issues).toEqual([]);
    expect(read.input.mentees.map((m) => m.id)).toEqual(MENTEE_ROWS.map((r) => r[0]));
  });
});

describe("wrong arguments are an InputError, never a raw TypeError", () => {
  it("loadCohort(undefined | null | 42 | [] ) throws InputError saying it expects { mentees, mentors, config }", async () => {
    for (const files of [undefined, null, 42, []]) {
      const error = await rejection(loadCohort(files as never));
      expect(error.issues.map((i) => [i.code, where(i)])).toEqual([["invalid_argument", ""]]);
      expect(error.message).toContain(
        "Invalid argument: loadCohort expects { mentees, mentors, config }: the paths of mentees.csv, mentors.csv and the config JSON",
      );
    }
  });

  it("loadCohort(folder) points to cohortFilesIn(dir)", async () => {
    const error = await rejection(loadCohort(dir as never));
    expect(error.issues[0].message).toMatch(
      /received string; for a folder pass cohortFilesIn\(dir\)$/,
    );
  });

  it("loadCohort reports each missing or non-string file path at its key", async () => {
    const error = await rejection(
      loadCohort({ mentees: "m.csv", mentors: 3, config: "" } as never),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "Invalid cohort files: 2 issues
      mentors: Invalid argument: loadCohort expects files.mentors to be the path of the mentors CSV (a non-empty string), received number
      config: Invalid argument: loadCohort expects files.config to be the path of the config JSON (a non-empty string), received an empty string"
    `);
    const missing = await rejection(loadCohort({} as never));
    expect(missing.issues.map((i) => [i.code, where(i)])).toEqual([
      ["invalid_argument", "mentees"],
      ["invalid_argument", "mentors"],
      ["invalid_argument", "config"],
    ]);
  });

  it("readCohortInputFromFiles checks its argument the same way", async () => {
    const error = await rejection(readCohortInputFromFiles(undefined as never));
    expect(error.issues[0].message).toContain(
      "readCohortInputFromFiles expects { mentees, mentors, config }",
    );
  });

  it("cohortFilesIn, writeCohortFiles and parseConfigJson reject a non-string with InputError", async () => {
    expect(() => cohortFilesIn(undefined as never)).toThrow(InputError);
    expect(() => cohortFilesIn(undefined as never)).toThrow(
      "Invalid argument: cohortFilesIn expects the path of a folder (a non-empty string), received undefined",
    );
    expect(() => parseConfigJson(undefined as never)).toThrow(
      "Invalid argument: parseConfigJson expects the text of a JSON file (a string), received undefined",
    );
    const error = await rejection(
      writeCohortFiles(generateCohort({ mentees: 2, mentors: 1 }), 7 as never),
    );
    expect(error.issues[0].message).toBe(
      "Invalid argument: writeCohortFiles expects the path of a folder as its second argument (a non-empty string), received number",
    );
  });
});

describe("parseConfigJson(text, file)", () => {
  it("parses JSON and strips a BOM", () => {
    expect(parseConfigJson('\uFEFF{"a":1}')).toEqual({ a: 1 });
  });

  it("throws InputError naming the file and line", () => {
    try {
      parseConfigJson('{\n"a": 1\n"b": 2}', "program.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect(where((error as InputError).issues[0])).toBe("program.json:3");
    }
  });
});

describe("examples/data (the bundled example cohort)", () => {
  const example = cohortFilesIn(fileURLToPath(new URL("../../examples/data", import.meta.url)));

  it("is what `generate-cohort --mentees 40 --mentors 12 --seed 7 --min-fit 1.5 --group-cap 2 --mean-fit-gap 1.5` writes", async () => {
    const expected = writeCohortCsv(
      generateCohort({
        mentees: 40,
        mentors: 12,
        seed: 7,
        minFit: 1.5,
        groupCap: 2,
        meanFitGap: 1.5,
      }),
    );
    expect(await readFile(example.mentees, "utf8")).toBe(expected.mentees);
    expect(await readFile(example.mentors, "utf8")).toBe(expected.mentors);
    expect(await readFile(example.config, "utf8")).toBe(expected.config);
  });

  it("loads cleanly and is interesting: both tiers, ineligible pairs, uneven groups", async () => {
    const { cohort, warnings } = await loadCohort(example);
    expect(warnings).toEqual([]);
    const { view, index, sensitive } = cohort;
    expect(index.menteeIds).toHaveLength(40);
    expect(index.mentorIds).toHaveLength(12);
    expect(new Set(view.mentors.tier).size).toBe(2);

    const reasons = new Map<string, number>();
    for (let i = 0; i < view.mentees.count; i++) {
      for (let j = 0; j < view.mentors.count; j++) {
        const r = ineligibleReason(view, i, j) ?? "eligible";
        reasons.set(r, (reasons.get(r) ?? 0) + 1);
      }
    }
    for (const r of ["eligible", "level_gap", "training", "timezone", "same_reporting_line"]) {
      expect(reasons.get(r) ?? 0, r).toBeGreaterThan(0);
    }

    expect(sensitive.attributes).toEqual(["gender", "region"]);
    const gender = sensitive.mentees[0];
    const sizes = gender.groups.map((_, g) => gender.code.filter((c) => c === g).length);
    expect(new Set(sizes).size).toBe(sizes.length); // all group sizes differ
  });
});
