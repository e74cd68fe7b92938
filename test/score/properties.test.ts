/**
 * Properties of the scorer on random views (viewSpecArb) and random parsed cohorts
 * (validCohortArb). Reproduce a failure with the seed fast-check prints: FC_SEED=… npx vitest run
 * test/score; run longer with FC_RUNS_SCALE=10.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCohort } from "../../src/cohort/parse.js";
import type { CohortInput } from "../../src/schema/input.js";
import {
  type IneligibleReason,
  REASON_CODE,
  ineligibleReason,
} from "../../src/score/eligibility.js";
import { scoreMatrix } from "../../src/score/matrix.js";
import { createScorer } from "../../src/score/scorer.js";
import { streamTopCandidates, topCandidates } from "../../src/score/topk.js";
import { validCohortArb } from "../arbitraries/cohort.js";
import { viewSpecArb } from "./arbitrary.js";
import { type ViewSpec, makeView } from "./view.js";
import { createRandom } from "../../src/generate/random.js";

const seedEnv = process.env.FC_SEED;
const scale = Number(process.env.FC_RUNS_SCALE ?? 1) || 1;
function params(numRuns: number): fc.Parameters<unknown> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seedEnv ? { seed: Number(seedEnv) } : {}),
  };
}

const close = (a: number, b: number) =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** The eligibility rules read straight off the spec, in the documented order: an oracle that
 * shares no code with eligibility.ts or the scorer. */
function oracleReason(spec: ViewSpec, i: number, j: number): IneligibleReason | null {
  const e = spec.mentees[i];
  const r = spec.mentors[j];
  const rules = {
    allowRepeatPairs: false,
    allowSameReportingLine: false,
    requireSharedLanguage: false,
    ...spec.rules,
  };
  const ep = e.person ?? i;
  const rp = r.person ?? 1000 + j;
  const tier = spec.tiers?.[r.tier ?? 0] ?? {};
  if (ep === rp) return "self";
  if ((spec.forbidden ?? []).some(([a, b]) => a === i && b === j)) return "forbidden";
  if ((e.excluded ?? []).includes(j) || (r.excludedMentees ?? []).includes(i)) return "excluded";
  if (
    !rules.allowSameReportingLine &&
    ((e.managerChain ?? []).includes(rp) || (r.managerChain ?? []).includes(ep))
  )
    return "same_reporting_line";
  if (!rules.allowRepeatPairs && (e.past ?? []).includes(j)) return "repeat_pair";
  if ((r.capacity ?? 1) === 0) return "no_capacity";
  if ((e.maxMentors ?? 1) === 0) return "no_demand";
  if ((e.tiersWanted ?? []).length > 0 && !(e.tiersWanted ?? []).includes(r.tier ?? 0))
    return "tier_not_wanted";
  const gap = (r.level ?? 0) - (e.level ?? 0);
  if (gap < (tier.levelGapMin ?? -Infinity) || gap > (tier.levelGapMax ?? Infinity))
    return "level_gap";
  if (!(tier.trainingRequired ?? []).every((t) => (r.training ?? []).includes(t)))
    return "training";
  if ((r.tenureMonths ?? 0) < (tier.minMentorTenureMonths ?? 0)) return "tenure";
  const need = tier.minHoursPerMonth ?? 0;
  if (
    (r.hoursPerMonth !== undefined && r.hoursPerMonth < need) ||
    (e.hoursPerMonth !== undefined && e.hoursPerMonth < need)
  )
    return "hours";
  if (
    rules.maxUtcOffsetDiffHours !== undefined &&
    e.utcOffset !== undefined &&
    r.utcOffset !== undefined
  ) {
    const d = Math.abs(e.utcOffset - r.utcOffset) % 24;
    if (Math.min(d, 24 - d) > rules.maxUtcOffsetDiffHours) return "timezone";
  }
  const el = e.languages ?? [];
  const rl = r.languages ?? [];
  if (
    rules.requireSharedLanguage &&
    el.length > 0 &&
    rl.length > 0 &&
    !el.some((x) => rl.includes(x))
  )
    return "language";
  return null;
}

function rowOf(view: ReturnType<typeof makeView>, i: number) {
  const m = view.mentors.count;
  const out = new Float64Array(m);
  const why = new Uint8Array(m);
  createScorer(view).scoreRow(i, out, why);
  return { out, why };
}

describe("scorer properties (random views)", () => {
  it("eligibility reasons agree with the rules, in every code path", () => {
    fc.assert(
      fc.property(viewSpecArb(), (spec) => {
        const view = makeView(spec);
        const scorer = createScorer(view);
        const out = new Float64Array(view.mentors.count);
        const why = new Uint8Array(view.mentors.count);
        for (let i = 0; i < view.mentees.count; i++) {
          scorer.scoreRow(i, out, why);
          for (let j = 0; j < view.mentors.count; j++) {
            const want = oracleReason(spec, i, j);
            expect(ineligibleReason(view, i, j)).toBe(want);
            expect(why[j]).toBe(want === null ? 0 : REASON_CODE[want]);
            expect(scorer.reasonCode(i, j)).toBe(why[j]);
            expect(scorer.explain(i, j).reason).toBe(want);
          }
        }
      }),
      params(300),
    );
  });

  it("min_fit rules out exactly the otherwise eligible pairs whose fit is below view.minFit, in scoreRow, reasonCode, score and explain", () => {
    fc.assert(
      fc.property(viewSpecArb(), fc.double({ min: 0, max: 3, noNaN: true }), (spec, minFit) => {
        const free = createScorer(makeView(spec));
        const view = makeView({ ...spec, minFit });
        const scorer = createScorer(view);
        const m = view.mentors.count;
        const out = new Float64Array(m);
        const why = new Uint8Array(m);
        const elig = new Int32Array(m);
        for (let i = 0; i < view.mentees.count; i++) {
          const k = scorer.scoreRow(i, out, why, elig);
          const listed: number[] = [];
          for (let j = 0; j < m; j++) {
            const pre = oracleReason(spec, i, j);
            const fit = free.explain(i, j).total;
            const want = pre ?? (fit < minFit ? "min_fit" : null);
            expect(why[j]).toBe(want === null ? 0 : REASON_CODE[want]);
            expect(scorer.reasonCode(i, j)).toBe(why[j]);
            expect(scorer.explain(i, j).reason).toBe(want);
            expect(scorer.explain(i, j).total).toBe(fit);
            expect(out[j]).toBe(want === null ? fit : 0);
            expect(scorer.score(i, j)).toBe(out[j]);
            if (want === null) listed.push(j);
          }
          expect(Array.from(elig.subarray(0, k))).toEqual(listed);
        }
      }),
      params(200),
    );
  });

  it("the breakdown sums to the score; scoreRow, score and explain agree; scores are finite and >= 0", () => {
    fc.assert(
      fc.property(viewSpecArb(), (spec) => {
        const view = makeView(spec);
        const scorer = createScorer(view);
        for (let i = 0; i < view.mentees.count; i++) {
          const { out, why } = rowOf(view, i);
          for (let j = 0; j < view.mentors.count; j++) {
            const b = scorer.explain(i, j);
            const skills = b.skills.reduce((s, x) => s + x.contribution, 0);
            const terms = Object.values(b.terms).reduce((s, x) => s + x, 0);
            expect(close(skills, b.terms.gap)).toBe(true);
            expect(close(terms, b.total)).toBe(true);
            expect(Number.isFinite(out[j]) && out[j] >= 0).toBe(true);
            expect(scorer.score(i, j)).toBe(out[j]);
            if (why[j] === 0) expect(out[j]).toBe(b.total);
            else expect(out[j]).toBe(0);
            expect(b.total).toBeGreaterThanOrEqual(0);
            expect(scorer.rowUpperBound(i)).toBeGreaterThanOrEqual(out[j]);
          }
        }
      }),
      params(300),
    );
  });

  it("raising a mentor's expertise never lowers a pair's fit", () => {
    fc.assert(
      fc.property(
        viewSpecArb(),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 10 }),
        (spec, jr, kr, steps) => {
          const j = jr % spec.mentors.length;
          const k = kr % spec.priorities.length;
          const up: ViewSpec = {
            ...spec,
            mentors: spec.mentors.map((r, x) =>
              x === j
                ? { ...r, expertise: r.expertise.map((v, y) => (y === k ? v + steps / 2 : v)) }
                : r,
            ),
          };
          const a = createScorer(makeView(spec));
          const b = createScorer(makeView(up));
          for (let i = 0; i < spec.mentees.length; i++) {
            expect(b.explain(i, j).total).toBeGreaterThanOrEqual(a.explain(i, j).total);
            expect(b.score(i, j)).toBeGreaterThanOrEqual(a.score(i, j));
          }
        },
      ),
      params(200),
    );
  });

  it("a zero-priority skill contributes nothing, whatever the mentors know of it", () => {
    fc.assert(
      fc.property(
        viewSpecArb(),
        fc.nat(),
        fc.array(fc.integer({ min: 0, max: 10 })),
        (spec, kr, noise) => {
          const k = kr % spec.priorities.length;
          const zero = (row: number[]) => row.map((p, y) => (y === k ? 0 : p));
          const z: ViewSpec = {
            ...spec,
            priorities: zero(spec.priorities),
            byUnit: spec.byUnit?.map(zero),
          };
          const z2: ViewSpec = {
            ...z,
            mentors: z.mentors.map((r, x) => ({
              ...r,
              expertise: r.expertise.map((v, y) => (y === k ? (noise[x] ?? 3) / 2 : v)),
            })),
          };
          const v1 = makeView(z);
          const v2 = makeView(z2);
          const s1 = scoreMatrix(v1).scores;
          const s2 = scoreMatrix(v2).scores;
          expect(Array.from(s2)).toEqual(Array.from(s1));
          const scorer = createScorer(v1);
          for (let i = 0; i < spec.mentees.length; i++)
            for (let j = 0; j < spec.mentors.length; j++)
              for (const s of scorer.explain(i, j).skills)
                if (s.skill === k) expect(s.contribution).toBe(0);
        },
      ),
      params(200),
    );
  });

  it("topCandidates lists the K best eligible mentors (ties by index) and kth bounds the rest", () => {
    fc.assert(
      fc.property(
        viewSpecArb({ maxMentors: 8 }),
        fc.integer({ min: 0, max: 10 }),
        fc.boolean(),
        (raw, K, loose) => {
          // Half the time, loosen the rules and clone mentors so rows have many eligible, tied pairs.
          const spec: ViewSpec = loose
            ? {
                ...raw,
                tiers: raw.tiers?.map(() => ({})),
                rules: { allowRepeatPairs: true, allowSameReportingLine: true },
                forbidden: [],
                mentees: raw.mentees.map((e) => ({ ...e, maxMentors: 1, excluded: [] })),
                mentors: [...raw.mentors, ...raw.mentors].map((r, x) => ({
                  ...r,
                  person: 2000 + x,
                  capacity: 1,
                  excludedMentees: [],
                })),
              }
            : raw;
          const view = makeView(spec);
          const { scores, reason, m } = scoreMatrix(view);
          const t = topCandidates(view, K);
          const rows = [...streamTopCandidates(view, K)];
          for (let i = 0; i < view.mentees.count; i++) {
            const elig: number[] = [];
            for (let j = 0; j < m; j++) if (reason[i * m + j] === 0) elig.push(j);
            elig.sort((a, b) => scores[i * m + b] - scores[i * m + a] || a - b);
            const listed = Array.from(t.mentor.subarray(t.offsets[i], t.offsets[i + 1]));
            expect(listed).toEqual(elig.slice(0, K));
            expect(Array.from(t.score.subarray(t.offsets[i], t.offsets[i + 1]))).toEqual(
              listed.map((j) => scores[i * m + j]),
            );
            for (const j of elig.slice(K)) expect(scores[i * m + j]).toBeLessThanOrEqual(t.kth[i]);
            if (elig.length <= K) expect(t.kth[i]).toBe(-Infinity);
            else expect(t.kth[i]).toBeLessThanOrEqual(scores[i * m + elig[K - 1 < 0 ? 0 : K - 1]]);
            expect(t.eligibleCount[i]).toBe(elig.length);
            expect(Array.from(rows[i].mentor)).toEqual(listed);
            expect(rows[i].kth).toBe(t.kth[i]);
          }
        },
      ),
      params(200),
    );
  });
});

// ---- through parseCohort: sensitive attributes and input order ----------------------------

function shuffle<T>(a: readonly T[], rnd: () => number): T[] {
  const b = [...a];
  for (let x = b.length - 1; x > 0; x--) {
    const y = Math.floor(rnd() * (x + 1));
    [b[x], b[y]] = [b[y], b[x]];
  }
  return b;
}

const cohortArb = validCohortArb({ maxMentees: 6, maxMentors: 6 });

describe("scorer properties (parsed cohorts)", () => {
  it("relabelling or permuting sensitive attributes changes no score", () => {
    fc.assert(
      fc.property(cohortArb, fc.integer(), (input, seed) => {
        const rnd = createRandom(seed).next;
        const relabel = (s: Record<string, string> | undefined) =>
          s === undefined
            ? undefined
            : Object.fromEntries(Object.entries(s).map(([k, v]) => [k, `g-${v}-x`]));
        const menteeSens = shuffle(
          input.mentees.map((e) => e.sensitive),
          rnd,
        );
        const mentorSens = shuffle(
          input.mentors.map((r) => r.sensitive),
          rnd,
        );
        const variant: CohortInput = {
          ...input,
          mentees: input.mentees.map((e, x) => ({ ...e, sensitive: relabel(menteeSens[x]) })),
          mentors: input.mentors.map((r, x) => ({ ...r, sensitive: relabel(mentorSens[x]) })),
        };
        const a = scoreMatrix(parseCohort(input).view);
        const b = scoreMatrix(parseCohort(variant).view);
        expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
        expect(Array.from(b.reason)).toEqual(Array.from(a.reason));
      }),
      params(100),
    );
  });

  it("permuting input order and renaming people permutes scores and changes nothing else", () => {
    fc.assert(
      fc.property(cohortArb, fc.integer(), (input, seed) => {
        const rnd = createRandom(seed).next;
        // One bijection on every person id (mentees, mentors and managers share the namespace).
        const people = new Set<string>();
        for (const p of [...input.mentees, ...input.mentors]) {
          people.add(p.id);
          for (const c of p.managerChain ?? []) people.add(c);
        }
        const ranks = shuffle([...people], rnd);
        const rename = new Map(ranks.map((id, r) => [id, `p${String(r).padStart(3, "0")}`]));
        const mp = (id: string) => rename.get(id) ?? id;
        const mpAll = (ids: string[] | undefined) => ids?.map(mp);
        const variant: CohortInput = {
          ...input,
          mentees: shuffle(input.mentees, rnd).map((e) => ({
            ...e,
            id: mp(e.id),
            managerChain: mpAll(e.managerChain),
            preferredMentors: mpAll(e.preferredMentors),
            excludedMentors: mpAll(e.excludedMentors),
            pastMentors: mpAll(e.pastMentors),
          })),
          mentors: shuffle(input.mentors, rnd).map((r) => ({
            ...r,
            id: mp(r.id),
            managerChain: mpAll(r.managerChain),
            excludedMentees: mpAll(r.excludedMentees),
          })),
          program: {
            ...input.program,
            lockedPairs: input.program.lockedPairs?.map((p) => ({
              ...p,
              mentee: mp(p.mentee),
              mentor: mp(p.mentor),
            })),
            forbiddenPairs: input.program.forbiddenPairs?.map((p) => ({
              ...p,
              mentee: mp(p.mentee),
              mentor: mp(p.mentor),
            })),
          },
        };
        const ca = parseCohort(input);
        const cb = parseCohort(variant);
        const a = scoreMatrix(ca.view);
        const b = scoreMatrix(cb.view);
        const sa = createScorer(ca.view);
        const sb = createScorer(cb.view);
        const mA = ca.index.mentorIds.length;
        const mB = cb.index.mentorIds.length;
        ca.index.menteeIds.forEach((eid, i) => {
          const i2 = cb.index.menteeById.get(mp(eid))!;
          ca.index.mentorIds.forEach((rid, j) => {
            const j2 = cb.index.mentorById.get(mp(rid))!;
            expect(b.scores[i2 * mB + j2]).toBe(a.scores[i * mA + j]);
            expect(b.reason[i2 * mB + j2]).toBe(a.reason[i * mA + j]);
            const ea = sa.explain(i, j);
            const eb = sb.explain(i2, j2);
            expect(eb.total).toBe(ea.total);
            expect(eb.terms).toEqual(ea.terms);
          });
        });
      }),
      params(100),
    );
  });
});
