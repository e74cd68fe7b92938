/**
 * `match` under mean-fit gaps (maxMeanFitGap): `npm run bench:mean-gap -- [--cohorts 300]
 * [--sizes 2000x400,5000x1000] [--out bench/results/mean-gap.md]`.
 *
 * 1. Against brute force (test/equity/brute.ts) on tiny generated cohorts (4–7 mentees, 2–3
 *    mentors, one gap rule on gender or region with maxGap 0, 0.25, 0.5, 1 or 2, minGroupSize 1
 *    or 2, either mode): how often an answer is found when one exists, how often it is the
 *    optimum, and the loss of the others (share of the optimum; coverage-first answers with
 *    fewer pairs than the optimum are counted apart).
 * 2. On realistic generated cohorts (bench/match.bench.ts describes their shape): one gap rule
 *    (gender or region, maxGap 0.5 or 0.1) beside the same cohort with no rule, whole `match`
 *    calls timed alike (after one untimed call each): status, proven gap, fit price, and the
 *    gap achieved.
 */
import { writeFileSync } from "node:fs";
import { parseCohort } from "../src/cohort/parse.js";
import { auditFairness } from "../src/equity/audit.js";
import { generateCohort } from "../src/generate/cohort.js";
import { createRandom } from "../src/generate/random.js";
import { match, verifyMatch } from "../src/match/match.js";
import type { CohortInput } from "../src/schema/input.js";
import { bruteOracle } from "../test/equity/brute.js";
import { arg, fmtMs, sizesArg } from "./cli.js";

const cohorts = Number(arg("cohorts", "300"));
const sizes = sizesArg("2000x400,5000x1000");
const out = arg("out", "bench/results/mean-gap.md");
const rnd = createRandom(1);
const int = (lo: number, hi: number) => lo + Math.floor(rnd.next() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];

// 1. Tiny cohorts against brute force.
let exists = 0;
let answered = 0;
let exact = 0;
let fewerPairs = 0;
const losses: number[] = [];
for (let c = 0; c < cohorts; c++) {
  const seed = int(1, 1_000_000);
  const base = generateCohort({ mentees: int(4, 7), mentors: int(2, 3), seed });
  const coverageFirst = rnd.next() < 0.5;
  const input: CohortInput = {
    ...base,
    program: {
      ...base.program,
      equity: [
        {
          kind: "maxMeanFitGap",
          attribute: pick(["gender", "region"]),
          maxGap: pick([0, 0.25, 0.5, 1, 2]),
        },
      ],
      minGroupSize: int(1, 2),
      coverageFirst,
    },
  };
  const best = bruteOracle(input, coverageFirst);
  if (best.status !== "optimal") continue;
  exists++;
  const r = match(parseCohort(input));
  if (r.status !== "optimal" && r.status !== "feasible") continue;
  answered++;
  if (coverageFirst && r.pairs.length < best.pairs) {
    fewerPairs++;
    continue;
  }
  const loss = (best.objective - r.objective) / Math.max(1e-12, best.objective);
  if (loss <= 1e-9) exact++;
  else losses.push(loss);
}
const meanLoss = losses.reduce((a, b) => a + b, 0) / Math.max(1, losses.length);
const tiny = [
  `Tiny cohorts against brute force (${cohorts} drawn, ${exists} with an answer that keeps the rule):`,
  `an answer in ${answered}; the optimum in ${exact}; coverage-first with fewer pairs than the`,
  `optimum in ${fewerPairs}; the other ${losses.length} lose ${(100 * meanLoss).toFixed(2)}% of the optimum on average`,
  `(largest ${(100 * Math.max(0, ...losses)).toFixed(1)}%).`,
].join(" ");
console.log(tiny);

// 2. Realistic cohorts.
const rows: string[] = [];
for (const [n, m] of sizes) {
  const generated = generateCohort({ mentees: n, mentors: m, seed: 1 });
  const free = parseCohort({ ...generated, program: { ...generated.program, equity: [] } });
  for (const attribute of ["gender", "region"])
    for (const maxGap of [0.5, 0.1])
      for (const coverageFirst of [true, false]) {
        const rule = { kind: "maxMeanFitGap" as const, attribute, maxGap };
        const ruled = parseCohort({
          ...generated,
          program: { ...generated.program, equity: [rule] },
        });
        match(free, { coverageFirst });
        match(ruled, { coverageFirst });
        let t = performance.now();
        const a = match(free, { coverageFirst });
        const tFree = performance.now() - t;
        t = performance.now();
        const b = match(ruled, { coverageFirst });
        const tRuled = performance.now() - t;
        const before = auditFairness(ruled, a, { price: false }).rules[0].achieved;
        const after = auditFairness(ruled, b, { price: false }).rules[0];
        const bound = "bound" in b ? b.bound : NaN;
        const gap = Number.isFinite(bound) ? (bound - b.objective) / Math.max(1, b.objective) : NaN;
        const line = [
          `${n} × ${m}`,
          coverageFirst ? "cov" : "plain",
          `${attribute} ≤ ${maxGap}`,
          before === null ? "—" : before.toFixed(3),
          fmtMs(tFree),
          fmtMs(tRuled),
          `${(tRuled / tFree).toFixed(1)}×`,
          b.status,
          after.achieved === null ? "—" : after.achieved.toFixed(3),
          Number.isFinite(gap) ? `${(100 * gap).toPrecision(2)}%` : "—",
          `${a.pairs.length - b.pairs.length} / ${(a.objective - b.objective).toFixed(2)}`,
          verifyMatch(ruled, b).ok ? "yes" : "NO",
        ];
        rows.push(`| ${line.join(" | ")} |`);
        console.log(rows[rows.length - 1]);
      }
}

writeFileSync(
  out,
  [
    `maxMeanFitGap, ${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}.`,
    "",
    tiny,
    "",
    "Realistic cohorts (generator seed 1), one rule each:",
    "",
    "| cohort | mode | rule | gap without it | no rule | rule | ratio | status | gap kept | proven gap | price: pairs / fit | verified |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n"),
);
console.log(`\nwritten to ${out}`);
