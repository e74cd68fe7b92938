/**
 * The same cohort under two strategy weightings: as configured (A), and with the priority of
 * one or more skills multiplied (B). Which pairs move, who is newly matched or left out, and how
 * much of each skill's strategy-weighted gap the pairs cover under each.
 *
 *   npx tsx examples/strategy-weightings.ts                              # examples/data, leadership ×2
 *   npx tsx examples/strategy-weightings.ts --dir examples/out/hr --boost data=2 --boost leadership=1.5
 *
 * Options: --dir DIR (a folder with mentees.csv, mentors.csv, config.json; default
 * examples/data), --boost SKILL=FACTOR (repeatable; default leadership=2). A boost multiplies
 * every priority of the skill: the global one and each business unit's override. Both weightings
 * are matched with the public API (`parseCohort` on the raw input, then `match`, in the mode the
 * program asks for); the raw input is never modified, B's is a new object. The output has no
 * timings, so the same cohort and boosts always print the same text.
 *
 * Fits are in each weighting's own units (priority × proficiency points), so B's total is not
 * comparable to A's; "B's pairs scored with A's weights" is. The share of a skill's weighted gap
 * covered is Σ over mentees of priority × the most any of their mentors covers of the gap, over
 * Σ over mentees of priority × gap (the per-skill form of the fairness audit's `gapCovered`).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  explainPair,
  formatIssues,
  InputError,
  match,
  parseCohort,
  summarizeMatch,
  type Cohort,
  type CohortInput,
  type MatchPair,
  type MatchResult,
  type SkillCoverage,
} from "../src/index.js";
import { cohortFilesIn, readCohortInputFromFiles } from "../src/node/index.js";

export interface Boost {
  readonly skill: string;
  readonly factor: number;
}

/** `skill=factor`, factor a positive number. */
export function parseBoost(text: string): Boost {
  const m = /^(.+)=(\d+(?:\.\d+)?|\.\d+)$/.exec(text.trim());
  const factor = m === null ? NaN : Number(m[2]);
  if (m === null || !(factor > 0))
    throw new RangeError(
      `--boost expects SKILL=FACTOR with a factor above 0, e.g. data=2; got "${text}"`,
    );
  return { skill: m[1].trim(), factor };
}

/** A new input whose strategy multiplies each boosted skill's priorities (global and per unit)
 * by its factor. `input` is not modified; nothing of B shares a mutable object with it. */
export function boostStrategy(input: CohortInput, boosts: readonly Boost[]): CohortInput {
  const skills = new Set(input.skills.map((s) => s.id));
  for (const b of boosts) {
    if (!skills.has(b.skill))
      throw new RangeError(
        `--boost ${b.skill}: no such skill in the cohort (skills: ${[...skills].join(", ")})`,
      );
    const rows = [input.strategy.priorities, ...Object.values(input.strategy.byUnit ?? {})];
    if (!rows.some((r) => (r[b.skill] ?? 0) > 0))
      throw new RangeError(
        `--boost ${b.skill}: its priority is 0 everywhere, so a factor changes nothing`,
      );
  }
  const scale = (row: Readonly<Record<string, number>>) => {
    const out: Record<string, number> = { ...row };
    for (const b of boosts) if (b.skill in out) out[b.skill] *= b.factor;
    return out;
  };
  const { byUnit, needs } = input.strategy;
  return {
    ...input,
    strategy: {
      ...input.strategy,
      priorities: scale(input.strategy.priorities),
      ...(byUnit === undefined
        ? {}
        : { byUnit: Object.fromEntries(Object.entries(byUnit).map(([u, r]) => [u, scale(r)])) }),
      ...(needs === undefined ? {} : { needs: [...needs] }),
    },
  };
}

export interface Assignment {
  readonly mentor: string;
  readonly score: number;
}
export interface PairChange {
  readonly mentee: string;
  readonly before: readonly Assignment[];
  readonly after: readonly Assignment[];
}
export interface PairChanges {
  /** Matched under both, to a different set of mentors. */
  readonly moved: readonly PairChange[];
  /** Matched under B only (`before` empty). */
  readonly newlyMatched: readonly PairChange[];
  /** Matched under A only (`after` empty). */
  readonly newlyUnmatched: readonly PairChange[];
}

function byMentee(pairs: readonly MatchPair[]): Map<string, Assignment[]> {
  const out = new Map<string, Assignment[]>();
  for (const p of pairs) {
    let list = out.get(p.mentee);
    if (list === undefined) out.set(p.mentee, (list = []));
    list.push({ mentor: p.mentor, score: p.score });
  }
  for (const list of out.values()) list.sort((a, b) => (a.mentor < b.mentor ? -1 : 1));
  return out;
}

/** How B's pairs differ from A's, mentee by mentee (sorted by mentee id). A mentee with several
 * mentors has moved when the set of mentors differs. */
export function comparePairs(a: readonly MatchPair[], b: readonly MatchPair[]): PairChanges {
  const before = byMentee(a);
  const after = byMentee(b);
  const mentees = [...new Set([...before.keys(), ...after.keys()])].sort();
  const moved: PairChange[] = [];
  const newlyMatched: PairChange[] = [];
  const newlyUnmatched: PairChange[] = [];
  for (const mentee of mentees) {
    const x = before.get(mentee) ?? [];
    const y = after.get(mentee) ?? [];
    const change = { mentee, before: x, after: y };
    if (x.length === 0) newlyMatched.push(change);
    else if (y.length === 0) newlyUnmatched.push(change);
    else if (x.map((p) => p.mentor).join("\n") !== y.map((p) => p.mentor).join("\n"))
      moved.push(change);
  }
  return { moved, newlyMatched, newlyUnmatched };
}

export interface Weighting {
  readonly name: string;
  /** The global priorities of this weighting's strategy. */
  readonly priorities: Readonly<Record<string, number>>;
  readonly cohort: Cohort;
  readonly result: MatchResult;
  readonly pairs: readonly MatchPair[];
  readonly matched: number;
  readonly coverage: readonly SkillCoverage[];
}

export interface Comparison {
  readonly a: Weighting;
  readonly b: Weighting;
  readonly changes: PairChanges;
  /** B's pairs re-scored with A's weights (their would-be fit when A's rules rule them out). */
  readonly bUnderA: number;
  /** B's pairs that A's rules would not allow (e.g. below A's fit floor). */
  readonly bIneligibleUnderA: number;
  /** Moved mentees whose B mentors are allowed under A and fit them exactly as well there as
   * their A mentors: ties that the two solves broke differently, not a change of strategy. */
  readonly tiesUnderA: ReadonlySet<string>;
}

/** Every skill's share of the weighted gap covered (`summarizeMatch`), in the cohort's skill
 * order; a skill without a gap shows 0 of 0. */
function coverageOf(cohort: Cohort, result: MatchResult): SkillCoverage[] {
  const bySkill = new Map(summarizeMatch(cohort, result).skills.map((k) => [k.skill, k]));
  return cohort.index.skillIds.map(
    (skill) => bySkill.get(skill) ?? { skill, weightedGap: 0, covered: 0, share: null },
  );
}

function weighting(name: string, input: CohortInput): Weighting {
  const cohort = parseCohort(input);
  const result = match(cohort);
  const pairs = result.status === "infeasible" ? [] : result.pairs;
  return {
    name,
    priorities: input.strategy.priorities,
    cohort,
    result,
    pairs,
    matched: new Set(pairs.map((p) => p.mentee)).size,
    coverage: coverageOf(cohort, result),
  };
}

export function describeBoosts(boosts: readonly Boost[]): string {
  return boosts.map((b) => `${b.skill} ×${b.factor}`).join(", ");
}

/** Matches `input` as configured (A) and with `boosts` applied (B), and compares. */
export function compareWeightings(input: CohortInput, boosts: readonly Boost[]): Comparison {
  const a = weighting("as configured", input);
  const b = weighting(describeBoosts(boosts), boostStrategy(input, boosts));
  let bUnderA = 0;
  let bIneligibleUnderA = 0;
  for (const p of b.pairs) {
    const why = explainPair(a.cohort, p.mentee, p.mentor);
    bUnderA += why.total;
    if (!why.eligible) bIneligibleUnderA++;
  }
  const changes = comparePairs(a.pairs, b.pairs);
  const tiesUnderA = new Set<string>();
  for (const m of changes.moved) {
    const was = m.before.reduce((t, x) => t + x.score, 0);
    const now = m.after.map((x) => explainPair(a.cohort, m.mentee, x.mentor));
    const fit = now.reduce((t, x) => t + x.total, 0);
    if (now.every((x) => x.eligible) && Math.abs(fit - was) <= 1e-9 * Math.max(1, was))
      tiesUnderA.add(m.mentee);
  }
  return { a, b, changes, bUnderA, bIneligibleUnderA, tiesUnderA };
}

const fmt = (x: number) => x.toFixed(2);
const pct = (x: number | null) => (x === null ? "—" : `${(100 * x).toFixed(1)}%`);
const list = (xs: readonly Assignment[]) =>
  xs.map((x) => `${x.mentor} (${fmt(x.score)})`).join(" + ");

/** The comparison as lines of text. */
export function formatComparison(c: Comparison, dir: string): string[] {
  const { a, b, changes } = c;
  const n = a.cohort.index.menteeIds.length;
  const out: string[] = [];
  const row = (label: string, x: string, y: string) =>
    out.push(`  ${label.padEnd(22)} ${x.padStart(16)} ${y.padStart(16)}`);
  out.push(`strategy weightings — ${dir}`);
  out.push(
    `cohort: ${n} mentees, ${a.cohort.index.mentorIds.length} mentors, ${a.cohort.index.skillIds.length} skills`,
  );
  out.push(`A: as configured`);
  out.push(`B: ${b.name} (each priority of the skill, global and per unit, times the factor)`);
  out.push("");
  row("", "A", "B");
  row("status", a.result.status, b.result.status);
  row("mentees matched", `${a.matched}/${n}`, `${b.matched}/${n}`);
  row("pairs", String(a.pairs.length), String(b.pairs.length));
  row(
    "total fit (own weights)",
    fmt(a.result.status === "infeasible" ? 0 : a.result.objective),
    fmt(b.result.status === "infeasible" ? 0 : b.result.objective),
  );
  row("total fit (A's weights)", fmt(a.pairs.reduce((s, p) => s + p.score, 0)), fmt(c.bUnderA));
  if (c.bIneligibleUnderA > 0)
    out.push(
      `  (${c.bIneligibleUnderA} of B's pairs would not be allowed under A, e.g. below A's fit floor)`,
    );
  for (const w of [a, b])
    if (w.result.status === "infeasible")
      out.push(`  ${w === a ? "A" : "B"} is infeasible: ${w.result.diagnosis.message}`);
  out.push("");
  out.push(
    `pairs that moved (${changes.moved.length}), mentee: A's mentor (fit under A) → B's (fit under B):`,
  );
  if (c.tiesUnderA.size > 0)
    out.push(
      `  (${c.tiesUnderA.size} marked "tie": B's mentor fits as well under A, a tie broken differently)`,
    );
  for (const m of changes.moved)
    out.push(
      `  ${m.mentee}: ${list(m.before)} → ${list(m.after)}${c.tiesUnderA.has(m.mentee) ? "  tie" : ""}`,
    );
  out.push(`newly matched under B (${changes.newlyMatched.length}):`);
  for (const m of changes.newlyMatched) out.push(`  ${m.mentee}: → ${list(m.after)}`);
  out.push(`newly unmatched under B (${changes.newlyUnmatched.length}):`);
  for (const m of changes.newlyUnmatched) out.push(`  ${m.mentee}: ${list(m.before)} →`);
  out.push("");
  out.push("share of each skill's strategy-weighted gap covered (priorities are the global ones):");
  const width = Math.max(5, ...a.coverage.map((s) => s.skill.length));
  out.push(
    `  ${"skill".padEnd(width)} ${"priority A".padStart(10)} ${"priority B".padStart(10)} ${"A".padStart(7)} ${"B".padStart(7)} ${"change".padStart(7)}`,
  );
  const pa = a.cohort.index.skillIds.map((s) => a.priorities[s] ?? 0);
  const pb = b.cohort.index.skillIds.map((s) => b.priorities[s] ?? 0);
  a.coverage.forEach((s, i) => {
    const t = b.coverage[i];
    const change =
      s.share === null || t.share === null
        ? ""
        : `${t.share > s.share ? "+" : t.share < s.share ? "−" : ""}${Math.abs(100 * (t.share - s.share)).toFixed(1)}`;
    out.push(
      `  ${s.skill.padEnd(width)} ${String(pa[i]).padStart(10)} ${String(pb[i]).padStart(10)} ${pct(s.share).padStart(7)} ${pct(t.share).padStart(7)} ${change.padStart(7)}`,
    );
  });
  return out;
}

/** A folder as the user would type it: relative to the working folder when inside it. */
function shown(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? path.resolve(dir) : rel;
}

async function main(): Promise<number> {
  const usage = "usage: strategy-weightings [--dir DIR] [--boost SKILL=FACTOR]...";
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dir: { type: "string", default: path.join(import.meta.dirname, "data") },
        boost: { type: "string", multiple: true },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const dir = values.dir;
  const read = await readCohortInputFromFiles(cohortFilesIn(dir));
  if (read.issues.length > 0) {
    console.error(
      `The cohort in ${dir} has ${read.issues.length} problem(s):\n${formatIssues(read.issues)}`,
    );
    return 2;
  }
  let boosts: Boost[];
  try {
    boosts = (values.boost ?? ["leadership=2"]).map(parseBoost);
    boostStrategy(read.input, boosts); // checks the skills before matching
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const c = compareWeightings(read.input, boosts);
  console.log(formatComparison(c, shown(dir)).join("\n"));
  return 0;
}

const invoked = process.argv[1] !== undefined && path.resolve(process.argv[1]);
if (invoked === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof InputError) console.error(formatIssues(error.issues));
      else console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
