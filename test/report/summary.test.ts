/**
 * `summarizeMatch`: its numbers recounted independently from the result and the cohort, the
 * spare-capacity causes and shortfalls on hand-made cases, the weighted-gap coverage against a
 * direct sum, determinism under input order, and sensitive attributes kept out of everything but
 * the audit.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { explainPair } from "../../src/match/explain.js";
import { match } from "../../src/match/match.js";
import { summarizeMatch, type MatchSummary } from "../../src/report/summary.js";
import { InputError } from "../../src/schema/errors.js";
import type { CohortInput } from "../../src/schema/input.js";
import { validCohortArb } from "../arbitraries/cohort.js";
import { runs } from "../support/harness.js";

function summaryOf(input: CohortInput): MatchSummary {
  const cohort = parseCohort(input);
  return summarizeMatch(cohort, match(cohort));
}

describe("summarizeMatch: counts agree with the result", () => {
  it("on arbitrary valid cohorts", () => {
    fc.assert(
      fc.property(validCohortArb(), (input) => {
        const cohort = parseCohort(input);
        const result = match(cohort);
        const s = summarizeMatch(cohort, result);
        const matched = new Set(result.pairs.map((p) => p.mentee));
        expect(s.mentees).toEqual({
          total: cohort.index.menteeIds.length,
          matched: matched.size,
          unmatched: cohort.index.menteeIds.length - matched.size,
          pairs: result.pairs.length,
          locked: result.pairs.filter((p) => p.locked).length,
        });
        // Tiers add up to the mentors' loads; spare groups partition the mentors with room.
        const load = result.mentors.reduce((a, m) => a + m.load, 0);
        const spare = result.mentors.reduce((a, m) => a + Math.max(0, m.capacity - m.load), 0);
        expect(s.tiers.reduce((a, t) => a + t.load, 0)).toBe(load);
        expect(s.mentors.spare).toBe(spare);
        // (No answer, no groups: nobody was placed elsewhere.)
        const withRoom =
          result.status === "infeasible"
            ? []
            : result.mentors.filter((m) => m.capacity > m.load).map((m) => m.mentor);
        expect(s.spare.flatMap((g) => g.mentors).sort()).toEqual(withRoom.sort());
        expect(s.spare.reduce((a, g) => a + g.spare, 0)).toBe(
          result.status === "infeasible" ? 0 : spare,
        );
        // Shortfalls only name people short of their minimum in this answer.
        for (const f of s.shortfalls)
          if (f.side === "mentor") {
            const l = result.mentors.find((m) => m.mentor === f.id)!;
            expect(l.load).toBeLessThan(l.minLoad);
          }
        // Pairs: same order and fits, tiers from the cohort, reasons the largest parts.
        expect(s.pairs.map((p) => [p.mentee, p.mentor, p.fit])).toEqual(
          result.pairs.map((p) => [p.mentee, p.mentor, p.score]),
        );
        for (const p of s.pairs) {
          const e = explainPair(cohort, p.mentee, p.mentor);
          const parts = [
            ...e.skills.filter((k) => k.contribution !== 0).map((k) => k.contribution),
            ...Object.entries(e.terms)
              .filter(([t, v]) => t !== "gap" && v !== 0)
              .map(([, v]) => v),
          ].sort((a, b) => b - a);
          expect(p.reasons.map((r) => r.value)).toEqual(parts.slice(0, 3));
        }
        // Demand covers exactly the unmatched mentees without an eligible mentor or with full
        // ones (who have a weighted gap).
        const demanded = s.demand.flatMap((d) => d.mentees).sort();
        const expected = s.unmatched
          .filter(
            (u) =>
              (u.reason === "no_eligible_mentor" || u.reason === "mentors_full") &&
              u.topSkill !== null,
          )
          .map((u) => u.mentee)
          .sort();
        expect(demanded).toEqual(expected);
        for (const k of s.skills) {
          expect(k.share).not.toBeNull();
          expect(k.share!).toBeGreaterThanOrEqual(0);
          expect(k.share!).toBeLessThanOrEqual(1 + 1e-12);
        }
      }),
      runs(60),
    );
  });

  it("weighted-gap coverage per skill equals a direct sum over mentees and their best mentor", () => {
    const input = generateCohort({ mentees: 60, mentors: 15, seed: 9 });
    const cohort = parseCohort(input);
    const result = match(cohort);
    const s = summarizeMatch(cohort, result);
    const gap = new Map<string, number>();
    const covered = new Map<string, number>();
    for (const id of cohort.index.menteeIds) {
      const mentors = result.pairs.filter((p) => p.mentee === id).map((p) => p.mentor);
      // Any mentor gives the mentee's gaps and priorities; each of its mentors its coverage.
      const base = explainPair(cohort, id, cohort.index.mentorIds[0]);
      for (const k of base.skills) {
        if (!(k.priority > 0 && k.gap > 0)) continue;
        gap.set(k.skill, (gap.get(k.skill) ?? 0) + k.priority * k.gap);
        const best = Math.max(
          0,
          ...mentors.map(
            (m) => explainPair(cohort, id, m).skills.find((x) => x.skill === k.skill)!.covered,
          ),
        );
        covered.set(k.skill, (covered.get(k.skill) ?? 0) + k.priority * best);
      }
    }
    expect(s.skills.map((k) => k.skill)).toEqual([...gap.keys()].sort());
    for (const k of s.skills) {
      expect(k.weightedGap).toBeCloseTo(gap.get(k.skill)!, 9);
      expect(k.covered).toBeCloseTo(covered.get(k.skill)!, 9);
    }
  });
});

describe("summarizeMatch: why capacity stays spare, and who blocks a minimum", () => {
  const base = generateCohort({ mentees: 40, mentors: 12, seed: 7 });
  const senior = base.mentors.find((m) => m.tier === "senior")!;

  it("a senior mentor without the tier's training is idle for that reason, and could teach", () => {
    const mentors = base.mentors.map((m) => (m.id === senior.id ? { ...m, training: [] } : m));
    const s = summaryOf({ ...base, mentors });
    const group = s.spare.find((g) => g.mentors.includes(senior.id))!;
    expect(group).toMatchObject({ tier: "senior", cause: "training", detail: "mentor-basics" });
    expect(group.idle).toBeGreaterThanOrEqual(1);
    const teach = s.demand.flatMap((d) => d.couldTeach).filter((c) => c.cause === "training");
    for (const c of teach) expect(c.tier).toBe("senior");
  });

  it("a minLoad no one can meet is a shortfall by id with the blocking rule", () => {
    const mentors = base.mentors.map((m) =>
      m.id === senior.id ? { ...m, training: [], minLoad: m.capacity } : m,
    );
    const s = summaryOf({ ...base, mentors });
    expect(s.status).toBe("infeasible");
    expect(s.shortfalls).toEqual([
      {
        side: "mentor",
        id: senior.id,
        needed: senior.capacity,
        eligible: 0,
        rule: "training",
        detail: "mentor-basics",
      },
    ]);
  });

  it("a minMentors no one can meet names the mentee and the rule that rules out the most", () => {
    const mentee = base.mentees[0];
    const mentees = base.mentees.map((e) =>
      e.id === mentee.id ? { ...e, minMentors: 1, maxMentors: 1, languages: ["xx"] } : e,
    );
    const s = summaryOf({
      ...base,
      mentees,
      program: { ...base.program, rules: { ...base.program?.rules, requireSharedLanguage: true } },
    });
    const f = s.shortfalls.find((x) => x.id === mentee.id);
    expect(f).toMatchObject({ side: "mentee", needed: 1, eligible: 0 });
    expect(f!.rule).not.toBeNull();
  });
});

describe("summarizeMatch: determinism and sensitive attributes", () => {
  it("the same summary whatever the order of mentees and mentors", () => {
    const input = generateCohort({ mentees: 50, mentors: 14, seed: 3 });
    const a = summaryOf(input);
    const b = summaryOf({
      ...input,
      mentees: [...input.mentees].reverse(),
      mentors: [...input.mentors].reverse(),
    });
    const strip = (s: MatchSummary) => ({ ...s, timeMs: 0 });
    expect(strip(b)).toEqual(strip(a));
  });

  it("group labels change the audit only", () => {
    const input = generateCohort({ mentees: 50, mentors: 14, seed: 3 });
    const relabeled = {
      ...input,
      mentees: input.mentees.map((e) => ({
        ...e,
        sensitive: Object.fromEntries(
          Object.entries(e.sensitive ?? {}).map(([k, v]) => [k, `${v}-x`]),
        ),
      })),
    };
    // Rules name groups by label: keep the program's rules off for this comparison.
    const strip = (s: MatchSummary) => ({ ...s, timeMs: 0, audit: null });
    const noRules = (x: CohortInput) => ({ ...x, program: { ...x.program, equity: [] } });
    expect(strip(summaryOf(noRules(relabeled)))).toEqual(strip(summaryOf(noRules(input))));
  });

  it("rejects bad options with InputError", () => {
    const cohort = parseCohort(generateCohort({ mentees: 4, mentors: 2 }));
    const result = match(cohort);
    expect(() => summarizeMatch(cohort, result, { reasons: -1 })).toThrow(InputError);
    expect(() => summarizeMatch(cohort, result, { price: "yes" as unknown as boolean })).toThrow(
      InputError,
    );
  });
});
