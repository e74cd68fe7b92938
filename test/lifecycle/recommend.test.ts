/**
 * `recommend`: top-k mentors per mentee under exposure caps. Properties on small generated and
 * random cohorts — caps, eligibility, at most k a mentee, ranks and breakdowns, the reasons of
 * short lists — the optimal total against two oracles built here from the input's own records
 * (HiGHS on the integer program, and the engine's dense path on the scored matrix, whose
 * certificate `verifyCertificate` checks too), determinism under permuted input, no mutation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import type { Cohort } from "../../src/cohort/types.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { exposureCaps, recommend, type RecommendResult } from "../../src/lifecycle/recommend.js";
import { explainPair } from "../../src/match/explain.js";
import { InputError, formatLocation } from "../../src/schema/errors.js";
import type { CohortInput } from "../../src/schema/input.js";
import { scoreMatrix } from "../../src/score/matrix.js";
import { solveAssignment, verifyCertificate } from "../../src/solve/index.js";
import type { AssignmentProblem } from "../../src/solve/types.js";
import { validCohortArb } from "../arbitraries/cohort.js";
import { highsBeforeAll, runs } from "../support/harness.js";

const getHighs = highsBeforeAll();

/** Caps from the input's records: ⌈exposure × (capacity − locked)⌉, at least 1, 0 without a
 * free place (written out again here, not read from the module). */
function capsOf(input: CohortInput, cohort: Cohort, exposure: number): number[] {
  const locked = input.program.lockedPairs ?? [];
  return cohort.index.mentorIds.map((id) => {
    const r = input.mentors.find((x) => x.id === id)!;
    const free = r.capacity - locked.filter((p) => p.mentor === id).length;
    if (free <= 0) return 0;
    return Math.max(1, Math.ceil(Math.round(exposure * free * 1e9) / 1e9));
  });
}

/** Mentees that may get suggestions, from the input's records: no locked pair, maxMentors > 0. */
function rowMaxOf(input: CohortInput, cohort: Cohort, k: number): number[] {
  const locked = new Set((input.program.lockedPairs ?? []).map((p) => p.mentee));
  return cohort.index.menteeIds.map((id) => {
    const e = input.mentees.find((x) => x.id === id)!;
    return locked.has(id) || (e.maxMentors ?? 1) === 0 ? 0 : k;
  });
}

/** The suggestion problem as a dense assignment problem: eligible pairs with a fit above 0. */
function denseProblem(input: CohortInput, k: number, exposure: number): AssignmentProblem {
  const cohort = parseCohort(input);
  const { n, m, scores, reason } = scoreMatrix(cohort.view);
  const allowed = Uint8Array.from(reason, (r, p) => (r === 0 && scores[p] > 0 ? 1 : 0));
  return {
    scores,
    rows: n,
    cols: m,
    allowed,
    rowMax: rowMaxOf(input, cohort, k),
    colMax: capsOf(input, cohort, exposure),
  };
}

/** HiGHS on the same problem as an integer program, written from the dense problem's parts. */
function highsTotal(p: AssignmentProblem): number {
  const n = p.rows!;
  const m = p.cols!;
  const s = p.scores as Float64Array;
  const vars: [number, number][] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) if (p.allowed![i * m + j]) vars.push([i, j]);
  if (vars.length === 0) return 0;
  const x = ([i, j]: [number, number]) => `x_${i}_${j}`;
  const rowMax = p.rowMax as number[];
  const colMax = p.colMax as number[];
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const mine = vars.filter((v) => v[0] === i);
    if (mine.length) rows.push(` r${i}: ${mine.map(x).join(" + ")} <= ${rowMax[i]}`);
  }
  for (let j = 0; j < m; j++) {
    const mine = vars.filter((v) => v[1] === j);
    if (mine.length) rows.push(` c${j}: ${mine.map(x).join(" + ")} <= ${colMax[j]}`);
  }
  const lp = [
    "Maximize",
    ` obj: ${vars.map((v) => `${s[v[0] * m + v[1]].toPrecision(17)} ${x(v)}`).join(" + ")}`,
    "Subject To",
    ...rows,
    "Binary",
    ...vars.map((v) => ` ${x(v)}`),
    "End",
  ].join("\n");
  const res = getHighs().solve(lp, { output_flag: false, mip_rel_gap: 0 });
  if (res.Status !== "Optimal") throw new Error(`HiGHS: ${res.Status}`);
  // The total of the pairs it chose, at our fits (its objective carries its own rounding).
  return vars
    .filter((v) => (res.Columns[x(v)]?.Primal ?? 0) > 0.5)
    .reduce((t, v) => t + s[v[0] * m + v[1]], 0);
}

/** Everything of a result but the clocks. */
function timeless(r: RecommendResult) {
  const { stats, timeMs: _, ...rest } = r;
  const { timeMs: __, phaseMs: ___, ...counts } = stats;
  return { ...rest, counts };
}

function permute<T>(items: readonly T[], swaps: readonly number[]): T[] {
  const a = [...items];
  for (let t = a.length - 1; t > 0; t--) {
    const r = swaps[t % Math.max(1, swaps.length)] % (t + 1);
    [a[t], a[r]] = [a[r], a[t]];
  }
  return a;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !ArrayBuffer.isView(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Every property of one result against its cohort (and the tolerance of the total). */
function checkResult(input: CohortInput, r: RecommendResult, k: number, exposure: number): void {
  const cohort = parseCohort(input);
  const { n, m, scores, reason } = scoreMatrix(cohort.view);
  const { menteeById, mentorById, menteeIds, mentorIds } = cohort.index;
  const caps = capsOf(input, cohort, exposure);
  const rowMax = rowMaxOf(input, cohort, k);
  expect(r.k).toBe(k);
  expect(r.exposure).toBe(exposure);
  expect(r.mentees.map((e) => e.mentee)).toEqual(menteeIds);
  expect(r.mentors.map((e) => e.mentor)).toEqual(mentorIds);
  const shown = new Array<number>(m).fill(0);
  let total = 0;
  for (const e of r.mentees) {
    const i = menteeById.get(e.mentee)!;
    expect(e.suggestions.length).toBeLessThanOrEqual(rowMax[i]);
    expect(new Set(e.suggestions.map((s) => s.mentor)).size).toBe(e.suggestions.length);
    e.suggestions.forEach((s, t) => {
      const j = mentorById.get(s.mentor)!;
      expect(reason[i * m + j], `${e.mentee}–${s.mentor} eligible`).toBe(0);
      expect(s.fit).toBe(scores[i * m + j]);
      expect(s.fit).toBeGreaterThan(0);
      expect(s.rank).toBe(t + 1);
      if (t > 0) {
        const prev = e.suggestions[t - 1];
        expect(prev.fit > s.fit || (prev.fit === s.fit && prev.mentor < s.mentor)).toBe(true);
      }
      const parts = s.breakdown.reduce((a, p) => a + p.value, 0);
      expect(Math.abs(parts - s.fit)).toBeLessThanOrEqual(1e-9 * Math.max(1, s.fit));
      expect(s.tier).toBe(input.mentors.find((x) => x.id === s.mentor)!.tier);
      if (t === 0) expect(explainPair(cohort, e.mentee, s.mentor).total).toBe(s.fit);
      shown[j]++;
      total += s.fit;
    });
  }
  expect(Math.abs(total - r.objective)).toBeLessThanOrEqual(1e-9 * Math.max(1, total));
  r.mentors.forEach((x, j) => {
    expect(x.exposure).toBe(shown[j]);
    expect(x.cap).toBe(caps[j]);
    expect(x.exposure).toBeLessThanOrEqual(x.cap);
  });
  // Short lists: exactly the mentees with fewer than k, each reason true of the answer.
  const short = r.mentees.filter((e) => e.suggestions.length < k).map((e) => e.mentee);
  expect(r.short.map((s) => s.mentee)).toEqual(short);
  const locked = new Set((input.program.lockedPairs ?? []).map((p) => p.mentee));
  for (const s of r.short) {
    const i = menteeById.get(s.mentee)!;
    const mine = new Set(r.mentees[i].suggestions.map((x) => x.mentor));
    expect(s.suggestions).toBe(mine.size);
    const positive = [...Array(m).keys()].filter(
      (j) => reason[i * m + j] === 0 && scores[i * m + j] > 0,
    );
    const eligible = [...Array(m).keys()].filter((j) => reason[i * m + j] === 0).length;
    expect(s.eligibleMentors).toBe(eligible);
    expect(s.positiveMentors).toBe(positive.length);
    expect(s.blockedBy.reduce((a, b) => a + b.mentors, 0)).toBe(m - eligible);
    const leftOut = positive.filter((j) => !mine.has(mentorIds[j]));
    if (locked.has(s.mentee)) expect(s.reason).toBe("locked");
    else if (s.reason === "caps_exhausted")
      // At an optimum every left-out mentor with a positive fit is at their cap.
      expect(leftOut.length > 0 && leftOut.every((j) => shown[j] >= caps[j])).toBe(true);
    else if (s.reason === "few_eligible") expect(leftOut).toEqual([]);
    else if (s.reason === "no_eligible_mentor") expect(eligible).toBe(0);
    else if (s.reason === "no_fit") expect(positive).toEqual([]);
    else expect(s.reason).toBe("max_mentors_zero");
    if (s.reason === "locked" || s.reason === "max_mentors_zero") expect(s.suggestions).toBe(0);
  }
  expect(n).toBe(r.mentees.length);
}

const smallGenerated = fc.record({
  mentees: fc.integer({ min: 1, max: 14 }),
  mentors: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  k: fc.integer({ min: 1, max: 4 }),
  exposure: fc.constantFrom(undefined, 0.5, 1, 1.5, 3),
});

/** A generated cohort with some of its mentees' best pairs locked (eligible and within every
 * capacity: one suggestion each at exposure 1, so at most each mentor's capacity). */
const generatedWithLocks = fc
  .record({
    mentees: fc.integer({ min: 2, max: 14 }),
    mentors: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    lock: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
  })
  .map(({ mentees, mentors, seed, lock }) => {
    const input = generateCohort({ mentees, mentors, seed });
    const plain = { ...input, program: { ...input.program, lockedPairs: [] } };
    const firsts = recommend(parseCohort(plain), { k: 1, exposure: 1 }).mentees.filter(
      (e, t) => e.suggestions.length > 0 && lock[t],
    );
    const lockedPairs = firsts.map((e) => ({ mentee: e.mentee, mentor: e.suggestions[0].mentor }));
    return { ...plain, program: { ...plain.program, lockedPairs } } as CohortInput;
  });

describe("recommend on small cohorts", () => {
  it("keeps caps, eligibility and k, and its total is HiGHS's and the dense engine's (generated cohorts)", () => {
    fc.assert(
      fc.property(smallGenerated, ({ mentees, mentors, seed, k, exposure }) => {
        const input = generateCohort({ mentees, mentors, seed });
        const r = recommend(parseCohort(input), { k, exposure });
        const x = exposure ?? k;
        expect(r.status).toBe("optimal");
        checkResult(input, r, k, x);
        const p = denseProblem(input, k, x);
        const tol = 1e-9 * Math.max(1, r.objective);
        expect(Math.abs(highsTotal(p) - r.objective)).toBeLessThanOrEqual(tol);
        const dense = solveAssignment(p);
        expect(dense.status).toBe("optimal");
        expect(Math.abs(dense.objective - r.objective)).toBeLessThanOrEqual(tol);
      }),
      runs(40),
    );
  });

  it("the same on cohorts with locked and forbidden pairs, tricky ids, and the certificate checks on the dense problem", () => {
    fc.assert(
      fc.property(
        fc.oneof(validCohortArb({ maxMentees: 6, maxMentors: 5 }), generatedWithLocks),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(undefined, 0.4, 1, 2),
        (input, k, exposure) => {
          const r = recommend(parseCohort(input), { k, exposure });
          const x = exposure ?? k;
          expect(r.status).toBe("optimal");
          if (r.status !== "optimal") return;
          checkResult(input, r, k, x);
          const p = denseProblem(input, k, x);
          expect(Math.abs(highsTotal(p) - r.objective)).toBeLessThanOrEqual(
            1e-9 * Math.max(1, r.objective),
          );
          // The result's own duals prove its total on the problem written here.
          const cohort = parseCohort(input);
          const row: number[] = [];
          const col: number[] = [];
          for (const e of r.mentees)
            for (const s of e.suggestions) {
              row.push(cohort.index.menteeById.get(e.mentee)!);
              col.push(cohort.index.mentorById.get(s.mentor)!);
            }
          const check = verifyCertificate(p, {
            status: "optimal",
            pairs: { row: Int32Array.from(row), col: Int32Array.from(col) },
            objective: r.objective,
            bound: r.bound,
            certificate: {
              rowDual: Float64Array.from(r.certificate.menteeDual),
              colDual: Float64Array.from(r.certificate.mentorDual),
            },
            unmatched: { row: new Int32Array(0), reason: [] },
            stats: r.stats,
          });
          expect(check.problems).toEqual([]);
          expect(check.ok).toBe(true);
        },
      ),
      runs(60),
    );
  });

  it("is the same whatever the order of the input, and never modifies it", () => {
    fc.assert(
      fc.property(
        smallGenerated,
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        ({ mentees, mentors, seed, k, exposure }, swaps) => {
          const input = generateCohort({ mentees, mentors, seed });
          const shuffled: CohortInput = {
            ...input,
            skills: permute(input.skills, swaps),
            mentees: permute(input.mentees, swaps),
            mentors: permute(input.mentors, [...swaps].reverse()),
            program: { ...input.program, tiers: permute(input.program.tiers, swaps) },
          };
          const cohort = parseCohort(input);
          const before = structuredClone(cohort.view);
          const options = deepFreeze({ k, exposure });
          const a = recommend(cohort, options);
          const b = recommend(parseCohort(shuffled), options);
          expect(timeless(b)).toEqual(timeless(a));
          expect(cohort.view).toEqual(before);
          expect(timeless(recommend(cohort, options))).toEqual(timeless(a));
        },
      ),
      runs(30),
    );
  });
});

describe("recommend's choices", () => {
  const input = generateCohort({ mentees: 60, mentors: 12, seed: 7 });
  const cohort = parseCohort(input);

  it("caps are ⌈exposure × free places⌉, at least 1, 0 without a free place", () => {
    expect(Array.from(exposureCaps([0, 1, 2, 10, 3], 1.1))).toEqual([0, 2, 3, 11, 4]);
    expect(Array.from(exposureCaps([1, 2, 3], 0.1))).toEqual([1, 1, 1]);
    expect(Array.from(exposureCaps([4], 5))).toEqual([20]);
  });

  it("defaults: k 5, exposure k; a lower exposure spreads suggestions and never raises the total", () => {
    const r = recommend(cohort);
    expect(r.k).toBe(5);
    expect(r.exposure).toBe(5);
    const tight = recommend(cohort, { exposure: 1 });
    expect(tight.objective).toBeLessThanOrEqual(r.objective + 1e-9);
    for (const x of tight.mentors) expect(x.exposure).toBeLessThanOrEqual(x.capacity);
    // Without a binding cap every mentee gets their best k eligible mentors (truncated lists).
    const loose = recommend(cohort, { k: 3, exposure: 1000 });
    const { scores, reason, m } = scoreMatrix(cohort.view);
    for (const e of loose.mentees) {
      const i = cohort.index.menteeById.get(e.mentee)!;
      const best = [...Array(m).keys()]
        .filter((j) => reason[i * m + j] === 0 && scores[i * m + j] > 0)
        .map((j) => scores[i * m + j])
        .sort((a, b) => b - a)
        .slice(0, 3);
      expect(e.suggestions.map((s) => s.fit)).toEqual(best);
    }
  });

  it("a mentee with a locked pair gets none, and the locked pair takes its mentor's place", () => {
    const plain = { ...input, program: { ...input.program, lockedPairs: [] } };
    const base = recommend(parseCohort(plain), { k: 2, exposure: 1 });
    const pick = base.mentees.find((e) => e.suggestions.length > 0)!;
    const mentor = pick.suggestions[0].mentor;
    const withLock = {
      ...plain,
      program: { ...plain.program, lockedPairs: [{ mentee: pick.mentee, mentor }] },
    };
    const r = recommend(parseCohort(withLock), { k: 2, exposure: 1 });
    expect(r.mentees.find((e) => e.mentee === pick.mentee)!.suggestions).toEqual([]);
    expect(r.short.find((s) => s.mentee === pick.mentee)!.reason).toBe("locked");
    const x = r.mentors.find((e) => e.mentor === mentor)!;
    expect(x.locked).toBe(1);
    const capacity = input.mentors.find((e) => e.id === mentor)!.capacity;
    expect(x.cap).toBe(capacity - 1);
    checkResult(withLock, r, 2, 1);
  });

  it("pairs with fit 0 are never suggested: a mentee whose eligible mentors all fit 0 is no_fit", () => {
    const zero: CohortInput = {
      skills: [{ id: "sql" }, { id: "art" }],
      strategy: { priorities: { sql: 1 } },
      mentees: [
        { id: "a", department: "x", level: 1, tenureMonths: 5, current: {}, targets: { art: 3 } },
        { id: "b", department: "x", level: 1, tenureMonths: 5, current: {}, targets: { sql: 3 } },
      ],
      mentors: [
        {
          id: "m",
          department: "y",
          level: 2,
          tenureMonths: 30,
          tier: "peer",
          capacity: 2,
          expertise: { sql: 5, art: 5 },
        },
      ],
      program: { tiers: [{ id: "peer", levelGap: { min: 0, max: 3 } }] },
    };
    const r = recommend(parseCohort(zero), { k: 1 });
    expect(r.mentees.map((e) => e.suggestions.length)).toEqual([0, 1]);
    expect(r.short).toMatchObject([
      { mentee: "a", reason: "no_fit", eligibleMentors: 1, positiveMentors: 0 },
    ]);
  });

  it("reasons: no eligible mentor, caps exhausted, few eligible", () => {
    const r = recommend(cohort, { k: 4, exposure: 1 });
    const seen = new Set(r.short.map((s) => s.reason));
    expect(seen.has("caps_exhausted")).toBe(true);
    checkResult(input, r, 4, 1);
    const wide = recommend(cohort, { k: 12, exposure: 100 });
    expect(wide.short.some((s) => s.reason === "few_eligible")).toBe(true);
    checkResult(input, wide, 12, 100);
  });

  it("JSON round trip: a result is plain data", () => {
    const r = recommend(cohort, { k: 2 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.status).toBe("optimal");
    if (r.status === "optimal")
      expect(Math.abs(r.bound - r.objective)).toBeLessThanOrEqual(1e-9 * r.objective);
  });
});

describe("recommend's options", () => {
  const cohort = parseCohort(generateCohort({ mentees: 30, mentors: 8, seed: 3 }));

  it("rejects bad and unknown options by name", () => {
    const issues = (o: unknown) => {
      try {
        recommend(cohort, o as never);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).issues.map((x) => `${formatLocation(x.location)}: ${x.message}`);
      }
      return [];
    };
    expect(issues({ k: 0 })).toEqual(["k: Expected a whole number >= 1, got 0"]);
    expect(issues({ k: 2.5 })).toEqual(["k: Expected a whole number >= 1, got 2.5"]);
    expect(issues({ exposure: 0 })).toEqual(["exposure: Expected a finite number > 0, got 0"]);
    expect(issues({ exposure: Infinity })[0]).toContain("exposure");
    expect(issues({ topK: 3 })[0]).toMatch(
      /^topK: Unknown option "topK"; the options are .*k, exposure/,
    );
    expect(issues({ timeLimitMs: -1 })[0]).toContain("timeLimitMs");
    expect(() => recommend({} as never)).toThrow(InputError);
  });

  it("an aborted signal or a zero time limit returns time_limit with what the engine has", () => {
    const controller = new AbortController();
    controller.abort();
    const r = recommend(cohort, { signal: controller.signal });
    expect(r.status).toBe("time_limit");
    if (r.status === "time_limit") expect(r.reason).toBe("aborted");
    const t = recommend(cohort, { timeLimitMs: 0 });
    expect(t.status).toBe("time_limit");
    if (t.status === "time_limit") {
      expect(t.reason).toBe("time");
      expect(t.bound).toBeGreaterThanOrEqual(t.objective);
    }
    for (const x of t.mentors) expect(x.exposure).toBeLessThanOrEqual(x.cap);
    expect(t.short.every((s) => s.reason !== "caps_exhausted" || s.suggestions < 5)).toBe(true);
  });

  it("candidatesPerRow changes the time only, never the total", () => {
    const a = recommend(cohort, { k: 3 });
    const b = recommend(cohort, { k: 3, candidatesPerRow: 1 });
    expect(Math.abs(a.objective - b.objective)).toBeLessThanOrEqual(1e-9 * a.objective);
  });
});
