/**
 * fast-check arbitraries for cohort inputs.
 *
 * `validCohortArb(options?)` generates plain `CohortInput` objects that `parseCohort` must accept:
 * unique ids (optionally tricky ones such as `__proto__` and `constructor`, also as record keys),
 * references only to declared ids, targets at or above current proficiency, values on the scale,
 * `minLoad <= capacity`, `minMentors <= maxMentors`, equity rules on attributes mentees state, and
 * locked pairs that are eligible and within every limit.
 *
 * Keep cohorts small: properties run many times.
 */
import fc from "fast-check";
import type {
  CohortInput,
  EquityRuleInput,
  MenteeInput,
  MentorInput,
  TierInput,
} from "../../src/schema/input.js";

export interface CohortArbOptions {
  /** Most mentees (default 6). */
  readonly maxMentees?: number;
  /** Most mentors (default 5). */
  readonly maxMentors?: number;
  /** Most skills (default 4, at least 1 is always declared). */
  readonly maxSkills?: number;
  /** Most tiers (default 3, at least 1). */
  readonly maxTiers?: number;
  /** Generate locked and forbidden pairs (default true). */
  readonly pairs?: boolean;
  /** Mix ids such as `__proto__`, `constructor`, `a b` into every id pool (default true). */
  readonly trickyIds?: boolean;
}

export const cohortArbDefaults: Required<CohortArbOptions> = {
  maxMentees: 6,
  maxMentors: 5,
  maxSkills: 4,
  maxTiers: 3,
  pairs: true,
  trickyIds: true,
};

const TRICKY = ["__proto__", "constructor", "toString", "hasOwnProperty", "a b", "Ω", "Z", "10"];
const DEPARTMENTS = ["ops", "data", "hr", "__proto__"];
const LANGUAGES = ["en", "fr", "de"];
const TRAININGS = ["coach", "ethics"];
const CAREERS = ["lead", "ic", "manager"];
const ATTRIBUTES: Record<string, readonly string[]> = {
  gender: ["F", "M", "X"],
  region: ["north", "south"],
  constructor: ["c1", "c2"],
};

function idArb(tricky: boolean): fc.Arbitrary<string> {
  const plain = fc.stringMatching(/^[a-z][a-z0-9]{0,3}$/);
  return tricky ? fc.oneof(plain, fc.constantFrom(...TRICKY)) : plain;
}

const isoDate = fc
  .date({
    min: new Date("2015-01-01T00:00:00Z"),
    max: new Date("2026-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

/** Builds `{ [key]: value }` with own data properties (a `__proto__` key stays a plain key). */
function entriesToObject<V>(entries: readonly (readonly [string, V])[]): Record<string, V> {
  return Object.fromEntries(entries);
}

interface Skeleton {
  readonly skills: string[];
  readonly tiers: string[];
  readonly mentees: string[];
  readonly mentors: string[];
  readonly scale: { min: number; max: number } | null;
  readonly asOf: string | null;
}

/** Any value on the scale, in halves. */
function levelArb(scale: { min: number; max: number }): fc.Arbitrary<number> {
  return fc.integer({ min: scale.min * 2, max: scale.max * 2 }).map((x) => x / 2);
}

function levelsArb(skills: string[], scale: { min: number; max: number }) {
  return fc
    .subarray(skills)
    .chain((keys) => fc.tuple(...keys.map((k) => levelArb(scale).map((v) => [k, v] as const))));
}

function personFields(sk: Skeleton) {
  const persons = [...sk.mentees, ...sk.mentors, "boss", "ceo"];
  return {
    department: fc.constantFrom(...DEPARTMENTS),
    unit: fc.constantFrom(...DEPARTMENTS, "analytics"),
    level: fc.integer({ min: 0, max: 10 }),
    tenureMonths: fc.integer({ min: 0, max: 240 }).map((x) => x / 2),
    hoursPerMonth: fc.integer({ min: 0, max: 20 }),
    utcOffset: fc.constantFrom(-12, -5, 0, 1, 5.5, 9, 14),
    languages: fc.array(fc.constantFrom(...LANGUAGES), { maxLength: 4 }),
    managerChain: fc.array(fc.constantFrom(...persons), { maxLength: 3 }),
    sensitive: fc
      .subarray(Object.keys(ATTRIBUTES))
      .chain((attrs) =>
        fc.tuple(
          ...attrs.map((a) => fc.constantFrom(...ATTRIBUTES[a]).map((g) => [a, g] as const)),
        ),
      )
      .map(entriesToObject),
  };
}

const PERSON_REQUIRED = ["id", "department", "level", "tenureMonths"] as const;

function menteeArb(sk: Skeleton, id: string): fc.Arbitrary<MenteeInput> {
  const scale = sk.scale ?? { min: 0, max: 5 };
  const optionalMentors = fc.subarray(sk.mentors);
  return fc
    .record(
      {
        id: fc.constant(id),
        ...personFields(sk),
        current: levelsArb(sk.skills, scale),
        targets: levelsArb(sk.skills, scale),
        tiers: fc.subarray(sk.tiers, { minLength: 1 }),
        aspirations: fc.subarray(CAREERS),
        preferredMentors: optionalMentors,
        excludedMentors: optionalMentors,
        pastMentors: optionalMentors,
        highPotential: fc.boolean(),
        roundsUnmatched: fc.integer({ min: 0, max: 3 }),
        demand: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
        consent: fc.record({ analytics: fc.boolean() }, { requiredKeys: [] }),
      },
      { requiredKeys: [...PERSON_REQUIRED, "current", "targets"] },
    )
    .map(({ current, targets, demand, ...rest }) => {
      const cur = new Map(current);
      // A target never sits below the current level (a missing current is the scale minimum).
      const tgt = targets.map(([k, v]) => [k, Math.max(v, cur.get(k) ?? scale.min)] as const);
      const out: MenteeInput = {
        ...rest,
        current: entriesToObject(current),
        targets: entriesToObject(tgt),
      };
      if (demand !== undefined) {
        const [a, b] = demand;
        // Either bound may be omitted (defaults 0 and 1); keep min <= max in every case.
        if (a === 0 && b >= 1) out.maxMentors = b;
        else if (b >= Math.max(a, 1)) Object.assign(out, { minMentors: a, maxMentors: b });
        else out.maxMentors = Math.max(a, b);
      }
      return out;
    });
}

function mentorArb(sk: Skeleton, id: string): fc.Arbitrary<MentorInput> {
  const scale = sk.scale ?? { min: 0, max: 5 };
  return fc
    .record(
      {
        id: fc.constant(id),
        ...personFields(sk),
        expertise: levelsArb(sk.skills, scale),
        tier: fc.constantFrom(...sk.tiers),
        load: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
        training: fc.array(
          fc.record(
            { id: fc.constantFrom(...TRAININGS), completedOn: isoDate },
            { requiredKeys: ["id"] },
          ),
          { maxLength: 3 },
        ),
        careerPaths: fc.subarray(CAREERS),
        excludedMentees: fc.subarray(sk.mentees),
      },
      { requiredKeys: [...PERSON_REQUIRED, "expertise", "tier", "load"] },
    )
    .map(({ expertise, load, ...rest }) => {
      const capacity = Math.max(load[0], load[1]);
      const out: MentorInput = { ...rest, expertise: entriesToObject(expertise), capacity };
      if (load[0] !== load[1]) out.minLoad = Math.min(load[0], load[1]);
      return out;
    });
}

function tierArb(sk: Skeleton, id: string): fc.Arbitrary<TierInput> {
  return fc
    .record(
      {
        id: fc.constant(id),
        label: fc.constantFrom("Peer", "Senior", ""),
        levelGap: fc
          .tuple(
            fc.option(fc.integer({ min: -3, max: 4 })),
            fc.option(fc.integer({ min: -3, max: 4 })),
          )
          .map(([a, b]) => {
            const g: { min?: number; max?: number } = {};
            if (a !== null && b !== null)
              Object.assign(g, { min: Math.min(a, b), max: Math.max(a, b) });
            else if (a !== null) g.min = a;
            else if (b !== null) g.max = b;
            return g;
          }),
        trainingRequired: fc.subarray(TRAININGS),
        trainingValidMonths: fc.integer({ min: 1, max: 48 }),
        minMentorTenureMonths: fc.integer({ min: 0, max: 24 }),
        minHoursPerMonth: fc.integer({ min: 0, max: 6 }),
      },
      { requiredKeys: ["id"] },
    )
    .map((t) => {
      // trainingValidMonths needs program.asOf.
      if (sk.asOf === null) delete t.trainingValidMonths;
      return t;
    });
}

/** Pair candidates as index pairs into the mentee and mentor lists. */
const pairSeeds = fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 });

interface LockRules {
  readonly maxUtcOffsetDiffHours?: number;
  readonly requireSharedLanguage?: boolean;
  readonly allowRepeatPairs?: boolean;
  readonly allowSameReportingLine?: boolean;
}

function offsetDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return d > 12 ? 24 - d : d;
}

/**
 * A sufficient condition for a locked pair to be eligible. Deliberately stricter than the library
 * (it ignores `allowRepeatPairs` / `allowSameReportingLine`, and wants dated training to be dated
 * exactly `asOf`), so a generated lock is never ineligible.
 */
function surelyEligible(
  e: MenteeInput,
  r: MentorInput,
  tier: TierInput,
  rules: LockRules,
  asOf: string | null,
): boolean {
  if (e.id === r.id) return false;
  if (e.excludedMentors?.includes(r.id) || r.excludedMentees?.includes(e.id)) return false;
  if (e.managerChain?.includes(r.id) || r.managerChain?.includes(e.id)) return false;
  if (e.pastMentors?.includes(r.id)) return false;
  if ((e.maxMentors ?? 1) < 1 || r.capacity < 1) return false;
  if (e.tiers !== undefined && !e.tiers.includes(r.tier)) return false;
  const gap = r.level - e.level;
  if (tier.levelGap?.min !== undefined && gap < tier.levelGap.min) return false;
  if (tier.levelGap?.max !== undefined && gap > tier.levelGap.max) return false;
  for (const t of tier.trainingRequired ?? []) {
    const ok = (r.training ?? []).some(
      (x) => x.id === t && (asOf === null ? x.completedOn === undefined : x.completedOn === asOf),
    );
    if (!ok) return false;
  }
  if (r.tenureMonths < (tier.minMentorTenureMonths ?? 0)) return false;
  const minHours = tier.minHoursPerMonth ?? 0;
  if ((r.hoursPerMonth ?? Infinity) < minHours || (e.hoursPerMonth ?? Infinity) < minHours)
    return false;
  const maxTz = rules.maxUtcOffsetDiffHours;
  if (
    maxTz !== undefined &&
    e.utcOffset !== undefined &&
    r.utcOffset !== undefined &&
    offsetDistance(e.utcOffset, r.utcOffset) > maxTz
  )
    return false;
  const el = e.languages ?? [];
  const rl = r.languages ?? [];
  if (
    rules.requireSharedLanguage &&
    el.length > 0 &&
    rl.length > 0 &&
    !el.some((x) => rl.includes(x))
  )
    return false;
  return true;
}

/** Edits `e` and `r` (fresh copies) so the pair passes `surelyEligible` where it easily can. A
 * repair can break an earlier lock of the same person; the caller re-checks every lock after. */
function repairForLock(
  e: MenteeInput,
  r: MentorInput,
  tier: TierInput,
  rules: LockRules,
  asOf: string | null,
): void {
  const drop = (list: string[] | undefined, id: string) => list?.filter((x) => x !== id);
  e.excludedMentors = drop(e.excludedMentors, r.id);
  e.pastMentors = drop(e.pastMentors, r.id);
  e.managerChain = drop(e.managerChain, r.id);
  r.excludedMentees = drop(r.excludedMentees, e.id);
  r.managerChain = drop(r.managerChain, e.id);
  if (e.tiers !== undefined && !e.tiers.includes(r.tier)) e.tiers = [...e.tiers, r.tier];
  const gap = r.level - e.level;
  const want = Math.min(
    Math.max(gap, tier.levelGap?.min ?? -Infinity),
    tier.levelGap?.max ?? Infinity,
  );
  if (r.level - want >= 0 && r.level - want <= 100) e.level = r.level - want;
  const training = [...(r.training ?? [])];
  for (const t of tier.trainingRequired ?? [])
    training.push(asOf === null ? { id: t } : { id: t, completedOn: asOf });
  r.training = training;
  r.tenureMonths = Math.max(r.tenureMonths, tier.minMentorTenureMonths ?? 0);
  const minHours = tier.minHoursPerMonth ?? 0;
  if (r.hoursPerMonth !== undefined) r.hoursPerMonth = Math.max(r.hoursPerMonth, minHours);
  if (e.hoursPerMonth !== undefined) e.hoursPerMonth = Math.max(e.hoursPerMonth, minHours);
  if (rules.maxUtcOffsetDiffHours !== undefined && r.utcOffset !== undefined)
    e.utcOffset = r.utcOffset;
  if (rules.requireSharedLanguage && (r.languages?.length ?? 0) > 0)
    e.languages = [...(e.languages ?? []), r.languages![0]];
}

/** Valid cohort inputs; see the module comment for what "valid" guarantees. */
export function validCohortArb(options: CohortArbOptions = {}): fc.Arbitrary<CohortInput> {
  const o = { ...cohortArbDefaults, ...options };
  const ids = idArb(o.trickyIds);
  const skeleton: fc.Arbitrary<Skeleton> = fc.record({
    skills: fc.uniqueArray(ids, { minLength: 1, maxLength: o.maxSkills }),
    tiers: fc.uniqueArray(ids, { minLength: 1, maxLength: o.maxTiers }),
    mentees: fc.uniqueArray(ids, { maxLength: o.maxMentees }),
    mentors: fc.uniqueArray(ids, { maxLength: o.maxMentors }),
    scale: fc.option(
      fc
        .tuple(fc.integer({ min: -2, max: 2 }), fc.integer({ min: 1, max: 6 }))
        .map(([min, span]) => ({
          min,
          max: min + span,
        })),
    ),
    asOf: fc.option(isoDate),
  });

  return skeleton.chain((sk) =>
    fc
      .record({
        skills: fc.tuple(
          ...sk.skills.map((id) =>
            fc.record(
              {
                id: fc.constant(id),
                label: fc.string({ maxLength: 5 }),
                category: fc.constant("x"),
              },
              {
                requiredKeys: ["id"],
              },
            ),
          ),
        ),
        priorities: fc
          .subarray(sk.skills)
          .chain((keys) =>
            fc.tuple(
              ...keys.map((k) => fc.integer({ min: 0, max: 6 }).map((w) => [k, w / 2] as const)),
            ),
          ),
        byUnit: fc.option(
          fc.subarray([...DEPARTMENTS, "analytics"], { minLength: 1 }).chain((units) =>
            fc.tuple(
              ...units.map((u) =>
                fc
                  .subarray(sk.skills)
                  .chain((keys) =>
                    fc.tuple(
                      ...keys.map((k) =>
                        fc.integer({ min: 0, max: 4 }).map((w) => [k, w] as const),
                      ),
                    ),
                  )
                  .map((row) => [u, entriesToObject(row)] as const),
              ),
            ),
          ),
        ),
        mentees: fc.tuple(...sk.mentees.map((id) => menteeArb(sk, id))),
        mentors: fc.tuple(...sk.mentors.map((id) => mentorArb(sk, id))),
        tiers: fc.tuple(...sk.tiers.map((id) => tierArb(sk, id))),
        rules: fc.record(
          {
            allowRepeatPairs: fc.boolean(),
            allowSameReportingLine: fc.boolean(),
            maxUtcOffsetDiffHours: fc.integer({ min: 0, max: 12 }),
            requireSharedLanguage: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        scoring: fc.option(
          fc.record(
            {
              form: fc.constantFrom("absolute", "normalized"),
              weights: fc.record(
                { gap: fc.constant(1), timezone: fc.constant(0.5) },
                { requiredKeys: [] },
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        equitySeeds: fc.array(
          fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat(), fc.integer({ min: 1, max: 3 })),
          {
            maxLength: 3,
          },
        ),
        locked: o.pairs ? pairSeeds : fc.constant<[number, number][]>([]),
        forbidden: o.pairs ? pairSeeds : fc.constant<[number, number][]>([]),
        coverageFirst: fc.option(fc.boolean()),
      })
      .map((g): CohortInput => {
        // Copies: repairs below edit records, and fast-check values must stay untouched.
        const mentees = structuredClone(g.mentees) as MenteeInput[];
        const mentors = structuredClone(g.mentors) as MentorInput[];
        const tiers = g.tiers as TierInput[];
        const tierOf = new Map(tiers.map((t) => [t.id, t]));

        // Equity rules only on attributes some mentee states (or department/unit where allowed).
        const attrs = [...new Set(mentees.flatMap((e) => Object.keys(e.sensitive ?? {})))].sort();
        const equity: EquityRuleInput[] = [];
        for (const [kind, pick, n] of g.equitySeeds) {
          if (kind === 0) equity.push({ kind: "minFit", min: n / 2 });
          else if (kind === 1) {
            const choices = [...attrs, "department", "unit"];
            equity.push({
              kind: "maxPerMentorPerGroup",
              attribute: choices[pick % choices.length],
              max: n,
            });
          } else if (attrs.length > 0 && kind === 2)
            equity.push({
              kind: "proportionalTierAccess",
              attribute: attrs[pick % attrs.length],
              tier: sk.tiers[pick % sk.tiers.length],
              tolerance: n / 4,
            });
          else if (attrs.length > 0)
            equity.push({
              kind: "maxMeanFitGap",
              attribute: attrs[pick % attrs.length],
              maxGap: n,
            });
        }

        const pairsOf = (seeds: readonly (readonly [number, number])[]) =>
          mentees.length === 0 || mentors.length === 0
            ? []
            : seeds.map(([a, b]) => ({
                mentee: mentees[a % mentees.length],
                mentor: mentors[b % mentors.length],
              }));
        const forbidden = pairsOf(g.forbidden).map((p) => ({
          mentee: p.mentee.id,
          mentor: p.mentor.id,
        }));
        const forbiddenKeys = new Set(forbidden.map((p) => JSON.stringify([p.mentee, p.mentor])));
        // Candidates within the limits, repaired to be eligible; then keep those still eligible
        // (dropping a lock never breaks a limit).
        const candidates: { e: MenteeInput; r: MentorInput }[] = [];
        const seen = new Set<string>();
        const menteeLocks = new Map<string, number>();
        const mentorLocks = new Map<string, number>();
        for (const { mentee: e, mentor: r } of pairsOf(g.locked)) {
          const key = JSON.stringify([e.id, r.id]);
          const ne = (menteeLocks.get(e.id) ?? 0) + 1;
          const nr = (mentorLocks.get(r.id) ?? 0) + 1;
          if (e.id === r.id || seen.has(key) || forbiddenKeys.has(key)) continue;
          if (ne > (e.maxMentors ?? 1) || nr > r.capacity) continue;
          repairForLock(e, r, tierOf.get(r.tier)!, g.rules, sk.asOf);
          seen.add(key);
          menteeLocks.set(e.id, ne);
          mentorLocks.set(r.id, nr);
          candidates.push({ e, r });
        }
        const locked = candidates
          .filter(({ e, r }) => surelyEligible(e, r, tierOf.get(r.tier)!, g.rules, sk.asOf))
          .map(({ e, r }, k) => ({
            mentee: e.id,
            mentor: r.id,
            ...(k % 2 === 0 ? { reason: "pilot" } : {}),
          }));

        const strategy: CohortInput["strategy"] = { priorities: entriesToObject(g.priorities) };
        if (g.byUnit !== null) strategy.byUnit = entriesToObject(g.byUnit);
        const program: CohortInput["program"] = {
          tiers,
          rules: g.rules,
          // A minFit rule could make a lock ineligible (an input error): minFit only without locks.
          equity: locked.length > 0 ? equity.filter((r) => r.kind !== "minFit") : equity,
          lockedPairs: locked,
          forbiddenPairs: forbidden,
        };
        if (sk.scale !== null) program.scale = sk.scale;
        if (sk.asOf !== null) program.asOf = sk.asOf;
        if (g.scoring !== null) program.scoring = g.scoring;
        if (g.coverageFirst !== null) program.coverageFirst = g.coverageFirst;
        return { skills: g.skills, strategy, mentees, mentors, program };
      }),
  );
}
