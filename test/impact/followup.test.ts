/** The one pass over the records (FollowUpBuilder): each mentee's figures and the monthly
 * series against a direct recomputation from the records, any order of the records, and every
 * problem at its path. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateCohort, match, parseCohort, type Cohort } from "../../src/index.js";
import { generateProgramRecords } from "../../src/generate/history.js";
import { FollowUpBuilder, followUpOf, type ImpactMatch } from "../../src/impact/followup.js";
import { outcomeCurves } from "../../src/impact/curves.js";
import { parseProgramRecords, type ProgramRecords } from "../../src/impact/records.js";
import { menteePriority } from "../../src/score/gap.js";
import { scorecard } from "../../src/impact/scorecard.js";
import { trajectories } from "../../src/impact/trajectories.js";

function setup(seed = 4) {
  const cohort = parseCohort(generateCohort({ mentees: 90, mentors: 24, seed, equity: false }));
  const result = match(cohort);
  const records = parseProgramRecords(
    generateProgramRecords(cohort, result, { months: 14, seed }),
    cohort,
  );
  return { cohort, result, records };
}

const months = (start: string, date: string) =>
  (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 / 30.44;

/** The gap closed of mentee `id` with the records dated up to `upTo` months (sorted records:
 * the last re-assessment of a skill wins), computed straight from the definitions. */
function closedDirect(cohort: Cohort, records: ProgramRecords, id: string, upTo: number): number {
  const { view, index } = cohort;
  const i = index.menteeById.get(id)!;
  const S = view.nSkills;
  const level = new Map<string, number>();
  for (const c of records.checkIns)
    if (c.mentee === id && months(records.start, c.date) <= upTo)
      for (const [skill, v] of Object.entries(c.proficiency ?? {})) level.set(skill, v);
  let gap = 0;
  let grown = 0;
  index.skillIds.forEach((skill, k) => {
    const p = menteePriority(view, i, k);
    const from = view.mentees.current[i * S + k];
    const to = view.mentees.target[i * S + k];
    if (!(p > 0 && to > from)) return;
    gap += p * (to - from);
    grown += p * Math.max(0, Math.min(level.get(skill) ?? from, to) - from);
  });
  return gap > 0 ? grown / gap : 0;
}

const shuffled = <T>(xs: readonly T[], seed: number): T[] => {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let k = out.length - 1; k > 0; k--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (k + 1);
    [out[k], out[j]] = [out[j], out[k]];
  }
  return out;
};

describe("follow-up", () => {
  it("each mentee's figures and the cohort's months equal a direct recomputation from the records", () => {
    const { cohort, result, records } = setup();
    const card = scorecard(cohort, result, records);
    const H = card.horizonMonths;
    expect(H).toBe(
      Math.ceil(
        Math.max(
          ...records.checkIns.map((c) => months(records.start, c.date)),
          ...records.outcomes.map((o) => months(records.start, o.date)),
        ),
      ),
    );
    for (const m of card.mentees) {
      expect(m.gapClosed).toBeCloseTo(closedDirect(cohort, records, m.mentee, Infinity), 12);
      const mine = records.checkIns.filter((c) => c.mentee === m.mentee);
      expect(m.checkInsPlanned).toBe(mine.length);
      expect(m.checkInsHeld).toBe(mine.filter((c) => c.held).length);
      const left = records.outcomes.find((o) => o.person === m.mentee && o.kind === "left");
      if (left)
        expect(m.retention).toEqual({ time: months(records.start, left.date), event: true });
      else expect(m.retention).toEqual({ time: H, event: false });
    }
    const t = trajectories(cohort, result, records);
    for (const month of [0, 3, 7, H]) {
      const direct =
        card.mentees.reduce((a, m) => a + closedDirect(cohort, records, m.mentee, month), 0) /
        card.mentees.length;
      expect(t.cohort.gapClosed[month]).toBeCloseTo(direct, 12);
    }
    expect(t.cohort.gapClosed[H]).toBeCloseTo(card.cohort.gapClosed, 12);
  });

  it("a horizon shorter than the records: the scorecard stops there, where the trajectories end", () => {
    const { cohort, result, records } = setup();
    const card = scorecard(cohort, result, records, { horizonMonths: 6 });
    const t = trajectories(cohort, result, records, { horizonMonths: 6 });
    expect(t.months).toHaveLength(7);
    expect(card.cohort.gapClosed).toBeCloseTo(t.cohort.gapClosed[6], 12);
    expect(card.cohort.engagement).toBeCloseTo(t.cohort.engagement[6], 12);
    expect(card.cohort.gapClosed).toBeLessThan(scorecard(cohort, result, records).cohort.gapClosed);
    for (const m of card.mentees)
      expect(m.gapClosed).toBeCloseTo(closedDirect(cohort, records, m.mentee, 6), 12);
  });

  it("any order of the records gives the same scorecard, trajectories and curves", () => {
    const { cohort, result, records } = setup(6);
    const expected = {
      card: scorecard(cohort, result, records),
      t: trajectories(cohort, result, records),
      c: outcomeCurves(cohort, result, records),
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const b = new FollowUpBuilder(cohort, result, records.start);
        for (const c of shuffled(records.checkIns, seed)) b.checkIn(c);
        for (const o of shuffled(records.outcomes, seed + 1)) b.outcome(o);
        const f = b.finish();
        expect(f.ok).toBe(true);
        if (!f.ok) return;
        expect(scorecard(cohort, result, f.followUp)).toEqual(expected.card);
        expect(trajectories(cohort, result, f.followUp)).toEqual(expected.t);
        expect(outcomeCurves(cohort, result, f.followUp)).toEqual(expected.c);
      }),
      { numRuns: 8 },
    );
  });

  it("two re-assessments of one skill on one day: the mentor with the later id wins, whatever the order", () => {
    const { cohort } = setup();
    const [m1, m2] = cohort.index.mentorIds;
    const S = cohort.view.nSkills;
    // A consenting mentee with a skill in their gap.
    const i = cohort.index.menteeIds.findIndex(
      (_, i) =>
        cohort.view.mentees.consentAnalytics[i] === 1 &&
        cohort.index.skillIds.some(
          (_, k) =>
            menteePriority(cohort.view, i, k) > 0 &&
            cohort.view.mentees.target[i * S + k] - cohort.view.mentees.current[i * S + k] >= 1,
        ),
    );
    const k = cohort.index.skillIds.findIndex(
      (_, k) =>
        menteePriority(cohort.view, i, k) > 0 &&
        cohort.view.mentees.target[i * S + k] - cohort.view.mentees.current[i * S + k] >= 1,
    );
    const mentee = cohort.index.menteeIds[i];
    const skill = cohort.index.skillIds[k];
    const from = cohort.view.mentees.current[i * S + k];
    const match: ImpactMatch = {
      pairs: [
        { mentee, mentor: m1 },
        { mentee, mentor: m2 },
      ],
    };
    const a = {
      mentee,
      mentor: m1,
      date: "2025-03-01",
      held: true,
      proficiency: { [skill]: from },
    };
    const b = { ...a, mentor: m2, proficiency: { [skill]: from + 1 } };
    const grown = (order: unknown[]) => {
      const f = followUpOf(cohort, match, {
        start: "2025-01-01",
        checkIns: order as never,
        outcomes: [],
      });
      if (!f.ok) throw new Error(JSON.stringify(f.issues));
      return scorecard(cohort, match, f.followUp).mentees.find((x) => x.mentee === mentee)!
        .weightedGrowth;
    };
    expect(grown([a, b])).toBeGreaterThan(0);
    expect(grown([b, a])).toBe(grown([a, b]));
  });

  it("every problem at its path: unknown people and skills, off the scale, before the start, a mistyped year, a pair twice on a day, someone leaving twice, an unknown pair", () => {
    const { cohort } = setup();
    const [e1, e2] = cohort.index.menteeIds;
    const [m1] = cohort.index.mentorIds;
    const skill = cohort.index.skillIds[0];
    const b = new FollowUpBuilder(
      cohort,
      { pairs: [{ mentee: e1, mentor: "nobody" }] },
      "2025-01-01",
    );
    b.checkIn({ mentee: e1, mentor: m1, date: "2025-02-01", held: true });
    b.checkIn({ mentee: "ghost", mentor: m1, date: "2025-02-01", held: true });
    b.checkIn({ mentee: e1, mentor: m1, date: "2025-02-01", held: false }); // the same pair and day
    b.checkIn({ mentee: e2, mentor: m1, date: "2024-12-31", held: true });
    b.checkIn({ mentee: e2, mentor: m1, date: "2205-01-01", held: true });
    b.checkIn({
      mentee: e2,
      mentor: m1,
      date: "2025-03-01",
      held: true,
      proficiency: { [skill]: 99, nope: 1 },
    });
    b.checkIn({ mentee: e2, mentor: m1, date: "2025-13-01", held: "yes" });
    b.outcome({ person: e1, kind: "left", date: "2025-05-01" });
    b.outcome({ person: e1, kind: "left", date: "2025-06-01" });
    b.outcome({ person: "ghost", kind: "promotion", date: "2025-06-01", goal: skill });
    const f = b.finish();
    expect(f.ok).toBe(false);
    if (f.ok) return;
    const at = f.issues.map(
      (i) => `${i.code} ${i.location.kind === "path" ? i.location.path.join(".") : ""}`,
    );
    expect(at).toEqual(
      expect.arrayContaining([
        "unknown_mentor pairs.0.mentor",
        "unknown_mentee checkIns.1.mentee",
        "invalid_value checkIns.3.date",
        "invalid_value checkIns.4.date",
        "off_scale checkIns.5.proficiency." + skill,
        "unknown_skill checkIns.5.proficiency.nope",
        "duplicate_pair outcomes.1",
        "unknown_mentee outcomes.2.person",
        "invalid_value outcomes.2.goal",
        "duplicate_pair checkIns.2",
      ]),
    );
    // The bad check-in 6 (a month 13, held "yes") is reported at its fields.
    expect(at.filter((a) => a.includes("checkIns.6."))).toHaveLength(2);
    expect(
      f.issues.find((i) => i.code === "duplicate_pair" && i.message.includes("check-ins"))?.message,
    ).toBe(`${e1} and ${m1} have two check-ins on 2025-02-01: keep one`);
  });

  it("records are read, never kept or changed; a builder finishes once", () => {
    const { cohort, result, records } = setup();
    const copy = structuredClone(records);
    const f = followUpOf(cohort, result, records);
    expect(f.ok).toBe(true);
    expect(records).toEqual(copy);
    const b = new FollowUpBuilder(cohort, result, records.start);
    b.finish();
    expect(() => b.checkIn(records.checkIns[0])).toThrow(/finished/);
    expect(() => b.finish()).toThrow(/finished/);
  });
});
