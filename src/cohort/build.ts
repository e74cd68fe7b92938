/**
 * Builds the indexed `Cohort` from validated data: ids → dense indices, skills → row-major
 * `Float64Array`s, lists → sorted CSR, sensitive attributes → their own table.
 *
 * Indices never depend on input order: mentees and mentors are indexed in id order and every code
 * table is sorted (JS string order, i.e. by UTF-16 code units), so permuting the input yields
 * identical tables. Every id lookup goes through a `Map`, so ids such as `__proto__` or
 * `constructor` are plain keys.
 */
import type { CohortData, EquityRule, Mentee, Mentor, Program, Tier } from "../schema/input.js";
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

/** Sorted by `compareIds`: the default sort compares strings by UTF-16 code units too, and
 * faster than with a comparator. */
function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The distinct strings `each` adds for the items of `list`, sorted (`sortedUnique`). */
function collect<T>(
  list: readonly T[],
  each: (item: T, add: (s: string) => void) => void,
): string[] {
  const out = new Set<string>();
  const add = (s: string) => {
    out.add(s);
  };
  for (const x of list) each(x, add);
  return [...out].sort();
}

/** The union of sorted lists of distinct strings, sorted, and where each item of each list is
 * in it (`at[l][k]`: the position of `lists[l][k]`). */
function mergeSorted(lists: readonly (readonly string[])[]): { union: string[]; at: Int32Array[] } {
  const union: string[] = [];
  const at = lists.map((l) => new Int32Array(l.length));
  const next = lists.map(() => 0);
  for (;;) {
    let least: string | undefined;
    for (let l = 0; l < lists.length; l++)
      if (next[l] < lists[l].length && (least === undefined || lists[l][next[l]] < least))
        least = lists[l][next[l]];
    if (least === undefined) return { union, at };
    for (let l = 0; l < lists.length; l++)
      if (next[l] < lists[l].length && lists[l][next[l]] === least) at[l][next[l]++] = union.length;
    union.push(least);
  }
}

/** Ids sorted, id → index, and `order[i]`, the input position of the i-th id (ids are unique:
 * validated). */
function idOrder(people: readonly { readonly id: string }[]) {
  const ids = people.map((p) => p.id).sort();
  const byId = codes(ids);
  const order = new Array<number>(people.length);
  for (let at = 0; at < people.length; at++) order[code(byId, people[at].id)] = at;
  return { ids, byId, order };
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
    // Sort the row in place (rows are mostly short: by insertion), then compact duplicates.
    if (end - start > 16) items.subarray(start, end).sort();
    else
      for (let k = start + 1; k < end; k++) {
        const x = items[k];
        let j = k - 1;
        for (; j >= start && items[j] > x; j--) items[j + 1] = items[j];
        items[j + 1] = x;
      }
    let w = start;
    for (let k = start; k < end; k++)
      if (k === start || items[k] !== items[k - 1]) items[w++] = items[k];
    end = w;
    offsets[r + 1] = end;
  }
  return { offsets, items: end === total ? items : items.slice(0, end) };
}

/** `csr` of the list field `key` of each person (a person without it has an empty row). */
function listColumn<K extends string>(
  people: readonly Partial<Readonly<Record<K, readonly string[]>>>[],
  key: K,
  map: ReadonlyMap<string, number>,
): CsrLists {
  return csr(
    people.map((p) => p[key]),
    map,
  );
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
  /** Person codes of the people named in a manager chain. */
  readonly managers: Map<string, number>;
  readonly departments: Map<string, number>;
  readonly units: Map<string, number>;
  readonly languages: Map<string, number>;
}

/** `persons[r]` is the person code of `people[r]`. */
function personColumns(people: readonly Person[], persons: Int32Array, t: Tables): PersonColumns {
  const n = people.length;
  const department = new Int32Array(n);
  const unit = new Int32Array(n);
  const level = new Int32Array(n);
  const tenureMonths = new Float64Array(n);
  const hoursPerMonth = new Float64Array(n);
  const utcOffset = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const p = people[r];
    department[r] = code(t.departments, p.department);
    unit[r] = code(t.units, p.unit ?? p.department);
    level[r] = p.level;
    tenureMonths[r] = p.tenureMonths;
    hoursPerMonth[r] = p.hoursPerMonth ?? NaN;
    utcOffset[r] = p.utcOffset ?? NaN;
  }
  return {
    count: n,
    person: persons,
    department,
    unit,
    level,
    tenureMonths,
    hoursPerMonth,
    utcOffset,
    languages: listColumn(people, "languages", t.languages),
    managerChain: listColumn(people, "managerChain", t.managers),
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

/** Proficiencies stated per person, in CSR form over input positions: the person at `at` states
 * `value[k]` for skill column `skill[k]` (in `skillColumns` order), k in
 * `[offsets[at], offsets[at + 1])`. */
export interface LevelLists {
  readonly offsets: Int32Array;
  readonly skill: Int32Array;
  readonly value: Float64Array;
}

/** Sensitive labels stated per person, in the same form: `attribute[k]` = `label[k]`. */
export interface LabelLists {
  readonly offsets: Int32Array;
  readonly attribute: readonly string[];
  readonly label: readonly string[];
}

/**
 * The record-typed fields of people (`current`, `targets`, `expertise`, `sensitive`) in compact
 * form, by input position. `peopleTables` makes them from record entries; `read-fast.ts` writes
 * them while reading.
 */
export interface PeopleTables {
  readonly current: LevelLists;
  readonly targets: LevelLists;
  readonly expertise: LevelLists;
  readonly menteeSensitive: LabelLists;
  readonly mentorSensitive: LabelLists;
}

/** The skill columns of every proficiency table: the declared skill ids, sorted, once each. */
export function skillColumns(skills: readonly { readonly id: string }[]): string[] {
  return sortedUnique(skills.map((s) => s.id));
}

/** `LevelLists` of the levels field `key` of each record. */
function levelLists<K extends string>(
  records: readonly Partial<Readonly<Record<K, Entries<number>>>>[],
  key: K,
  skills: ReadonlyMap<string, number>,
): LevelLists {
  const offsets = new Int32Array(records.length + 1);
  let total = 0;
  for (const rec of records) total += rec[key]?.length ?? 0;
  const skill = new Int32Array(total);
  const value = new Float64Array(total);
  let k = 0;
  for (let r = 0; r < records.length; r++) {
    for (const [id, v] of records[r][key] ?? []) {
      skill[k] = code(skills, id);
      value[k++] = v;
    }
    offsets[r + 1] = k;
  }
  return { offsets, skill, value };
}

function labelLists(rows: readonly (Entries<string> | undefined)[]): LabelLists {
  const offsets = new Int32Array(rows.length + 1);
  const attribute: string[] = [];
  const label: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    for (const [a, l] of rows[r] ?? []) {
      attribute.push(a);
      label.push(l);
    }
    offsets[r + 1] = attribute.length;
  }
  return { offsets, attribute, label };
}

/** `PeopleTables` from the records' entries (records in input order). */
function peopleTables(records: CohortRecords, skills: ReadonlyMap<string, number>): PeopleTables {
  const mentees = records.mentees ?? [];
  const mentors = records.mentors ?? [];
  return {
    current: levelLists(mentees, "current", skills),
    targets: levelLists(mentees, "targets", skills),
    expertise: levelLists(mentors, "expertise", skills),
    menteeSensitive: labelLists(mentees.map((r) => r.sensitive)),
    mentorSensitive: labelLists(mentors.map((r) => r.sensitive)),
  };
}

/** Writes the levels stated by the person at `at` into row `row` of a row-major `rows × S`. */
function putLevels(
  out: Float64Array,
  row: number,
  nSkills: number,
  lists: LevelLists,
  at: number,
): void {
  const base = row * nSkills;
  for (let k = lists.offsets[at], end = lists.offsets[at + 1]; k < end; k++)
    out[base + lists.skill[k]] = lists.value[k];
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
  mentees: LabelLists,
  menteeOrder: readonly number[],
  mentors: LabelLists,
  mentorOrder: readonly number[],
): SensitiveTable {
  // attribute → every label stated on either side
  const labels = new Map<string, Set<string>>();
  for (const side of [mentees, mentors])
    for (let k = 0; k < side.attribute.length; k++) {
      let s = labels.get(side.attribute[k]);
      if (s === undefined) labels.set(side.attribute[k], (s = new Set()));
      s.add(side.label[k]);
    }
  const attributes = [...labels.keys()].sort(compareIds);
  const attributeCodes = codes(attributes);
  // One sorted group list per attribute, shared by both sides, so codes compare across sides.
  const groups = attributes.map((attr) => [...labels.get(attr)!].sort(compareIds));
  const groupCodes = groups.map(codes);
  // One pass over each side's labels (not one per attribute): linear in the labels.
  const side = (lists: LabelLists, order: readonly number[]) => {
    const columns = attributes.map(() => new Int32Array(order.length).fill(-1));
    for (let r = 0; r < order.length; r++)
      for (let k = lists.offsets[order[r]], end = lists.offsets[order[r] + 1]; k < end; k++) {
        const a = code(attributeCodes, lists.attribute[k]);
        columns[a][r] = code(groupCodes[a], lists.label[k]);
      }
    return columns.map((c, a) => ({ groups: groups[a], code: c }));
  };
  return { attributes, mentees: side(mentees, menteeOrder), mentors: side(mentors, mentorOrder) };
}

/** The fit floor the scorer keeps: the largest \`min\` of the \`minFit\` rules, 0 when none. */
export function minFitOf(equity: readonly EquityRule[]): number {
  return equity.reduce((t, r) => (r.kind === "minFit" && r.min > t ? r.min : t), 0);
}

/**
 * The same cohort under other equity rules (the fairness audit re-solves without a rule to price
 * it): everything is shared but the rules and the scorer's fit floor. Frozen like a parsed cohort.
 * The rules must be valid for the cohort (e.g. a subset of its own).
 */
export function withEquityRules(cohort: Cohort, equity: readonly EquityRule[]): Cohort {
  const list = Object.freeze([...equity]);
  return Object.freeze({
    ...cohort,
    view: Object.freeze({ ...cohort.view, minFit: minFitOf(list) }),
    program: Object.freeze({ ...cohort.program, equity: list as EquityRule[] }),
    equity: list,
  });
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
  const { ids: menteeIds, byId: menteeById, order: menteeOrder } = idOrder(data.mentees);
  const { ids: mentorIds, byId: mentorById, order: mentorOrder } = idOrder(data.mentors);
  const mentees: BuildMentee[] = menteeOrder.map((at) => data.mentees[at]);
  const mentors: BuildMentor[] = mentorOrder.map((at) => data.mentors[at]);
  const everyone: readonly Person[] = [...mentees, ...mentors];

  const skillIds = skillColumns(data.skills);
  const tierList: Tier[] = [...program.tiers].sort((a, b) => compareIds(a.id, b.id));
  const tierIds = tierList.map((t) => t.id);
  // Every person: the (sorted) ids of both lists and everyone in a manager chain.
  const managerIds = collect(everyone, (p, add) => p.managerChain?.forEach(add));
  const {
    union: persons,
    at: [menteePersons, mentorPersons, managerPersons],
  } = mergeSorted([menteeIds, mentorIds, managerIds]);
  const departments = collect(everyone, (p, add) => add(p.department));
  const units = collect(everyone, (p, add) => add(p.unit ?? p.department));
  const languages = collect(everyone, (p, add) => p.languages?.forEach(add));
  const trainings = sortedUnique([
    ...collect(mentors, (m, add) => m.training?.forEach((t) => add(t.id))),
    ...tierList.flatMap((t) => t.trainingRequired ?? []),
  ]);
  const careerPaths = sortedUnique([
    ...collect(mentees, (m, add) => m.aspirations?.forEach(add)),
    ...collect(mentors, (m, add) => m.careerPaths?.forEach(add)),
  ]);

  const skillById = codes(skillIds);
  const tierById = codes(tierIds);
  const trainingCodes = codes(trainings);
  const careerCodes = codes(careerPaths);
  const tables: Tables = {
    managers: new Map(managerIds.map((id, k) => [id, managerPersons[k]])),
    departments: codes(departments),
    units: codes(units),
    languages: codes(languages),
  };

  const S = skillIds.length;
  const n = mentees.length;
  const m = mentors.length;
  const stated = people ?? peopleTables(records, skillById);

  // Mentee table.
  const current = new Float64Array(n * S).fill(scaleMin);
  const target = new Float64Array(n * S);
  const highPotential = new Uint8Array(n);
  const roundsUnmatched = new Int32Array(n);
  const minMentors = new Int32Array(n);
  const maxMentors = new Int32Array(n);
  const consentAnalytics = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    putLevels(current, i, S, stated.current, menteeOrder[i]);
    // A skill without a target has no gap: its target is its current level.
    for (let k = i * S, end = k + S; k < end; k++) target[k] = current[k];
    putLevels(target, i, S, stated.targets, menteeOrder[i]);
    const me = mentees[i];
    highPotential[i] = me.highPotential ? 1 : 0;
    roundsUnmatched[i] = me.roundsUnmatched ?? 0;
    minMentors[i] = me.minMentors ?? 0;
    maxMentors[i] = me.maxMentors ?? 1;
    consentAnalytics[i] = me.consent?.analytics ? 1 : 0;
  }
  const menteeTable: MenteeTable = {
    ...personColumns(mentees, menteePersons, tables),
    current,
    target,
    tiersWanted: listColumn(mentees, "tiers", tierById),
    aspirations: listColumn(mentees, "aspirations", careerCodes),
    preferredMentors: listColumn(mentees, "preferredMentors", mentorById),
    excludedMentors: listColumn(mentees, "excludedMentors", mentorById),
    pastMentors: listColumn(mentees, "pastMentors", mentorById),
    highPotential,
    roundsUnmatched,
    minMentors,
    maxMentors,
    consentAnalytics,
  };

  // Mentor table.
  const expertise = new Float64Array(m * S).fill(scaleMin);
  const tier = new Int32Array(m);
  const capacity = new Int32Array(m);
  const minLoad = new Int32Array(m);
  const validTraining: string[][] = [];
  for (let j = 0; j < m; j++) {
    const mr = mentors[j];
    putLevels(expertise, j, S, stated.expertise, mentorOrder[j]);
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
    ...personColumns(mentors, mentorPersons, tables),
    expertise,
    tier,
    capacity,
    minLoad,
    training: csr(validTraining, trainingCodes),
    careerPaths: listColumn(mentors, "careerPaths", careerCodes),
    excludedMentees: listColumn(mentors, "excludedMentees", menteeById),
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
    minFit: minFitOf(program.equity),
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
