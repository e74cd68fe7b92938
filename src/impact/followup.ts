/**
 * The follow-up of a match (docs/IMPACT.md "One pass over the records"): the program's records
 * read once, one record at a time, into what the impact measures need per mentee — check-ins
 * planned and held per month, the re-assessments of the gap's skills, the months to leaving and
 * to independence — and nothing else. No record is kept, so a reader can stream millions of them
 * (src/node/impact.ts) in memory that grows with the cohort, not with the records.
 *
 * `FollowUpBuilder` checks each record against the cohort as it comes (the same checks and
 * messages as `safeParseProgramRecords`, src/impact/records.ts): every issue at the record's
 * path, the caller mapping paths to its own places (a CSV cell). Only mentees with analytics
 * consent leave any state behind. The result does not depend on the records' order: ties
 * between re-assessments of one day are broken by the mentor's id, as sorted records break them.
 */
import type { Cohort } from "../cohort/types.js";
import { pathIssue, type Issue } from "../schema/errors.js";
import { menteePriority } from "../score/gap.js";
import {
  MAX_FOLLOW_UP_YEARS,
  checkInIssues,
  readCheckIn,
  readOutcome,
  leavesTwice,
  outcomeIssues,
  twoCheckIns,
  type CheckInInput,
  type OutcomeInput,
  type ProgramRecords,
} from "./records.js";

/** The match the records follow: its pairs (a `MatchResult`, or the pairs as they were made,
 * e.g. read from the matches CSV). */
export interface ImpactMatch {
  readonly pairs: readonly { readonly mentee: string; readonly mentor: string }[];
}

/** Days in a month, as every impact measure counts them. */
export const MONTH_DAYS = 30.44;
/** Days after the start a record may be dated (records.ts refuses later ones): the range of
 * the day in a check-in's numeric key. */
const MAX_DAYS = MAX_FOLLOW_UP_YEARS * 366;

/** What the impact measures read of a match's records, per mentee (see the module's note). */
export interface FollowUp {
  readonly cohort: Cohort;
  readonly result: ImpactMatch;
  /** The program's start, YYYY-MM-DD. */
  readonly start: string;
  /** Records read. */
  readonly checkIns: number;
  readonly outcomes: number;
  /** Months from the start to the latest record. */
  readonly latestMonths: number;
  /** Month buckets kept per mentee: bucket b holds the records of months (b − 1, b]. */
  readonly buckets: number;
  /** Per mentee index × bucket: check-ins planned, and held. */
  readonly planned: Int32Array;
  readonly held: Int32Array;
  /** Per mentee index: months to leaving the organization, and to the first independence
   * outcome (NaN: none). */
  readonly leftMonths: Float64Array;
  readonly independenceMonths: Float64Array;
  /** Re-assessments of the gap's skills of consenting mentees, grouped by mentee (`offsets`,
   * n + 1) and, within a mentee, in the order they happened: skill index, day since the start,
   * level. */
  readonly assessments: {
    readonly offsets: Int32Array;
    readonly skill: Int32Array;
    readonly day: Int32Array;
    readonly level: Float64Array;
  };
}

/** `FollowUpBuilder.finish`'s result. */
export type FollowUpResult =
  | { readonly ok: true; readonly followUp: FollowUp }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/** Days since 0000-03-01 of a valid YYYY-MM-DD date (a civil-calendar count; no Date object). */
export function dayNumber(date: string): number {
  let y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (m <= 2) y--;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
}

/** A growable typed column. */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}
const ints = (n: number) => new Column(new Int32Array(n), (m) => new Int32Array(m));
const floats = (n: number) => new Column(new Float64Array(n), (m) => new Float64Array(m));

/**
 * Reads a match's records one at a time (`checkIn`, `outcome`), then `finish`es into a
 * `FollowUp`, or every issue found: each record checked on its own (as `parseProgramRecords`
 * checks it), against the start, the cohort and the other records. For records that come from
 * a stream (a CSV file, a database cursor): none is kept.
 */
export class FollowUpBuilder {
  private readonly issues: Issue[] = [];
  private readonly startDay: number;
  private readonly n: number;
  private readonly nMentors: number;
  private readonly consent: Uint8Array;
  /** Per mentee × skill: 1 where the skill is in the mentee's weighted gap. */
  private readonly inGap: Uint8Array;
  private buckets = 1;
  private planned: Int32Array;
  private held: Int32Array;
  private readonly leftMonths: Float64Array;
  private readonly independenceMonths: Float64Array;
  private readonly leftPeople = new Set<string>();
  // Check-ins as numbers (pair, day), for the duplicates; and the re-assessments' columns.
  private readonly keys = floats(1024);
  private readonly refs = ints(1024);
  private readonly aMentee = ints(1024);
  private readonly aSkill = ints(1024);
  private readonly aDay = ints(1024);
  private readonly aMentor = ints(1024);
  private readonly aLevel = floats(1024);
  private latestDay = 0;
  private finished = false;
  private checkIns = 0;
  private outcomes = 0;

  constructor(
    private readonly cohort: Cohort,
    private readonly result: ImpactMatch,
    /** The program's start, a valid YYYY-MM-DD date. */
    private readonly start: string,
  ) {
    const { view } = cohort;
    this.startDay = dayNumber(start);
    this.n = view.mentees.count;
    this.nMentors = view.mentors.count;
    this.consent = view.mentees.consentAnalytics;
    const S = view.nSkills;
    this.inGap = new Uint8Array(this.n * S);
    for (let i = 0; i < this.n; i++)
      for (let k = 0; k < S; k++)
        if (
          menteePriority(view, i, k) > 0 &&
          view.mentees.target[i * S + k] > view.mentees.current[i * S + k]
        )
          this.inGap[i * S + k] = 1;
    // The pairs the records follow: people of the cohort.
    const { menteeById, mentorById } = cohort.index;
    const pairs: readonly unknown[] = Array.isArray(result?.pairs) ? result.pairs : [];
    if (!Array.isArray(result?.pairs))
      this.issues.push(pathIssue("invalid_type", ["pairs"], "Expected the match's pairs"));
    pairs.forEach((p, k) => {
      const { mentee, mentor } = (p ?? {}) as { mentee?: unknown; mentor?: unknown };
      if (typeof mentee !== "string" || !menteeById.has(mentee))
        this.issues.push(
          pathIssue(
            "unknown_mentee",
            ["pairs", k, "mentee"],
            `No mentee ${JSON.stringify(mentee)} in the cohort`,
          ),
        );
      if (typeof mentor !== "string" || !mentorById.has(mentor))
        this.issues.push(
          pathIssue(
            "unknown_mentor",
            ["pairs", k, "mentor"],
            `No mentor ${JSON.stringify(mentor)} in the cohort`,
          ),
        );
    });
    this.planned = new Int32Array(this.n);
    this.held = new Int32Array(this.n);
    this.leftMonths = new Float64Array(this.n).fill(NaN);
    this.independenceMonths = new Float64Array(this.n).fill(NaN);
  }

  /** A builder takes records until it finishes, once. */
  private open(): void {
    if (this.finished) throw new Error("This FollowUpBuilder has finished: start a new one");
  }

  /** Days since the start of a (checked) record's date. */
  private day(date: string): number {
    const day = dayNumber(date) - this.startDay;
    if (day > this.latestDay) this.latestDay = day;
    return day;
  }

  /** The bucket of a day (records of months (b − 1, b]), widening every mentee's row. */
  private bucket(day: number): number {
    const b = Math.ceil(day / MONTH_DAYS);
    if (b >= this.buckets) {
      let next = this.buckets;
      while (next <= b) next *= 2;
      const widen = (from: Int32Array) => {
        const to = new Int32Array(this.n * next);
        for (let i = 0; i < this.n; i++)
          to.set(from.subarray(i * this.buckets, (i + 1) * this.buckets), i * next);
        return to;
      };
      this.planned = widen(this.planned);
      this.held = widen(this.held);
      this.buckets = next;
    }
    return b;
  }

  /**
   * One check-in as given (plain data, e.g. a parsed JSON object or a CSV row's record), its
   * issues at `at` (default `checkIns[k]`, k counting the check-ins given so far from 0).
   */
  checkIn(record: unknown, at: readonly (string | number)[] = ["checkIns", this.checkIns]): void {
    this.open();
    const ref = this.checkIns++;
    const c = readCheckIn(record, at, this.issues);
    if (c) this.add(c, at, ref);
  }

  private add(c: CheckInInput, at: readonly (string | number)[], ref: number): void {
    const before = this.issues.length;
    checkInIssues(c, at, this.start, this.cohort, this.issues);
    if (this.issues.length > before) return;
    const day = this.day(c.date);
    const { menteeById, mentorById, skillById } = this.cohort.index;
    const i = menteeById.get(c.mentee)!;
    const j = mentorById.get(c.mentor)!;
    // Pair and day as one exact number: below 2^53 while mentees × mentors < 2.4·10¹², far past
    // any cohort this library can score.
    this.keys.push((i * this.nMentors + j) * (MAX_DAYS + 1) + day);
    this.refs.push(ref);
    if (this.consent[i] !== 1) return;
    const b = this.bucket(day);
    this.planned[i * this.buckets + b]++;
    if (c.held) this.held[i * this.buckets + b]++;
    const S = this.cohort.view.nSkills;
    for (const skill in c.proficiency) {
      const k = skillById.get(skill)!;
      if (this.inGap[i * S + k] !== 1) continue;
      this.aMentee.push(i);
      this.aSkill.push(k);
      this.aDay.push(day);
      this.aMentor.push(j);
      this.aLevel.push(c.proficiency[skill]);
    }
  }

  /** One outcome as given, its issues at `at` (default `outcomes[k]`). */
  outcome(record: unknown, at: readonly (string | number)[] = ["outcomes", this.outcomes]): void {
    this.open();
    this.outcomes++;
    const e = readOutcome(record, at, this.issues);
    if (e) this.addOutcome(e, at);
  }

  private addOutcome(e: OutcomeInput, at: readonly (string | number)[]): void {
    const before = this.issues.length;
    outcomeIssues(e, at, this.start, this.cohort, this.issues);
    if (e.kind === "left") {
      if (this.leftPeople.has(e.person)) this.issues.push(leavesTwice(e, at));
      this.leftPeople.add(e.person);
    }
    if (this.issues.length > before) return;
    const day = this.day(e.date);
    const i = this.cohort.index.menteeById.get(e.person);
    if (i === undefined || this.consent[i] !== 1) return;
    const months = day / MONTH_DAYS;
    if (e.kind === "left") this.leftMonths[i] = months;
    if (e.kind === "independence" && !(this.independenceMonths[i] <= months))
      this.independenceMonths[i] = months;
  }

  /**
   * The follow-up, or every issue: those found record by record, then each second check-in of
   * a pair on one day, at `checkInAt(k)` for the k-th check-in given (default `checkIns[k]`).
   */
  finish(
    checkInAt: (k: number) => readonly (string | number)[] = (k) => ["checkIns", k],
  ): FollowUpResult {
    this.open();
    this.finished = true; // the follow-up owns the arrays from here
    const issues = this.issues;
    const keys = this.keys.data.subarray(0, this.keys.length);
    const sorted = Float64Array.from(keys).sort();
    const twice = new Set<number>();
    for (let x = 1; x < sorted.length; x++) if (sorted[x] === sorted[x - 1]) twice.add(sorted[x]);
    if (twice.size > 0) {
      const first = new Set<number>();
      const { menteeIds, mentorIds } = this.cohort.index;
      for (let x = 0; x < keys.length; x++) {
        const key = keys[x];
        if (!twice.has(key)) continue;
        if (!first.has(key)) {
          first.add(key);
          continue;
        }
        const day = key % (MAX_DAYS + 1);
        const pair = (key - day) / (MAX_DAYS + 1);
        const j = pair % this.nMentors;
        const i = (pair - j) / this.nMentors;
        const date = new Date((this.startDay + day - DAY_OF_EPOCH) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        issues.push(
          twoCheckIns(
            { mentee: menteeIds[i], mentor: mentorIds[j], date, held: true },
            checkInAt(this.refs.data[x]),
          ),
        );
      }
    }
    if (issues.length > 0) return { ok: false, issues };

    // Re-assessments grouped by mentee (a counting sort), then by day and mentor id within one.
    const count = this.aMentee.length;
    const offsets = new Int32Array(this.n + 1);
    const mentee = this.aMentee.data;
    for (let a = 0; a < count; a++) offsets[mentee[a] + 1]++;
    for (let i = 0; i < this.n; i++) offsets[i + 1] += offsets[i];
    const order = new Int32Array(count);
    const fill = offsets.slice(0, this.n);
    for (let a = 0; a < count; a++) order[fill[mentee[a]]++] = a;
    const day = this.aDay.data;
    const mentor = this.aMentor.data;
    const when = (a: number) => day[a] * this.nMentors + mentor[a];
    for (let i = 0; i < this.n; i++) sortSegment(order, offsets[i], offsets[i + 1], when);
    const skill = new Int32Array(count);
    const days = new Int32Array(count);
    const level = new Float64Array(count);
    for (let x = 0; x < count; x++) {
      const a = order[x];
      skill[x] = this.aSkill.data[a];
      days[x] = day[a];
      level[x] = this.aLevel.data[a];
    }
    return {
      ok: true,
      followUp: {
        cohort: this.cohort,
        result: this.result,
        start: this.start,
        checkIns: this.checkIns,
        outcomes: this.outcomes,
        latestMonths: this.latestDay / MONTH_DAYS,
        buckets: this.buckets,
        planned: this.planned,
        held: this.held,
        leftMonths: this.leftMonths,
        independenceMonths: this.independenceMonths,
        assessments: { offsets, skill, day: days, level },
      },
    };
  }
}

/** `dayNumber("1970-01-01")`: turns a day number back into a date for messages. */
const DAY_OF_EPOCH = dayNumber("1970-01-01");

/** Sorts `order[from, to)` by `key` (stable): insertion sort for the short runs a mentee has
 * (usually in order already), the built-in sort for long ones. */
function sortSegment(
  order: Int32Array,
  from: number,
  to: number,
  key: (a: number) => number,
): void {
  if (to - from > 64) {
    const part = Array.from(order.subarray(from, to)).sort((a, b) => key(a) - key(b) || a - b);
    order.set(part, from);
    return;
  }
  for (let x = from + 1; x < to; x++) {
    const a = order[x];
    const ka = key(a);
    let y = x - 1;
    while (y >= from && key(order[y]) > ka) {
      order[y + 1] = order[y];
      y--;
    }
    order[y + 1] = a;
  }
}

/** The follow-up of a match of `cohort` from its records (`ProgramRecords`, or plain data of
 * that shape), checked against the cohort: the follow-up, or every issue at its path. */
export function followUpOf(
  cohort: Cohort,
  result: ImpactMatch,
  records: ProgramRecords,
): FollowUpResult {
  const builder = new FollowUpBuilder(cohort, result, records.start);
  for (const c of records.checkIns) builder.checkIn(c);
  for (const e of records.outcomes) builder.outcome(e);
  return builder.finish();
}
