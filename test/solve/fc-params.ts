/**
 * Shared fast-check run parameters. Reproduce a failure with the seed fast-check prints:
 *   FC_SEED=123456 npx vitest run test/solve
 * and run longer locally with FC_RUNS_SCALE=10.
 */
import fc from "fast-check";

const seedEnv = process.env.FC_SEED;
const scaleEnv = process.env.FC_RUNS_SCALE;

/** The seed from `FC_SEED`, or undefined (fast-check then picks one and prints it on failure). */
export const fcSeed: number | undefined =
  seedEnv !== undefined && seedEnv !== "" ? Number(seedEnv) : undefined;

const scale = scaleEnv !== undefined && scaleEnv !== "" ? Number(scaleEnv) : 1;

/** `numRuns` (scaled by `FC_RUNS_SCALE`), the env seed, and a time cap on the whole property. */
export function fcParams<Ts>(numRuns: number, timeLimitMs = 15_000): fc.Parameters<Ts> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(fcSeed === undefined ? {} : { seed: fcSeed }),
    plugins: [fc.interruptAfterTimeLimit(timeLimitMs * Math.max(1, scale)) as fc.Plugin<Ts>],
  };
}
