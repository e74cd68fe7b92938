/**
 * CSV reading benchmark: `npm run bench:csv` (or `npx tsx bench/csv.bench.ts [--mentees N]
 * [--runs R]`).
 *
 * Generates a seeded cohort (`generateCohort`, seed 1, 200,000 mentees × 100 mentors by default),
 * writes it with the CSV writer into a temp folder, reads the mentees file's bytes from disk once,
 * then times on those bytes, alternating, after one warm-up each:
 *   csv-parse  `parse(bytes, { bom: true, relax_column_count: true })`: the CSV library alone,
 *              rows of strings, nothing else
 *   reader     `readCohortCsv` (UTF-8 check, parse, header resolution, every cell read and
 *              typed into a `MenteeInput`, issues collected); the mentors file is tiny
 * and prints the medians of wall time and of CPU time and their ratios (CPU time is steadier on a
 * shared machine). Validation (`parseCohort`) is not on the clock.
 */
import { parse } from "csv-parse/sync";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { generateCohort } from "../src/generate/cohort.js";
import { readCohortCsv } from "../src/node/csv.js";
import { writeCohortFiles } from "../src/node/files.js";

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

const mentees = arg("mentees", 200_000);
const runs = arg("runs", 7);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 === 1 ? s[k] : (s[k - 1] + s[k]) / 2;
}

/** Wall time, and CPU time of the process (user + system, all threads: GC helpers too), which
 * other work on a busy machine disturbs less. */
function time(fn: () => number): { ms: number; cpu: number; sink: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const sink = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpu: (c.user + c.system) / 1000, sink };
}

const dir = await mkdtemp(join(os.tmpdir(), "mentorflow-csv-bench-"));
try {
  const t0 = performance.now();
  const files = await writeCohortFiles(generateCohort({ mentees, mentors: 100, seed: 1 }), dir);
  const menteeBytes = await readFile(files.mentees);
  const mentorBytes = await readFile(files.mentors);
  const config: unknown = JSON.parse(await readFile(files.config, "utf8"));
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}`);
  console.log(
    `mentees.csv: ${mentees.toLocaleString("en-US")} rows, ` +
      `${(menteeBytes.length / 1e6).toFixed(1)} MB (generated and written in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const library = () =>
    (parse(menteeBytes, { bom: true, relax_column_count: true }) as string[][]).length;
  const reader = () => {
    const read = readCohortCsv({
      mentees: { bytes: menteeBytes, file: files.mentees },
      mentors: { bytes: mentorBytes, file: files.mentors },
      config,
    });
    if (read.issues.length > 0) throw new Error(`unexpected issues: ${read.issues[0].message}`);
    return read.input.mentees.length;
  };

  const wall = { library: [] as number[], reader: [] as number[] };
  const cpu = { library: [] as number[], reader: [] as number[] };
  let sink = 0;
  sink += time(library).sink + time(reader).sink; // warm-up
  for (let r = 0; r < runs; r++) {
    for (const [name, fn] of [
      ["library", library],
      ["reader", reader],
    ] as const) {
      const t = time(fn);
      wall[name].push(t.ms);
      cpu[name].push(t.cpu);
      sink += t.sink;
    }
  }
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const line = (label: string, xs: number[]) =>
    `${label} median ${fmt(median(xs))}  (${xs.map(fmt).join(", ")})`;
  console.log(line("csv-parse alone, wall", wall.library));
  console.log(line("readCohortCsv,   wall", wall.reader));
  console.log(line("csv-parse alone, CPU ", cpu.library));
  console.log(line("readCohortCsv,   CPU ", cpu.reader));
  const ratio = (m: { library: number[]; reader: number[] }) =>
    (median(m.reader) / median(m.library)).toFixed(2);
  console.log(
    `ratio readCohortCsv / csv-parse (medians of ${runs} runs): ` +
      `wall ${ratio(wall)}×, CPU ${ratio(cpu)}×`,
  );
  if (sink === 0) console.log("(empty)");
} finally {
  await rm(dir, { recursive: true, force: true });
}
