/**
 * CSV files as spreadsheets save them: `;` or tab separators with decimal commas, an Excel `sep=`
 * first line, UTF-16 ("Unicode Text"), Windows-1252, header-only files, formula-looking cells,
 * ids that differ only in case, and the one row-numbering convention in every message.
 */
import { Buffer } from "node:buffer";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  parseCohortCsv,
  readCohortCsv,
  safeParseCohortCsv,
  type CsvSource,
} from "../../src/node/csv.js";
import { writeCohortCsv } from "../../src/node/csv-write.js";
import { cohortFilesIn, loadCohort, readCohortInputFromFiles } from "../../src/node/files.js";
import { InputError, formatIssues, type Issue } from "../../src/schema/errors.js";
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
  where,
} from "./helpers.js";

const FIX = "save the file as CSV UTF-8";

/** Rows joined by `sep`; a cell holding `sep`, a quote or a line break is quoted. */
function table(rows: readonly (readonly string[])[], sep: string, newline = "\r\n"): string {
  const quote = (cell: string) =>
    cell.includes(sep) || /["\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  return rows.map((r) => r.map(quote).join(sep)).join(newline) + newline;
}

function copy(rows: readonly (readonly string[])[]): string[][] {
  return rows.map((r) => [...r]);
}

function bytesOf(text: string): Buffer {
  return Buffer.from(text, "utf8");
}

function sources(mentees: CsvSource, mentors: CsvSource = { text: mentorsCsv() }, config = CONFIG) {
  return {
    mentees: { file: "mentees.csv", ...mentees },
    mentors: { file: "mentors.csv", ...mentors },
    config,
  };
}

const codesAt = (issues: readonly Issue[]) => issues.map((i) => [i.code, where(i)]);

describe("separators", () => {
  it("reads a ';' file from a European Excel: decimal commas, quoted lists", () => {
    const rows = copy(MENTEE_ROWS);
    rows[0][7] = "3,5"; // target:sql
    rows[2][7] = "2,75";
    rows[1][6] = "-0,5"; // current:sql (off scale, but read as a number)
    const text = table([MENTEE_HEADER, ...rows], ";");
    expect(text.split("\r\n")[1]).toBe('e1;data;1;12;"en;de";yes;1;3,5;F');
    const read = readCohortCsv(sources({ bytes: bytesOf(text) }));
    expect(read.issues).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.input.mentees.map((m) => m.targets)).toEqual([
      { sql: 3.5 },
      { sql: 4 },
      { sql: 2.75 },
    ]);
    expect(read.input.mentees[1].current).toEqual({ sql: -0.5 });
    expect(read.input.mentees[0].languages).toEqual(["en", "de"]);
    rows[1][6] = "2";
    const { cohort } = parseCohortCsv(
      sources({ bytes: bytesOf(table([MENTEE_HEADER, ...rows], ";")) }),
    );
    expect(cohort.index.menteeIds).toEqual(["e1", "e2", "e3"]);
  });

  it("a ';' file with a dot as the decimal point reads the same", () => {
    const text = table([MENTEE_HEADER, ...MENTEE_ROWS], ";");
    expect(readCohortCsv(sources({ text })).input).toEqual(
      readCohortCsv(sources({ text: menteesCsv() })).input,
    );
  });

  it("refuses thousands separators, in ';' and comma files", () => {
    const rows = copy(MENTEE_ROWS);
    rows[0][3] = "1.234,5"; // tenure_months
    rows[1][3] = "1 234";
    const issues = issuesOf(() =>
      parseCohortCsv(sources({ text: table([MENTEE_HEADER, ...rows], ";") })),
    );
    expect(codesAt(issues)).toEqual([
      ["invalid_cell", "mentees.csv:2:tenure_months"],
      ["invalid_cell", "mentees.csv:3:tenure_months"],
    ]);
    expect(issues[0].message).toBe(
      'Expected a number, got "1.234,5": thousands separators are not read; write the number without them',
    );
    const comma = copy(MENTEE_ROWS);
    comma[0][3] = "1,234.5";
    const inComma = issuesOf(() => parseCohortCsv(sources({ text: menteesCsv(comma) })));
    expect(codesAt(inComma)).toEqual([["invalid_cell", "mentees.csv:2:tenure_months"]]);
    expect(inComma[0].message).toBe(
      'Expected a number, got "1,234.5": thousands separators are not read; write the number ' +
        'without them and with "." as the decimal point',
    );
  });

  it("a decimal comma in a whole-number column is read, then reported as not whole", () => {
    const rows = copy(MENTEE_ROWS);
    rows[1][2] = "2,5"; // level
    const issues = issuesOf(() =>
      parseCohortCsv(sources({ text: table([MENTEE_HEADER, ...rows], ";") })),
    );
    expect(codesAt(issues)).toEqual([["invalid_type", "mentees.csv:3:level"]]);
  });

  it("an unquoted list in a ';' file splits the row: the hint says to quote it", () => {
    const text = table([MENTEE_HEADER, ...MENTEE_ROWS], ";").replace('"en;de"', "en;de");
    const issues = readCohortCsv(sources({ text })).issues;
    // The row is still read: the cells after the split are reported where they landed.
    expect(codesAt(issues)).toEqual([
      ["column_count", "mentees.csv:2"],
      ["invalid_cell", "mentees.csv:2:high_potential"],
      ["invalid_cell", "mentees.csv:2:current:sql"],
    ]);
    expect(issues[0].message).toBe(
      'Expected 9 cells as in the header, found 10; is a value with a ";" missing its quotes? ' +
        '(in a file separated by ";", a list such as en;de must be quoted: "en;de")',
    );
  });

  it("reads a tab-separated file, decimal commas included", () => {
    const rows = copy(MENTOR_ROWS);
    rows[0][7] = "4,5"; // skill:sql
    const read = readCohortCsv(
      sources({ text: menteesCsv() }, { text: table([MENTOR_HEADER, ...rows], "\t", "\n") }),
    );
    expect(read.issues).toEqual([]);
    expect(read.input.mentors[0].expertise).toEqual({ sql: 4.5, python: 3 });
    expect(read.input.mentors[0].training).toEqual([
      { id: "coach", completedOn: "2024-01-15" },
      { id: "ethics" },
    ]);
  });

  it("keeps the comma when the header has as many commas as ';' or none of either", () => {
    const header = ["id", "department;unit", "level", ...MENTEE_HEADER.slice(3)];
    const read = readCohortCsv(sources({ text: csv([header, ...MENTEE_ROWS]) }));
    expect(read.warnings.map((w) => [w.code, where(w)])).toEqual([
      ["unknown_column", "mentees.csv:1:department;unit"],
    ]);
  });

  it("a comma file keeps rejecting decimal commas, with the decimal-point hint", () => {
    const rows = copy(MENTEE_ROWS);
    rows[0][7] = "3,5";
    const issues = issuesOf(() => parseCohortCsv(sources({ text: menteesCsv(rows) })));
    expect(issues.map((i) => [i.code, where(i), i.message])).toEqual([
      [
        "invalid_cell",
        "mentees.csv:2:target:sql",
        'Expected a number, got "3,5" (use "." as the decimal point)',
      ],
    ]);
  });

  it("the writer quotes a header holding ';', so the reader keeps the comma", () => {
    const skill = "a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p;q;r;s;t;u;v;w;x;y;z";
    const input = readCohortCsv(sources({ text: menteesCsv() })).input;
    const config = { ...CONFIG, skills: [...CONFIG.skills, { id: skill }] };
    const withSkill = {
      ...input,
      ...config,
      mentees: input.mentees.map((m) => ({ ...m, current: { ...m.current, [skill]: 1 } })),
    };
    const files = writeCohortCsv(withSkill);
    expect(files.mentees.split("\n")[0]).toContain(`"current:${skill}"`);
    const back = readCohortCsv({
      mentees: { text: files.mentees },
      mentors: { text: files.mentors },
      config: JSON.parse(files.config),
    });
    expect(back.issues).toEqual([]);
    expect(back.input.mentees[0].current).toEqual({ sql: 1, [skill]: 1 });
  });
});

describe("an Excel sep= first line", () => {
  it("names the separator and is not a row: the header is row 1, as Excel shows it", () => {
    const rows = copy(MENTEE_ROWS);
    rows[1][2] = "L3";
    for (const sep of ["sep=;", "SEP=;", "\uFEFFsep=;"]) {
      const text = `${sep}\r\n${table([MENTEE_HEADER, ...rows], ";")}`;
      const issues = issuesOf(() => parseCohortCsv(sources({ bytes: bytesOf(text) })));
      expect(codesAt(issues), sep).toEqual([["invalid_cell", "mentees.csv:3:level"]]);
      // The text line (as an editor shows it) is named too, since it differs.
      expect(issues[0].message).toBe('Expected a whole number, got "L3" (text line 4)');
    }
  });

  it("overrides the header's count, and reads the rest as usual", () => {
    // The header alone would look ';'-separated (a column name holding many of them).
    const header = [...MENTEE_HEADER, "notes;a;b;c;d;e;f;g;h;i;j"];
    const rows = MENTEE_ROWS.map((r) => [...r, ""]);
    const body = csv([header, ...rows]).replace(
      '"notes;a;b;c;d;e;f;g;h;i;j"',
      "notes;a;b;c;d;e;f;g;h;i;j",
    );
    const read = readCohortCsv(sources({ text: `sep=,\n${body}` }));
    expect(read.issues).toEqual([]);
    expect(read.warnings.map(where)).toEqual(["mentees.csv:1:notes;a;b;c;d;e;f;g;h;i;j"]);
    expect(read.origin.mentees.rows).toEqual([2, 3, 4]);
    expect(read.origin.mentees.lines).toEqual([3, 4, 5]);
  });

  it("maps validation issues to Excel's rows too, and a sep= line alone is an empty file", () => {
    const rows = copy(MENTEE_ROWS);
    rows[2][7] = "0,5"; // target below current
    rows[2][6] = "1";
    const text = `sep=;\n${table([MENTEE_HEADER, ...rows], ";", "\n")}`;
    const issues = issuesOf(() => parseCohortCsv(sources({ text })));
    expect(codesAt(issues)).toEqual([["target_below_current", "mentees.csv:4:target:sql"]]);
    expect(issues[0].message).toMatch(/\(text line 5\)$/);
    const empty = issuesOf(() => parseCohortCsv(sources({ text: "sep=;\r\n" })));
    expect(codesAt(empty)).toEqual([["empty_file", "mentees.csv:1"]]);
  });

  it("bytes that are not UTF-8 after it are found at Excel's row and column", () => {
    const [before, after] = `sep=;\n${table([MENTEE_HEADER, ...MENTEE_ROWS], ";", "\n")}`.split(
      "ops",
    );
    const bytes = Buffer.concat([bytesOf(before), Buffer.from([0xe9]), bytesOf(after)]);
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes })));
    expect(codesAt(issues)).toEqual([["invalid_utf8", "mentees.csv:3:department"]]);
    expect(issues[0].message).toContain('(shown as \uFFFD in "\uFFFD") (text line 4);');
  });

  it("naming a separator the reader does not know is an error", () => {
    const text = `sep=:\n${menteesCsv()}`;
    const issues = issuesOf(() => parseCohortCsv(sources({ text })));
    expect(codesAt(issues)).toEqual([["csv_syntax", "mentees.csv:1"]]);
    expect(issues[0].message).toContain('the first line "sep=:" names a separator');
  });
});

describe("encodings", () => {
  // Excel's "Unicode Text": UTF-16 LE with a byte order mark, tab-separated.
  const rows = copy(MENTEE_ROWS);
  rows[0][1] = "Recherche & Développement";
  rows[1][8] = "Zoë 🚀";
  rows[2][7] = "2,5";
  const text = table([MENTEE_HEADER, ...rows], "\t");

  function utf16(bigEndian: boolean, body = text): Buffer {
    const le = Buffer.from(body, "utf16le");
    return Buffer.concat([
      Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]),
      bigEndian ? le.swap16() : le,
    ]);
  }

  it("UTF-16 LE and BE with a byte order mark are decoded and read like UTF-8", () => {
    const expected = readCohortCsv(sources({ bytes: bytesOf(text) }));
    expect(expected.issues).toEqual([]);
    expect(expected.input.mentees[0].department).toBe("Recherche & Développement");
    expect(expected.input.mentees[2].targets).toEqual({ sql: 2.5 });
    for (const bigEndian of [false, true]) {
      const read = readCohortCsv(sources({ bytes: utf16(bigEndian) }));
      expect(read.issues, bigEndian ? "BE" : "LE").toEqual([]);
      expect(read.input).toEqual(expected.input);
    }
    const { cohort } = parseCohortCsv(sources({ bytes: utf16(false) }));
    expect(cohort.index.menteeIds).toEqual(["e1", "e2", "e3"]);
  });

  it("UTF-16 with a sep= line and issues: rows and columns as for UTF-8", () => {
    const bad = copy(rows);
    bad[1][2] = "L3";
    const body = `sep=\t\r\n${table([MENTEE_HEADER, ...bad], "\t")}`;
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes: utf16(false, body) })));
    expect(codesAt(issues)).toEqual([["invalid_cell", "mentees.csv:3:level"]]);
  });

  it("broken UTF-16 is refused, never patched with U+FFFD", () => {
    const odd = Buffer.concat([utf16(false), Buffer.from([0x41])]);
    const lone = Buffer.concat([utf16(true, "id,x\n"), Buffer.from([0xd8, 0x3d, 0x00, 0x41])]);
    for (const bytes of [odd, lone]) {
      const issues = issuesOf(() => parseCohortCsv(sources({ bytes })));
      expect(issues.map((i) => i.code)).toEqual(["not_text"]);
      expect(issues[0].message).toMatch(/^Not UTF-16: the file starts as UTF-16 (LE|BE)/);
      expect(issues[0].message).toContain(FIX);
    }
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes: lone })));
    expect(codesAt(issues)).toEqual([["not_text", "mentees.csv:2"]]);
  });

  it("a workbook saved under a .csv name is refused with the fix", () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 0xe9)]);
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes: zip })));
    expect(codesAt(issues)).toEqual([["not_text", "mentees.csv:1"]]);
    expect(issues[0].message).toMatch(/^mentees\.csv is a spreadsheet workbook/);
    expect(issues[0].message).toContain(FIX);
  });

  it("Windows-1252 files through loadCohort and readCohortInputFromFiles: refused, never F�nance", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mentorflow-1252-"));
    try {
      const files = cohortFilesIn(dir);
      const people = copy(MENTEE_ROWS);
      people[1][1] = "F|nance";
      const [before, after] = table([MENTEE_HEADER, ...people], ";").split("|");
      // "Finance" with "é" in Windows-1252 (0xE9), separated by ';' as a European Excel saves it.
      await writeFile(
        files.mentees,
        Buffer.concat([bytesOf(before), Buffer.from([0xe9]), bytesOf(after)]),
      );
      await writeFile(files.mentors, mentorsCsv());
      await writeFile(files.config, JSON.stringify(CONFIG));
      const error = await loadCohort(files).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      const issues = (error as InputError).issues;
      expect(codesAt(issues)).toEqual([["invalid_utf8", `${files.mentees}:3:department`]]);
      expect(issues[0].message).toBe(
        'Not UTF-8: byte 0xE9 cannot be read (shown as \uFFFD in "F\uFFFDnance"); it looks like ' +
          'Windows-1252 / Latin-1, where it reads "Fénance"; save the file as CSV UTF-8 ' +
          '(in Excel: File › Save As › "CSV UTF-8 (Comma delimited)") and load it again',
      );
      const read = await readCohortInputFromFiles(files);
      expect(codesAt(read.issues)).toEqual([["invalid_utf8", `${files.mentees}:3:department`]]);
      expect(read.input.mentees).toEqual([]); // nothing read, so nothing replaced
      expect(JSON.stringify(read.input)).not.toContain("\uFFFD");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a config JSON that is not UTF-8 is refused too, never read with U+FFFD", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mentorflow-config-"));
    try {
      const files = cohortFilesIn(dir);
      await writeFile(files.mentees, menteesCsv());
      await writeFile(files.mentors, mentorsCsv());
      const json = JSON.stringify({ ...CONFIG, skills: [{ id: "sql", label: "R|seau" }] }, null, 1);
      const [before, after] = json.split("|");
      await writeFile(
        files.config,
        Buffer.concat([bytesOf(before), Buffer.from([0xe9]), bytesOf(after)]),
      );
      for (const load of [loadCohort, readCohortInputFromFiles]) {
        const error = await load(files).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(InputError);
        const issues = (error as InputError).issues;
        expect(codesAt(issues)).toEqual([["invalid_utf8", `${files.config}:5`]]);
        expect(issues[0].message).toBe(
          "Not UTF-8: byte 0xE9 on line 5 cannot be read; save the config file as UTF-8 and load it again",
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("bytes that are not short accented letters are not called Windows-1252", () => {
    // A long run (binary data), and a byte Windows-1252 does not define.
    for (const bad of [[0xff, 0xfe, 0xfd, 0xfc], [0x81]]) {
      const [before, after] = menteesCsv().split("data");
      const bytes = Buffer.concat([bytesOf(before), Buffer.from(bad), bytesOf(after)]);
      const issues = issuesOf(() => parseCohortCsv(sources({ bytes })));
      expect(codesAt(issues)).toEqual([["invalid_utf8", "mentees.csv:2:department"]]);
      expect(issues[0].message).not.toContain("Windows-1252");
      expect(issues[0].message).toContain(FIX);
    }
  });
});

describe("files without data rows", () => {
  it("a header-only mentees or mentors file is an error, not an empty cohort", () => {
    for (const tail of ["", "\n", "\n\n,,,\n"]) {
      const mentees = issuesOf(() =>
        parseCohortCsv(sources({ text: `${MENTEE_HEADER.join(",")}${tail}` })),
      );
      expect(codesAt(mentees)).toEqual([["no_rows", "mentees.csv:1"]]);
      expect(mentees[0].message).toBe(
        "No data rows: mentees.csv has a header but no mentees; add one row per mentee below the header",
      );
      const mentors = issuesOf(() =>
        parseCohortCsv(
          sources(
            { text: menteesCsv() },
            { text: `${MENTOR_HEADER.join(";")}${tail.replaceAll(",", ";")}` },
          ),
        ),
      );
      expect(codesAt(mentors)).toEqual([["no_rows", "mentors.csv:1"]]);
      expect(mentors[0].message).toContain("no mentors; add one row per mentor");
    }
  });

  it("is reported with the other file's CSV issues, without validation noise", () => {
    const rows = copy(MENTEE_ROWS);
    rows[0][2] = "high";
    const withRefs = [...MENTOR_HEADER, "excluded_mentees"];
    const issues = issuesOf(() =>
      parseCohortCsv(sources({ text: menteesCsv(rows) }, { text: `\n${withRefs.join(",")}\n` })),
    );
    expect(codesAt(issues)).toEqual([
      ["invalid_cell", "mentees.csv:2:level"],
      ["no_rows", "mentors.csv:2"],
    ]);
  });
});

describe("formula-looking cells", () => {
  it("=HYPERLINK(…) as an id is a warning; the value is kept as written, shown escaped", () => {
    const rows = copy(MENTEE_ROWS);
    rows[1][0] = '=HYPERLINK("x")';
    const { cohort, warnings } = parseCohortCsv(sources({ text: menteesCsv(rows) }));
    expect(cohort.index.menteeIds).toContain('=HYPERLINK("x")');
    expect(codesAt(warnings)).toEqual([["formula_cell", "mentees.csv:3:id"]]);
    expect(warnings[0].message).toBe(
      `Looks like a spreadsheet formula: "'=HYPERLINK(\\"x\\")" is kept as text, as written; ` +
        "check the value (a spreadsheet saves a formula's result, not the formula), or start it " +
        "with ' to mark it as text",
    );
    expect(formatIssues(warnings)).not.toContain('"=HYPERLINK');
  });

  it("=, +, @ and - start one; numbers (-5, +1, -0,5 in a ';' file) and escaped cells do not", () => {
    const header = [...MENTEE_HEADER, "unit", "manager_chain", "aspirations", "group:band"];
    const rows = [
      ["-5", ...MENTEE_ROWS[0].slice(1), "+1", "'=SUM(A1)", "'-x;y", "-0,5"], // no warning
      ["@me", ...MENTEE_ROWS[1].slice(1), "-x", "+49 30 1234", "=1+1;b", ""], // four
    ];
    const read = readCohortCsv(sources({ text: table([header, ...rows], ";") }));
    expect(read.issues).toEqual([]);
    expect(codesAt(read.warnings)).toEqual([
      ["formula_cell", "mentees.csv:3:id"],
      ["formula_cell", "mentees.csv:3:unit"],
      ["formula_cell", "mentees.csv:3:manager_chain"],
      ["formula_cell", "mentees.csv:3:aspirations"],
    ]);
    expect(read.input.mentees[0]).toMatchObject({
      id: "-5",
      unit: "+1",
      managerChain: ["=SUM(A1)"],
      aspirations: ["-x", "y"],
    });
    expect(read.input.mentees[0].sensitive).toEqual({ gender: "F", band: "-0,5" });
    expect(read.input.mentees[1]).toMatchObject({
      id: "@me",
      unit: "-x",
      managerChain: ["+49 30 1234"],
      aspirations: ["=1+1", "b"],
    });
  });

  it("lists the first 20 of a file and counts the rest", () => {
    const rows = Array.from({ length: 25 }, (_, k) => [
      `=e${k}`,
      "data",
      "1",
      "12",
      "",
      "",
      "",
      "",
      "",
    ]);
    const { warnings } = parseCohortCsv(sources({ text: menteesCsv(rows) }));
    expect(warnings).toHaveLength(21);
    expect(warnings.slice(0, 20).map(where)).toEqual(
      Array.from({ length: 20 }, (_, k) => `mentees.csv:${k + 2}:id`),
    );
    expect(codesAt([warnings[20]])).toEqual([["formula_cell", "mentees.csv:1"]]);
    expect(warnings[20].message).toBe(
      "…and 5 more cells that look like spreadsheet formulas (25 in all), kept as written",
    );
  });
});

describe("hints only where they apply", () => {
  it('"L3" as a level: a whole number is expected, no decimal-point hint', () => {
    const rows = copy(MENTEE_ROWS);
    rows[0][2] = "L3";
    rows[1][3] = "12 months";
    rows[2][6] = "1/2";
    const issues = issuesOf(() => parseCohortCsv(sources({ text: menteesCsv(rows) })));
    expect(issues.map((i) => [where(i), i.message])).toEqual([
      ["mentees.csv:2:level", 'Expected a whole number, got "L3"'],
      ["mentees.csv:3:tenure_months", 'Expected a number, got "12 months"'],
      ["mentees.csv:4:current:sql", 'Expected a number, got "1/2"'],
    ]);
  });
});

describe("warnings travel with the result and with the error", () => {
  it("an unknown column beside the missing one it was meant to be", async () => {
    const header = MENTEE_HEADER.map((h) => (h === "tenure_months" ? "Tenure (months)" : h));
    const dir = await mkdtemp(join(tmpdir(), "mentorflow-warn-"));
    try {
      const files = cohortFilesIn(dir);
      await writeFile(files.mentees, menteesCsv(MENTEE_ROWS, header));
      await writeFile(files.mentors, mentorsCsv());
      await writeFile(files.config, JSON.stringify(CONFIG));
      const error = await loadCohort(files).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      const e = error as InputError;
      expect(codesAt(e.issues)).toEqual([["missing_column", `${files.mentees}:1:tenure_months`]]);
      expect(codesAt(e.warnings)).toEqual([
        ["unknown_column", `${files.mentees}:1:Tenure (months)`],
      ]);
      expect(e.warnings[0].message).toMatch(
        /^Unknown column "Tenure \(months\)" is ignored \(known: id,/,
      );
      expect(e.message).toContain(
        `\n1 warning:\n${files.mentees} row 1, column "Tenure (months)": Unknown column`,
      );
      // Once loaded, the warning comes back with the cohort.
      await writeFile(
        files.mentees,
        menteesCsv(
          MENTEE_ROWS.map((r) => [...r, "7"]),
          [...MENTEE_HEADER, "Tenure (months)"],
        ),
      );
      const { warnings } = await loadCohort(files);
      expect(codesAt(warnings)).toEqual([["unknown_column", `${files.mentees}:1:Tenure (months)`]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("an error without warnings says nothing of them", () => {
    const error = new InputError([]);
    expect(error.warnings).toEqual([]);
    expect(error.message).toBe("Invalid input: 0 issues\n");
  });
});

describe("ids that differ only in case or spaces", () => {
  const header = [...MENTEE_HEADER, "preferred_mentors"];
  const withPreferred = (ids: readonly string[]) => MENTEE_ROWS.map((r, k) => [...r, ids[k] ?? ""]);

  it('an unknown reference says did you mean "m1"?, at its cell, with details', () => {
    const text = menteesCsv(withPreferred(["", "M1", "m1;M 2"]), header);
    const issues = issuesOf(() => parseCohortCsv(sources({ text })));
    expect(codesAt(issues)).toEqual([
      ["unknown_mentor", "mentees.csv:3:preferred_mentors"],
      ["unknown_mentor", "mentees.csv:4:preferred_mentors"],
    ]);
    expect(issues[0].message).toBe(
      'Unknown mentor: no mentor has id "M1"; did you mean "m1"? Ids must match exactly, case ' +
        "and spaces included",
    );
    expect(issues[0]).toMatchObject({ received: "M1", expected: "m1" });
    expect(issues[1]).toMatchObject({ received: "M 2", expected: "m2" });
    // An id with no near match keeps the plain message.
    const plain = issuesOf(() =>
      parseCohortCsv(sources({ text: menteesCsv(withPreferred(["m9"]), header) })),
    );
    expect(plain[0].message).toBe(
      'Unknown mentor: no mentor has id "m9"; add the mentor or fix the id',
    );
    expect(plain[0].expected).toBeUndefined();
  });

  it("so do references in the config (locked pairs) and skill headers", () => {
    const config = {
      ...CONFIG,
      program: { ...CONFIG.program, lockedPairs: [{ mentee: "E1", mentor: "m1" }] },
    };
    const issues = issuesOf(() =>
      parseCohortCsv(sources({ text: menteesCsv() }, undefined, config)),
    );
    expect(issues.map((i) => [i.code, where(i), i.expected])).toEqual([
      ["unknown_mentee", "program.lockedPairs.0.mentee", "e1"],
    ]);
    expect(issues[0].message).toContain('no mentee has id "E1"; did you mean "e1"?');
    const skillHeader = MENTEE_HEADER.map((h) => (h === "target:sql" ? "target:SQL" : h));
    const bad = issuesOf(() =>
      parseCohortCsv(sources({ text: menteesCsv(MENTEE_ROWS, skillHeader) })),
    );
    expect(bad.map((i) => [i.code, where(i), i.expected])).toEqual([
      ["unknown_skill", "mentees.csv:1:target:SQL", "sql"],
    ]);
    expect(bad[0].message).toBe(
      'Unknown skill "SQL": did you mean "sql"? Skill ids must match exactly, case and spaces included',
    );
  });

  it("two people whose ids differ only in case or spaces: a warning, two people", () => {
    const mentees = copy(MENTEE_ROWS);
    mentees[2][0] = "E 1";
    const mentors = copy(MENTOR_ROWS);
    mentors[1][0] = "E2"; // a mentor beside mentee e2
    const { cohort, warnings } = parseCohortCsv(
      sources({ text: menteesCsv(mentees) }, { text: mentorsCsv(mentors) }),
    );
    expect([...cohort.index.menteeIds].sort()).toEqual(["E 1", "e1", "e2"]);
    expect(codesAt(warnings)).toEqual([
      ["similar_id", "mentees.csv:4:id"],
      ["similar_id", "mentors.csv:3:id"],
    ]);
    expect(warnings[0].message).toBe(
      'Id "E 1" differs from "e1" (row 2) only in case or spaces: they are two different ' +
        "mentees; write one person's id the same way each time",
    );
    expect(warnings[1].message).toBe(
      'Mentor id "E2" differs from mentee id "e2" (mentees.csv row 3) only in case or spaces: ' +
        "they are two different people; for one person who is both, write the id the same way in both files",
    );
    // The same id in both files is one person: no warning.
    mentors[1][0] = "e2";
    expect(
      parseCohortCsv(sources({ text: menteesCsv() }, { text: mentorsCsv(mentors) })).warnings,
    ).toEqual([]);
  });
});

describe("one row convention in every message", () => {
  it("a duplicate id names the first row, not mentees[0]", () => {
    const rows = copy(MENTEE_ROWS);
    rows[2][0] = "e1";
    const issues = issuesOf(() => parseCohortCsv(sources({ text: `\n${menteesCsv(rows)}` })));
    expect(codesAt(issues)).toEqual([["duplicate_id", "mentees.csv:5:id"]]);
    expect(issues[0].message).toBe(
      'Duplicate id: mentee id "e1" is already used by row 3; ids must be unique',
    );
  });

  it("no CSV issue mentions a record path, and ids that look like one are left alone", () => {
    const mentees = copy(MENTEE_ROWS);
    mentees[1][0] = "mentees[0]";
    mentees[2][0] = "mentees[0]";
    mentees[0][2] = "-1";
    const mentors = copy(MENTOR_ROWS);
    mentors[1][0] = "m1";
    mentors[0][5] = "1,5";
    const result = safeParseCohortCsv(
      sources({ text: menteesCsv(mentees) }, { text: mentorsCsv(mentors) }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.length).toBeGreaterThanOrEqual(4);
    for (const issue of result.issues) {
      expect(issue.location.kind, issue.message).toBe("csv");
      expect(issue.message.replace(/"(?:[^"\\]|\\.)*"/g, ""), issue.message).not.toMatch(
        /(mentees|mentors)\[\d+\]/,
      );
    }
    const duplicate = result.issues.find(
      (i) => i.code === "duplicate_id" && where(i) === "mentees.csv:4:id",
    );
    expect(duplicate?.message).toBe(
      'Duplicate id: mentee id "mentees[0]" is already used by row 3; ids must be unique',
    );
  });
});
