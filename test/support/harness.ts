/**
 * What property tests share: fast-check's run count with the seed from FC_SEED (to replay a
 * failure: `FC_SEED=… npx vitest run <file>`), and the MIP oracle loaded once per test file.
 */
import { beforeAll } from "vitest";
import { mipSolver } from "../equity/mip.js";

/** fast-check parameters: `n` runs, seeded from FC_SEED when it is set. */
export const runs = (n: number) => ({
  numRuns: n,
  seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
});

type Highs = Awaited<ReturnType<typeof mipSolver>>;

/** HiGHS, loaded before the file's tests (call at the top level; the getter reads it inside a
 * test). */
export function highsBeforeAll(): () => Highs {
  let h: Highs | undefined;
  beforeAll(async () => {
    h = await mipSolver();
  });
  return () => h!;
}
