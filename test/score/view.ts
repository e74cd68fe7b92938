/**
 * A hand-made `ScoringView` builder for the scorer's unit and property tests: small specs with
 * integer codes, no ids, no zod. (Cohorts built through `parseCohort` are used where the input
 * boundary matters: sensitive attributes and input order.)
 */
import type { CsrLists, ScoringView, TierRule } from "../../src/cohort/types.js";
import type { Rules, ScoringOptions, ScoringWeights } from "../../src/schema/input.js";

export interface PersonSpec {
  person?: number;
  department?: number;
  unit?: number;
  level?: number;
  tenureMonths?: number;
  hoursPerMonth?: number;
  utcOffset?: number;
  languages?: number[];
  managerChain?: number[];
}

export interface MenteeSpec extends PersonSpec {
  current: number[];
  target: number[];
  tiersWanted?: number[];
  aspirations?: number[];
  preferred?: number[];
  excluded?: number[];
  past?: number[];
  roundsUnmatched?: number;
  maxMentors?: number;
}

export interface MentorSpec extends PersonSpec {
  expertise: number[];
  tier?: number;
  capacity?: number;
  training?: number[];
  careerPaths?: number[];
  excludedMentees?: number[];
}

export interface TierSpec {
  levelGapMin?: number;
  levelGapMax?: number;
  trainingRequired?: number[];
  minMentorTenureMonths?: number;
  minHoursPerMonth?: number;
}

export interface ViewSpec {
  priorities: number[];
  /** Per unit code: a full priority row (defaults to `priorities`). */
  byUnit?: number[][];
  tiers?: TierSpec[];
  form?: ScoringOptions["form"];
  weights?: Partial<ScoringWeights>;
  rules?: Partial<Rules>;
  forbidden?: [number, number][];
  /** The minFit equity rule's threshold (default 0: none). */
  minFit?: number;
  mentees: MenteeSpec[];
  mentors: MentorSpec[];
}

export const ZERO_WEIGHTS: ScoringWeights = {
  gap: 1,
  crossDepartment: 0,
  preference: 0,
  aspiration: 0,
  timezone: 0,
  language: 0,
  unmatchedBoost: 0,
};

function csr(rows: (number[] | undefined)[]): CsrLists {
  const offsets = new Int32Array(rows.length + 1);
  const items: number[] = [];
  rows.forEach((r, i) => {
    const sorted = [...new Set(r ?? [])].sort((a, b) => a - b);
    items.push(...sorted);
    offsets[i + 1] = items.length;
  });
  return { offsets, items: Int32Array.from(items) };
}

function persons(list: PersonSpec[], personBase: number) {
  return {
    count: list.length,
    person: Int32Array.from(list, (p, r) => p.person ?? personBase + r),
    department: Int32Array.from(list, (p) => p.department ?? 0),
    unit: Int32Array.from(list, (p) => p.unit ?? 0),
    level: Int32Array.from(list, (p) => p.level ?? 0),
    tenureMonths: Float64Array.from(list, (p) => p.tenureMonths ?? 0),
    hoursPerMonth: Float64Array.from(list, (p) => p.hoursPerMonth ?? NaN),
    utcOffset: Float64Array.from(list, (p) => p.utcOffset ?? NaN),
    languages: csr(list.map((p) => p.languages)),
    managerChain: csr(list.map((p) => p.managerChain)),
  };
}

/** Mentees are persons 0..n-1 and mentors 1000..1000+m-1 unless `person` says otherwise. */
export function makeView(spec: ViewSpec): ScoringView {
  const S = spec.priorities.length;
  const flat = (rows: number[][]) => Float64Array.from(rows.flatMap((r) => r.slice(0, S)));
  const nUnits =
    Math.max(
      0,
      ...spec.mentees.map((p) => p.unit ?? 0),
      ...spec.mentors.map((p) => p.unit ?? 0),
      (spec.byUnit?.length ?? 1) - 1,
    ) + 1;
  const byUnit = new Float64Array(nUnits * S);
  for (let u = 0; u < nUnits; u++) byUnit.set(spec.byUnit?.[u] ?? spec.priorities, u * S);
  const tiers: TierRule[] = (spec.tiers ?? [{}]).map((t, code) => ({
    code,
    id: `t${code}`,
    levelGapMin: t.levelGapMin ?? -Infinity,
    levelGapMax: t.levelGapMax ?? Infinity,
    trainingRequired: Int32Array.from(t.trainingRequired ?? []),
    minMentorTenureMonths: t.minMentorTenureMonths ?? 0,
    minHoursPerMonth: t.minHoursPerMonth ?? 0,
  }));
  const forbidden = [...(spec.forbidden ?? [])]
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([mentee, mentor]) => ({ mentee, mentor }));
  return {
    nSkills: S,
    scaleMin: 0,
    scaleMax: 5,
    mentees: {
      ...persons(spec.mentees, 0),
      current: flat(spec.mentees.map((x) => x.current)),
      target: flat(spec.mentees.map((x) => x.target)),
      tiersWanted: csr(spec.mentees.map((x) => x.tiersWanted)),
      aspirations: csr(spec.mentees.map((x) => x.aspirations)),
      preferredMentors: csr(spec.mentees.map((x) => x.preferred)),
      excludedMentors: csr(spec.mentees.map((x) => x.excluded)),
      pastMentors: csr(spec.mentees.map((x) => x.past)),
      highPotential: new Uint8Array(spec.mentees.length),
      roundsUnmatched: Int32Array.from(spec.mentees, (x) => x.roundsUnmatched ?? 0),
      minMentors: new Int32Array(spec.mentees.length),
      maxMentors: Int32Array.from(spec.mentees, (x) => x.maxMentors ?? 1),
      consentAnalytics: new Uint8Array(spec.mentees.length),
    },
    mentors: {
      ...persons(spec.mentors, 1000),
      expertise: flat(spec.mentors.map((x) => x.expertise)),
      tier: Int32Array.from(spec.mentors, (x) => x.tier ?? 0),
      capacity: Int32Array.from(spec.mentors, (x) => x.capacity ?? 1),
      minLoad: new Int32Array(spec.mentors.length),
      training: csr(spec.mentors.map((x) => x.training)),
      careerPaths: csr(spec.mentors.map((x) => x.careerPaths)),
      excludedMentees: csr(spec.mentors.map((x) => x.excludedMentees)),
    },
    priorities: { byUnit, global: Float64Array.from(spec.priorities) },
    tiers,
    scoring: { form: spec.form ?? "absolute", weights: { ...ZERO_WEIGHTS, ...spec.weights } },
    rules: {
      allowRepeatPairs: false,
      allowSameReportingLine: false,
      requireSharedLanguage: false,
      ...spec.rules,
    },
    minFit: spec.minFit ?? 0,
    forbidden,
    locked: [],
  };
}
