/**
 * Rounds: the history model (src/lifecycle/rotation.ts). After `applyHistory` no repeat pair is
 * ever proposed by `match`; a mentee left unmatched last round gets the boost; the caller's input
 * is never written; the order of the records does not matter; an invalid history gives every
 * issue at its path.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyHistory,
  compareRounds,
  currentPairs,
  explainPair,
  InputError,
  match,
  parseCohort,
  parseHistory,
  roundRecord,
  safeParseHistory,
  type CohortInput,
  type HistoryRecordInput,
} from "../../src/index.js";
import { fcParams } from "../solve/fc-params.js";
import { readmePeople, readmeTiers } from "../fixtures/readme-cohort.js";

/** The README's four-mentee cohort: Ben (senior, one seat) goes to Fay (fit 6) over Dev (fit 3). */
const tiny = (unmatchedBoost = 0): CohortInput => ({
  ...readmePeople(),
  program: { tiers: readmeTiers(), scoring: { weights: { unmatchedBoost } } },
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const issuesOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.issues;
    throw e;
  }
  throw new Error("expected an InputError");
};

describe("roundRecord", () => {
  it("one record per pair and per unmatched mentee (with the reason), sorted by mentee", () => {
    const cohort = parseCohort(tiny());
    const result = match(cohort);
    expect(roundRecord(cohort, result, { id: 1, date: "2025-01-15" })).toEqual([
      { round: "1", date: "2025-01-15", mentee: "ana", mentor: "cy" },
      { round: "1", date: "2025-01-15", mentee: "dev", reason: "mentors_full" },
      { round: "1", date: "2025-01-15", mentee: "eli", mentor: "cy" },
      { round: "1", date: "2025-01-15", mentee: "fay", mentor: "ben" },
    ]);
    expect(roundRecord(cohort, result, "2025-H1")[0]).toEqual({
      round: "2025-H1",
      mentee: "ana",
      mentor: "cy",
    });
  });

  it("leaves out mentees who asked for no mentor", () => {
    const input = tiny();
    input.mentees[1].maxMentors = 0;
    const cohort = parseCohort(input);
    const records = roundRecord(cohort, match(cohort), 1);
    expect(records.map((r) => r.mentee)).not.toContain("dev");
  });

  it("refuses an infeasible result, a result of another cohort and a bad round", () => {
    const input = tiny();
    input.mentees[1].minMentors = 1; // Dev and Fay both need Ben, who has one seat
    input.mentees[3].minMentors = 1;
    const cohort = parseCohort(input);
    const result = match(cohort);
    expect(result.status).toBe("infeasible");
    expect(issuesOf(() => roundRecord(cohort, result, 1))[0]).toMatchObject({
      code: "invalid_result",
      location: { kind: "path", path: ["status"] },
    });
    const other = parseCohort(tiny());
    const fine = match(other);
    const stranger = { ...fine, pairs: [{ ...fine.pairs[0], mentee: "zed" }] };
    expect(issuesOf(() => roundRecord(other, stranger, 1))[0].message).toContain("another cohort");
    expect(issuesOf(() => roundRecord(other, fine, -1))[0].code).toBe("invalid_argument");
    expect(issuesOf(() => roundRecord(other, fine, { id: "x", date: "soon" }))[0].code).toBe(
      "invalid_argument",
    );
  });
});

describe("parseHistory", () => {
  it("normalizes round numbers to text and orders rounds naturally", () => {
    const h = parseHistory({
      records: [
        { round: 10, mentee: "a", mentor: "m" },
        { round: "2", mentee: "a" },
        { round: 9, mentee: "b", mentor: "m", outcome: "ended_early", reason: "moved" },
      ],
    });
    expect(h.rounds).toEqual(["2", "9", "10"]);
    expect(h.records[0]).toEqual({ round: "10", mentee: "a", mentor: "m" });
  });

  it("compareRounds: digits as numbers, then text by code units", () => {
    const ids = ["round 10", "2025-H2", "round 9", "10", "2", "2025-H1", "02", "b", "a"];
    expect([...ids].sort(compareRounds)).toEqual([
      "02",
      "2",
      "10",
      "2025-H1",
      "2025-H2",
      "a",
      "b",
      "round 9",
      "round 10",
    ]);
  });

  it("every issue at once, each at its path, records that fail still checked across", () => {
    const r = safeParseHistory({
      records: [
        { round: 1, mentee: "a", mentor: "m" },
        { round: true, mentee: "a" },
        { mentee: "b" },
        { round: 1, mentee: "a", mentor: "m", outcome: "fine" }, // duplicate, and a bad outcome
        { round: 1, mentee: "a" }, // unmatched and paired in round 1
        { round: 2, mentee: "c", mentor: "c" },
        { round: 2, mentee: "d", outcome: "completed" },
        { round: " 3", mentee: "e", date: "2025-02-30", extra: 1 },
      ],
      version: 2,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const at = r.issues.map((i) => [
      i.code,
      i.location.kind === "path" ? i.location.path.join(".") : "",
    ]);
    expect(at).toEqual([
      ["unrecognized_key", "version"],
      ["invalid_type", "records.1.round"],
      ["required", "records.2.round"],
      ["invalid_value", "records.3.outcome"],
      ["invalid_value", "records.7.round"],
      ["invalid_format", "records.7.date"],
      ["unrecognized_key", "records.7.extra"],
      ["duplicate_pair", "records.3"],
      ["invalid_value", "records.4"],
      ["self_pair", "records.5.mentor"],
      ["invalid_value", "records.6.outcome"],
    ]);
    expect(r.issues[7].message).toContain("records[0]");
    expect(r.issues[1].message).toBe(
      "Invalid type: expected round to be a round id (a non-empty string) or a round number (a whole number >= 0), received boolean",
    );
  });

  it("a value that is not a history is one issue at the root", () => {
    for (const bad of [undefined, null, 3, [], { records: {} }]) {
      const r = safeParseHistory(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues.length).toBeGreaterThan(0);
    }
  });
});

describe("applyHistory", () => {
  const history = {
    records: [
      { round: 1, mentee: "fay", mentor: "ben" },
      { round: 1, mentee: "dev", reason: "mentors_full" },
      { round: 1, mentee: "ana", mentor: "cy" },
      { round: 2, mentee: "dev" },
      { round: 2, mentee: "ana", mentor: "ben", outcome: "ended_early" as const },
      { round: 2, mentee: "eli", mentor: "cy" },
      { round: 2, mentee: "gus", mentor: "cy" }, // gus left
      { round: 2, mentee: "eli", mentor: "zoe" }, // zoe left
    ],
  };

  it("fills pastMentors and roundsUnmatched; warns about people who left", () => {
    const a = applyHistory(tiny(), history);
    const by = new Map(a.input.mentees.map((m) => [m.id, m]));
    expect(by.get("fay")!.pastMentors).toEqual(["ben"]);
    expect(by.get("ana")!.pastMentors).toEqual(["ben", "cy"]);
    expect(by.get("eli")!.pastMentors).toEqual(["cy"]);
    expect(by.get("dev")!.pastMentors).toBeUndefined();
    expect(by.get("dev")!.roundsUnmatched).toBe(2);
    expect(by.get("ana")!.roundsUnmatched).toBeUndefined();
    expect(a.round).toBe("2");
    expect(a.unmatchedLastRound).toEqual(["dev"]);
    expect(a.currentPairs).toEqual([{ mentee: "eli", mentor: "cy" }]); // ana–ben ended early
    expect(a.pastPairs).toBe(4);
    expect(a.warnings.map((w) => [w.code, w.location])).toEqual([
      ["unknown_mentee", { kind: "path", path: ["records", 6, "mentee"] }],
      ["unknown_mentor", { kind: "path", path: ["records", 7, "mentor"] }],
    ]);
    // The result is a valid cohort in which the past pairs are ruled out as repeats.
    const cohort = parseCohort(a.input);
    expect(explainPair(cohort, "fay", "ben").reason).toBe("repeat_pair");
    expect(explainPair(cohort, "ana", "ben").reason).toBe("repeat_pair");
  });

  it("roundsUnmatched: starts from the input's, +1 a round left unmatched, 0 once matched", () => {
    const input = tiny();
    input.mentees[1].roundsUnmatched = 1;
    input.mentees[0].roundsUnmatched = 3;
    const h = {
      records: [
        { round: 1, mentee: "dev" },
        { round: 2, mentee: "ana" },
        { round: 3, mentee: "ana", mentor: "cy" },
        { round: 4, mentee: "dev" },
      ],
    };
    const by = new Map(applyHistory(input, h).input.mentees.map((m) => [m.id, m]));
    expect(by.get("dev")!.roundsUnmatched).toBe(3);
    expect(by.get("ana")!.roundsUnmatched).toBe(0);
    // `after`: the history as it stood after round 2.
    const early = applyHistory(input, h, { after: 2 });
    expect(early.round).toBe("2");
    expect(early.unmatchedLastRound).toEqual(["ana"]);
    const byEarly = new Map(early.input.mentees.map((m) => [m.id, m]));
    expect(byEarly.get("ana")!.roundsUnmatched).toBe(4);
    expect(byEarly.get("ana")!.pastMentors).toBeUndefined();
    expect(issuesOf(() => applyHistory(input, h, { after: 7 }))[0].message).toContain(
      'round "7" is not in the history',
    );
  });

  it("a mentee left unmatched last round gets the boost, and the seat", () => {
    const h = { records: [{ round: 1, mentee: "dev", reason: "mentors_full" }] };
    const before = match(parseCohort(tiny(4)));
    expect(before.pairs.find((p) => p.mentor === "ben")?.mentee).toBe("fay");
    const cohort = parseCohort(applyHistory(tiny(4), h).input);
    const why = explainPair(cohort, "dev", "ben");
    expect(why.terms.unmatchedBoost).toBe(4);
    expect(why.total).toBe(7); // fit 3 + boost 4 > Fay's 6
    const after = match(cohort);
    expect(after.pairs.find((p) => p.mentor === "ben")?.mentee).toBe("dev");
  });

  it("continuity keeps the current pairs eligible, and only them", () => {
    const a = applyHistory(tiny(), history, { continuity: true });
    const by = new Map(a.input.mentees.map((m) => [m.id, m]));
    expect(by.get("eli")!.pastMentors).toBeUndefined(); // eli–cy is current
    expect(by.get("ana")!.pastMentors).toEqual(["ben", "cy"]); // ended early: still a repeat
    expect(a.currentPairs).toEqual(currentPairs(history).slice(0, 1));
  });

  it("never writes the caller's input or history", () => {
    const input = deepFreeze(tiny());
    const h = deepFreeze(structuredClone(history));
    const copy = structuredClone(input);
    const a = applyHistory(input, h);
    expect(input).toEqual(copy);
    expect(a.input).not.toBe(input);
    expect(a.input.mentees).not.toBe(input.mentees);
  });

  it("takes a parsed History as well as the raw records", () => {
    expect(applyHistory(tiny(), parseHistory(history)).input).toEqual(
      applyHistory(tiny(), history).input,
    );
  });

  it("refuses an invalid history (every issue), options and input", () => {
    const bad = { records: [{ round: 1, mentee: "a", mentor: "a" }, { mentee: 2 }] } as never;
    expect(issuesOf(() => applyHistory(tiny(), bad)).map((i) => i.code)).toEqual([
      "required",
      "invalid_type",
      "self_pair",
    ]);
    expect(
      issuesOf(() => applyHistory(tiny(), history, { continuty: true } as never))[0].code,
    ).toBe("unknown_option");
    expect(issuesOf(() => applyHistory(null as never, history))[0].code).toBe("invalid_argument");
  });
});

describe("currentPairs", () => {
  it("the latest round's pairs (or the round asked for), without those that ended early", () => {
    const h = {
      records: [
        { round: "2025-H1", mentee: "b", mentor: "m" },
        { round: "2025-H2", mentee: "b", mentor: "n", outcome: "completed" as const },
        { round: "2025-H2", mentee: "a", mentor: "n" },
        { round: "2025-H2", mentee: "c", mentor: "m", outcome: "ended_early" as const },
        { round: "2025-H2", mentee: "d" },
      ],
    };
    expect(currentPairs(h)).toEqual([
      { mentee: "a", mentor: "n" },
      { mentee: "b", mentor: "n" },
    ]);
    expect(currentPairs(h, "2025-H1")).toEqual([{ mentee: "b", mentor: "m" }]);
    expect(currentPairs({ records: [] })).toEqual([]);
    expect(issuesOf(() => currentPairs(h, "2026-H1"))[0].code).toBe("invalid_argument");
  });
});

// ————————————————————————————————————————————————————————————————————————————————————————————
// Properties over small generated cohorts and random histories

/** A valid random history over the cohort's ids plus some who left: per round, each mentee in
 * it either unmatched or with a few mentors. */
function historyArb(input: CohortInput): fc.Arbitrary<HistoryRecordInput[]> {
  const mentees = [...input.mentees.map((m) => m.id), "gone-e"];
  const mentors = [...input.mentors.map((m) => m.id), "gone-m"];
  const round = fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom("2025-H1", "2025-H2")),
      fc.subarray(mentees),
    )
    .chain(([id, who]) =>
      fc.tuple(
        ...who.map((mentee) =>
          fc
            .constant(mentors.filter((m) => m !== mentee))
            .chain((pool) => fc.subarray(pool, { maxLength: Math.min(2, pool.length) }))
            .chain((mine) =>
              fc.constantFrom(
                ...(mine.length === 0
                  ? [[{ round: id, mentee }]]
                  : [
                      mine.map((mentor) => ({ round: id, mentee, mentor })),
                      mine.map((mentor, k) =>
                        k === 0
                          ? { round: id, mentee, mentor, outcome: "ended_early" as const }
                          : { round: id, mentee, mentor },
                      ),
                    ]),
              ),
            ),
        ),
      ),
    )
    .map((lists) => lists.flat() as HistoryRecordInput[]);
  return fc
    .array(round, { maxLength: 4 })
    .map((rounds) => {
      // A round id drawn twice: keep its first draw only.
      const seen = new Set<string>();
      return rounds.filter((r) => {
        const id = r.length === 0 ? "" : String(r[0].round);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
    })
    .map((rounds) => rounds.flat());
}

/** Small cohorts in which most pairs are eligible (one tier, no other rule), so that `match`
 * makes pairs and a repeat would be proposed if the history were not applied. Mentor `e0`, when
 * drawn, is also mentee `e0` (one person on both sides). */
const smallCohortArb: fc.Arbitrary<CohortInput> = fc
  .record({
    mentees: fc.integer({ min: 1, max: 6 }),
    mentors: fc.integer({ min: 1, max: 4 }),
    both: fc.boolean(),
    levels: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 10, maxLength: 10 }),
    targets: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 12, maxLength: 12 }),
    capacity: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
    two: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    boost: fc.constantFrom(0, 1, 5),
  })
  .map((d) => ({
    skills: [{ id: "sql" }, { id: "ml" }],
    strategy: { priorities: { sql: 2, ml: 1 } },
    mentees: Array.from({ length: d.mentees }, (_, i) => ({
      id: `e${i}`,
      department: "ops",
      level: 0,
      tenureMonths: 1,
      current: {},
      targets: { sql: d.targets[i], ml: d.targets[i + 6] },
      ...(d.two[i] ? { maxMentors: 2 } : {}),
    })),
    mentors: Array.from({ length: d.mentors }, (_, j) => ({
      id: d.both && j === 0 ? "e0" : `m${j}`,
      department: "data",
      level: 1,
      tenureMonths: 12,
      tier: "any",
      capacity: d.capacity[j],
      expertise: { sql: d.levels[j], ml: d.levels[j + 5] },
    })),
    program: {
      tiers: [{ id: "any" }],
      scoring: { weights: { unmatchedBoost: d.boost } },
    },
  }));

const cohortWithHistory = smallCohortArb.chain((input) =>
  historyArb(input).chain((records) =>
    fc.shuffledSubarray(records, { minLength: records.length }).map((shuffled) => ({
      input,
      records,
      shuffled,
    })),
  ),
);

describe("properties", () => {
  it("after applyHistory, match never proposes a pair of the history", () => {
    let repeatsWithout = 0;
    fc.assert(
      fc.property(cohortWithHistory, ({ input, records }) => {
        const applied = applyHistory(input, { records });
        const cohort = parseCohort(applied.input);
        const result = match(cohort);
        const past = new Set(records.map((r) => `${r.mentee}\u0000${r.mentor ?? ""}`));
        for (const p of result.pairs) expect(past.has(`${p.mentee}\u0000${p.mentor}`)).toBe(false);
        // Not vacuous: without the history, match often proposes a pair of it.
        if (match(parseCohort(input)).pairs.some((p) => past.has(`${p.mentee}\u0000${p.mentor}`)))
          repeatsWithout++;
      }),
      fcParams(150),
    );
    expect(repeatsWithout).toBeGreaterThan(10);
  });

  it("the order of the records does not matter", () => {
    fc.assert(
      fc.property(cohortWithHistory, ({ input, records, shuffled }) => {
        const a = applyHistory(input, { records });
        const b = applyHistory(input, { records: shuffled });
        expect(b.input).toEqual(a.input);
        expect(b.currentPairs).toEqual(a.currentPairs);
        expect(b.unmatchedLastRound).toEqual(a.unmatchedLastRound);
        expect(b.pastPairs).toBe(a.pastPairs);
        expect(b.warnings.length).toBe(a.warnings.length);
      }),
      fcParams(150),
    );
  });

  it("a mentee unmatched in the latest round has roundsUnmatched one above the round before", () => {
    fc.assert(
      fc.property(cohortWithHistory, ({ input, records }) => {
        const applied = applyHistory(input, { records });
        if (applied.round === null) return;
        const rounds = parseHistory({ records }).rounds;
        const before =
          rounds.length < 2
            ? input
            : applyHistory(input, { records }, { after: rounds[rounds.length - 2] }).input;
        const prior = new Map(before.mentees.map((m) => [m.id, m.roundsUnmatched ?? 0]));
        for (const m of applied.input.mentees)
          if (applied.unmatchedLastRound.includes(m.id))
            expect(m.roundsUnmatched).toBe(prior.get(m.id)! + 1);
      }),
      fcParams(100),
    );
  });
});
