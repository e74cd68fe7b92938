/**
 * Cross-record checks: the rules zod cannot see because they relate one record to another
 * (duplicate ids, references to unknown ids, locked pairs …) or to program settings (the
 * proficiency scale, `asOf`).
 *
 * They run on whatever parsed: a record that failed its schema still contributes the fields that
 * did parse, so one bad field never hides the issues elsewhere, and never causes false ones (a
 * reference to a record whose `level` is bad is not an "unknown id").
 *
 * Every issue has a stable `code` (see docs/MODEL.md) and the path of the value to fix.
 */
import { showCell } from "./show.js";
import { pathIssue, type Issue } from "./errors.js";
import {
  INPUT_LIMITS,
  type EquityRule,
  type Mentee,
  type Mentor,
  type Program,
  type Tier,
} from "./input.js";

/** Key → value pairs of a record-typed field (`current`, `priorities`, `sensitive` …). Unlike the
 * zod output object, this keeps a key named `__proto__`. */
export type Entries<V> = readonly (readonly [string, V])[];

/** One element of an input list, as far as it parsed. */
export interface ParsedRecord<T> {
  /** Position in its input list (the `3` of `mentors[3]`). */
  readonly at: number;
  /** Fields that parsed, with defaults applied. A field in `bad` is absent here. */
  readonly data: Partial<T>;
  /** Fields that failed their schema (their issues are already reported). */
  readonly bad: ReadonlySet<string>;
}

/** A person's record-typed fields as entries are undefined when absent or bad, and in the records
 * of the fast path (`src/cohort/read-fast.ts`), which checks their rules (a declared skill, on
 * the scale, a target not below the current level) while reading them into tables. */
interface PersonExtras {
  /** `sensitive` as entries (undefined when absent or bad). */
  readonly sensitive?: Entries<string>;
  /** Attribute names stated in `sensitive`, even when a label in it is bad. */
  readonly attributeNames: readonly string[];
}

export interface MenteeRecord extends ParsedRecord<Mentee>, PersonExtras {
  readonly current?: Entries<number>;
  readonly targets?: Entries<number>;
}

export interface MentorRecord extends ParsedRecord<Mentor>, PersonExtras {
  readonly expertise?: Entries<number>;
}

export interface PairRecord {
  readonly at: number;
  readonly mentee?: string;
  readonly mentor?: string;
}

export interface StrategyRecord {
  /** Undefined when `strategy.priorities` failed. */
  readonly priorities?: Entries<number>;
  /** Unit → its priorities; undefined when absent or bad. */
  readonly byUnit?: readonly (readonly [string, Entries<number>])[];
}

export interface ProgramRecord {
  /** Program fields that parsed (defaults applied); list fields are below. */
  readonly data: Partial<Omit<Program, "tiers" | "equity" | "lockedPairs" | "forbiddenPairs">>;
  readonly bad: ReadonlySet<string>;
  /** Undefined when `program.tiers` is not a list. */
  readonly tiers?: readonly ParsedRecord<Tier>[];
  readonly equity?: readonly { readonly at: number; readonly rule: EquityRule }[];
  readonly lockedPairs?: readonly PairRecord[];
  readonly forbiddenPairs?: readonly PairRecord[];
}

/**
 * The input split into records. A list left undefined could not be read at all (not an array),
 * and the checks that need it are skipped.
 */
export interface CohortRecords {
  readonly skills?: readonly ParsedRecord<{ id: string }>[];
  readonly strategy?: StrategyRecord;
  readonly mentees?: readonly MenteeRecord[];
  readonly mentors?: readonly MentorRecord[];
  readonly program?: ProgramRecord;
}

type Path = (string | number)[];

/** An id as messages quote it: cut, never raw formula text (show.ts). */
const q = showCell;

/** Reports the second and later uses of an id; returns id → first position. `list` is the path
 * of the list, e.g. `["program", "tiers"]`. */
function checkDuplicates(
  records: readonly { readonly at: number; readonly data: { readonly id?: string } }[],
  list: Path,
  what: string,
  issues: Issue[],
): Map<string, number> {
  const first = new Map<string, number>();
  const listName = list.join(".");
  for (const r of records) {
    const id = r.data.id;
    if (id === undefined) continue;
    const seen = first.get(id);
    if (seen === undefined) first.set(id, r.at);
    else
      issues.push(
        pathIssue(
          "duplicate_id",
          [...list, r.at, "id"],
          `Duplicate id: ${what} id ${q(id)} is already used by ${listName}[${seen}]; ids must be unique`,
        ),
      );
  }
  return first;
}

/** A set of known ids, or undefined when the list could not be read (skip the checks). */
function idSet(
  records: readonly { readonly data: { readonly id?: string } }[] | undefined,
): Set<string> | undefined {
  if (records === undefined) return undefined;
  const s = new Set<string>();
  for (const r of records) if (r.data.id !== undefined) s.add(r.data.id);
  return s;
}

/** Known ids: a set, or the id → position map of `checkDuplicates`. */
type IdLookup = ReadonlySet<string> | ReadonlyMap<string, number>;

const SPACE = /\s/;
const SPACES = /\s+/g;

/** An id with case and white space taken out: `" M 005"` and `"m005"` are near. */
export function nearKey(id: string): string {
  return (SPACE.test(id) ? id.replace(SPACES, "") : id).toLowerCase();
}

/** Each known-id collection's near keys (its first id for each), made on the first unknown id. */
const nearIds = new WeakMap<IdLookup, Map<string, string>>();

/** The known id that `id` equals but for case and white space (a likely typo), if any. */
export function nearId(id: string, known: IdLookup): string | undefined {
  let byKey = nearIds.get(known);
  if (byKey === undefined) {
    byKey = new Map();
    for (const k of known.keys()) {
      const key = nearKey(k);
      if (!byKey.has(key)) byKey.set(key, k);
    }
    nearIds.set(known, byKey);
  }
  const near = byKey.get(nearKey(id));
  return near === id ? undefined : near;
}

/** Reports an unknown id. */
type UnknownReport = (id: string, path: Path, near: string | undefined) => Issue;

/** Paths are made only for issues: `base` is the record's, `field` the list's in it. */
function checkRefs(
  ids: readonly string[] | undefined,
  known: IdLookup | undefined,
  base: Path,
  field: string,
  issues: Issue[],
  report: UnknownReport,
): void {
  if (ids === undefined || known === undefined) return;
  for (let k = 0; k < ids.length; k++)
    if (!known.has(ids[k])) issues.push(report(ids[k], [...base, field, k], nearId(ids[k], known)));
}

/** An unknown-id issue: `says(id)` says what is unknown, `fix` what to do; with a near id (the
 * same but for case and spaces) the message asks "did you mean …?" instead, and the issue's
 * `expected` is that id. */
function unknownId(
  code: "unknown_skill" | "unknown_tier" | "unknown_mentor" | "unknown_mentee",
  says: (shown: string) => string,
  fix: string,
): UnknownReport {
  return (id, path, near) =>
    near === undefined
      ? pathIssue(code, path, `${says(q(id))}; ${fix}`, { received: id })
      : pathIssue(
          code,
          path,
          `${says(q(id))}; did you mean ${q(near)}? Ids must match exactly, case and spaces included`,
          { received: id, expected: near },
        );
}

const unknownSkill = unknownId(
  "unknown_skill",
  (id) => `Unknown skill: ${id} is not declared in skills`,
  "declare it or fix the id",
);
const unknownTier = unknownId(
  "unknown_tier",
  (id) => `Unknown tier: ${id} is not declared in program.tiers`,
  "declare it or fix the id",
);
const unknownMentor = unknownId(
  "unknown_mentor",
  (id) => `Unknown mentor: no mentor has id ${id}`,
  "add the mentor or fix the id",
);
const unknownMentee = unknownId(
  "unknown_mentee",
  (id) => `Unknown mentee: no mentee has id ${id}`,
  "add the mentee or fix the id",
);

function checkSkillEntries(
  entries: Entries<number> | undefined,
  skills: ReadonlySet<string> | undefined,
  base: Path,
  field: string,
  issues: Issue[],
): void {
  if (entries === undefined || skills === undefined) return;
  for (const [k] of entries)
    if (!skills.has(k)) issues.push(unknownSkill(k, [...base, field, k], nearId(k, skills)));
}

function checkScale(
  entries: Entries<number> | undefined,
  scale: { min: number; max: number } | undefined,
  base: Path,
  field: string,
  issues: Issue[],
): void {
  if (entries === undefined || scale === undefined) return;
  for (const [k, v] of entries) {
    if (v < scale.min || v > scale.max)
      issues.push(
        pathIssue(
          "off_scale",
          [...base, field, k],
          `Off scale: expected ${field}.${k} to be within program.scale [${scale.min}, ${scale.max}], received ${v}`,
          { minimum: scale.min, maximum: scale.max, received: v },
        ),
      );
  }
}

/** The labels mentees state for an attribute (a sensitive one, or `department` / `unit`, a unit
 * defaulting to the department). */
function menteeGroupLabels(mentees: readonly MenteeRecord[], attribute: string): Set<string> {
  const labels = new Set<string>();
  for (const r of mentees) {
    const d = r.data;
    const label =
      attribute === "department"
        ? d.department
        : attribute === "unit"
          ? (d.unit ?? d.department)
          : d.sensitive?.[attribute];
    if (label !== undefined) labels.add(label);
  }
  return labels;
}

/** Every sensitive attribute name the records state. */
function attributeNames(lists: readonly (readonly PersonExtras[])[]): Set<string> {
  const names = new Set<string>();
  let last: readonly string[] | undefined;
  for (const list of lists)
    for (const r of list) {
      // Consecutive people often share one list of names (read-fast.ts): add it once.
      if (r.attributeNames === last) continue;
      last = r.attributeNames;
      for (const a of last) names.add(a);
    }
  return names;
}

/** (mentees + mentors) × (skills + sensitive attributes) must fit `INPUT_LIMITS.tableCells`: the
 * indexed tables hold one cell per person and skill (proficiencies) and per person and attribute
 * (group codes). Reported at the root (no one list is at fault), only when the skill list itself
 * is within its limit. */
function checkTableSize(records: CohortRecords, issues: Issue[]): void {
  const skills = records.skills?.length;
  if (skills === undefined || skills > INPUT_LIMITS.skills) return;
  const mentees = records.mentees ?? [];
  const mentors = records.mentors ?? [];
  const attributes = attributeNames([mentees, mentors]);
  const people = mentees.length + mentors.length;
  const columns = skills + attributes.size;
  const cells = people * columns;
  if (cells > INPUT_LIMITS.tableCells) {
    const what = attributes.size === 0 ? `${skills}` : `(${skills} + ${attributes.size})`;
    issues.push(
      pathIssue(
        "too_big",
        [],
        `Too big: expected (mentees + mentors) × (skills + sensitive attributes) to be <= ${INPUT_LIMITS.tableCells}, received ${people} × ${what} = ${cells}; declare fewer skills or split the cohort`,
      ),
    );
  }
}

/**
 * Runs every cross-record check on the parsed records and returns the issues (empty = valid).
 * Does not repeat schema issues: a field in a record's `bad` set is simply skipped.
 */
export function validateCohortRecords(records: CohortRecords): Issue[] {
  const issues: Issue[] = [];
  const program = records.program;
  const mentees = records.mentees ?? [];
  const mentors = records.mentors ?? [];

  // Duplicate ids.
  if (records.skills) checkDuplicates(records.skills, ["skills"], "skill", issues);
  if (program?.tiers) checkDuplicates(program.tiers, ["program", "tiers"], "tier", issues);
  const menteeAt = checkDuplicates(mentees, ["mentees"], "mentee", issues);
  const mentorAt = checkDuplicates(mentors, ["mentors"], "mentor", issues);

  checkTableSize(records, issues);

  const skillIds = idSet(records.skills);
  const tierIds = idSet(program?.tiers);
  const menteeIds = records.mentees === undefined ? undefined : menteeAt;
  const mentorIds = records.mentors === undefined ? undefined : mentorAt;
  const scale = program && !program.bad.has("scale") ? program.data.scale : undefined;

  // Strategy: priorities name declared skills.
  const strategy = records.strategy;
  if (strategy) {
    checkSkillEntries(strategy.priorities, skillIds, ["strategy"], "priorities", issues);
    for (const [unit, row] of strategy.byUnit ?? [])
      checkSkillEntries(row, skillIds, ["strategy", "byUnit"], unit, issues);
  }

  for (const r of mentees) {
    const d = r.data;
    const base: Path = ["mentees", r.at];
    checkSkillEntries(r.current, skillIds, base, "current", issues);
    checkSkillEntries(r.targets, skillIds, base, "targets", issues);
    checkScale(r.current, scale, base, "current", issues);
    checkScale(r.targets, scale, base, "targets", issues);
    if (r.current !== undefined && r.targets !== undefined) {
      const current = new Map(r.current);
      const floor = scale?.min;
      for (const [k, t] of r.targets) {
        // A skill missing from `current` is at the bottom of the scale.
        const c = current.get(k) ?? floor;
        // A target below the scale is already reported as off scale.
        if (c !== undefined && t < c && (floor === undefined || t >= floor))
          issues.push(
            pathIssue(
              "target_below_current",
              [...base, "targets", k],
              `Target below current: expected targets.${k} to be >= the current proficiency ${c}, received ${t}`,
              { minimum: c, received: t },
            ),
          );
      }
    }
    checkRefs(d.tiers, tierIds, base, "tiers", issues, unknownTier);
    checkRefs(d.preferredMentors, mentorIds, base, "preferredMentors", issues, unknownMentor);
    checkRefs(d.excludedMentors, mentorIds, base, "excludedMentors", issues, unknownMentor);
    checkRefs(d.pastMentors, mentorIds, base, "pastMentors", issues, unknownMentor);
    if (!r.bad.has("minMentors") && !r.bad.has("maxMentors")) {
      const min = d.minMentors ?? 0;
      const max = d.maxMentors ?? 1;
      if (min > max)
        issues.push(
          pathIssue(
            "min_mentors_above_max",
            [...base, "minMentors"],
            `Min above max: expected minMentors to be <= maxMentors ${max}${d.maxMentors === undefined ? " (the default)" : ""}, received ${min}`,
            { maximum: max, received: min },
          ),
        );
    }
  }

  for (const r of mentors) {
    const d = r.data;
    const base: Path = ["mentors", r.at];
    checkSkillEntries(r.expertise, skillIds, base, "expertise", issues);
    checkScale(r.expertise, scale, base, "expertise", issues);
    if (d.tier !== undefined && tierIds !== undefined && !tierIds.has(d.tier))
      issues.push(unknownTier(d.tier, [...base, "tier"], nearId(d.tier, tierIds)));
    checkRefs(d.excludedMentees, menteeIds, base, "excludedMentees", issues, unknownMentee);
    if (d.capacity !== undefined && d.minLoad !== undefined && d.minLoad > d.capacity)
      issues.push(
        pathIssue(
          "min_load_above_capacity",
          [...base, "minLoad"],
          `Min load above capacity: expected minLoad to be <= capacity ${d.capacity}, received ${d.minLoad}`,
          { maximum: d.capacity, received: d.minLoad },
        ),
      );
  }

  if (program) {
    checkProgram(program, { tierIds, menteeIds, mentorIds, mentees, mentors }, issues);
  }
  return issues;
}

interface Known {
  readonly tierIds: ReadonlySet<string> | undefined;
  readonly menteeIds: IdLookup | undefined;
  readonly mentorIds: IdLookup | undefined;
  readonly mentees: readonly MenteeRecord[];
  readonly mentors: readonly MentorRecord[];
}

function pairKey(mentee: string, mentor: string): string {
  // JSON of a 2-array is unambiguous for any pair of strings.
  return JSON.stringify([mentee, mentor]);
}

/** Each mentee's `maxMentors` and each mentor's `capacity` by id (the first record with the id
 * where the field parsed; defaults otherwise). */
function lockLimits(known: Known) {
  const menteeMax = new Map<string, number>();
  for (const r of known.mentees)
    if (r.data.id !== undefined && !r.bad.has("maxMentors") && !menteeMax.has(r.data.id))
      menteeMax.set(r.data.id, r.data.maxMentors ?? 1);
  const mentorCap = new Map<string, number>();
  for (const r of known.mentors)
    if (r.data.id !== undefined && r.data.capacity !== undefined && !mentorCap.has(r.data.id))
      mentorCap.set(r.data.id, r.data.capacity);
  return { menteeMax, mentorCap };
}

function checkProgram(program: ProgramRecord, known: Known, issues: Issue[]): void {
  const asOfKnown = !program.bad.has("asOf");
  for (const t of program.tiers ?? []) {
    if (t.data.trainingValidMonths !== undefined && asOfKnown && program.data.asOf === undefined)
      issues.push(
        pathIssue(
          "missing_as_of",
          ["program", "tiers", t.at, "trainingValidMonths"],
          "Missing value: trainingValidMonths needs program.asOf, the date training age is measured from; set program.asOf",
        ),
      );
  }

  // Attributes someone states (mentees: every equity rule groups mentees).
  const menteeAttributes = attributeNames([known.mentees]);
  for (const { at, rule } of program.equity ?? []) {
    const base: Path = ["program", "equity", at];
    const tier =
      rule.kind === "proportionalTierAccess" || rule.kind === "reserve" ? rule.tier : undefined;
    if (tier !== undefined && known.tierIds && !known.tierIds.has(tier))
      issues.push(unknownTier(tier, [...base, "tier"], nearId(tier, known.tierIds)));
    if (rule.kind === "minFit") continue;
    const a = rule.attribute;
    if (rule.kind === "reserve" && !menteeGroupLabels(known.mentees, a).has(rule.group))
      issues.push(
        pathIssue(
          "unknown_group",
          [...base, "group"],
          `Unknown group: no mentee states ${q(rule.group)} as ${a === "department" || a === "unit" ? `their ${a}` : `sensitive attribute ${q(a)}`}; fix the label or the attribute`,
        ),
      );
    const personField = a === "department" || a === "unit";
    const personOk =
      rule.kind === "maxPerMentorPerGroup" ||
      rule.kind === "reserve" ||
      rule.kind === "minMatchRate";
    if (personOk && personField) continue;
    if (!menteeAttributes.has(a))
      issues.push(
        pathIssue(
          "unknown_attribute",
          [...base, "attribute"],
          `Unknown attribute: no mentee states sensitive attribute ${q(a)}; add it to the mentees' sensitive fields or fix the name`,
        ),
      );
  }

  const checkPairIds = (p: PairRecord, list: string): boolean => {
    let ok = p.mentee !== undefined && p.mentor !== undefined;
    if (p.mentee !== undefined && known.menteeIds && !known.menteeIds.has(p.mentee)) {
      issues.push(
        unknownMentee(
          p.mentee,
          ["program", list, p.at, "mentee"],
          nearId(p.mentee, known.menteeIds),
        ),
      );
      ok = false;
    }
    if (p.mentor !== undefined && known.mentorIds && !known.mentorIds.has(p.mentor)) {
      issues.push(
        unknownMentor(
          p.mentor,
          ["program", list, p.at, "mentor"],
          nearId(p.mentor, known.mentorIds),
        ),
      );
      ok = false;
    }
    return ok;
  };

  const forbiddenAt = new Map<string, number>();
  for (const p of program.forbiddenPairs ?? []) {
    if (checkPairIds(p, "forbiddenPairs")) {
      const key = pairKey(p.mentee!, p.mentor!);
      if (!forbiddenAt.has(key)) forbiddenAt.set(key, p.at);
    }
  }

  // Limits for the locked-pair counts, made when the first locked pair needs them.
  let limits: ReturnType<typeof lockLimits> | undefined;
  const lockedAt = new Map<string, number>();
  const menteeLocks = new Map<string, number>();
  const mentorLocks = new Map<string, number>();
  for (const p of program.lockedPairs ?? []) {
    if (!checkPairIds(p, "lockedPairs")) continue;
    const mentee = p.mentee!;
    const mentor = p.mentor!;
    const path: Path = ["program", "lockedPairs", p.at];
    const key = pairKey(mentee, mentor);
    const seen = lockedAt.get(key);
    if (seen !== undefined) {
      issues.push(
        pathIssue(
          "duplicate_pair",
          path,
          `Duplicate pair: mentee ${q(mentee)} and mentor ${q(mentor)} are already locked at program.lockedPairs[${seen}]; remove this one`,
        ),
      );
      continue;
    }
    lockedAt.set(key, p.at);
    if (mentee === mentor)
      issues.push(
        pathIssue(
          "self_pair",
          path,
          `Self pair: ${q(mentee)} is both the mentee and the mentor (one person); lock a different pair`,
        ),
      );
    const f = forbiddenAt.get(key);
    if (f !== undefined)
      issues.push(
        pathIssue(
          "locked_and_forbidden",
          path,
          `Conflicting pair: mentee ${q(mentee)} and mentor ${q(mentor)} are locked here and forbidden at program.forbiddenPairs[${f}]; remove one of them`,
        ),
      );
    limits ??= lockLimits(known);
    countLock("mentee", mentee, menteeLocks, limits.menteeMax, "maxMentors", path, issues);
    countLock("mentor", mentor, mentorLocks, limits.mentorCap, "capacity", path, issues);
  }
}

/** Counts one more locked pair of the mentee or mentor `id` in `locks`; past its limit (from
 * the field `limitField`), a `too_many_locked` issue at `path`. */
function countLock(
  side: "mentee" | "mentor",
  id: string,
  locks: Map<string, number>,
  limits: ReadonlyMap<string, number>,
  limitField: "maxMentors" | "capacity",
  path: Path,
  issues: Issue[],
): void {
  const n = (locks.get(id) ?? 0) + 1;
  locks.set(id, n);
  const max = limits.get(id);
  if (max !== undefined && n > max)
    issues.push(
      pathIssue(
        "too_many_locked",
        path,
        `Too many locked pairs: ${side} ${q(id)} has ${n} locked pairs but ${limitField} is ${max}; raise ${limitField} or unlock a pair`,
        { maximum: max, received: n },
      ),
    );
}
