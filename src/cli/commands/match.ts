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
import { counted, stopWords } from "../../report/format.js";
import type { VerifyResult } from "../../solve/types.js";
import {
  CliFailure,
  EXIT,
  invalidCohort,
  printWarnings,
  tryReadCohort,
  type CliIO,
  type CohortArgs,
} from "../io.js";
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
  const read = await tryReadCohort(dir, args);
  printWarnings(io, read.warnings);
  if (!read.ok) {
    // A JSON reader gets the issues as data too.
    const invalid = { status: "invalid", issues: read.issues, warnings: read.warnings };
    if (args.json === "-") io.out(`${JSON.stringify(invalid, null, 2)}\n`);
    else if (args.json !== undefined)
      await write(args.json, `${JSON.stringify(invalid, null, 2)}\n`);
    throw invalidCohort(read.issues);
  }
  const { cohort, files } = read;
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
  const pairs = counted(summary.pairs.length, "pair", "pairs");
  if (args.out !== undefined) {
    progress.step(`writing ${args.out}`);
    await write(args.out, writeMatchesCsv(summary));
    written.push(`${args.out} (${pairs})`);
  }
  if (args.unmatched !== undefined) {
    await write(args.unmatched, writeUnmatchedCsv(summary));
    written.push(`${args.unmatched} (${counted(summary.unmatched.length, "mentee", "mentees")})`);
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

  // With `--json -` stdout is the JSON alone, and the summary goes to stderr. `--quiet` keeps
  // only what must be said. Warnings always go to stderr.
  const say = args.json === "-" || args.quiet === true ? io.err : io.out;
  if (args.json === "-") io.out(jsonText);
  const lines: string[] = [];
  if (args.quiet !== true) lines.push(summaryText(summary, where));
  if (result.status === "infeasible") lines.push(infeasibleText(summary, result.diagnosis.message));
  if (check?.ok && args.quiet !== true) lines.push("certificate: verified independently");
  if (written.length > 0 && args.quiet !== true) lines.push(`wrote ${written.join(", ")}`);
  if (lines.length > 0) say(`${lines.join("\n")}\n`);
  const warnings = summary.equity.filter((e) => !e.enforced).map((e) => e.message);
  if (args.quiet === true && summary.stop) warnings.push(stopWords(summary.stop));
  // A proven answer whose proof fails is a bug, never a result (a stopped answer has no proof;
  // the stop sentence says what its pairs keep).
  const failed = check !== null && !check.ok && summary.stop === null;
  if (failed) {
    const more = check.problems.length > 5 ? `; … ${check.problems.length - 5} more` : "";
    warnings.push(
      `the answer did not verify independently: ${check.problems.slice(0, 5).join("; ")}${more}`,
    );
  }
  for (const w of warnings) io.err(`warning: ${w}\n`);
  if (failed) return EXIT.error;
  return EXIT_OF[result.status];
}
