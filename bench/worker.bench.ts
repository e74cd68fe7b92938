/**
 * Matching off the event loop: `npm run bench:worker` (or `npx tsx bench/worker.bench.ts
 * [--sizes 20000x4000] [--reps 3]`).
 *
 * For each size, a seeded cohort (`generateCohort`, seed 1, its equity rules left out) as plain
 * input, then, alternating, `--reps` times after one warm-up:
 *   here     `match(parseCohort(input))` on this thread
 *   worker   `matchInWorker(input)`: the same on a worker thread (the input copied to it, the
 *            result copied back)
 * While each runs, a 5 ms timer ticks on this thread; the longest gap between two ticks is how
 * long a service would stop answering. Prints medians of the wall time and of the longest gap,
 * and the worker's time over this thread's. Runs the built package (dist/, `npm run build`), as
 * a service would: from the sources each worker would first compile them.
 */
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { arg, fmtMs, median, sizesArg } from "./cli.js";

const built = pathToFileURL(join(import.meta.dirname, "..", "dist", "node.js")).href;
const mf = (await import(built)) as typeof import("../src/node/index.js");

const reps = Number(arg("reps", "3"));

/** Wall time of `run` and the longest gap between ticks of a 5 ms timer while it ran. */
async function observe(run: () => Promise<unknown>): Promise<{ ms: number; stallMs: number }> {
  let last = performance.now();
  let stall = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 5);
  await new Promise((r) => setTimeout(r, 20)); // the timer is ticking
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 20)); // and ticks once more after a blocking run
  clearInterval(tick);
  return { ms, stallMs: stall };
}

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}`);
for (const [mentees, mentors] of sizesArg("20000x4000")) {
  const input = mf.generateCohort({ mentees, mentors, seed: 1 });
  const plain = { ...input, program: { ...input.program, equity: [] } };
  const rows = {
    here: [] as number[],
    worker: [] as number[],
    hereStall: [] as number[],
    workerStall: [] as number[],
  };
  for (let rep = 0; rep <= reps; rep++) {
    const a = await observe(async () => mf.match(mf.parseCohort(plain)));
    const b = await observe(() => mf.matchInWorker(plain));
    if (rep === 0) continue; // warm-up
    rows.here.push(a.ms);
    rows.hereStall.push(a.stallMs);
    rows.worker.push(b.ms);
    rows.workerStall.push(b.stallMs);
  }
  const m = (xs: number[]) => median(xs);
  console.log(
    `${mentees.toLocaleString("en-US")} × ${mentors.toLocaleString("en-US")}: ` +
      `this thread ${fmtMs(m(rows.here))} (event loop stalled ${fmtMs(m(rows.hereStall))}); ` +
      `worker ${fmtMs(m(rows.worker))} (stalled ${fmtMs(m(rows.workerStall))}); ` +
      `worker / this thread ${(m(rows.worker) / m(rows.here)).toFixed(2)}× (medians of ${reps})`,
  );
}
process.exit(0);
