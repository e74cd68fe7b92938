/**
 * Impact benchmark: `npm run bench:impact` (or `npx tsx bench/impact.bench.ts [--mentees N]
 * [--months M] [--reps R]`).
 *
 * A seeded program of 100,000 mentees and 20,000 mentors by default (`generateCohort`, seed 1):
 * nine mentees in ten paired with a mentor drawn by a seeded rule (a match of this size is not
 * what is measured, and the impact's work does not depend on how the pairs were chosen), then
 * `generateProgramRecords` over 24 months — monthly check-ins, re-assessments every 3 months,
 * leaving, promotions, independence: about 2 million records — written as checkins.csv and
 * outcomes.csv (and as one records.json) into a temp folder. Then, alternating, `--reps` times
 * after one warm-up:
 *   csv-parse         the CSV library alone on the two files' bytes (rows of strings)
 *   CSV → follow-up   `safeParseFollowUpCsv`: every row read, checked and folded into the
 *                     follow-up, none kept
 *   JSON → follow-up  `JSON.parse`, `parseProgramRecords` and `followUpOf`: the records all in
 *                     memory first
 *   scorecard, trajectories, curves, calibration   on that rep's CSV follow-up
 * and prints medians; the scorecard, trajectories and survival curves from the CSV files is the
 * issue's figure ("in seconds"). Memory: the follow-up's arrays against the records' JSON text.
 */
import { parse } from "csv-parse/sync";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
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

const mentees = Number(arg("mentees", "100000"));
const mentors = Math.max(1, Math.round(mentees / 5));
const months = Number(arg("months", "24"));
const reps = Number(arg("reps", "3"));

const dir = await mkdtemp(join(os.tmpdir(), "mentorflow-impact-bench-"));
try {
  const t0 = performance.now();
  const cohort = parseCohort(generateCohort({ mentees, mentors, seed: 1 }));
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
  const match = { pairs };
  const records = generateProgramRecords(cohort, match as never, { months, seed: 1 });
  const csv = writeProgramRecordsCsv(records);
  await writeFile(join(dir, "checkins.csv"), csv.checkIns);
  await writeFile(join(dir, "outcomes.csv"), csv.outcomes);
  await writeFile(join(dir, "records.json"), JSON.stringify(records));
  const checkIns = await readFile(join(dir, "checkins.csv"));
  const outcomes = await readFile(join(dir, "outcomes.csv"));
  const jsonText = await readFile(join(dir, "records.json"), "utf8");
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}`);
  console.log(
    `${mentees.toLocaleString("en-US")} mentees, ${mentors.toLocaleString("en-US")} mentors, ` +
      `${pairs.length.toLocaleString("en-US")} pairs; ${months} months: ` +
      `${records.checkIns.length.toLocaleString("en-US")} check-ins ` +
      `(${(checkIns.length / 1e6).toFixed(0)} MB), ${records.outcomes.length.toLocaleString("en-US")} outcomes; ` +
      `records.json ${(jsonText.length / 1e6).toFixed(0)} MB ` +
      `(made in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const sources = {
    start: records.start,
    checkIns: { bytes: checkIns },
    outcomes: { bytes: outcomes },
  };
  const rows = {
    "csv-parse alone": [] as number[],
    "CSV → follow-up": [] as number[],
    "JSON → follow-up": [] as number[],
    scorecard: [] as number[],
    trajectories: [] as number[],
    "survival curves": [] as number[],
    calibration: [] as number[],
  };
  let followUp: FollowUp | undefined;
  for (let rep = 0; rep <= reps; rep++) {
    const keep = rep > 0; // the first round warms up
    const add = (key: keyof typeof rows, ms: number) => keep && rows[key].push(ms);
    add(
      "csv-parse alone",
      time(
        () =>
          parse(checkIns, { bom: true, relax_column_count: true }).length +
          parse(outcomes, { bom: true, relax_column_count: true }).length,
      )[1],
    );
    const [r, csvMs] = time(() => safeParseFollowUpCsv(cohort, match, sources));
    if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 3)));
    add("CSV → follow-up", csvMs);
    const [j, jsonMs] = time(() =>
      followUpOf(cohort, match, parseProgramRecords(JSON.parse(jsonText))),
    );
    if (!j.ok) throw new Error("JSON records invalid");
    add("JSON → follow-up", jsonMs);
    followUp = r.followUp;
    const [card, cardMs] = time(() => scorecard(cohort, match, r.followUp));
    add("scorecard", cardMs);
    add("trajectories", time(() => trajectories(cohort, match, r.followUp))[1]);
    add("survival curves", time(() => outcomeCurves(cohort, match, r.followUp))[1]);
    add("calibration", time(() => calibrate(cohort, match, card))[1]);
  }
  const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof rows,
    number
  >;
  console.log(`\nmedians of ${reps} (after one warm-up), one process:`);
  for (const [k, v] of Object.entries(m)) console.log(`  ${k.padEnd(20)} ${fmtMs(v)}`);
  const measures = m.scorecard + m.trajectories + m["survival curves"];
  console.log(
    `\nfrom the CSV files to scorecard, trajectories and survival curves: ${fmtMs(m["CSV → follow-up"] + measures)} ` +
      `(reading ${fmtMs(m["CSV → follow-up"])}, ${(m["CSV → follow-up"] / m["csv-parse alone"]).toFixed(2)}× csv-parse alone; ` +
      `measures ${fmtMs(measures)}); with calibration ${fmtMs(m["CSV → follow-up"] + measures + m.calibration)}`,
  );
  console.log(
    `reading the CSV files into the follow-up is ${(m["JSON → follow-up"] / m["CSV → follow-up"]).toFixed(2)}× as fast as the JSON records in memory`,
  );
  const f = followUp!;
  const bytes =
    f.planned.byteLength +
    f.held.byteLength +
    f.leftMonths.byteLength +
    f.independenceMonths.byteLength +
    f.assessments.offsets.byteLength +
    f.assessments.skill.byteLength +
    f.assessments.day.byteLength +
    f.assessments.level.byteLength;
  console.log(
    `the follow-up holds ${(bytes / 1e6).toFixed(0)} MB of arrays (${f.buckets} month buckets × ${mentees.toLocaleString("en-US")} mentees, ` +
      `${f.assessments.skill.length.toLocaleString("en-US")} re-assessments of gap skills); the records as JSON text are ${(jsonText.length / 1e6).toFixed(0)} MB`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
