/**
 * A small random `ViewSpec` (see view.ts) exercising every rule and term: shared persons (self
 * pairs), manager chains across both sides, tiers with every criterion, unknown offsets and hours,
 * forbidden / excluded / past / preferred lists, both score forms and random weights.
 */
import fc from "fast-check";
import type { MenteeSpec, MentorSpec, TierSpec, ViewSpec } from "./view.js";

const half = (max: number) => fc.integer({ min: 0, max: max * 2 }).map((x) => x / 2);

export function viewSpecArb(
  opts: { maxMentees?: number; maxMentors?: number; maxSkills?: number } = {},
): fc.Arbitrary<ViewSpec> {
  const { maxMentees = 5, maxMentors = 6, maxSkills = 4 } = opts;
  return fc
    .record({
      n: fc.integer({ min: 1, max: maxMentees }),
      m: fc.integer({ min: 1, max: maxMentors }),
      S: fc.integer({ min: 1, max: maxSkills }),
      nTiers: fc.integer({ min: 1, max: 3 }),
    })
    .chain(({ n, m, S, nTiers }) => {
      const idx = (k: number) => fc.integer({ min: 0, max: k - 1 });
      const sub = (k: number) => fc.uniqueArray(idx(k), { maxLength: Math.min(k, 3) });
      const persons = [
        ...Array.from({ length: n }, (_, i) => i),
        ...Array.from({ length: m }, (_, j) => 1000 + j),
        77,
      ];
      const person = {
        department: idx(3),
        unit: idx(2),
        level: fc.integer({ min: 0, max: 6 }),
        tenureMonths: fc.integer({ min: 0, max: 30 }),
        hoursPerMonth: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        utcOffset: fc.option(fc.constantFrom(-12, -8, -5, 0, 1, 5.5, 9, 13, 14), {
          nil: undefined,
        }),
        // Codes past 30 make the scorer test shared languages by list instead of by bits.
        languages: fc.oneof(
          sub(3),
          fc.uniqueArray(fc.constantFrom(0, 1, 31, 40), { maxLength: 3 }),
        ),
        managerChain: fc.uniqueArray(fc.constantFrom(...persons), { maxLength: 2 }),
      };
      const mentee: fc.Arbitrary<MenteeSpec> = fc.record({
        ...person,
        current: fc.array(half(5), { minLength: S, maxLength: S }),
        target: fc.array(half(5), { minLength: S, maxLength: S }),
        tiersWanted: sub(nTiers),
        aspirations: sub(4),
        preferred: sub(m),
        excluded: fc.uniqueArray(idx(m), { maxLength: 1 }),
        past: fc.uniqueArray(idx(m), { maxLength: 1 }),
        roundsUnmatched: fc.integer({ min: 0, max: 3 }),
        maxMentors: fc.integer({ min: 0, max: 2 }),
      });
      const mentor: fc.Arbitrary<MentorSpec> = fc.record({
        ...person,
        // Sometimes the mentor is one of the mentees (the same person on both sides).
        person: fc.option(idx(n), { nil: undefined, freq: 6 }),
        expertise: fc.array(half(5), { minLength: S, maxLength: S }),
        tier: idx(nTiers),
        capacity: fc.integer({ min: 0, max: 3 }),
        training: sub(3),
        careerPaths: sub(4),
        excludedMentees: fc.uniqueArray(idx(n), { maxLength: 1 }),
      });
      const tier: fc.Arbitrary<TierSpec> = fc.record(
        {
          levelGapMin: fc.integer({ min: -3, max: 2 }),
          levelGapMax: fc.integer({ min: 2, max: 6 }),
          trainingRequired: sub(3),
          minMentorTenureMonths: fc.integer({ min: 0, max: 12 }),
          minHoursPerMonth: fc.integer({ min: 0, max: 5 }),
        },
        { requiredKeys: [] },
      );
      const weight = fc.constantFrom(0, 0, 0.5, 1, 2.5);
      return fc.record({
        priorities: fc.array(fc.constantFrom(0, 0.5, 1, 3), { minLength: S, maxLength: S }),
        byUnit: fc.option(
          fc.array(fc.array(fc.constantFrom(0, 1, 2), { minLength: S, maxLength: S }), {
            minLength: 2,
            maxLength: 2,
          }),
          { nil: undefined },
        ),
        tiers: fc.array(tier, { minLength: nTiers, maxLength: nTiers }),
        form: fc.constantFrom("absolute" as const, "normalized" as const),
        weights: fc.record({
          gap: fc.constantFrom(0, 0.5, 1, 2),
          crossDepartment: weight,
          preference: weight,
          aspiration: weight,
          timezone: weight,
          language: weight,
          unmatchedBoost: weight,
        }),
        rules: fc.record(
          {
            allowRepeatPairs: fc.boolean(),
            allowSameReportingLine: fc.boolean(),
            maxUtcOffsetDiffHours: fc.integer({ min: 0, max: 12 }),
            requireSharedLanguage: fc.boolean(),
          },
          { requiredKeys: ["allowRepeatPairs", "allowSameReportingLine", "requireSharedLanguage"] },
        ),
        forbidden: fc.uniqueArray(fc.tuple(idx(n), idx(m)), {
          maxLength: 2,
          selector: ([a, b]) => `${a},${b}`,
        }),
        mentees: fc.array(mentee, { minLength: n, maxLength: n }),
        mentors: fc.array(mentor, { minLength: m, maxLength: m }),
      });
    });
}
