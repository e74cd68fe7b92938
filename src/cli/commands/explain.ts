/**
 * `mentorflow explain <dir> --mentee ID [--mentor ID]`: why this mentor (the fit taken apart),
 * and why not that one (the rule that rules the pair out, or the mentor's load and whom they
 * would have to give up, and the exact cost of pairing them: `whyNot`'s forced re-solve). It
 * matches the cohort first, the same way `match` does.
 */
import { explainPair, reasonDetail, type PairExplanation } from "../../match/explain.js";
import { whyNot as forcedCost } from "../../lifecycle/counterfactual.js";
import { match } from "../../match/match.js";
import type { MatchResult } from "../../match/types.js";
import { InputError } from "../../schema/errors.js";
import {
  formatFit as fit,
  formatSignedFit,
  ruleWords,
  UNMATCHED_WORDS,
} from "../../report/format.js";
import { CliFailure, EXIT, issueLines, readCohort, type CliIO, type CohortArgs } from "../io.js";
import { createProgress } from "../progress.js";

export interface ExplainArgs extends CohortArgs {
  readonly mentee: string;
  readonly mentor?: string;
  readonly timeLimit?: number;
  readonly coverageFirst?: boolean;
  readonly quiet?: boolean;
}

/** The fit taken apart: each skill's share of the gap term, then the other terms. */
function breakdown(e: PairExplanation): string[] {
  const lines = e.skills
    .filter((s) => s.contribution !== 0)
    .sort((a, b) => b.contribution - a.contribution)
    .map(
      (s) =>
        `  ${s.skill.padEnd(18)} ${formatSignedFit(s.contribution)}  (gap ${fit(s.gap)}, this mentor covers ${fit(s.covered)}, priority ${fit(s.priority)})`,
    );
  for (const [term, value] of Object.entries(e.terms))
    if (term !== "gap" && value !== 0) lines.push(`  ${term.padEnd(18)} ${formatSignedFit(value)}`);
  if (lines.length === 0) lines.push("  (no part of the fit is above zero)");
  return lines;
}

function pairsOf(result: MatchResult, side: "mentee" | "mentor", id: string) {
  return result.pairs.filter((p) => p[side] === id);
}

export async function explainCommand(
  io: CliIO,
  dir: string | undefined,
  args: ExplainArgs,
): Promise<number> {
  const progress = createProgress(io, args.quiet === true);
  progress.step("reading the cohort");
  const { cohort } = await readCohort(io, dir, args);
  const unknown: string[] = [];
  if (!cohort.index.menteeById.has(args.mentee)) unknown.push(`no mentee "${args.mentee}"`);
  if (args.mentor !== undefined && !cohort.index.mentorById.has(args.mentor))
    unknown.push(`no mentor "${args.mentor}"`);
  if (unknown.length > 0)
    throw new CliFailure(`The cohort has ${unknown.join(" and ")}`, EXIT.invalid);

  progress.step("matching");
  const result = match(cohort, {
    coverageFirst: args.coverageFirst,
    timeLimitMs: args.timeLimit === undefined ? undefined : args.timeLimit * 1000,
    onProgress: (p) => progress.solve(p),
  });
  progress.done();
  const { mentee } = args;
  const tierOf = (mentor: string) =>
    cohort.index.tierIds[cohort.view.mentors.tier[cohort.index.mentorById.get(mentor)!]];
  const lines: string[] = [];
  if (result.status === "infeasible") {
    io.out(`No matching keeps every rule: ${result.diagnosis.message}\n`);
    return EXIT.infeasible;
  }
  if (result.status === "time_limit")
    lines.push(
      "The match stopped early (time limit): these are the pairs found so far, not the answer.",
    );
  const own = pairsOf(result, "mentee", mentee);
  if (own.length === 0) {
    const u = result.unmatched.find((x) => x.mentee === mentee);
    lines.push(`${mentee} is not matched: ${u ? UNMATCHED_WORDS[u.reason] : "—"}`);
  }
  for (const p of own) {
    if (p.mentor === args.mentor) continue;
    lines.push(`${mentee} is matched with ${p.mentor} (${tierOf(p.mentor)}), fit ${fit(p.score)}:`);
    lines.push(...breakdown(explainPair(cohort, mentee, p.mentor)));
  }
  if (args.mentor !== undefined) lines.push(...whyNot(cohort, result, mentee, args.mentor, tierOf));
  io.out(`${lines.join("\n")}\n`);
  return result.status === "time_limit" ? EXIT.timeLimit : EXIT.ok;
}

function whyNot(
  cohort: Parameters<typeof explainPair>[0],
  result: MatchResult,
  mentee: string,
  mentor: string,
  tierOf: (mentor: string) => string,
): string[] {
  let e: PairExplanation;
  try {
    e = explainPair(cohort, mentee, mentor);
  } catch (err) {
    if (err instanceof InputError) throw new CliFailure(issueLines(err.issues), EXIT.invalid);
    throw err;
  }
  const paired = result.pairs.find((p) => p.mentee === mentee && p.mentor === mentor);
  const head = `${mentee} with ${mentor} (${tierOf(mentor)})`;
  if (paired) return [`${head}: matched, fit ${fit(paired.score)}:`, ...breakdown(e)];
  if (!e.eligible && e.reason !== null) {
    const detail = reasonDetail(cohort, mentee, mentor);
    return [
      `${head}: not eligible — ${ruleWords(e.reason)} (${e.reason})${detail ? `: ${detail}` : ""}.`,
      `  The pair would fit ${fit(e.total)}:`,
      ...breakdown(e),
    ];
  }
  const load = result.mentors.find((m) => m.mentor === mentor)!;
  const theirs = pairsOf(result, "mentor", mentor).sort((a, b) => a.score - b.score);
  const lines = [`${head}: eligible, fit ${fit(e.total)}, but not chosen.`];
  if (load.load >= load.capacity && theirs.length > 0) {
    const lowest = theirs[0];
    lines.push(
      `  ${mentor} is full (${load.load}/${load.capacity}) with ${theirs.map((p) => `${p.mentee} (${fit(p.score)})`).join(", ")}.`,
      `  Pairing them would displace one of those: the lowest, ${lowest.mentee} at ${fit(lowest.score)}, ${lowest.score >= e.total ? "fits at least as well as this pair" : "fits less, but the mentees' other options made this the better total"}.`,
    );
  } else {
    const own = pairsOf(result, "mentee", mentee);
    lines.push(
      own.length > 0
        ? `  ${mentor} has room (${load.load}/${load.capacity}); ${mentee}'s place went to ${own.map((p) => `${p.mentor} (${fit(p.score)})`).join(", ")}, worth more to the total.`
        : `  ${mentor} has room (${load.load}/${load.capacity}); ${e.total <= 0 ? "the pair adds nothing to the total fit" : "the program's rules chose other pairs"}.`,
    );
  }
  lines.push(...breakdown(e));
  if (result.status === "optimal") lines.push(...cost(cohort, result, mentee, mentor));
  return lines;
}

/** Moves listed before "… n more". */
const SHOWN_MOVES = 10;

/** The exact cost of pairing them: the answer re-solved with the pair locked (`whyNot`). */
function cost(
  cohort: Parameters<typeof explainPair>[0],
  result: Extract<MatchResult, { status: "optimal" }>,
  mentee: string,
  mentor: string,
): string[] {
  let forced;
  try {
    forced = forcedCost(cohort, result, mentee, mentor).forced;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return [
      "  The exact cost of pairing them is not computed: the forced re-solve does not keep the program's equity rules that cut across mentors yet.",
    ];
  }
  if (!forced) return [];
  if (forced.status !== "optimal")
    return [`  With the pair locked the match is ${forced.status}: no answer keeps every rule.`];
  const moves = forced.moves.map(
    (m) => `${m.mentee}: ${m.before.join(", ") || "(none)"} → ${m.after.join(", ") || "(none)"}`,
  );
  return [
    `  Pairing them: the best total with the pair is ${fit(forced.objective)}, ${formatSignedFit(forced.delta)} against this answer (the certificate says at least ${fit(forced.reducedCost)} less)${forced.coveredDelta !== 0 ? `, ${formatSignedFit(forced.coveredDelta).replace(/\.0+$/, "")} mentees covered` : ""}; ${moves.length} ${moves.length === 1 ? "mentee moves" : "mentees move"}:`,
    ...moves.slice(0, SHOWN_MOVES).map((l) => `    ${l}`),
    ...(moves.length > SHOWN_MOVES ? [`    … ${moves.length - SHOWN_MOVES} more`] : []),
  ];
}
