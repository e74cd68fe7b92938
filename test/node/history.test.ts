/**
 * History files (src/node/history.ts): JSON and CSV round trips (formula-looking ids included),
 * the CSV reader's conventions (rows, columns, BOM, `;` files), every issue at its row and
 * column, and the files on disk (load, save, append a round once).
 */
import fc from "fast-check";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, parseHistory, type HistoryRecordInput } from "../../src/index.js";
import {
  appendHistory,
  loadHistory,
  parseHistoryCsv,
  safeParseHistoryCsv,
  saveHistory,
  writeHistoryCsv,
  writeHistoryJson,
} from "../../src/node/index.js";
import { fcParams } from "../solve/fc-params.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mentorflow-history-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const id = fc.constantFrom(
  "e1",
  "e2",
  "m1",
  "=SUM(A1)",
  "-x",
  "@y",
  "'=z",
  "a,b",
  'q"t',
  "Ω",
  "10",
);
const recordArb: fc.Arbitrary<HistoryRecordInput> = fc.record(
  {
    round: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constantFrom("2025-H1", "+r", "r 2")),
    date: fc.constantFrom("2025-01-01", "2026-12-31"),
    mentee: id,
    mentor: id,
    outcome: fc.constantFrom("completed" as const, "ended_early" as const),
    reason: fc.constantFrom("moved teams", "=cmd", "line\nbreak", "mentors_full"),
  },
  { requiredKeys: ["round", "mentee"] },
);
/** Valid histories: no self pairs, no outcome without a mentor, one record per (round, mentee,
 * mentor) and no mentee both paired and unmatched in a round. */
const historyArb = fc.array(recordArb, { maxLength: 12 }).map((records) => {
  const seen = new Set<string>();
  const out: HistoryRecordInput[] = [];
  for (const r of records) {
    if (r.mentor === r.mentee) continue;
    const { outcome, ...rest } = r;
    const rec = r.mentor === undefined ? rest : r;
    const key = `${String(r.round)}\u0000${r.mentee}`;
    const kind = r.mentor === undefined ? "-" : "+";
    if (seen.has(`${key}\u0000${kind === "-" ? "+" : "-"}`)) continue;
    if (seen.has(`${key}\u0000${r.mentor ?? "-"}`)) continue;
    seen.add(`${key}\u0000${kind}`);
    seen.add(`${key}\u0000${r.mentor ?? "-"}`);
    void outcome;
    out.push(rec);
  }
  return { records: out };
});

describe("history CSV and JSON", () => {
  it("round trip: write then read gives the parsed history back (CSV and JSON)", () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const parsed = parseHistory(h);
        const csv = writeHistoryCsv(h);
        expect(csv.startsWith("\uFEFF")).toBe(true);
        const back = parseHistoryCsv({ text: csv });
        expect(back.history).toEqual(parsed);
        expect(back.warnings.filter((w) => w.code !== "formula_cell")).toEqual([]);
        expect(parseHistory(JSON.parse(writeHistoryJson(h)))).toEqual(parsed);
      }),
      fcParams(200),
    );
  });

  it("escapes formula cells on write (and only text: round numbers stay numbers)", () => {
    const text = writeHistoryCsv({
      records: [{ round: 3, mentee: "=HYPERLINK(1)", mentor: "-m", reason: "@cmd" }],
    });
    expect(text).toBe(
      "\uFEFFround,date,mentee,mentor,outcome,reason\n3,,'=HYPERLINK(1),'-m,,'@cmd\n",
    );
  });

  it("refuses text the format cannot hold, by path", () => {
    try {
      writeHistoryCsv({ records: [{ round: 1, mentee: " e1", reason: "" }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues.map((i) => i.location)).toEqual([
        { kind: "path", path: ["records", 0, "mentee"] },
        { kind: "path", path: ["records", 0, "reason"] },
      ]);
    }
  });

  it("reads what spreadsheets save: BOM, `;` separator, any column order, blank rows", () => {
    const text = "\uFEFFmentee;Round;MENTOR\ne1;2;m1\n\n;;\ne2;2;\n";
    const { history } = parseHistoryCsv({ text });
    expect(history.records).toEqual([
      { round: "2", mentee: "e1", mentor: "m1" },
      { round: "2", mentee: "e2" },
    ]);
  });

  it("every issue at its row and column, other records named by row", () => {
    const text = [
      "round,mentee,mentor,outcome,date,colour",
      "1,e1,m1,,2025-01-01,red",
      ",e2,m2,done,2025-13-01,",
      "1,e1,m1,,,",
      "1,e3,e3,,,",
      "2,e4,,completed,,",
      '"sep",e5',
    ].join("\r\n");
    const r = safeParseHistoryCsv({ text, file: "h.csv" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const where = r.issues.map((i) =>
      i.location.kind === "csv" ? `${i.code} ${i.location.row} ${i.location.column ?? ""}` : "",
    );
    expect(where).toEqual([
      "missing_value 3 round",
      "column_count 7 ",
      "invalid_format 3 date",
      "invalid_value 3 outcome",
      "duplicate_pair 4 ",
      "self_pair 5 mentor",
      "invalid_value 6 outcome",
    ]);
    expect(r.issues[4].message).toContain("by row 2");
    expect(r.warnings.map((w) => w.code)).toEqual(["unknown_column"]);
  });

  it("a missing required column once, not per row; a header only is an empty history", () => {
    const r = safeParseHistoryCsv({ text: "round,mentor\n1,m1\n2,m2\n" });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues.map((i) => [i.code, i.location])).toEqual([
        ["missing_column", { kind: "csv", file: "history.csv", row: 1, column: "mentee" }],
      ]);
    expect(parseHistoryCsv({ text: "round,mentee\n" }).history).toEqual({
      records: [],
      rounds: [],
    });
  });

  it("bytes that are not UTF-8 are refused at their cell", () => {
    const bytes = Buffer.concat([
      Buffer.from("round,mentee,reason\n1,e1,"),
      Buffer.from([0x6d, 0xe9, 0x6d]),
      Buffer.from("\n"),
    ]);
    const r = safeParseHistoryCsv({ bytes });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues[0]).toMatchObject({
        code: "invalid_utf8",
        location: { row: 2, column: "reason" },
      });
  });
});

describe("history files", () => {
  const records: HistoryRecordInput[] = [
    { round: 1, mentee: "e1", mentor: "m1", date: "2025-01-01" },
    { round: 1, mentee: "e2", reason: "mentors_full" },
  ];

  it("save and load by extension: .json is JSON, anything else CSV", async () => {
    for (const name of ["h.json", "h.csv", "sub/h.txt"]) {
      const file = join(dir, name);
      await saveHistory(file, { records });
      const text = await readFile(file, "utf8");
      expect(text.startsWith("\uFEFF")).toBe(!name.endsWith(".json"));
      expect((await loadHistory(file)).history).toEqual(parseHistory({ records }));
    }
  });

  it("append: creates the file, adds a round, refuses a round twice", async () => {
    const file = join(dir, "rounds.csv");
    await appendHistory(file, records);
    const two = await appendHistory(file, [{ round: 2, mentee: "e2", mentor: "m1" }]);
    expect(two.rounds).toEqual(["1", "2"]);
    expect((await loadHistory(file)).history.records).toHaveLength(3);
    await expect(appendHistory(file, [{ round: "2", mentee: "e9" }])).rejects.toThrow(
      /Round "2" is already in/,
    );
  });

  it("unreadable and invalid files are InputErrors with every issue", async () => {
    await expect(loadHistory(join(dir, "none.csv"))).rejects.toThrow(/no such file/);
    const json = join(dir, "bad.json");
    await writeFile(json, '{ "records": [ { "round": 1 } ], "x": 1 }');
    const e = await loadHistory(json).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).issues.map((i) => i.code)).toEqual(["unrecognized_key", "required"]);
    await writeFile(json, "{ nope");
    await expect(loadHistory(json)).rejects.toThrow(/Not valid JSON/);
  });
});
