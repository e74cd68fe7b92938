/** The scorecard: each mentee's figures from the records (known by construction), consent,
 * the groups hidden as the audit hides them, and no dependence on the order of anything. */
import { describe, expect, it } from "vitest";
import { generateCohort, match, parseCohort, type CohortInput } from "../../src/index.js";
import { generateProgramRecords } from "../../src/generate/history.js";
import { parseProgramRecords, type CheckInInput } from "../../src/impact/records.js";
import { scorecard } from "../../src/impact/scorecard.js";

/** The generated cohort; `consentAll`: everyone consents; `small`: three mentees in a gender
 * group of their own (hidden, and with it the next smallest group). */
function setup(consentAll: boolean, small = false) {
  const g = generateCohort({ mentees: 120, mentors: 30, seed: 9, equity: false });
  const input: CohortInput = {
    ...g,
    mentees: g.mentees.map((e, k) => ({
      ...e,
      ...(consentAll ? { consent: { analytics: true } } : {}),
      ...(small && k < 3 ? { sensitive: { ...e.sensitive, gender: "Y" } } : {}),
    })),
  };
  const cohort = parseCohort(input);
  return { input, cohort, result: match(cohort) };
}

describe("scorecard", () => {
  it("a mentee's figures follow the records: nothing re-assessed, all targets reached, engagement, leaving", () => {
    const { cohort, result } = setup(true);
    const S = cohort.view.nSkills;
    const [a, b] = result.pairs;
    // b reaches every target at the first check-in.
    const ib = cohort.index.menteeById.get(b.mentee)!;
    const targets: Record<string, number> = {};
    cohort.index.skillIds.forEach((skill, k) => {
      if (cohort.view.mentees.target[ib * S + k] > cohort.view.mentees.current[ib * S + k])
        targets[skill] = cohort.view.mentees.target[ib * S + k];
    });
    const checkIns: CheckInInput[] = [
      { mentee: a.mentee, mentor: a.mentor, date: "2025-02-01", held: true },
      { mentee: a.mentee, mentor: a.mentor, date: "2025-03-01", held: false },
      { mentee: b.mentee, mentor: b.mentor, date: "2025-02-01", held: true, proficiency: targets },
    ];
    const records = parseProgramRecords(
      {
        start: "2025-01-01",
        checkIns,
        outcomes: [{ person: a.mentee, kind: "left", date: "2025-04-01" }],
      },
      cohort,
    );
    const card = scorecard(cohort, result, records, { horizonMonths: 12 });
    const A = card.mentees.find((m) => m.mentee === a.mentee)!;
    const B = card.mentees.find((m) => m.mentee === b.mentee)!;
    expect(A.gapClosed).toBe(0);
    expect([A.checkInsPlanned, A.checkInsHeld]).toEqual([2, 1]);
    expect(A.retention.event).toBe(true);
    expect(A.retention.time).toBeCloseTo(90 / 30.44, 9);
    expect(A.independence).toEqual({ time: A.retention.time, event: false });
    expect(B.gapClosed).toBeCloseTo(B.weightedGap > 0 ? 1 : 0, 12);
    expect(B.retention).toEqual({ time: 12, event: false });
    expect(card.mentees).toHaveLength(cohort.index.menteeIds.length);
  });

  it("only consenting mentees, in every figure", () => {
    const { cohort, result } = setup(false);
    const records = parseProgramRecords(
      generateProgramRecords(cohort, result, { seed: 4 }),
      cohort,
    );
    const card = scorecard(cohort, result, records);
    const consenting = cohort.index.menteeIds.filter(
      (_, i) => cohort.view.mentees.consentAnalytics[i] === 1,
    );
    expect(card.consenting).toBe(consenting.length);
    expect(card.mentees.map((m) => m.mentee)).toEqual(consenting);
    expect(card.cohort.n).toBe(consenting.length);
    const inMentors = card.mentors.reduce((a, m) => a + m.figures.n, 0);
    const paired = new Set(
      result.pairs
        .filter((p) => consenting.includes(p.mentee))
        .map((p) => `${p.mentee}/${p.mentor}`),
    );
    expect(inMentors).toBe(paired.size);
  });

  it("small groups hidden, never recoverable by subtraction; the same whatever the order", () => {
    const { input, cohort, result } = setup(true, true);
    const records = parseProgramRecords(
      generateProgramRecords(cohort, result, { seed: 4 }),
      cohort,
    );
    const card = scorecard(cohort, result, records);
    const k = card.minGroupSize;
    expect(card.groups.length).toBeGreaterThan(0);
    for (const a of card.groups) {
      let hiddenCount = 0;
      for (const g of a.groups) {
        const size = cohort.index.menteeIds.filter((_, i) => {
          const at = cohort.sensitive.attributes.indexOf(a.attribute);
          const code = cohort.sensitive.mentees[at].code[i];
          const label = code >= 0 ? cohort.sensitive.mentees[at].groups[code] : "(not stated)";
          return label === g.label;
        }).length;
        if (g.hidden) {
          expect(g.figures).toBeNull();
          hiddenCount += size;
        } else {
          expect(g.figures!.n).toBe(size);
          expect(size).toBeGreaterThanOrEqual(k);
        }
      }
      expect(hiddenCount === 0 || hiddenCount >= k || a.groups.every((g) => g.hidden)).toBe(true);
    }
    // The gender group of three is hidden, and the next smallest with it (3 alone would be
    // the cohort less the shown groups).
    const gender = card.groups.find((a) => a.attribute === "gender")!;
    expect(gender.groups.filter((g) => g.hidden).map((g) => g.label)).toEqual(["X", "Y"]);
    // Reversed people and records: the same scorecard.
    const back = parseCohort({
      ...input,
      mentees: [...input.mentees].reverse(),
      mentors: [...input.mentors].reverse(),
    });
    const again = scorecard(
      back,
      match(back),
      parseProgramRecords(
        {
          start: records.start,
          checkIns: [...records.checkIns].reverse(),
          outcomes: [...records.outcomes].reverse(),
        },
        back,
      ),
    );
    expect(JSON.stringify(again)).toBe(JSON.stringify(card));
  });

  it("on a generated history: growth, engagement and retention in range", () => {
    const { cohort, result } = setup(true);
    const records = parseProgramRecords(
      generateProgramRecords(cohort, result, { seed: 2 }),
      cohort,
    );
    const card = scorecard(cohort, result, records);
    expect(card.horizonMonths).toBeGreaterThanOrEqual(24);
    const c = card.cohort;
    expect(c.gapClosed).toBeGreaterThan(0);
    expect(c.gapClosed).toBeLessThanOrEqual(1);
    expect(c.engagement).toBeGreaterThan(0.5);
    expect(c.engagement).toBeLessThanOrEqual(1);
    expect(c.retention.atHorizon).toBeGreaterThan(0.5);
    expect(c.retention.atHorizon).toBeLessThanOrEqual(1);
    for (const m of card.mentees) {
      expect(m.gapClosed).toBeGreaterThanOrEqual(0);
      expect(m.gapClosed).toBeLessThanOrEqual(1 + 1e-12);
    }
  });
});
