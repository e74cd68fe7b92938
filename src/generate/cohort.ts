/**
 * A seeded generator of realistic cohorts for examples, tests and benchmarks.
 *
 * Structure it builds (all driven by one seed; same options ⇒ identical output):
 * - departments of uneven size, each with a skill profile (data people know SQL, designers know
 *   design); expertise grows with level, soft skills more so;
 * - mentees mostly junior, mentors split into a `peer` tier (levels 2–5, capacity 1–5) and a
 *   `senior` tier (levels 5–8, capacity 1–3, trained in `mentor-basics`, some of it expired);
 * - targets on 2–4 focus skills, leaning to the department's and the strategy's skills;
 * - manager chains in which some senior mentors manage mentees (so the reporting-line rule
 *   bites), regions with time zones and languages (so the time-zone rule bites);
 * - sensitive groups of uneven size: `gender` (F / M / X) and `region` (amer / emea / apac).
 * Work is linear in mentees + mentors: 100,000 × 10,000 takes well under a few seconds.
 */
import type { CohortInput, MenteeInput, MentorInput, ProgramInput } from "../schema/input.js";
import { createRandom, type Random } from "./random.js";

export interface GenerateCohortOptions {
  /** Number of mentees (default 40). */
  readonly mentees?: number;
  /** Number of mentors (default 12). */
  readonly mentors?: number;
  /** Skill count (first n of a catalogue of 12, then `skill-13` …) or skill ids (default 12). */
  readonly skills?: number | readonly string[];
  /** Department count (first n of a catalogue of 8, then `dept-9` …) or names (default 5). */
  readonly departments?: number | readonly string[];
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** The program's as-of date, ISO `YYYY-MM-DD` (default "2025-06-01"); training dates are
   * generated relative to it. */
  readonly asOf?: string;
  /** Adds a `minFit` equity rule with this floor (default 0: no such rule). */
  readonly minFit?: number;
  /** The program's `maxPerMentorPerGroup` rule: at most this many mentees of one department
   * per mentor (default 3). */
  readonly groupCap?: number;
  /** Adds a `maxMeanFitGap` equity rule on `region` with this largest gap (default 0: no such
   * rule). */
  readonly meanFitGap?: number;
  /** False: a program without equity rules (the default cohort has two, plus the optional
   * `minFit` and `maxMeanFitGap`). Default true. */
  readonly equity?: boolean;
}

/** What each `GenerateCohortOptions` field means when it is left out (frozen). */
export const DEFAULT_GENERATE_OPTIONS = Object.freeze({
  mentees: 40,
  mentors: 12,
  skills: 12,
  departments: 5,
  seed: 1,
  asOf: "2025-06-01",
  minFit: 0,
  groupCap: 3,
  meanFitGap: 0,
  equity: true,
} as const satisfies Required<GenerateCohortOptions>);

/** Generates a valid `CohortInput` (ready for `parseCohort`). */
export function generateCohort(options: GenerateCohortOptions = {}): CohortInput {
  const o = { ...DEFAULT_GENERATE_OPTIONS, ...options };
  const nMentees = count(o.mentees, "mentees");
  const nMentors = count(o.mentors, "mentors");
  const rng = createRandom(o.seed);
  const asOf = parseDate(o.asOf);
  count(o.groupCap, "groupCap");
  if (o.groupCap < 1)
    throw new RangeError(`groupCap must be a whole number >= 1, got ${o.groupCap}`);
  if (!(Number.isFinite(o.minFit) && o.minFit >= 0))
    throw new RangeError(`minFit must be a number >= 0, got ${o.minFit}`);
  if (!(Number.isFinite(o.meanFitGap) && o.meanFitGap >= 0))
    throw new RangeError(`meanFitGap must be a number >= 0, got ${o.meanFitGap}`);

  const skillIds = names(
    o.skills,
    SKILL_CATALOGUE.map((s) => s.id),
    "skill",
    "skills",
  );
  const deptNames = names(o.departments, Object.keys(DEPARTMENT_PROFILES), "dept", "departments");
  const S = skillIds.length;
  const D = deptNames.length;

  // Profiles: D × S strengths in [0, 1]. Catalogue pairs use the table; anything custom is drawn.
  const profile = new Float64Array(D * S);
  for (let d = 0; d < D; d++) {
    const table = DEPARTMENT_PROFILES[deptNames[d]];
    let strong = 0;
    for (let s = 0; s < S; s++) {
      const known = table?.[skillIds[s]];
      const v =
        known ?? (table !== undefined && KNOWN_SKILLS.has(skillIds[s]) ? 0.1 : drawStrength(rng));
      profile[d * S + s] = v;
      if (v >= 0.5) strong++;
    }
    // Every department is good at something, even with a short custom skill list.
    if (strong === 0) profile[d * S + rng.int(0, S - 1)] = 0.8;
  }
  const softSkill = skillIds.map((id) => SOFT_SKILLS.has(id));

  const priorities: Record<string, number> = {};
  for (const id of skillIds) priorities[id] = STRATEGY_PRIORITIES[id] ?? 0.5 * rng.int(1, 6);

  // Uneven department sizes (Zipf-like), units: the two largest departments have two units.
  const deptWeights = deptNames.map((_, d) => 1 / Math.pow(d + 1, 0.7));
  const units = deptNames.map((name, d) =>
    d < Math.min(2, D - 1) ? [`${name}-core`, `${name}-growth`] : [name],
  );

  // Mentors first: mentees' manager chains refer to them.
  const mentors: MentorInput[] = [];
  const mentorWidth = Math.max(3, String(nMentors).length);
  const managersByDept: number[][] = deptNames.map(() => []);
  const mentorDept = new Int32Array(nMentors);
  for (let j = 0; j < nMentors; j++) {
    const d = rng.weighted(deptWeights);
    mentorDept[j] = d;
    // Both tiers whenever there are two mentors; otherwise about 40% senior.
    const senior = j === 0 ? true : j === 1 ? false : rng.chance(0.4);
    const level = senior
      ? 5 + rng.weighted([0.3, 0.35, 0.25, 0.1])
      : 2 + rng.weighted([0.25, 0.35, 0.3, 0.1]);
    if (level >= 6) managersByDept[d].push(j);
    const region = drawRegion(rng);
    const mentor: MentorInput = {
      ...personFields(MENTOR_DRAW, j, mentorWidth, deptNames[d], units[d], level, region, rng),
      expertise: skillsFor(
        profile,
        d,
        S,
        skillIds,
        softSkill,
        0.45 + 0.07 * level,
        rng,
        deptWeights,
      ),
      tier: senior ? "senior" : "peer",
      capacity: senior
        ? 1 + rng.weighted([0.3, 0.45, 0.25])
        : 1 + rng.weighted([0.15, 0.3, 0.3, 0.15, 0.1]),
      sensitive: sensitiveFor(region, rng),
    };
    // A minimum load only for a peer who meets the peer tier's own hours rule (2 a month): one
    // nobody may be paired with would make the whole cohort infeasible. (The draw comes first,
    // so every other value stays as it was.)
    if (!senior && rng.chance(0.1) && mentor.hoursPerMonth! >= 2) mentor.minLoad = 1;
    const training = trainingFor(senior, mentor.expertise, asOf, rng);
    if (training.length > 0) mentor.training = training;
    mentor.careerPaths = careerPathsFor(deptNames[d], senior, rng);
    mentors.push(mentor);
  }
  // Reporting lines of mentors: seniors report to the head; some peers report to a senior mentor.
  for (let j = 0; j < nMentors; j++) {
    const d = mentorDept[j];
    const head = `head-${deptNames[d]}`;
    const bosses = managersByDept[d];
    const mentor = mentors[j];
    if (mentor.tier === "peer" && bosses.length > 0 && rng.chance(0.3)) {
      mentor.managerChain = [mentors[rng.pick(bosses)].id, head];
    } else if (mentor.tier === "peer") {
      mentor.managerChain = [`mgr-${deptNames[d]}-${rng.int(1, 3)}`, head];
    } else {
      mentor.managerChain = [head];
    }
  }

  const mentees: MenteeInput[] = [];
  const menteeWidth = Math.max(3, String(nMentees).length);
  for (let i = 0; i < nMentees; i++) {
    const d = rng.weighted(deptWeights);
    const level = 1 + rng.weighted([0.22, 0.28, 0.24, 0.16, 0.07, 0.03]);
    const region = drawRegion(rng);
    const current = skillsFor(
      profile,
      d,
      S,
      skillIds,
      softSkill,
      0.3 + 0.07 * level,
      rng,
      deptWeights,
    );
    const aspirations = aspirationsFor(deptNames[d], rng);
    const mentee: MenteeInput = {
      ...personFields(MENTEE_DRAW, i, menteeWidth, deptNames[d], units[d], level, region, rng),
      managerChain: managerChainFor(deptNames[d], managersByDept[d], mentors, nMentees, rng),
      current,
      targets: targetsFor(current, profile, d, S, skillIds, priorities, rng),
      aspirations,
      sensitive: sensitiveFor(region, rng),
    };
    const tierWish = rng.next();
    if (tierWish < 0.12) mentee.tiers = ["senior"];
    else if (tierWish < 0.2) mentee.tiers = ["peer"];
    if (nMentors > 0) {
      if (rng.chance(0.1)) mentee.preferredMentors = distinctMentors(mentors, rng.int(1, 2), rng);
      if (rng.chance(0.04)) mentee.excludedMentors = distinctMentors(mentors, 1, rng);
      if (rng.chance(0.08)) mentee.pastMentors = distinctMentors(mentors, 1, rng);
    }
    if (rng.chance(0.1)) mentee.highPotential = true;
    const rounds = rng.weighted([0.8, 0.15, 0.05]);
    if (rounds > 0) mentee.roundsUnmatched = rounds;
    if (rng.chance(0.05)) mentee.maxMentors = 2;
    const consent = rng.weighted([0.75, 0.15, 0.1]);
    if (consent < 2) mentee.consent = { analytics: consent === 0 };
    mentees.push(mentee);
  }
  // A few mentors decline a specific mentee (e.g. a close colleague).
  if (nMentees > 0) {
    for (const mentor of mentors) {
      if (rng.chance(0.03)) mentor.excludedMentees = [mentees[rng.int(0, nMentees - 1)].id];
    }
  }

  const skills = skillIds.map((id): { id: string; label?: string; category?: string } => {
    const known = SKILL_CATALOGUE.find((s) => s.id === id);
    return known === undefined ? { id } : { ...known };
  });
  const top = [...skillIds].sort((a, b) => priorities[b] - priorities[a] || (a < b ? -1 : 1));
  const byUnit: Record<string, Record<string, number>> = {};
  if (units[0].length > 1) byUnit[units[0][1]] = { [top[top.length - 1]]: 3 };

  const program: ProgramInput = {
    id: `generated-${o.seed}`,
    name: `Generated cohort (seed ${o.seed})`,
    scale: { min: 0, max: 5 },
    asOf: o.asOf,
    tiers: [
      {
        id: "peer",
        label: "Peer mentoring",
        levelGap: { min: 0, max: 1 },
        minHoursPerMonth: 2,
      },
      {
        id: "senior",
        label: "Senior mentoring",
        levelGap: { min: 2 },
        trainingRequired: ["mentor-basics"],
        trainingValidMonths: 36,
        minMentorTenureMonths: 24,
        minHoursPerMonth: 2,
      },
    ],
    scoring: {
      form: "absolute",
      weights: {
        gap: 1,
        crossDepartment: 0.3,
        preference: 0.5,
        aspiration: 0.4,
        timezone: 0.2,
        language: 0.1,
        unmatchedBoost: 0.3,
      },
    },
    rules: {
      allowRepeatPairs: false,
      allowSameReportingLine: false,
      maxUtcOffsetDiffHours: 9,
      requireSharedLanguage: true,
    },
    // Equity rules must name an attribute some mentee states, so none for an empty cohort.
    equity:
      nMentees > 0 && o.equity
        ? [
            { kind: "proportionalTierAccess", attribute: "gender", tier: "senior", tolerance: 0.2 },
            { kind: "maxPerMentorPerGroup", attribute: "department", max: o.groupCap },
            ...(o.minFit > 0 ? [{ kind: "minFit" as const, min: o.minFit }] : []),
            ...(o.meanFitGap > 0
              ? [{ kind: "maxMeanFitGap" as const, attribute: "region", maxGap: o.meanFitGap }]
              : []),
          ]
        : [],
    lockedPairs: [],
    forbiddenPairs:
      nMentees >= 10 && nMentors >= 2
        ? [
            {
              mentee: mentees[rng.int(0, nMentees - 1)].id,
              mentor: mentors[rng.int(0, nMentors - 1)].id,
              reason: "conflict of interest",
            },
          ]
        : [],
    coverageFirst: true,
    minGroupSize: 5,
  };

  return {
    skills,
    strategy: {
      priorities,
      ...(Object.keys(byUnit).length > 0 ? { byUnit } : {}),
      needs: top
        .slice(0, 3)
        .map((id) => `Grow ${skills.find((s) => s.id === id)?.label ?? id} capability`),
    },
    mentees,
    mentors,
    program,
  };
}

// ————————————————————————————————————————————————————————————————————————————————————————————

const SKILL_CATALOGUE = [
  { id: "sql", label: "SQL", category: "data" },
  { id: "python", label: "Python", category: "engineering" },
  { id: "cloud", label: "Cloud platforms", category: "engineering" },
  { id: "ml", label: "Machine learning", category: "data" },
  { id: "product", label: "Product management", category: "product" },
  { id: "leadership", label: "Leadership", category: "people" },
  { id: "statistics", label: "Statistics", category: "data" },
  { id: "security", label: "Security", category: "engineering" },
  { id: "data-engineering", label: "Data engineering", category: "data" },
  { id: "communication", label: "Communication", category: "people" },
  { id: "design", label: "Design", category: "product" },
  { id: "finance", label: "Finance", category: "business" },
] as const;
const KNOWN_SKILLS = new Set<string>(SKILL_CATALOGUE.map((s) => s.id));
const SOFT_SKILLS = new Set(["leadership", "communication"]);

const STRATEGY_PRIORITIES: Readonly<Record<string, number>> = {
  cloud: 3,
  ml: 3,
  security: 2.5,
  "data-engineering": 2,
  leadership: 2,
  product: 1.5,
  python: 1.5,
  sql: 1,
  statistics: 1,
  communication: 1,
  design: 0.5,
  finance: 0.5,
};

const DEPARTMENT_PROFILES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  engineering: {
    python: 0.9,
    cloud: 0.8,
    security: 0.6,
    sql: 0.5,
    "data-engineering": 0.4,
    communication: 0.4,
    leadership: 0.3,
  },
  data: {
    sql: 0.9,
    python: 0.8,
    statistics: 0.9,
    ml: 0.7,
    "data-engineering": 0.6,
    communication: 0.4,
    leadership: 0.2,
  },
  product: {
    product: 0.9,
    design: 0.6,
    communication: 0.8,
    leadership: 0.5,
    sql: 0.3,
    finance: 0.3,
  },
  sales: { communication: 0.9, product: 0.5, finance: 0.5, leadership: 0.4 },
  finance: { finance: 0.9, sql: 0.5, statistics: 0.5, communication: 0.5, leadership: 0.3 },
  design: { design: 0.9, product: 0.6, communication: 0.7, leadership: 0.2 },
  operations: { communication: 0.6, leadership: 0.6, finance: 0.4, sql: 0.3, cloud: 0.3 },
  people: { leadership: 0.8, communication: 0.9, statistics: 0.3 },
};

const CAREER_PATHS_BY_DEPT: Readonly<Record<string, readonly string[]>> = {
  engineering: ["tech-lead", "architect"],
  data: ["data-scientist", "tech-lead"],
  product: ["product-manager"],
  sales: ["people-manager", "specialist"],
  finance: ["specialist"],
  design: ["specialist", "product-manager"],
  operations: ["people-manager"],
  people: ["people-manager"],
};
const CAREER_PATHS = [
  "people-manager",
  "tech-lead",
  "architect",
  "data-scientist",
  "product-manager",
  "specialist",
];

const REGIONS = [
  { offsets: [-8, -7, -6, -5, -4], extra: ["es"] },
  { offsets: [0, 1, 2, 3], extra: ["de", "fr"] },
  { offsets: [5.5, 8, 9, 10], extra: ["ja", "hi", "zh"] },
] as const;
const REGION_NAMES = ["amer", "emea", "apac"] as const;

function drawRegion(rng: Random): number {
  return rng.weighted([0.5, 0.35, 0.15]);
}

function drawGender(rng: Random): string {
  return ["F", "M", "X"][rng.weighted([0.42, 0.52, 0.06])];
}

function drawStrength(rng: Random): number {
  return rng.chance(0.3) ? Math.round((0.4 + 0.5 * rng.next()) * 10) / 10 : 0.1;
}

function languagesFor(region: number, rng: Random): string[] {
  const out: string[] = [];
  if (rng.chance(region === 0 ? 0.97 : 0.88)) out.push("en");
  if (out.length === 0 || rng.chance(0.3)) out.push(rng.pick(REGIONS[region].extra));
  return out;
}

function unitOf(units: readonly string[], rng: Random): { unit?: string } {
  return units.length > 1 ? { unit: rng.pick(units) } : {};
}

function tenureFor(level: number, rng: Random, min: number): number {
  return Math.max(min, Math.round(level * 12 * (0.5 + rng.next()) + rng.int(0, 11)));
}

/** How the fields both sides have are drawn for one side. */
interface SideDraw {
  /** Ids are the prefix and the position from 1, zero-padded: `m001`, `e001`. */
  readonly prefix: string;
  readonly minTenure: number;
  /** The chance of a single hour a month; otherwise 2 to `maxHours`. */
  readonly oneHour: number;
  readonly maxHours: number;
}

const MENTOR_DRAW: SideDraw = { prefix: "m", minTenure: 6, oneHour: 0.05, maxHours: 10 };
const MENTEE_DRAW: SideDraw = { prefix: "e", minTenure: 1, oneHour: 0.06, maxHours: 8 };

/** The fields both sides have, for the person at `k` (ids `width` digits wide); draws the unit,
 * tenure, hours, UTC offset and languages, in that order. */
function personFields(
  side: SideDraw,
  k: number,
  width: number,
  department: string,
  units: readonly string[],
  level: number,
  region: number,
  rng: Random,
) {
  return {
    id: `${side.prefix}${String(k + 1).padStart(width, "0")}`,
    department,
    ...unitOf(units, rng),
    level,
    tenureMonths: tenureFor(level, rng, side.minTenure),
    hoursPerMonth: rng.chance(side.oneHour) ? 1 : rng.int(2, side.maxHours),
    utcOffset: rng.pick(REGIONS[region].offsets),
    languages: languagesFor(region, rng),
  };
}

function sensitiveFor(region: number, rng: Random): Record<string, string> {
  return { gender: drawGender(rng), region: REGION_NAMES[region] };
}

/** Proficiency per skill on a 0–5 scale in half steps; zeros are left out (sparse maps). A
 * person sometimes picks up a second department's profile (cross-functional experience). */
function skillsFor(
  profile: Float64Array,
  d: number,
  S: number,
  skillIds: readonly string[],
  soft: readonly boolean[],
  factor: number,
  rng: Random,
  deptWeights: readonly number[],
): Record<string, number> {
  const second = rng.chance(0.15) ? rng.weighted(deptWeights) : -1;
  const out: Record<string, number> = {};
  for (let s = 0; s < S; s++) {
    let base = profile[d * S + s];
    if (second >= 0) base = Math.max(base, 0.7 * profile[second * S + s]);
    const f = soft[s] ? factor + 0.05 : factor;
    const v = Math.round(10 * clamp(base * f + 0.12 * rng.normal(), 0, 1)) / 2;
    if (v > 0) out[skillIds[s]] = v;
  }
  return out;
}

/** Targets on 2–4 focus skills, favouring the department's skills and the strategy. */
function targetsFor(
  current: Record<string, number>,
  profile: Float64Array,
  d: number,
  S: number,
  skillIds: readonly string[],
  priorities: Record<string, number>,
  rng: Random,
): Record<string, number> {
  const weights = new Array<number>(S);
  let open = 0;
  for (let s = 0; s < S; s++) {
    const room = 5 - (current[skillIds[s]] ?? 0);
    weights[s] = room < 1 ? 0 : 0.2 + profile[d * S + s] + 0.25 * priorities[skillIds[s]];
    if (weights[s] > 0) open++;
  }
  const out: Record<string, number> = {};
  const focus = Math.min(open, rng.int(2, 4));
  for (let t = 0; t < focus; t++) {
    const s = rng.weighted(weights);
    weights[s] = 0;
    const now = current[skillIds[s]] ?? 0;
    out[skillIds[s]] = Math.min(5, now + 0.5 * rng.int(2, 6));
  }
  return out;
}

function trainingFor(
  senior: boolean,
  expertise: Record<string, number>,
  asOf: Date,
  rng: Random,
): { id: string; completedOn?: string }[] {
  const out: { id: string; completedOn?: string }[] = [];
  // About 85% of seniors are trained; completion 1–48 months ago against a 36-month validity.
  if (senior ? rng.chance(0.85) : rng.chance(0.1)) {
    out.push({ id: "mentor-basics", completedOn: monthsBefore(asOf, rng.int(1, 48), rng) });
  }
  if (!senior && rng.chance(0.4))
    out.push({ id: "peer-coaching", completedOn: monthsBefore(asOf, rng.int(1, 24), rng) });
  if ((expertise.sql ?? 0) >= 4 && rng.chance(0.6))
    out.push({ id: "sql-coach", completedOn: monthsBefore(asOf, rng.int(1, 30), rng) });
  if (rng.chance(0.2)) out.push({ id: "ethics" });
  return out;
}

/** k distinct mentor ids (k <= 2, so a linear scan for repeats is enough). */
function distinctMentors(mentors: readonly MentorInput[], k: number, rng: Random): string[] {
  const out: string[] = [];
  for (let t = 0; t < 4 * k && out.length < k; t++) {
    const id = mentors[rng.int(0, mentors.length - 1)].id;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

function careerPathsFor(dept: string, senior: boolean, rng: Random): string[] {
  const own = CAREER_PATHS_BY_DEPT[dept] ?? [rng.pick(CAREER_PATHS)];
  const out = [rng.pick(own)];
  if (senior && rng.chance(0.5) && !out.includes("people-manager")) out.push("people-manager");
  return out;
}

function aspirationsFor(dept: string, rng: Random): string[] {
  const own = CAREER_PATHS_BY_DEPT[dept];
  const first = own !== undefined && rng.chance(0.6) ? rng.pick(own) : rng.pick(CAREER_PATHS);
  const out = [first];
  if (rng.chance(0.3)) {
    const second = rng.pick(CAREER_PATHS);
    if (second !== first) out.push(second);
  }
  return out;
}

/** Some mentees report to a senior mentor of their department (a reporting-line pair). */
function managerChainFor(
  dept: string,
  bosses: readonly number[],
  mentors: readonly MentorInput[],
  nMentees: number,
  rng: Random,
): string[] {
  const head = `head-${dept}`;
  if (bosses.length > 0 && rng.chance(0.25)) return [mentors[rng.pick(bosses)].id, head];
  const teams = Math.max(1, Math.ceil(nMentees / 40));
  return [`mgr-${dept}-${rng.int(1, teams)}`, head];
}

function monthsBefore(asOf: Date, months: number, rng: Random): string {
  const d = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - months, rng.int(1, 28)));
  return d.toISOString().slice(0, 10);
}

function parseDate(iso: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const date = m === null ? new Date(NaN) : new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    throw new RangeError(`asOf must be an ISO date YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  }
  return date;
}

function count(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a whole number >= 0, got ${value}`);
  }
  return value;
}

function names(
  value: number | readonly string[],
  catalogue: readonly string[],
  prefix: string,
  what: string,
): string[] {
  if (typeof value !== "number") {
    if (value.length === 0 || new Set(value).size !== value.length) {
      throw new RangeError(`${what} must be a non-empty list without repeats`);
    }
    return [...value];
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${what} must be a whole number >= 1, got ${value}`);
  }
  const out = catalogue.slice(0, value);
  for (let k = out.length; k < value; k++) out.push(`${prefix}-${k + 1}`);
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
