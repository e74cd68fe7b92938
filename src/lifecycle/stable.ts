/**
 * Stable mode (docs/LIFECYCLE.md): when mentees and mentors rank each other, a stable matching
 * with capacities by deferred acceptance (Gale & Shapley 1962; Roth 1984 for the many-to-one and
 * many-to-many cases), optimal for the side that proposes, and `blockingPairs`, a checker that
 * lists every blocking pair of any matching.
 *
 * Ties: a rank list's item is an id or a list of ids tied at that rank. The matching is computed
 * on the strict preferences that break every tie by id (JS string order, the smaller id first),
 * the same rule on both sides, so the result never depends on input order. A matching stable for
 * the tie-broken preferences is weakly stable for the preferences with ties (a pair that strictly
 * prefers each other with ties still does with ties broken), which is what `blockingPairs` checks.
 */
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { isPlainObject } from "../schema/plain.js";
import { nearId } from "../schema/validate.js";
import { got } from "../solve/args.js";

/** One place in a rank list: an id, or the ids tied at that rank (at least one). */
export type RankItem = string | readonly string[];

/** A rank list, best first. Ids it does not name are not acceptable. */
export type RankList = readonly RankItem[];

/**
 * Ranked preferences of both sides (docs/LIFECYCLE.md "Stable mode"). Mentees are the keys of
 * `menteeRanks`, mentors the keys of `mentorRanks`. A pair can be matched only when each ranks the
 * other (mutually acceptable); a one-sided ranking is ignored.
 */
export interface StableInput {
  /** Each mentee's mentors, best first; an item may be a list of tied mentors. */
  readonly menteeRanks: Readonly<Record<string, RankList>>;
  /** Each mentor's mentees, best first; an item may be a list of tied mentees. */
  readonly mentorRanks: Readonly<Record<string, RankList>>;
  /** Places per mentor (a whole number ≥ 0); a mentor left out has 1. */
  readonly capacities?: Readonly<Record<string, number>>;
  /** Mentors per mentee (a whole number ≥ 0); a mentee left out takes 1. */
  readonly menteeCapacities?: Readonly<Record<string, number>>;
}

/** The side a stable matching is best for: the side that proposes in deferred acceptance. */
export type StableSide = "mentees" | "mentors";

/** Options of `stableMatch`. */
export interface StableMatchOptions {
  /** The side the matching is optimal for: `"mentees"` (mentee-proposing deferred acceptance)
   * or `"mentors"`. Default `"mentees"`. */
  readonly side?: StableSide;
}

/** A matched pair with the ranks each gives the other (1 = first; tied ids share a rank). */
export interface StablePair {
  readonly mentee: string;
  readonly mentor: string;
  /** The rank the mentee gives the mentor (its place in `menteeRanks[mentee]`, from 1). */
  readonly menteeRank: number;
  /** The rank the mentor gives the mentee (its place in `mentorRanks[mentor]`, from 1). */
  readonly mentorRank: number;
}

/** A mentor's places and how many are taken. */
export interface StableMentorLoad {
  readonly mentor: string;
  readonly load: number;
  readonly capacity: number;
}

/** `stableMatch`'s answer: plain JSON, people by id. */
export interface StableMatchResult {
  /** The side the matching is optimal for. */
  readonly side: StableSide;
  /** Sorted by mentee id, then mentor id. */
  readonly pairs: readonly StablePair[];
  /** Mentees with no mentor (a mentee taking more than one mentor and holding at least one is
   * not listed), sorted by id. */
  readonly unmatched: readonly string[];
  /** Every mentor, sorted by id. */
  readonly mentors: readonly StableMentorLoad[];
  /** Mentees with at least one mentor. */
  readonly matchedMentees: number;
  /** All mentees (the keys of `menteeRanks`). */
  readonly mentees: number;
  /** Pairs that are mutually acceptable (each ranks the other). */
  readonly acceptablePairs: number;
  /** Proposals deferred acceptance made. */
  readonly proposals: number;
}

/** A pair of `blockingPairs`' matching argument (a `stableMatch` or `match` result fits). */
export interface StablePairInput {
  readonly mentee: string;
  readonly mentor: string;
}

/** Any matching: a list of pairs by id (`StableMatchResult` and `MatchResult` fit). */
export interface StableMatchingInput {
  /** The matched pairs, by id, in any order. */
  readonly pairs: readonly StablePairInput[];
}

/** A pair that blocks a matching: both would rather be together (weak stability with ties). */
export interface BlockingPair {
  readonly mentee: string;
  readonly mentor: string;
  /** The rank the mentee gives the mentor (from 1). */
  readonly menteeRank: number;
  /** The rank the mentor gives the mentee (from 1). */
  readonly mentorRank: number;
  /** The mentee has a free place (fewer mentors than it takes), so it needs no one dropped. */
  readonly menteeFree: boolean;
  /** The mentor has a free place, so it prefers any acceptable mentee to the empty place. */
  readonly mentorFree: boolean;
}

/** What else is wrong with a matching besides blocking pairs. */
export type StabilityProblemKind =
  | "unknown_mentee"
  | "unknown_mentor"
  | "duplicate_pair"
  | "unacceptable_pair"
  | "mentor_over_capacity"
  | "mentee_over_capacity";

/** One problem of a matching other than a blocking pair. */
export interface StabilityProblem {
  /** What is wrong (`StabilityProblemKind`). */
  readonly kind: StabilityProblemKind;
  /** The pair's place in `matching.pairs` (ids and pairs), when it is about one pair. */
  readonly pair?: number;
  readonly mentee?: string;
  readonly mentor?: string;
  /** Over capacity: the load. */
  readonly load?: number;
  /** Over capacity: the capacity. */
  readonly capacity?: number;
  /** One sentence for people, with the pair's place and the ids. */
  readonly message: string;
}

/** `blockingPairs`' answer. */
export interface StabilityReport {
  /** No blocking pair and no problem: the matching is weakly stable and valid. */
  readonly ok: boolean;
  /** Every blocking pair, sorted by mentee id, then mentor id. */
  readonly blockingPairs: readonly BlockingPair[];
  /** Unknown ids, repeated pairs, pairs not mutually acceptable, loads over capacity. */
  readonly problems: readonly StabilityProblem[];
}

/** The parsed preferences: people by index in sorted id order, lists of acceptable partners. */
export interface StablePrefs {
  readonly menteeIds: readonly string[];
  readonly mentorIds: readonly string[];
  readonly menteeById: ReadonlyMap<string, number>;
  readonly mentorById: ReadonlyMap<string, number>;
  readonly menteeCap: readonly number[];
  readonly mentorCap: readonly number[];
  /** Rank (from 1) each mentee gives each mentor it ranks (acceptable or not to the mentor). */
  readonly menteeRank: readonly ReadonlyMap<number, number>[];
  readonly mentorRank: readonly ReadonlyMap<number, number>[];
  /** Mutually acceptable partners in tie-broken order (rank, then id), best first. */
  readonly menteeList: readonly (readonly number[])[];
  readonly mentorList: readonly (readonly number[])[];
  readonly acceptablePairs: number;
}

type Path = (string | number)[];
const KEYS = new Set(["menteeRanks", "mentorRanks", "capacities", "menteeCapacities"]);
const q = (id: string): string => JSON.stringify(id.length > 60 ? `${id.slice(0, 60)}…` : id);

/** The keys of a plain object (own, enumerable), or an issue. */
function recordKeys(value: unknown, path: Path, what: string, issues: Issue[]): string[] | null {
  if (!isPlainObject(value)) {
    issues.push(
      pathIssue(
        "invalid_type",
        path,
        `Expected ${what} (an object keyed by id), got ${got(value)}`,
        {
          expected: "an object keyed by id",
          received: Array.isArray(value) ? "an array" : value === null ? null : typeof value,
        },
      ),
    );
    return null;
  }
  const keys = Object.keys(value);
  for (const k of keys)
    if (k.trim() === "")
      issues.push(pathIssue("invalid_format", [...path, k], "An id must not be empty or blank"));
  return keys;
}

/** Reads one side's rank lists: each list's groups of ids, checked against the other side. */
function readRanks(
  input: Record<string, unknown>,
  field: "menteeRanks" | "mentorRanks",
  own: readonly string[],
  other: ReadonlySet<string>,
  issues: Issue[],
): Map<string, string[][]> {
  const out = new Map<string, string[][]>();
  const otherWord = field === "menteeRanks" ? "mentor" : "mentee";
  const code = field === "menteeRanks" ? "unknown_mentor" : "unknown_mentee";
  const fix =
    field === "menteeRanks"
      ? "a mentee ranks mentors, the keys of mentorRanks"
      : "a mentor ranks mentees, the keys of menteeRanks";
  const record = input[field] as Record<string, unknown>;
  for (const id of own) {
    const list = record[id];
    const path: Path = [field, id];
    if (!Array.isArray(list)) {
      issues.push(
        pathIssue("invalid_type", path, `Expected a rank list (an array), got ${got(list)}`, {
          expected: "an array of ids or of lists of tied ids",
        }),
      );
      continue;
    }
    const groups: string[][] = [];
    const seen = new Map<string, number>();
    const take = (x: unknown, at: Path, rank: number, group: string[]): void => {
      if (typeof x !== "string") {
        issues.push(
          pathIssue("invalid_type", at, `Expected an ${otherWord} id (a string), got ${got(x)}`, {
            expected: "a string",
          }),
        );
        return;
      }
      if (!other.has(x)) {
        const near = nearId(x, other);
        issues.push(
          pathIssue(
            code,
            at,
            near === undefined
              ? `Unknown ${otherWord} ${q(x)}; ${fix}`
              : `Unknown ${otherWord} ${q(x)}; did you mean ${q(near)}? Ids must match exactly, case and spaces included`,
            near === undefined ? { received: x } : { received: x, expected: near },
          ),
        );
        return;
      }
      const before = seen.get(x);
      if (before !== undefined) {
        issues.push(
          pathIssue(
            "duplicate_id",
            at,
            `${q(x)} is ranked twice by ${q(id)} (first at rank ${before}); list each ${otherWord} once`,
            { received: x },
          ),
        );
        return;
      }
      seen.set(x, rank);
      group.push(x);
    };
    list.forEach((item: unknown, k) => {
      const group: string[] = [];
      const rank = groups.length + 1;
      if (Array.isArray(item)) {
        if (item.length === 0)
          issues.push(
            pathIssue("too_small", [...path, k], "A tie must list at least one id", {
              minimum: 1,
              received: 0,
            }),
          );
        item.forEach((x: unknown, t) => take(x, [...path, k, t], rank, group));
      } else take(item, [...path, k], rank, group);
      if (group.length > 0) groups.push(group);
    });
    out.set(id, groups);
  }
  return out;
}

/** Reads a capacities record: whole numbers ≥ 0 for known ids. */
function readCaps(
  input: Record<string, unknown>,
  field: "capacities" | "menteeCapacities",
  known: ReadonlySet<string>,
  issues: Issue[],
): Map<string, number> {
  const out = new Map<string, number>();
  if (input[field] === undefined) return out;
  const keys = recordKeys(input[field], [field], field, issues);
  if (keys === null) return out;
  const record = input[field] as Record<string, unknown>;
  const who = field === "capacities" ? "mentor" : "mentee";
  for (const id of keys) {
    const v = record[id];
    const path: Path = [field, id];
    if (!known.has(id)) {
      const near = nearId(id, known);
      issues.push(
        pathIssue(
          field === "capacities" ? "unknown_mentor" : "unknown_mentee",
          path,
          near === undefined
            ? `Unknown ${who} ${q(id)}; give capacities for the keys of ${who}Ranks`
            : `Unknown ${who} ${q(id)}; did you mean ${q(near)}? Ids must match exactly, case and spaces included`,
          near === undefined ? { received: id } : { received: id, expected: near },
        ),
      );
      continue;
    }
    if (typeof v !== "number" || !Number.isSafeInteger(v))
      issues.push(
        pathIssue("invalid_type", path, `Expected a whole number ≥ 0, got ${got(v)}`, {
          expected: "a whole number ≥ 0",
          ...(typeof v === "number" ? { received: v } : {}),
        }),
      );
    else if (v < 0)
      issues.push(
        pathIssue("too_small", path, `A capacity is at least 0, got ${v}`, {
          minimum: 0,
          received: v,
        }),
      );
    else out.set(id, v);
  }
  return out;
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Checks and indexes a `StableInput`: every issue at once as one `InputError` (paths such as
 * `["menteeRanks", "e1", 2]`). Reads the input, never changes it.
 */
export function parseStableInput(input: unknown): StablePrefs {
  const issues: Issue[] = [];
  if (!isPlainObject(input))
    throw new InputError(
      [
        pathIssue(
          "invalid_input",
          [],
          `Expected { menteeRanks, mentorRanks, capacities? , menteeCapacities? }, got ${got(input)}`,
        ),
      ],
      "ranks",
    );
  for (const k of Object.keys(input))
    if (!KEYS.has(k))
      issues.push(
        pathIssue(
          "unrecognized_key",
          [k],
          `Unknown field ${q(k)}; expected one of: ${[...KEYS].join(", ")}`,
          {
            received: k,
            allowed: [...KEYS],
          },
        ),
      );
  const sideKeys = (field: "menteeRanks" | "mentorRanks"): string[] => {
    if (input[field] === undefined) {
      issues.push(
        pathIssue(
          "required",
          [field],
          `${field} is required: each ${field === "menteeRanks" ? "mentee's mentors" : "mentor's mentees"}, best first`,
        ),
      );
      return [];
    }
    return recordKeys(input[field], [field], field, issues) ?? [];
  };
  const menteeIds = sideKeys("menteeRanks").sort(byId);
  const mentorIds = sideKeys("mentorRanks").sort(byId);
  const menteeSet = new Set(menteeIds);
  const mentorSet = new Set(mentorIds);
  const eRanks =
    menteeIds.length > 0
      ? readRanks(input, "menteeRanks", menteeIds, mentorSet, issues)
      : new Map<string, string[][]>();
  const mRanks =
    mentorIds.length > 0
      ? readRanks(input, "mentorRanks", mentorIds, menteeSet, issues)
      : new Map<string, string[][]>();
  const mCaps = readCaps(input, "capacities", mentorSet, issues);
  const eCaps = readCaps(input, "menteeCapacities", menteeSet, issues);
  if (issues.length > 0) throw new InputError(issues, "ranks");

  const menteeById = new Map(menteeIds.map((id, i) => [id, i]));
  const mentorById = new Map(mentorIds.map((id, j) => [id, j]));
  const rankMaps = (
    ids: readonly string[],
    ranks: Map<string, string[][]>,
    otherById: Map<string, number>,
  ): Map<number, number>[] =>
    ids.map((id) => {
      const map = new Map<number, number>();
      (ranks.get(id) ?? []).forEach((group, r) => {
        for (const x of group) map.set(otherById.get(x)!, r + 1);
      });
      return map;
    });
  const menteeRank = rankMaps(menteeIds, eRanks, mentorById);
  const mentorRank = rankMaps(mentorIds, mRanks, menteeById);
  // Acceptable partners in tie-broken order: rank, then index (= id order).
  const lists = (own: Map<number, number>[], theirs: Map<number, number>[], me: number) =>
    [...own[me]]
      .filter(([other]) => theirs[other].has(me))
      .sort((a, b) => a[1] - b[1] || a[0] - b[0])
      .map(([other]) => other);
  const menteeList = menteeIds.map((_, i) => lists(menteeRank, mentorRank, i));
  const mentorList = mentorIds.map((_, j) => lists(mentorRank, menteeRank, j));
  return {
    menteeIds,
    mentorIds,
    menteeById,
    mentorById,
    menteeCap: menteeIds.map((id) => eCaps.get(id) ?? 1),
    mentorCap: mentorIds.map((id) => mCaps.get(id) ?? 1),
    menteeRank,
    mentorRank,
    menteeList,
    mentorList,
    acceptablePairs: menteeList.reduce((s, l) => s + l.length, 0),
  };
}

/**
 * Deferred acceptance on strict preferences: proposers go down their lists while they have a free
 * place; each receiver holds its best `cap` proposals so far (by `position`: lower is better) and
 * rejects the rest for good. Returns each receiver's held proposers.
 */
function deferredAcceptance(
  proposerList: readonly (readonly number[])[],
  proposerCap: readonly number[],
  receiverCount: number,
  receiverCap: readonly number[],
  position: (receiver: number, proposer: number) => number,
): { held: number[][]; proposals: number } {
  const held: number[][] = Array.from({ length: receiverCount }, () => []);
  const next = new Int32Array(proposerList.length);
  const holding = new Int32Array(proposerList.length);
  const queued = new Uint8Array(proposerList.length);
  const queue: number[] = [];
  for (let p = proposerList.length - 1; p >= 0; p--) {
    queue.push(p);
    queued[p] = 1;
  }
  let proposals = 0;
  while (queue.length > 0) {
    const p = queue.pop()!;
    queued[p] = 0;
    const list = proposerList[p];
    while (holding[p] < proposerCap[p] && next[p] < list.length) {
      const r = list[next[p]++];
      proposals++;
      const h = held[r];
      if (receiverCap[r] === 0) continue;
      if (h.length < receiverCap[r]) {
        h.push(p);
        holding[p]++;
        continue;
      }
      let worst = 0;
      for (let k = 1; k < h.length; k++) if (position(r, h[k]) > position(r, h[worst])) worst = k;
      if (position(r, p) < position(r, h[worst])) {
        const out = h[worst];
        h[worst] = p;
        holding[p]++;
        holding[out]--;
        if (!queued[out]) {
          queued[out] = 1;
          queue.push(out);
        }
      }
    }
  }
  return { held, proposals };
}

/** The pairs (mentee, mentor) of a stable matching on parsed preferences. */
export function stableOnPrefs(
  prefs: StablePrefs,
  side: StableSide,
): { pairs: [number, number][]; proposals: number } {
  const n = prefs.menteeIds.length;
  const m = prefs.mentorIds.length;
  // Tie-broken position: rank first, then index (ids are indexed in sorted order).
  const mentorPos = (j: number, i: number): number => prefs.mentorRank[j].get(i)! * (n + 1) + i;
  const menteePos = (i: number, j: number): number => prefs.menteeRank[i].get(j)! * (m + 1) + j;
  const pairs: [number, number][] = [];
  if (side === "mentees") {
    const da = deferredAcceptance(prefs.menteeList, prefs.menteeCap, m, prefs.mentorCap, mentorPos);
    da.held.forEach((h, j) => h.forEach((i) => pairs.push([i, j])));
    return { pairs: sortPairs(pairs), proposals: da.proposals };
  }
  const da = deferredAcceptance(prefs.mentorList, prefs.mentorCap, n, prefs.menteeCap, menteePos);
  da.held.forEach((h, i) => h.forEach((j) => pairs.push([i, j])));
  return { pairs: sortPairs(pairs), proposals: da.proposals };
}

const sortPairs = (pairs: [number, number][]): [number, number][] =>
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

function checkStableOptions(options: unknown): StableMatchOptions {
  if (options === undefined) return {};
  const issues: Issue[] = [];
  if (!isPlainObject(options))
    throw new InputError(
      [pathIssue("invalid_option", [], `Expected an options object, got ${got(options)}`)],
      "options",
    );
  for (const k of Object.keys(options))
    if (k !== "side")
      issues.push(
        pathIssue("unknown_option", [k], `Unknown option ${q(k)}; expected: side`, {
          received: k,
          allowed: ["side"],
        }),
      );
  const side = options.side;
  if (side !== undefined && side !== "mentees" && side !== "mentors")
    issues.push(
      pathIssue("invalid_value", ["side"], `Expected "mentees" or "mentors", got ${got(side)}`, {
        allowed: ["mentees", "mentors"],
      }),
    );
  if (issues.length > 0) throw new InputError(issues, "options");
  return options as StableMatchOptions;
}

/** Result by ids from the pairs by index. */
export function stableResult(
  prefs: StablePrefs,
  side: StableSide,
  pairs: readonly [number, number][],
  proposals: number,
): StableMatchResult {
  const load = new Array<number>(prefs.mentorIds.length).fill(0);
  const has = new Uint8Array(prefs.menteeIds.length);
  for (const [i, j] of pairs) {
    load[j]++;
    has[i] = 1;
  }
  const matched = has.reduce((s, x) => s + x, 0);
  return {
    side,
    pairs: pairs.map(([i, j]) => ({
      mentee: prefs.menteeIds[i],
      mentor: prefs.mentorIds[j],
      menteeRank: prefs.menteeRank[i].get(j)!,
      mentorRank: prefs.mentorRank[j].get(i)!,
    })),
    unmatched: prefs.menteeIds.filter((_, i) => has[i] === 0),
    mentors: prefs.mentorIds.map((mentor, j) => ({
      mentor,
      load: load[j],
      capacity: prefs.mentorCap[j],
    })),
    matchedMentees: matched,
    mentees: prefs.menteeIds.length,
    acceptablePairs: prefs.acceptablePairs,
    proposals,
  };
}

/**
 * A stable matching with capacities when mentees and mentors rank each other: deferred acceptance
 * (Gale & Shapley 1962; Roth 1984), proposed by the side `options.side` names (default mentees),
 * which makes it the best stable matching for every member of that side. Only mutually acceptable
 * pairs are matched. Ties are broken by id (the smaller first) on both sides, so the matching is
 * weakly stable for the preferences with ties and the same whatever the input order. Throws
 * `InputError` with every issue of the input at once; never changes the input.
 */
export function stableMatch(input: StableInput, options?: StableMatchOptions): StableMatchResult {
  const { side = "mentees" } = checkStableOptions(options);
  const prefs = parseStableInput(input);
  const { pairs, proposals } = stableOnPrefs(prefs, side);
  return stableResult(prefs, side, pairs, proposals);
}

/** `blockingPairs`' matching argument, checked for shape: an `InputError` otherwise. */
function checkMatching(matching: unknown): readonly StablePairInput[] {
  const pairs = (matching as { pairs?: unknown } | null)?.pairs;
  if (matching === null || typeof matching !== "object" || !Array.isArray(pairs))
    throw new InputError(
      [
        pathIssue(
          "invalid_argument",
          Array.isArray(matching) || matching === null || typeof matching !== "object"
            ? []
            : ["pairs"],
          `Expected a matching { pairs: [{ mentee, mentor }, …] } (a stableMatch or match result), got ${got(matching)}`,
        ),
      ],
      "matching",
    );
  const issues: Issue[] = [];
  pairs.forEach((p: unknown, k) => {
    const x = p as { mentee?: unknown; mentor?: unknown } | null;
    if (
      x === null ||
      typeof x !== "object" ||
      typeof x.mentee !== "string" ||
      typeof x.mentor !== "string"
    )
      issues.push(
        pathIssue("invalid_pair", ["pairs", k], `Expected { mentee, mentor } ids, got ${got(p)}`),
      );
  });
  if (issues.length > 0) throw new InputError(issues, "matching");
  return pairs as StablePairInput[];
}

/** The weak-stability check on parsed preferences, pairs by index (known, distinct). */
export function blockingOnPrefs(
  prefs: StablePrefs,
  pairs: readonly (readonly [number, number])[],
): BlockingPair[] {
  const n = prefs.menteeIds.length;
  const m = prefs.mentorIds.length;
  const eCount = new Int32Array(n);
  const mCount = new Int32Array(m);
  // The rank of the worst partner (Infinity for a partner not ranked: worse than any acceptable).
  const eWorst = new Float64Array(n);
  const mWorst = new Float64Array(m);
  const together = new Set<number>();
  for (const [i, j] of pairs) {
    eCount[i]++;
    mCount[j]++;
    eWorst[i] = Math.max(eWorst[i], prefs.menteeRank[i].get(j) ?? Infinity);
    mWorst[j] = Math.max(mWorst[j], prefs.mentorRank[j].get(i) ?? Infinity);
    together.add(i * m + j);
  }
  const out: BlockingPair[] = [];
  for (let i = 0; i < n; i++) {
    const sorted = [...prefs.menteeList[i]].sort((a, b) => a - b); // by mentor id
    for (const j of sorted) {
      if (together.has(i * m + j)) continue;
      const eRank = prefs.menteeRank[i].get(j)!;
      const mRank = prefs.mentorRank[j].get(i)!;
      const menteeFree = eCount[i] < prefs.menteeCap[i];
      const mentorFree = mCount[j] < prefs.mentorCap[j];
      const menteeWants = menteeFree || (eCount[i] > 0 && eRank < eWorst[i]);
      const mentorWants = mentorFree || (mCount[j] > 0 && mRank < mWorst[j]);
      if (menteeWants && mentorWants)
        out.push({
          mentee: prefs.menteeIds[i],
          mentor: prefs.mentorIds[j],
          menteeRank: eRank,
          mentorRank: mRank,
          menteeFree,
          mentorFree,
        });
    }
  }
  return out;
}

/**
 * Every blocking pair of any matching under weak stability with ties: a mutually acceptable pair,
 * not matched, where the mentee has a free place or strictly prefers the mentor to its worst
 * mentor, and the mentor has a free place (any acceptable mentee beats an empty place) or strictly
 * prefers the mentee to its worst mentee. Also reports what else is wrong: unknown ids, repeated
 * pairs, pairs that are not mutually acceptable, loads over capacity. Throws `InputError` for an
 * invalid `input` or a matching of the wrong shape; never changes either.
 */
export function blockingPairs(input: StableInput, matching: StableMatchingInput): StabilityReport {
  const prefs = parseStableInput(input);
  const given = checkMatching(matching);
  const problems: StabilityProblem[] = [];
  const pairs: [number, number][] = [];
  const seen = new Set<string>();
  given.forEach(({ mentee, mentor }, k) => {
    const i = prefs.menteeById.get(mentee);
    const j = prefs.mentorById.get(mentor);
    if (i === undefined)
      problems.push({
        kind: "unknown_mentee",
        pair: k,
        mentee,
        message: `pairs[${k}]: no mentee ${q(mentee)} in the ranks`,
      });
    if (j === undefined)
      problems.push({
        kind: "unknown_mentor",
        pair: k,
        mentor,
        message: `pairs[${k}]: no mentor ${q(mentor)} in the ranks`,
      });
    if (i === undefined || j === undefined) return;
    const key = JSON.stringify([mentee, mentor]);
    if (seen.has(key)) {
      problems.push({
        kind: "duplicate_pair",
        pair: k,
        mentee,
        mentor,
        message: `pairs[${k}]: ${q(mentee)} and ${q(mentor)} are paired twice`,
      });
      return;
    }
    seen.add(key);
    if (!prefs.menteeRank[i].has(j) || !prefs.mentorRank[j].has(i)) {
      const who = !prefs.menteeRank[i].has(j)
        ? !prefs.mentorRank[j].has(i)
          ? "neither ranks the other"
          : `${q(mentee)} does not rank ${q(mentor)}`
        : `${q(mentor)} does not rank ${q(mentee)}`;
      problems.push({
        kind: "unacceptable_pair",
        pair: k,
        mentee,
        mentor,
        message: `pairs[${k}]: ${q(mentee)} with ${q(mentor)} is not mutually acceptable: ${who}`,
      });
    }
    pairs.push([i, j]);
  });
  const eLoad = new Int32Array(prefs.menteeIds.length);
  const mLoad = new Int32Array(prefs.mentorIds.length);
  for (const [i, j] of pairs) {
    eLoad[i]++;
    mLoad[j]++;
  }
  mLoad.forEach((load, j) => {
    const capacity = prefs.mentorCap[j];
    if (load > capacity) {
      const mentor = prefs.mentorIds[j];
      problems.push({
        kind: "mentor_over_capacity",
        mentor,
        load,
        capacity,
        message: `mentor ${q(mentor)} has ${load} mentees for ${capacity} place${capacity === 1 ? "" : "s"}`,
      });
    }
  });
  eLoad.forEach((load, i) => {
    const capacity = prefs.menteeCap[i];
    if (load > capacity) {
      const mentee = prefs.menteeIds[i];
      problems.push({
        kind: "mentee_over_capacity",
        mentee,
        load,
        capacity,
        message: `mentee ${q(mentee)} has ${load} mentors, taking at most ${capacity}`,
      });
    }
  });
  const blocking = blockingOnPrefs(prefs, pairs);
  return { ok: blocking.length === 0 && problems.length === 0, blockingPairs: blocking, problems };
}
