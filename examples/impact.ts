/**
 * Impact over 24 months on a generated history: match a cohort, generate two years of
 * check-ins and outcomes (`generateProgramRecords`: growth that depends on fit, dropout,
 * promotions), then the scorecard, the trajectory, retention curves with the log-rank test
 * between matched and unmatched mentees, and what the evidence says about the weights.
 *
 *   npx tsx examples/impact.ts                      # 600 mentees, 120 mentors, seed 11
 *   npx tsx examples/impact.ts --mentees 3000 --mentors 600 --json
 *
 * Only mentees with analytics consent are read; the generated cohort marks every mentee as
 * consenting so the example has figures to show (docs/IMPACT.md).
 */
import { pathToFileURL } from "node:url";
import {
  calibrate,
  generateCohort,
  generateProgramRecords,
  kaplanMeier,
  logRank,
  match,
  parseCohort,
  parseProgramRecords,
  scorecard,
  trajectories,
} from "../src/index.js";

/** Runs the example's analysis and returns its parts (the test reads them). */
export function runImpact(mentees = 600, mentors = 120, seed = 11) {
  const g = generateCohort({ mentees, mentors, seed, equity: false });
  const cohort = parseCohort({
    ...g,
    mentees: g.mentees.map((e) => ({ ...e, consent: { analytics: true } })),
  });
  const result = match(cohort);
  const records = parseProgramRecords(generateProgramRecords(cohort, result, { seed }), cohort);
  const card = scorecard(cohort, result, records);
  const trend = trajectories(cohort, result, records);
  const matched = new Set(result.pairs.map((p) => p.mentee));
  const split = (paired: boolean) => ({
    label: paired ? "matched" : "unmatched",
    observations: card.mentees
      .filter((m) => matched.has(m.mentee) === paired)
      .map((m) => m.retention),
  });
  const survival = logRank([split(true), split(false)]);
  const curves = [split(true), split(false)].map((g) => ({
    label: g.label,
    curve: kaplanMeier(g.observations, { horizon: card.horizonMonths }),
  }));
  const calibration = calibrate(cohort, result, card);
  return { card, trend, survival, curves, calibration };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function main(): void {
  const arg = (name: string, d: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : d;
  };
  const out = runImpact(
    Number(arg("mentees", "600")),
    Number(arg("mentors", "120")),
    Number(arg("seed", "11")),
  );
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  const { card, trend, survival, curves, calibration } = out;
  const c = card.cohort;
  console.log(`${card.consenting} mentees over ${card.horizonMonths} months from ${card.start}`);
  console.log(
    `gap closed ${pct(c.gapClosed)} (high-priority skills ${pct(c.alignment.high)}, the rest ${pct(c.alignment.rest)}); check-ins held ${pct(c.engagement)}`,
  );
  console.log(
    `still in the organization at ${card.horizonMonths} months: ${pct(c.retention.atHorizon)} (high potential ${c.retention.highPotential === null ? "—" : pct(c.retention.highPotential)}); independent: ${pct(c.independence.byHorizon)}`,
  );
  const every = (xs: readonly number[]) =>
    xs
      .filter((_, m) => m % 6 === 0)
      .map(pct)
      .join(" → ");
  console.log(`gap closed, every 6 months: ${every(trend.cohort.gapClosed)}`);
  for (const { label, curve } of curves)
    console.log(
      `${label}: ${curve.n} mentees, ${curve.events} left; restricted mean ${curve.restrictedMean!.value.toFixed(1)} of ${card.horizonMonths} months`,
    );
  console.log(
    `log-rank, matched against unmatched: chi-square ${survival.chiSquare.toFixed(2)} on ${survival.df} df, p = ${survival.pValue.toPrecision(3)}`,
  );
  for (const g of card.groups)
    console.log(
      `${g.attribute}: ${g.groups.map((x) => (x.hidden ? `${x.label} (hidden: too few)` : `${x.label} ${pct(x.figures!.gapClosed)}`)).join(", ")}`,
    );
  const fit = calibration.correlations.find((x) => x.term === "fit")!;
  console.log(
    `fit against growth: r = ${fit.r.toFixed(2)} (${fit.lower.toFixed(2)}–${fit.upper.toFixed(2)}, n ${fit.n}); cross-validated error ${calibration.regression?.cvError.toFixed(3)} against ${calibration.regression?.baselineError.toFixed(3)} for the mean`,
  );
  console.log(
    calibration.suggestedWeights
      ? `weights the evidence suggests (not applied): ${Object.entries(calibration.suggestedWeights)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(", ")}`
      : `no weights suggested: ${calibration.warning}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
