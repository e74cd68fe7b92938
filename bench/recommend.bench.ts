/**
 * `recommend` beside `match` on the same generated cohort, in the same run:
 * `npm run bench:recommend -- [--sizes 20000x4000] [--seed 1] [--reps 3] [-k 5] [--exposure x]
 * [--rules] [--candidates K] [--out file.md]`.
 *
 * The cohort is `generateCohort({ mentees, mentors, seed })`. Each rep times, one after the
 * other: `recommend` (k suggestions a mentee under the exposure caps; it reads no equity rule but
 * `minFit`, which the generator does not add), and `match` as bench/match.bench.ts times it (the
 * program's coverage-first, without the generator's equity rule); with `--rules`, also `match` on
 * the cohort as generated (its `maxPerMentorPerGroup` rule enforced by the equity search).
 * Medians of --reps; the ratio is recommend / match. The table goes to stdout, and to `--out`
 * when given (bench/results/recommend.md is written by hand around it).
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { parseCohort } from "../src/cohort/parse.js";
import { generateCohort } from "../src/generate/cohort.js";
import { recommend, type RecommendResult } from "../src/lifecycle/recommend.js";
import { match } from "../src/match/match.js";
import type { MatchResult } from "../src/match/types.js";
import { arg, argv, flag, fmtMs, median, sizesArg, time } from "./cli.js";

const sizes = sizesArg("20000x4000");
const seed = Number(arg("seed", "1"));
const reps = Number(arg("reps", "3"));
const k = Number(arg("k", "5"));
const exposureArg = arg("exposure", "");
const exposure = exposureArg === "" ? undefined : Number(exposureArg);
const candidates = arg("candidates", "");
const withRules = flag("rules");
const out = arg("out", "-");

const fmt = fmtMs;

const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};

say(
  `| size | recommend (k ${k}) | of which the solve | match (coverage-first, no equity rules) | ratio |${withRules ? " match (as generated, its equity rule) | ratio |" : ""} recommend's solve: phases (median run) |`,
);
say(`| --- | ---: | ---: | ---: | ---: |${withRules ? " ---: | ---: |" : ""} --- |`);
const notes: string[] = [];
for (const [n, m] of sizes) {
  const generated = generateCohort({ mentees: n, mentors: m, seed });
  const asGenerated = parseCohort(generated);
  const noRules = parseCohort({ ...generated, program: { ...generated.program, equity: [] } });
  const t = {
    rec: [] as number[],
    solve: [] as number[],
    match: [] as number[],
    rules: [] as number[],
  };
  const recs: RecommendResult[] = [];
  for (let r = 0; r < reps; r++) {
    const [rec, recMs] = time(() =>
      recommend(asGenerated, {
        k,
        exposure,
        ...(candidates === "" ? {} : { candidatesPerRow: Number(candidates) }),
      }),
    );
    if (rec.status !== "optimal") throw new Error(`recommend: ${rec.status}`);
    t.rec.push(recMs);
    t.solve.push(rec.stats.timeMs);
    recs.push(rec);
    const [res, matchMs] = time(() => match(noRules));
    if (res.status !== "optimal") throw new Error(`match: ${res.status}`);
    t.match.push(matchMs);
    if (withRules) {
      const [ruled, rulesMs] = time((): MatchResult => match(asGenerated));
      if (ruled.status !== "optimal" && ruled.status !== "feasible")
        throw new Error(`match with rules: ${ruled.status}`);
      t.rules.push(rulesMs);
    }
    console.error(
      `  rep ${r + 1}: recommend ${fmt(recMs)} (solve ${fmt(rec.stats.timeMs)}), match ${fmt(matchMs)}${withRules ? `, match with rules ${fmt(t.rules[r])}` : ""}`,
    );
  }
  const mid = recs[t.rec.indexOf(median(t.rec))];
  const p = mid.stats.phaseMs;
  const s = mid.stats;
  say(
    `| ${n.toLocaleString("en-US")} × ${m.toLocaleString("en-US")} | ${fmt(median(t.rec))} | ${fmt(median(t.solve))} | ${fmt(median(t.match))} | ${(median(t.rec) / median(t.match)).toFixed(2)}× |${withRules ? ` ${fmt(median(t.rules))} | ${(median(t.rec) / median(t.rules)).toFixed(2)}× |` : ""} candidates ${fmt(p.candidates)}, flow ${fmt(p.flow)}, pricing ${fmt(p.pricing)}, sample ${fmt(p.sample)}, auction ${fmt(p.auction)}; ${s.candidatePairs.toLocaleString("en-US")} candidate pairs of ${s.allowedPairs.toLocaleString("en-US")}, ${s.augmentations} aug, ${s.pivots} pivots, ${s.pricingRounds} pricing rounds |`,
  );
  const suggestions = mid.mentees.reduce((a, e) => a + e.suggestions.length, 0);
  const full = mid.mentees.filter((e) => e.suggestions.length >= k).length;
  const reasons = new Map<string, number>();
  for (const x of mid.short) reasons.set(x.reason, (reasons.get(x.reason) ?? 0) + 1);
  const atCap = mid.mentors.filter((x) => x.cap > 0 && x.exposure >= x.cap).length;
  const caps = mid.mentors.reduce((a, x) => a + x.cap, 0);
  notes.push(
    `${n.toLocaleString("en-US")} × ${m.toLocaleString("en-US")}: total fit ${mid.objective.toFixed(2)} = bound ${mid.bound.toFixed(2)}; ${suggestions.toLocaleString("en-US")} suggestions (caps add up to ${caps.toLocaleString("en-US")}), ${full.toLocaleString("en-US")} mentees with ${k}; short: ${[...reasons].map(([why, c]) => `${why} ${c.toLocaleString("en-US")}`).join(", ")}; ${atCap} of ${m} mentors at their cap; the whole call ${fmt(mid.timeMs)}, the solve ${fmt(s.timeMs)}.`,
  );
}
for (const note of notes) say(`\n${note}`);
const head = [
  `- Command: \`npm run bench:recommend -- ${argv.join(" ")}\``,
  `- ${new Date().toISOString()}, ${os.cpus()[0]?.model ?? "cpu"} × ${os.cpus().length}, Node ${process.version}; medians of ${reps}; seed ${seed}, k ${k}, exposure ${exposure ?? "k (default)"}`,
  `- Peak memory of the process (RSS): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB.`,
];
for (const line of head) console.log(line);
if (out !== "-") writeFileSync(out, [...head, "", ...lines, ""].join("\n"));
