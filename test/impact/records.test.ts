/** The program's records after the match: valid ones sorted; every issue at once, each at its
 * path; against the cohort's people, skills and scale; consent. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { generateCohort, parseCohort } from "../../src/index.js";
import {
  consenting,
  parseProgramRecords,
  safeParseProgramRecords,
} from "../../src/impact/records.js";
import { InputError } from "../../src/schema/errors.js";

const cohort = parseCohort(generateCohort({ mentees: 12, mentors: 4, seed: 3, equity: false }));
const [e1, e2] = cohort.index.menteeIds;
const [m1] = cohort.index.mentorIds;
const skill = cohort.index.skillIds[0];

describe("program records", () => {
  it("valid records come back sorted by date, then people", () => {
    const r = parseProgramRecords(
      {
        start: "2025-01-01",
        checkIns: [
          { mentee: e2, mentor: m1, date: "2025-03-01", held: true },
          { mentee: e1, mentor: m1, date: "2025-03-01", held: false, note: "sick" },
          { mentee: e1, mentor: m1, date: "2025-02-01", held: true, proficiency: { [skill]: 2 } },
        ],
        outcomes: [
          { person: e1, kind: "left", date: "2025-09-01" },
          { person: e2, kind: "independence", date: "2025-06-01", goal: skill },
        ],
      },
      cohort,
    );
    expect(r.checkIns.map((c) => `${c.date} ${c.mentee}`)).toEqual([
      `2025-02-01 ${e1}`,
      `2025-03-01 ${e1}`,
      `2025-03-01 ${e2}`,
    ]);
    expect(r.outcomes.map((o) => o.kind)).toEqual(["independence", "left"]);
    expect(r.checkIns[1].note).toBe("sick");
  });

  it("every issue at once, each at its path", () => {
    const r = safeParseProgramRecords(
      {
        start: "2025-01-01",
        checkIns: [
          { mentee: e1, mentor: m1, date: "2024-12-31", held: true },
          { mentee: "nobody", mentor: m1, date: "2025-02-30", held: true },
          { mentee: e1, mentor: "m-none", date: "2025-02-01", held: "yes" },
          {
            mentee: e2,
            mentor: m1,
            date: "2025-02-01",
            held: true,
            proficiency: { [skill]: 99, nope: 1 },
          },
          { mentee: e2, mentor: m1, date: "2025-02-01", held: true },
        ],
        outcomes: [
          { person: "ghost", kind: "promotion", date: "2025-05-01" },
          { person: e1, kind: "left", date: "2025-05-01" },
          { person: e1, kind: "left", date: "2025-06-01" },
          { person: e2, kind: "promotion", date: "2025-05-01", goal: skill },
          { person: e2, kind: "retired", date: "2025-05-01" },
        ],
        extra: 1,
      },
      cohort,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const at = r.issues.map(
      (i) => `${i.code} ${JSON.stringify(i.location.kind === "path" ? i.location.path : [])}`,
    );
    for (const want of [
      'invalid_value ["checkIns",0,"date"]', // before the start
      '["checkIns",1,"date"]', // not a date
      'invalid_type ["checkIns",2,"held"]',
      'off_scale ["checkIns",3,"proficiency","' + skill + '"]',
      'unknown_skill ["checkIns",3,"proficiency","nope"]',
      'duplicate_pair ["checkIns",4]',
      'unknown_mentee ["outcomes",0,"person"]',
      'duplicate_pair ["outcomes",2]',
      'invalid_value ["outcomes",3,"goal"]',
      '["outcomes",4,"kind"]',
      'unrecognized_key ["extra"]',
    ])
      expect(
        at.some((a) => a.includes(want)),
        `${want} in ${at.join("; ")}`,
      ).toBe(true);
    expect(() => parseProgramRecords({ start: "x", checkIns: [], outcomes: [] })).toThrow(
      InputError,
    );
    // A mistyped year: more than 10 years after the start, at its date.
    const late = safeParseProgramRecords({
      start: "2025-01-01",
      checkIns: [{ mentee: "a", mentor: "b", date: "2205-01-01", held: true }],
      outcomes: [{ person: "a", kind: "left", date: "2035-01-02" }],
    });
    expect(!late.ok && late.issues.map((i) => i.message)).toEqual([
      "The check-in on 2205-01-01 is more than 10 years after the program's start (2025-01-01): check the year",
      "The outcome on 2035-01-02 is more than 10 years after the program's start (2025-01-01): check the year",
    ]);
  });

  it("a date is read as zod's ISO date reads it (the quick path agrees, leap years included)", () => {
    const D = z.iso.date();
    for (const y of [1900, 1999, 2000, 2024, 2100])
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const date = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const r = safeParseProgramRecords({
            start: `${y}-01-01`,
            checkIns: [{ mentee: "a", mentor: "b", date, held: true }],
            outcomes: [],
          });
          expect(r.ok, date).toBe(D.safeParse(date).success);
        }
  });

  it("keeps no reference to the caller's objects", () => {
    const proficiency: Record<string, number> = { [skill]: 2 };
    const input = {
      start: "2025-01-01",
      checkIns: [{ mentee: e1, mentor: m1, date: "2025-02-01", held: true, proficiency }],
      outcomes: [],
    };
    const r = parseProgramRecords(input, cohort);
    proficiency[skill] = 3;
    input.checkIns[0].held = false;
    expect(r.checkIns[0].proficiency![skill]).toBe(2);
    expect(r.checkIns[0].held).toBe(true);
    // What the quick path declines (an id with spaces around it) zod reads: the same records.
    const spaced = parseProgramRecords(
      { ...input, checkIns: [{ ...input.checkIns[0], held: true, mentee: ` ${e1} ` }] },
      cohort,
    );
    expect(spaced).toEqual({ ...r, checkIns: [{ ...r.checkIns[0], proficiency: { [skill]: 3 } }] });
  });

  it("without a cohort, only the records' own rules; consent lists the mentees who gave it", () => {
    expect(
      safeParseProgramRecords({
        start: "2025-01-01",
        checkIns: [{ mentee: "anyone", mentor: "else", date: "2025-01-02", held: true }],
        outcomes: [],
      }).ok,
    ).toBe(true);
    const ok = consenting(cohort);
    cohort.index.menteeIds.forEach((id, i) =>
      expect(ok.has(id)).toBe(cohort.view.mentees.consentAnalytics[i] === 1),
    );
  });
});
