/**
 * The input model: what a caller (or the CSV intake) hands to `parseCohort`.
 *
 * These zod schemas are the single source of truth for the raw cohort shape. They check each
 * record in isolation (types, ranges, unknown keys); cross-record rules (duplicate ids, unknown
 * references, proficiency off the declared scale, locked pairs that break eligibility …) live in
 * `validate.ts`, which runs after these succeed so every issue is reported in one pass.
 *
 * Sensitive attributes (demographic groups) have their own field, `sensitive`, on people. They are
 * copied into `Cohort.sensitive` and never into the tables the scorer reads.
 */
import { z } from "zod";

/**
 * Limits on the input, so that a cohort valid under this schema can always be indexed and scored
 * with numbers far inside the engine's supported range (|score| ≤ 1e200, the largest score 0 or
 * ≥ 1e-200; docs/ENGINE.md), in bounded time per pair (docs/MODEL.md, "Limits"). With every
 * limit reached at once, the largest pair score is
 *
 *   weights.gap · Σ_k priority_k · (scale.max − scale.min) + Σ optional weights + boost · rounds
 *   ≤ 1e6 · 10,000 · 1e6 · 2e6 + 5 · 1e6 + 1e6 · 1e6 ≈ 2e22
 *
 * (the normalized gap term is at most `weights.gap`), and a whole assignment, at most
 * 2^27 · 1e6 pairs, stays below 3e36. With the resolution, every positive pair score is at least
 * about 1e-50: a positive weight or priority is ≥ 1e-6, two different proficiencies differ by at
 * least 2^-72 ≈ 2.1e-22 (the spacing of doubles at 1e-6), so the absolute gap term of a pair is
 * ≥ 1e-6 · 1e-6 · 2.1e-22 and the normalized one ≥ that / 2e16 (the largest weighted gap); an
 * optional term adds ≥ 1e-6 · 1e-16.
 */
export const INPUT_LIMITS = {
  /** Strategic priorities (`strategy.priorities`, `strategy.byUnit`) and every
   * `program.scoring.weights` term: numbers in [0, 1e6]. */
  weight: 1e6,
  /** `program.scale.min` and `.max` in [−1e6, 1e6] (every proficiency lies on the scale). */
  proficiency: 1e6,
  /** `capacity`, `minLoad`, `minMentors`, `maxMentors`, `roundsUnmatched`: integers in [0, 1e6]
   * (stored as 32-bit integers; the boost term multiplies `roundsUnmatched`). */
  count: 1e6,
  /** Declared skills. */
  skills: 10_000,
  /** Declared tiers (each row of the scorer visits every tier). */
  tiers: 1_000,
  /** Items in each list of a person (`languages`, `managerChain`, `tiers`, `aspirations`,
   * `preferredMentors`, `excludedMentors`, `pastMentors`, `training`, `careerPaths`,
   * `excludedMentees`) and in a tier's `trainingRequired`: the scorer walks some of them for
   * every pair. */
  listItems: 1_000,
  /** (mentees + mentors) × (skills + sensitive attributes): cells of the indexed tables (8 bytes
   * per proficiency, a few tables), checked across records. */
  tableCells: 2 ** 27,
  /** The smallest non-zero magnitude of a priority, a scoring weight, a proficiency (`current`,
   * `targets`, `expertise`) and a scale bound: each is 0 or at least 1e-6 in magnitude, so no
   * positive score falls toward the subnormal range (and the normalized form's per-skill factor,
   * which grows as 1 / gap, stays below 1e28). */
  resolution: 1e-6,
} as const;

// zod 4 numbers already reject NaN and ±Infinity. Range rules are zod checks (not refinements) so
// issues carry `minimum`/`maximum` and the JSON Schema export keeps the bounds.
const nonNegative = () => z.number().min(0);
/** The resolution rule as a refinement; `params` give the issue its code and wording
 * (zod-issues.ts). Negative values pass here: `min(0)` reports those where they are wrong. */
const RESOLVED = {
  params: {
    code: "too_small",
    expected: "0 or at least 1e-6 in magnitude", // INPUT_LIMITS.resolution
  },
};
const resolved = (v: number) => v === 0 || Math.abs(v) >= INPUT_LIMITS.resolution;
/** A priority or scoring weight: 0, or in [INPUT_LIMITS.resolution, INPUT_LIMITS.weight]. */
const weight = () =>
  z
    .number()
    .min(0)
    .max(INPUT_LIMITS.weight)
    .refine((v) => v <= 0 || resolved(v), RESOLVED);
/** A proficiency: finite, 0 or at least INPUT_LIMITS.resolution in magnitude (the scale bounds it). */
const level = () => z.number().refine(resolved, RESOLVED);
/** A proficiency scale bound: a `level` in [−INPUT_LIMITS.proficiency, INPUT_LIMITS.proficiency]. */
const proficiency = () =>
  z
    .number()
    .min(-INPUT_LIMITS.proficiency)
    .max(INPUT_LIMITS.proficiency)
    .refine(resolved, RESOLVED);
const count = () => z.int().min(0).max(INPUT_LIMITS.count);
/** A list on a person (or a tier's trainingRequired), at most INPUT_LIMITS.listItems long. */
const list = <T extends z.ZodType>(item: T) => z.array(item).max(INPUT_LIMITS.listItems);

/** An identifier: non-empty, trimmed, at most 200 characters. Any such string is allowed,
 * `__proto__` included: ids are only ever used as `Map` keys. */
export const IdSchema = z
  .string()
  .min(1, { message: "Expected a non-empty id" })
  .max(200, { message: "Expected an id of at most 200 characters" })
  .refine((s) => s.trim() === s, { message: "Ids must not start or end with white space" });

/** Proficiency per skill id, e.g. `{ "sql": 3, "python": 1.5 }`. */
export const SkillLevelsSchema = z.record(IdSchema, level());

/** Sensitive attributes: attribute name → group label, e.g. `{ "gender": "F" }`. Used only by
 * equity rules and fairness reports, never by the score. */
export const SensitiveSchema = z.record(IdSchema, z.string().min(1));

export const SkillSchema = z.strictObject({
  id: IdSchema,
  label: z.string().optional(),
  /** Free-form family / category, e.g. "data". */
  category: z.string().optional(),
});

export const ScaleSchema = z
  .strictObject({ min: proficiency().default(0), max: proficiency().default(5) })
  .refine((s) => s.max > s.min, { message: "scale.max must be greater than scale.min" });

export const StrategySchema = z.strictObject({
  /** Strategic priority weight per skill id (>= 0). Skills not listed have priority 0. */
  priorities: z.record(IdSchema, weight()),
  /** Optional per-business-unit override: unit → skill id → weight. A mentee's unit selects the
   * row; skills missing from the unit's row fall back to `priorities`. */
  byUnit: z.record(IdSchema, z.record(IdSchema, weight())).optional(),
  /** Free text: the organization's needs this strategy serves (kept for reports). */
  needs: z.array(z.string()).optional(),
});

const PersonBase = {
  id: IdSchema,
  department: IdSchema,
  /** Business unit; defaults to the department. */
  unit: IdSchema.optional(),
  /** Job level on the organization's ladder (higher = more senior). */
  level: z.int().min(0).max(100),
  tenureMonths: nonNegative(),
  /** Hours per month the person can give to the program. Omitted = no stated limit. */
  hoursPerMonth: nonNegative().optional(),
  /** UTC offset in hours, e.g. -5 or 5.5. */
  utcOffset: z.number().min(-12).max(14).optional(),
  languages: list(IdSchema).optional(),
  /** Ids of this person's managers, nearest first (their reporting line). */
  managerChain: list(IdSchema).optional(),
  sensitive: SensitiveSchema.optional(),
};

export const MenteeSchema = z.strictObject({
  ...PersonBase,
  /** Current proficiency per skill; skills not listed are at the bottom of the scale. */
  current: SkillLevelsSchema,
  /** Target proficiency per skill (the learning journey); skills not listed have no gap. */
  targets: SkillLevelsSchema,
  /** Tier ids the mentee asks for; omitted = any tier. */
  tiers: list(IdSchema).optional(),
  /** Career paths / aspirations, matched against mentors' `careerPaths`. */
  aspirations: list(IdSchema).optional(),
  preferredMentors: list(IdSchema).optional(),
  excludedMentors: list(IdSchema).optional(),
  /** Mentor ids from earlier rounds; repeat pairs are ineligible unless the program allows them. */
  pastMentors: list(IdSchema).optional(),
  highPotential: z.boolean().optional(),
  /** How many earlier rounds left this mentee unmatched (drives the priority boost term). */
  roundsUnmatched: count().optional(),
  /** Fewest and most mentors this mentee gets (default 0 and 1). */
  minMentors: count().optional(),
  maxMentors: count().optional(),
  consent: z.strictObject({ analytics: z.boolean().default(false) }).optional(),
});

export const TrainingSchema = z.strictObject({
  id: IdSchema,
  /** ISO date (YYYY-MM-DD) the training was completed. */
  completedOn: z.iso.date().optional(),
});

export const MentorSchema = z.strictObject({
  ...PersonBase,
  expertise: SkillLevelsSchema,
  /** The tier this mentor serves in (a tier id from the program). */
  tier: IdSchema,
  /** Most mentees this mentor takes. */
  capacity: count(),
  /** Fewest mentees this mentor must get (default 0). */
  minLoad: count().optional(),
  training: list(TrainingSchema).optional(),
  careerPaths: list(IdSchema).optional(),
  excludedMentees: list(IdSchema).optional(),
});

export const TierSchema = z.strictObject({
  id: IdSchema,
  label: z.string().optional(),
  /** Allowed mentor.level − mentee.level window (inclusive). */
  levelGap: z
    .strictObject({ min: z.int().optional(), max: z.int().optional() })
    .refine((g) => g.min === undefined || g.max === undefined || g.min <= g.max, {
      message: "levelGap.min must be <= levelGap.max",
    })
    .optional(),
  /** Training ids a mentor of this tier must have completed. */
  trainingRequired: list(IdSchema).optional(),
  /** Training older than this many months does not count (needs `completedOn` and `asOf`). */
  trainingValidMonths: z.int().min(1).optional(),
  minMentorTenureMonths: nonNegative().optional(),
  /** Hours per month each side must be able to give. */
  minHoursPerMonth: nonNegative().optional(),
});

export const ScoringWeightsSchema = z.strictObject({
  /** Strategy-weighted gap coverage (the core term). */
  gap: weight().default(1),
  crossDepartment: weight().default(0),
  preference: weight().default(0),
  aspiration: weight().default(0),
  timezone: weight().default(0),
  language: weight().default(0),
  unmatchedBoost: weight().default(0),
});

export const ScoringSchema = z.strictObject({
  /** "absolute": weighted gap covered; "normalized": share of the mentee's weighted gap covered. */
  form: z.enum(["absolute", "normalized"]).default("absolute"),
  weights: ScoringWeightsSchema.default(ScoringWeightsSchema.parse({})),
});

export const RulesSchema = z.strictObject({
  /** Allow a pair that already worked together in an earlier round. */
  allowRepeatPairs: z.boolean().default(false),
  /** Allow pairs inside one reporting line (mentor in the mentee's manager chain or vice versa). */
  allowSameReportingLine: z.boolean().default(false),
  /** Hard limit on the time-zone difference in hours. */
  maxUtcOffsetDiffHours: nonNegative().optional(),
  /** Require at least one shared language (when both sides list languages). */
  requireSharedLanguage: z.boolean().default(false),
});

export const PairSchema = z.strictObject({
  mentee: IdSchema,
  mentor: IdSchema,
  reason: z.string().optional(),
});

/** A soft rule's price per unit it falls short or over (pairs or mentees: docs/FAIRNESS.md), in
 * fit; a rule without one is hard. */
const penalty = () => z.number().positive().max(MAX_PENALTY).optional();
/** Penalties above this would swamp every fit the engine takes (numeric.ts MAX_SCORE is 1e150). */
const MAX_PENALTY = 1e12;

/** Equity rules (docs/FAIRNESS.md says how `match` keeps each). */
export const EquityRuleSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("proportionalTierAccess"),
    attribute: IdSchema,
    tier: IdSchema,
    /** Allowed shortfall below the proportional share, as a fraction (0..1). */
    tolerance: z.number().min(0).max(1).default(0),
    penalty: penalty(),
  }),
  z.strictObject({
    kind: z.literal("maxPerMentorPerGroup"),
    /** A sensitive attribute, or "department" / "unit". */
    attribute: IdSchema,
    max: z.int().min(1),
    penalty: penalty(),
  }),
  z.strictObject({
    kind: z.literal("minFit"),
    min: nonNegative(),
    /** Max-min mode: raise the floor above `min` as far as it goes without losing a pair (the
     * most pairs that can be made stays the most at `min`), then maximize the total. */
    maxMin: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal("reserve"),
    /** A sensitive attribute, or "department" / "unit". */
    attribute: IdSchema,
    /** The group's label. */
    group: z.string().min(1),
    /** Matched to a mentor of this tier; to any mentor when left out. */
    tier: IdSchema.optional(),
    /** At least this many of the group's mentees matched. */
    min: z.int().min(1),
    penalty: penalty(),
  }),
  z
    .strictObject({
      kind: z.literal("minMatchRate"),
      /** A sensitive attribute, or "department" / "unit". */
      attribute: IdSchema,
      /** Every group of at least minGroupSize mentees who ask for a mentor has at least this
       * share of them matched (rounded up), 0..1. */
      rate: z.number().min(0).max(1).optional(),
      /** Or: every such group's match rate is at most this far below the overall rate (of
       * every mentee who asks for a mentor), 0..1. Exactly one of the two. */
      maxBelowOverall: z.number().min(0).max(1).optional(),
      penalty: penalty(),
    })
    .refine((r) => (r.rate === undefined) !== (r.maxBelowOverall === undefined), {
      message:
        "Give exactly one of rate (a floor on every group's match rate) and maxBelowOverall (how far below the overall rate a group's may be)",
    }),
  z.strictObject({
    kind: z.literal("maxMeanFitGap"),
    attribute: IdSchema,
    maxGap: nonNegative(),
  }),
]);

export const ProgramSchema = z.strictObject({
  id: IdSchema.optional(),
  name: z.string().optional(),
  /** Proficiency scale shared by all skills. */
  scale: ScaleSchema.default({ min: 0, max: 5 }),
  /** ISO date the program runs as of (for training validity). */
  asOf: z.iso.date().optional(),
  tiers: z
    .array(TierSchema)
    .min(1, { message: "Declare at least one tier" })
    .max(INPUT_LIMITS.tiers),
  scoring: ScoringSchema.default(ScoringSchema.parse({})),
  rules: RulesSchema.default(RulesSchema.parse({})),
  equity: z.array(EquityRuleSchema).default([]),
  lockedPairs: z.array(PairSchema).default([]),
  forbiddenPairs: z.array(PairSchema).default([]),
  /** Match as many mentees as possible first, then maximize fit. */
  coverageFirst: z.boolean().default(false),
  /** Reports suppress groups smaller than this. */
  minGroupSize: z.int().min(1).default(5),
});

export const CohortInputSchema = z.strictObject({
  skills: z
    .array(SkillSchema)
    .min(1, { message: "Declare at least one skill" })
    .max(INPUT_LIMITS.skills),
  strategy: StrategySchema,
  mentees: z.array(MenteeSchema),
  mentors: z.array(MentorSchema),
  program: ProgramSchema,
});

// The public types are written out in types.ts (a type test keeps them equal to these schemas);
// the parsed people and the parsed cohort stay internal.
export type * from "./types.js";
export type Mentee = z.output<typeof MenteeSchema>;
export type Mentor = z.output<typeof MentorSchema>;
export type Tier = z.output<typeof TierSchema>;
export type Strategy = z.output<typeof StrategySchema>;
export type CohortData = z.output<typeof CohortInputSchema>;
