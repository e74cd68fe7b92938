/**
 * fast-check arbitraries for assignment problems.
 *
 * A `ProblemSpec` is a form-independent description (all cells with a finite score, an allowed
 * flag per cell, bounds as the user would write them, pair rules, sense). `toProblem` renders it
 * in one of the input forms, so the metamorphic tests can transform specs and render them again.
 */
import fc from "fast-check";
import type { AssignmentProblem } from "../../src/solve/types";

export type Form = "dense" | "flat" | "sparse" | "callback";
export type SparseOrder = "rowMajor" | "colMajor" | "reversed";
/** What the user writes for one bound: nothing, one number, or one per row / column. */
export type BoundSpec = undefined | number | readonly number[];

export interface ProblemSpec {
  readonly rows: number;
  readonly cols: number;
  /** Row-major `rows * cols` finite scores, for allowed and not allowed cells alike. */
  readonly scores: readonly number[];
  /** Row-major allowed flags (a not allowed cell is left out of `pairs`, masked, or forbidden). */
  readonly allowed: readonly boolean[];
  readonly rowMin: BoundSpec;
  readonly rowMax: BoundSpec;
  readonly colMin: BoundSpec;
  readonly colMax: BoundSpec;
  readonly forced: readonly (readonly [number, number])[];
  readonly forbidden: readonly (readonly [number, number])[];
  readonly sense: "max" | "min" | undefined;
  readonly coverageFirst: boolean | undefined;
  readonly form: Form;
  readonly sparseOrder: SparseOrder;
  /** Bounds given as `Float64Array` instead of `number[]` (both are `ArrayLike`). */
  readonly typedBounds: boolean;
}

/** Renders a spec in its form. Dense `number[][]` has no mask: not allowed cells become forbidden. */
export function toProblem(s: ProblemSpec): AssignmentProblem {
  const bound = (b: BoundSpec) =>
    b === undefined || typeof b === "number" ? b : s.typedBounds ? Float64Array.from(b) : [...b];
  const base = {
    rowMin: bound(s.rowMin),
    rowMax: bound(s.rowMax),
    colMin: bound(s.colMin),
    colMax: bound(s.colMax),
    forced: s.forced.map(([i, j]) => [i, j] as const),
    sense: s.sense,
    coverageFirst: s.coverageFirst,
  };
  const clean = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const allAllowed = s.allowed.every(Boolean);
  if (s.form === "dense") {
    const scores = Array.from({ length: s.rows }, (_, i) =>
      s.scores.slice(i * s.cols, (i + 1) * s.cols),
    );
    const forbidden = s.forbidden.map(([i, j]) => [i, j] as const);
    const listed = new Set(forbidden.map(([i, j]) => i * s.cols + j));
    for (let c = 0; c < s.rows * s.cols; c++) {
      if (!s.allowed[c] && !listed.has(c)) forbidden.push([Math.floor(c / s.cols), c % s.cols]);
    }
    // A 0-row matrix cannot say how many columns it has.
    const cols = s.rows === 0 ? { cols: s.cols } : {};
    return clean({ scores, ...cols, forbidden, ...base });
  }
  const forbidden = s.forbidden.map(([i, j]) => [i, j] as const);
  if (s.form === "flat") {
    const allowed = allAllowed ? undefined : Uint8Array.from(s.allowed, (a) => (a ? 1 : 0));
    return clean({
      scores: Float64Array.from(s.scores),
      rows: s.rows,
      cols: s.cols,
      allowed,
      forbidden,
      ...base,
    });
  }
  if (s.form === "callback") {
    // Scores on the fly: a fresh closure over copies, so nothing else can change them.
    const scores = Float64Array.from(s.scores);
    const allowed = Uint8Array.from(s.allowed, (a) => (a ? 1 : 0));
    const cols = s.cols;
    const scoreRow = (i: number, out: Float64Array, ok: Uint8Array) => {
      for (let j = 0; j < cols; j++) {
        out[j] = scores[i * cols + j];
        if (allowed[i * cols + j] === 0) ok[j] = 0;
      }
    };
    return clean({ scoreRow, rows: s.rows, cols: s.cols, forbidden, ...base });
  }
  const cells: number[] = [];
  for (let c = 0; c < s.rows * s.cols; c++) if (s.allowed[c]) cells.push(c);
  if (s.sparseOrder === "colMajor") {
    cells.sort((a, b) => (a % s.cols) - (b % s.cols) || a - b);
  } else if (s.sparseOrder === "reversed") {
    cells.reverse();
  }
  const pairs = {
    row: Int32Array.from(cells, (c) => Math.floor(c / s.cols)),
    col: Int32Array.from(cells, (c) => c % s.cols),
    score: Float64Array.from(cells, (c) => s.scores[c]),
  };
  return clean({ pairs, rows: s.rows, cols: s.cols, forbidden, ...base });
}

export type ScoreKind = "ties" | "int" | "float" | "unit";

/** fast-check's doubles include subnormal numbers; a problem whose scores are ALL that small is
 * outside the engine's supported scale (an input error, tested in numeric.test.ts), so they are
 * snapped to 0 here (below 1e-150, so that scaling by 1e-12 stays supported). */
const supported = (x: number) => (Math.abs(x) < 1e-150 ? 0 : x);

export function scoreArb(kind: ScoreKind): fc.Arbitrary<number> {
  switch (kind) {
    case "ties": // few distinct values: many optimal answers, zero and negative scores
      return fc.integer({ min: -2, max: 3 });
    case "int":
      return fc.integer({ min: -20, max: 60 });
    case "float":
      return fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }).map(supported);
    case "unit": // like match scores in [0, 1]
      return fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true }).map(supported);
  }
}

export interface SpecOptions {
  readonly maxRows?: number;
  readonly maxCols?: number;
  /** Cap on rows * cols (keeps brute force tiny). */
  readonly maxCells?: number;
  /** Largest upper bound generated (lower bounds stay small so most problems are feasible). */
  readonly maxBound?: number;
  readonly forms?: readonly Form[];
  readonly scoreKinds?: readonly ScoreKind[];
  readonly maxForced?: number;
  readonly maxForbidden?: number;
  /** Allow a forced pair that is also forbidden (always infeasible). Default true. */
  readonly contradictions?: boolean;
  readonly senses?: readonly ("max" | "min" | undefined)[];
  readonly coverageFirst?: readonly (boolean | undefined)[];
  /** Generate explicit bounds at all. Default true. */
  readonly bounds?: boolean;
}

type BoundMode = "default" | "scalar" | "array" | "maxOnly" | "minOnly";

/** Lower and upper bound specs for `n` rows (or columns). */
function boundPairArb(
  n: number,
  maxBound: number,
  enabled: boolean,
): fc.Arbitrary<readonly [BoundSpec, BoundSpec]> {
  if (!enabled) return fc.constant([undefined, undefined] as const);
  // Lower bounds mostly 0: a positive minimum on a random problem is often infeasible.
  const lo = fc.oneof(
    { weight: 16, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.constant(1) },
    { weight: 1, arbitrary: fc.constant(2) },
  );
  const loHi = lo.chain((l) =>
    fc.integer({ min: Math.max(l, 0), max: Math.max(l, maxBound) }).map((h) => [l, h] as const),
  );
  const mode = fc.constantFrom<BoundMode>("default", "scalar", "array", "maxOnly", "minOnly");
  return mode.chain((m): fc.Arbitrary<readonly [BoundSpec, BoundSpec]> => {
    switch (m) {
      case "default":
        return fc.constant([undefined, undefined] as const);
      case "scalar":
        return loHi;
      case "array":
        return fc
          .array(loHi, { minLength: n, maxLength: n })
          .map((a) => [a.map((x) => x[0]), a.map((x) => x[1])] as const);
      case "maxOnly":
        return fc
          .array(fc.integer({ min: 0, max: maxBound }), { minLength: n, maxLength: n })
          .map((a) => [undefined, a] as const);
      case "minOnly": // the default maximum is 1
        return fc.integer({ min: 0, max: 1 }).map((l) => [l, undefined] as const);
    }
  });
}

/** A row or column count: sometimes 0, mostly near the maximum. */
function sizeArb(max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: Math.min(1, max), max }) },
    { weight: 5, arbitrary: fc.integer({ min: Math.max(0, max - 1), max }) },
  );
}

/** Problems small enough for the brute-force oracle by default. */
export function problemSpecArb(o: SpecOptions = {}): fc.Arbitrary<ProblemSpec> {
  const maxRows = o.maxRows ?? 4;
  const maxCols = o.maxCols ?? 4;
  const maxCells = o.maxCells ?? 16;
  const maxBound = o.maxBound ?? 3;
  const dims = fc
    .record({ rows: sizeArb(maxRows), cols: sizeArb(maxCols) })
    .map(({ rows, cols }) => ({
      rows,
      cols: rows === 0 ? cols : Math.min(cols, Math.floor(maxCells / rows)),
    }));
  return fc
    .record({
      dims,
      form: fc.constantFrom(...(o.forms ?? (["dense", "flat", "sparse", "callback"] as const))),
      kind: fc.constantFrom(...(o.scoreKinds ?? (["ties", "int", "float", "unit"] as const))),
      // Share of allowed cells, in percent; 100 often.
      density: fc.oneof(fc.constant(100), fc.integer({ min: 30, max: 100 })),
      sense: fc.constantFrom(...(o.senses ?? (["max", "min", undefined] as const))),
      coverageFirst: fc.constantFrom(...(o.coverageFirst ?? ([false, true, undefined] as const))),
      sparseOrder: fc.constantFrom<SparseOrder>("rowMajor", "colMajor", "reversed"),
      typedBounds: fc.boolean(),
    })
    .chain(({ dims: { rows, cols }, form, kind, density, ...rest }) => {
      const cells = rows * cols;
      return fc
        .record({
          scores: fc.array(scoreArb(kind), { minLength: cells, maxLength: cells }),
          allowedDraw: fc.array(fc.integer({ min: 0, max: 99 }), {
            minLength: cells,
            maxLength: cells,
          }),
          rowB: boundPairArb(rows, maxBound, o.bounds ?? true),
          colB: boundPairArb(cols, maxBound, o.bounds ?? true),
          forcedDraw: fc.uniqueArray(fc.nat(Math.max(0, cells - 1)), {
            maxLength: cells === 0 ? 0 : (o.maxForced ?? 2),
          }),
          forbiddenDraw: fc.uniqueArray(fc.nat(Math.max(0, cells - 1)), {
            maxLength: cells === 0 ? 0 : (o.maxForbidden ?? 3),
          }),
          contradiction:
            (o.contradictions ?? true)
              ? fc.oneof(
                  { weight: 9, arbitrary: fc.constant(false) },
                  { weight: 1, arbitrary: fc.constant(true) },
                )
              : fc.constant(false),
        })
        .map(
          ({
            scores,
            allowedDraw,
            rowB,
            colB,
            forcedDraw,
            forbiddenDraw,
            contradiction,
          }): ProblemSpec => {
            const allowed = allowedDraw.map((d) => d < density);
            const at = (c: number) => [Math.floor(c / cols), c % cols] as const;
            const forcedCells = forcedDraw.filter((c) => allowed[c]);
            const forcedSet = new Set(forcedCells);
            const forbiddenCells = forbiddenDraw.filter((c) => !forcedSet.has(c));
            if (contradiction && forcedCells.length > 0) forbiddenCells.push(forcedCells[0]);
            return {
              rows,
              cols,
              scores,
              allowed,
              rowMin: rowB[0],
              rowMax: rowB[1],
              colMin: colB[0],
              colMax: colB[1],
              forced: forcedCells.map(at),
              forbidden: forbiddenCells.map(at),
              form,
              ...rest,
            };
          },
        );
    });
}

export function problemArb(o: SpecOptions = {}): fc.Arbitrary<AssignmentProblem> {
  return problemSpecArb(o).map(toProblem);
}

/** Per-row (or column) values of a bound spec. */
export function expandBoundSpec(b: BoundSpec, n: number, dflt: number): number[] {
  if (b === undefined) return new Array<number>(n).fill(dflt);
  if (typeof b === "number") return new Array<number>(n).fill(b);
  return [...b];
}

/** A dense grid of n × m cells (sizes within the given ranges), each with an integer score in
 * [score[0], score[1]] and an allowed flag: the raw material of the row-major dense problems
 * some properties build by hand. */
export interface Grid {
  n: number;
  m: number;
  score: number[];
  allowed: boolean[];
}

export function gridArb(o: {
  rows: [number, number];
  cols: [number, number];
  score: [number, number];
}): fc.Arbitrary<Grid> {
  return fc
    .record({
      n: fc.integer({ min: o.rows[0], max: o.rows[1] }),
      m: fc.integer({ min: o.cols[0], max: o.cols[1] }),
    })
    .chain(({ n, m }) =>
      fc.record({
        n: fc.constant(n),
        m: fc.constant(m),
        score: fc.array(fc.integer({ min: o.score[0], max: o.score[1] }), {
          minLength: n * m,
          maxLength: n * m,
        }),
        allowed: fc.array(fc.boolean(), { minLength: n * m, maxLength: n * m }),
      }),
    );
}
