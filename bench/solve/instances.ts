/**
 * Seeded, mentoring-like assignment instances for the engine benchmark.
 *
 * A score is a low-rank skill fit plus a mentor-wide popularity term plus per-pair noise:
 *
 *   raw(i, j)   = 0.55 · fit(i, j) + 0.25 · pop(j) + 0.20 · noise(i, j)        ∈ [0, 1]
 *   fit(i, j)   = Σ_k need[i][k] · skill[j][k] / Σ_k need[i][k]                 (SKILLS dims)
 *   pop(j)      = u³ for a uniform u, so a few mentors are wanted by nearly everyone
 *   score(i, j) = round(10 · 1024 · raw) / 1024                                  ∈ [0, 10]
 *
 * Scores are multiples of 1/1024, so every sum of up to 2^40 of them is exact in a double: solvers
 * that find the same optimum report bit-identical objectives, whatever order they add in. With
 * 10,241 levels, equal scores for one mentee happen (ties are possible) but optima are not flat.
 * About 10% of pairs are ineligible (`allowed` = 0, score stored as 0). Every mentor has the same
 * capacity (5 by default).
 *
 * Per-mentee and per-mentor factors come from a mulberry32 stream; per-pair eligibility and noise
 * come from one integer hash of (seed, i, j). So any score can be computed on its own (`scoreAt`),
 * and the dense instance and an on-the-fly one (the 100,000 × 10,000 case) agree exactly.
 */

import { closeSync, existsSync, openSync, readSync, writeSync } from "node:fs";

export const SKILLS = 6;
export const INELIGIBLE_SHARE = 0.1;
export const SCORE_MAX = 10;
/** Scores are multiples of 1 / SCORE_GRID. */
export const SCORE_GRID = 1024;

export interface InstanceSpec {
  readonly rows: number;
  readonly cols: number;
  readonly capacity: number;
  readonly seed: number;
}

/** Factors that determine every score; O((rows + cols) · SKILLS) memory. */
export interface InstanceFactors extends InstanceSpec {
  /** rows × SKILLS, row-major: how much mentee i needs skill k. */
  readonly need: Float64Array;
  /** 1 / Σ_k need[i][k]. */
  readonly needInv: Float64Array;
  /** cols × SKILLS, row-major: mentor j's level in skill k. */
  readonly skill: Float64Array;
  readonly popularity: Float64Array;
}

/** A dense instance in the engine's flat form: `scores[i * cols + j]`, `allowed` 1/0. */
export interface Instance extends InstanceSpec {
  readonly scores: Float64Array;
  readonly allowed: Uint8Array;
}

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit avalanche mix (the murmur3 finalizer), for per-pair randomness with random access. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Per-row key of the pair hash; hoisted out of the inner loop. */
function rowKey(salt: number, i: number): number {
  return mix32(salt ^ Math.imul(i + 1, 0x9e3779b1));
}

/**
 * One uniform [0, 1) per pair. Below INELIGIBLE_SHARE the pair is ineligible; otherwise the
 * rescaled remainder, again uniform on [0, 1), is the pair's noise. One hash per pair.
 */
function pairUniform(key: number, j: number): number {
  return mix32(key ^ Math.imul(j + 1, 0x7feb352d)) / 4294967296;
}

const NOISE_SCALE = 1 / (1 - INELIGIBLE_SHARE);

export function makeFactors(spec: InstanceSpec): InstanceFactors {
  const { rows, cols } = spec;
  const rand = mulberry32(spec.seed);
  const need = new Float64Array(rows * SKILLS);
  const needInv = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let k = 0; k < SKILLS; k++) {
      // Squared: most mentees need a few skills much more than the rest.
      const u = rand();
      const v = u * u + 1e-3;
      need[i * SKILLS + k] = v;
      sum += v;
    }
    needInv[i] = 1 / sum;
  }
  const skill = new Float64Array(cols * SKILLS);
  const popularity = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    for (let k = 0; k < SKILLS; k++) skill[j * SKILLS + k] = rand();
    const u = rand();
    popularity[j] = u * u * u;
  }
  return { ...spec, need, needInv, skill, popularity };
}

function quantize(raw: number): number {
  // Math.round written out (V8's costs ~10 ns here, more than the rest of a score): floor(y + 0.5)
  // is never below round(y), and is one above only when y + 0.5 rounded up to an integer
  // (y = 0.49999999999999994); r − 0.5 is exact, so the test catches exactly that case.
  const y = raw * SCORE_MAX * SCORE_GRID;
  let r = Math.floor(y + 0.5);
  if (r - 0.5 > y) r -= 1;
  return r / SCORE_GRID;
}

/**
 * Random-access view of an instance: the score and eligibility of any pair without the dense
 * matrix. `score(i, j)` returns the stored score (0 for an ineligible pair).
 */
export interface LazyInstance extends InstanceSpec {
  readonly allowedAt: (i: number, j: number) => boolean;
  readonly scoreAt: (i: number, j: number) => number;
  /** Row i in the engine's `scoreRow` form: scores[j], and allowed[j] = 0 where ineligible. */
  readonly fillRow: (i: number, scores: Float64Array, allowed: Uint8Array) => void;
}

export function lazyInstance(spec: InstanceSpec): LazyInstance {
  const f = makeFactors(spec);
  const salt = mix32(spec.seed ^ 0x1b873593);
  const allowedAt = (i: number, j: number): boolean =>
    pairUniform(rowKey(salt, i), j) >= INELIGIBLE_SHARE;
  const scoreAt = (i: number, j: number): number => {
    const u = pairUniform(rowKey(salt, i), j);
    if (u < INELIGIBLE_SHARE) return 0;
    const a = i * SKILLS;
    const b = j * SKILLS;
    let dot = 0;
    for (let k = 0; k < SKILLS; k++) dot += f.need[a + k] * f.skill[b + k];
    const noise = (u - INELIGIBLE_SHARE) * NOISE_SCALE;
    return quantize(0.55 * dot * f.needInv[i] + 0.25 * f.popularity[j] + 0.2 * noise);
  };
  const { need, skill, popularity, needInv } = f;
  // The same arithmetic as scoreAt, in the same order (so the same doubles), with the row's
  // factors hoisted out of the column loop: this is the "user's scorer" of the on-the-fly case.
  const fillRow = (i: number, scores: Float64Array, allowed: Uint8Array): void => {
    const a = i * SKILLS;
    const n0 = need[a];
    const n1 = need[a + 1];
    const n2 = need[a + 2];
    const n3 = need[a + 3];
    const n4 = need[a + 4];
    const n5 = need[a + 5];
    const key = rowKey(salt, i);
    const inv = needInv[i];
    const cols = spec.cols;
    const cut = INELIGIBLE_SHARE;
    const noiseScale = NOISE_SCALE;
    for (let j = 0; j < cols; j++) {
      const u = pairUniform(key, j);
      if (u < cut) {
        allowed[j] = 0;
        continue;
      }
      const b = j * SKILLS;
      const dot =
        n0 * skill[b] +
        n1 * skill[b + 1] +
        n2 * skill[b + 2] +
        n3 * skill[b + 3] +
        n4 * skill[b + 4] +
        n5 * skill[b + 5];
      const noise = (u - cut) * noiseScale;
      scores[j] = quantize(0.55 * dot * inv + 0.25 * popularity[j] + 0.2 * noise);
    }
  };
  return { ...spec, allowedAt, scoreAt, fillRow };
}

/** The dense instance (rows · cols doubles + bytes). Same values as `lazyInstance(spec)`. */
export function generateInstance(spec: InstanceSpec): Instance {
  const { rows, cols } = spec;
  const f = makeFactors(spec);
  const salt = mix32(spec.seed ^ 0x1b873593);
  const scores = new Float64Array(rows * cols);
  const allowed = new Uint8Array(rows * cols);
  const { need, skill, popularity } = f;
  for (let i = 0; i < rows; i++) {
    const a = i * SKILLS;
    const base = i * cols;
    const inv = f.needInv[i];
    const key = rowKey(salt, i);
    for (let j = 0; j < cols; j++) {
      const u = pairUniform(key, j);
      if (u < INELIGIBLE_SHARE) continue;
      const b = j * SKILLS;
      let dot = 0;
      for (let k = 0; k < SKILLS; k++) dot += need[a + k] * skill[b + k];
      const noise = (u - INELIGIBLE_SHARE) * NOISE_SCALE;
      scores[base + j] = quantize(0.55 * dot * inv + 0.25 * popularity[j] + 0.2 * noise);
      allowed[base + j] = 1;
    }
  }
  return { ...spec, scores, allowed };
}

/** A short fingerprint so every child process can show it worked on the same instance. */
export function instanceDigest(inst: Instance): string {
  let h = 0x811c9dc5;
  let total = 0;
  let allowedCount = 0;
  for (let p = 0; p < inst.scores.length; p++) {
    if (inst.allowed[p] === 0) continue;
    allowedCount++;
    const q = Math.round(inst.scores[p] * SCORE_GRID);
    total += q;
    h = Math.imul(h ^ q ^ p, 0x01000193);
  }
  return `${(h >>> 0).toString(16).padStart(8, "0")}:${allowedCount}:${total}`;
}

/** "5000x1000" → { rows: 5000, cols: 1000 }. */
export function parseSize(text: string): { rows: number; cols: number } {
  const m = /^\s*(\d[\d_,]*)\s*[x×]\s*(\d[\d_,]*)\s*$/i.exec(text);
  if (!m) throw new Error(`Bad size "${text}": expected ROWSxCOLS, e.g. 5000x1000.`);
  const num = (t: string) => Number(t.replace(/[_,]/g, ""));
  return { rows: num(m[1]), cols: num(m[2]) };
}

export function formatSize(rows: number, cols: number): string {
  return `${rows.toLocaleString("en-US")} × ${cols.toLocaleString("en-US")}`;
}

/**
 * Instance files: the runner generates each size once and its children read it back (a 20,000 ×
 * 4,000 instance takes seconds to generate and 0.3 s to read). Layout: a 32-byte header (magic,
 * rows, cols, capacity, seed), then rows·cols float64 scores, then rows·cols allowed bytes.
 */
const MAGIC = 0x4d464231; // "MFB1"
const HEADER = 32;

export function writeInstanceFile(path: string, inst: Instance): void {
  const head = new Int32Array([MAGIC, inst.rows, inst.cols, inst.capacity, inst.seed, 0, 0, 0]);
  const fd = openSync(path, "w");
  try {
    writeFully(fd, new Uint8Array(head.buffer));
    writeFully(
      fd,
      new Uint8Array(inst.scores.buffer, inst.scores.byteOffset, inst.scores.byteLength),
    );
    writeFully(fd, inst.allowed);
  } finally {
    closeSync(fd);
  }
}

/** Reads an instance file, or returns undefined if it is missing or for another spec. */
export function readInstanceFile(path: string, spec: InstanceSpec): Instance | undefined {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, "r");
  try {
    const head = new Int32Array(8);
    readFully(fd, new Uint8Array(head.buffer), 0);
    const { rows, cols, capacity, seed } = spec;
    if (head[0] !== MAGIC || head[1] !== rows || head[2] !== cols) return undefined;
    if (head[3] !== capacity || head[4] !== seed) return undefined;
    const n = rows * cols;
    const scores = new Float64Array(n);
    const allowed = new Uint8Array(n);
    readFully(fd, new Uint8Array(scores.buffer), HEADER);
    readFully(fd, allowed, HEADER + 8 * n);
    return { ...spec, scores, allowed };
  } finally {
    closeSync(fd);
  }
}

function writeFully(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) {
    done += writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30));
  }
}

function readFully(fd: number, into: Uint8Array, position: number): void {
  // readSync moves at most 2 GiB per call.
  for (let done = 0; done < into.length;) {
    const got = readSync(fd, into, done, Math.min(into.length - done, 1 << 30), position + done);
    if (got <= 0) throw new Error("instance file is truncated");
    done += got;
  }
}
