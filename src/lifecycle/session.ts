/**
 * A match session (docs/LIFECYCLE.md, "Re-matching"): a cohort whose every pair is scored once
 * and kept, so that a re-match after a few changes scores only what changed instead of the whole
 * cohort again (at 20,000 × 4,000, scoring is more than half of a `match`).
 *
 * What a pair's fit and eligibility depend on is the two people's records, the forbidden pairs
 * and the rest of the input — skills, strategy, program settings (src/score: every term and rule
 * reads one mentee, one mentor and the program; locked pairs are not a rule). So the session
 * keeps each record's JSON text, the forbidden pairs and the rest's text; on a re-match a mentee
 * whose record is unchanged keeps its row, restricted to the mentors still there with unchanged
 * records, and only what changed is scored: the whole row of a new or changed mentee (or of one
 * with a pair newly forbidden or allowed), and a new or changed mentor against every carried
 * mentee. The rule counts of a carried row (why each mentor is ruled out, for the unmatched
 * mentees' reasons) lose the mentors that left or changed, read from the scorer of the cohort
 * before, and gain the new ones. A change to the rest of the input scores the whole cohort
 * again, as a fresh `match` would.
 *
 * Carried scores are the scorer's own numbers for the same records, so the session's answers
 * are the same as `match` / `rematch` on the same cohorts (test/lifecycle/session.test.ts checks
 * the carried rows against a fresh scoring, and the results against the plain calls).
 */
import type { Cohort } from "../cohort/types.js";
import type { CohortInput } from "../schema/types.js";
import { parseCohort } from "../cohort/parse.js";
import { countReasons, REASONS } from "../score/eligibility.js";
import { createScorer, type Scorer } from "../score/scorer.js";
import { rowsOf, scorePairs, type ScoredPairs } from "../score/block.js";
import { matchScored } from "../match/match.js";
import { whyNotScored, type Counterfactual } from "./counterfactual.js";
import type { MatchOptions, MatchResult } from "../match/types.js";
import {
  checkRematchArgs,
  rematchScored,
  type PreviousMatch,
  type RematchOptions,
  type RematchResult,
  type ScoresCarried,
} from "./rematch.js";

/** A cohort scored once, matched and re-matched on the same scores (`matchSession`). */
export interface MatchSession {
  /** The cohort as the session holds it now: the one given, or the last re-match's. */
  readonly cohort: Cohort;
  /** `match` on the session's cohort (the same result), scoring every pair the first time. */
  match(options?: MatchOptions): MatchResult;
  /**
   * `rematch` of the cohort as it is now (`input`, parsed here: an `InputError` as
   * `parseCohort`'s), from `previous`, scoring only the people who are new or whose records
   * changed (`stats.carried`). The session then holds the new cohort and its scores.
   */
  rematch(input: CohortInput, previous: PreviousMatch, options?: RematchOptions): RematchResult;
  /** `whyNot` on the session's cohort and scores: the forced re-solve scores nothing again. */
  whyNot(
    result: MatchResult,
    mentee: string,
    mentor: string,
    options?: MatchOptions,
  ): Counterfactual;
}

/** What the session keeps of a cohort: its fingerprints, and its scores once read. */
export interface Held {
  readonly cohort: Cohort;
  readonly prints: Prints;
  scored?: ScoredPairs;
}

/** The input's fingerprints: the records' JSON text by id, the forbidden pairs, and the rest's
 * JSON text (locked pairs aside: they are not a rule). */
interface Prints {
  readonly rest: string;
  readonly mentees: ReadonlyMap<string, string>;
  readonly mentors: ReadonlyMap<string, string>;
  readonly forbidden: ReadonlySet<string>;
}

/**
 * Starts a session on a cohort's input (parsed at once: an `InputError` as `parseCohort`'s).
 * The input is not kept: only the parsed cohort and the records' fingerprints, so changing the
 * caller's objects afterwards changes nothing here.
 */
export function matchSession(input: CohortInput): MatchSession {
  let held: Held = { cohort: parseCohort(input), prints: fingerprints(input) };
  const scoredOf = (h: Held): ScoredPairs => (h.scored ??= scorePairs(h.cohort.view));
  return {
    get cohort() {
      return held.cohort;
    },
    match(options?: MatchOptions): MatchResult {
      return matchScored(held.cohort, rowsOf(scoredOf(held)), options);
    },
    whyNot(result: MatchResult, mentee: string, mentor: string, options?: MatchOptions) {
      return whyNotScored(held.cohort, rowsOf(scoredOf(held)), result, mentee, mentor, options);
    },
    rematch(next: CohortInput, previous: PreviousMatch, options?: RematchOptions): RematchResult {
      const cohort = parseCohort(next);
      // Checked before the held scores are carried over (in place: they are gone after).
      checkRematchArgs(cohort, previous, options ?? {});
      const t = performance.now();
      const prints = fingerprints(next);
      const carry = carryScores({ ...held, scored: scoredOf(held) }, cohort, prints);
      const carried: ScoresCarried = { ...carry.counts, ms: performance.now() - t };
      held = { cohort, prints, scored: carry.scored };
      const result = rematchScored(cohort, carry.scored, previous, options);
      return { ...result, stats: { ...result.stats, carried } };
    },
  };
}

/** The input's fingerprints (internal: exported for the tests). */
export function fingerprints(input: CohortInput): Prints {
  const { mentees, mentors, program, ...rest } = input;
  const {
    lockedPairs: _locked,
    forbiddenPairs,
    ...settings
  } = (program ?? {}) as typeof program & { lockedPairs?: unknown };
  const byId = (people: readonly { id: string }[]) =>
    new Map(people.map((p) => [p.id, JSON.stringify(p)]));
  return {
    rest: JSON.stringify([rest, settings]),
    mentees: byId(mentees),
    mentors: byId(mentors),
    forbidden: new Set((forbiddenPairs ?? []).map((p) => `${p.mentee}\u0000${p.mentor}`)),
  };
}

/** Mentees with a pair forbidden in one input and not in the other: their rows change. */
function forbiddenChanged(a: Prints, b: Prints): Set<string> {
  const out = new Set<string>();
  const diff = (x: ReadonlySet<string>, y: ReadonlySet<string>) => {
    for (const k of x) if (!y.has(k)) out.add(k.slice(0, k.indexOf("\u0000")));
  };
  diff(a.forbidden, b.forbidden);
  diff(b.forbidden, a.forbidden);
  return out;
}

/**
 * The new cohort's pairs from the held ones: carried where both people are unchanged, scored
 * where either is new or changed (everything, when the rest of the input changed, or when so
 * many mentors changed that pair-by-pair scoring would cost more).
 */
export function carryScores(
  before: Required<Held>,
  after: Cohort,
  prints: Prints,
): { scored: ScoredPairs; counts: Omit<ScoresCarried, "ms"> } {
  const n = after.view.mentees.count;
  const m = after.view.mentors.count;
  const afresh = () => ({
    scored: scorePairs(after.view),
    counts: { menteesCarried: 0, menteesScored: n, mentorsCarried: 0, mentorsScored: m },
  });
  if (prints.rest !== before.prints.rest) return afresh();
  const oldIndex = before.cohort.index;
  const same = (
    id: string,
    was: ReadonlyMap<string, string>,
    is: ReadonlyMap<string, string>,
  ): boolean => was.get(id) !== undefined && was.get(id) === is.get(id);
  // Old mentor index → new (−1: left or changed); new mentors scored afresh, ascending.
  const oldM = before.cohort.view.mentors.count;
  const colTo = new Int32Array(oldM).fill(-1);
  const fresh: number[] = [];
  after.index.mentorIds.forEach((id, j) => {
    if (same(id, before.prints.mentors, prints.mentors)) colTo[oldIndex.mentorById.get(id)!] = j;
    else fresh.push(j);
  });
  const dropped: number[] = [];
  for (let j0 = 0; j0 < oldM; j0++) if (colTo[j0] < 0) dropped.push(j0);
  // Pair by pair costs a few times a row's pass per mentor: past a quarter of them, score anew.
  if (4 * (fresh.length + dropped.length) > Math.max(oldM, m)) return afresh();

  const changedRows = forbiddenChanged(before.prints, prints);
  const codes = REASONS.length;
  const oldScorer = createScorer(before.cohort.view);
  const scorer = createScorer(after.view);
  // Which rows are carried (from which old row), and how far each may write in place: up to
  // the old data of the next carried row (old rows are in the same order: ids sort alike).
  const from = new Int32Array(n).fill(-1);
  after.index.menteeIds.forEach((id, i) => {
    const i0 = oldIndex.menteeById.get(id);
    if (i0 !== undefined && same(id, before.prints.mentees, prints.mentees) && !changedRows.has(id))
      from[i] = i0;
  });
  const old = before.scored;
  const limit = new Float64Array(n).fill(Infinity);
  for (let i = n - 2, next = Infinity; i >= 0; i--) {
    if (from[i + 1] >= 0) next = old.start[from[i + 1]];
    limit[i] = next;
  }
  const out = new Pairs(n, m, old);
  const counts = new Int32Array(n * codes);
  let carried = 0;
  for (let i = 0; i < n; i++) {
    const i0 = from[i];
    const at = i * codes;
    out.limit = limit[i];
    if (i0 >= 0) {
      carried++;
      counts.set(old.counts.subarray(i0 * codes, (i0 + 1) * codes), at);
      for (const j0 of dropped) counts[at + oldScorer.reasonCode(i0, j0)]--;
      out.carry(old, i0, colTo, fresh.length);
      out.addColumns(scorer, i, fresh, counts, at);
    } else out.score(scorer, i, counts, at);
    out.endRow(i);
  }
  return {
    scored: { ...out.done(), counts },
    counts: {
      menteesCarried: carried,
      menteesScored: n - carried,
      mentorsCarried: m - fresh.length,
      mentorsScored: fresh.length,
    },
  };
}

/**
 * The new CSR, written row by row over the old one's arrays while that is safe: a carried row
 * only loses pairs (its write never passes its read), and nothing may be written past the old
 * data of the next carried row (`limit`). A row that would (new mentors added, a row scored
 * afresh that grew) moves the writing to new arrays, the rows so far copied over. In place the
 * old pairs are gone afterwards: the session holds the new ones instead (`matchSession`).
 */
class Pairs {
  readonly start: Int32Array;
  /** Where writing must stop while in place: the old data not read yet. */
  limit = Infinity;
  private col: Int32Array;
  private fit: Float64Array;
  private inPlace = true;
  private e = 0;
  /** The largest |fit| written (NaN once a fit is NaN). */
  private top = 0;
  private readonly m: number;
  private readonly rowFit: Float64Array;
  private readonly why: Uint8Array;
  private readonly elig: Int32Array;

  constructor(n: number, m: number, old: ScoredPairs) {
    this.start = new Int32Array(n + 1);
    this.col = old.col;
    this.fit = old.fit;
    this.m = m;
    this.rowFit = new Float64Array(m);
    this.why = new Uint8Array(m);
    this.elig = new Int32Array(m);
  }

  /** Room for `k` more pairs: in place up to the limit, else in new arrays (grown as needed). */
  private room(k: number): void {
    const end = this.e + k;
    if (this.inPlace ? end <= Math.min(this.limit, this.col.length) : end <= this.col.length)
      return;
    const size = Math.max(this.inPlace ? this.col.length : 2 * this.col.length, end) + this.m;
    const col = new Int32Array(size);
    col.set(this.col.subarray(0, this.e));
    const fit = new Float64Array(size);
    fit.set(this.fit.subarray(0, this.e));
    this.col = col;
    this.fit = fit;
    this.inPlace = false;
  }

  /** Old row i0's pairs with the mentors still there, at their new indices (ids sort the same
   * way in both cohorts, so the order is kept), with room for `more` new ones after them. */
  carry(scored: ScoredPairs, i0: number, colTo: Int32Array, more: number): void {
    const a = scored.start[i0];
    const b = scored.start[i0 + 1];
    this.room(b - a + more);
    const { col, fit } = this;
    const from = scored.col;
    const fits = scored.fit;
    let e = this.e;
    let top = this.top;
    for (let t = a; t < b; t++) {
      const j = colTo[from[t]];
      if (j < 0) continue;
      const x = fits[t];
      const ax = Math.abs(x);
      if (ax > top || ax !== ax) top = ax;
      col[e] = j;
      fit[e++] = x;
    }
    this.e = e;
    this.top = top;
  }

  /** The new mentors `fresh` (ascending) scored against row i, merged into the row (room made
   * by `carry`); their rule counts. */
  addColumns(scorer: Scorer, i: number, fresh: readonly number[], counts: Int32Array, at: number) {
    if (fresh.length === 0) return;
    const from = this.start[i];
    let f = 0;
    for (const j of fresh) {
      const code = scorer.reasonCode(i, j);
      counts[at + code]++;
      if (code !== 0) continue;
      this.elig[f] = j;
      this.rowFit[f] = scorer.score(i, j);
      this.seen(this.rowFit[f]);
      f++;
    }
    // Merge from the back: the carried pairs and the new ones, both ascending.
    const { col, fit } = this;
    let a = this.e - 1;
    let b = f - 1;
    for (let w = this.e + f - 1; b >= 0; w--) {
      if (a >= from && col[a] > this.elig[b]) {
        col[w] = col[a];
        fit[w] = fit[a--];
      } else {
        col[w] = this.elig[b];
        fit[w] = this.rowFit[b--];
      }
    }
    this.e += f;
  }

  /** Row i scored afresh (a new or changed mentee), with its rule counts. */
  score(scorer: Scorer, i: number, counts: Int32Array, at: number): void {
    const { rowFit, why, elig } = this;
    const k = scorer.scoreRow(i, rowFit, why, elig);
    this.room(k);
    for (let t = 0; t < k; t++) {
      this.col[this.e + t] = elig[t];
      this.fit[this.e + t] = rowFit[elig[t]];
      this.seen(rowFit[elig[t]]);
    }
    this.e += k;
    countReasons(why, rowFit.length, counts, at);
  }

  /** A fit written: the largest |fit| so far (NaN sticks). */
  private seen(x: number): void {
    const ax = Math.abs(x);
    if (ax > this.top || ax !== ax) this.top = ax;
  }

  endRow(i: number): void {
    this.start[i + 1] = this.e;
  }

  done(): { start: Int32Array; col: Int32Array; fit: Float64Array; scale: number } {
    return {
      start: this.start,
      col: this.col.subarray(0, this.e),
      fit: this.fit.subarray(0, this.e),
      scale: this.top,
    };
  }
}
