/**
 * How close `match` under equity rules comes to the exact optimum: `npm run bench:equity-oracle
 * -- [--cohorts 150] [--seed 1]`. Small generated cohorts (6–18 mentees, 2–6 mentors) with one to
 * three random rules — shares of a tier by gender or region, per-mentor department caps, match
 * rates (absolute or relative to the overall rate), reserves — as in test/equity/optimizer.test.ts, each solved by `match` and by the exact
 * MIP (HiGHS, test/equity/mip.ts). Reports how many answers equal the MIP optimum, the loss of
 * the others (share of the optimum), and whether infeasibility agrees. The tests check the
 * guarantees (bound ≥ optimum ≥ objective); this measures how often the answer is the optimum.
 */
import { parseCohort } from "../src/cohort/parse.js";
import { generateCohort } from "../src/generate/cohort.js";
import { createRandom } from "../src/generate/random.js";
import { match } from "../src/match/match.js";
import type { CohortInput, EquityRuleInput } from "../src/schema/input.js";
import { mipOracle, mipSolver } from "../test/equity/mip.js";
import { arg } from "./cli.js";

const cohorts = Number(arg("cohorts", "150"));
const rnd = createRandom(Number(arg("seed", "1")));
const int = (lo: number, hi: number) => lo + Math.floor(rnd.next() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];

function randomRule(input: CohortInput, seed: number): EquityRuleInput {
  const attribute = pick(["gender", "region"] as const);
  switch (int(0, 3)) {
    case 0:
      return {
        kind: "proportionalTierAccess",
        attribute,
        tier: pick(["peer", "senior"]),
        tolerance: pick([0, 0.05, 0.1, 0.25, 0.5]),
      };
    case 1:
      return {
        kind: "maxPerMentorPerGroup",
        attribute: pick(["gender", "region", "department"]),
        max: int(1, 2),
      };
    case 2:
      return rnd.next() < 0.5
        ? { kind: "minMatchRate", attribute, rate: pick([0.3, 0.5, 0.7, 0.9]) }
        : { kind: "minMatchRate", attribute, maxBelowOverall: pick([0, 0.05, 0.1, 0.25]) };
    default: {
      const group = input.mentees[seed % input.mentees.length].sensitive![attribute];
      const tier = pick([undefined, "peer", "senior"]);
      return { kind: "reserve", attribute, group, min: int(1, 4), ...(tier ? { tier } : {}) };
    }
  }
}

const highs = await mipSolver();
let feasible = 0;
let exact = 0;
let binding = 0;
let infeasibleBoth = 0;
/** The MIP is infeasible and the search ended without a proof of it (time_limit, `rules`). */
let unproven = 0;
/** The MIP has an optimum and the search found no answer. */
let missed = 0;
const losses: number[] = [];
for (let c = 0; c < cohorts; c++) {
  const seed = int(1, 1_000_000);
  const base = generateCohort({ mentees: int(6, 18), mentors: int(2, 6), seed });
  const equity = Array.from({ length: int(1, 3) }, () => randomRule(base, seed));
  const coverageFirst = rnd.next() < 0.5;
  const input: CohortInput = {
    ...base,
    program: { ...base.program, equity, minGroupSize: int(1, 4), coverageFirst },
  };
  const r = match(parseCohort(input));
  const mip = mipOracle(highs, input, coverageFirst);
  if (mip.status === "infeasible") {
    if (r.status === "infeasible") infeasibleBoth++;
    else unproven++;
    continue;
  }
  if (r.status !== "optimal" && r.status !== "feasible") {
    missed++;
    continue;
  }
  feasible++;
  if (r.certificate.equity) binding++;
  const loss = (mip.objective - r.objective) / Math.max(1, mip.objective);
  const samePairs = !coverageFirst || r.pairs.length === mip.pairs;
  if (samePairs && loss <= 1e-7) exact++;
  else losses.push(samePairs ? loss : NaN);
}
const finite = losses.filter(Number.isFinite);
const mean = finite.reduce((a, b) => a + b, 0) / Math.max(1, feasible);
console.log(
  [
    `${cohorts} cohorts (${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}):`,
    `${exact} of ${feasible} answers equal the MIP optimum (the search ran on ${binding});`,
    `mean loss ${(100 * mean).toFixed(2)}%, largest ${(100 * Math.max(0, ...finite)).toFixed(1)}%;`,
    `${losses.length - finite.length} with fewer pairs than the MIP under coverage-first;`,
    `MIP infeasible: ${infeasibleBoth} proven infeasible by the search too, ${unproven} ended without that proof;`,
    `MIP feasible but no answer found: ${missed}.`,
  ].join("\n"),
);
