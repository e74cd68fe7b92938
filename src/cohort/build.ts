/**
 * Builds the indexed `Cohort` from validated data: ids → dense indices, skills → row-major
 * `Float64Array`s, lists → sorted CSR, sensitive attributes → their own table.
 *
 * Indices never depend on input order: mentees and mentors are indexed in id order and every code
 * table is sorted (JS string order, i.e. by UTF-16 code units), so permuting the input yields
 * identical tables. Every id lookup goes through a `Map`, so ids such as `__proto__` or
 * `constructor` are plain keys.
 */
import type { CohortData, Mentee, Mentor, Program, Tier } from "../schema/input.js";
import type { CohortRecords, Entries } from "../schema/validate.js";
import type {
  Cohort,
  CohortIndex,
  CsrLists,
  IndexPair,
  MenteeTable,
  MentorTable,
  PersonColumns,
  PriorityTable,
  ScoringView,
  SensitiveTable,
  TierRule,
} from "./types.js";

/** JS string order (UTF-16 code units), independent of locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareIds);
}

function codes(table: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (let k = 0; k < table.length; k++) m.set(table[k], k);
  return m;
}

/** Looks up a code that validation guarantees exists. */
function code(map: ReadonlyMap<string, number>, id: string): number {
  const c = map.get(id);
  if (c === undefined)
    throw new Error(`mentorflow internal error: id ${JSON.stringify(id)} was not indexed`);
  return c;
}

/** CSR lists from one id list per row, mapped through `map`; each row sorted and deduplicated. */
function csr(
  rows: readonly (readonly string[] | undefined)[],
  map: ReadonlyMap<string, number>,
): CsrLists {
  const offsets = new Int32Array(rows.length + 1);
  let total = 0;
  for (const row of rows) total += row?.length ?? 0;
  const items = new Int32Array(total);
  let end = 0;
  for (let r = 0; r < rows.length; r++) {
    const start = end;
    const row = rows[r];
    if (row !== undefined) for (const id of row) items[end++] = code(map, id);
    // Sort the row in place, then compact duplicates.
    items.subarray(start, end).sort();
    let w = start;
    for (let k = start; k < end; k++)
      if (k === start || items[k] !== items[k - 1]) items[w++] = items[k];
    end = w;
    offsets[r + 1] = end;
  }
  return { offsets, items: end === total ? items : items.slice(0, end) };
}

/** An ISO date `months` calendar months before `iso` (day clamped to the month's end); "" when
 * that is before year 0. */
export function monthsBefore(iso: string, months: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  const total = y * 12 + (m - 1) - months;
  if (total < 0) return "";
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  const leap = (ny % 4 === 0 && ny % 100 !== 0) || ny % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][nm - 1];
  const pad = (v: number, w: number) => String(v).padStart(w, "0");
  return `${pad(ny, 4)}-${pad(nm, 2)}-${pad(Math.min(d, dim), 2)}`;
}

/**
 * Whether a completed training counts as of `asOf` for a tier whose training expires after
 * `validMonths`: not completed after `asOf`, and (when it expires) completed on or after the date
 * `validMonths` months before `asOf`. An undated training never counts against an expiry, since
 * its age is unknown. ISO dates compare as strings.
 */
export function trainingCounts(
  completedOn: string | undefined,
  asOf: string | undefined,
  validMonths: number | undefined,
): boolean {
  if (completedOn !== undefined && asOf !== undefined && completedOn > asOf) return false;
  if (validMonths === undefined) return true;
  if (completedOn === undefined || asOf === undefined) return false;
  return completedOn >= monthsBefore(asOf, validMonths);
}

interface Person {
  readonly id: string;
  readonly department: string;
  readonly unit?: string;
  readonly level: number;
  readonly tenureMonths: number;
  readonly hoursPerMonth?: number;
  readonly utcOffset?: number;
  readonly languages?: readonly string[];
  readonly managerChain?: readonly string[];
}

interface Tables {
  readonly persons: Map<string, number>;
  readonly departments: Map<string, number>;
  readonly units: Map<string, number>;
  readonly languages: Map<string, number>;
}

function personColumns(people: readonly Person[], t: Tables): PersonColumns {
  const n = people.length;
  const person = new Int32Array(n);
  const department = new Int32Array(n);
  const unit = new Int32Array(n);
  const level = new Int32Array(n);
  const tenureMonths = new Float64Array(n);
  const hoursPerMonth = new Float64Array(n);
  const utcOffset = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const p = people[r];
    person[r] = code(t.persons, p.id);
    department[r] = code(t.departments, p.department);
    unit[r] = code(t.units, p.unit ?? p.department);
    level[r] = p.level;
    tenureMonths[r] = p.tenureMonths;
    hoursPerMonth[r] = p.hoursPerMonth ?? NaN;
    utcOffset[r] = p.utcOffset ?? NaN;
  }
  return {
    count: n,
    person,
    department,
    unit,
    level,
    tenureMonths,
    hoursPerMonth,
    utcOffset,
    languages: csr(
      people.map((p) => p.languages),
      t.languages,
    ),
    managerChain: csr(
      people.map((p) => p.managerChain),
      t.persons,
    ),
  };
}

/** Fills row-major `rows × S` from entries; unlisted cells keep their value. */
function fillSkills(
  out: Float64Array,
  row: number,
  nSkills: number,
  entries: Entries<number> | undefined,
  skills: ReadonlyMap<string, number>,
): void {
  if (entries === undefined) return;
  const base = row * nSkills;
  for (const [id, v] of entries) out[base + code(skills, id)] = v;
}

/** Sensitive labels by attribute: one column per attribute, a label (or undefined: not stated)
 * per person in input order. Only attributes someone states have a column. */
export type SensitiveColumns = ReadonlyMap<string, readonly (string | undefined)[]>;

/**
 * The record-typed fields of people as tables in input order: proficiencies row-major
 * (persons × skills, columns in `skillColumns` order, NaN where a skill is not stated) and
 * sensitive labels by attribute. `peopleTables` makes them from record entries; `read-fast.ts`
 * writes them while reading.
 */
export interface PeopleTables {
  readonly current: Float64Array;
  readonly targets: Float64Array;
  readonly expertise: Float64Array;
  readonly menteeSensitive: SensitiveColumns;
  readonly mentorSensitive: SensitiveColumns;
}

/** The skill columns of every proficiency table: the declared skill ids, sorted, once each. */
export function skillColumns(skills: readonly { readonly id: string }[]): string[] {
  return sortedUnique(skills.map((s) => s.id));
}

function sensitiveColumns(
  records: readonly { readonly sensitive?: Entries<string> }[],
): Map<string, (string | undefined)[]> {
  const columns = new Map<string, (string | undefined)[]>();
  for (let r = 0; r < records.length; r++)
    for (const [attr, label] of records[r].sensitive ?? []) {
      let c = columns.get(attr);
      if (c === undefined) columns.set(attr, (c = new Array<string | undefined>(records.length)));
      c[r] = label;
    }
  return columns;
}

/** `PeopleTables` from the records' entries (records in input order). */
function peopleTables(
  records: CohortRecords,
  skills: ReadonlyMap<string, number>,
  nSkills: number,
): PeopleTables {
  const mentees = records.mentees ?? [];
  const mentors = records.mentors ?? [];
  const current = new Float64Array(mentees.length * nSkills).fill(NaN);
  const targets = new Float64Array(mentees.length * nSkills).fill(NaN);
  const expertise = new Float64Array(mentors.length * nSkills).fill(NaN);
  for (let r = 0; r < mentees.length; r++) {
    fillSkills(current, r, nSkills, mentees[r].current, skills);
    fillSkills(targets, r, nSkills, mentees[r].targets, skills);
  }
  for (let r = 0; r < mentors.length; r++)
    fillSkills(expertise, r, nSkills, mentors[r].expertise, skills);
  return {
    current,
    targets,
    expertise,
    menteeSensitive: sensitiveColumns(mentees),
    mentorSensitive: sensitiveColumns(mentors),
  };
}

function indexPairs(
  pairs: readonly { mentee: string; mentor: string }[],
  mentees: ReadonlyMap<string, number>,
  mentors: ReadonlyMap<string, number>,
): IndexPair[] {
  const out = pairs.map((p) => ({
    mentee: code(mentees, p.mentee),
    mentor: code(mentors, p.mentor),
  }));
  out.sort((a, b) => a.mentee - b.mentee || a.mentor - b.mentor);
  return out.filter(
    (p, k) => k === 0 || p.mentee !== out[k - 1].mentee || p.mentor !== out[k - 1].mentor,
  );
}

function sensitiveTable(
  menteeColumns: SensitiveColumns,
  menteeOrder: readonly number[],
  mentorColumns: SensitiveColumns,
  mentorOrder: readonly number[],
): SensitiveTable {
  // attribute → every label stated on either side
  const labels = new Map<string, Set<string>>();
  for (const columns of [menteeColumns, mentorColumns])
    for (const [attr, column] of columns) {
      let s = labels.get(attr);
      if (s === undefined) labels.set(attr, (s = new Set()));
      for (const label of column) if (label !== undefined) s.add(label);
    }
  const attributes = [...labels.keys()].sort(compareIds);
  // One sorted group list per attribute, shared by both sides, so codes compare across sides.
  const groups = attributes.map((attr) => [...labels.get(attr)!].sort(compareIds));
  const side = (columns: SensitiveColumns, order: readonly number[]) =>
    attributes.map((attr, a) => {
      const code = new Int32Array(order.length).fill(-1);
      const column = columns.get(attr);
      if (column !== undefined) {
        const groupCodes = codes(groups[a]);
        for (let r = 0; r < order.length; r++) {
          const label = column[order[r]];
          if (label !== undefined) code[r] = groupCodes.get(label)!;
        }
      }
      return { groups: groups[a], code };
    });
  return {
    attributes,
    mentees: side(menteeColumns, menteeOrder),
    mentors: side(mentorColumns, mentorOrder),
  };
}

/** Freezes plain objects and arrays recursively. Typed arrays cannot be frozen and Maps stay
 * mutable under `Object.freeze`; both are exposed through read-only types instead. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (value instanceof Map) return value;
  for (const v of Object.values(value as object)) deepFreeze(v);
  return value;
}

/** A parsed mentee as `buildCohort` reads it: its record-typed fields come in `PeopleTables`. */
export type BuildMentee = Omit<Mentee, "current" | "targets" | "sensitive">;
/** A parsed mentor as `buildCohort` reads it. */
export type BuildMentor = Omit<Mentor, "expertise" | "sensitive">;

/** The parsed data `buildCohort` reads (`CohortData` is one). */
export interface BuildData {
  readonly skills: CohortData["skills"];
  readonly mentees: readonly BuildMentee[];
  readonly mentors: readonly BuildMentor[];
  readonly program: Program;
}

/**
 * Indexes validated data. The record-typed fields of people come from `people`, or, without it,
 * from the entries in `records` (they keep a `__proto__` key that the zod output lost);
 * `records` also supplies the strategy. Assumes `validateCohortRecords` found no issues.
 */
export function buildCohort(
  data: BuildData,
  records: CohortRecords,
  people?: PeopleTables,
): Cohort {
  // Defaults live in the parsed program; clone so the frozen result shares nothing with zod's
  // default objects.
  const program: Program = structuredClone(data.program);
  const scaleMin = program.scale.min;

  // Mentees and mentors in id order; `*Order[i]` is the input position of index i.
  const menteeOrder = data.mentees
    .map((_, at) => at)
    .sort((a, b) => compareIds(data.mentees[a].id, data.mentees[b].id));
  const mentorOrder = data.mentors
    .map((_, at) => at)
    .sort((a, b) => compareIds(data.mentors[a].id, data.mentors[b].id));
  const mentees: BuildMentee[] = menteeOrder.map((at) => data.mentees[at]);
  const mentors: BuildMentor[] = mentorOrder.map((at) => data.mentors[at]);
  const everyone: readonly Person[] = [...mentees, ...mentors];

  const menteeIds = mentees.map((m) => m.id);
  const mentorIds = mentors.map((m) => m.id);
  const skillIds = skillColumns(data.skills);
  const tierList: Tier[] = [...program.tiers].sort((a, b) => compareIds(a.id, b.id));
  const tierIds = tierList.map((t) => t.id);
  const persons = sortedUnique(everyone.flatMap((p) => [p.id, ...(p.managerChain ?? [])]));
  const departments = sortedUnique(everyone.map((p) => p.department));
  const units = sortedUnique(everyone.map((p) => p.unit ?? p.department));
  const languages = sortedUnique(everyone.flatMap((p) => p.languages ?? []));
  const trainings = sortedUnique([
    ...mentors.flatMap((m) => (m.training ?? []).map((t) => t.id)),
    ...tierList.flatMap((t) => t.trainingRequired ?? []),
  ]);
  const careerPaths = sortedUnique([
    ...mentees.flatMap((m) => m.aspirations ?? []),
    ...mentors.flatMap((m) => m.careerPaths ?? []),
  ]);

  const menteeById = codes(menteeIds);
  const mentorById = codes(mentorIds);
  const skillById = codes(skillIds);
  const tierById = codes(tierIds);
  const trainingCodes = codes(trainings);
  const careerCodes = codes(careerPaths);
  const tables: Tables = {
    persons: codes(persons),
    departments: codes(departments),
    units: codes(units),
    languages: codes(languages),
  };

  const S = skillIds.length;
  const n = mentees.length;
  const m = mentors.length;
  const stated = people ?? peopleTables(records, skillById, S);

  // Mentee table.
  const current = new Float64Array(n * S);
  const target = new Float64Array(n * S);
  const highPotential = new Uint8Array(n);
  const roundsUnmatched = new Int32Array(n);
  const minMentors = new Int32Array(n);
  const maxMentors = new Int32Array(n);
  const consentAnalytics = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const from = menteeOrder[i] * S;
    for (let k = 0; k < S; k++) {
      // A skill not listed is at the bottom of the scale; without a target it has no gap: its
      // target is its current level.
      const c = stated.current[from + k];
      const cur = c === c ? c : scaleMin;
      const t = stated.targets[from + k];
      current[i * S + k] = cur;
      target[i * S + k] = t === t ? t : cur;
    }
    const me = mentees[i];
    highPotential[i] = me.highPotential ? 1 : 0;
    roundsUnmatched[i] = me.roundsUnmatched ?? 0;
    minMentors[i] = me.minMentors ?? 0;
    maxMentors[i] = me.maxMentors ?? 1;
    consentAnalytics[i] = me.consent?.analytics ? 1 : 0;
  }
  const menteeTable: MenteeTable = {
    ...personColumns(mentees, tables),
    current,
    target,
    tiersWanted: csr(
      mentees.map((x) => x.tiers),
      tierById,
    ),
    aspirations: csr(
      mentees.map((x) => x.aspirations),
      careerCodes,
    ),
    preferredMentors: csr(
      mentees.map((x) => x.preferredMentors),
      mentorById,
    ),
    excludedMentors: csr(
      mentees.map((x) => x.excludedMentors),
      mentorById,
    ),
    pastMentors: csr(
      mentees.map((x) => x.pastMentors),
      mentorById,
    ),
    highPotential,
    roundsUnmatched,
    minMentors,
    maxMentors,
    consentAnalytics,
  };

  // Mentor table.
  const expertise = new Float64Array(m * S);
  const tier = new Int32Array(m);
  const capacity = new Int32Array(m);
  const minLoad = new Int32Array(m);
  const validTraining: string[][] = [];
  for (let j = 0; j < m; j++) {
    const mr = mentors[j];
    const from = mentorOrder[j] * S;
    for (let k = 0; k < S; k++) {
      const e = stated.expertise[from + k];
      expertise[j * S + k] = e === e ? e : scaleMin;
    }
    tier[j] = code(tierById, mr.tier);
    capacity[j] = mr.capacity;
    minLoad[j] = mr.minLoad ?? 0;
    const validMonths = tierList[tier[j]].trainingValidMonths;
    validTraining.push(
      (mr.training ?? [])
        .filter((t) => trainingCounts(t.completedOn, program.asOf, validMonths))
        .map((t) => t.id),
    );
  }
  const mentorTable: MentorTable = {
    ...personColumns(mentors, tables),
    expertise,
    tier,
    capacity,
    minLoad,
    training: csr(validTraining, trainingCodes),
    careerPaths: csr(
      mentors.map((x) => x.careerPaths),
      careerCodes,
    ),
    excludedMentees: csr(
      mentors.map((x) => x.excludedMentees),
      menteeById,
    ),
  };

  // Priorities: global row, then one row per unit (a unit's listed skills override the global).
  const global = new Float64Array(S);
  const strategy = records.strategy;
  for (const [id, w] of strategy?.priorities ?? []) global[code(skillById, id)] = w;
  const byUnit = new Float64Array(units.length * S);
  const unitRows = new Map(strategy?.byUnit ?? []);
  for (let u = 0; u < units.length; u++) {
    byUnit.set(global, u * S);
    fillSkills(byUnit, u, S, unitRows.get(units[u]), skillById);
  }
  const priorities: PriorityTable = { byUnit, global };

  const tiers: TierRule[] = tierList.map((t, c) => ({
    code: c,
    id: t.id,
    levelGapMin: t.levelGap?.min ?? -Infinity,
    levelGapMax: t.levelGap?.max ?? Infinity,
    trainingRequired: csr([t.trainingRequired], trainingCodes).items,
    minMentorTenureMonths: t.minMentorTenureMonths ?? 0,
    minHoursPerMonth: t.minHoursPerMonth ?? 0,
  }));

  const view: ScoringView = {
    nSkills: S,
    scaleMin,
    scaleMax: program.scale.max,
    mentees: menteeTable,
    mentors: mentorTable,
    priorities,
    tiers,
    scoring: program.scoring,
    rules: program.rules,
    forbidden: indexPairs(program.forbiddenPairs, menteeById, mentorById),
    locked: indexPairs(program.lockedPairs, menteeById, mentorById),
  };

  const sensitive = sensitiveTable(
    stated.menteeSensitive,
    menteeOrder,
    stated.mentorSensitive,
    mentorOrder,
  );

  const index: CohortIndex = {
    menteeIds,
    mentorIds,
    skillIds,
    tierIds,
    persons,
    departments,
    units,
    languages,
    trainings,
    careerPaths,
    menteeById,
    mentorById,
    skillById,
    tierById,
  };

  return deepFreeze({ view, sensitive, index, program, equity: program.equity });
}
