/**
 * Properties of the CSV intake on generated cohorts. Reproduce a failure with the seed fast-check
 * prints: FC_SEED=123 npx vitest run test/node/csv-property.test.ts
 */
import { parse } from "csv-parse/sync";
import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateCohort } from "../../src/generate/cohort.js";
import { parseCohortCsv, readCohortCsv, safeParseCohortCsv } from "../../src/node/csv.js";
import { writeCohortCsv } from "../../src/node/csv-write.js";
import { InputError } from "../../src/schema/errors.js";
import { quoteCell } from "./helpers.js";

const seedEnv = process.env.FC_SEED;
const params = (numRuns: number) => ({
  numRuns,
  interruptAfterTimeLimit: 20_000,
  ...(seedEnv !== undefined && seedEnv !== "" ? { seed: Number(seedEnv) } : {}),
});

const cohortOptions = fc.record({
  mentees: fc.integer({ min: 1, max: 25 }),
  mentors: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

const NUMBER_COLUMNS = new Set([
  "level",
  "tenure_months",
  "hours_per_month",
  "utc_offset",
  "capacity",
  "min_load",
  "rounds_unmatched",
  "min_mentors",
  "max_mentors",
]);
const BOOLEAN_COLUMNS = new Set(["high_potential", "consent_analytics"]);
const REQUIRED_TEXT = new Set(["id", "department", "tier"]);

/** A value that is wrong for the column, or null when the column takes any text. */
function badValueFor(header: string, pick: number): string | null {
  if (NUMBER_COLUMNS.has(header) || /^(current|target|skill):/.test(header)) {
    return ["abc", "1,5", "0x1", "NaN", "1e", "--2", "½", "Infinity"][pick % 8];
  }
  if (BOOLEAN_COLUMNS.has(header)) return ["maybe", "2", "ja", "t"][pick % 4];
  if (REQUIRED_TEXT.has(header)) return ["", "  "][pick % 2];
  return null;
}

function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(quoteCell).join(",")).join("\n") + "\n";
}

describe("CSV intake properties", () => {
  it("a corrupted cell is reported at its row and column, as an InputError", () => {
    fc.assert(
      fc.property(
        cohortOptions,
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (options, onMentors, rowPick, colPick, valuePick) => {
          const files = writeCohortCsv(generateCohort(options));
          const text = onMentors ? files.mentors : files.mentees;
          const rows = parse(text) as string[][];
          const header = rows[0];
          const columns = header
            .map((h, c) => ({ c, bad: badValueFor(h, valuePick) }))
            .filter((x) => x.bad !== null);
          const { c, bad } = columns[colPick % columns.length];
          const r = 1 + (rowPick % (rows.length - 1));
          rows[r][c] = bad as string;
          const corrupted = toCsv(rows);
          const sources = {
            mentees: { text: onMentors ? files.mentees : corrupted, file: "mentees.csv" },
            mentors: { text: onMentors ? corrupted : files.mentors, file: "mentors.csv" },
            config: JSON.parse(files.config),
          };
          const result = safeParseCohortCsv(sources);
          expect(result.ok).toBe(false);
          if (result.ok) return;
          const file = onMentors ? "mentors.csv" : "mentees.csv";
          const hit = result.issues.find(
            (i) =>
              i.location.kind === "csv" &&
              i.location.file === file &&
              i.location.row === r + 1 &&
              i.location.column === header[c],
          );
          expect(hit, `no issue at ${file} row ${r + 1} column ${header[c]}`).toBeDefined();
          expect(() => parseCohortCsv(sources)).toThrow(InputError);
        },
      ),
      params(150),
    );
  });

  it("text spliced anywhere into a valid file gives a cohort or an InputError, never another error", () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('"', '""', "\n", "\r\n", ",", "=1", "'", "\r", ";", "\uFEFF", "@"),
    );
    fc.assert(
      fc.property(cohortOptions, fc.boolean(), fc.nat(), junk, (options, onMentors, at, piece) => {
        const files = writeCohortCsv(generateCohort(options));
        const text = onMentors ? files.mentors : files.mentees;
        const cut = at % (text.length + 1);
        const spliced = text.slice(0, cut) + piece + text.slice(cut);
        const sources = {
          mentees: { text: onMentors ? files.mentees : spliced },
          mentors: { text: onMentors ? spliced : files.mentors },
          config: JSON.parse(files.config),
        };
        let error: unknown;
        try {
          parseCohortCsv(sources);
        } catch (e) {
          error = e;
        }
        if (error === undefined) return;
        expect(error).toBeInstanceOf(InputError);
        const texts: Record<string, string> = {
          "mentees.csv": sources.mentees.text,
          "mentors.csv": sources.mentors.text,
        };
        for (const issue of (error as InputError).issues) {
          if (issue.location.kind !== "csv") continue;
          const lines = texts[issue.location.file].split(/\r\n|\n|\r/).length;
          expect(issue.location.row).toBeGreaterThanOrEqual(1);
          expect(issue.location.row).toBeLessThanOrEqual(lines);
        }
      }),
      params(300),
    );
  });

  it("no row disappears: every non-blank data row becomes a record at its row number", () => {
    fc.assert(
      fc.property(cohortOptions, fc.array(fc.nat(), { maxLength: 4 }), (options, blanks) => {
        const files = writeCohortCsv(generateCohort(options));
        const lines = files.mentees.trimEnd().split("\n");
        // Insert blank lines after some data rows; they count as rows but hold no person.
        for (const b of blanks) lines.splice(1 + (b % lines.length), 0, "");
        const text = lines.join("\n");
        const read = readCohortCsv({
          mentees: { text },
          mentors: { text: files.mentors },
          config: JSON.parse(files.config),
        });
        expect(read.issues).toEqual([]);
        const expectedRows = lines.flatMap((line, k) => (k > 0 && line !== "" ? [k + 1] : []));
        expect(read.origin.mentees.rows).toEqual(expectedRows);
        expect(read.input.mentees).toHaveLength(options.mentees);
      }),
      params(100),
    );
  });

  it("generate → write → read is the identity on generated inputs", () => {
    fc.assert(
      fc.property(cohortOptions, fc.boolean(), (options, crlf) => {
        const input = generateCohort(options);
        const files = writeCohortCsv(input, { newline: crlf ? "\r\n" : "\n" });
        const read = readCohortCsv({
          mentees: { text: files.mentees },
          mentors: { text: files.mentors },
          config: JSON.parse(files.config),
        });
        expect(read.issues).toEqual([]);
        expect(read.input).toEqual(input);
      }),
      params(60),
    );
  });
});

describe("CSV row and line numbers", () => {
  // The reader counts line breaks itself (csv-parse's per-record info is slow); check it against
  // csv-parse's byte offsets: record r starts after the bytes of records 0..r-1.
  function expectedLines(text: string): { rows: number[]; lines: number[] } {
    const bytes = Buffer.from(text, "utf8");
    const records = parse(bytes, {
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      record_delimiter: ["\r\n", "\n", "\r"],
    }) as unknown as { record: string[]; info: { bytes: number } }[];
    const lineAt = (offset: number) => {
      let line = 1;
      for (let i = 0; i < offset; i++) {
        if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
      }
      return line;
    };
    const blank = (cells: string[]) => cells.every((c) => c.trim() === "");
    const header = records.findIndex((r) => !blank(r.record));
    const rows: number[] = [];
    const lines: number[] = [];
    for (let r = header + 1; r < records.length; r++) {
      if (blank(records[r].record)) continue;
      rows.push(r + 1);
      lines.push(lineAt(records[r - 1].info.bytes));
    }
    return { rows, lines };
  }

  it("match csv-parse's byte offsets, with multi-line cells and mixed line endings", () => {
    const cell = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("", "x", "1", " ", "a b") },
      { weight: 1, arbitrary: fc.constantFrom("two\nlines", "a\r\nb", "c\rd", "\n", 'q"q', "x,y") },
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 10 });
    const newline = fc.constantFrom("\n", "\r\n", "\r");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(row, newline), { maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        (body, bom, trailing) => {
          let text = `${bom ? "\uFEFF" : ""}id,department,level\n`;
          body.forEach(([cells, nl], k) => {
            text += cells.map(quoteCell).join(",");
            if (trailing || k < body.length - 1) text += nl;
          });
          const read = readCohortCsv({
            mentees: { text },
            mentors: { text: "id\n" },
            config: {},
          });
          const expected = expectedLines(text);
          expect(read.origin.mentees.rows).toEqual(expected.rows);
          expect(read.origin.mentees.lines).toEqual(expected.lines);
        },
      ),
      params(300),
    );
  });
});
