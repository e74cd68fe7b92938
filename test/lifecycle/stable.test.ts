/**
 * Stable mode (src/lifecycle/stable.ts): the published examples of the `matching` library
 * (../shared/testdata/peer, read in place), fast-check properties on small random instances
 * (no blocking pair; optimality for the proposing side by brute force over every matching of
 * tiny instances, on the tie-broken preferences; order independence; input untouched), the
 * checker on hand-made matchings, and every input issue at once.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blockingPairs,
  InputError,
  stableMatch,
  type RankItem,
  type StableInput,
  type StableMatchResult,
  type StableSide,
} from "../../src/index.js";
import { runs } from "../support/harness.js";

const EXAMPLES = path.resolve(
  import.meta.dirname,
  "../../../shared/testdata/peer/stable_matching_examples.json",
);
const present = existsSync(EXAMPLES);
if (!present)
  console.warn(
    `skipping the published stable-matching examples in test/lifecycle/stable.test.ts: ${EXAMPLES} is absent (../shared/testdata/peer)`,
  );

type Prefs = Record<string, string[]>;
interface Case {
  id: string;
  game: string;
  resident_prefs?: Prefs;
  hospital_prefs?: Prefs;
  capacities?: Record<string, number>;
  suitor_prefs?: Prefs;
  reviewer_prefs?: Prefs;
  expected_matching?: Record<string, string | string[]>;
}

/** A matching by mentor as the examples write it (`{ hospital: [residents] }`) → sorted pairs. */
const pairsByMentor = (m: Record<string, string | string[]>, flip = false) =>
  Object.entries(m)
    .flatMap(([mentor, x]) => (Array.isArray(x) ? x : [x]).map((mentee) => ({ mentee, mentor })))
    .map((p) => (flip ? { mentee: p.mentor, mentor: p.mentee } : p))
    .sort((a, b) =>
      a.mentee < b.mentee ? -1 : a.mentee > b.mentee ? 1 : a.mentor < b.mentor ? -1 : 1,
    );

const idsOf = (r: StableMatchResult) => r.pairs.map(({ mentee, mentor }) => ({ mentee, mentor }));

describe.skipIf(!present)("the published examples (daffidwilde/matching, MIT)", () => {
  const cases = present
    ? (JSON.parse(readFileSync(EXAMPLES, "utf8")) as { cases: Case[] }).cases
    : [];

  it("reads the hospital–resident and stable-marriage cases that assert a matching", () => {
    const usable = cases.filter((c) => c.expected_matching && (c.resident_prefs || c.suitor_prefs));
    // HR readme, HR issue 67, HR resident loses all preferences, SM Pride and Prejudice, SM readme.
    // Left out: the student-allocation case (projects under supervisors: another game) and HR
    // issue 159 (no matching asserted upstream).
    expect(usable.map((c) => c.id)).toEqual([
      "HR readme example",
      "HR issue 67",
      "HR resident loses all preferences",
      "SM Pride and Prejudice",
      "SM readme",
    ]);
  });

  for (const c of cases.filter((c) => c.resident_prefs && c.expected_matching))
    it(`${c.id}: resident-optimal = mentee-optimal, and = mentor-optimal with the sides swapped`, () => {
      const expected = pairsByMentor(c.expected_matching!);
      const input: StableInput = {
        menteeRanks: c.resident_prefs!,
        mentorRanks: c.hospital_prefs!,
        capacities: c.capacities,
      };
      const r = stableMatch(input);
      expect(idsOf(r)).toEqual(expected);
      expect(blockingPairs(input, r)).toMatchObject({ ok: true, blockingPairs: [], problems: [] });
      // Hospitals as mentees taking several mentors, residents as mentors with one place each:
      // the mentor-proposing (resident-proposing) matching is the same.
      const swapped: StableInput = {
        menteeRanks: c.hospital_prefs!,
        mentorRanks: c.resident_prefs!,
        menteeCapacities: c.capacities,
      };
      const s = stableMatch(swapped, { side: "mentors" });
      expect(idsOf(s)).toEqual(pairsByMentor(c.expected_matching!, true));
      expect(blockingPairs(swapped, s).ok).toBe(true);
      // The hospital-optimal matching is stable too.
      expect(blockingPairs(input, stableMatch(input, { side: "mentors" })).ok).toBe(true);
    });

  for (const c of cases.filter((c) => c.suitor_prefs && c.expected_matching))
    it(`${c.id}: suitor-optimal, with suitors as mentees (mentee side) and as mentors (mentor side)`, () => {
      const expected = Object.entries(c.expected_matching!).map(([s, r]) => [s, r as string]);
      const asMentees: StableInput = {
        menteeRanks: c.suitor_prefs!,
        mentorRanks: c.reviewer_prefs!,
      };
      const a = stableMatch(asMentees, { side: "mentees" });
      expect(a.pairs.map((p) => [p.mentee, p.mentor])).toEqual(expected);
      const asMentors: StableInput = {
        menteeRanks: c.reviewer_prefs!,
        mentorRanks: c.suitor_prefs!,
      };
      const b = stableMatch(asMentors, { side: "mentors" });
      expect(
        b.pairs.map((p) => [p.mentor, p.mentee]).sort((x, y) => (x[0] < y[0] ? -1 : 1)),
      ).toEqual(expected);
      expect(blockingPairs(asMentees, a).ok).toBe(true);
      expect(blockingPairs(asMentors, b).ok).toBe(true);
    });
});

// ---------------------------------------------------------------------------------------------
// Random small instances.

/** Each person: for each other-side person, not ranked (null) or a rank level 0..2 (equal levels
 * tie). */
const instanceArb = (maxMentees: number, maxMentors: number, menteeCapMax: number) =>
  fc
    .record({
      n: fc.integer({ min: 1, max: maxMentees }),
      m: fc.integer({ min: 1, max: maxMentors }),
    })
    .chain(({ n, m }) => {
      const level = fc.option(fc.integer({ min: 0, max: 2 }), { freq: 4 });
      return fc.record({
        e: fc.array(fc.array(level, { minLength: m, maxLength: m }), {
          minLength: n,
          maxLength: n,
        }),
        r: fc.array(fc.array(level, { minLength: n, maxLength: n }), {
          minLength: m,
          maxLength: m,
        }),
        cap: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: m, maxLength: m }),
        ecap: fc.array(fc.integer({ min: menteeCapMax > 1 ? 0 : 1, max: menteeCapMax }), {
          minLength: n,
          maxLength: n,
        }),
      });
    })
    .map(({ e, r, cap, ecap }): StableInput => {
      const E = e.map((_, i) => `e${i}`);
      const M = r.map((_, j) => `m${j}`);
      const list = (levels: (number | null)[], ids: string[]): RankItem[] => {
        const out: RankItem[] = [];
        for (const lv of [0, 1, 2]) {
          const group = ids.filter((_, k) => levels[k] === lv);
          if (group.length === 1) out.push(group[0]);
          else if (group.length > 1) out.push(group);
        }
        return out;
      };
      return {
        menteeRanks: Object.fromEntries(E.map((id, i) => [id, list(e[i], M)])),
        mentorRanks: Object.fromEntries(M.map((id, j) => [id, list(r[j], E)])),
        capacities: Object.fromEntries(M.map((id, j) => [id, cap[j]])),
        menteeCapacities: Object.fromEntries(E.map((id, i) => [id, ecap[i]])),
      };
    });

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The strict preferences the documented tie rule gives: each tie listed in id order. */
function tieBroken(input: StableInput): StableInput {
  const strict = (ranks: Record<string, readonly RankItem[]>) =>
    Object.fromEntries(
      Object.entries(ranks).map(([id, l]) => [
        id,
        l.flatMap((x) => (typeof x === "string" ? [x] : [...x].sort(byId))),
      ]),
    );
  return {
    ...input,
    menteeRanks: strict(input.menteeRanks),
    mentorRanks: strict(input.mentorRanks),
  };
}

/** Every matching of a tiny instance that respects both sides' capacities and only pairs
 * mutually acceptable people. */
function allMatchings(input: StableInput): { mentee: string; mentor: string }[][] {
  const E = Object.keys(input.menteeRanks).sort(byId);
  const ranked = (l: readonly RankItem[]) => new Set(l.flat());
  const acceptable = E.map((e) =>
    Object.keys(input.mentorRanks)
      .sort(byId)
      .filter((m) => ranked(input.menteeRanks[e]).has(m) && ranked(input.mentorRanks[m]).has(e)),
  );
  const load = new Map<string, number>();
  const out: { mentee: string; mentor: string }[][] = [];
  const chosen: { mentee: string; mentor: string }[] = [];
  const go = (i: number) => {
    if (i === E.length) return void out.push([...chosen]);
    const opts = acceptable[i];
    const cap = input.menteeCapacities?.[E[i]] ?? 1;
    // Every subset of the mentee's acceptable mentors of size ≤ cap.
    for (let mask = 0; mask < 1 << opts.length; mask++) {
      const pick = opts.filter((_, k) => mask & (1 << k));
      if (pick.length > cap) continue;
      if (pick.some((m) => (load.get(m) ?? 0) >= (input.capacities?.[m] ?? 1))) continue;
      for (const m of pick) {
        load.set(m, (load.get(m) ?? 0) + 1);
        chosen.push({ mentee: E[i], mentor: m });
      }
      go(i + 1);
      for (const m of pick) {
        load.set(m, load.get(m)! - 1);
        chosen.pop();
      }
    }
  };
  go(0);
  return out;
}

/** Each person's partners' strict ranks, best first, padded with Infinity to its capacity. */
function rankVector(
  input: StableInput,
  side: StableSide,
  pairs: readonly { mentee: string; mentor: string }[],
  who: string,
): number[] {
  const mine = side === "mentees";
  const list = (mine ? input.menteeRanks : input.mentorRanks)[who] as string[];
  const cap = (mine ? input.menteeCapacities?.[who] : input.capacities?.[who]) ?? 1;
  const ranks = pairs
    .filter((p) => (mine ? p.mentee : p.mentor) === who)
    .map((p) => list.indexOf(mine ? p.mentor : p.mentee))
    .sort((a, b) => a - b);
  while (ranks.length < cap) ranks.push(Infinity);
  return ranks;
}

/** The proposing side's optimality, checked by brute force on the tie-broken preferences: the
 * result is stable, and each member of that side weakly prefers it, partner by partner (k-th best
 * to k-th best), to every stable matching. */
function checkOptimal(input: StableInput, side: StableSide): void {
  const strict = tieBroken(input);
  const result = stableMatch(input, { side });
  // The tie rule is what the result follows: the strict preferences give the same matching.
  expect(idsOf(stableMatch(strict, { side }))).toEqual(idsOf(result));
  const stable = allMatchings(strict).filter((m) => blockingPairs(strict, { pairs: m }).ok);
  expect(stable.length).toBeGreaterThan(0);
  const key = (ps: readonly { mentee: string; mentor: string }[]) =>
    JSON.stringify(ps.map((p) => [p.mentee, p.mentor]).sort());
  expect(stable.map(key)).toContain(key(idsOf(result)));
  const people = Object.keys(side === "mentees" ? input.menteeRanks : input.mentorRanks);
  for (const m of stable)
    for (const who of people) {
      const mine = rankVector(strict, side, idsOf(result), who);
      const theirs = rankVector(strict, side, m, who);
      mine.forEach((r, k) =>
        expect(r, `${who}'s ${k + 1}-th partner`).toBeLessThanOrEqual(theirs[k]),
      );
    }
}

describe("stableMatch on random small instances", () => {
  it("no blocking pair (weak stability with ties), valid, for both sides", () => {
    fc.assert(
      fc.property(instanceArb(6, 4, 2), (input) => {
        for (const side of ["mentees", "mentors"] as const) {
          const r = stableMatch(input, { side });
          expect(blockingPairs(input, r)).toEqual({ ok: true, blockingPairs: [], problems: [] });
          for (const l of r.mentors) expect(l.load).toBeLessThanOrEqual(l.capacity);
        }
      }),
      runs(300),
    );
  });

  it("mentee-optimal: every mentee weakly prefers it to every stable matching (brute force)", () => {
    fc.assert(
      fc.property(instanceArb(4, 3, 1), (input) => checkOptimal(input, "mentees")),
      runs(200),
    );
  });

  it("mentor-optimal: every mentor weakly prefers it to every stable matching (brute force)", () => {
    fc.assert(
      fc.property(instanceArb(4, 3, 1), (input) => checkOptimal(input, "mentors")),
      runs(200),
    );
  });

  it("with mentees taking up to two mentors: optimal for the proposing side, partner by partner", () => {
    fc.assert(
      fc.property(
        instanceArb(3, 3, 2),
        fc.constantFrom<StableSide>("mentees", "mentors"),
        (input, side) => checkOptimal(input, side),
      ),
      runs(150),
    );
  });

  it("order independence: shuffled keys and ties give the same result", () => {
    fc.assert(
      fc.property(instanceArb(6, 4, 2), fc.integer(), (input, seed) => {
        let s = seed >>> 0 || 1;
        const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 2 ** 32);
        const shuffle = <T>(xs: readonly T[]): T[] => {
          const a = [...xs];
          for (let k = a.length - 1; k > 0; k--) {
            const t = Math.floor(rnd() * (k + 1));
            [a[k], a[t]] = [a[t], a[k]];
          }
          return a;
        };
        const mix = (r: Readonly<Record<string, readonly RankItem[]>>) =>
          Object.fromEntries(
            shuffle(Object.entries(r)).map(([id, l]) => [
              id,
              l.map((x) => (typeof x === "string" ? x : shuffle(x))),
            ]),
          );
        const mixed: StableInput = {
          menteeRanks: mix(input.menteeRanks),
          mentorRanks: mix(input.mentorRanks),
          capacities: Object.fromEntries(shuffle(Object.entries(input.capacities!))),
          menteeCapacities: Object.fromEntries(shuffle(Object.entries(input.menteeCapacities!))),
        };
        for (const side of ["mentees", "mentors"] as const)
          expect(stableMatch(mixed, { side })).toEqual(stableMatch(input, { side }));
      }),
      runs(200),
    );
  });

  it("never changes its input (deep-frozen input, same after)", () => {
    fc.assert(
      fc.property(instanceArb(5, 4, 2), (input) => {
        const before = structuredClone(input);
        const freeze = (x: unknown): unknown => {
          if (x && typeof x === "object") {
            Object.values(x).forEach(freeze);
            Object.freeze(x);
          }
          return x;
        };
        freeze(input);
        const r = stableMatch(input, { side: "mentors" });
        blockingPairs(input, r);
        expect(input).toEqual(before);
      }),
      runs(100),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-made cases.

describe("blockingPairs on hand-made matchings", () => {
  // The readme stable-marriage instance of the examples file, written out here.
  const sm: StableInput = {
    menteeRanks: { A: ["D", "E", "F"], B: ["D", "F", "E"], C: ["F", "D", "E"] },
    mentorRanks: { D: ["B", "C", "A"], E: ["A", "C", "B"], F: ["C", "B", "A"] },
  };

  it("finds the one blocking pair of A–D, B–E, C–F: B and D", () => {
    const pairs = [
      { mentee: "A", mentor: "D" },
      { mentee: "B", mentor: "E" },
      { mentee: "C", mentor: "F" },
    ];
    expect(blockingPairs(sm, { pairs })).toEqual({
      ok: false,
      blockingPairs: [
        {
          mentee: "B",
          mentor: "D",
          menteeRank: 1,
          mentorRank: 1,
          menteeFree: false,
          mentorFree: false,
        },
      ],
      problems: [],
    });
  });

  it("none in the stable matchings of both sides", () => {
    expect(blockingPairs(sm, stableMatch(sm)).blockingPairs).toEqual([]);
    expect(blockingPairs(sm, stableMatch(sm, { side: "mentors" })).blockingPairs).toEqual([]);
  });

  it("a free place blocks with any acceptable mentee; ties do not block (weak stability)", () => {
    const input: StableInput = {
      menteeRanks: { a: [["x", "y"]], b: ["x"], c: ["y"] },
      mentorRanks: { x: ["b", "a"], y: [["a", "c"]] },
      capacities: { x: 1, y: 2 },
    };
    // a with x, b unmatched: b–x blocks (x prefers b). c unmatched and y has room: c–y blocks.
    // a–y: a is indifferent between x and y, so no block.
    const r = blockingPairs(input, { pairs: [{ mentee: "a", mentor: "x" }] });
    expect(r.blockingPairs.map((p) => [p.mentee, p.mentor, p.menteeFree, p.mentorFree])).toEqual([
      ["b", "x", true, false],
      ["c", "y", true, true],
    ]);
    const ok = blockingPairs(input, stableMatch(input));
    expect(ok.ok).toBe(true);
  });

  it("reports unknown ids, repeated and unacceptable pairs, loads over capacity", () => {
    const input: StableInput = {
      menteeRanks: { a: ["x"], b: ["x"], c: ["y"] },
      mentorRanks: { x: ["a", "b"], y: [] },
      capacities: { x: 1 },
    };
    const r = blockingPairs(input, {
      pairs: [
        { mentee: "a", mentor: "x" },
        { mentee: "b", mentor: "x" },
        { mentee: "a", mentor: "x" },
        { mentee: "c", mentor: "y" },
        { mentee: "z", mentor: "x" },
      ],
    });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.kind, p.pair, p.mentee, p.mentor])).toEqual([
      ["duplicate_pair", 2, "a", "x"],
      ["unacceptable_pair", 3, "c", "y"],
      ["unknown_mentee", 4, "z", undefined],
      ["mentor_over_capacity", undefined, undefined, "x"],
    ]);
    expect(r.problems[1].message).toContain('"y" does not rank "c"');
  });

  it("a matching of the wrong shape is an InputError naming each bad pair", () => {
    expect(() => blockingPairs(sm, null as never)).toThrow(InputError);
    try {
      blockingPairs(sm, { pairs: [{ mentee: "A" }, 3] } as never);
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).issues.map((i) => i.location)).toEqual([
        { kind: "path", path: ["pairs", 0] },
        { kind: "path", path: ["pairs", 1] },
      ]);
    }
  });
});

describe("invalid input", () => {
  it("every issue at once, with paths, codes and did-you-mean", () => {
    const input = {
      menteeRanks: { e1: ["m1", ["m2", "M1"], "x", 7], e2: 3, " ": [] },
      mentorRanks: { m1: ["e1", "e1"], m2: [[]] },
      capacities: { m1: -1, m2: 1.5, m3: 2 },
      menteeCapacities: [],
      extra: true,
    };
    const before = structuredClone(input);
    let error: InputError | undefined;
    try {
      stableMatch(input as never);
    } catch (e) {
      error = e as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(input).toEqual(before);
    const got = error!.issues.map((i) => [
      i.code,
      i.location.kind === "path" ? i.location.path : null,
    ]);
    expect(got).toEqual([
      ["unrecognized_key", ["extra"]],
      ["invalid_format", ["menteeRanks", " "]],
      ["unknown_mentor", ["menteeRanks", "e1", 1, 1]],
      ["unknown_mentor", ["menteeRanks", "e1", 2]],
      ["invalid_type", ["menteeRanks", "e1", 3]],
      ["invalid_type", ["menteeRanks", "e2"]],
      ["duplicate_id", ["mentorRanks", "m1", 1]],
      ["too_small", ["mentorRanks", "m2", 0]],
      ["too_small", ["capacities", "m1"]],
      ["invalid_type", ["capacities", "m2"]],
      ["unknown_mentor", ["capacities", "m3"]],
      ["invalid_type", ["menteeCapacities"]],
    ]);
    const near = error!.issues.find((i) => i.received === "M1")!;
    expect(near.expected).toBe("m1");
    expect(near.message).toContain('did you mean "m1"?');
  });

  it("not an object, missing sides, bad options", () => {
    expect(() => stableMatch(undefined as never)).toThrow(/Invalid ranks: 1 issue/);
    try {
      stableMatch({} as never);
    } catch (e) {
      expect((e as InputError).issues.map((i) => i.code)).toEqual(["required", "required"]);
    }
    const ok: StableInput = { menteeRanks: { a: ["x"] }, mentorRanks: { x: ["a"] } };
    expect(() => stableMatch(ok, { side: "both" as never })).toThrow(/"mentees" or "mentors"/);
    expect(() => stableMatch(ok, { sides: "mentees" } as never)).toThrow(/Unknown option/);
  });

  it("one-sided rankings are ignored; capacity 0 takes no one", () => {
    const input: StableInput = {
      menteeRanks: { a: ["x", "y"], b: ["y"] },
      mentorRanks: { x: ["b"], y: ["b", "a"] },
      capacities: { y: 0 },
    };
    const r = stableMatch(input);
    expect(r.pairs).toEqual([]);
    expect(r.acceptablePairs).toBe(2);
    expect(r.unmatched).toEqual(["a", "b"]);
    expect(r.mentors).toEqual([
      { mentor: "x", load: 0, capacity: 1 },
      { mentor: "y", load: 0, capacity: 0 },
    ]);
  });
});
