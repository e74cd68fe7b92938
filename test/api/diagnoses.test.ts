/**
 * Diagnoses are data: every infeasible result's `message` is exactly the sentence rendered from
 * its other fields (engine and match level), and `match`'s diagnoses name people by id, never by
 * an engine index.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateCohort, parseCohort, type CohortInput } from "../../src/index.js";
import { ineligibleReason } from "../../src/score/index.js";
import { match } from "../../src/match/match.js";
import { diagnosisMessage } from "../../src/match/diagnosis.js";
import { solveAssignment } from "../../src/solve/index.js";
import { engineMessage } from "../../src/solve/diagnosis.js";
import { validCohortArb } from "../arbitraries/cohort.js";
import { problemArb } from "../solve/arbitraries.js";
import { runs } from "../support/harness.js";

const withoutMessage = <T extends { message: string }>(d: T): Omit<T, "message"> => {
  const { message: _, ...rest } = d;
  return rest;
};

/** Makes a generated cohort tight: minimums that often cannot all be met. */
function tighten(input: CohortInput, k: number): CohortInput {
  const copy = structuredClone(input);
  copy.mentees.forEach((m, i) => {
    if ((i + k) % 2 === 0) m.minMentors = Math.min(m.maxMentors ?? 1, 1);
  });
  copy.mentors.forEach((m, j) => {
    if ((j + k) % 3 === 0) m.minLoad = m.capacity;
  });
  return copy;
}

describe("infeasibility diagnoses as data", () => {
  it("the engine's message is rendered from the diagnosis' fields", () => {
    let seen = 0;
    fc.assert(
      fc.property(problemArb({ maxRows: 5, maxCols: 4 }), (problem) => {
        const r = solveAssignment(problem);
        if (r.status !== "infeasible") return;
        seen++;
        expect(r.diagnosis.message).toBe(engineMessage(withoutMessage(r.diagnosis)));
      }),
      runs(300),
    );
    expect(seen).toBeGreaterThan(10);
  });

  it("match's message is rendered from its fields, and names people by id", () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(validCohortArb(), fc.nat(5), (input, k) => {
        const cohort = parseCohort(tighten(input, k));
        const r = match(cohort);
        if (r.status !== "infeasible") return;
        const d = r.diagnosis;
        kinds.add(d.kind);
        expect(d.message).toBe(diagnosisMessage(withoutMessage(d)));
        const mentees = new Set(cohort.index.menteeIds);
        const mentors = new Set(cohort.index.mentorIds);
        for (const id of [...(d.mentees ?? []), ...(d.mentee === undefined ? [] : [d.mentee])])
          expect(mentees.has(id)).toBe(true);
        for (const id of [...(d.mentors ?? []), ...(d.mentor === undefined ? [] : [d.mentor])])
          expect(mentors.has(id)).toBe(true);
        // Engine words never leak into a program's diagnosis.
        expect(d.message).not.toMatch(/\b(row|rows|column|columns)\b/i);
      }),
      runs(150),
    );
    expect(kinds.size).toBeGreaterThan(1);
  });
});

describe("a mentee short of its minMentors", () => {
  it("says locked pairs are included when needed and possible count them", () => {
    const input = generateCohort({ mentees: 6, mentors: 5, seed: 4 });
    const parsed = parseCohort(input);
    const mentee = parsed.index.menteeIds[0];
    const j = parsed.index.mentorIds.findIndex((_, j) => ineligibleReason(parsed, 0, j) === null);
    expect(j).toBeGreaterThanOrEqual(0);
    const mentor = parsed.index.mentorIds[j];
    const m = input.mentees.find((x) => x.id === mentee)!;
    m.minMentors = 2;
    m.maxMentors = 2;
    input.program.equity = [];
    input.program.lockedPairs = [{ mentee, mentor }];
    input.program.forbiddenPairs = parsed.index.mentorIds
      .filter((id) => id !== mentor)
      .map((id) => ({ mentee, mentor: id }));
    const r = match(parseCohort(input));
    expect(r.status).toBe("infeasible");
    if (r.status !== "infeasible") return;
    expect(r.diagnosis).toMatchObject({
      kind: "mentee_min",
      beyondLocked: false,
      needed: 2,
      possible: 1,
      mentees: [mentee],
      mentors: [mentor],
    });
    expect(r.diagnosis.message).toContain("locked pairs included");
    expect(r.diagnosis.message).not.toContain("beyond locked pairs");
  });
});
