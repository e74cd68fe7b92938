/**
 * `mentorflow match --history / --record / --round` end to end, as a spawned process: rounds
 * recorded into one history file never repeat a pair, last round's unmatched are reported, a
 * round is recorded once, and an invalid history exits 2 with every problem at its row and column.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JsonResult } from "../../src/cli/commands/match.js";
import { loadHistory } from "../../src/node/history.js";
import { root, useCli } from "./helpers.js";

const example = join(root, "examples/data");
const { mf, path } = useCli("rounds");

describe("match --history --record --round", () => {
  it("three rounds into one file: no pair repeats, the history line says what it did", async () => {
    const file = path("history.csv");
    const seen = new Set<string>();
    for (const round of ["1", "2", "3"]) {
      const json = path(`r${round}.json`);
      const r = await mf(
        "match",
        example,
        "--history",
        file,
        "--record",
        file,
        "--round",
        round,
        "--json",
        json,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`wrote ${file} (round "${round}": 40 records)`);
      const result = JSON.parse(await readFile(json, "utf8")) as JsonResult;
      for (const p of result.result.pairs) {
        const key = `${p.mentee}\u0000${p.mentor}`;
        expect(seen.has(key), `${key} repeats in round ${round}`).toBe(false);
        seen.add(key);
      }
      expect(result.recorded).toEqual({ file, round, records: 40 });
      if (round === "1") expect(r.stdout).toContain("holds no rounds yet");
      else {
        expect(result.history?.round).toBe(String(Number(round) - 1));
        expect(r.stdout).toMatch(
          /history: .* up to round "\d": \d+ past pairs ruled out as repeats/,
        );
      }
    }
    const { history } = await loadHistory(file);
    expect(history.rounds).toEqual(["1", "2", "3"]);
    expect((await readFile(file, "utf8")).startsWith("\uFEFFround,date,mentee,mentor")).toBe(true);

    // The same round again is refused before matching.
    const again = await mf("match", example, "--record", file, "--round", "3");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`Round "3" is already in ${file}`);
  }, 60_000);

  it("--record needs --round, and --round needs --record", async () => {
    const a = await mf("match", example, "--record", path("x.csv"));
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("--record needs --round <id>");
    const b = await mf("match", example, "--round", "2");
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("add --record <file>");
  });

  it("a missing history file (not the one being recorded) exits 2", async () => {
    const r = await mf("match", example, "--history", path("none.csv"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no such file");
  });

  it("an invalid history exits 2 with every problem at its row and column; nothing matched", async () => {
    const file = path("bad.csv");
    await writeFile(file, "round,mentee,mentor,outcome\n1,e001,m001,done\n,e002,,\n1,e003,e003,\n");
    const out = path("bad-matches.csv");
    const r = await mf("match", example, "--history", file, "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`The history ${file} has 3 problems; nothing was matched`);
    expect(r.stderr).toContain(`${file} row 2, column "outcome"`);
    expect(r.stderr).toContain(`${file} row 3, column "round"`);
    expect(r.stderr).toContain(`${file} row 4, column "mentor"`);
    await expect(readFile(out)).rejects.toThrow();
  });

  it("people of the history who left are warnings at their rows, not errors", async () => {
    const file = path("left.csv");
    await writeFile(file, "round,mentee,mentor\n1,e001,m001\n1,gone,m002\n1,e002,m999\n");
    const r = await mf("match", example, "--history", file, "--quiet");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${file} row 3, column "mentee": Unknown mentee: "gone"`);
    expect(r.stderr).toContain(`${file} row 4, column "mentor": Unknown mentor: "m999"`);
  });
});
