/** The records' CSV form (checkins.csv, outcomes.csv): read row by row into the follow-up with
 * the same figures as the JSON records, every problem at its row and column, spreadsheets'
 * habits (separators, quoted line breaks, no final line break), and the matches CSV. */
import { describe, expect, it } from "vitest";
import {
  generateCohort,
  match,
  parseCohort,
  programImpact,
  summarizeMatch,
} from "../../src/index.js";
import { generateProgramRecords } from "../../src/generate/history.js";
import { parseProgramRecords } from "../../src/impact/records.js";
import { scorecard } from "../../src/impact/scorecard.js";
import {
  parseFollowUpCsv,
  readMatchesCsv,
  safeParseFollowUpCsv,
  writeProgramRecordsCsv,
} from "../../src/node/impact.js";
import { writeMatchesCsv } from "../../src/node/results.js";
import { InputError, type Issue } from "../../src/schema/errors.js";

function setup() {
  const cohort = parseCohort(generateCohort({ mentees: 80, mentors: 20, seed: 3, equity: false }));
  const result = match(cohort);
  const records = parseProgramRecords(
    generateProgramRecords(cohort, result, { months: 12, seed: 3 }),
    cohort,
  );
  return { cohort, result, records };
}

const cells = (issues: readonly Issue[]) =>
  issues.map((i) =>
    i.location.kind === "csv"
      ? `${i.code} ${i.location.file}:${i.location.row}${i.location.column ? ` ${i.location.column}` : ""}`
      : `${i.code} ${i.location.kind === "path" ? i.location.path.join(".") : ""}`,
  );

describe("records CSV", () => {
  it("written and read back: the same impact as the JSON records, with notes that need quoting", () => {
    const { cohort, result, records } = setup();
    const noted = {
      ...records,
      checkIns: records.checkIns.map((c, k) =>
        k % 7 === 0 ? { ...c, note: `line one, "quoted"\nline two =SUM(A1)` } : c,
      ),
    };
    const csv = writeProgramRecordsCsv(noted, { newline: "\r\n" });
    const r = parseFollowUpCsv(cohort, result, {
      start: records.start,
      checkIns: { text: csv.checkIns },
      outcomes: { text: csv.outcomes },
    });
    expect(r.warnings).toEqual([]);
    expect(r.followUp.checkIns).toBe(records.checkIns.length);
    expect(r.followUp.outcomes).toBe(records.outcomes.length);
    expect(programImpact(cohort, result, r.followUp)).toEqual(
      programImpact(cohort, result, records),
    );
  });

  it("a file separated by ; with decimal commas, no final line break, and no outcomes file", () => {
    const { cohort, result } = setup();
    const S = cohort.view.nSkills;
    const { consentAnalytics, current, target } = cohort.view.mentees;
    // A consenting mentee with a mentor and a skill in the gap, re-assessed at 2,5.
    const p = result.pairs.find((x) => {
      const i = cohort.index.menteeById.get(x.mentee)!;
      return (
        consentAnalytics[i] === 1 &&
        cohort.index.skillIds.some((_, k) => target[i * S + k] - current[i * S + k] > 0.5)
      );
    })!;
    const i = cohort.index.menteeById.get(p.mentee)!;
    const k = cohort.index.skillIds.findIndex(
      (_, k) => target[i * S + k] - current[i * S + k] > 0.5,
    );
    const skill = cohort.index.skillIds[k];
    const level = String(current[i * S + k] + 0.5).replace(".", ",");
    const text = `mentee;mentor;date;held;proficiency:${skill}\n${p.mentee};${p.mentor};2025-02-01;yes;${level}\n${p.mentee};${p.mentor};2025-03-01;no;`;
    const r = parseFollowUpCsv(cohort, result, { start: "2025-01-01", checkIns: { text } });
    expect(r.followUp.checkIns).toBe(2);
    const { offsets, level: levels, skill: skills } = r.followUp.assessments;
    expect(Array.from(skills.subarray(offsets[i], offsets[i + 1]))).toEqual([k]);
    expect(levels[offsets[i]]).toBe(current[i * S + k] + 0.5);
    const mine = scorecard(cohort, result, r.followUp).mentees.find((m) => m.mentee === p.mentee)!;
    expect([mine.checkInsPlanned, mine.checkInsHeld]).toEqual([2, 1]);
  });

  it("every problem at its file, row and column; a skill the cohort lacks once, at its header", () => {
    const { cohort, result } = setup();
    const [p, q] = result.pairs;
    const skill = cohort.index.skillIds[0];
    const checkIns = [
      `mentee,mentor,date,held,note,proficiency:${skill},proficiency:juggling`,
      `${p.mentee},${p.mentor},2025-02-01,true,,,`,
      `${p.mentee},${p.mentor},2025-02-01,false,,,`, // the same pair and day again
      `ghost,${p.mentor},2025-02-03,true,,,`,
      `${q.mentee},${q.mentor},03/02/2025,maybe,,,`,
      `${q.mentee},${q.mentor},2025-03-05,true,"a note`,
      `over two lines",99,1`,
      `${q.mentee},${q.mentor},2024-12-01,true,,,`,
    ].join("\n");
    const outcomes = [
      "person,kind,date,goal",
      `${p.mentee},retired,2025-05-01,`,
      `${p.mentee},left,2025-05-01,${skill}`,
    ].join("\n");
    const r = safeParseFollowUpCsv(cohort, result, {
      start: "2025-01-01",
      checkIns: { text: checkIns },
      outcomes: { text: outcomes },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(cells(r.issues)).toEqual(
      expect.arrayContaining([
        "unknown_skill checkins.csv:1 proficiency:juggling",
        "invalid_cell checkins.csv:5 held",
        "invalid_format checkins.csv:5 date",
        "unknown_mentee checkins.csv:4 mentee",
        `off_scale checkins.csv:6 proficiency:${skill}`,
        "invalid_value checkins.csv:7 date",
        "duplicate_pair checkins.csv:3",
        "invalid_value outcomes.csv:2 kind",
        "invalid_value outcomes.csv:3 goal",
      ]),
    );
    // The skill column the cohort lacks is reported once, not on every row.
    expect(cells(r.issues).filter((c) => c.includes("juggling"))).toHaveLength(1);
    // A row after a quoted line break names its text line too.
    expect(
      r.issues.find((i) => i.code === "invalid_value" && i.message.includes("2024-12-01"))?.message,
    ).toMatch(/text line 8/);
    // Never half a result.
    expect(() =>
      parseFollowUpCsv(cohort, result, { start: "2025-01-01", checkIns: { text: checkIns } }),
    ).toThrow(InputError);
  });

  it("a missing column, an unreadable start, a workbook instead of CSV", () => {
    const { cohort, result } = setup();
    const noHeld = safeParseFollowUpCsv(cohort, result, {
      start: "2025-01-01",
      checkIns: { text: "mentee,mentor,date\ne1,m1,2025-02-01\n" },
    });
    expect(!noHeld.ok && cells(noHeld.issues)).toEqual(["missing_column checkins.csv:1 held"]);
    const badStart = safeParseFollowUpCsv(cohort, result, {
      start: "2025-02-30",
      checkIns: { text: "mentee,mentor,date,held\n" },
    });
    expect(!badStart.ok && cells(badStart.issues)).toEqual(["invalid_value start"]);
    const xlsx = safeParseFollowUpCsv(cohort, result, {
      start: "2025-01-01",
      checkIns: { bytes: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]) },
    });
    expect(!xlsx.ok && cells(xlsx.issues)).toEqual(["not_text checkins.csv:1"]);
  });

  it("the matches CSV as match --out writes it gives the match's pairs", () => {
    const { cohort, result } = setup();
    const read = readMatchesCsv({ text: writeMatchesCsv(summarizeMatch(cohort, result)) });
    expect(read.issues).toEqual([]);
    expect(read.warnings).toEqual([]);
    expect(read.match.pairs).toEqual(
      result.pairs.map((p) => ({ mentee: p.mentee, mentor: p.mentor })),
    );
  });
});
