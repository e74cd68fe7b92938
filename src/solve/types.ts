/**
 * Public types of the assignment engine (`solveAssignment`, `verifyCertificate`).
 *
 * Rows are mentees, columns are mentors, but nothing here knows that: the engine takes scores,
 * bounds and pair rules, and returns pairs, duals and a status.
 */

export type Sense = "max" | "min";

/** A bound for every row (or column): one number for all, or one per row. */
export type Bound = number | ArrayLike<number>;

/** Allowed pairs in coordinate form (a sparse problem). Duplicate pairs are an input error. */
export interface SparsePairs {
  readonly row: ArrayLike<number>;
  readonly col: ArrayLike<number>;
  readonly score: ArrayLike<number>;
}

export interface AssignmentProblem {
  /**
   * Dense scores: `number[][]` (rows × cols), or a flat row-major `Float64Array` of
   * `rows * cols` with `rows` and `cols` given. Give exactly one of `scores`, `pairs` and
   * `scoreRow`.
   * Scores must be finite: NaN and ±Infinity are rejected (say "not allowed" with `forbidden`,
   * `allowed` or by leaving the pair out of `pairs`).
   */
  readonly scores?: readonly (readonly number[])[] | Float64Array;
  readonly rows?: number;
  readonly cols?: number;
  /** With dense `scores` (flat or `number[][]`): `allowed[i * cols + j]` 1 = the pair may be
   * used, 0 = it may not. Not accepted with `pairs` or `scoreRow` (they say it themselves). */
  readonly allowed?: Uint8Array;
  /** Sparse alternative to `scores`: the only allowed pairs, with their scores. */
  readonly pairs?: SparsePairs;
  /**
   * On-the-fly alternative to `scores` for problems too large to hold (needs `rows` and `cols`):
   * fill `scores[j]` for every column j of row i and set `allowed[j] = 0` for pairs that may not
   * be used (`allowed` comes filled with 1). Each row is computed once and kept while the whole
   * matrix fits 1 GiB (9 bytes a pair); above that no n·m array is built, the engine calls it
   * again whenever it re-reads a row (so it must return the same values every time), and on
   * large problems a sample of the rows is kept, at most 1 GiB (docs/ENGINE.md). A score left
   * unset or not finite on an allowed pair throws `InputError` when the engine reads it.
   */
  readonly scoreRow?: (i: number, scores: Float64Array, allowed: Uint8Array) => void;
  /** Fewest / most columns per row. Defaults 0 and 1. */
  readonly rowMin?: Bound;
  readonly rowMax?: Bound;
  /** Fewest / most rows per column. Defaults 0 and 1. */
  readonly colMin?: Bound;
  readonly colMax?: Bound;
  /** Pairs that must be in the answer. */
  readonly forced?: readonly (readonly [number, number])[];
  /** Pairs that must not be in the answer. */
  readonly forbidden?: readonly (readonly [number, number])[];
  /** Maximize (default) or minimize the total score. */
  readonly sense?: Sense;
  /**
   * Lexicographic: first cover as many rows as possible (a row is covered when it has at least
   * one pair; every bound, forced and forbidden pair holds), then the best total score among
   * the answers that cover that many. A row with `rowMax` 2 counts once, however many pairs it
   * gets. The certificate proves both (`Certificate.coverage`).
   */
  readonly coverageFirst?: boolean;
}

export interface SolveProgress {
  readonly phase: "candidates" | "coverage" | "solve" | "pricing";
  /** Units of work done and in all (augmentations for `solve`, rows for `pricing`). */
  readonly done: number;
  readonly total: number;
}

/**
 * How a solve runs: no option changes the optimum of a solve that finishes, only how long it
 * takes and whether it stops early. Each is optional; `DEFAULT_SOLVE_OPTIONS` holds the defaults. They apply to
 * `solveAssignment` and, through `MatchOptions`, to `match`, `auditFairness` and `matchParallel`
 * (where a time limit covers the whole call: scoring, every solve, the equity search).
 */
export interface SolveOptions {
  /** Stop after this many milliseconds and return `time_limit` with the best answer so far and a
   * valid bound. Default Infinity (no limit). */
  readonly timeLimitMs?: number;
  /** Abort: checked by every long loop; returns `time_limit` (reason "aborted") the same way.
   * Default: none. */
  readonly signal?: AbortSignal;
  /** Called as the solve works (phase, done, total; `SolveProgress`). Default: none. */
  readonly onProgress?: (progress: SolveProgress) => void;
  /** Candidates per row in the first sparse solve (more are priced in as needed, so the answer
   * does not depend on it; only the time does). Default "auto" (docs/ENGINE.md). */
  readonly candidatesPerRow?: number | "auto";
}

/**
 * The dual certificate. For the problem in its own sense, with row duals u and column duals v,
 *
 *   bound(u, v) = Σ_i h(u_i; rowMin_i, rowMax_i) + Σ_j h(v_j; colMin_j, colMax_j)
 *               + Σ_{forced (i,j)} (s_ij − u_i − v_j)
 *               + Σ_{other allowed (i,j)} max(0, s_ij − u_i − v_j)      (max sense)
 *
 * where h(y; lo, hi) = hi·y if y ≥ 0 else lo·y, with the bounds as given (forced pairs count
 * toward them). bound(u, v) ≥ every feasible objective (weak duality, for ANY u, v), so a
 * feasible answer whose objective equals bound(u, v) is optimal. For min sense the same holds
 * with all scores and the objective negated. `verifyCertificate` recomputes this from the
 * problem alone.
 *
 * Coverage-first, both proofs are this bound on an augmented problem (docs/ENGINE.md,
 * "Coverage-first"): one more column Z ("uncovered", dual z) with a pair (i, Z) for every row
 * with rowMin_i = 0 and rowMax_i ≥ 1, whose minimum becomes 1 (so h(u_i; 1, rowMax_i) for
 * those rows). With R the rows that may be covered (rowMax ≥ 1) and U = R − `coverage.count`:
 *
 *   coverage proof (`coverage`): every real score 0, Z pairs −1, Z's load in [0, |Z rows|]:
 *     bound + h(z; 0, |Z rows|) + Σ_{Z rows} max(0, −1 − u_i − z) = −U, so every feasible
 *     answer leaves at least U rows uncovered: `count` is the most rows covered;
 *   main proof (`rowDual`, `colDual`, `uncoveredDual`): the real scores, Z pairs 0, Z's load
 *     exactly U: bound + U·z + Σ_{Z rows} max(0, −u_i − z) = objective, the best total among
 *     the answers that cover `count` rows.
 */
export interface Certificate {
  readonly rowDual: Float64Array;
  readonly colDual: Float64Array;
  /** Coverage-first only: the dual z of the uncovered column in the main proof. */
  readonly uncoveredDual?: number;
  /** Coverage-first only: the number of rows covered (with at least one pair), proven the most
   * possible, and its proof (the augmented bound with real scores 0 and Z pairs −1). */
  readonly coverage?: {
    readonly count: number;
    readonly rowDual: Float64Array;
    readonly colDual: Float64Array;
    readonly uncoveredDual: number;
  };
}

export type UnmatchedReason =
  /** The row has no allowed column at all. */
  | "no_allowed_pairs"
  /** Every allowed column is full with pairs worth more to the total (or the row's max is 0). */
  | "capacity"
  /** A pair would lower the total (max sense with non-positive scores, or min with positive). */
  | "not_beneficial"
  /** `time_limit` only: the solve stopped before it could tell (e.g. before reading the row). */
  | "not_reached";

/** How a forced pair contradicts the problem by itself. */
export type ForcedConflict =
  /** The pair is forced twice (a pair can be used once). */
  | "repeated"
  /** The pair is both forced and forbidden. */
  | "forbidden"
  /** The pair is forced but not allowed (left out of `pairs`, or `allowed` 0). */
  | "not_allowed";

/** Why a problem has no feasible answer, as data; `message` is rendered from the other fields. */
export interface InfeasibilityDiagnosis {
  /** Which bound cannot be met. */
  readonly kind:
    | "row_min" // a row cannot get its minimum
    | "col_min" // a column cannot reach its minimum load
    | "total" // totals of minimums cannot be met together
    | "forced"; // forced pairs break a bound or repeat / forbid each other
  /** `forced`: the pair `pair` contradicts the problem by itself (absent: more forced pairs on
   * row or column `index` than its maximum, `side` says which). */
  readonly conflict?: ForcedConflict;
  /** `total`: "col" = the columns' minimums need more pairs than the rows can take, "row" = the
   * rows' minimums more than the columns can take. `forced` over a maximum: whether `index` is a
   * row or a column. */
  readonly side?: "row" | "col";
  /** `col_min`: true when the column has enough allowed rows but the other bounds take them. */
  readonly crowded?: boolean;
  /** Row or column index, where one is to blame. */
  readonly index?: number;
  /** The pair to blame (`forced`): [row, col]. */
  readonly pair?: readonly [number, number];
  /** A group to blame (`row_min`): rows that compete for the columns `cols`. */
  readonly rows?: readonly number[];
  readonly cols?: readonly number[];
  /** What is needed and what is possible (e.g. rowMin 2, but only 1 allowed column). */
  readonly needed: number;
  readonly possible: number;
  /** One sentence, rendered from the fields above. */
  readonly message: string;
}

export interface AssignmentResultBase {
  /** Pairs (row, col), sorted by row then column. */
  readonly pairs: { readonly row: Int32Array; readonly col: Int32Array };
  /** Σ score over `pairs` in the problem's sense and units. */
  readonly objective: number;
  /** Rows with no pair, ascending, with a reason each (same order); empty when infeasible. */
  readonly unmatched: { readonly row: Int32Array; readonly reason: readonly UnmatchedReason[] };
  readonly stats: SolveStats;
}

export interface SolveStats {
  readonly rows: number;
  readonly cols: number;
  /** Allowed pairs in the problem. */
  readonly allowedPairs: number;
  /** Pairs the sparse solve worked on at the end (candidates plus priced-in pairs). */
  readonly candidatePairs: number;
  readonly pricingRounds: number;
  /** Shortest augmenting paths of the exact phase (its first run on each phase's graph). */
  readonly augmentations: number;
  /** Network simplex pivots of the exact phase (the runs after pricing rounds; ENGINE.md). */
  readonly pivots: number;
  /** Bids and full row re-reads of the auction warm start (0 when it was not used). */
  readonly auctionBids: number;
  readonly auctionScans: number;
  /** Rows of the sample auctioned first for starting prices (0 when not sampled; ENGINE.md). */
  readonly sampleRows: number;
  readonly timeMs: number;
  /** Where the time went (ms): the sample (starting prices), candidate lists, auction, exact
   * flow phase, pricing passes. */
  readonly phaseMs: {
    readonly sample: number;
    readonly candidates: number;
    readonly auction: number;
    readonly flow: number;
    readonly pricing: number;
  };
}

export interface OptimalResult extends AssignmentResultBase {
  readonly status: "optimal";
  /** Dual bound; equals `objective` within the documented tolerance (docs/ENGINE.md). */
  readonly bound: number;
  readonly certificate: Certificate;
}

export interface TimeLimitResult extends AssignmentResultBase {
  readonly status: "time_limit";
  /** "time" or "aborted". */
  readonly reason: "time" | "aborted";
  /** A valid bound on the optimum from the current duals (+Infinity / −Infinity if none yet). */
  readonly bound: number;
  /** The answer so far is feasible for every bound (it may not be while lower bounds are open). */
  readonly feasible: boolean;
}

export interface InfeasibleResult extends AssignmentResultBase {
  readonly status: "infeasible";
  readonly diagnosis: InfeasibilityDiagnosis;
}

export type AssignmentResult = OptimalResult | TimeLimitResult | InfeasibleResult;

export interface VerifyResult {
  readonly ok: boolean;
  readonly primalFeasible: boolean;
  /** bound − objective in the max sense (≥ 0 up to rounding); 0 proves optimality. */
  readonly gap: number;
  readonly objective: number;
  readonly bound: number;
  /** The largest |gap| accepted: 1e-9 · σ · max(1, pairs in the answer), σ the largest |score|
   * over the pairs that may be used (docs/ENGINE.md, "Numbers"); NaN when no bound was checked. */
  readonly tolerance: number;
  /** What failed, in words (empty when ok). */
  readonly problems: readonly string[];
}
