/**
 * One solver on one instance, in its own process. The instance is regenerated from its seed (it is
 * deterministic; the digest shows it is the same one the others saw).
 *
 *   node --import tsx bench/solve/child.ts --solver munkres --rows 1000 --cols 200 --seed 1
 *
 * Prints one line `@@result {json}` on stdout (libraries may print their own lines around it).
 */
import { performance } from "node:perf_hooks";
import { runHuge } from "./huge.js";
import {
  generateInstance,
  instanceDigest,
  lazyInstance,
  readInstanceFile,
  writeInstanceFile,
} from "./instances.js";
import { RESULT_MARK, type ChildReport } from "./protocol.js";
import { runSolver, type SolverName } from "./solvers.js";

function arg(name: string, fallback?: string): string {
  const k = process.argv.indexOf(`--${name}`);
  if (k >= 0 && k + 1 < process.argv.length) return process.argv[k + 1];
  if (fallback === undefined) throw new Error(`child.ts: missing --${name}`);
  return fallback;
}

const finite = (x: number | undefined) =>
  x === undefined ? undefined : Number.isFinite(x) ? x : null;

async function main() {
  const solver = arg("solver") as SolverName;
  const rows = Number(arg("rows"));
  const cols = Number(arg("cols"));
  const seed = Number(arg("seed", "1"));
  const capacity = Number(arg("capacity", "5"));
  const reps = Number(arg("reps", "1"));
  const capMs = Number(arg("cap-ms", "60000"));
  let genMs = 0;

  const g0 = performance.now();
  let digest = "on the fly";
  let run;
  if (solver === "huge") {
    // Scores on the fly: no dense matrix anywhere in this process.
    const lazy = lazyInstance({ rows, cols, capacity, seed });
    genMs = performance.now() - g0;
    run = await runHuge(lazy, capMs);
  } else {
    // With --instance-file: the "instance" child generates and writes it, the others read it.
    const file = process.argv.includes("--instance-file") ? arg("instance-file") : undefined;
    const spec = { rows, cols, capacity, seed };
    let inst = file && solver !== "instance" ? readInstanceFile(file, spec) : undefined;
    inst ??= generateInstance(spec);
    genMs = performance.now() - g0;
    if (file && solver === "instance") writeInstanceFile(file, inst);
    digest = instanceDigest(inst);
    run = await runSolver(solver, inst, { reps, capMs });
  }
  const report: ChildReport = {
    solver,
    rows,
    cols,
    digest,
    genMs,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    status: run.status,
    objective: finite(run.objective) ?? null,
    reportedObjective: finite(run.reportedObjective),
    matched: run.matched,
    prepMs: run.prepMs,
    timesMs: run.timesMs,
    ...(run.verified !== undefined ? { verified: run.verified } : {}),
    ...(run.note ? { note: run.note } : {}),
  };
  process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(report)}\n`);
}

main().catch((e: unknown) => {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const report = {
    status: "crash",
    note: msg.slice(0, 300),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`\n${RESULT_MARK}${JSON.stringify(report)}\n`);
  process.exitCode = 1;
});
