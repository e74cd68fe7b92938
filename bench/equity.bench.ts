/**
 * `match` under equity rules on realistic cohorts: `npm run bench:equity -- [--sizes
 * 1000x200,5000x1000] [--seeds 1] [--reps 1] [--penalty P] [--loose] [--out bench/results/equity.md]`
 * (`--penalty`: every rule soft at P per unit short or over; the gap and price are then on the
 * total less that cost; `--loose`: rules the answer without them mostly keeps instead — a loose
 * gender share and a department cap of 4 — for what rules cost when they do not bind).
 *
 * Cohorts from the project's generator (bench/match.bench.ts describes their shape), with the
 * rules the equity issue names: proportional access to the senior tier by gender (tolerance 0.05)
 * and by region (0.1), at most 2 mentees of one department per mentor, and a reserve of senior
 * mentors for region apac: 10% more of them (at least one more) than the answer without rules
 * gives that group, so that it binds on every cohort. Beside each other in
 * one run, per cohort and mode (coverage-first as the generator's program says, and plain): the
 * same cohort with no rules, then with them — whole `match` calls timed alike (after one untimed
 * call each), status, the proven gap, engine solves, and the price of the rules (total fit and
 * pairs given up). Medians of --reps.
 */
import { writeFileSync } from "node:fs";
import { parseCohort } from "../src/cohort/parse.js";
import { generateCohort } from "../src/generate/cohort.js";
import { match, verifyMatch } from "../src/match/match.js";
import type { CohortInput, EquityRuleInput } from "../src/schema/input.js";
import type { MatchPair } from "../src/match/types.js";
import { arg, flag, fmtMs, median, sizesArg } from "./cli.js";

const sizes = sizesArg("1000x200,5000x1000");
const seeds = arg("seeds", "1").split(",").map(Number);
const reps = Number(arg("reps", "1"));
const out = arg("out", "bench/results/equity.md");
const penaltyArg = arg("penalty", "");
/** Rules the best assignment without them mostly keeps: what rules cost when they do not bind
 * (`match` still runs its search, whose first solve then is the answer). */
const loose = flag("loose");
const soft = penaltyArg === "" ? {} : { penalty: Number(penaltyArg) };

const LOOSE: EquityRuleInput[] = [
  { kind: "proportionalTierAccess", attribute: "gender", tier: "senior", tolerance: 0.5 },
  { kind: "maxPerMentorPerGroup", attribute: "department", max: 4 },
];

const RULES: EquityRuleInput[] = [
  { kind: "proportionalTierAccess", attribute: "gender", tier: "senior", tolerance: 0.05, ...soft },
  { kind: "proportionalTierAccess", attribute: "region", tier: "senior", tolerance: 0.1, ...soft },
  { kind: "maxPerMentorPerGroup", attribute: "department", max: 2, ...soft },
];

const fmt = fmtMs;

/** Pairs of region apac mentees with senior mentors. */
function apacSenior(c: CohortInput, pairs: readonly MatchPair[]): number {
  const apac = new Set(c.mentees.filter((e) => e.sensitive?.region === "apac").map((e) => e.id));
  const senior = new Set(c.mentors.filter((r) => r.tier === "senior").map((r) => r.id));
  return pairs.filter((p) => apac.has(p.mentee) && senior.has(p.mentor)).length;
}

const rows: string[] = [];
for (const [n, m] of sizes)
  for (const seed of seeds) {
    const generated = generateCohort({ mentees: n, mentors: m, seed });
    const free = parseCohort({ ...generated, program: { ...generated.program, equity: [] } });
    for (const coverageFirst of [true, false]) {
      const tFree: number[] = [];
      const tRuled: number[] = [];
      let a = match(free, { coverageFirst });
      const reserve = Math.ceil(1.1 * apacSenior(generated, a.pairs) + 0.5);
      const equity: EquityRuleInput[] = loose
        ? LOOSE
        : [
            ...RULES,
            {
              kind: "reserve",
              attribute: "region",
              group: "apac",
              tier: "senior",
              min: reserve,
              ...soft,
            },
          ];
      const ruled = parseCohort({ ...generated, program: { ...generated.program, equity } });
      let b = match(ruled, { coverageFirst });
      for (let r = 0; r < reps; r++) {
        let t = performance.now();
        a = match(free, { coverageFirst });
        tFree.push(performance.now() - t);
        t = performance.now();
        b = match(ruled, { coverageFirst });
        tRuled.push(performance.now() - t);
      }
      const ok = verifyMatch(ruled, b).ok;
      const bound = "bound" in b ? b.bound : NaN;
      // What the search maximizes: the total less what soft rules cost (0 when they are hard).
      const value = b.objective - (b.penalty ?? 0);
      const gap = Number.isFinite(bound) ? (bound - value) / Math.max(1, value) : NaN;
      const solves =
        b.status === "optimal" || b.status === "feasible"
          ? (b.certificate.equity?.solves ?? 1)
          : "—";
      const priceFit = a.objective - value;
      const pricePairs = a.pairs.length - b.pairs.length;
      const line = [
        `${n} × ${m}`,
        String(seed),
        coverageFirst ? "cov" : "plain",
        fmt(median(tFree)),
        fmt(median(tRuled)),
        `${(median(tRuled) / median(tFree)).toFixed(1)}×`,
        b.status,
        Number.isFinite(gap) ? `${(100 * gap).toPrecision(2)}%` : "—",
        String(solves),
        `${pricePairs} / ${priceFit.toFixed(2)} (${((100 * priceFit) / Math.max(1, a.objective)).toFixed(3)}%)`,
        ok ? "yes" : "NO",
      ];
      rows.push(`| ${line.join(" | ")} |`);
      console.log(rows[rows.length - 1]);
    }
  }

const what = loose
  ? `Loose equity rules: gender access to the senior tier (tolerance 0.5), at most 4 mentees of one\ndepartment per mentor`
  : `Equity rules: gender and region access to the senior tier (tolerance 0.05 and 0.1), at most 2\nmentees of one department per mentor, senior mentors reserved for region apac (10% more than\nwithout rules)`;
const table = [
  `${what}${penaltyArg === "" ? "" : `, every rule soft at ${penaltyArg} per unit short or over (gap and price on the total less that cost)`}. ${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}.`,
  "",
  "| cohort | seed | mode | no rules | rules | ratio | status | gap | solves | price: pairs / fit | verified |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
].join("\n");
writeFileSync(out, table);
console.log(`\nwritten to ${out}`);
