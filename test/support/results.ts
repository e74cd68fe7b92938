/**
 * A match result without its clocks (they differ run to run), for tests that compare two runs
 * of the same match: on this thread and on a worker thread, or over HTTP.
 */
import type { MatchResult } from "../../src/index.js";

export const timeless = (r: MatchResult) => ({
  ...r,
  stats: { ...r.stats, timeMs: 0, phaseMs: undefined, solves: undefined },
});
