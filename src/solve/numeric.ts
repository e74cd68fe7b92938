/**
 * The engine's numerical model, in one place (docs/ENGINE.md, "Numbers").
 *
 * Every tolerance is relative to the problem's SCORE SCALE σ: the largest |score| over the pairs
 * that may be used (allowed, not forbidden; forced pairs included). Nothing is absolute, so
 * multiplying every score by c > 0 multiplies every tolerance by c and changes no decision
 * (exactly so for powers of two; up to one rounding of each score otherwise).
 *
 * - Supported scores: |s| ≤ MAX_SCORE on every allowed pair, and σ = 0 or σ ≥ MIN_SCALE. Sums of
 *   up to 10^100 such scores stay finite, and tolerances stay far from subnormal numbers. Outside
 *   that range the input is rejected (`InputError`), never solved with overflowing sums.
 * - Pricing: a pair left out of the sparse graph is added when its reduced score exceeds
 *   PRICE_REL · σ (far above rounding in s − u − v, far below any difference that matters).
 * - Verification: an answer is accepted as optimal when its total is within
 *   VERIFY_REL · σ · max(1, pairs) of the dual bound, after a rigorous allowance for the rounding
 *   of the verifier's own sums (which are compensated, so that allowance stays tiny).
 */
import { pathIssue, type Issue } from "../schema/errors.js";

/** Largest |score| accepted on an allowed pair. */
export const MAX_SCORE = 1e200;
/** Smallest nonzero score scale accepted. */
export const MIN_SCALE = 1e-200;
/** Pricing adds a left-out pair whose reduced score exceeds this times σ. */
export const PRICE_REL = 2 ** -40;
/** `verifyCertificate` accepts a gap up to this times σ · max(1, pairs in the answer). */
export const VERIFY_REL = 1e-9;

/** The largest |x| of a list (0 when empty). */
export function maxAbs(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) if (Math.abs(a[k]) > s) s = Math.abs(a[k]);
  return s;
}

/** The plain sum of counts (bounds, degrees, loads: whole numbers, exact far below 2^53). */
export function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k];
  return s;
}

/** Unit roundoff of doubles. */
const U = 2 ** -53;

/** Whether a score can be carried by the engine's arithmetic (finite, |s| ≤ MAX_SCORE). */
export const scoreInRange = (s: number): boolean => Math.abs(s) <= MAX_SCORE;

/** What to do about a score outside the range, for messages. */
export const SCORE_RANGE_FIX = `scores must be finite and at most ${MAX_SCORE} in magnitude; divide every score by one positive constant (the optimal pairs do not change)`;

/**
 * The first column j < cols of a row read from a source whose pair is allowed (`ok[j] === 1`)
 * with a score out of range, or whose `ok[j]` is neither 0 nor 1; −1 if none. One check per pair
 * without a data-dependent branch (the mask is ~random); unset scores are NaN and fail it.
 */
export function firstBadScore(out: Float64Array, ok: Uint8Array, cols: number): number {
  let bad = 0;
  for (let j = 0; j < cols; j++) {
    const a = ok[j];
    bad |= (a > 1 ? 1 : 0) | (a === 1 && !(Math.abs(out[j]) <= MAX_SCORE) ? 1 : 0);
  }
  if (bad === 0) return -1;
  for (let j = 0; j < cols; j++) if (ok[j] > 1 || (ok[j] === 1 && !scoreInRange(out[j]))) return j;
  return -1;
}

/** The issue for a problem whose largest |score| is below MIN_SCALE (but not 0). */
export function scaleIssue(scale: number, path: readonly (string | number)[]): Issue | undefined {
  if (scale === 0 || scale >= MIN_SCALE) return undefined;
  return pathIssue(
    "score_scale",
    path,
    `The largest |score| is ${scale}, below the supported ${MIN_SCALE}; multiply every score by one positive constant (the optimal pairs do not change)`,
  );
}

/** The verifier's tolerance for an answer with `pairs` pairs on a problem of scale σ. */
export const verifyTolerance = (scale: number, pairs: number): number =>
  VERIFY_REL * scale * Math.max(1, pairs);

/**
 * A compensated (Neumaier) sum that bounds its own rounding error: `add(x, err)` adds a term
 * known to within `err`; the sum itself adds at most about 2·u·Σ|x| (Higham, "Accuracy and
 * Stability of Numerical Algorithms", 2nd ed., §4.4; for n terms with n·u ≪ 1, which holds for
 * any sum that fits in memory), so `error()` = 3·u·Σ|x| + Σ err bounds |value − exact sum of the
 * exact terms|.
 */
export class ErrorBoundedSum {
  private s = 0;
  private c = 0;
  private abs = 0;
  private err = 0;

  add(x: number, err = 0): void {
    const t = this.s + x;
    if (Math.abs(this.s) >= Math.abs(x)) this.c += this.s - t + x;
    else this.c += x - t + this.s;
    this.s = t;
    this.abs += Math.abs(x);
    this.err += err;
  }

  /** Adds a product a·b (one rounding: off by at most u·|a·b|). */
  addProduct(a: number, b: number): void {
    const p = a * b;
    this.add(p, U * Math.abs(p));
  }

  /**
   * Adds max(0, s − u − v). Clearly negative reduced scores (the usual case) cost one
   * comparison; near 0, the two subtractions are redone exactly (Knuth's TwoSum) so that the
   * sign and the value are right to a few units in the last place of the ERRORS, not of the
   * operands: ties (r = 0 exactly, e.g. on every matched pair) then add nothing to `error()`
   * however many there are.
   */
  addPositivePart(s: number, u: number, v: number): void {
    const r = s - u - v;
    if (r < -4 * U * (Math.abs(s) + Math.abs(u) + Math.abs(v))) return;
    this.addReduced(s, u, v, true);
  }

  /** `addPositivePart(s[t], u, v[col[t]])` for t < k (one row's pairs), with the row's part of
   * the cheap test taken once; returns the largest |s[t]| (and 0 when k = 0). */
  addRowPositiveParts(
    s: Float64Array,
    col: Int32Array,
    k: number,
    u: number,
    v: Float64Array,
  ): number {
    const rowAbs = Math.abs(u);
    let scale = 0;
    for (let t = 0; t < k; t++) {
      const st = s[t];
      const vt = v[col[t]];
      const a = Math.abs(st);
      if (a > scale) scale = a;
      if (st - u - vt < -4 * U * (a + rowAbs + Math.abs(vt))) continue;
      this.addReduced(st, u, vt, true);
    }
    return scale;
  }

  /** The same with every score = `unit`. With `exact` (the caller checked `smallIntegers` on
   * unit, u and v, as the coverage proof's are) each term is computed without rounding and
   * costs one comparison. */
  addRowUnitPositiveParts(
    unit: number,
    col: Int32Array,
    k: number,
    u: number,
    v: Float64Array,
    exact: boolean,
  ): void {
    if (!exact) {
      for (let t = 0; t < k; t++) this.addPositivePart(unit, u, v[col[t]]);
      return;
    }
    for (let t = 0; t < k; t++) {
      const r = unit - u - v[col[t]];
      if (r > 0) this.add(r);
    }
  }

  /** Adds s − u − v (or only its positive part), exactly up to `error()`. */
  addReduced(s: number, u: number, v: number, positivePart = false): void {
    const t1 = s - u;
    const e1 = twoSumErr(s, -u, t1);
    const t2 = t1 - v;
    const e2 = twoSumErr(t1, -v, t2);
    const e = e1 + e2; // off by ≤ (2u + u²)·(|e1| + |e2|)
    const slack = 3 * U * (Math.abs(e1) + Math.abs(e2));
    if (!positivePart || t2 + e > 0) {
      this.add(t2);
      this.add(e, slack);
    } else this.err += slack; // ≤ 0 up to that slack
  }

  get value(): number {
    return this.s + this.c;
  }

  /** An upper bound on |value − exact sum of the exact terms|. */
  error(): number {
    return 3 * U * this.abs + this.err;
  }
}

/** Whether every value is an integer of magnitude ≤ 2^50: then s − u − v over three such values
 * (unit scores against integral duals, as the coverage proof's are) has no rounding. */
export function smallIntegers(...parts: (ArrayLike<number> | number)[]): boolean {
  const ok = (x: number) => Number.isInteger(x) && Math.abs(x) <= 2 ** 50;
  for (const p of parts)
    if (typeof p === "number") {
      if (!ok(p)) return false;
    } else for (let k = 0; k < p.length; k++) if (!ok(p[k])) return false;
  return true;
}

/** An upper bound on the rounding of a value computed with at most three additions from
 * operands `xs` (their magnitudes, summed, times 4u). */
export function roundingMargin(...xs: number[]): number {
  let m = 0;
  for (const x of xs) m += Math.abs(x);
  return 4 * U * m;
}

/** The rounding error of t = fl(a + b): a + b = t + err exactly (Knuth's TwoSum). */
function twoSumErr(a: number, b: number, t: number): number {
  const bb = t - a;
  return a - (t - bb) + (b - bb);
}
