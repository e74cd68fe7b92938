/**
 * `match(cohort)`: the cohort's scoring and eligibility handed to the exact engine, and the answer
 * collected back to ids (the only place in the pipeline where indices become ids again).
 *
 * Scores are computed row by row on the fly by the scorer (`scoreRow`), so no n·m structure is
 * ever built: the engine keeps each mentee's best candidates and prices the rest when needed.
 * Sensitive attributes play no part here: the engine sees only the cohort's `ScoringView`.
 */
import type { Cohort } from "../cohort/types.js";
import { countReasons, REASONS, type IneligibleReason } from "../score/eligibility.js";
import { createScorer, type Scorer } from "../score/scorer.js";
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { checkCohortArg } from "./cohort-arg.js";
import { checkSolveOptions, got, statusAndObjectiveIssues } from "../solve/args.js";
import { verifyInstance } from "../solve/certificate.js";
import { MAX_SCORE, SCORE_RANGE_FIX } from "../solve/numeric.js";
import {
  gather,
  spreadList,
  type Instance,
  type PairList,
  type RowSource,
} from "../solve/instance.js";
import { finishInstance } from "../solve/problem.js";
import { solveInstance } from "../solve/solve.js";
import type { AssignmentResult, InfeasibilityDiagnosis, VerifyResult } from "../solve/types.js";
import type {
  EquityRuleStatus,
  MatchDiagnosis,
  MatchOptions,
  MatchResult,
  MentorLoad,
  UnmatchedMentee,
  UnmatchedMenteeReason,
} from "./types.js";

/**
 * What the first read of each mentee's row learned — how many mentors each rule blocks, and which
 * mentors are eligible and which of those have a positive fit (two bits a pair: 250 MB at
 * 100,000 × 10,000, where the rows themselves would take 9 GB) — kept so that explaining an
 * unmatched mentee afterwards never scores its row again.
 */
interface EligibilityTally {
  readonly seen: Uint8Array;
  /** n × REASONS.length: mentors per reason code (code 0: eligible). */
  readonly count: Int32Array;
  /** Words of 32 mentors a row. */
  readonly words: number;
  /** n × words bit sets: eligible mentors; eligible mentors with a positive fit. */
  readonly eligible: Uint32Array;
  readonly positive: Uint32Array;
}

function newTally(n: number, m: number): EligibilityTally {
  const words = Math.ceil(m / 32);
  return {
    seen: new Uint8Array(n),
    count: new Int32Array(n * REASONS.length),
    words,
    eligible: new Uint32Array(n * words),
    positive: new Uint32Array(n * words),
  };
}

/** A row's tally on its first read, from its list of eligible mentors (`cols[0, k)`, their fits
 * `vals`): eligible and positive-fit bits (the rule counts are `countReasons`'). */
function tallyBits(
  cols: Int32Array | Uint16Array,
  vals: Float64Array,
  k: number,
  tally: EligibilityTally,
  i: number,
): void {
  tally.seen[i] = 1;
  const base = i * tally.words;
  const { eligible, positive } = tally;
  for (let t = 0; t < k; t++) {
    const j = cols[t];
    const w = base + (j >>> 5);
    eligible[w] |= 1 << (j & 31);
    positive[w] |= Number(vals[t] > 0) << (j & 31);
  }
}

/**
 * A cohort's rows scored before the solve (on worker threads: src/node/parallel.ts): row i's
 * eligible mentors, ascending (`cols[i]`), their fits (`vals[i]`), and how many mentors each
 * reason code covers (`counts[i · REASONS.length + code]`). Internal: not exported by the package.
 */
export interface ScoredRows {
  readonly cols: readonly (Uint16Array | Int32Array)[];
  readonly vals: readonly Float64Array[];
  readonly counts: Int32Array;
}

/** The engine's instance for a cohort: mentees are rows, mentors columns, locked pairs forced.
 * Ineligible pairs (forbidden ones included) are simply not allowed. Rows read for the first
 * time fill `tally` when given. */
function cohortInstance(
  cohort: Cohort,
  scorer: Scorer,
  coverageFirst: boolean,
  tally?: EligibilityTally,
  scored?: ScoredRows,
): Instance {
  const { mentees, mentors, locked } = cohort.view;
  const m = mentors.count;
  const reason = new Uint8Array(m);
  // The schema's limits keep every fit finite and far inside the engine's range; a fit outside
  // it would be a scorer bug, reported by ids rather than solved with overflow.
  const outOfRange = (i: number, j: number, fit: number) =>
    new InputError(
      [
        pathIssue(
          "score_out_of_range",
          ["mentees", cohort.index.menteeIds[i], "mentors", cohort.index.mentorIds[j]],
          `The pair's fit is ${fit}; ${SCORE_RANGE_FIX}: check the strategy priorities and scoring weights`,
        ),
      ],
      "cohort",
    );
  const eligible = new Int32Array(m);
  const fit = new Float64Array(m);
  // Scores row i and lists its eligible mentors and their fits in `cols`, `vals` (one pass that
  // also checks the range); the row's tally on its first read. Returns how many.
  const readPairs = (i: number, cols: Int32Array | Uint16Array, vals: Float64Array): number => {
    const k = scorer.scoreRow(i, fit, reason, eligible);
    let bad = 0;
    for (let t = 0; t < k; t++) {
      const j = eligible[t];
      const x = fit[j];
      cols[t] = j;
      vals[t] = x;
      bad |= Number(!(Math.abs(x) <= MAX_SCORE));
    }
    if (bad !== 0) throwOutOfRange(i, cols, vals);
    if (tally && tally.seen[i] === 0) {
      tallyBits(cols, vals, k, tally, i);
      countReasons(reason, m, tally.count, i * REASONS.length);
    }
    return k;
  };
  const throwOutOfRange = (i: number, cols: Int32Array | Uint16Array, vals: Float64Array) => {
    let t = 0;
    while (Math.abs(vals[t]) <= MAX_SCORE) t++;
    throw outOfRange(i, cols[t], vals[t]);
  };
  const source = scored
    ? scoredSource(scored, m, tally, throwOutOfRange)
    : scoringSource(readPairs, m);
  return finishInstance({
    rows: mentees.count,
    cols: m,
    source,
    rowMin: Int32Array.from(mentees.minMentors),
    rowMax: Float64Array.from(mentees.maxMentors),
    colMin: Int32Array.from(mentors.minLoad),
    colMax: Float64Array.from(mentors.capacity),
    forced: locked.map((p) => [p.mentee, p.mentor] as const),
    forbidden: [],
    minimize: false,
    coverageFirst,
  });
}

/** The rows scored on the fly: `readPairs` scores a row and lists it; `readRow` spreads that. */
function scoringSource(
  readPairs: (i: number, cols: Int32Array | Uint16Array, vals: Float64Array) => number,
  m: number,
): RowSource {
  const listCols = new Int32Array(m);
  const listVals = new Float64Array(m);
  return {
    kind: "rows",
    readRow(i, out, ok) {
      const n = readPairs(i, listCols, listVals);
      spreadList({ cols: listCols, vals: listVals, n }, m, out, ok);
    },
    // The scorer lists the eligible mentors as it scores: the engine's lists need no mask.
    readPairs,
  };
}

/** Rows scored already (`ScoredRows`), served as lists (so the engine keeps no copy). Each row's
 * range check and tally bits come on its first read, as a scored row's would, inside the solve's
 * clock; the reason counts are copied at once. */
function scoredSource(
  scored: ScoredRows,
  m: number,
  tally: EligibilityTally | undefined,
  throwOutOfRange: (i: number, cols: Int32Array | Uint16Array, vals: Float64Array) => never,
): RowSource {
  tally?.count.set(scored.counts);
  const checked = new Uint8Array(scored.cols.length);
  const list = (i: number): PairList => {
    const cols = scored.cols[i];
    const vals = scored.vals[i];
    if (checked[i] === 0) {
      let bad = 0;
      for (let t = 0; t < vals.length; t++) bad |= Number(!(Math.abs(vals[t]) <= MAX_SCORE));
      if (bad !== 0) throwOutOfRange(i, cols, vals);
      if (tally) tallyBits(cols, vals, cols.length, tally, i);
      checked[i] = 1;
    }
    return { cols, vals, n: cols.length };
  };
  return {
    kind: "rows",
    list,
    readPairs(i, cols, vals) {
      const l = list(i);
      cols.set(l.cols);
      vals.set(l.vals);
      return l.n;
    },
    readRow: (i, out, ok) => spreadList(list(i), m, out, ok),
  };
}

/**
 * Finds the mentee–mentor pairs with the most total fit that respect every capacity, every
 * mentee's min/max mentors, every mentor's minimum load, every eligibility rule and every locked
 * pair — exactly, with a certificate (`verifyMatch` checks it). Never throws for a cohort that
 * parsed; rules that cannot all hold come back as `status: "infeasible"` with a diagnosis.
 */
export function match(cohort: Cohort, options: MatchOptions = {}): MatchResult {
  return matchScored(cohort, undefined, options);
}

/** `match` with the rows already scored (`ScoredRows`, e.g. on worker threads), or scored on the
 * fly when `scored` is undefined. Internal: the Node entry's `matchParallel` uses it. */
export function matchScored(
  cohort: Cohort,
  scored: ScoredRows | undefined,
  options: MatchOptions = {},
): MatchResult {
  checkCohortArg(cohort);
  const checked = checkMatchOptions(options);
  const scorer = createScorer(cohort.view);
  const coverageFirst = checked.coverageFirst ?? cohort.program.coverageFirst;
  const tally = newTally(cohort.view.mentees.count, cohort.view.mentors.count);
  const res = solveInstance(cohortInstance(cohort, scorer, coverageFirst, tally, scored), checked, {
    ownReasons: true,
  });
  return collect(cohort, scorer, res, tally);
}

/** `match`'s options, checked (an `InputError` naming each bad one). */
export function checkMatchOptions(options: unknown): MatchOptions {
  return checkSolveOptions(options, {
    coverageFirst: (v) => (typeof v === "boolean" ? undefined : "true or false"),
  }) as MatchOptions;
}

/**
 * Checks a `match` result against the cohort with no trust in the solver: the pairs are eligible
 * and within every bound, locked pairs are in, the objective is their total fit, and the duals
 * bound every possible total by the same number. One pass over all pairs (scored on the fly).
 */
export function verifyMatch(cohort: Cohort, result: MatchResult): VerifyResult {
  return verifyScored(cohort, undefined, result);
}

/** `verifyMatch` over rows already scored (`ScoredRows`, e.g. on worker threads), or scored on
 * the fly when `scored` is undefined. Internal: the Node entry's `verifyMatchParallel` uses it. */
export function verifyScored(
  cohort: Cohort,
  scored: ScoredRows | undefined,
  result: MatchResult,
): VerifyResult {
  checkCohortArg(cohort);
  checkMatchResultShape(result);
  const scorer = createScorer(cohort.view);
  const { menteeById, mentorById } = cohort.index;
  const inst = cohortInstance(
    cohort,
    scorer,
    result.status === "optimal" && result.certificate.coverage !== undefined,
    undefined,
    scored,
  );
  const row = Int32Array.from(result.pairs, (p) => menteeById.get(p.mentee) ?? -1);
  const col = Int32Array.from(result.pairs, (p) => mentorById.get(p.mentor) ?? -1);
  const base = {
    pairs: { row, col },
    objective: result.objective,
    unmatched: { row: new Int32Array(0), reason: [] },
    stats: result.stats,
  };
  const engine: AssignmentResult =
    result.status === "optimal"
      ? {
          ...base,
          status: "optimal",
          bound: result.bound,
          certificate: {
            rowDual: Float64Array.from(result.certificate.menteeDual),
            colDual: Float64Array.from(result.certificate.mentorDual),
            countDual: result.certificate.countDual,
            coverage: result.certificate.coverage && {
              count: result.certificate.coverage.count,
              rowDual: Float64Array.from(result.certificate.coverage.menteeDual),
              colDual: Float64Array.from(result.certificate.coverage.mentorDual),
            },
          },
        }
      : result.status === "time_limit"
        ? {
            ...base,
            status: "time_limit",
            reason: result.reason,
            bound: result.bound,
            feasible: result.feasible,
          }
        : {
            ...base,
            status: "infeasible",
            diagnosis: { kind: "total", needed: 0, possible: 0, message: "" },
          };
  return verifyInstance(inst, engine);
}

/** `verifyMatch`'s second argument must look like a `match` result: an `InputError` says what is
 * missing, rather than a TypeError from deep inside the check. */
export function checkMatchResultShape(result: unknown): void {
  const r = result as Partial<Record<string, unknown>> | null;
  const issues: Issue[] = [];
  if (r === null || typeof r !== "object")
    issues.push(pathIssue("invalid_result", [], `Expected a result of match, got ${got(r)}`));
  else {
    issues.push(...statusAndObjectiveIssues(r));
    const pairs = r.pairs;
    if (!Array.isArray(pairs))
      issues.push(pathIssue("invalid_result", ["pairs"], `Expected an array, got ${got(pairs)}`));
    else
      pairs.forEach((p: unknown, k) => {
        const q = p as { mentee?: unknown; mentor?: unknown } | null;
        if (
          q === null ||
          typeof q !== "object" ||
          typeof q.mentee !== "string" ||
          typeof q.mentor !== "string"
        )
          issues.push(
            pathIssue(
              "invalid_result",
              ["pairs", k],
              `Expected { mentee, mentor } ids, got ${got(p)}`,
            ),
          );
      });
    const c = r.certificate as
      { menteeDual?: unknown; mentorDual?: unknown; coverage?: unknown } | undefined;
    const cov = c?.coverage as { menteeDual?: unknown; mentorDual?: unknown } | null | undefined;
    if (
      r.status === "optimal" &&
      (c === null ||
        typeof c !== "object" ||
        !Array.isArray(c.menteeDual) ||
        !Array.isArray(c.mentorDual) ||
        (cov !== undefined &&
          (cov === null || !Array.isArray(cov.menteeDual) || !Array.isArray(cov.mentorDual))))
    )
      issues.push(
        pathIssue(
          "invalid_result",
          ["certificate"],
          `An optimal result carries { menteeDual, mentorDual } (and a coverage proof of the same form), got ${got(c)}`,
        ),
      );
  }
  if (issues.length > 0) throw new InputError(issues.slice(0, 20), "result");
}

/** Indices → ids, and the engine's reasons → reasons a program lead can act on. */
function collect(
  cohort: Cohort,
  scorer: Scorer,
  res: AssignmentResult,
  tally: EligibilityTally,
): MatchResult {
  const { menteeIds, mentorIds } = cohort.index;
  const { mentors, locked } = cohort.view;
  const isLocked = new Set(locked.map((p) => p.mentee * mentors.count + p.mentor));
  const pairs = Array.from(res.pairs.row, (i, k) => {
    const j = res.pairs.col[k];
    return {
      mentee: menteeIds[i],
      mentor: mentorIds[j],
      score: scorer.score(i, j),
      locked: isLocked.has(i * mentors.count + j),
    };
  });
  const load = new Int32Array(mentors.count);
  for (const j of res.pairs.col) load[j]++;
  const loads: MentorLoad[] = mentorIds.map((id, j) => ({
    mentor: id,
    load: load[j],
    capacity: mentors.capacity[j],
    minLoad: mentors.minLoad[j],
  }));
  // Mentors with room, as a bit set like the tally's rows.
  const withRoom = new Uint32Array(tally.words);
  for (let j = 0; j < mentors.count; j++)
    if (load[j] < mentors.capacity[j]) withRoom[j >>> 5] |= 1 << (j & 31);
  const unmatched = Array.from(res.unmatched.row, (i) =>
    unmatchedMentee(cohort, scorer, i, withRoom, res.status === "time_limit", tally),
  );
  const base = {
    pairs,
    objective: res.objective,
    unmatched,
    mentors: loads,
    equity: equityStatus(cohort),
    stats: res.stats,
  };
  if (res.status === "optimal") {
    const c = res.certificate;
    return {
      ...base,
      status: "optimal",
      bound: res.bound,
      certificate: {
        menteeDual: Array.from(c.rowDual),
        mentorDual: Array.from(c.colDual),
        ...(c.countDual !== undefined ? { countDual: c.countDual } : {}),
        ...(c.coverage
          ? {
              coverage: {
                count: c.coverage.count,
                menteeDual: Array.from(c.coverage.rowDual),
                mentorDual: Array.from(c.coverage.colDual),
              },
            }
          : {}),
      },
    };
  }
  if (res.status === "time_limit")
    return {
      ...base,
      status: "time_limit",
      reason: res.reason,
      bound: res.bound,
      feasible: res.feasible,
    };
  return { ...base, status: "infeasible", diagnosis: diagnosis(cohort, scorer, res.diagnosis) };
}

/** Every declared equity rule with what match did with it (see `EquityRuleStatus`). */
function equityStatus(cohort: Cohort): EquityRuleStatus[] {
  return cohort.equity.map((rule, index) => {
    const at = `program.equity[${index}] (${rule.kind})`;
    return rule.kind === "minFit"
      ? {
          index,
          kind: rule.kind,
          enforced: true,
          message: `${at} is enforced: pairs with a fit below ${cohort.view.minFit} were not allowed, so every pair here has at least that fit, and the certificate proves the total best among such pairs.`,
        }
      : {
          index,
          kind: rule.kind,
          enforced: false,
          message: `${at} is not enforced: match does not apply this kind of equity rule yet, and these pairs were chosen without it.`,
        };
  });
}

function unmatchedMentee(
  cohort: Cohort,
  scorer: Scorer,
  i: number,
  withRoom: Uint32Array,
  stoppedEarly: boolean,
  tally: EligibilityTally,
): UnmatchedMentee {
  const { mentees, mentors } = cohort.view;
  const m = mentors.count;
  const codes = REASONS.length;
  const { words } = tally;
  if (tally.seen[i] === 0) {
    // A row the solve never read (it was stopped first): scored here, once.
    const fit = new Float64Array(m);
    const reason = new Uint8Array(m);
    const elig = new Int32Array(m);
    const k = scorer.scoreRow(i, fit, reason, elig);
    const vals = gather<Float64Array>(fit, elig.subarray(0, k));
    tallyBits(elig, vals, k, tally, i);
    countReasons(reason, m, tally.count, i * codes);
  }
  const count = tally.count.subarray(i * codes, (i + 1) * codes);
  const eligibleBits = tally.eligible.subarray(i * words, (i + 1) * words);
  const positiveBits = tally.positive.subarray(i * words, (i + 1) * words);
  const eligible = count[0];
  let room = false;
  let roomWithFit = false;
  for (let w = 0; w < words; w++) {
    if ((eligibleBits[w] & withRoom[w]) !== 0) room = true;
    if ((positiveBits[w] & withRoom[w]) !== 0) roomWithFit = true;
  }
  const blockedBy: { rule: IneligibleReason; mentors: number }[] = [];
  for (let r = 1; r < codes; r++)
    if (count[r] > 0) blockedBy.push({ rule: REASONS[r]!, mentors: count[r] });
  blockedBy.sort((a, b) => b.mentors - a.mentors || (a.rule < b.rule ? -1 : 1));
  let why: UnmatchedMenteeReason;
  if (mentees.maxMentors[i] === 0) why = "max_mentors_zero";
  else if (eligible === 0) why = "no_eligible_mentor";
  // At an optimum a mentor with room and a positive fit would have been used, so this only
  // happens when the solve was cut short.
  else if (roomWithFit) why = stoppedEarly ? "stopped_early" : "mentors_full";
  else why = room ? "no_fit" : "mentors_full";
  return { mentee: cohort.index.menteeIds[i], reason: why, eligibleMentors: eligible, blockedBy };
}

function diagnosis(cohort: Cohort, scorer: Scorer, d: InfeasibilityDiagnosis): MatchDiagnosis {
  const { menteeIds, mentorIds } = cohort.index;
  const quote = (ids: readonly string[]) =>
    ids.length > 8
      ? `${ids
          .slice(0, 8)
          .map((s) => `"${s}"`)
          .join(", ")} and ${ids.length - 8} more`
      : ids.map((s) => `"${s}"`).join(", ");
  switch (d.kind) {
    case "forced": {
      const [i, j] = d.pair ?? [d.index ?? 0, -1];
      const mentee = menteeIds[i];
      const mentor = j >= 0 ? mentorIds[j] : undefined;
      return {
        kind: "locked",
        mentee,
        ...(mentor !== undefined ? { mentor } : {}),
        needed: d.needed,
        possible: d.possible,
        message:
          mentor !== undefined
            ? `Locked pair ("${mentee}", "${mentor}") cannot be kept: ${d.message.replace(/^Pair \([^)]*\) /, "it ")} Remove or change that lock.`
            : `Locked pairs exceed a bound: ${d.message} Remove a lock or raise the bound.`,
      };
    }
    case "row_min": {
      const group = (d.rows ?? (d.index !== undefined ? [d.index] : [])).map((i) => menteeIds[i]);
      // A single mentee found short before solving: its eligible mentors are the ones to name.
      const cols = d.cols ?? eligibleMentors(scorer, d.index ?? 0, mentorIds.length);
      const their = cols.map((j) => mentorIds[j]);
      return {
        kind: "mentee_min",
        ...(d.index !== undefined ? { mentee: menteeIds[d.index] } : {}),
        mentees: group,
        mentors: their,
        needed: d.needed,
        possible: d.possible,
        message: `Mentees ${quote(group)} need at least ${d.needed} mentors in all (minMentors, beyond locked pairs), but the only mentors eligible for them (${their.length ? quote(their) : "none"}) can take ${d.possible}. Lower a minMentors, raise a capacity, or widen eligibility.`,
      };
    }
    case "col_min": {
      const mentor = mentorIds[d.index ?? 0];
      return {
        kind: "mentor_min",
        mentor,
        needed: d.needed,
        possible: d.possible,
        message: `Mentor "${mentor}" needs at least ${d.needed} mentees (minLoad), but only ${d.possible} can be given to them with every other rule kept. Lower that minLoad or widen eligibility.`,
      };
    }
    default:
      return {
        kind: "total",
        needed: d.needed,
        possible: d.possible,
        message: `${d.message
          .replace(/Column minimums/, "Mentor minLoads")
          .replace(/Row minimums/, "Mentee minMentors")
          .replace(/the rows/, "the mentees")
          .replace(/the columns/, "the mentors")} Lower the minimums or add capacity.`,
      };
  }
}

function eligibleMentors(scorer: Scorer, i: number, m: number): number[] {
  const out = new Float64Array(m);
  const reason = new Uint8Array(m);
  scorer.scoreRow(i, out, reason);
  const list: number[] = [];
  for (let j = 0; j < m; j++) if (reason[j] === 0) list.push(j);
  return list;
}
