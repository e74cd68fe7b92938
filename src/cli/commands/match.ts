/**
 * `mentorflow match <dir>`: match the cohort exactly, check the proof, print a short summary and
 * write the files asked for (matches CSV, unmatched CSV, HTML report, JSON result).
 */
import { resolve } from "node:path";
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
  failInvalid,
  issueLines,
  printWarnings,
  tryReadCohort,
  writeText,
  type CliIO,
  type CohortArgs,
} from "../io.js";
import { createProgress } from "../progress.js";
import { applyHistory, roundRecord, type AppliedHistory } from "../../lifecycle/rotation.js";
import { appendHistory, historyIssueAt, readHistoryFile } from "../../node/history.js";
import type { HistoryFileRead } from "../../node/history.js";
import { InputError, type Issue } from "../../schema/errors.js";
import { showCell } from "../../schema/show.js";
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
  /** A round history file (JSON or CSV) applied to the cohort before matching. */
  readonly history?: string;
  /** A history file this round's records are appended to (created when missing). */
  readonly record?: string;
  /** The id of the round being matched (with `record`). */
  readonly round?: string;
}

/** What `--history` did, in the JSON result. */
export interface JsonHistory {
  readonly file: string;
  /** The round the match follows (null for an empty history). */
  readonly round: string | null;
  readonly pastPairs: number;
  readonly unmatchedLastRound: readonly string[];
  readonly currentPairs: AppliedHistory["currentPairs"];
  readonly warnings: readonly Issue[];
}

/** The JSON result file: the summary (pairs with tier and fit parts, groups, demand …), the raw
 * `match` result with its certificate, and the independent check. Exact numbers throughout. */
export interface JsonResult {
  readonly status: MatchResult["status"];
  readonly summary: MatchSummary;
  readonly result: MatchResult;
  readonly check: VerifyResult | null;
  /** With `--history`: what the history changed. */
  readonly history?: JsonHistory;
  /** With `--record`: the file and the round's records appended to it. */
  readonly recorded?: { readonly file: string; readonly round: string; readonly records: number };
}

const EXIT_OF: Record<MatchResult["status"], number> = {
  optimal: EXIT.ok,
  feasible: EXIT.ok,
  infeasible: EXIT.infeasible,
  time_limit: EXIT.timeLimit,
};

export async function matchCommand(
  io: CliIO,
  dir: string | undefined,
  args: MatchArgs,
): Promise<number> {
  if (args.record !== undefined && args.round === undefined)
    throw new CliFailure(
      "--record needs --round <id>: the id of the round being matched (e.g. 3 or 2025-H2)",
      EXIT.invalid,
    );
  if (args.round !== undefined && args.record === undefined)
    throw new CliFailure(
      "--round names the round that --record writes; add --record <file>",
      EXIT.invalid,
    );
  const progress = createProgress(io, args.quiet === true);
  let history: HistoryFileRead | undefined;
  if (args.history !== undefined) {
    progress.step("reading the history");
    // The file this run records into may not exist yet (the first round).
    const same = args.record !== undefined && resolve(args.record) === resolve(args.history);
    history = await historyOrFail(args.history, same, "nothing was matched");
    printWarnings(io, history.warnings);
  }
  if (args.record !== undefined) {
    // Before matching: a record file that cannot take this round stops the run now.
    const held = await historyOrFail(args.record, true, "nothing was matched");
    const round = args.round!.trim();
    if (held.history.rounds.includes(round))
      throw new CliFailure(
        `Round ${showCell(round)} is already in ${args.record}; record each round once (give another --round); nothing was matched`,
        EXIT.invalid,
      );
  }
  progress.step("reading the cohort");
  let applied: AppliedHistory | undefined;
  const read = await tryReadCohort(
    dir,
    args,
    history === undefined
      ? undefined
      : (input) => (applied = applyHistory(input, history.history)).input,
  );
  printWarnings(io, read.warnings);
  if (applied !== undefined && history !== undefined) {
    const origin = history.origin;
    const mapped = applied.warnings.map((w) =>
      origin === null ? w : (historyIssueAt(w, origin) ?? w),
    );
    printWarnings(io, mapped);
  }
  if (!read.ok) return failInvalid(io, args.json, read);
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
    await writeText(args.out, writeMatchesCsv(summary));
    written.push(`${args.out} (${pairs})`);
  }
  if (args.unmatched !== undefined) {
    await writeText(args.unmatched, writeUnmatchedCsv(summary));
    written.push(`${args.unmatched} (${counted(summary.unmatched.length, "mentee", "mentees")})`);
  }
  if (args.report !== undefined) {
    progress.step(`writing ${args.report}`);
    await writeText(args.report, renderMatchReport(summary, { cohort: where }));
    written.push(args.report);
  }
  let recorded: JsonResult["recorded"];
  if (args.record !== undefined && result.status !== "infeasible") {
    const records = roundRecord(cohort, result, args.round!.trim());
    try {
      await appendHistory(args.record, records);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new CliFailure(
        `Could not record the round in ${args.record}:\n${issueLines(e.issues)}`,
        EXIT.invalid,
      );
    }
    recorded = { file: args.record, round: args.round!.trim(), records: records.length };
    written.push(
      `${args.record} (round ${showCell(recorded.round)}: ${counted(records.length, "record", "records")})`,
    );
  }
  const historyJson: JsonHistory | undefined =
    applied === undefined || args.history === undefined
      ? undefined
      : {
          file: args.history,
          round: applied.round,
          pastPairs: applied.pastPairs,
          unmatchedLastRound: applied.unmatchedLastRound,
          currentPairs: applied.currentPairs,
          warnings: applied.warnings,
        };
  const json: JsonResult = {
    status: result.status,
    summary,
    result,
    check,
    ...(historyJson === undefined ? {} : { history: historyJson }),
    ...(recorded === undefined ? {} : { recorded }),
  };
  const jsonText = args.json === undefined ? "" : `${JSON.stringify(json, null, 2)}\n`;
  if (args.json !== undefined && args.json !== "-") {
    await writeText(args.json, jsonText);
    written.push(args.json);
  }
  progress.done();

  // With `--json -` stdout is the JSON alone, and the summary goes to stderr. `--quiet` keeps
  // only what must be said. Warnings always go to stderr.
  const say = args.json === "-" || args.quiet === true ? io.err : io.out;
  if (args.json === "-") io.out(jsonText);
  const lines: string[] = [];
  if (args.quiet !== true) lines.push(summaryText(summary, where));
  if (args.quiet !== true && historyJson !== undefined)
    lines.push(historyText(historyJson, result.pairs));
  if (result.status === "infeasible") lines.push(infeasibleText(summary, result.diagnosis.message));
  if (check?.ok && args.quiet !== true) lines.push("certificate: verified independently");
  if (written.length > 0 && args.quiet !== true) lines.push(`wrote ${written.join(", ")}`);
  if (lines.length > 0) say(`${lines.join("\n")}\n`);
  const warnings = summary.equity.filter((e) => !e.enforced).map((e) => e.message);
  if (historyJson !== undefined) {
    const { rules, scoring } = cohort.program;
    if (rules.allowRepeatPairs && historyJson.pastPairs > 0)
      warnings.push(
        "program.rules.allowRepeatPairs is true: the history's past pairs were allowed to repeat",
      );
    if (scoring.weights.unmatchedBoost === 0 && historyJson.unmatchedLastRound.length > 0)
      warnings.push(
        "program.scoring.weights.unmatchedBoost is 0: mentees left unmatched last round got no priority; set it in the config (docs/SCORING.md)",
      );
  }
  if (args.record !== undefined && result.status === "infeasible")
    warnings.push(`nothing recorded in ${args.record}: an infeasible match has no pairs`);
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

/** A history file, or a `CliFailure` (exit 2) listing every problem with it. */
async function historyOrFail(
  file: string,
  missingOk: boolean,
  what: string,
): Promise<HistoryFileRead> {
  try {
    return await readHistoryFile(file, missingOk);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const warned =
      e.warnings.length === 0
        ? ""
        : `\n${counted(e.warnings.length, "warning", "warnings")}:\n${issueLines(e.warnings)}`;
    throw new CliFailure(
      `The history ${file} has ${counted(e.issues.length, "problem", "problems")}; ${what}:\n${issueLines(e.issues)}${warned}`,
      EXIT.invalid,
    );
  }
}

/** One line on what the history did: past pairs ruled out, last round's unmatched placed now. */
function historyText(h: JsonHistory, pairs: MatchResult["pairs"]): string {
  if (h.round === null) return `history: ${h.file} holds no rounds yet`;
  const now = new Set(pairs.map((p) => p.mentee));
  const placed = h.unmatchedLastRound.filter((m) => now.has(m)).length;
  const left = h.unmatchedLastRound.length;
  return (
    `history: ${h.file} up to round ${showCell(h.round)}: ${counted(h.pastPairs, "past pair", "past pairs")} ruled out as repeats; ` +
    `${left} left unmatched in round ${showCell(h.round)}, ${placed} of them matched now`
  );
}
