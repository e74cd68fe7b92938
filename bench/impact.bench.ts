/**
 * Impact benchmark: `npm run bench:impact` (or `npx tsx bench/impact.bench.ts [--mentees N]
 * [--months M] [--reps R]`).
 *
 * A seeded program of 100,000 mentees and 20,000 mentors by default (`generateCohort`, seed 1):
 * nine mentees in ten paired with a mentor drawn by a seeded rule (a match of this size is not
 * what is measured, and the impact's work does not depend on how the pairs were chosen), then
 * `generateProgramRecords` over 24 months — monthly check-ins, re-assessments every 3 months,
 * leaving, promotions, independence: about 2 million records — written into a temp folder as
 * checkins.csv and outcomes.csv, and as one records.json. Then `--reps` rounds, each running
 * these in turn as separate processes (as an analyst's run is: nothing else in memory), each
 * timing its own steps:
 *   csv-parse   the CSV library alone on the two files (rows of strings, kept)
 *   csv         `safeParseFollowUpCsv` (every row read, checked and folded into the follow-up,
 *               none kept), then `scorecard`, `trajectories`, `outcomeCurves`, `calibrate`
 *   json        `JSON.parse`, `parseProgramRecords` and `followUpOf` (the records all in memory
 *               first), then the same measures
 * and prints the medians of each step and each process's peak memory (its maximum resident set).
 * The issue's figure is "csv" without calibration: from the files to the scorecard, the
 * trajectories and the survival curves.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { generateCohort } from "../src/generate/cohort.js";
import { generateProgramRecords } from "../src/generate/history.js";
import { parseCohort } from "../src/cohort/parse.js";
import { calibrate } from "../src/impact/calibration.js";
import { outcomeCurves } from "../src/impact/curves.js";
import { followUpOf, type FollowUp } from "../src/impact/followup.js";
import { parseProgramRecords } from "../src/impact/records.js";
import { scorecard } from "../src/impact/scorecard.js";
import { trajectories } from "../src/impact/trajectories.js";
import { safeParseFollowUpCsv, writeProgramRecordsCsv } from "../src/node/impact.js";
import { arg, fmtMs, median, time } from "./cli.js";

type Steps = Record<string, number>;

/** One job in this process (the child side): its steps' times and the peak memory. */
async function child(job: string, dir: string): Promise<void> {
  const steps: Steps = {};
  const step = <T>(name: string, f: () => T): T => {
    const [r, ms] = time(f);
    steps[name] = ms;
    return r;
  };
  const cohort = parseCohort(JSON.parse(await readFile(join(dir, "cohort.json"), "utf8")));
  const match = { pairs: JSON.parse(await readFile(join(dir, "pairs.json"), "utf8")) };
  const start = await readFile(join(dir, "start"), "utf8");
  const checkIns = await readFile(join(dir, "checkins.csv"));
  const outcomes = await readFile(join(dir, "outcomes.csv"));
  let followUp: FollowUp;
  if (job === "csv-parse") {
    step("csv-parse alone", () => {
      const o = { bom: true, relax_column_count: true };
      return parse(checkIns, o).length + parse(outcomes, o).length;
    });
    process.stdout.write(JSON.stringify({ steps, peakMB: process.resourceUsage().maxRSS / 1024 }));
    return;
  } else if (job === "csv") {
    const r = step("read → follow-up", () =>
      safeParseFollowUpCsv(cohort, match, {
        start,
        checkIns: { bytes: checkIns },
        outcomes: { bytes: outcomes },
      }),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 3)));
    followUp = r.followUp;
  } else {
    const text = await readFile(join(dir, "records.json"), "utf8");
    const r = step("read → follow-up", () =>
      followUpOf(cohort, match, parseProgramRecords(JSON.parse(text))),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 3)));
    followUp = r.followUp;
  }
  const card = step("scorecard", () => scorecard(cohort, match, followUp));
  step("trajectories", () => trajectories(cohort, match, followUp));
  step("survival curves", () => outcomeCurves(cohort, match, followUp));
  step("calibration", () => calibrate(cohort, match, card));
  process.stdout.write(JSON.stringify({ steps, peakMB: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const mentees = Number(arg("mentees", "100000"));
  const mentors = Math.max(1, Math.round(mentees / 5));
  const months = Number(arg("months", "24"));
  const reps = Number(arg("reps", "3"));
  const dir = await mkdtemp(join(os.tmpdir(), "mentorflow-impact-bench-"));
  try {
    const t0 = performance.now();
    const input = generateCohort({ mentees, mentors, seed: 1 });
    const cohort = parseCohort(input);
    const { menteeIds, mentorIds } = cohort.index;
    const pairs = menteeIds.flatMap((mentee, i) =>
      i % 10 === 9
        ? []
        : [
            {
              mentee,
              mentor: mentorIds[(i * 7919) % mentors],
              score: ((i * 2654435761) % 997) / 997,
            },
          ],
    );
    const records = generateProgramRecords(cohort, { pairs } as never, { months, seed: 1 });
    const csv = writeProgramRecordsCsv(records);
    await writeFile(join(dir, "cohort.json"), JSON.stringify(input));
    await writeFile(
      join(dir, "pairs.json"),
      JSON.stringify(pairs.map(({ mentee, mentor }) => ({ mentee, mentor }))),
    );
    await writeFile(join(dir, "start"), records.start);
    await writeFile(join(dir, "checkins.csv"), csv.checkIns);
    await writeFile(join(dir, "outcomes.csv"), csv.outcomes);
    await writeFile(join(dir, "records.json"), JSON.stringify(records));
    console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}`);
    console.log(
      `${mentees.toLocaleString("en-US")} mentees, ${mentors.toLocaleString("en-US")} mentors, ` +
        `${pairs.length.toLocaleString("en-US")} pairs; ${months} months: ` +
        `${records.checkIns.length.toLocaleString("en-US")} check-ins ` +
        `(checkins.csv ${(csv.checkIns.length / 1e6).toFixed(0)} MB), ` +
        `${records.outcomes.length.toLocaleString("en-US")} outcomes ` +
        `(made in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );

    const jobs = ["csv-parse", "csv", "json"];
    const runs: Record<string, { steps: Steps; peakMB: number }[]> = {
      "csv-parse": [],
      csv: [],
      json: [],
    };
    const self = fileURLToPath(import.meta.url);
    for (let rep = 0; rep < reps; rep++)
      for (const job of jobs) {
        const r = spawnSync(
          process.execPath,
          [...process.execArgv, self, "--child", job, "--dir", dir],
          {
            encoding: "utf8",
            maxBuffer: 1 << 20,
          },
        );
        if (r.status !== 0) throw new Error(`${job} failed:\n${r.stderr}`);
        runs[job].push(JSON.parse(r.stdout));
      }

    const med = (job: string, step: string) => median(runs[job].map((r) => r.steps[step]));
    console.log(`\nmedians of ${reps} rounds, each job its own process:`);
    for (const job of jobs) {
      const names = Object.keys(runs[job][0].steps);
      console.log(
        `  ${job.padEnd(10)} ${names.map((n) => `${n} ${fmtMs(med(job, n))}`).join(", ")}; peak ${median(runs[job].map((r) => r.peakMB)).toFixed(0)} MB`,
      );
    }
    const measures = ["scorecard", "trajectories", "survival curves"];
    const total = (job: string) =>
      med(job, "read → follow-up") + measures.reduce((a, n) => a + med(job, n), 0);
    console.log(
      `\nfrom the CSV files to scorecard, trajectories and survival curves: ${fmtMs(total("csv"))} ` +
        `(reading ${fmtMs(med("csv", "read → follow-up"))}, ${(med("csv", "read → follow-up") / med("csv-parse", "csv-parse alone")).toFixed(2)}× csv-parse alone); ` +
        `with calibration ${fmtMs(total("csv") + med("csv", "calibration"))}`,
    );
    console.log(
      `from records.json: ${fmtMs(total("json"))} (reading ${fmtMs(med("json", "read → follow-up"))}): ` +
        `the CSV path is ${(total("json") / total("csv")).toFixed(2)}× as fast`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf("--child");
if (at >= 0) await child(process.argv[at + 1], arg("dir", ""));
else await main();
