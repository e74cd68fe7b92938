/**
 * Survival curves for the program's time-to-event outcomes (retention: time until someone leaves
 * the organization; time to independence): the Kaplan–Meier estimate with right censoring, its
 * Greenwood standard errors and pointwise confidence intervals, the median time with its
 * interval, the restricted mean up to a horizon, and the log-rank test between groups.
 *
 * - Kaplan & Meier, "Nonparametric estimation from incomplete observations", JASA 53 (1958):
 *   S(t) = Π_{t_i ≤ t} (1 − d_i / n_i) over the distinct event times t_i, with n_i at risk (time
 *   ≥ t_i: someone censored at t_i counts as at risk at t_i) and d_i events.
 * - Greenwood (1926): Var S(t) = S(t)² Σ_{t_i ≤ t} d_i / (n_i (n_i − d_i)).
 * - Intervals (Kalbfleisch & Prentice, 2002, §1.4): "log", S · exp(± z σ) with σ² the Greenwood
 *   sum (R survival's default), and "log-log", S^exp(∓ z σ / ln S) (always inside [0, 1]).
 * - Median: the first time S ≤ 0.5 (the middle of the flat stretch when S is exactly 0.5 there,
 *   as R's survival package takes it); its interval (Brookmeyer & Crowley, Biometrics 38, 1982):
 *   the first times the lower and the upper band reach 0.5; `null` where a curve never does.
 * - Restricted mean survival time up to τ: ∫₀^τ S(t) dt, with the variance
 *   Σ_{t_i ≤ τ} A_i² d_i / (n_i (n_i − d_i)), A_i = ∫_{t_i}^τ S(t) dt (Klein & Moeschberger,
 *   *Survival Analysis*, 2nd ed., §4.5).
 * - Log-rank test (Mantel 1966; Peto & Peto 1972): at each distinct event time, the expected
 *   events of group j are d · n_j / n; the statistic is (O − E)ᵀ V⁻¹ (O − E) over all groups but
 *   the last, V_jk = d (n − d) / (n − 1) · n_j / n · (δ_jk − n_k / n), chi-square with groups − 1
 *   degrees of freedom.
 *
 * Plain data in, plain JSON out; the order of the observations changes nothing.
 */
import { InputError, pathIssue, type Issue } from "../schema/errors.js";
import { chiSquareTail, normalQuantile } from "./special.js";

/** One person's time to the event or to censoring. */
export interface SurvivalObservation {
  /** Time from the start (any unit, e.g. months), ≥ 0. */
  readonly time: number;
  /** true: the event happened at `time`; false: censored (followed until `time`, no event). */
  readonly event: boolean;
}

export type ConfidenceType = "log" | "log-log";

export interface KaplanMeierOptions {
  /** Confidence level of the intervals, in (0, 1). Default 0.95. */
  readonly level?: number;
  /** How the pointwise intervals are built. Default "log" (R survival's default). */
  readonly confType?: ConfidenceType;
  /** Restricted mean survival time up to this time (> 0). Default: none. */
  readonly horizon?: number;
}

/** The curve at one distinct event time. */
export interface SurvivalStep {
  readonly time: number;
  readonly atRisk: number;
  readonly events: number;
  /** Censored at this time (they count as at risk here). */
  readonly censored: number;
  readonly survival: number;
  /** Greenwood standard error of `survival` (NaN once the curve is 0). */
  readonly stdErr: number;
  /** The pointwise interval (NaN once the curve is 0: undefined there). */
  readonly lower: number;
  readonly upper: number;
}

export interface KaplanMeierCurve {
  readonly n: number;
  readonly events: number;
  readonly level: number;
  readonly confType: ConfidenceType;
  /** One step per distinct event time, in time order (S = 1 before the first). */
  readonly steps: readonly SurvivalStep[];
  /** Censored after the last event time (not in any step). */
  readonly censoredAfter: number;
  /** The median time and its interval; null where the curve (or the band) never reaches 0.5. */
  readonly median: {
    readonly time: number | null;
    readonly lower: number | null;
    readonly upper: number | null;
  };
  /** Restricted mean up to `horizon` (with `options.horizon`). */
  readonly restrictedMean?: {
    readonly horizon: number;
    readonly value: number;
    readonly stdErr: number;
  };
}

/** The curve's value at time t (a right-continuous step function). */
export function survivalAt(curve: KaplanMeierCurve, t: number): number {
  let s = 1;
  for (const step of curve.steps) {
    if (step.time > t) break;
    s = step.survival;
  }
  return s;
}

function checkObservations(obs: unknown, path: (string | number)[]): Issue[] {
  if (!Array.isArray(obs))
    return [pathIssue("invalid_type", path, "Expected an array of { time, event }")];
  const issues: Issue[] = [];
  obs.forEach((o: unknown, k) => {
    const r = o as { time?: unknown; event?: unknown } | null;
    if (r === null || typeof r !== "object") {
      issues.push(pathIssue("invalid_type", [...path, k], "Expected { time, event }"));
      return;
    }
    if (typeof r.time !== "number" || !Number.isFinite(r.time) || r.time < 0)
      issues.push(
        pathIssue(
          "invalid_value",
          [...path, k, "time"],
          `Expected a time ≥ 0, got ${JSON.stringify(r.time)}`,
        ),
      );
    if (typeof r.event !== "boolean")
      issues.push(
        pathIssue(
          "invalid_type",
          [...path, k, "event"],
          `Expected true (the event happened) or false (censored), got ${JSON.stringify(r.event)}`,
        ),
      );
  });
  return issues;
}

function checkOptions(o: KaplanMeierOptions): Issue[] {
  const issues: Issue[] = [];
  if (o.level !== undefined && !(o.level > 0 && o.level < 1))
    issues.push(
      pathIssue("invalid_option", ["level"], "Expected a level between 0 and 1, e.g. 0.95"),
    );
  if (o.confType !== undefined && o.confType !== "log" && o.confType !== "log-log")
    issues.push(pathIssue("invalid_option", ["confType"], 'Expected "log" or "log-log"'));
  if (o.horizon !== undefined && !(Number.isFinite(o.horizon) && o.horizon > 0))
    issues.push(pathIssue("invalid_option", ["horizon"], "Expected a horizon above 0"));
  return issues;
}

/** Distinct times in order, with the events and censorings at each. */
function table(obs: readonly SurvivalObservation[]) {
  const sorted = [...obs].sort((a, b) => a.time - b.time);
  const times: number[] = [];
  const events: number[] = [];
  const censored: number[] = [];
  for (const o of sorted) {
    if (times.length === 0 || times[times.length - 1] !== o.time) {
      times.push(o.time);
      events.push(0);
      censored.push(0);
    }
    if (o.event) events[events.length - 1]++;
    else censored[censored.length - 1]++;
  }
  return { times, events, censored };
}

/**
 * The Kaplan–Meier curve of `observations` (see the module's notes). Invalid input throws one
 * `InputError` naming every problem (`observations[k].time`, an option).
 */
export function kaplanMeier(
  observations: readonly SurvivalObservation[],
  options: KaplanMeierOptions = {},
): KaplanMeierCurve {
  const issues = [...checkObservations(observations, ["observations"]), ...checkOptions(options)];
  if (issues.length > 0) throw new InputError(issues, "survival");
  const level = options.level ?? 0.95;
  const confType = options.confType ?? "log";
  const z = normalQuantile(1 - (1 - level) / 2);
  const { times, events, censored } = table(observations);
  const steps: SurvivalStep[] = [];
  let atRisk = observations.length;
  let s = 1;
  let greenwood = 0;
  let censoredAfter = 0;
  for (let k = 0; k < times.length; k++) {
    const d = events[k];
    if (d > 0) {
      s *= 1 - d / atRisk;
      greenwood += atRisk > d ? d / (atRisk * (atRisk - d)) : Infinity;
      const [lower, upper] = band(s, greenwood, z, confType);
      steps.push({
        time: times[k],
        atRisk,
        events: d,
        censored: censored[k],
        survival: s,
        stdErr: s > 0 ? s * Math.sqrt(greenwood) : NaN,
        lower,
        upper,
      });
      censoredAfter = 0;
    } else censoredAfter += censored[k];
    atRisk -= d + censored[k];
  }
  const curve = {
    n: observations.length,
    events: events.reduce((a, b) => a + b, 0),
    level,
    confType,
    steps,
    censoredAfter,
    median: {
      time: medianTime(steps, (x) => x.survival),
      lower: firstAtMost(steps, (x) => x.lower),
      upper: firstAtMost(steps, (x) => x.upper),
    },
  };
  return options.horizon === undefined
    ? curve
    : { ...curve, restrictedMean: restrictedMean(steps, options.horizon) };
}

/** The pointwise interval at S with Greenwood sum g. */
function band(s: number, g: number, z: number, type: ConfidenceType): [number, number] {
  // Once the curve is 0 the interval is undefined (R's NA): NaN, which no band test passes.
  if (s <= 0 || !Number.isFinite(g)) return [NaN, NaN];
  const sigma = Math.sqrt(g);
  if (type === "log") return [s * Math.exp(-z * sigma), Math.min(1, s * Math.exp(z * sigma))];
  if (s >= 1) return [1, 1];
  const spread = (z * sigma) / Math.log(s); // negative: ln s < 0
  return [Math.pow(s, Math.exp(-spread)), Math.pow(s, Math.exp(spread))];
}

const HALF = 0.5;
const TIE = 1e-12;

/** The first time the curve is at most 0.5; when it is exactly 0.5 over a stretch, its middle. */
function medianTime(steps: readonly SurvivalStep[], f: (x: SurvivalStep) => number): number | null {
  for (let k = 0; k < steps.length; k++) {
    const v = f(steps[k]);
    if (Math.abs(v - HALF) <= TIE)
      return k + 1 < steps.length ? (steps[k].time + steps[k + 1].time) / 2 : steps[k].time;
    if (v < HALF) return steps[k].time;
  }
  return null;
}

/** The first time the band is at most 0.5 (the median's interval end). */
function firstAtMost(
  steps: readonly SurvivalStep[],
  f: (x: SurvivalStep) => number,
): number | null {
  for (const x of steps) if (f(x) <= HALF + TIE) return x.time;
  return null;
}

function restrictedMean(steps: readonly SurvivalStep[], tau: number) {
  // ∫₀^τ S: S = 1 before the first step, each step's value until the next step or τ.
  const inside = steps.filter((x) => x.time <= tau);
  let value = 0;
  let from = 0;
  let s = 1;
  for (const x of inside) {
    value += s * (x.time - from);
    from = x.time;
    s = x.survival;
  }
  value += s * (tau - from);
  // A_i = ∫_{t_i}^τ S, accumulated from the right.
  let variance = 0;
  let tail = 0;
  for (let k = inside.length - 1; k >= 0; k--) {
    const x = inside[k];
    const next = k + 1 < inside.length ? inside[k + 1].time : tau;
    tail += x.survival * (next - x.time);
    if (x.atRisk > x.events)
      variance += (tail * tail * x.events) / (x.atRisk * (x.atRisk - x.events));
  }
  return { horizon: tau, value, stdErr: Math.sqrt(variance) };
}

/** A group's observed and expected events under the log-rank test. */
export interface LogRankGroup {
  readonly label: string;
  readonly n: number;
  readonly observed: number;
  readonly expected: number;
}

export interface LogRankResult {
  readonly chiSquare: number;
  readonly df: number;
  readonly pValue: number;
  readonly groups: readonly LogRankGroup[];
}

/**
 * The log-rank test that the groups' survival curves are the same (see the module's notes).
 * At least two groups with distinct labels; invalid input throws one `InputError` naming every
 * problem (`groups[g].observations[k].time` …).
 */
export function logRank(
  groups: readonly {
    readonly label: string;
    readonly observations: readonly SurvivalObservation[];
  }[],
): LogRankResult {
  const issues: Issue[] = [];
  if (!Array.isArray(groups) || groups.length < 2)
    issues.push(
      pathIssue("invalid_argument", ["groups"], "Expected at least two groups to compare"),
    );
  const seen = new Set<string>();
  (Array.isArray(groups) ? groups : []).forEach((g, k) => {
    if (typeof g?.label !== "string" || g.label === "")
      issues.push(pathIssue("invalid_type", ["groups", k, "label"], "Expected a label"));
    else if (seen.has(g.label))
      issues.push(
        pathIssue("duplicate_id", ["groups", k, "label"], `The label "${g.label}" is given twice`),
      );
    else seen.add(g.label);
    issues.push(...checkObservations(g?.observations, ["groups", k, "observations"]));
  });
  if (issues.length > 0) throw new InputError(issues, "survival");

  const G = groups.length;
  // Every observation as numbers (time, group, event), in time order.
  const total = groups.reduce((a, g) => a + g.observations.length, 0);
  const time = new Float64Array(total);
  const group = new Int32Array(total);
  const event = new Uint8Array(total);
  let at = 0;
  groups.forEach((g, j) => {
    for (const o of g.observations) {
      time[at] = o.time;
      group[at] = j;
      event[at++] = o.event ? 1 : 0;
    }
  });
  const order = Int32Array.from({ length: total }, (_, k) => k).sort(
    (a, b) => time[a] - time[b] || a - b,
  );
  const atRisk = groups.map((g) => g.observations.length);
  const observed = new Float64Array(G);
  const expected = new Float64Array(G);
  const V = Array.from({ length: G }, () => new Float64Array(G));
  const d = new Float64Array(G);
  const gone = new Float64Array(G);
  for (let k = 0; k < total;) {
    const t = time[order[k]];
    d.fill(0);
    gone.fill(0);
    for (; k < total && time[order[k]] === t; k++) {
      const x = order[k];
      gone[group[x]]++;
      if (event[x] === 1) d[group[x]]++;
    }
    let D = 0;
    let N = 0;
    for (let j = 0; j < G; j++) {
      D += d[j];
      N += atRisk[j];
    }
    if (D > 0 && N > 0) {
      const c = N > 1 ? (D * (N - D)) / (N - 1) : 0;
      for (let j = 0; j < G; j++) {
        observed[j] += d[j];
        expected[j] += (D * atRisk[j]) / N;
        for (let l = 0; l < G; l++)
          V[j][l] += (c * atRisk[j] * ((j === l ? 1 : 0) - atRisk[l] / N)) / N;
      }
    }
    for (let j = 0; j < G; j++) atRisk[j] -= gone[j];
  }
  // (O − E)ᵀ V⁻¹ (O − E) on the first G − 1 groups (V is singular over all G).
  const diff = Array.from({ length: G - 1 }, (_, j) => observed[j] - expected[j]);
  const x = solve(
    Array.from({ length: G - 1 }, (_, j) => Array.from(V[j].subarray(0, G - 1))),
    diff,
  );
  const chiSquare = x === undefined ? 0 : diff.reduce((a, v, j) => a + v * x[j], 0);
  const df = G - 1;
  return {
    chiSquare,
    df,
    pValue: chiSquareTail(chiSquare, df),
    groups: groups.map((g, j) => ({
      label: g.label,
      n: g.observations.length,
      observed: observed[j],
      expected: expected[j],
    })),
  };
}

/** A x = b by Gaussian elimination with partial pivoting; undefined when A is singular (no
 * events to compare: the statistic is then 0). */
function solve(A: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  let scale = 0;
  for (const row of A) for (const v of row) scale = Math.max(scale, Math.abs(v));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > 1e-12 * scale)) return undefined;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}
