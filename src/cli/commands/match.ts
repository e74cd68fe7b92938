/**
 * `mentorflow match <dir>`: match the cohort exactly, check the proof, print a short summary and
 * write the files asked for (matches CSV, unmatched CSV, HTML report, JSON result).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { match, verifyMatch } from "../../match/match.js";
import type { MatchResult } from "../../match/types.js";
import { writeMatchesCsv, writeUnmatchedCsv } from "../../node/results.js";
import { renderMatchReport } from "../../report/html.js";
import { summarizeMatch, type MatchSummary } from "../../report/summary.js";
import { plural } from "../../report/text.js";
import type { VerifyResult } from "../../solve/types.js";
import { CliFailure, EXIT, readCohort, type CliIO, type CohortArgs } from "../io.js";
import { createProgress } from "../progress.js";
import { infeasibleText, summaryText } from "../summary-text.js";

export interface MatchArgs extends CohortArgs {
  readonly out?: string;
  readonly unmatched?: string;
  readonly report?: string;
  readonly json?: string;
  readonly timeLimit?: number;
  readonly coverageFirst?: boolean;
  readonly price?: boolean;
  readonly quiet?: boolean;
}

/** The JSON result file: the summary (pairs with tier and fit parts, groups, demand …), the raw
 * `match` result with its certificate, and the independent check. Exact numbers throughout. */
export interface JsonResult {
  readonly status: MatchResult["status"];
  readonly summary: MatchSummary;
  readonly result: MatchResult;
  readonly check: VerifyResult | null;
}

const EXIT_OF: Record<MatchResult["status"], number> = {
  optimal: EXIT.ok,
  feasible: EXIT.ok,
  infeasible: EXIT.infeasible,
  time_limit: EXIT.timeLimit,
};

async function write(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, "utf8");
  } catch (e) {
    throw new CliFailure(`Could not write ${path}: ${(e as Error).message}`, EXIT.error);
  }
}

export async function matchCommand(
  io: CliIO,
  dir: string | undefined,
  args: MatchArgs,
): Promise<number> {
  const progress = createProgress(io, args.quiet === true);
  progress.step("reading the cohort");
  const { cohort, files } = await readCohort(io, dir, args);
  const where = dir ?? files.mentees;

  progress.step("matching");
  const result = match(cohort, {
    coverageFirst: args.coverageFirst,
    timeLimitMs: args.timeLimit === undefined ? undefined : args.timeLimit * 1000,
    onProgress: (p) => progress.solve(p),
  });
  progress.step("checking the proof");
  const check = result.status === "infeasible" ? null : verifyMatch(cohort, result);
  progress.step("summarizing");
  const summary = summarizeMatch(cohort, result, { price: args.price === true });

  const written: string[] = [];
  const pairs = plural(summary.pairs.length, "pair");
  if (args.out !== undefined) {
    progress.step(`writing ${args.out}`);
    await write(args.out, writeMatchesCsv(summary));
    written.push(`${args.out} (${pairs})`);
  }
  if (args.unmatched !== undefined) {
    await write(args.unmatched, writeUnmatchedCsv(summary));
    written.push(`${args.unmatched} (${plural(summary.unmatched.length, "mentee")})`);
  }
  if (args.report !== undefined) {
    progress.step(`writing ${args.report}`);
    await write(args.report, renderMatchReport(summary, { cohort: where }));
    written.push(args.report);
  }
  const json: JsonResult = { status: result.status, summary, result, check };
  const jsonText = args.json === undefined ? "" : `${JSON.stringify(json, null, 2)}\n`;
  if (args.json !== undefined && args.json !== "-") {
    await write(args.json, jsonText);
    written.push(args.json);
  }
  progress.done();

  // With `--json -` stdout is the JSON alone; the summary goes to stderr.
  const say = args.json === "-" ? io.err : io.out;
  if (args.json === "-") io.out(jsonText);
  if (args.quiet !== true || args.json !== "-") {
    const text =
      result.status === "infeasible"
        ? `${summaryText(summary, where)}\n${infeasibleText(summary, result.diagnosis.message)}`
        : summaryText(summary, where);
    if (args.quiet !== true || result.status === "infeasible") say(`${text}\n`);
  }
  if (check && !check.ok && result.status === "optimal")
    io.err(`warning: the certificate did not verify: ${check.problems.join("; ")}\n`);
  else if (check?.ok && args.quiet !== true) say("certificate: verified independently\n");
  if (written.length > 0 && args.quiet !== true) say(`wrote ${written.join(", ")}\n`);
  return EXIT_OF[result.status];
}
