/**
 * Cell text in issue messages: cut after 40 characters (with the full length), and formula text
 * never repeated raw (neutralized as the writer escapes it). One helper, `showCell`, renders every
 * cell a message repeats; `showColumn` renders a header in an issue's location.
 */
import { describe, expect, it } from "vitest";
import { parseCohortCsv, readCohortCsv } from "../../src/node/csv.js";
import { MESSAGE_CELL_CHARS, showCell, showColumn } from "../../src/node/csv-format.js";
import { formatIssues } from "../../src/schema/errors.js";
import {
  MENTEE_HEADER,
  MENTEE_ROWS,
  csv,
  issuesOf,
  menteesCsv,
  textSources,
  where,
} from "./helpers.js";

const MB = 1 << 20;

const sources = (mentees: string) => textSources(mentees);

function rowsWith(r: number, c: number, value: string): string[][] {
  const rows = MENTEE_ROWS.map((row) => [...row]);
  rows[r][c] = value;
  return rows;
}

describe("showCell(text)", () => {
  it("quotes short text as JSON does, one line", () => {
    expect(showCell("two")).toBe('"two"');
    expect(showCell('say "hi"\nbye')).toBe('"say \\"hi\\"\\nbye"');
    expect(showCell("x".repeat(MESSAGE_CELL_CHARS))).toBe(`"${"x".repeat(40)}"`);
  });

  it("cuts text longer than 40 characters, with an ellipsis and the full length", () => {
    expect(showCell("abcd".repeat(MB / 4))).toBe(`"${"abcd".repeat(10)}…" (1,048,576 characters)`);
    expect(showCell("y".repeat(41))).toBe(`"${"y".repeat(40)}…" (41 characters)`);
  });

  it("counts characters, not UTF-16 units, and never splits one", () => {
    const rocket = "🚀";
    expect(showCell(rocket.repeat(40))).toBe(`"${rocket.repeat(40)}"`);
    expect(showCell(rocket.repeat(41))).toBe(`"${rocket.repeat(40)}…" (41 characters)`);
    expect(showCell(`a${rocket.repeat(50)}`)).toBe(`"a${rocket.repeat(39)}…" (51 characters)`);
  });

  it("neutralizes formula text as the writer does (a leading ')", () => {
    expect(showCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(\\"http://x\\",\\"y\\")"');
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      expect(showCell(`${start}1`)).toBe(JSON.stringify(`'${start}1`));
    }
    expect(showCell("'=x")).toBe(`"''=x"`);
    expect(showCell("a=1")).toBe('"a=1"');
    expect(showCell(`=${"9".repeat(100)}`)).toBe(`"'=${"9".repeat(38)}…" (101 characters)`);
  });
});

describe("showColumn(header)", () => {
  it("leaves ordinary headers as written", () => {
    expect(showColumn("target:sql")).toBe("target:sql");
    expect(showColumn("Level")).toBe("Level");
  });

  it("cuts long headers and neutralizes formula headers", () => {
    expect(showColumn("h".repeat(MB))).toBe(`${"h".repeat(40)}… (1,048,576 characters)`);
    expect(showColumn("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
  });
});

describe("issue messages that repeat a cell", () => {
  it("a 1 MB bad number gives a short message", () => {
    const big = "9,".repeat(MB / 2);
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rowsWith(0, 2, big)))));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["invalid_cell", "mentees.csv:2:level"],
    ]);
    expect(issues[0].message).toBe(
      `Expected a whole number, got "${"9,".repeat(20)}…" (1,048,576 characters)`,
    );
    expect(formatIssues(issues).length).toBeLessThan(200);
  });

  it("a 1 MB bad boolean too", () => {
    const issues = issuesOf(() =>
      parseCohortCsv(sources(menteesCsv(rowsWith(1, 5, "n".repeat(MB))))),
    );
    expect(issues[0].message.length).toBeLessThan(120);
    expect(issues[0].message).toContain("(1,048,576 characters)");
  });

  it("formula text in a number cell is not repeated raw", () => {
    const formula = '=HYPERLINK("http://x","y")';
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rowsWith(0, 3, formula)))));
    expect(issues.map(where)).toEqual(["mentees.csv:2:tenure_months"]);
    const message = formatIssues(issues);
    expect(message).not.toContain(formula);
    expect(message).not.toContain('"=HYPERLINK');
    expect(issues[0].message).toBe(`Expected a number, got "'=HYPERLINK(\\"http://x\\",\\"y\\")"`);
  });

  it("formula text in a boolean or skill cell is not repeated raw", () => {
    const rows = rowsWith(0, 5, "@SUM(A1)");
    rows[1][7] = "-2+3";
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows))));
    expect(issues.map(where)).toEqual(["mentees.csv:2:high_potential", "mentees.csv:3:target:sql"]);
    expect(issues[0].message).toBe(`Expected true/false, yes/no or 1/0, got "'@SUM(A1)"`);
    expect(issues[1].message).toContain(`got "'-2+3"`);
  });

  it("a cell written escaped ('=1) is shown as written", () => {
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rowsWith(0, 2, "'=1")))));
    expect(issues[0].message).toContain(`got "'=1"`);
  });

  it("a huge or formula header: short warning, short location", () => {
    const long = `notes ${"x".repeat(MB)}`;
    const formula = "=cmd|' /C calc'!A0";
    const header = [...MENTEE_HEADER, long, formula];
    const rows = MENTEE_ROWS.map((r) => [...r, "", ""]);
    const read = readCohortCsv(sources(csv([header, ...rows])));
    expect(read.issues).toEqual([]);
    expect(read.warnings.map((w) => [w.code, where(w)])).toEqual([
      ["unknown_column", `mentees.csv:1:notes ${"x".repeat(34)}… (1,048,582 characters)`],
      ["unknown_column", "mentees.csv:1:'=cmd|' /C calc'!A0"],
    ]);
    const text = formatIssues(read.warnings);
    expect(text.length).toBeLessThan(2000);
    expect(text).not.toContain(`"${formula}`);
    expect(read.warnings[1].message).toMatch(/^Unknown column "'=cmd\|' \/C calc'!A0" is ignored/);
  });

  it("a duplicate or unknown-skill header is shown the same way", () => {
    const long = `target:${"s".repeat(100)}`;
    const header = [...MENTEE_HEADER, long, "LEVEL"];
    const rows = MENTEE_ROWS.map((r) => [...r, "1", "1"]);
    const issues = issuesOf(() => parseCohortCsv(sources(csv([header, ...rows]))));
    expect(issues.map((i) => i.code)).toEqual(["unknown_skill", "duplicate_column"]);
    expect(issues[0].message).toBe(
      `Unknown skill "${"s".repeat(40)}…" (100 characters): declare it in the config's skills or rename the column`,
    );
    expect(where(issues[0])).toBe(`mentees.csv:1:target:${"s".repeat(33)}… (107 characters)`);
    expect(issues[1].message).toBe('Column "LEVEL" repeats column "level"; keep one of them');
  });

  it("a long header keeps its issues on one cell: CSV and validation issues are not doubled", () => {
    // A long group header; a missing id is reported once, under the header as issues show it.
    const long = `group:${"g".repeat(60)}`;
    const header = [...MENTEE_HEADER, long];
    const rows = MENTEE_ROWS.map((r) => [...r, "x"]);
    rows[0][2] = "2.5"; // not a whole level: a validation issue, mapped to its cell
    const issues = issuesOf(() => parseCohortCsv(sources(csv([header, ...rows]))));
    expect(issues.map(where)).toEqual(["mentees.csv:2:level"]);
  });
});

describe("validation messages quote the user's text by the same rule", () => {
  it("an unknown tier written as a formula is named escaped, not raw", () => {
    const formula = '=HYPERLINK("http://x","y")';
    const header = [...MENTEE_HEADER, "tiers"];
    const rows = MENTEE_ROWS.map((r, i) => [...r, i === 0 ? formula : ""]);
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows, header))));
    const message = formatIssues(issues);
    expect(message).toContain("'=HYPERLINK");
    expect(message).not.toContain('"=HYPERLINK');
  });

  it("an unknown id of 200 characters is cut in the message", () => {
    const long = "x".repeat(200);
    const header = [...MENTEE_HEADER, "tiers"];
    const rows = MENTEE_ROWS.map((r, i) => [...r, i === 0 ? long : ""]);
    const issues = issuesOf(() => parseCohortCsv(sources(menteesCsv(rows, header))));
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) expect(i.message).not.toContain(long);
    expect(formatIssues(issues)).toContain("(200 characters)");
  });
});
