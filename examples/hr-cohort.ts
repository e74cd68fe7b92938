/**
 * An HRIS export mapped to a mentorflow cohort: the public IBM HR Analytics sample (1,470
 * fictional employees) becomes mentees.csv, mentors.csv and config.json.
 *
 *   npx tsx examples/hr-cohort.ts                  # writes examples/out/hr
 *   npx tsx examples/hr-cohort.ts --out DIR        # another folder
 *   npx tsx examples/hr-cohort.ts --match          # also match it and print the result's headline
 *   npx tsx examples/hr-cohort.ts --data FILE      # another export with the same columns
 *
 * The export is read at run time from ../shared/testdata/hr (beside the repository folder) and is
 * never copied into the project. Every choice below is deterministic: the same file gives the
 * same three files, byte for byte. examples/README.md has the same choices as a table.
 *
 * Modelling choices
 * - Who takes part. Employees with Attrition = "Yes" have left: nobody who left is in the
 *   program. The rest (1,233) split by JobLevel:
 *   - mentees: JobLevel 1–2 with YearsAtCompany ≥ 1 (past their first year), except the peer
 *     mentors below;
 *   - peer mentors: JobLevel 3, and JobLevel 2 with PerformanceRating 4 ("outstanding", the top
 *     rating in this file) and YearsAtCompany ≥ 2 — high performers mentoring their peers;
 *   - senior mentors: JobLevel 4–5.
 *   Nobody is both a mentee and a mentor. Ids are "emp" + EmployeeNumber (4 digits).
 * - Tiers. peer: mentor level − mentee level in 0..1. senior: level gap ≥ 2, the training
 *   "mentor-basics" and at least 24 months with the company (YearsAtCompany × 12).
 * - Training. The export has no training records, only TrainingTimesLastYear: a mentor with
 *   TrainingTimesLastYear ≥ 3 is taken to have completed "mentor-basics" (undated). Senior
 *   mentors with fewer sessions lack it and stay idle: the tier's rule rules them out.
 * - Capacity from JobLevel: level 2 → 1 mentee, 3 → 2, 4 → 3, 5 → 2 (executives have less time).
 * - Skills (11, scale 0–5): sales, client-relations, marketing, healthcare-domain, research,
 *   lab-operations, manufacturing, data, hr-practice, people-management, leadership.
 * - Proficiency (a mentee's current level, a mentor's expertise), in steps of 0.5, capped at 5:
 *   - depth = JobLevel, + 0.5 with YearsInCurrentRole ≥ 3, + 0.5 more with ≥ 7;
 *   - each JobRole (Manager by Department) weighs skills 1 (core) or 0.5 (secondary):
 *     skill = depth × weight, rounded down to 0.5 (ROLE_WEIGHTS below);
 *   - EducationField adds a fixed bonus (Technical Degree: data +1; Medical: healthcare-domain
 *     +1; Life Sciences: research and healthcare-domain +0.5; Marketing: marketing +1, sales
 *     +0.5; Human Resources: hr-practice +1; Other: nothing);
 *   - leadership = JobLevel − 1, + 0.5 with TotalWorkingYears ≥ 10, + 0.5 more with ≥ 20.
 * - Targets: the same formula for the next JobLevel's typical role, settled in it (level + 1,
 *   3 years in role): the role itself, except where this file shows the track moving on —
 *   Sales Representative → Sales Executive, Laboratory Technician at level 2 → Manufacturing
 *   Director, Research Scientist at level 2 → Research Director (NEXT_ROLE below). A target is
 *   never below the current level. Mentees aspire to that next role; mentors' career paths are
 *   their own role, so the aspiration term rewards a mentor who holds the role a mentee aims at.
 * - Strategy (a plausible priority for a pharma company growing data-driven research and its
 *   healthcare sales): data 3, leadership 2.5, research 2, healthcare-domain 2,
 *   people-management 2, sales 1.5, client-relations 1.5, lab-operations 1, manufacturing 1,
 *   marketing 1, hr-practice 0.5; the Sales unit weighs sales 3 and client-relations 2.5.
 * - Scoring: the gap term (absolute) plus aspiration 0.5; the export has no time zones,
 *   languages, preferences or reporting lines, so those terms and rules are unused.
 * - Sensitive groups (equity rules and reports only, never the score): gender (female / male)
 *   and age-band (18-29, 30-39, 40-49, 50+). Department is not copied into a group: in equity
 *   rules "department" already names the person field. MaritalStatus and the rest are left out:
 *   the program does not need them. The export has no consent record; as the data set is public
 *   and fictional every mentee is marked as consenting to analytics (a real export must bring
 *   the real answer).
 * - Equity rules: each gender gets at least 80% of its share of the senior tier's pairs
 *   (proportionalTierAccess, tolerance 0.2); no department's match rate more than 5 points
 *   below the overall rate (minMatchRate, maxBelowOverall 0.05); every pair fits at least 1
 *   (minFit), so no pair is made for the aspiration bonus alone. The program is coverage-first.
 * - highPotential = PerformanceRating 4 (a flag for reports; it does not enter the score).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "csv-parse/sync";
import type { CohortInput, MenteeInput, MentorInput } from "../src/index.js";
import { loadCohort, match, writeCohortFiles } from "../src/node/index.js";

/** Where the export is read from: ../shared beside the repository folder. */
export const HR_CSV = path.resolve(
  import.meta.dirname,
  "../../shared/testdata/hr/ibm_hr_employee_sample.csv",
);
export const DEFAULT_OUT = path.join(import.meta.dirname, "out", "hr");

/** The columns of the export this mapping reads. */
const COLUMNS = [
  "Age",
  "Attrition",
  "Department",
  "EducationField",
  "EmployeeNumber",
  "Gender",
  "JobLevel",
  "JobRole",
  "PerformanceRating",
  "TotalWorkingYears",
  "TrainingTimesLastYear",
  "YearsAtCompany",
  "YearsInCurrentRole",
] as const;

export interface Employee {
  readonly id: string;
  readonly age: number;
  readonly left: boolean;
  readonly department: string;
  readonly educationField: string;
  readonly gender: string;
  readonly jobLevel: number;
  readonly jobRole: string;
  readonly performanceRating: number;
  readonly totalWorkingYears: number;
  readonly trainingTimesLastYear: number;
  readonly yearsAtCompany: number;
  readonly yearsInCurrentRole: number;
}

export const SKILLS = [
  { id: "sales", label: "Selling", category: "commercial" },
  { id: "client-relations", label: "Client relations", category: "commercial" },
  { id: "marketing", label: "Marketing", category: "commercial" },
  { id: "healthcare-domain", label: "Healthcare domain knowledge", category: "domain" },
  { id: "research", label: "Research", category: "science" },
  { id: "lab-operations", label: "Laboratory operations", category: "science" },
  { id: "manufacturing", label: "Manufacturing", category: "operations" },
  { id: "data", label: "Data and analytics", category: "science" },
  { id: "hr-practice", label: "HR practice", category: "people" },
  { id: "people-management", label: "People management", category: "people" },
  { id: "leadership", label: "Leadership", category: "people" },
] as const;
type Skill = (typeof SKILLS)[number]["id"];
type Weights = Partial<Record<Skill, number>>;

/** Skills a role uses: 1 core, 0.5 secondary. Managers by department. */
const ROLE_WEIGHTS: Record<string, Weights> = {
  "Sales Representative": { sales: 1, "client-relations": 0.5 },
  "Sales Executive": { sales: 1, "client-relations": 1, marketing: 0.5 },
  "Healthcare Representative": { "healthcare-domain": 1, "client-relations": 1, sales: 0.5 },
  "Laboratory Technician": { "lab-operations": 1, research: 0.5, data: 0.5 },
  "Research Scientist": { research: 1, data: 1, "lab-operations": 0.5 },
  "Research Director": { research: 1, "people-management": 1, data: 0.5, "lab-operations": 0.5 },
  "Manufacturing Director": {
    manufacturing: 1,
    "people-management": 0.5,
    "lab-operations": 0.5,
  },
  "Human Resources": { "hr-practice": 1, "people-management": 0.5 },
  "Manager/Sales": { "people-management": 1, sales: 0.5, "client-relations": 0.5 },
  "Manager/Research & Development": {
    "people-management": 1,
    research: 0.5,
    manufacturing: 0.5,
  },
  "Manager/Human Resources": { "people-management": 1, "hr-practice": 1 },
};

/** What an education field adds to a skill, whatever the role. */
const EDUCATION_BONUS: Record<string, Weights> = {
  "Technical Degree": { data: 1 },
  Medical: { "healthcare-domain": 1 },
  "Life Sciences": { research: 0.5, "healthcare-domain": 0.5 },
  Marketing: { marketing: 1, sales: 0.5 },
  "Human Resources": { "hr-practice": 1 },
  Other: {},
};

/** The typical role one level up, where the track moves on (else the role itself). */
function nextRole(role: string, level: number): string {
  if (role === "Sales Representative") return "Sales Executive";
  if (role === "Laboratory Technician" && level >= 2) return "Manufacturing Director";
  if (role === "Research Scientist" && level >= 2) return "Research Director";
  return role;
}

const STRATEGY = {
  priorities: {
    data: 3,
    leadership: 2.5,
    research: 2,
    "healthcare-domain": 2,
    "people-management": 2,
    sales: 1.5,
    "client-relations": 1.5,
    "lab-operations": 1,
    manufacturing: 1,
    marketing: 1,
    "hr-practice": 0.5,
  } satisfies Record<Skill, number>,
  byUnit: { sales: { sales: 3, "client-relations": 2.5 } },
  needs: [
    "Data-driven research",
    "Leaders for the next level",
    "Healthcare sales that know the domain",
  ],
};

const CAPACITY_BY_LEVEL: Record<number, number> = { 2: 1, 3: 2, 4: 3, 5: 2 };
const MENTOR_TRAINING = "mentor-basics";

/** Department and role names as ids: "Research & Development" → "research-and-development". */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function ageBand(age: number): string {
  return age < 30 ? "18-29" : age < 40 ? "30-39" : age < 50 ? "40-49" : "50+";
}

const halfDown = (x: number) => Math.min(5, Math.floor(x * 2) / 2);

/** Proficiency per skill for someone in `role` at `level` (see the comment at the top). */
export function proficiency(
  e: Pick<Employee, "department" | "educationField" | "totalWorkingYears">,
  role: string,
  level: number,
  yearsInRole: number,
): Record<string, number> {
  const depth = Math.min(5, level + (yearsInRole >= 3 ? 0.5 : 0) + (yearsInRole >= 7 ? 0.5 : 0));
  const weights = ROLE_WEIGHTS[role === "Manager" ? `Manager/${e.department}` : role];
  if (weights === undefined) throw new Error(`No skill profile for the role "${role}"`);
  const bonus = EDUCATION_BONUS[e.educationField] ?? {};
  const out: Record<string, number> = {};
  for (const { id } of SKILLS) {
    const v =
      id === "leadership"
        ? level - 1 + (e.totalWorkingYears >= 10 ? 0.5 : 0) + (e.totalWorkingYears >= 20 ? 0.5 : 0)
        : halfDown(depth * (weights[id] ?? 0)) + (bonus[id] ?? 0);
    const p = halfDown(v);
    if (p > 0) out[id] = p;
  }
  return out;
}

/** Reads the export; a clear error when it is absent. */
export function readEmployees(file = HR_CSV): Employee[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : String(error);
    throw new Error(
      `Cannot read the HR export ${file}: ${why}. It is read at run time from ` +
        "../shared/testdata/hr beside the repository folder (never copied into the project); " +
        "--data FILE reads another copy.",
    );
  }
  const rows = parse(bytes, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  if (rows.length === 0) throw new Error(`The HR export ${file} has no rows`);
  const missing = COLUMNS.filter((c) => !(c in rows[0]));
  if (missing.length > 0)
    throw new Error(`The HR export ${file} lacks the column(s) ${missing.join(", ")}`);
  return rows.map((r, k) => {
    const num = (c: (typeof COLUMNS)[number]) => {
      const v = Number(r[c]);
      if (r[c] === "" || !Number.isFinite(v))
        throw new Error(`${file} row ${k + 2}, column ${c}: expected a number, got "${r[c]}"`);
      return v;
    };
    return {
      id: `emp${String(num("EmployeeNumber")).padStart(4, "0")}`,
      age: num("Age"),
      left: r.Attrition === "Yes",
      department: r.Department,
      educationField: r.EducationField,
      gender: r.Gender.toLowerCase(),
      jobLevel: num("JobLevel"),
      jobRole: r.JobRole,
      performanceRating: num("PerformanceRating"),
      totalWorkingYears: num("TotalWorkingYears"),
      trainingTimesLastYear: num("TrainingTimesLastYear"),
      yearsAtCompany: num("YearsAtCompany"),
      yearsInCurrentRole: num("YearsInCurrentRole"),
    };
  });
}

export type Role = "mentee" | "peer" | "senior" | null;

/** Who is what in the program (null: not in it). */
export function programRole(e: Employee): Role {
  if (e.left) return null;
  if (e.jobLevel >= 4) return "senior";
  if (e.jobLevel === 3) return "peer";
  if (e.jobLevel === 2 && e.performanceRating >= 4 && e.yearsAtCompany >= 2) return "peer";
  if (e.yearsAtCompany >= 1) return "mentee";
  return null;
}

const person = (e: Employee) => ({
  id: e.id,
  department: slug(e.department),
  level: e.jobLevel,
  tenureMonths: e.yearsAtCompany * 12,
  sensitive: { gender: e.gender, "age-band": ageBand(e.age) },
});

/** The cohort for the export's employees (pure: the same rows give the same cohort). */
export function hrCohortInput(employees: readonly Employee[]): CohortInput {
  const sorted = [...employees].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const mentees: MenteeInput[] = [];
  const mentors: MentorInput[] = [];
  for (const e of sorted) {
    const role = programRole(e);
    if (role === null) continue;
    const current = proficiency(e, e.jobRole, e.jobLevel, e.yearsInCurrentRole);
    if (role === "mentee") {
      const next = nextRole(e.jobRole, e.jobLevel);
      const ahead = proficiency(e, next, e.jobLevel + 1, 3);
      const targets: Record<string, number> = {};
      for (const { id } of SKILLS) {
        const t = Math.max(ahead[id] ?? 0, current[id] ?? 0);
        if (t > (current[id] ?? 0)) targets[id] = t;
      }
      mentees.push({
        ...person(e),
        current,
        targets,
        aspirations: [slug(next)],
        highPotential: e.performanceRating >= 4,
        consent: { analytics: true },
      });
    } else {
      mentors.push({
        ...person(e),
        expertise: current,
        tier: role,
        capacity: CAPACITY_BY_LEVEL[e.jobLevel],
        careerPaths: [slug(e.jobRole)],
        training: e.trainingTimesLastYear >= 3 ? [{ id: MENTOR_TRAINING }] : [],
      });
    }
  }
  return {
    skills: SKILLS.map((s) => ({ ...s })),
    strategy: {
      priorities: { ...STRATEGY.priorities },
      byUnit: { sales: { ...STRATEGY.byUnit.sales } },
      needs: [...STRATEGY.needs],
    },
    mentees,
    mentors,
    program: {
      id: "ibm-hr-sample",
      name: "Mentoring program on the IBM HR Analytics sample",
      scale: { min: 0, max: 5 },
      tiers: [
        { id: "peer", label: "Peer mentoring", levelGap: { min: 0, max: 1 } },
        {
          id: "senior",
          label: "Senior mentoring",
          levelGap: { min: 2 },
          trainingRequired: [MENTOR_TRAINING],
          minMentorTenureMonths: 24,
        },
      ],
      scoring: { form: "absolute", weights: { gap: 1, aspiration: 0.5 } },
      equity: [
        { kind: "proportionalTierAccess", attribute: "gender", tier: "senior", tolerance: 0.2 },
        { kind: "minMatchRate", attribute: "department", maxBelowOverall: 0.05 },
        { kind: "minFit", min: 1 },
      ],
      coverageFirst: true,
      minGroupSize: 5,
    },
  };
}

/** Counts for the summary: mentees by level, mentors by tier, and the senior mentors the
 * tier's training or tenure rule leaves out. */
export function summarize(input: CohortInput) {
  const menteesByLevel: Record<number, number> = {};
  for (const m of input.mentees) menteesByLevel[m.level] = (menteesByLevel[m.level] ?? 0) + 1;
  const tiers: Record<string, { mentors: number; seats: number }> = {};
  let seniorUntrained = 0;
  let seniorShortTenure = 0;
  for (const m of input.mentors) {
    const t = (tiers[m.tier] ??= { mentors: 0, seats: 0 });
    t.mentors++;
    t.seats += m.capacity;
    if (m.tier !== "senior") continue;
    if (!(m.training ?? []).some((x) => x.id === MENTOR_TRAINING)) seniorUntrained++;
    else if (m.tenureMonths < 24) seniorShortTenure++;
  }
  return {
    mentees: input.mentees.length,
    menteesByLevel,
    mentors: input.mentors.length,
    tiers,
    seniorUntrained,
    seniorShortTenure,
  };
}

/** A folder as the user would type it: relative to the working folder when inside it. */
function shown(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(dir) : rel;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: "string", default: DEFAULT_OUT },
        data: { type: "string", default: HR_CSV },
        match: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(
      `${(error as Error).message}\nusage: hr-cohort [--out DIR] [--data FILE] [--match]`,
    );
    return 2;
  }
  const employees = readEmployees(values.data);
  const input = hrCohortInput(employees);
  const files = await writeCohortFiles(input, values.out);
  const { cohort, warnings } = await loadCohort(files);
  for (const w of warnings) console.error(`warning: ${w.message}`);

  const s = summarize(input);
  const out = shown(values.out);
  const left = employees.filter((e) => e.left).length;
  console.log(`HR export: ${employees.length} employees (${left} who left are not in the program)`);
  console.log(
    `mentees: ${s.mentees} (${Object.entries(s.menteesByLevel)
      .map(([l, n]) => `level ${l}: ${n}`)
      .join(", ")})`,
  );
  for (const [tier, t] of Object.entries(s.tiers))
    console.log(`${tier} mentors: ${t.mentors} (${t.seats} seats)`);
  console.log(
    `senior mentors without ${MENTOR_TRAINING}: ${s.seniorUntrained}; trained but under 24 months: ${s.seniorShortTenure}`,
  );
  console.log(`wrote ${out}/mentees.csv, mentors.csv, config.json (validated)`);

  if (values.match) {
    const t0 = performance.now();
    const result = match(cohort);
    const ms = performance.now() - t0;
    if (result.status === "infeasible") {
      console.log(`match: infeasible — ${result.diagnosis.message}`);
      return 3;
    }
    const matched = new Set(result.pairs.map((p) => p.mentee)).size;
    const idle = result.mentors.filter((m) => m.load === 0);
    const seniors = new Set(input.mentors.filter((m) => m.tier === "senior").map((m) => m.id));
    const untrained = new Set(
      input.mentors
        .filter((m) => !(m.training ?? []).some((x) => x.id === MENTOR_TRAINING))
        .map((m) => m.id),
    );
    console.log(
      `match: ${result.status}, ${matched}/${s.mentees} mentees matched (${((100 * matched) / s.mentees).toFixed(1)}%), ` +
        `total fit ${result.objective.toFixed(2)} (${(ms / 1000).toFixed(1)} s)`,
    );
    console.log(
      `idle mentors: ${idle.length}, of them ${idle.filter((m) => seniors.has(m.mentor) && untrained.has(m.mentor)).length} senior mentors without ${MENTOR_TRAINING}`,
    );
    for (const r of result.equity) console.log(`  ${r.message}`);
  }
  return 0;
}

const invoked = process.argv[1] !== undefined && path.resolve(process.argv[1]);
if (invoked === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
