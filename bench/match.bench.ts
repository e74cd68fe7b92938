/**
 * `match` on realistic cohorts: `npm run bench:match -- [--sizes 1000x200,5000x1000]
 * [--seeds 1] [--reps 3] [--scipy] [--out bench/results/match.md]`.
 *
 * Cohorts come from the project's own seeded generator (`generateCohort`): scarce mentors (places
 * ≈ half the mentees), tied integer-scale proficiencies, ~5% two-mentor mentees, peer mentors with
 * a minimum load, coverage-first (the generator's program), without its equity rules (this is the
 * engine's bench; rules: bench/equity.bench.ts). Per cohort, beside each other in one
 * run: `parseCohort`, ONE SCORING PASS over all pairs (the floor any exact method roughly pays),
 * `match` as the program says (coverage-first) and plain, and `verifyMatch`; medians of --reps.
 * With --scipy, the engine alone on the cohort's dense matrix (each mentee one mentor, no
 * minimum loads) beside scipy's C++ `linear_sum_assignment` on the slot-expanded matrix (Debian
 * `python3-scipy`; benchmark only, never in CI or the package), same objective required: ours
 * timed after a few untimed solves (the JIT's warm-up), its first solve shown beside.
 * `--modes plain` (or `cov`) times one of the two `match` runs only (for the largest sizes); `par`
 * adds plain `match` and `verifyMatch` with their scoring pass on worker threads (`matchParallel`,
 * `verifyMatchParallel`, the Node entry; from these TypeScript sources each thread first compiles
 * its module, which the built package does not). `--time-limit S` gives each `match` a limit in
 * seconds; the table ends with the process's peak memory.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateCohort } from "../src/generate/cohort.js";
import { match, verifyMatch } from "../src/match/match.js";
import { matchParallel, verifyMatchParallel } from "../src/node/parallel.js";
import type { MatchResult } from "../src/match/types.js";
import { parseCohort } from "../src/cohort/parse.js";
import { scoreMatrix } from "../src/score/matrix.js";
import { createScorer } from "../src/score/scorer.js";
import { solveAssignment } from "../src/solve/index.js";
import { arg, argv, flag, fmtMs, median, sizesArg, time } from "./cli.js";

const sizes = sizesArg("1000x200,5000x1000");
const seeds = arg("seeds", "1").split(",").map(Number);
const reps = Number(arg("reps", "3"));
const out = arg("out", "bench/results/match.md");
const withScipy = flag("scipy");
/** Untimed solves between the engine's first solve on the dense path and the timed ones. */
const WARMUP = 3;
const modes = arg("modes", "cov,plain").split(",");
if (modes.length === 0 || modes.some((m) => m !== "cov" && m !== "plain" && m !== "par"))
  throw new Error(`--modes takes cov, plain, par (comma-separated), got ${modes.join(",")}`);
const threads = os.availableParallelism();
const limitS = arg("time-limit", "");
const timeLimit = limitS === "" ? {} : { timeLimitMs: Number(limitS) * 1000 };

const fmt = fmtMs;

const rows: string[] = [];
for (const [n, m] of sizes)
  for (const seed of seeds) {
    const generated = generateCohort({ mentees: n, mentors: m, seed });
    const input = { ...generated, program: { ...generated.program, equity: [] } };
    const t: Record<string, number[]> = {
      parse: [],
      pass: [],
      cov: [],
      plain: [],
      par: [],
      verify: [],
      vpar: [],
    };
    let stats = "";
    for (let r = 0; r < reps; r++) {
      const [cohort, parseMs] = time(() => parseCohort(input));
      t.parse.push(parseMs);
      const scorer = createScorer(cohort.view);
      const row = new Float64Array(m);
      const why = new Uint8Array(m);
      t.pass.push(
        time(() => {
          for (let i = 0; i < n; i++) scorer.scoreRow(i, row, why);
        })[1],
      );
      const runs: MatchResult[] = [];
      for (const mode of modes) {
        const start = performance.now();
        const res =
          mode === "par"
            ? await matchParallel(cohort, { coverageFirst: false, threads, ...timeLimit })
            : match(cohort, { coverageFirst: mode === "cov", ...timeLimit });
        t[mode].push(performance.now() - start);
        runs.push(res);
      }
      const [check, verifyMs] = time(() => verifyMatch(cohort, runs[0]));
      t.verify.push(verifyMs);
      if (modes.includes("par")) {
        const start = performance.now();
        const again = await verifyMatchParallel(cohort, runs[0], { threads });
        t.vpar.push(performance.now() - start);
        if (again.ok !== check.ok)
          throw new Error("verifyMatchParallel disagrees with verifyMatch");
      }
      if (runs.some((res) => res.status !== "optimal") || !check.ok)
        throw new Error(
          `${n}x${m} seed ${seed}: ${runs.map((res) => res.status).join(", ")}, ${check.ok}`,
        );
      const s = runs[0].stats;
      stats = `${modes[0]}: ${s.augmentations} aug, ${s.pivots} pivots, ${s.pricingRounds} pricing, flow ${fmt(s.phaseMs.flow)}`;
    }
    const pass = median(t.pass);
    const cell = (mode: string) =>
      t[mode].length === 0
        ? "—"
        : `${fmt(median(t[mode]))} (${(median(t[mode]) / pass).toFixed(1)}×)`;
    rows.push(
      `| ${n.toLocaleString("en-US")} × ${m.toLocaleString("en-US")} | ${seed} | ${fmt(median(t.parse))} | ${fmt(pass)} | ${cell("cov")} | ${cell("plain")} | ${cell("par")} | ${fmt(median(t.verify))} (${(median(t.verify) / pass).toFixed(1)}×) | ${cell("vpar")} | ${stats} |`,
    );
    console.log(rows[rows.length - 1]);
  }

const scipyRows: string[] = [];
if (withScipy)
  for (const [n, m] of sizes) {
    const cohort = parseCohort(generateCohort({ mentees: n, mentors: m, seed: seeds[0] }));
    const { scores, reason } = scoreMatrix(cohort.view);
    const allowed = Uint8Array.from(reason, (x) => (x === 0 ? 1 : 0));
    const capacity = cohort.view.mentors.capacity;
    const problem = { scores, rows: n, cols: m, allowed, colMax: capacity };
    // The first solve on this path, then WARMUP untimed ones (the JIT compiling the dense-matrix
    // path), then `reps` timed ones: scipy's C++ has no warm-up to pay.
    const ours: number[] = [];
    let first = 0;
    let objective = 0;
    for (let r = -1 - WARMUP; r < reps; r++) {
      const res = solveAssignment(problem);
      if (res.status !== "optimal") throw new Error(res.status);
      if (r === -1 - WARMUP) first = res.stats.timeMs;
      if (r >= 0) ours.push(res.stats.timeMs);
      objective = res.objective;
    }
    // Slot-expanded matrix: one column per place; a pair that is not allowed is worth 0 (= no
    // pair, exact because every fit is ≥ 0).
    let slots = 0;
    for (let j = 0; j < m; j++) slots += capacity[j];
    const dense = new Float64Array(n * slots);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let j = 0; j < m; j++)
        for (let k = 0; k < capacity[j]; k++, c++)
          dense[i * slots + c] = allowed[i * m + j] === 1 ? scores[i * m + j] : 0;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), "mf-scipy-"));
    const file = path.join(dir, "m.f64");
    writeFileSync(file, dense);
    const py = spawnSync(
      "python3",
      [
        "-c",
        `import numpy as np, time, sys
from scipy.optimize import linear_sum_assignment
a = np.fromfile(sys.argv[1], dtype=np.float64).reshape(${n}, ${slots})
ts = []
for _ in range(${reps}):
    t = time.perf_counter(); r, c = linear_sum_assignment(a, maximize=True); ts.append(time.perf_counter() - t)
print(sorted(ts)[len(ts) // 2] * 1000, a[r, c].sum())`,
        file,
      ],
      { encoding: "utf8", maxBuffer: 1 << 20 },
    );
    rmSync(dir, { recursive: true });
    if (py.status !== 0) throw new Error(py.stderr);
    const [scipyMs, scipyObj] = py.stdout.trim().split(" ").map(Number);
    const agree = Math.abs(scipyObj - objective) <= 1e-9 * Math.max(1, Math.abs(objective));
    scipyRows.push(
      `| ${n.toLocaleString("en-US")} × ${m.toLocaleString("en-US")} | ${fmt(first)} | ${fmt(median(ours))} | ${fmt(scipyMs)} | ${(scipyMs / median(ours)).toFixed(1)}× | ${agree ? "yes" : `NO (${scipyObj} vs ${objective})`} |`,
    );
    console.log(scipyRows[scipyRows.length - 1]);
  }

const doc = [
  "# `match` on generated cohorts",
  "",
  `- Command: \`npm run bench:match -- ${argv.join(" ")}\``,
  `- ${new Date().toISOString()}, ${os.cpus()[0]?.model ?? "cpu"} × ${os.cpus().length}, Node ${process.version}; medians of ${reps}`,
  "",
  `| size | seed | parseCohort | one scoring pass | match (coverage-first) | match (plain) | matchParallel (plain, ${threads} threads) | verifyMatch | verifyMatchParallel | solve stats |`,
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ...rows,
  ...(scipyRows.length
    ? [
        "",
        `Engine alone on the cohort's dense matrix (each mentee ≤ 1 mentor, no minimum loads), solve time only; ours: the first solve on this path, and the median of ${reps} after ${WARMUP} more:`,
        "",
        "| size | ours, first | ours | scipy linear_sum_assignment | scipy / ours | same objective |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        ...scipyRows,
      ]
    : []),
  "",
  `Peak memory of the process (RSS): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB.`,
  "",
].join("\n");
if (out !== "-") writeFileSync(out, doc);
