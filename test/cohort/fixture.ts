/**
 * A small valid cohort used by the example tests. `sampleCohort()` returns a fresh object each
 * call, so tests can modify their copy.
 */
import type { CohortInput } from "../../src/schema/input.js";

export function sampleCohort(): CohortInput {
  return {
    skills: [{ id: "sql" }, { id: "python" }, { id: "stats", label: "Statistics" }],
    strategy: {
      priorities: { sql: 1, python: 2 },
      byUnit: { ops: { python: 0.5, stats: 3 } },
    },
    mentees: [
      {
        id: "e2",
        department: "ops",
        level: 2,
        tenureMonths: 6,
        current: { sql: 1 },
        targets: { sql: 3, python: 2 },
        languages: ["fr", "en", "en"],
        managerChain: ["boss", "ceo"],
        sensitive: { gender: "F", region: "south" },
        pastMentors: ["r1"],
      },
      {
        id: "e1",
        department: "data",
        unit: "analytics",
        level: 1,
        tenureMonths: 3,
        hoursPerMonth: 4,
        utcOffset: -5,
        current: { python: 2 },
        targets: { python: 4 },
        tiers: ["senior", "peer"],
        aspirations: ["lead"],
        preferredMentors: ["r2", "r1"],
        maxMentors: 2,
        sensitive: { gender: "M" },
      },
    ],
    mentors: [
      {
        id: "r2",
        department: "data",
        level: 5,
        tenureMonths: 48,
        expertise: { sql: 5, python: 4 },
        tier: "senior",
        capacity: 2,
        training: [
          { id: "coach", completedOn: "2024-06-01" },
          { id: "old", completedOn: "2020-01-01" },
        ],
        careerPaths: ["lead", "ic"],
        sensitive: { gender: "F" },
      },
      {
        id: "r1",
        department: "ops",
        level: 2,
        tenureMonths: 12,
        expertise: { stats: 4 },
        tier: "peer",
        capacity: 1,
        minLoad: 1,
        languages: ["en"],
        managerChain: ["ceo"],
      },
    ],
    program: {
      asOf: "2025-01-15",
      tiers: [
        {
          id: "senior",
          levelGap: { min: 2 },
          trainingRequired: ["coach"],
          trainingValidMonths: 12,
        },
        { id: "peer", levelGap: { min: -1, max: 1 } },
      ],
      lockedPairs: [{ mentee: "e1", mentor: "r2" }],
      forbiddenPairs: [{ mentee: "e2", mentor: "r2" }],
      equity: [{ kind: "maxPerMentorPerGroup", attribute: "department", max: 2 }],
    },
  };
}
