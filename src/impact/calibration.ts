/**
 * Calibration (docs/IMPACT.md): how well the match score and each of its terms predicted the
 * growth that followed, and weights the evidence suggests for the next round — never applied,
 * only returned, with the evidence beside them.
 *
 * For each consenting mentee with a mentor: the outcome y is the share of the weighted gap closed
 * (the scorecard's `gapClosed`); the predictors are the pair's fit and its terms' values before
 * weighting (`explain(i, j).values`: gap coverage, cross-department, preference, aspiration,
 * time zone, language; the mean over the mentee's mentors).
 * - Pearson correlation of y with the fit and with each term, with a 95% interval (Fisher's z).
 * - Ridge regression of y on the terms (standardized; the intercept not penalized): the
 *   coefficients β = (XᵀX + λI)⁻¹ Xᵀy, λ chosen from a grid by k-fold cross-validation, the
 *   out-of-sample error (RMSE) beside the error of predicting the mean, and each coefficient's
 *   bootstrap 95% interval (seeded resamples of the mentees).
 * - Suggested weights: each term's coefficient per unit of its value, scaled so that the gap
 *   term keeps its current weight (negative ones as 0); a term whose bootstrap interval holds 0
 *   (no evidence either way), or that is constant over the sample, keeps its current weight. None
 *   (with a warning) when the sample is too small (fewer than 30 mentees, or 10 per term) or the
 *   gap term's coefficient is not positive.
 */
import { Matrix, solve } from "ml-matrix";
import type { Cohort } from "../cohort/types.js";
import type { ImpactMatch } from "./followup.js";
import { createScorer } from "../score/scorer.js";
import { createRandom } from "../generate/random.js";
import { normalQuantile } from "./special.js";
import type { Scorecard } from "./scorecard.js";

export interface CalibrationOptions {
  /** Folds of the cross-validation (default 5). */
  readonly folds?: number;
  /** Ridge penalties tried (default 0, 0.1, 1, 10, 100). */
  readonly penalties?: readonly number[];
  /** Bootstrap resamples for the coefficients' intervals (default 200). */
  readonly resamples?: number;
  /** Seed of the folds and resamples (default 1). */
  readonly seed?: number;
}

export interface Correlation {
  readonly term: string;
  readonly r: number;
  readonly lower: number;
  readonly upper: number;
  readonly n: number;
}

export interface Calibration {
  /** Mentees in the sample (consenting, with a mentor). */
  readonly n: number;
  /** The fit's and each term's correlation with the gap closed. */
  readonly correlations: readonly Correlation[];
  /** The ridge regression on the terms (terms constant over the sample are left out). */
  readonly regression: {
    readonly terms: readonly string[];
    readonly penalty: number;
    /** Per unit of each term's value, with its bootstrap 95% interval. */
    readonly coefficients: readonly {
      readonly term: string;
      readonly value: number;
      readonly lower: number;
      readonly upper: number;
    }[];
    readonly intercept: number;
    /** Out-of-sample root mean squared error (k-fold), and that of predicting the mean. */
    readonly cvError: number;
    readonly baselineError: number;
  } | null;
  /** Weights the evidence suggests (the gap weight kept as it is); null with `warning`. */
  readonly suggestedWeights: Readonly<Record<string, number>> | null;
  readonly currentWeights: Readonly<Record<string, number>>;
  readonly warning?: string;
}

const MIN_SAMPLE = 30;
const PER_TERM = 10;

/** Calibrates the score of `result` against the growth in `card` (see the module's notes). */
export function calibrate(
  cohort: Cohort,
  result: ImpactMatch,
  card: Scorecard,
  options: CalibrationOptions = {},
): Calibration {
  const scorer = createScorer(cohort.view);
  const { index } = cohort;
  const weights = cohort.view.scoring.weights as unknown as Record<string, number>;
  const mentorsOf = new Map<string, number[]>();
  for (const p of result.pairs) {
    const list = mentorsOf.get(p.mentee);
    if (list) list.push(index.mentorById.get(p.mentor)!);
    else mentorsOf.set(p.mentee, [index.mentorById.get(p.mentor)!]);
  }
  const rows = card.mentees.filter((m) => mentorsOf.has(m.mentee));
  let terms: string[] = [];
  const fit: number[] = [];
  const X: number[][] = [];
  const y: number[] = [];
  for (const m of rows) {
    const i = index.menteeById.get(m.mentee)!;
    const js = mentorsOf.get(m.mentee)!;
    const parts = js.map((j) => scorer.explain(i, j));
    if (terms.length === 0) terms = Object.keys(parts[0].values).sort();
    X.push(
      terms.map(
        (t) =>
          parts.reduce((a, e) => a + (e.values as Record<string, number>)[t], 0) / parts.length,
      ),
    );
    fit.push(parts.reduce((a, e) => a + e.total, 0) / parts.length);
    y.push(m.gapClosed);
  }
  const n = y.length;
  const correlations = [
    correlation("fit", fit, y),
    ...terms.map((t, c) =>
      correlation(
        t,
        X.map((r) => r[c]),
        y,
      ),
    ),
  ];
  const varying = terms.filter((_, c) => sd(X.map((r) => r[c])) > 0);
  const currentWeights = Object.fromEntries(terms.map((t) => [t, weights[t] ?? 0]));
  const tooSmall = n < Math.max(MIN_SAMPLE, PER_TERM * Math.max(1, varying.length));
  if (varying.length === 0 || n < 3)
    return {
      n,
      correlations,
      regression: null,
      suggestedWeights: null,
      currentWeights,
      warning: `${n} mentees with a mentor and records: too few to say anything about the weights`,
    };
  const cols = varying.map((t) => terms.indexOf(t));
  const Z = X.map((r) => cols.map((c) => r[c]));
  const rng = createRandom(options.seed ?? 1);
  const folds = Math.min(options.folds ?? 5, n);
  const order = Array.from({ length: n }, (_, k) => k);
  for (let k = n - 1; k > 0; k--) {
    const s = rng.int(0, k);
    [order[k], order[s]] = [order[s], order[k]];
  }
  const foldOf = new Int32Array(n);
  order.forEach((row, k) => (foldOf[row] = k % folds));
  const cvFor = (penalty: number) => {
    let se = 0;
    let base = 0;
    for (let f = 0; f < folds; f++) {
      const inTrain = new Uint8Array(n);
      const test: number[] = [];
      let trained = 0;
      let sum = 0;
      for (let r = 0; r < n; r++) {
        if (foldOf[r] === f) test.push(r);
        else {
          inTrain[r] = 1;
          trained++;
          sum += y[r];
        }
      }
      if (trained < 2 || test.length === 0) continue;
      const model = ridge(Z, y, penalty, inTrain);
      const mean = sum / trained;
      for (const r of test) {
        se += (predict(model, Z[r]) - y[r]) ** 2;
        base += (mean - y[r]) ** 2;
      }
    }
    return { rmse: Math.sqrt(se / n), base: Math.sqrt(base / n) };
  };
  const grid = options.penalties ?? [0, 0.1, 1, 10, 100];
  const tried = grid.map((penalty) => ({ penalty, ...cvFor(penalty) }));
  const chosen = tried.reduce((a, b) => (b.rmse < a.rmse - 1e-15 ? b : a));
  const model = ridge(Z, y, chosen.penalty);
  const B = options.resamples ?? 200;
  const boot: number[][] = cols.map(() => []);
  for (let b = 0; b < B; b++) {
    const times = new Float64Array(n); // how often each row is drawn
    for (let k = 0; k < n; k++) times[rng.int(0, n - 1)]++;
    const m = ridge(Z, y, chosen.penalty, times);
    m.beta.forEach((v, c) => boot[c].push(v));
  }
  const coefficients = varying.map((term, c) => {
    const sorted = boot[c].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    const q = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * sorted.length)))];
    return { term, value: model.beta[c], lower: q(0.025), upper: q(0.975) };
  });
  const gap = coefficients.find((c) => c.term === "gap");
  let suggestedWeights: Record<string, number> | null = null;
  let warning: string | undefined;
  if (tooSmall)
    warning = `${n} mentees for ${varying.length} terms: at least ${Math.max(MIN_SAMPLE, PER_TERM * varying.length)} are needed before the evidence suggests weights`;
  else if (!gap || !(gap.value > 0))
    warning = "growth did not rise with gap coverage in this sample: no weights suggested";
  else {
    const scale = (weights.gap ?? 1) / gap.value;
    // A term whose interval holds 0 gives no evidence to change its weight: it stays.
    suggestedWeights = Object.fromEntries(
      terms.map((t) => {
        const c = coefficients.find((x) => x.term === t);
        const evident = c !== undefined && (c.lower > 0 || c.upper < 0);
        return [t, t === "gap" || evident ? Math.max(0, c!.value * scale) : (weights[t] ?? 0)];
      }),
    );
  }
  return {
    n,
    correlations,
    regression: {
      terms: varying,
      penalty: chosen.penalty,
      coefficients,
      intercept: model.intercept,
      cvError: chosen.rmse,
      baselineError: chosen.base,
    },
    suggestedWeights,
    currentWeights,
    ...(warning ? { warning } : {}),
  };
}

const mean = (a: readonly number[]) => a.reduce((x, y) => x + y, 0) / a.length;
function sd(a: readonly number[]): number {
  if (a.length < 2) return 0;
  const m = mean(a);
  return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1));
}

/** Pearson's r with a 95% interval from Fisher's z (NaN where a side is constant). */
export function correlation(term: string, x: readonly number[], y: readonly number[]): Correlation {
  const n = x.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) ** 2;
    syy += (y[k] - my) ** 2;
  }
  const r = sxx > 0 && syy > 0 ? Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))) : NaN;
  if (!(n > 3) || !Number.isFinite(r) || Math.abs(r) === 1)
    return { term, r, lower: NaN, upper: NaN, n };
  const z = Math.atanh(r);
  const half = normalQuantile(0.975) / Math.sqrt(n - 3);
  return { term, r, lower: Math.tanh(z - half), upper: Math.tanh(z + half), n };
}

/** A ridge model on raw predictors: intercept and one coefficient per column. */
export interface RidgeModel {
  readonly intercept: number;
  readonly beta: readonly number[];
}

/**
 * Ridge regression with an unpenalized intercept: the columns standardized (mean 0, standard
 * deviation 1), β_std = (ZᵀZ + λI)⁻¹ Zᵀ(y − ȳ), then mapped back to the raw columns. With
 * `weight`, row r counts `weight[r]` times (a bootstrap resample, or 0/1 for a fold's training
 * rows) — the same model as on the rows repeated, without building them. ZᵀZ and Zᵀy are summed
 * here in one pass (p × p, whatever the rows); `ml-matrix` solves the p × p system.
 */
export function ridge(
  X: readonly (readonly number[])[],
  y: readonly number[],
  penalty: number,
  weight?: ArrayLike<number>,
): RidgeModel {
  const n = y.length;
  const p = X[0]?.length ?? 0;
  const w = (r: number) => (weight ? weight[r] : 1);
  let W = 0;
  let my = 0;
  const mu = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const wr = w(r);
    if (wr === 0) continue;
    W += wr;
    my += wr * y[r];
    for (let c = 0; c < p; c++) mu[c] += wr * X[r][c];
  }
  if (W === 0 || p === 0) return { intercept: W > 0 ? my / W : NaN, beta: [] };
  my /= W;
  for (let c = 0; c < p; c++) mu[c] /= W;
  const s = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const wr = w(r);
    if (wr === 0) continue;
    for (let c = 0; c < p; c++) s[c] += wr * (X[r][c] - mu[c]) ** 2;
  }
  for (let c = 0; c < p; c++) s[c] = W > 1 ? Math.sqrt(s[c] / (W - 1)) || 1 : 1;
  // ZᵀZ (lower triangle) and Zᵀ(y − ȳ), summed in plain arrays; ml-matrix takes the p × p system.
  const zz = new Float64Array(p * p);
  const zy = new Float64Array(p);
  const z = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const wr = w(r);
    if (wr === 0) continue;
    const row = X[r];
    for (let c = 0; c < p; c++) z[c] = (row[c] - mu[c]) / s[c];
    const yc = wr * (y[r] - my);
    for (let c = 0; c < p; c++) {
      const wz = wr * z[c];
      zy[c] += z[c] * yc;
      for (let d = 0; d <= c; d++) zz[c * p + d] += wz * z[d];
    }
  }
  const A = Matrix.from1DArray(p, p, zz);
  for (let c = 0; c < p; c++) {
    A.set(c, c, A.get(c, c) + penalty);
    for (let d = 0; d < c; d++) A.set(d, c, A.get(c, d));
  }
  const beta = solve(A, Matrix.columnVector(Array.from(zy)), true).getColumn(0);
  const raw = beta.map((v, c) => v / s[c]);
  return { intercept: my - raw.reduce((a, v, c) => a + v * mu[c], 0), beta: raw };
}

export const predict = (m: RidgeModel, x: readonly number[]): number =>
  m.beta.reduce((a, v, c) => a + v * x[c], m.intercept);
