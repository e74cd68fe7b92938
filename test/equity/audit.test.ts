import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import { auditFairness, suppress } from "../../src/equity/audit.js";
import { generateCohort } from "../../src/generate/cohort.js";
import { match } from "../../src/match/match.js";
import type { MatchResult } from "../../src/match/types.js";
import { InputError } from "../../src/schema/errors.js";
import type { CohortInput, EquityRuleInput } from "../../src/schema/input.js";
import { runs } from "../support/harness.js";

/** A generated cohort with a random set of rules of every kind and a random minGroupSize. */
const ruledCohortArb = fc
  .record({
    mentees: fc.integer({ min: 6, max: 40 }),
    mentors: fc.integer({ min: 2, max: 10 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    minGroupSize: fc.integer({ min: 1, max: 8 }),
    rules: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant("minFit" as const),
          min: fc.double({ min: 0, max: 12, noNaN: true }),
        }),
        fc.record({
          kind: fc.constant("maxPerMentorPerGroup" as const),
          attribute: fc.constantFrom("gender", "region", "department", "unit"),
          max: fc.integer({ min: 1, max: 3 }),
        }),
        fc.record({
          kind: fc.constant("proportionalTierAccess" as const),
          attribute: fc.constantFrom("gender", "region"),
          tier: fc.constantFrom("peer", "senior"),
          tolerance: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        fc.record({
          kind: fc.constant("maxMeanFitGap" as const),
          attribute: fc.constantFrom("gender", "region"),
          maxGap: fc.double({ min: 0, max: 5, noNaN: true }),
        }),
        fc.record({
          kind: fc.constant("minMatchRate" as const),
          attribute: fc.constantFrom("gender", "region", "department"),
          rate: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        fc.record({
          kind: fc.constant("minMatchRate" as const),
          attribute: fc.constantFrom("gender", "region", "department"),
          maxBelowOverall: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        fc.record({
          kind: fc.constant("reserve" as const),
          attribute: fc.constantFrom("gender", "region", "department"),
          // The group: the label of mentee `pick` (so some mentee states it).
          group: fc.nat(),
          tier: fc.constantFrom(undefined, "peer", "senior"),
          min: fc.integer({ min: 1, max: 4 }),
        }),
      ),
      { maxLength: 4 },
    ),
  })
  .map(({ mentees, mentors, seed, minGroupSize, rules: drawn }) => {
    const base = generateCohort({ mentees, mentors, seed });
    const rules = drawn.map((r) => {
      if (r.kind !== "reserve") return r;
      const e = base.mentees[r.group % base.mentees.length];
      const group = r.attribute === "department" ? e.department : e.sensitive![r.attribute];
      const { tier, ...rest } = r;
      return { ...rest, group, ...(tier ? { tier } : {}) };
    });
    const equity: EquityRuleInput[] = rules;
    return { ...base, program: { ...base.program, equity, minGroupSize } } as CohortInput;
  });

/** Each rule recounted from the input's own records and the result's pairs (ids and scores),
 * sharing no code with the library's rule checks. */
function recount(input: CohortInput, r: MatchResult): boolean[] {
  const mentee = new Map(input.mentees.map((e) => [e.id, e]));
  const mentor = new Map(input.mentors.map((m) => [m.id, m]));
  const k = input.program.minGroupSize ?? 5;
  const groupOf = (id: string, attribute: string): string | undefined => {
    const e = mentee.get(id)!;
    if (attribute === "department") return e.department;
    if (attribute === "unit") return e.unit ?? e.department;
    return e.sensitive?.[attribute];
  };
  return (input.program.equity ?? []).map((rule): boolean => {
    switch (rule.kind) {
      case "reserve": {
        const got = new Set(
          r.pairs
            .filter(
              (p) =>
                groupOf(p.mentee, rule.attribute) === rule.group &&
                (rule.tier === undefined || mentor.get(p.mentor)!.tier === rule.tier),
            )
            .map((p) => p.mentee),
        );
        return got.size >= rule.min;
      }
      case "minMatchRate": {
        const matched = new Set(r.pairs.map((p) => p.mentee));
        const asking = input.mentees.filter((e) => (e.maxMentors ?? 1) > 0);
        const labels = new Set(asking.map((e) => groupOf(e.id, rule.attribute)));
        for (const g of labels) {
          if (g === undefined) continue;
          const members = asking.filter((e) => groupOf(e.id, rule.attribute) === g);
          if (members.length < k) continue;
          const got = members.filter((e) => matched.has(e.id)).length;
          const overall = asking.filter((e) => matched.has(e.id)).length / asking.length;
          const rate = rule.rate ?? Math.max(0, overall - rule.maxBelowOverall!);
          if (got < Math.ceil(rate * members.length - 1e-9)) return false;
        }
        return true;
      }
      case "minFit":
        return r.pairs.every((p) => p.score >= rule.min);
      case "maxPerMentorPerGroup": {
        const cells = new Map<string, number>();
        for (const p of r.pairs) {
          const g = groupOf(p.mentee, rule.attribute);
          if (g === undefined) continue;
          const key = JSON.stringify([p.mentor, g]);
          cells.set(key, (cells.get(key) ?? 0) + 1);
        }
        return [...cells.values()].every((c) => c <= rule.max);
      }
      case "proportionalTierAccess": {
        const demand = input.mentees.filter(
          (e) => (e.maxMentors ?? 1) > 0 && (!e.tiers?.length || e.tiers.includes(rule.tier)),
        );
        const tierPairs = r.pairs.filter((p) => mentor.get(p.mentor)!.tier === rule.tier);
        const labels = new Set(demand.map((e) => e.sensitive?.[rule.attribute]));
        for (const g of labels) {
          if (g === undefined) continue;
          const dg = demand.filter((e) => e.sensitive?.[rule.attribute] === g).length;
          if (dg < k) continue;
          const owed = Math.floor(
            ((1 - (rule.tolerance ?? 0)) * dg * tierPairs.length) / demand.length + 1e-9,
          );
          const got = tierPairs.filter((p) => groupOf(p.mentee, rule.attribute) === g).length;
          if (got < owed) return false;
        }
        return true;
      }
      case "maxMeanFitGap": {
        // Groups of at least k mentees asking for a mentor, with a pair.
        const asking = new Map<string, number>();
        for (const e of input.mentees) {
          const g = e.sensitive?.[rule.attribute];
          if (g !== undefined && (e.maxMentors ?? 1) > 0) asking.set(g, (asking.get(g) ?? 0) + 1);
        }
        const byGroup = new Map<string, number[]>();
        for (const p of r.pairs) {
          const g = groupOf(p.mentee, rule.attribute);
          if (g === undefined || (asking.get(g) ?? 0) < k) continue;
          byGroup.set(g, [...(byGroup.get(g) ?? []), p.score]);
        }
        const means = [...byGroup.values()].map((f) => f.reduce((x, y) => x + y, 0) / f.length);
        if (means.length < 2) return true;
        const gap = Math.max(...means) - Math.min(...means);
        return gap <= rule.maxGap + 1e-9 * Math.max(...means.map(Math.abs));
      }
    }
  });
}

describe("auditFairness(cohort, result)", () => {
  it("'held' agrees with an independent recount of every rule, on results chosen with and without the rules", () => {
    fc.assert(
      fc.property(ruledCohortArb, (input) => {
        const cohort = parseCohort(input);
        const free = match(parseCohort({ ...input, program: { ...input.program, equity: [] } }));
        for (const r of [match(cohort), free]) {
          const audit = auditFairness(cohort, r, { price: false });
          expect(audit.rules.map((x) => x.held)).toEqual(recount(input, r));
          for (const x of audit.rules) {
            expect(x.held).toBe(x.violations === 0);
            // (A match rate's target is rounded up from rate · mentees: not a comparison.)
            if (x.achieved !== null && x.kind !== "maxMeanFitGap" && x.kind !== "minMatchRate")
              expect(x.held).toBe(
                x.kind === "minFit" || x.kind === "reserve"
                  ? x.achieved >= x.required
                  : x.kind === "maxPerMentorPerGroup"
                    ? x.achieved <= x.required
                    : x.achieved >= 0,
              );
          }
        }
      }),
      runs(60),
    );
  });

  it("enforced rules hold, and each is priced: the price is the total without it minus this one, within a range that is never all negative (removing a rule never lowers the optimum)", () => {
    fc.assert(
      fc.property(ruledCohortArb, (input) => {
        const cohort = parseCohort(input);
        const r = match(cohort);
        const audit = auditFairness(cohort, r);
        for (const x of audit.rules) {
          expect(x.enforced).toBe(r.equity[x.index].enforced);
          const proven = r.status === "optimal" || r.status === "feasible";
          if (x.enforced && proven) expect(x.held).toBe(true);
          if (!x.enforced || !proven) {
            expect(x.price).toBeNull();
            continue;
          }
          const scale = Math.max(1, Math.abs(r.objective));
          const without = match(
            parseCohort({
              ...input,
              program: {
                ...input.program,
                equity: input.program.equity!.filter((_, k) => k !== x.index),
              },
            }),
          );
          if (without.status !== "optimal" && without.status !== "feasible") continue;
          expect(x.price).toBeCloseTo(without.objective - r.objective, 9);
          const cover = input.program.coverageFirst === true;
          const covered = (m: { pairs: readonly { mentee: string }[] }) =>
            new Set(m.pairs.map((p) => p.mentee)).size;
          expect(x.priceMentees).toBe(covered(without) - covered(r));
          expect(x.pricePairs).toBe(without.pairs.length - r.pairs.length);
          if (cover && covered(without) !== covered(r)) {
            expect(x.priceRange).toBeNull();
            // Mentees first: the fit ranges of two counts are not comparable.
            continue;
          }
          const [lo, hi] = x.priceRange!;
          expect(lo).toBeLessThanOrEqual(x.price! + 1e-9 * scale);
          expect(hi).toBeGreaterThanOrEqual(x.price! - 1e-9 * scale);
          // The true price is never negative: removing a rule never lowers the optimum.
          expect(hi).toBeGreaterThanOrEqual(-1e-9 * scale);
          if (r.status === "optimal" && without.status === "optimal")
            expect(x.price!).toBeGreaterThanOrEqual(-1e-9 * scale);
        }
        if (r.status === "optimal" || r.status === "feasible") {
          const none = match(parseCohort({ ...input, program: { ...input.program, equity: [] } }));
          if (none.status === "optimal" && audit.price !== null)
            expect(audit.price).toBeCloseTo(none.objective - r.objective, 9);
        }
      }),
      runs(40),
    );
  });

  it("group statistics count consenting mentees only; every group below minGroupSize is hidden and hidden mentees are 0 or at least minGroupSize, so none can be recovered from 'all'", () => {
    fc.assert(
      fc.property(ruledCohortArb, (input) => {
        const cohort = parseCohort(input);
        const r = match(cohort);
        const audit = auditFairness(cohort, r, { price: false });
        const k = audit.minGroupSize;
        const consenting = input.mentees.filter((e) => e.consent?.analytics === true);
        expect(audit.consent).toEqual({
          counted: consenting.length,
          excluded: input.mentees.length - consenting.length,
        });
        if (consenting.length < k) expect(audit.all).toBeNull();
        else expect(audit.all!.mentees).toBe(consenting.length);
        const matched = new Set(r.pairs.map((p) => p.mentee));
        for (const a of audit.attributes) {
          const shown = a.groups.reduce((x, g) => x + g.mentees, 0);
          expect(shown + a.suppressed.mentees).toBe(consenting.length);
          // (Fewer than k in all: everything is hidden, 'all' included.)
          const small = consenting.length < k;
          expect(a.suppressed.mentees === 0 || a.suppressed.mentees >= k || small).toBe(true);
          if (small) expect(a.groups).toEqual([]);
          for (const g of a.groups) {
            expect(g.mentees).toBeGreaterThanOrEqual(k);
            const members = consenting.filter((e) => {
              const v =
                a.attribute === "department"
                  ? e.department
                  : a.attribute === "unit"
                    ? (e.unit ?? e.department)
                    : e.sensitive?.[a.attribute];
              return (v ?? null) === g.group;
            });
            expect(g.mentees).toBe(members.length);
            expect(g.matched).toBe(members.filter((e) => matched.has(e.id)).length);
            const ids = new Set(members.map((e) => e.id));
            const pairs = r.pairs.filter((p) => ids.has(p.mentee));
            expect(g.pairs).toBe(pairs.length);
            if (pairs.length > 0) {
              expect(g.minFit).toBe(Math.min(...pairs.map((p) => p.score)));
              expect(g.meanFit!).toBeCloseTo(
                pairs.reduce((x, p) => x + p.score, 0) / pairs.length,
                9,
              );
            }
          }
        }
      }),
      runs(40),
    );
  });

  it("suppress(sizes, k) hides every group below k, and the hidden total is 0 or at least k", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 10 }),
        (sizes, k) => {
          const hidden = suppress(sizes, k);
          const held = sizes.reduce((x, s, g) => x + (hidden[g] ? s : 0), 0);
          sizes.forEach((s, g) => {
            if (s < k) expect(hidden[g]).toBe(true);
          });
          const total = sizes.reduce((x, y) => x + y, 0);
          expect(held === 0 || held >= k || (total < k && hidden.every(Boolean))).toBe(true);
          // Nothing more is hidden than needed: each extra group hidden was the smallest shown.
          const extra = sizes.filter((s, g) => hidden[g] && s >= k);
          if (held >= k && extra.length > 0) {
            const below = sizes.reduce((x, s) => x + (s < k ? s : 0), 0);
            expect(below).toBeLessThan(k);
          }
        },
      ),
      runs(300),
    );
  });

  it("renaming and permuting group labels changes only the labels in the audit", () => {
    const input = generateCohort({ mentees: 120, mentors: 30, seed: 9 });
    const rename: Record<string, string> = { F: "g2", M: "g3", X: "g1" };
    const renamed: CohortInput = {
      ...input,
      mentees: input.mentees.map((e) => ({
        ...e,
        sensitive: { ...e.sensitive, gender: rename[e.sensitive!.gender] },
      })),
      mentors: input.mentors.map((m) => ({
        ...m,
        ...(m.sensitive?.gender
          ? { sensitive: { ...m.sensitive, gender: rename[m.sensitive.gender] } }
          : {}),
      })),
    };
    const a = auditFairness(parseCohort(input), match(parseCohort(input)));
    const b = auditFairness(parseCohort(renamed), match(parseCohort(renamed)));
    const strip = (x: typeof a) => ({
      ...x,
      attributes: x.attributes.map((t) => ({
        ...t,
        groups: t.groups
          .map((g) => ({ ...g, group: t.attribute === "gender" ? null : g.group }))
          .sort((p, q) => p.mentees - q.mentees || p.pairs - q.pairs),
      })),
    });
    expect(strip(b)).toEqual(strip(a));
  });

  it("rejects a result naming people the cohort does not have, and a bad option, as InputError", () => {
    const cohort = parseCohort(generateCohort({ mentees: 10, mentors: 3, seed: 1 }));
    const r = match(cohort);
    const bad = {
      ...r,
      pairs: [
        ...r.pairs,
        { mentee: "nobody", mentor: r.mentors[0].mentor, score: 1, locked: false },
      ],
    };
    expect(() => auditFairness(cohort, bad)).toThrow(InputError);
    expect(() => auditFairness(cohort, r, { price: "yes" as unknown as boolean })).toThrow(
      InputError,
    );
  });

  it("hides across attributes too: no shown group of one attribute, minus the shown groups of another nested in it, leaves between 1 and minGroupSize − 1 mentees", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 6 }),
        fc.integer({ min: 2, max: 6 }),
        (seed, unitSizes, k) => {
          // Units nested in two departments: unit u belongs to department u % 2.
          const total = unitSizes.reduce((x, y) => x + y, 0);
          const base = generateCohort({ mentees: total, mentors: 4, seed });
          let at = 0;
          const mentees = base.mentees.map((e) => e);
          unitSizes.forEach((size, u) => {
            for (let t = 0; t < size; t++, at++)
              mentees[at] = {
                ...mentees[at],
                department: `d${u % 2}`,
                unit: `u${u}`,
                consent: { analytics: true },
              };
          });
          const input: CohortInput = {
            ...base,
            mentees,
            program: {
              ...base.program,
              minGroupSize: k,
              equity: [
                { kind: "maxPerMentorPerGroup", attribute: "department", max: 9 },
                { kind: "maxPerMentorPerGroup", attribute: "unit", max: 9 },
              ],
            },
          };
          const cohort = parseCohort(input);
          const audit = auditFairness(cohort, match(cohort), { price: false });
          const dept = audit.attributes.find((a) => a.attribute === "department")!;
          const unit = audit.attributes.find((a) => a.attribute === "unit")!;
          const shownUnits = new Map(unit.groups.map((g) => [g.group!, g.mentees]));
          for (const d of dept.groups) {
            const inside = unitSizes
              .map((size, u) => ({ size, u }))
              .filter(({ u }) => `d${u % 2}` === d.group);
            const shown = inside.reduce((x, { u }) => x + (shownUnits.get(`u${u}`) ?? 0), 0);
            const left = d.mentees - shown;
            expect(left === 0 || left >= k).toBe(true);
          }
        },
      ),
      runs(100),
    );
  });
});
