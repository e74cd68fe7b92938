/**
 * A small seeded PRNG for generators and tests: splitmix32 (the 32-bit variant of Steele, Lea
 * & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014, with the mixing
 * constants of Hash Prospector). Same seed ⇒ same sequence on every platform, because it uses
 * only 32-bit integer arithmetic (`Math.imul`, shifts).
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A uniformly chosen element (the array must not be empty). */
  pick<T>(items: readonly T[]): T;
  /** An index drawn with the given non-negative weights (not all zero). */
  weighted(weights: readonly number[]): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

export function createRandom(seed: number): Random {
  let state = Number.isInteger(seed) ? seed | 0 : hashNumber(seed);
  const next = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z ^= z >>> 15;
    return (z >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let x = next() * total;
      for (let i = 0; i < weights.length; i++) {
        x -= weights[i];
        if (x < 0) return i;
      }
      return weights.length - 1;
    },
    normal: () => {
      const u = 1 - next(); // (0, 1]: log(u) is finite
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

/** A 32-bit hash of a non-integer seed (so 1.5 and 2.5 give different streams). */
function hashNumber(x: number): number {
  const s = String(x);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}
