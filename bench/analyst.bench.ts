/**
 * What an analyst's run costs beyond the match: `npm run bench:analyst -- [--sizes
 * 1000x200,5000x1000,20000x4000] [--reps 3] [--hr] [--out bench/results/analyst.md]`.
 *
 * Per cohort, side by side in one run: reading the CSV files (`loadCohort`), `match`,
 * `verifyMatch`, `summarizeMatch` (eligibility of every mentee with each mentor who has room,
 * the pairs' fit parts, demand, coverage, the audit without prices), the two results CSVs, and
 * the HTML report; medians of --reps, and each step as a share of `match`. Then the whole
 * `mentorflow match DIR --out --unmatched --report --quiet` process (the built `dist/cli.js`;
 * run `npm run build` first), its median wall time. Cohorts: the project's seeded generator
 * (scarce mentors, tied integer-scale scores, two-mentor mentees, minimum loads, coverage-first,
 * its equity rules) written to CSV; with --hr also the IBM HR cohort of examples/hr-cohort.ts
 * (needs ../shared/testdata/hr).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateCohort } from "../src/generate/cohort.js";
import { match, verifyMatch } from "../src/match/match.js";
import { cohortFilesIn, loadCohort, writeCohortFiles } from "../src/node/files.js";
import { writeMatchesCsv, writeUnmatchedCsv } from "../src/node/results.js";
import { renderMatchReport } from "../src/report/html.js";
import { summarizeMatch } from "../src/report/summary.js";
import { arg, flag, fmtMs, median, sizesArg } from "./cli.js";

const sizes = sizesArg("1000x200,5000x1000,20000x4000");
const reps = Number(arg("reps", "3"));
const out = arg("out", "bench/results/analyst.md");
const cli = path.resolve("dist/cli.js");
if (!existsSync(cli)) throw new Error("dist/cli.js is missing: run `npm run build` first");

const work = mkdtempSync(path.join(os.tmpdir(), "mentorflow-analyst-"));
const cohorts: { name: string; dir: string }[] = [];
for (const [n, m] of sizes) {
  const dir = path.join(work, `${n}x${m}`);
  await writeCohortFiles(generateCohort({ mentees: n, mentors: m, seed: 1 }), dir);
  cohorts.push({ name: `generated ${n.toLocaleString("en")} × ${m.toLocaleString("en")}`, dir });
}
if (flag("hr")) {
  const dir = path.join(work, "hr");
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "examples/hr-cohort.ts", "--out", dir],
    {
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`examples/hr-cohort.ts failed: ${r.stderr}`);
  cohorts.push({ name: "IBM HR sample (789 × 419)", dir });
}

const time = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
};

const rows: string[] = [];
for (const { name, dir } of cohorts) {
  const t: Record<string, number[]> = {
    load: [],
    match: [],
    verify: [],
    summary: [],
    csv: [],
    report: [],
    process: [],
  };
  let pairs = 0;
  let status = "";
  for (let r = 0; r < reps; r++) {
    const [{ cohort }, load] = await time(() => loadCohort(cohortFilesIn(dir)));
    const [result, tm] = await time(() => match(cohort));
    const [, tv] = await time(() => verifyMatch(cohort, result));
    const [summary, ts] = await time(() => summarizeMatch(cohort, result));
    const [, tc] = await time(() => writeMatchesCsv(summary) + writeUnmatchedCsv(summary));
    const [, th] = await time(() => renderMatchReport(summary));
    const o = path.join(work, "out");
    const [proc, tp] = await time(() =>
      spawnSync(
        process.execPath,
        [
          cli,
          "match",
          dir,
          "--quiet",
          "--out",
          `${o}/m.csv`,
          "--unmatched",
          `${o}/u.csv`,
          "--report",
          `${o}/r.html`,
        ],
        { encoding: "utf8" },
      ),
    );
    if (proc.status !== 0 && proc.status !== 4) throw new Error(`cli failed: ${proc.stderr}`);
    Object.entries({
      load,
      match: tm,
      verify: tv,
      summary: ts,
      csv: tc,
      report: th,
      process: tp,
    }).forEach(([k, v]) => t[k].push(v));
    pairs = result.pairs.length;
    status = result.status;
  }
  const med = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  const share = (k: string) => `${fmtMs(med[k])} (${((100 * med[k]) / med.match).toFixed(0)}%)`;
  rows.push(
    `| ${name} | ${status}, ${pairs.toLocaleString("en")} pairs | ${fmtMs(med.load)} | ${fmtMs(med.match)} | ${share("verify")} | ${share("summary")} | ${share("csv")} | ${share("report")} | ${fmtMs(med.process)} |`,
  );
  console.error(rows[rows.length - 1]);
}
rmSync(work, { recursive: true, force: true });

const table = [
  `<!-- bench:analyst -->`,
  `Medians of ${reps} runs on ${os.cpus()[0]?.model ?? "this machine"} (${os.availableParallelism()} threads), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. Step times in one process; the last column is the whole \`mentorflow match DIR --out --unmatched --report --quiet\` process. Percentages are of \`match\`.`,
  "",
  "| cohort | answer | read CSVs | match | verify | summary | results CSVs | HTML report | whole CLI process |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
  `<!-- /bench:analyst -->`,
].join("\n");
writeFileSync(
  out,
  `# What an analyst's run costs beyond the match\n\n\`npm run bench:analyst -- ${process.argv.slice(2).join(" ")}\`\n\n${table}\n`,
);
console.log(table);
