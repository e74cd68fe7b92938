import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { parseCohortCsv, readCohortCsv } from "../../src/node/csv.js";
import { escapeFormula, unescapeFormula } from "../../src/node/csv-format.js";
import { writeCohortCsv, writeMenteesCsv, writeMentorsCsv } from "../../src/node/csv-write.js";
import type { CohortInput, MenteeInput, MentorInput } from "../../src/schema/input.js";
import { issuesOf, where } from "./helpers.js";

const mentee = (extra: Partial<MenteeInput> = {}): MenteeInput => ({
  id: "e1",
  department: "data",
  level: 1,
  tenureMonths: 3,
  current: {},
  targets: {},
  ...extra,
});

const mentor = (extra: Partial<MentorInput> = {}): MentorInput => ({
  id: "m1",
  department: "data",
  level: 3,
  tenureMonths: 30,
  tier: "peer",
  capacity: 2,
  expertise: {},
  ...extra,
});

function readBack(files: { mentees: string; mentors: string; config: string }): CohortInput {
  const read = readCohortCsv({
    mentees: { text: files.mentees },
    mentors: { text: files.mentors },
    config: JSON.parse(files.config),
  });
  expect(read.issues).toEqual([]);
  expect(read.warnings).toEqual([]);
  return read.input;
}

describe("escapeFormula(text)", () => {
  it("prefixes text that a spreadsheet would run as a formula", () => {
    for (const text of ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx"]) {
      expect(escapeFormula(text)).toBe(`'${text}`);
    }
    for (const text of ["a=1", "x-y", "", "'s-Hertogenbosch", "'"]) {
      expect(escapeFormula(text)).toBe(text);
    }
  });

  it("escapes a leading apostrophe that would read as an escape, so unescape inverts it", () => {
    for (const text of ["'=x", "''", "'-1", "=x", "plain", "'s", "'", "-", "'''"]) {
      expect(unescapeFormula(escapeFormula(text))).toBe(text);
    }
    expect(escapeFormula("'=x")).toBe("''=x");
  });
});

describe("writeMenteesCsv(mentees) / writeMentorsCsv(mentors)", () => {
  it("writes the fixed columns, skill pairs and group columns", () => {
    const text = writeMenteesCsv([
      mentee({ current: { sql: 1 }, targets: { sql: 3, python: 2 }, sensitive: { gender: "F" } }),
    ]);
    const [header, row] = text.trimEnd().split("\n");
    expect(header.split(",").slice(-5)).toEqual([
      "current:sql",
      "target:sql",
      "current:python",
      "target:python",
      "group:gender",
    ]);
    expect(row.split(",").slice(-5)).toEqual(["1", "3", "", "2", "F"]);
  });

  it("escapes formula-leading text cells but leaves numbers alone", () => {
    const text = writeMenteesCsv([
      mentee({
        department: "=cmd|' /C calc'!A0",
        languages: ["-en", "de"],
        utcOffset: -5,
        current: { sql: 1 },
        targets: { sql: 2 },
        sensitive: { gender: "@F" },
      }),
    ]);
    const row = text.trimEnd().split("\n")[1];
    expect(row).toContain(",'=cmd|' /C calc'!A0,");
    expect(row).toContain(",-5,'-en;de,");
    expect(row.endsWith(",'@F")).toBe(true);
  });

  it("quotes cells with commas, quotes and line breaks", () => {
    const text = writeMentorsCsv([
      mentor({ department: "R&D, Europe", sensitive: { note: 'the "A"\nteam' } }),
    ]);
    expect(text).toContain(',"R&D, Europe",');
    expect(text).toContain(',"the ""A""\nteam"\n');
  });

  it("writes training as id@date items", () => {
    const text = writeMentorsCsv([
      mentor({ training: [{ id: "coach", completedOn: "2024-01-15" }, { id: "ethics" }] }),
    ]);
    expect(text).toContain(",coach@2024-01-15;ethics,");
  });

  it("refuses values the format cannot hold, naming their paths", () => {
    const issues = issuesOf(() =>
      writeMenteesCsv([
        mentee(),
        mentee({ id: "e2", languages: ["en;de"], sensitive: { gender: " F" } }),
      ]),
    );
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["not_writable", "mentees.1.languages.0"],
      ["not_writable", "mentees.1.sensitive.gender"],
    ]);
    const training = issuesOf(() => writeMentorsCsv([mentor({ training: [{ id: "a@b" }] })]));
    expect(training.map(where)).toEqual(["mentors.0.training.0.id"]);
  });

  it("uses CRLF when asked and reads it back the same", () => {
    const input = generateCohort({ mentees: 15, mentors: 5, seed: 11 });
    const files = writeCohortCsv(input, { newline: "\r\n" });
    expect(files.mentees.split("\r\n")).toHaveLength(17);
    expect(readBack(files)).toEqual(input);
  });
});

describe("CSV round trip", () => {
  it("generate → write → read gives the same input (several seeds and sizes)", () => {
    const cases = [
      { mentees: 40, mentors: 12, seed: 7 },
      { mentees: 200, mentors: 30, seed: 1 },
      { mentees: 60, mentors: 9, seed: 99, skills: 15, departments: 9 },
      { mentees: 5, mentors: 1, seed: 3, skills: ["a", "b", "c"] },
    ];
    for (const options of cases) {
      const input = generateCohort(options);
      expect(readBack(writeCohortCsv(input))).toEqual(input);
    }
  });

  it("parseCohortCsv(writeCohortCsv(x)) indexes the same cohort as parseCohort(x)", () => {
    const input = generateCohort({ mentees: 120, mentors: 20, seed: 5 });
    const files = writeCohortCsv(input);
    const { cohort, warnings } = parseCohortCsv({
      mentees: { text: files.mentees },
      mentors: { text: files.mentors },
      config: JSON.parse(files.config),
    });
    expect(warnings).toEqual([]);
    expect(cohort).toEqual(parseCohort(input));
  });

  it("round-trips awkward but valid text", () => {
    const input = generateCohort({ mentees: 3, mentors: 2, seed: 2 });
    input.mentees[0].department = '=HYPERLINK("http://x")';
    input.mentees[1].department = "'=already escaped";
    input.mentees[2].sensitive = { gender: 'F, "quoted"\nnext line', region: "-emea" };
    input.mentors[0].careerPaths = ["+lead", "@ic"];
    expect(readBack(writeCohortCsv(input))).toEqual(input);
  });
});
