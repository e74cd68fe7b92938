import { describe, expect, it } from "vitest";
import {
  parseCohortCsv,
  readCohortCsv,
  safeParseCohortCsv,
  type CohortCsvSources,
} from "../../src/node/csv.js";
import { formatIssues } from "../../src/schema/errors.js";
import {
  CONFIG,
  MENTEE_HEADER,
  MENTEE_ROWS,
  MENTOR_HEADER,
  MENTOR_ROWS,
  csv,
  issuesOf,
  menteesCsv,
  mentorsCsv,
  textSources,
  where,
} from "./helpers.js";

const sources = (mentees?: string, mentors?: string, config?: unknown): CohortCsvSources =>
  textSources(mentees, mentors, config);

function menteeRecord(mentees: string, k = 0) {
  const read = readCohortCsv(sources(mentees));
  expect(read.issues).toEqual([]);
  return read.input.mentees[k];
}

describe("parseCohortCsv(sources)", () => {
  it("reads valid files into an indexed cohort, with no warnings", () => {
    const { cohort, warnings } = parseCohortCsv(sources());
    expect(warnings).toEqual([]);
    expect(cohort.index.menteeIds).toEqual(["e1", "e2", "e3"]);
    expect(cohort.index.mentorIds).toEqual(["m1", "m2"]);
    expect(cohort.sensitive.attributes).toEqual(["gender"]);
  });

  it("maps each column to its field (lists, booleans, skills, groups, training)", () => {
    const read = readCohortCsv(sources());
    expect(read.input.mentees[0]).toEqual({
      id: "e1",
      department: "data",
      level: 1,
      tenureMonths: 12,
      languages: ["en", "de"],
      highPotential: true,
      current: { sql: 1 },
      targets: { sql: 3 },
      sensitive: { gender: "F" },
    });
    expect(read.input.mentors[0].training).toEqual([
      { id: "coach", completedOn: "2024-01-15" },
      { id: "ethics" },
    ]);
    expect(read.input.mentors[1].expertise).toEqual({ sql: 3 });
  });

  it("treats an empty cell as not stated", () => {
    expect(menteeRecord(menteesCsv(), 2)).toEqual({
      id: "e3",
      department: "data",
      level: 1,
      tenureMonths: 6,
      highPotential: false,
      current: {},
      targets: { sql: 2.5 },
    });
    const { cohort } = parseCohortCsv(sources());
    expect(Number.isNaN(cohort.view.mentees.hoursPerMonth[0])).toBe(true);
  });

  it("reads every fixed mentee and mentor column", () => {
    const mentees = csv([
      [
        "id",
        "department",
        "unit",
        "level",
        "tenure_months",
        "hours_per_month",
        "utc_offset",
        "languages",
        "manager_chain",
        "tiers",
        "aspirations",
        "preferred_mentors",
        "excluded_mentors",
        "past_mentors",
        "high_potential",
        "rounds_unmatched",
        "min_mentors",
        "max_mentors",
        "consent_analytics",
        "current:sql",
        "target:sql",
        "group:gender",
      ],
      [
        "e1",
        "data",
        "analytics",
        "2",
        "14",
        "4",
        "-5.5",
        "en",
        "boss;ceo",
        "peer",
        "lead",
        "m2",
        "m1",
        "m1",
        "FALSE",
        "1",
        "0",
        "2",
        "No",
        "1",
        "2",
        "X",
      ],
    ]);
    const mentors = csv([
      [
        "id",
        "department",
        "unit",
        "level",
        "tenure_months",
        "tier",
        "capacity",
        "min_load",
        "hours_per_month",
        "utc_offset",
        "languages",
        "manager_chain",
        "training",
        "career_paths",
        "excluded_mentees",
        "skill:sql",
        "group:gender",
      ],
      [
        "m1",
        "data",
        "",
        "4",
        "60",
        "senior",
        "2",
        "1",
        "",
        "1",
        "en",
        "ceo",
        "coach",
        "lead",
        "",
        "5",
        "F",
      ],
      ["m2", "data", "", "3", "30", "peer", "1", "", "3", "", "", "", "", "", "e1", "4", ""],
    ]);
    const read = readCohortCsv(sources(mentees, mentors));
    expect(read.issues).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.input.mentees[0]).toEqual({
      id: "e1",
      department: "data",
      unit: "analytics",
      level: 2,
      tenureMonths: 14,
      hoursPerMonth: 4,
      utcOffset: -5.5,
      languages: ["en"],
      managerChain: ["boss", "ceo"],
      tiers: ["peer"],
      aspirations: ["lead"],
      preferredMentors: ["m2"],
      excludedMentors: ["m1"],
      pastMentors: ["m1"],
      highPotential: false,
      roundsUnmatched: 1,
      minMentors: 0,
      maxMentors: 2,
      consent: { analytics: false },
      current: { sql: 1 },
      targets: { sql: 2 },
      sensitive: { gender: "X" },
    });
    expect(read.input.mentors[0]).toEqual({
      id: "m1",
      department: "data",
      level: 4,
      tenureMonths: 60,
      tier: "senior",
      capacity: 2,
      minLoad: 1,
      utcOffset: 1,
      languages: ["en"],
      managerChain: ["ceo"],
      training: [{ id: "coach" }],
      careerPaths: ["lead"],
      expertise: { sql: 5 },
      sensitive: { gender: "F" },
    });
    expect(read.input.mentors[1]).toMatchObject({ hoursPerMonth: 3, excludedMentees: ["e1"] });
    expect(() => parseCohortCsv(sources(mentees, mentors))).not.toThrow();
  });

  it("accepts true/false, yes/no and 1/0 in any case for booleans", () => {
    const values = ["true", "FALSE", "Yes", "no", "1", "0"];
    const rows = values.map((v, k) => [`e${k}`, "data", "1", "1", "", v, "", "", ""]);
    const read = readCohortCsv(sources(menteesCsv(rows)));
    expect(read.issues).toEqual([]);
    expect(read.input.mentees.map((m) => m.highPotential)).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it("strips a UTF-8 byte order mark", () => {
    const { cohort, warnings } = parseCohortCsv(sources(`\uFEFF${menteesCsv()}`));
    expect(warnings).toEqual([]);
    expect(cohort.index.menteeIds).toEqual(["e1", "e2", "e3"]);
  });

  it("reads CRLF, LF and CR line endings, even mixed in one file", () => {
    const lines = menteesCsv().trimEnd().split("\n");
    const crlf = lines.join("\r\n") + "\r\n";
    const mixed = `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r${lines[3]}`;
    for (const text of [crlf, mixed]) {
      const read = readCohortCsv(sources(text));
      expect(read.issues).toEqual([]);
      expect(read.input.mentees).toEqual(readCohortCsv(sources()).input.mentees);
    }
  });

  it("reads quoted fields holding commas, quotes and line breaks", () => {
    const rows = [
      ["e1", "R&D, Europe", "1", "12", "en; de", "", "1", "3", 'The "A" team'],
      ["e2", "ops", "2", "30", "en", "", "2", "4", "two\r\nlines"],
    ];
    const read = readCohortCsv(sources(menteesCsv(rows)));
    expect(read.issues).toEqual([]);
    expect(read.input.mentees[0].department).toBe("R&D, Europe");
    expect(read.input.mentees[0].languages).toEqual(["en", "de"]);
    expect(read.input.mentees[0].sensitive).toEqual({ gender: 'The "A" team' });
    expect(read.input.mentees[1].sensitive).toEqual({ gender: "two\r\nlines" });
  });

  it("ignores blank trailing lines and blank lines between rows", () => {
    const text = `${MENTEE_HEADER.join(",")}\n${MENTEE_ROWS[0].join(",")}\n\n,,,\n${MENTEE_ROWS[1].join(",")}\n\n\r\n  \n`;
    const read = readCohortCsv(sources(text));
    expect(read.issues).toEqual([]);
    expect(read.input.mentees.map((m) => m.id)).toEqual(["e1", "e2"]);
    // Blank lines still count as rows, as a spreadsheet shows them.
    expect(read.origin.mentees.rows).toEqual([2, 5]);
  });

  it("trims cells and matches headers regardless of case and surrounding spaces", () => {
    // Prefixes and fixed names ignore case; names after a prefix (skill ids) keep it.
    const header = MENTEE_HEADER.map((h) => {
      const colon = h.indexOf(":");
      return ` ${h.slice(0, colon + 1).toUpperCase()}${colon < 0 ? h.toUpperCase() : h.slice(colon + 1)} `;
    });
    const rows = [[" e1 ", " data", "1 ", "12", " en ; de ", "yes", "1", "3", " F "]];
    const read = readCohortCsv(sources(menteesCsv(rows, header)));
    expect(read.issues).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.input.mentees[0]).toMatchObject({
      id: "e1",
      languages: ["en", "de"],
      current: { sql: 1 },
      sensitive: { gender: "F" },
    });
  });

  it("reads formula-escaped cells back without the leading apostrophe", () => {
    const rows = [["e1", "'=HYPERLINK()", "1", "12", "'-x;y", "", "'-1", "3", "''+"]];
    const read = readCohortCsv(sources(menteesCsv(rows)));
    expect(read.issues).toEqual([]);
    expect(read.input.mentees[0]).toMatchObject({
      department: "=HYPERLINK()",
      languages: ["-x", "y"],
      current: { sql: -1 },
      sensitive: { gender: "'+" },
    });
  });

  it("keeps a leading apostrophe that is not an escape", () => {
    const rows = [["e1", "'s-Hertogenbosch", "1", "12", "", "", "", "", "'"]];
    const read = readCohortCsv(sources(menteesCsv(rows)));
    expect(read.input.mentees[0]).toMatchObject({
      department: "'s-Hertogenbosch",
      sensitive: { gender: "'" },
    });
  });
});

describe("parseCohortCsv columns", () => {
  it("warns about unknown extra columns and ignores them", () => {
    const header = [...MENTEE_HEADER, "notes", ""];
    const rows = MENTEE_ROWS.map((r) => [...r, "likes tea", ""]);
    const { cohort, warnings } = parseCohortCsv(sources(menteesCsv(rows, header)));
    expect(cohort.index.menteeIds).toHaveLength(3);
    expect(warnings.map((w) => [w.code, where(w)])).toEqual([
      ["unknown_column", "mentees.csv:1:notes"],
    ]);
    expect(warnings[0].message).toContain('Unknown column "notes" is ignored');
  });

  it("warns about data in a column without a header", () => {
    const header = [...MENTEE_HEADER, ""];
    const rows = MENTEE_ROWS.map((r, k) => [...r, k === 1 ? "stray" : ""]);
    const { warnings } = parseCohortCsv(sources(menteesCsv(rows, header)));
    expect(warnings.map((w) => [w.code, where(w)])).toEqual([["unnamed_column", "mentees.csv:1"]]);
    expect(warnings[0].message).toBe("Column 10 has no header; its values are ignored");
  });

  it("reports each missing required column once, not once per row", () => {
    const drop = new Set(["level", "tenure_months"]);
    const keep = MENTEE_HEADER.map((h) => !drop.has(h));
    const header = MENTEE_HEADER.filter((_, c) => keep[c]);
    const rows = MENTEE_ROWS.map((r) => r.filter((_, c) => keep[c]));
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows, header))));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["missing_column", "mentees.csv:1:level"],
      ["missing_column", "mentees.csv:1:tenure_months"],
    ]);
    expect(issues[0].message).toMatch(/^Missing required column "level"/);
  });

  it("reports missing mentor columns too", () => {
    const header = MENTOR_HEADER.filter((h) => h !== "capacity" && h !== "tier");
    const rows = MENTOR_ROWS.map((r) => r.filter((_, c) => c !== 4 && c !== 5));
    const issues = issuesOf(() => parseCohortCsv(sources(undefined, mentorsCsv(rows, header))));
    expect(issues.map(where)).toEqual(["mentors.csv:1:tier", "mentors.csv:1:capacity"]);
  });

  it("reports a duplicate header (also across case) and keeps the first", () => {
    const header = [...MENTEE_HEADER, "Level"];
    const rows = MENTEE_ROWS.map((r) => [...r, "9"]);
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows, header))));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["duplicate_column", "mentees.csv:1:Level"],
    ]);
    expect(issues[0].message).toBe('Column "Level" repeats column "level"; keep one of them');
  });

  it("reports a skill column for an undeclared skill once, at the header", () => {
    const header = [...MENTEE_HEADER, "target:rust"];
    const rows = MENTEE_ROWS.map((r) => [...r, "3"]);
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows, header))));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["unknown_skill", "mentees.csv:1:target:rust"],
    ]);
  });

  it("reports a prefix column without a name", () => {
    const header = [...MENTOR_HEADER, "skill:"];
    const rows = MENTOR_ROWS.map((r) => [...r, ""]);
    const issues = issuesOf(() => parseCohortCsv(sources(undefined, mentorsCsv(rows, header))));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["invalid_header", "mentors.csv:1:skill:"],
    ]);
  });

  it("reports an empty file", () => {
    for (const text of ["", "\n\n", "\uFEFF"]) {
      const issues = issuesOf(() => parseCohortCsv(sources(text)));
      expect(issues.map((i) => [i.code, where(i)])).toEqual([["empty_file", "mentees.csv:1"]]);
    }
  });
});

describe("parseCohortCsv cells and rows", () => {
  it("reports a bad number with file, row and column", () => {
    const rows = MENTEE_ROWS.map((r) => [...r]);
    rows[1][2] = "two";
    rows[2][7] = "2,5";
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows))));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["invalid_cell", "mentees.csv:3:level"],
      ["invalid_cell", "mentees.csv:4:target:sql"],
    ]);
    // A hint only where it applies: "two" is not a number with a decimal comma; "2,5" is.
    expect(issues[0].message).toBe('Expected a whole number, got "two"');
    expect(issues[1].message).toBe('Expected a number, got "2,5" (use "." as the decimal point)');
  });

  it("rejects number spellings that Number() would take", () => {
    for (const bad of ["0x10", "Infinity", "1_000", "1e", "--1", "NaN", "1 000"]) {
      const rows = MENTEE_ROWS.map((r) => [...r]);
      rows[0][3] = bad;
      const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows))));
      expect(issues.map(where)).toEqual(["mentees.csv:2:tenure_months"]);
    }
  });

  it("accepts signs, decimals and exponents", () => {
    const rows = MENTEE_ROWS.map((r) => [...r]);
    rows[0][3] = "+1.2e1";
    rows[0][6] = ".5";
    rows[0][7] = "3.";
    const m = menteeRecord(menteesCsv(rows));
    expect(m).toMatchObject({ tenureMonths: 12, current: { sql: 0.5 }, targets: { sql: 3 } });
  });

  it("reports a bad boolean", () => {
    const rows = MENTEE_ROWS.map((r) => [...r]);
    rows[0][5] = "maybe";
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows))));
    expect(issues.map((i) => [i.code, where(i), i.message])).toEqual([
      [
        "invalid_cell",
        "mentees.csv:2:high_potential",
        'Expected true/false, yes/no or 1/0, got "maybe"',
      ],
    ]);
  });

  it("reports an empty required cell as a missing value (once)", () => {
    const rows = MENTEE_ROWS.map((r) => [...r]);
    rows[0][0] = "";
    rows[2][2] = " ";
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows))));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["missing_value", "mentees.csv:2:id"],
      ["missing_value", "mentees.csv:4:level"],
    ]);
    expect(issues[0].message).toBe("Missing value: Unique mentee id.");
  });

  it("reports rows with too many or too few cells, and still reads them", () => {
    const text = [
      MENTEE_HEADER.join(","),
      "e1,data,1,12,en,yes,1,3,F,extra",
      "e2,ops,2,30",
      MENTEE_ROWS[2].join(","),
    ].join("\n");
    const read = readCohortCsv(sources(text));
    expect(read.issues.map((i) => [i.code, where(i)])).toEqual([
      ["column_count", "mentees.csv:2"],
      ["column_count", "mentees.csv:3"],
    ]);
    expect(read.issues[0].message).toBe(
      "Expected 9 cells as in the header, found 10; is a value with a comma missing its quotes?",
    );
    // No row disappears: all three are records, at their rows.
    expect(read.input.mentees.map((m) => m.id)).toEqual(["e1", "e2", "e3"]);
    expect(read.origin.mentees.rows).toEqual([2, 3, 4]);
    expect(() => parseCohortCsv(sources(text))).toThrow(/mentees\.csv row 3: Expected 9 cells/);
  });

  it("numbers rows as a spreadsheet does after a multi-line quoted cell", () => {
    const text = [
      MENTEE_HEADER.join(","),
      'e1,data,1,12,en,yes,1,3,"line one\nline two\nline three"',
      "e2,ops,oops,30,en,,2,4,M",
    ].join("\n");
    const issues = issuesOf(() => parseCohortCsv(sources(text)));
    expect(issues.map(where)).toEqual(["mentees.csv:3:level"]);
    expect(issues[0].message).toContain("(text line 5)");
  });

  it("maps validation issues from parseCohort back to rows and columns", () => {
    const rows = MENTEE_ROWS.map((r) => [...r]);
    rows[0][7] = "0.5"; // target below current
    rows[1][0] = "e1"; // duplicate id
    rows[2][2] = "1.5"; // not a whole number
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows))));
    const got = issues.map((i) => [i.code, where(i)]);
    expect(got).toContainEqual(["target_below_current", "mentees.csv:2:target:sql"]);
    expect(got).toContainEqual(["duplicate_id", "mentees.csv:3:id"]);
    expect(got.find(([, w]) => w === "mentees.csv:4:level")).toBeDefined();
    for (const issue of issues) expect(issue.location.kind).toBe("csv");
  });

  it("maps an unknown reference in a list column to that column", () => {
    const header = [...MENTEE_HEADER, "preferred_mentors"];
    const rows = MENTEE_ROWS.map((r, k) => [...r, k === 2 ? "m1;nobody" : ""]);
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows, header))));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["unknown_mentor", "mentees.csv:4:preferred_mentors"],
    ]);
  });

  it("maps a bad training date to the training column", () => {
    const rows = MENTOR_ROWS.map((r) => [...r]);
    rows[1][6] = "coach@2024-13-01";
    const issues = issuesOf(() => parseCohortCsv(sources(undefined, mentorsCsv(rows))));
    expect(issues.map(where)).toEqual(["mentors.csv:3:training"]);
  });

  it("keeps config issues as paths", () => {
    const config = { ...CONFIG, program: { ...CONFIG.program, tiers: [] } };
    const issues = issuesOf(() => parseCohortCsv(sources(undefined, undefined, config)));
    expect(issues.map(where)).toContain("program.tiers");
  });

  it("rejects a config that is not an object or that carries people", () => {
    expect(issuesOf(() => parseCohortCsv(sources(undefined, undefined, [])))[0].code).toBe(
      "invalid_config",
    );
    const issues = issuesOf(() =>
      parseCohortCsv(sources(undefined, undefined, { ...CONFIG, mentees: [] })),
    );
    expect(issues.map((i) => [i.code, where(i)])).toEqual([["invalid_config", "mentees"]]);
  });

  it("reports malformed CSV (an unclosed quote) at its row, and the other file's issues too", () => {
    const text = `${MENTEE_HEADER.join(",")}\n${MENTEE_ROWS[0].join(",")}\ne2,"ops,2,30,en,,2,4,M\n`;
    const mentors = MENTOR_ROWS.map((r) => [...r]);
    mentors[0][5] = "lots";
    const issues = issuesOf(() => parseCohortCsv(sources(text, mentorsCsv(mentors))));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["csv_syntax", "mentees.csv:3"],
      ["invalid_cell", "mentors.csv:2:capacity"],
    ]);
    expect(issues[0].message).toMatch(/^Not valid CSV: Quote Not Closed/);
  });

  it("collects every issue of both files in one InputError", () => {
    const mentees = MENTEE_ROWS.map((r) => [...r]);
    mentees[0][2] = "x";
    mentees[2][3] = "-3";
    const mentors = MENTOR_ROWS.map((r) => [...r]);
    mentors[1][4] = "guru";
    let thrown: unknown;
    try {
      parseCohortCsv(sources(menteesCsv(mentees), mentorsCsv(mentors)));
    } catch (error) {
      thrown = error;
    }
    const issues = issuesOf(() => {
      throw thrown;
    });
    expect(issues.map(where)).toEqual([
      "mentees.csv:2:level",
      "mentees.csv:4:tenure_months",
      "mentors.csv:3:tier",
    ]);
    expect((thrown as Error).message).toContain(
      'Invalid cohort CSV: 3 issues\nmentees.csv row 2, column "level": Expected a whole number',
    );
    expect(formatIssues(issues).split("\n")).toHaveLength(3);
  });

  it("safeParseCohortCsv returns the issues instead of throwing", () => {
    const rows = MENTEE_ROWS.map((r) => [...r]);
    rows[0][2] = "x";
    const result = safeParseCohortCsv(sources(menteesCsv(rows)));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map(where)).toEqual(["mentees.csv:2:level"]);
    expect(safeParseCohortCsv(sources()).ok).toBe(true);
  });

  it("uses the default file names when none are given", () => {
    const rows = MENTOR_ROWS.map((r) => [...r]);
    rows[0][5] = "many";
    const issues = issuesOf(() =>
      parseCohortCsv({
        mentees: { text: menteesCsv() },
        mentors: { text: mentorsCsv(rows) },
        config: CONFIG,
      }),
    );
    expect(issues.map(where)).toEqual(["mentors.csv:2:capacity"]);
  });
});
