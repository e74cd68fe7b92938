import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  generateCohort,
  match,
  matchSession,
  parseCohort,
  rematch,
  whyNot,
  withoutPeople,
  type CohortInput,
} from "../../src/index.js";
import { carryScores, fingerprints } from "../../src/lifecycle/session.js";
import { scorePairs } from "../../src/score/block.js";

function cohortInput(seed: number, mentees: number, mentors: number, cov: boolean): CohortInput {
  const g = generateCohort({ mentees, mentors, seed });
  return { ...g, program: { ...g.program, equity: [], coverageFirst: cov } };
}

/** A copy of the input after a mix of changes a program sees between rounds, picked by `pick`:
 * people leave, a mentor's capacity and a mentee's target change, a mentee and a mentor join, a
 * pair is forbidden, a pair is locked. */
function changed(input: CohortInput, pick: number[]): CohortInput {
  const at = <T>(list: readonly T[], k: number) => list[k % list.length];
  const leaveMentor = pick[0] % 3 === 0 ? [at(input.mentors, pick[1]).id] : [];
  const leaveMentee = pick[2] % 3 === 0 ? [at(input.mentees, pick[3]).id] : [];
  let next = withoutPeople(input, { mentors: leaveMentor, mentees: leaveMentee });
  const mentors = next.mentors.map((r, k) =>
    pick[4] % 2 === 0 && k === pick[5] % next.mentors.length
      ? { ...r, capacity: r.capacity + 1 }
      : r,
  );
  const mentees = next.mentees.map((e, k) =>
    pick[6] % 2 === 0 && k === pick[7] % next.mentees.length ? { ...e, roundsUnmatched: 2 } : e,
  );
  if (pick[8] % 2 === 0) {
    const e = at(next.mentees, pick[9]);
    mentees.push({ ...e, id: "zz-new-mentee" });
  }
  if (pick[10] % 2 === 0) {
    const r = at(next.mentors, pick[11]);
    mentors.push({ ...r, id: "aa-new-mentor", capacity: 2 });
  }
  const forbiddenPairs = [...(next.program.forbiddenPairs ?? [])];
  if (pick[12] % 2 === 0)
    forbiddenPairs.push({ mentee: at(mentees, pick[13]).id, mentor: at(mentors, pick[14]).id });
  next = { ...next, mentees, mentors, program: { ...next.program, forbiddenPairs } };
  return next;
}

const arb = fc.record({
  seed: fc.integer({ min: 1, max: 10_000 }),
  n: fc.integer({ min: 5, max: 16 }),
  m: fc.integer({ min: 2, max: 6 }),
  cov: fc.boolean(),
  pick: fc.array(fc.nat(1000), { minLength: 15, maxLength: 15 }),
});

/** Enough mentors that a few changed ones are carried around, not scored afresh. */
const wide = arb.chain((a) => fc.integer({ min: 12, max: 24 }).map((m) => ({ ...a, m })));

/** A result without its timings. */
const plain = <T extends { stats: unknown }>(r: T) => ({ ...r, stats: undefined });

describe("matchSession", () => {
  it("carries every unchanged pair's score and rule counts: the same as scoring the new cohort", () => {
    let carriedRuns = 0;
    let inPlace = 0;
    let moved = 0;
    fc.assert(
      fc.property(wide, ({ seed, n, m, cov, pick }) => {
        const input = cohortInput(seed, n, m, cov);
        const next = changed(input, pick);
        let after;
        try {
          after = parseCohort(next);
        } catch {
          return; // a change the generated cohort cannot take (e.g. a forbidden locked pair)
        }
        const before = parseCohort(input);
        const held = {
          cohort: before,
          prints: fingerprints(input),
          scored: scorePairs(before.view),
        };
        const carry = carryScores(held, after, fingerprints(next));
        const carried = carry.scored;
        if (carry.counts.menteesCarried > 0) carriedRuns++;
        // Written over the held arrays while that is safe, else into new ones: both happen.
        if (carry.scored.col.buffer === held.scored.col.buffer) inPlace++;
        else moved++;
        const fresh = scorePairs(after.view);
        expect(Array.from(carried.start)).toEqual(Array.from(fresh.start));
        expect(Array.from(carried.col)).toEqual(Array.from(fresh.col));
        expect(Array.from(carried.fit)).toEqual(Array.from(fresh.fit));
        expect(Array.from(carried.counts)).toEqual(Array.from(fresh.counts));
        expect(carried.scale).toBe(fresh.scale);
      }),
      { numRuns: 150 },
    );
    // Most runs carry rows (the rest changed too many mentors and scored afresh).
    expect(carriedRuns).toBeGreaterThan(100);
    expect(inPlace).toBeGreaterThan(10);
    expect(moved).toBeGreaterThan(10);
  });

  it("matches and re-matches as match and rematch do on the same cohorts", () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 3 }), ({ seed, n, m, cov, pick }, budget) => {
        const input = cohortInput(seed, n, m, cov);
        const next = changed(input, pick);
        try {
          parseCohort(next);
        } catch {
          return;
        }
        const session = matchSession(input);
        const first = session.match();
        expect(plain(first)).toEqual(plain(match(parseCohort(input))));
        const options = budget === 3 ? {} : { maxMoves: budget };
        const again = session.rematch(next, first, options);
        expect(plain(again)).toEqual(plain(rematch(parseCohort(next), first, options)));
        expect(again.stats.carried).toBeDefined();
        expect(session.cohort.index.menteeIds).toEqual(parseCohort(next).index.menteeIds);
      }),
      { numRuns: 60 },
    );
  });

  it("says what it carried: only the changed people scored, everyone when the program changes", () => {
    const input = cohortInput(3, 40, 20, true);
    const session = matchSession(input);
    const first = session.match();
    const leaving = first.mentors[0].mentor;
    const next = withoutPeople(input, { mentors: [leaving] });
    const mentors = next.mentors.map((r, k) => (k === 0 ? { ...r, capacity: r.capacity + 1 } : r));
    const r = session.rematch({ ...next, mentors }, first);
    expect(r.stats.carried).toMatchObject({ mentorsCarried: 18, mentorsScored: 1 });
    // A mentee whose record named the mentor who left changed too (withoutPeople drops the id).
    const named = input.mentees.filter((e) =>
      [e.preferredMentors, e.excludedMentors, e.pastMentors].some((l) => l?.includes(leaving)),
    ).length;
    expect(r.stats.carried!.menteesScored).toBe(named);
    const weights = { ...next.program.scoring, weights: { ...next.program.scoring?.weights } };
    const reweighted = {
      ...next,
      mentors,
      program: {
        ...next.program,
        scoring: { ...weights, weights: { ...weights.weights, gap: 2 } },
      },
    };
    const s = session.rematch(reweighted, r);
    expect(s.stats.carried).toMatchObject({ menteesCarried: 0, menteesScored: 40 });
    expect(plain(s)).toEqual(plain(rematch(parseCohort(reweighted), r)));
  });

  it("scores again the row of a mentee with a pair newly forbidden, and no other", () => {
    const input = cohortInput(4, 10, 15, false);
    const before = parseCohort(input);
    const scored = scorePairs(before.view);
    const mentor = before.index.mentorIds[scored.col[scored.start[0]]];
    const pair = { mentee: before.index.menteeIds[0], mentor };
    const forbiddenPairs = [...(input.program.forbiddenPairs ?? []), pair];
    const next = { ...input, program: { ...input.program, forbiddenPairs } };
    const after = parseCohort(next);
    const held = { cohort: before, prints: fingerprints(input), scored };
    const carry = carryScores(held, after, fingerprints(next));
    expect(carry.counts).toMatchObject({ menteesCarried: 9, menteesScored: 1 });
    expect(Array.from(carry.scored.col)).toEqual(Array.from(scorePairs(after.view).col));
  });

  it("whyNot on the session's scores: what whyNot gives", () => {
    const input = cohortInput(9, 30, 8, true);
    const session = matchSession(input);
    const result = session.match();
    if (result.status !== "optimal") throw new Error(result.status);
    const cohort = parseCohort(input);
    const timeless = (c: ReturnType<typeof whyNot>) =>
      c.forced ? { ...c, forced: { ...c.forced, timeMs: 0 } } : c;
    let forced = 0;
    for (const mentee of cohort.index.menteeIds.slice(0, 10))
      for (const mentor of cohort.index.mentorIds.slice(0, 4)) {
        const a = session.whyNot(result, mentee, mentor);
        expect(timeless(a)).toEqual(timeless(whyNot(cohort, result, mentee, mentor)));
        if (a.forced) forced++;
      }
    expect(forced).toBeGreaterThan(3);
  });

  it("keeps no reference to the caller's input", () => {
    const input = cohortInput(5, 30, 6, false);
    const session = matchSession(input);
    const first = session.match();
    const expected = plain(match(parseCohort(structuredClone(input))));
    input.mentees.length = 0;
    input.mentors.forEach((r) => (r.capacity = 0));
    expect(plain(session.match())).toEqual(expected);
    expect(plain(first)).toEqual(expected);
  });
});
