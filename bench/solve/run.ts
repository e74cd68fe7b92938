/**
 * Engine benchmark: ours beside the npm baselines, same seeded instances, one run.
 *
 *   npm run bench:solve
 *   npm run bench:solve -- --sizes 200x40,1000x200 --cap-seconds 30 --only baselines
 *   npm run bench:solve -- --huge
 *
 * Every solver runs in its own child process (child.ts) with a wall-clock cap, so peak memory is
 * per solver and a crash or a hang costs one cell. Ours: one warm-up, then the median of --reps
 * timed solves, each result checked with verifyCertificate (not timed). Baselines: one timed solve
 * (they take seconds); a baseline that timed out or crashed at one size is skipped at larger ones.
 *
 * Options
 *   --sizes 200x40,…      sizes (rows x cols); default 200x40,1000x200,5000x1000,20000x4000
 *   --cap-seconds 90      per-child wall-clock cap; per solver: 90,javascript-lp-solver=30
 *   --reps N              timed runs of ours (default 5 up to 1,000 rows, 3 above)
 *   --only WHAT           "ours", "baselines", or a comma list of solver names
 *   --seed 1  --capacity 5  --heap-mb 8192
 *   --out bench/results/solve.md   ("-" to skip writing)
 *   --huge                also the 100,000 × 10,000 case, ours only, scores on the fly
 *   --huge-capacity 10    its mentor capacity (10: places = mentees, like the main table)
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { HUGE_SIZE, hugeAvailable } from "./huge.js";
import { formatSize, parseSize } from "./instances.js";
import type { ChildReport } from "./protocol.js";
import { BASELINES, ENGINE_PATH, type SolverName } from "./solvers.js";
import { runChild, type ChildOutcome } from "./spawn.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DEFAULT_SIZES = "200x40,1000x200,5000x1000,20000x4000";
const DEFAULT_CAP_SECONDS = 90;
/** Relative tolerance for "the objectives agree". */
const AGREE_TOL = 1e-6;

interface Options {
  sizes: { rows: number; cols: number }[];
  capSeconds: number;
  capOverrides: Map<string, number>;
  reps?: number;
  solvers: SolverName[];
  seed: number;
  capacity: number;
  heapMB: number;
  out: string;
  huge: boolean;
  hugeCapacity: number;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const k = argv.indexOf(`--${name}`);
    if (k < 0) return undefined;
    const v = argv[k + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`--${name} needs a value.`);
    return v;
  };
  const known = new Set([
    "sizes",
    "cap-seconds",
    "reps",
    "only",
    "seed",
    "capacity",
    "heap-mb",
    "out",
    "huge",
    "huge-capacity",
  ]);
  for (const a of argv) {
    if (a.startsWith("--") && !known.has(a.slice(2)))
      throw new Error(`Unknown option ${a}. Known: ${[...known].map((k) => `--${k}`).join(", ")}.`);
  }
  let capSeconds = DEFAULT_CAP_SECONDS;
  const capOverrides = new Map<string, number>();
  for (const part of (get("cap-seconds") ?? String(DEFAULT_CAP_SECONDS)).split(",")) {
    const [a, b] = part.split("=");
    if (b === undefined) capSeconds = Number(a);
    else capOverrides.set(a.trim(), Number(b));
  }
  const all: SolverName[] = ["ours", ...BASELINES];
  const only = get("only");
  let solvers = all;
  if (only === "ours") solvers = ["ours"];
  else if (only === "baselines") solvers = [...BASELINES];
  else if (only) {
    const picked = only.split(",").map((s) => s.trim()) as SolverName[];
    for (const s of picked)
      if (!all.includes(s))
        throw new Error(`Unknown solver "${s}" in --only: use ${all.join(", ")}.`);
    solvers = all.filter((s) => picked.includes(s)); // table order: ours first
  }
  const reps = get("reps");
  return {
    sizes: (get("sizes") ?? DEFAULT_SIZES).split(",").map(parseSize),
    capSeconds,
    capOverrides,
    ...(reps ? { reps: Number(reps) } : {}),
    solvers,
    seed: Number(get("seed") ?? 1),
    capacity: Number(get("capacity") ?? 5),
    heapMB: Number(get("heap-mb") ?? 8192),
    out: get("out") ?? "bench/results/solve.md",
    huge: argv.includes("--huge"),
    hugeCapacity: Number(get("huge-capacity") ?? HUGE_SIZE.capacity),
  };
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const fmtMs = (ms: number) =>
  ms >= 100 ? Math.round(ms).toLocaleString("en-US") : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
const fmtObj = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: 4 });

interface Cell {
  size: string;
  solver: string;
  outcome: ChildOutcome | { kind: "skipped"; why: string };
  capSeconds: number;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = new Date();
  const t0 = Date.now();
  const engineThere = existsSync(ENGINE_PATH);
  if (opts.solvers.includes("ours") && !engineThere) {
    log(`note: ${relative(ROOT, ENGINE_PATH)} does not exist yet; "ours" will be unavailable.`);
  }
  const cells: Cell[] = [];
  const gaveUp = new Map<string, string>(); // solver → "timed out at 5,000 × 1,000"
  const capFor = (s: string) => opts.capOverrides.get(s) ?? opts.capSeconds;

  // Instance files, one per size, shared by that size's children; removed when done.
  const tmp = mkdtempSync(join(os.tmpdir(), "mentorflow-bench-"));
  process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
  for (const { rows, cols } of opts.sizes) {
    const size = formatSize(rows, cols);
    const instanceFile = join(tmp, `instance-${rows}x${cols}.bin`);
    const { seed, capacity, heapMB } = opts;
    const base = { rows, cols, seed, capacity, heapMB, instanceFile };
    log(`\n== ${size} (capacity ${opts.capacity}, seed ${opts.seed}) ==`);
    // The instance alone: its generation time and the memory every child starts from.
    const inst = await runChild({ ...base, solver: "instance", reps: 1, capSeconds: 600 });
    cells.push({ size, solver: "(instance alone)", outcome: inst, capSeconds: 600 });
    log(`  instance: ${describe(inst)}`);
    for (const solver of opts.solvers) {
      const cap = capFor(solver);
      if (gaveUp.has(solver)) {
        const why = `skipped (${gaveUp.get(solver)})`;
        cells.push({ size, solver, outcome: { kind: "skipped", why }, capSeconds: cap });
        log(`  ${solver}: ${why}`);
        continue;
      }
      const reps = solver === "ours" ? (opts.reps ?? (rows <= 1000 ? 5 : 3)) : 1;
      log(`  ${solver}: running (cap ${cap} s${solver === "ours" ? `, ${reps} reps` : ""}) …`);
      // Ours runs warm-up + reps solves in one child, each solve capped by `cap`.
      const childCap = solver === "ours" ? cap * (reps + 1) + 60 : cap;
      const outcome = await runChild({
        ...base,
        solver,
        reps,
        capSeconds: childCap,
        solveCapSeconds: cap,
      });
      cells.push({ size, solver, outcome, capSeconds: childCap });
      log(`  ${solver}: ${describe(outcome)}`);
      if (outcome.kind === "timeout") gaveUp.set(solver, `timed out at ${size}`);
      if (outcome.kind === "crash") gaveUp.set(solver, `crashed at ${size}`);
      if (outcome.kind === "done" && outcome.report.status === "unavailable") {
        gaveUp.set(solver, "unavailable");
      }
    }
    rmSync(instanceFile, { force: true });
  }

  if (opts.huge) {
    const { rows, cols } = HUGE_SIZE;
    const capacity = opts.hugeCapacity;
    const size = `${formatSize(rows, cols)} (on the fly, capacity ${capacity})`;
    log(`\n== ${size} ==`);
    if (!(await hugeAvailable())) {
      log("  huge: not available (no solveAssignment export)");
      cells.push({
        size,
        solver: "ours",
        outcome: { kind: "skipped", why: "no solveAssignment export" },
        capSeconds: 0,
      });
    } else {
      const cap = Math.max(opts.capSeconds, 180);
      const outcome = await runChild({
        solver: "huge",
        rows,
        cols,
        seed: opts.seed,
        capacity,
        reps: 1,
        capSeconds: cap,
        heapMB: 16384,
      });
      cells.push({ size, solver: "ours", outcome, capSeconds: cap });
      log(`  huge: ${describe(outcome)}`);
    }
  }

  const totalS = (Date.now() - t0) / 1000;
  const md = renderMarkdown(cells, opts, started, totalS);
  if (opts.out !== "-") {
    // Relative to the repository; an absolute path stays as given.
    const path = resolve(ROOT, opts.out);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, md);
    log(`\nwrote ${opts.out} (${totalS.toFixed(0)} s in all)`);
  }
  process.stdout.write(md);
}

function describe(o: ChildOutcome): string {
  if (o.kind === "timeout") return `timed out after ${(o.wallMs / 1000).toFixed(1)} s`;
  if (o.kind === "crash") return `crash after ${(o.wallMs / 1000).toFixed(1)} s: ${o.detail}`;
  const r = o.report;
  const t = r.timesMs.length ? `${fmtMs(median(r.timesMs))} ms` : "";
  return `${r.status} ${t} obj ${fmtObj(r.objective)} rss ${r.maxRssMB.toFixed(0)} MB${r.note ? ` (${r.note})` : ""}`;
}

function renderMarkdown(cells: Cell[], opts: Options, started: Date, totalS: number): string {
  const cpus = os.cpus();
  const args = process.argv.slice(2).join(" ");
  const lines: string[] = [];
  lines.push("# Engine benchmark: `solveAssignment` vs. npm baselines", "");
  lines.push(
    `- Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
    `- Node ${process.version}; load average at start ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(", ")} (the machine may be shared: times are noisy)`,
    `- Date: ${started.toISOString()}; whole run ${totalS.toFixed(0)} s`,
    `- Command: \`npm run bench:solve${args ? ` -- ${args}` : ""}\``,
    `- Instances: seed ${opts.seed}, capacity ${opts.capacity} for every mentor, ~10% of pairs ` +
      "ineligible, scores in [0, 10] on a 1/1024 grid (bench/solve/instances.ts)",
    `- Each solver in its own process, cap ${opts.capSeconds} s` +
      (opts.capOverrides.size
        ? ` (${[...opts.capOverrides].map(([k, v]) => `${k} ${v} s`).join(", ")})`
        : "") +
      `, \`--max-old-space-size=${opts.heapMB}\`. Ours: warm-up + median of ` +
      `${opts.reps ?? "5 (≤ 1,000 rows) / 3"} runs, every result checked with \`verifyCertificate\`. ` +
      "Baselines: one run.",
    "",
    "Time is the solver call only; *prep* is building the input the library needs (slot-expanded " +
      "matrix, LP model or LP text), which ours does not need. Peak RSS is the whole child process " +
      "(`process.resourceUsage().maxRSS`), including the dense instance itself — the " +
      "*(instance alone)* row is that floor (its *prep* is the generation time). Objectives agree when |Δ| ≤ 1e-6·|ours| (or the first " +
      "baseline's when ours did not run).",
    "",
    "| size | solver | median ms | prep ms | × ours | peak RSS MB | objective | agrees? |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
  );
  const notes: string[] = [];
  const bySize = new Map<string, Cell[]>();
  for (const c of cells) bySize.set(c.size, [...(bySize.get(c.size) ?? []), c]);
  for (const [size, group] of bySize) {
    const done = (c: Cell): ChildReport | undefined =>
      c.outcome.kind === "done" && c.outcome.report.status !== "unavailable"
        ? c.outcome.report
        : undefined;
    const ours = group.find((c) => c.solver === "ours");
    const oursRep = ours && done(ours);
    const oursMs = oursRep?.timesMs.length ? median(oursRep.timesMs) : undefined;
    const ref =
      oursRep?.objective ??
      group
        .map((c) => (c.solver !== "(instance alone)" ? done(c)?.objective : undefined))
        .find((x) => typeof x === "number");
    const digests = new Set(group.map((c) => done(c)?.digest).filter((d) => d !== undefined));
    if (digests.size > 1) notes.push(`${size}: children saw different instances (${[...digests]})`);
    for (const c of group) {
      const o = c.outcome;
      let cols: string[];
      if (o.kind === "skipped") cols = [o.why, "", "", "", "", ""];
      else if (o.kind === "timeout")
        cols = [
          `> ${(c.capSeconds * 1000).toLocaleString("en-US")} (timed out)`,
          "",
          "",
          "",
          "",
          "",
        ];
      else if (o.kind === "crash") {
        const rss = o.report?.maxRssMB;
        cols = ["crash", "", "", rss ? rss.toFixed(0) : "", "", ""];
        notes.push(
          `${size}, ${c.solver}: crashed after ${(o.wallMs / 1000).toFixed(1)} s — ${o.detail}`,
        );
      } else {
        const r = o.report;
        if (c.solver === "(instance alone)") {
          cols = ["", fmtMs(r.genMs), "", r.maxRssMB.toFixed(0), "", ""];
        } else if (r.status === "unavailable") {
          cols = [`unavailable`, "", "", "", "", ""];
          if (r.note) notes.push(`${size}, ${c.solver}: ${r.note}`);
        } else if (r.objective === null) {
          // The solver ended without an answer of its own (ours: `time_limit`; an LP status …).
          const ms = r.timesMs.length ? `${fmtMs(Math.max(...r.timesMs))} ms: ` : "";
          cols = [`${ms}${r.status}`, "", "", r.maxRssMB.toFixed(0), "", ""];
          if (r.note) notes.push(`${size}, ${c.solver}: ${r.status} ${r.note}`);
        } else {
          const ms = r.timesMs.length ? median(r.timesMs) : NaN;
          const ratio =
            oursMs !== undefined && Number.isFinite(ms)
              ? c.solver === "ours"
                ? "1"
                : `${(ms / oursMs).toFixed(ms / oursMs >= 10 ? 0 : 1)}×`
              : "";
          let agrees = "";
          if (r.objective !== null && ref !== undefined && ref !== null) {
            const ok = Math.abs(r.objective - ref) <= AGREE_TOL * Math.max(1, Math.abs(ref));
            agrees = ok ? "yes" : `**no** (Δ ${fmtObj(r.objective - ref)})`;
          }
          if (c.solver === "ours") {
            // Ours is the reference: say whether any baseline finished to compare with.
            const others = group.filter(
              (g) => g.solver !== "ours" && g.solver !== "(instance alone)" && done(g),
            );
            if (others.length === 0) agrees = "no baseline finished";
            agrees += r.verified ? " (certified)" : " (not certified)";
          }
          const rep = r.reportedObjective;
          if (typeof rep === "number" && r.objective !== null) {
            if (Math.abs(rep - r.objective) > AGREE_TOL * Math.max(1, Math.abs(r.objective))) {
              notes.push(
                `${size}, ${c.solver}: reports objective ${rep}, its pairs are worth ${r.objective}`,
              );
            }
          }
          if (r.status !== "ok") agrees += ` — ${r.status}`;
          if (r.note && c.solver !== "ours") notes.push(`${size}, ${c.solver}: ${r.note}`);
          if (r.note && c.solver === "ours" && !r.verified) notes.push(`${size}, ours: ${r.note}`);
          cols = [
            Number.isFinite(ms) ? fmtMs(ms) : "",
            c.solver === "ours" ? "—" : fmtMs(r.prepMs),
            ratio,
            r.maxRssMB.toFixed(0),
            fmtObj(r.objective),
            agrees.trim(),
          ];
        }
      }
      lines.push(`| ${size} | ${c.solver} | ${cols.join(" | ")} |`);
    }
  }
  if (notes.length) lines.push("", "Notes:", "", ...notes.map((n) => `- ${n}`));
  lines.push(
    "",
    "Baselines: `munkres` and `linear-sum-assignment` (mljs) solve the slot-expanded " +
      "rows × (mentors·capacity) matrix, ineligible pairs valued 0 (= unmatched, exact because " +
      "scores are ≥ 0); `javascript-lp-solver` and `highs` (WebAssembly, `highs.solve(lpText)`) " +
      "solve the LP with one variable per eligible pair, whose optimum is integral (bipartite " +
      "incidence matrix). Every baseline's pairs are read back and the objective recomputed from " +
      "the instance; that is the objective shown.",
    "",
  );
  return lines.join("\n");
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
