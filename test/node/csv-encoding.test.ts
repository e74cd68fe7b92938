/**
 * Encoding: a CSV file given as bytes must be UTF-8. Bytes that are not are an `invalid_utf8`
 * issue at the row and column holding them, with what to do; a real U+FFFD character is text like
 * any other. Text given as a string has no bytes left to check.
 */
import { Buffer } from "node:buffer";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateCohort } from "../../src/generate/cohort.js";
import {
  parseCohortCsv,
  readCohortCsv,
  safeParseCohortCsv,
  type CsvSource,
} from "../../src/node/csv.js";
import { writeCohortCsv } from "../../src/node/csv-write.js";
import { cohortFilesIn, loadCohort, readCohortInputFromFiles } from "../../src/node/files.js";
import { InputError } from "../../src/schema/errors.js";
import {
  CONFIG,
  MENTEE_HEADER,
  MENTEE_ROWS,
  MENTOR_ROWS,
  csv,
  issuesOf,
  menteesCsv,
  mentorsCsv,
  where,
} from "./helpers.js";

const FIX = "save the file as CSV UTF-8";

/** Bytes of a CSV text in which every `§` stands for the byte 0xE9 (é in Windows-1252). */
function latin1(text: string): Buffer {
  const parts: Uint8Array[] = [];
  text.split("§").forEach((part, k) => {
    if (k > 0) parts.push(Uint8Array.of(0xe9));
    parts.push(utf8(part));
  });
  return Buffer.concat(parts);
}

function utf8(text: string): Buffer {
  return Buffer.from(text, "utf8");
}

function sources(mentees: CsvSource, mentors: CsvSource = { bytes: utf8(mentorsCsv()) }) {
  return {
    mentees: { file: "mentees.csv", ...mentees },
    mentors: { file: "mentors.csv", ...mentors },
    config: CONFIG,
  };
}

function rowsWith(r: number, c: number, value: string): string[][] {
  const rows = MENTEE_ROWS.map((row) => [...row]);
  rows[r][c] = value;
  return rows;
}

describe("invalid UTF-8", () => {
  it("is an error naming the file, row and column, with the fix", () => {
    const bytes = latin1(menteesCsv(rowsWith(1, 1, "op§rations")));
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes })));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["invalid_utf8", "mentees.csv:3:department"],
    ]);
    expect(issues[0].message).toBe(
      'Not UTF-8: byte 0xE9 cannot be read (shown as \uFFFD in "op\uFFFDrations"); it looks like ' +
        'Windows-1252 / Latin-1, where it reads "opérations"; save the file as CSV UTF-8 ' +
        '(in Excel: File › Save As › "CSV UTF-8 (Comma delimited)") and load it again',
    );
    let error: unknown;
    try {
      parseCohortCsv(sources({ bytes }));
    } catch (e) {
      error = e;
    }
    expect((error as InputError).message).toContain(
      'mentees.csv row 3, column "department": Not UTF-8: byte 0xE9',
    );
  });

  it("in the header is an error too (it used to be a warning about an unknown column)", () => {
    const header = MENTEE_HEADER.map((h) => (h === "group:gender" ? "group:g§nder" : h));
    const bytes = latin1(menteesCsv(MENTEE_ROWS, header));
    const read = readCohortCsv(sources({ bytes }));
    expect(read.warnings).toEqual([]);
    expect(read.issues.map((i) => [i.code, where(i)])).toEqual([
      ["invalid_utf8", "mentees.csv:1:group:g\uFFFDnder"],
    ]);
    expect(read.issues[0].message).toMatch(/^Not UTF-8: byte 0xE9 in this header cannot be read/);
    expect(read.issues[0].message).toContain(FIX);
    expect(read.origin.mentees.readable).toBe(false);
  });

  it("finds the header after blank lines and a byte order mark", () => {
    const bytes = Buffer.concat([utf8("\uFEFF\n\n"), latin1(menteesCsv(rowsWith(0, 0, "§1")))]);
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes })));
    expect(issues.map(where)).toEqual(["mentees.csv:4:id"]);
  });

  it("is reported for every bad cell of both files at once, with the other file's issues", () => {
    const mentees = latin1(menteesCsv(rowsWith(0, 1, "§")));
    const mentors = MENTOR_ROWS.map((r) => [...r]);
    mentors[0][1] = "d§t§";
    mentors[1][6] = "caf§";
    const issues = issuesOf(() =>
      parseCohortCsv(sources({ bytes: mentees }, { bytes: latin1(mentorsCsv(mentors)) })),
    );
    expect(issues.map((i) => [i.code, where(i)])).toEqual([
      ["invalid_utf8", "mentees.csv:2:department"],
      ["invalid_utf8", "mentors.csv:2:department"],
      ["invalid_utf8", "mentors.csv:3:training"],
    ]);
    // The file with bad bytes is not read further; the other file's CSV issues still come.
    const badCapacity = MENTOR_ROWS.map((r) => [...r]);
    badCapacity[1][5] = "lots";
    const both = issuesOf(() =>
      parseCohortCsv(sources({ bytes: mentees }, { bytes: utf8(mentorsCsv(badCapacity)) })),
    );
    expect(both.map((i) => [i.code, where(i)])).toEqual([
      ["invalid_utf8", "mentees.csv:2:department"],
      ["invalid_cell", "mentors.csv:3:capacity"],
    ]);
  });

  it("lists the first 20 bad cells of a file and counts the rest", () => {
    const rows = Array.from({ length: 30 }, (_, k) => [
      `e${k}`,
      "R§D",
      "1",
      "12",
      "",
      "",
      "",
      "",
      "F",
    ]);
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes: latin1(menteesCsv(rows)) })));
    expect(issues).toHaveLength(21);
    expect(issues.slice(0, 20).map(where)).toEqual(
      Array.from({ length: 20 }, (_, k) => `mentees.csv:${k + 2}:department`),
    );
    expect(issues[20].message).toMatch(
      /^…and 10 more places further on with bytes that are not UTF-8 \(30 in all\)/,
    );
    expect(issues[20].message).toContain(FIX);
  });

  it("names each kind of bad sequence by its bytes", () => {
    const cases: [number[], string][] = [
      [[0xe9], "byte 0xE9"], // Windows-1252 é
      [[0x80], "byte 0x80"], // a continuation byte alone
      [[0xc0, 0x80], "bytes 0xC0 0x80"], // overlong NUL
      [[0xed, 0xa0, 0x80], "bytes 0xED 0xA0 0x80"], // a UTF-16 surrogate
      [[0xf4, 0x90, 0x80, 0x80], "bytes 0xF4 0x90 0x80 0x80"], // above U+10FFFF
      [[0xe2, 0x82], "bytes 0xE2 0x82"], // € cut short
      [[0xff, 0xfe, 0xfd, 0xfc, 0xfb], "bytes 0xFF 0xFE 0xFD 0xFC …"],
    ];
    for (const [bad, named] of cases) {
      const [before, after] = menteesCsv(rowsWith(2, 8, "X|Y")).split("|");
      const bytes = Buffer.concat([utf8(before), Buffer.from(bad), utf8(after)]);
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
      const issues = issuesOf(() => parseCohortCsv(sources({ bytes })));
      expect(issues.map(where), named).toEqual(["mentees.csv:4:group:gender"]);
      expect(issues[0].message, named).toContain(`Not UTF-8: ${named} cannot be read`);
    }
  });

  it("at the very end of the file (a sequence cut short) is found", () => {
    const bytes = Buffer.concat([utf8(menteesCsv().trimEnd()), Buffer.from([0xe2, 0x82])]);
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes })));
    expect(issues.map(where)).toEqual(["mentees.csv:4:group:gender"]);
  });

  it("names the text line when a multi-line cell comes before, and CRLF files work", () => {
    const rows = rowsWith(0, 8, "two\nlines");
    rows[1][1] = "op§s";
    for (const newline of ["\n", "\r\n"]) {
      const bytes = latin1(csv([MENTEE_HEADER, ...rows], newline));
      const issues = issuesOf(() => parseCohortCsv(sources({ bytes })));
      expect(issues.map(where)).toEqual(["mentees.csv:3:department"]);
      expect(issues[0].message).toContain("(text line 4)");
    }
  });

  it("in a cell past the header says which cell", () => {
    const text = `${MENTEE_HEADER.join(",")}\n${MENTEE_ROWS[0].join(",")},caf§\n`;
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes: latin1(text) })));
    expect(issues.map(where)).toEqual(["mentees.csv:2"]);
    expect(issues[0].message).toContain("byte 0xE9 in cell 10 cannot be read");
  });

  it("in a file that is not CSV either is still reported, by text line", () => {
    const text = `${MENTEE_HEADER.join(",")}\ne1,caf§,1,12\ne2,"ops,2,30\n`;
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes: latin1(text) })));
    expect(issues.map((i) => [i.code, where(i)])).toEqual([["invalid_utf8", "mentees.csv:2"]]);
    expect(issues[0].message).toBe(
      "Not UTF-8: byte 0xE9 on text line 2 cannot be read; save the file as CSV UTF-8 " +
        '(in Excel: File › Save As › "CSV UTF-8 (Comma delimited)") and load it again',
    );
  });

  it("is found in bytes given as a plain Uint8Array too", () => {
    const bytes = new Uint8Array(latin1(menteesCsv(rowsWith(1, 1, "§"))));
    const issues = issuesOf(() => parseCohortCsv(sources({ bytes })));
    expect(issues.map(where)).toEqual(["mentees.csv:3:department"]);
  });

  it("is reported by loadCohort and readCohortInputFromFiles, naming the path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mentorflow-utf8-"));
    try {
      const files = cohortFilesIn(dir);
      await writeFile(files.mentees, latin1(menteesCsv(rowsWith(2, 1, "Montr§al"))));
      await writeFile(files.mentors, mentorsCsv());
      await writeFile(files.config, JSON.stringify(CONFIG));
      const error = await loadCohort(files).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map(where)).toEqual([`${files.mentees}:4:department`]);
      expect((error as InputError).message).toContain(FIX);
      const read = await readCohortInputFromFiles(files);
      expect(read.issues.map((i) => i.code)).toEqual(["invalid_utf8"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("valid UTF-8 stays accepted", () => {
  it("a literal U+FFFD character in a cell and in a header is text like any other", () => {
    const header = [...MENTEE_HEADER, "group:\uFFFD"];
    const rows = MENTEE_ROWS.map((r, k) => [...r, k === 0 ? "a\uFFFDb" : ""]);
    rows[1][1] = "\uFFFD";
    const bytes = utf8(menteesCsv(rows, header));
    const { cohort, warnings } = parseCohortCsv(sources({ bytes }));
    expect(warnings).toEqual([]);
    expect(cohort.index.menteeIds).toEqual(["e1", "e2", "e3"]);
    const read = readCohortCsv(sources({ bytes }));
    expect(read.input.mentees[0].sensitive).toEqual({ gender: "F", "\uFFFD": "a\uFFFDb" });
    expect(read.input.mentees[1].department).toBe("\uFFFD");
  });

  it("bytes and the same text read the same: accents, emoji, a BOM, CRLF", () => {
    const rows = rowsWith(0, 1, "Recherche & Développement 🚀");
    rows[1][8] = "Zoë";
    const text = `\uFEFF${csv([MENTEE_HEADER, ...rows], "\r\n")}`;
    const fromBytes = readCohortCsv(sources({ bytes: utf8(text) }));
    const fromText = readCohortCsv(sources({ text }));
    expect(fromBytes.issues).toEqual([]);
    expect(fromBytes.input).toEqual(fromText.input);
    expect(fromBytes.input.mentees[0].department).toBe("Recherche & Développement 🚀");
  });

  it("text given as a string is not checked: it has no bytes (U+FFFD in it is read as is)", () => {
    const text = menteesCsv(rowsWith(1, 1, "op\uFFFDrations"));
    const read = readCohortCsv(sources({ text }));
    expect(read.issues).toEqual([]);
    expect(read.input.mentees[1].department).toBe("op\uFFFDrations");
  });

  it("a source with neither bytes nor text is reported", () => {
    const result = safeParseCohortCsv(sources({} as CsvSource));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((i) => [i.code, where(i)])).toEqual([["not_text", "mentees.csv:1"]]);
    }
  });
});

// Reproduce a failure with the seed fast-check prints: FC_SEED=123 npx vitest run <this file>
const seedEnv = process.env.FC_SEED;

describe("invalid UTF-8 property", () => {
  it("bytes spliced into a generated file: invalid_utf8 exactly when a strict decoder fails", () => {
    const piece = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 5 }),
      fc
        .constantFrom(
          [0xe9],
          [0xc3],
          [0xc3, 0xa9], // é, valid
          [0xef, 0xbf, 0xbd], // U+FFFD, valid
          [0xf0, 0x9f, 0x9a, 0x80], // 🚀, valid
          [0xed, 0xbf, 0xbf],
          [0xf0, 0x8f, 0xbf, 0xbf],
          [0x22, 0xe9], // a quote then a bad byte
          [0x0d, 0xe9, 0x0a],
        )
        .map((b) => Uint8Array.from(b)),
    );
    const strict = new TextDecoder("utf-8", { fatal: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), piece), { minLength: 1, maxLength: 3 }),
        (mentees, seed, crlf, splices) => {
          const files = writeCohortCsv(generateCohort({ mentees, mentors: 3, seed }), {
            newline: crlf ? "\r\n" : "\n",
          });
          let bytes: Uint8Array = utf8(files.mentees);
          for (const [at, bad] of splices) {
            const cut = at % (bytes.length + 1);
            bytes = Buffer.concat([bytes.subarray(0, cut), bad, bytes.subarray(cut)]);
          }
          let valid = true;
          try {
            strict.decode(bytes);
          } catch {
            valid = false;
          }
          const read = readCohortCsv({
            mentees: { bytes },
            mentors: { text: files.mentors },
            config: JSON.parse(files.config),
          });
          const utf8Issues = read.issues.filter((i) => i.code === "invalid_utf8");
          expect(utf8Issues.length > 0).toBe(!valid);
          if (valid) {
            // Same bytes as text: the same reading.
            const asText = readCohortCsv({
              mentees: { text: Buffer.from(bytes).toString("utf8") },
              mentors: { text: files.mentors },
              config: JSON.parse(files.config),
            });
            expect(read.issues).toEqual(asText.issues);
            expect(read.input).toEqual(asText.input);
          } else {
            for (const issue of utf8Issues) {
              expect(issue.message).toContain(FIX);
              expect(issue.location.kind).toBe("csv");
            }
          }
        },
      ),
      {
        numRuns: 200,
        interruptAfterTimeLimit: 20_000,
        ...(seedEnv !== undefined && seedEnv !== "" ? { seed: Number(seedEnv) } : {}),
      },
    );
  });
});
