/**
 * The main job on the bundled example cohort: load the CSVs, match exactly, check the proof, and
 * print a readable summary.
 *
 *   npm run demo                      # examples/data
 *   npm run demo -- --dir my/cohort   # a folder with mentees.csv, mentors.csv, config.json
 *   npm run demo -- --json            # the plain JSON result instead of the summary
 */
import path from "node:path";
import { parseArgs } from "node:util";
import {
  auditFairness,
  explainPair,
  formatIssues,
  InputError,
  match,
  verifyMatch,
  type UnmatchedMenteeReason,
} from "../src/index.js";
import { loadCohort } from "../src/node/index.js";

const { values } = parseArgs({
  options: {
    dir: { type: "string", default: path.join(import.meta.dirname, "data") },
    json: { type: "boolean", default: false },
    "coverage-first": { type: "boolean" },
  },
});

const dir = values.dir!;
let loaded;
try {
  loaded = await loadCohort({
    mentees: path.join(dir, "mentees.csv"),
    mentors: path.join(dir, "mentors.csv"),
    config: path.join(dir, "config.json"),
  });
} catch (e) {
  if (e instanceof InputError) {
    console.error(
      `The cohort in ${dir} has ${e.issues.length} problem(s):\n${formatIssues(e.issues)}`,
    );
    // Warnings often explain the problems (an unknown column beside a missing one).
    for (const w of e.warnings) console.error(`warning: ${formatIssues([w])}`);
    process.exit(2);
  }
  throw e;
}
const { cohort, warnings } = loaded;
for (const w of warnings) console.error(`warning: ${formatIssues([w])}`);

const result = match(cohort, { coverageFirst: values["coverage-first"] });
const check = verifyMatch(cohort, result);
if (values.json) {
  console.log(JSON.stringify({ result, check, audit: auditFairness(cohort, result) }, null, 2));
  process.exit(result.status === "infeasible" ? 3 : 0);
}

const { index, view } = cohort;
const tierOf = (mentor: string) => index.tierIds[view.mentors.tier[index.mentorById.get(mentor)!]];
const fmt = (x: number) => x.toFixed(2);
const line = (s = "") => console.log(s);

line(`mentorflow demo — ${path.relative(process.cwd(), dir) || "."}`);
line(
  `cohort: ${view.mentees.count} mentees, ${view.mentors.count} mentors, ${view.nSkills} skills, tiers ${index.tierIds.join(" / ")}`,
);
line();
if (result.status === "infeasible") {
  line(`No matching can keep every rule: ${result.diagnosis.message}`);
  process.exit(3);
}
line(
  `status: ${result.status}${result.status === "feasible" ? " (every rule kept, not proven optimal)" : ""}   total fit ${fmt(result.objective)}   proven bound ${fmt(result.bound)}   ` +
    `matched ${new Set(result.pairs.map((p) => p.mentee)).size}/${view.mentees.count} mentees in ${result.pairs.length} pairs   (${result.stats.timeMs.toFixed(0)} ms)`,
);
line(
  check.ok
    ? `certificate: verified independently (bound − total = ${check.gap.toExponential(1)})`
    : `certificate: NOT verified — ${check.problems.join("; ")}`,
);
for (const r of result.equity.filter((e) => !e.enforced)) line(`warning: ${r.message}`);
line();
line("pairs (mentee → mentor, tier, fit, where the fit comes from):");
for (const p of result.pairs) {
  const why = explainPair(cohort, p.mentee, p.mentor);
  const skills = why.skills
    .filter((s) => s.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, 3)
    .map((s) => `${s.skill} +${fmt(s.contribution)}`);
  const extras = Object.entries(why.terms)
    .filter(([k, v]) => k !== "gap" && v > 0)
    .map(([k, v]) => `${k} +${fmt(v)}`);
  line(
    `  ${p.mentee.padEnd(8)} → ${p.mentor.padEnd(8)} ${tierOf(p.mentor).padEnd(7)} ${fmt(p.score).padStart(6)}  ${[...skills, ...extras].join(", ")}${p.locked ? "  [locked]" : ""}`,
  );
}
line();
line(`unmatched (${result.unmatched.length}):`);
const words: Record<UnmatchedMenteeReason, string> = {
  no_eligible_mentor: "no eligible mentor",
  mentors_full: "eligible mentors are full with better-fitting pairs",
  no_fit: "no eligible mentor covers any of their strategic gaps",
  max_mentors_zero: "asked for no mentor",
  stopped_early: "not placed before the time limit",
  equity_rules: "equity rules chose other pairs (an eligible mentor with room exists)",
};
for (const u of result.unmatched) {
  const rules = u.blockedBy.map((b) => `${b.rule} ×${b.mentors}`).join(", ");
  line(
    `  ${u.mentee.padEnd(8)} ${words[u.reason]} (${u.eligibleMentors} eligible${rules ? `; ruled out: ${rules}` : ""})`,
  );
}
line();
line("mentor loads:");
line("  " + result.mentors.map((m) => `${m.mentor} ${m.load}/${m.capacity}`).join("  "));
line();
const audit = auditFairness(cohort, result);
line(`fairness (docs/FAIRNESS.md; groups under ${audit.minGroupSize} mentees hidden):`);
const pct = (x: number | null) => (x === null ? "—" : `${(100 * x).toFixed(2)}%`);
// A rule's price against the same cohort without it: mentees matched given up first, then fit.
const price = (mentees: number, fit: number, share: number | null) =>
  `${mentees} mentee(s) matched and ${fmt(fit)} fit (${pct(share)}) fewer than without it`;
for (const r of audit.rules)
  line(
    `  ${r.held ? "held    " : "NOT held"} ${r.message}${r.price !== null ? ` Price: ${price(r.priceMentees!, r.price, r.priceShare)}.` : ""}`,
  );
if (audit.price !== null)
  line(
    `  all enforced rules together: ${price(audit.priceMentees!, audit.price, audit.priceShare)}.`,
  );
line(
  `  group statistics count the ${audit.consent.counted} mentees who consented to analytics (${audit.consent.excluded} did not):`,
);
for (const a of audit.attributes) {
  const shown = a.groups.map(
    (g) =>
      `${g.group ?? "(not stated)"} ${g.matched}/${g.mentees} matched, mean fit ${g.meanFit === null ? "—" : fmt(g.meanFit)}`,
  );
  if (a.suppressed.groups > 0) shown.push(`${a.suppressed.groups} hidden group(s)`);
  line(`  ${a.attribute}: ${shown.join("; ")}`);
}
