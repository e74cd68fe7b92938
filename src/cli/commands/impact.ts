/**
 * `mentorflow impact <dir> --matches <file> --checkins <file> --outcomes <file> --start <date>`:
 * a program's impact after a match (docs/IMPACT.md): the records read row by row against the
 * cohort and the match (every problem at its file, row and column), then the scorecard,
 * trajectories, survival curves and calibration — printed as a summary, written as the impact
 * report (`--report`) and as JSON (`--json`). `--records <file>` takes the records as one JSON
 * file instead of the two CSV files.
 */
import { extname } from "node:path";
import { followUpOf, type FollowUp, type ImpactMatch } from "../../impact/followup.js";
import { programImpact, type ProgramImpact } from "../../impact/program.js";
import { safeParseProgramRecords } from "../../impact/records.js";
import { parseConfigJson } from "../../node/files.js";
import { readMatchesCsv, safeParseFollowUpCsv } from "../../node/impact.js";
import { listIssueAt, type CsvOrigin } from "../../node/csv.js";
import { renderImpactReport } from "../../report/impact-html.js";
import { counted, formatShare, NONE } from "../../report/format.js";
import type { Issue } from "../../schema/errors.js";
import {
  CliFailure,
  EXIT,
  emitResult,
  issueLines,
  printWarnings,
  readCohort,
  readInputFile,
  writeText,
  type CliIO,
  type CohortArgs,
} from "../io.js";
import { createProgress } from "../progress.js";

export interface ImpactArgs extends CohortArgs {
  readonly matches: string;
  readonly checkins?: string;
  readonly outcomes?: string;
  readonly start?: string;
  readonly records?: string;
  readonly horizon?: number;
  readonly report?: string;
  readonly json?: string;
  readonly quiet?: boolean;
}

function invalid(what: string, issues: readonly Issue[]): CliFailure {
  return new CliFailure(
    `${what} ${issues.length === 1 ? "has 1 problem" : `have ${counted(issues.length, "problem", "problems")}`}; nothing was measured:\n${issueLines(issues)}`,
    EXIT.invalid,
  );
}

/** The match: `match --json`'s file (its `result`), a result written out, or the matches CSV. */
async function readMatch(
  io: CliIO,
  path: string,
): Promise<{ match: ImpactMatch; origin: CsvOrigin | null }> {
  const bytes = await readInputFile(path, "the match");
  if (extname(path).toLowerCase() === ".json") {
    const json = parseConfigJson(bytes.toString("utf8"), path) as {
      result?: { pairs?: unknown };
      pairs?: unknown;
    } | null;
    const match = (Array.isArray(json?.result?.pairs) ? json.result : json) as ImpactMatch;
    return { match, origin: null };
  }
  const read = readMatchesCsv({ bytes, file: path });
  printWarnings(io, read.warnings);
  if (read.issues.length > 0) throw invalid("The matches file", read.issues);
  return { match: read.match, origin: read.origin };
}

/** The summary printed after a run. */
export function impactText(p: ProgramImpact, where: string): string {
  const s = p.scorecard;
  const c = s.cohort;
  const share = (x: number | null) => (x === null || Number.isNaN(x) ? NONE : formatShare(x));
  const test = p.curves.retention.matched.test;
  return [
    `mentorflow impact — ${where}: ${counted(s.consenting, "consenting mentee", "consenting mentees")}, followed from ${s.start} for ${counted(s.horizonMonths, "month", "months")}`,
    `weighted gap closed ${share(c.gapClosed)} (high-priority skills ${share(c.alignment.high)}, the rest ${share(c.alignment.rest)}); check-ins held ${share(c.engagement)}`,
    `still in the organization at ${s.horizonMonths} months ${share(c.retention.atHorizon)} (high-potential ${share(c.retention.highPotential)}); independent ${share(c.independence.byHorizon)}`,
    test
      ? `retention, matched against unmatched: log-rank χ² ${test.chiSquare.toFixed(2)} on ${test.df} df, p ${test.pValue < 0.001 ? "< 0.001" : `= ${test.pValue.toFixed(3)}`}`
      : "retention, matched against unmatched: not compared (one side is empty, or no one left)",
    p.calibration.warning
      ? `calibration: ${p.calibration.warning}`
      : `calibration: fit against gap closed r = ${p.calibration.correlations[0]?.r.toFixed(2) ?? NONE} over ${counted(p.calibration.n, "mentee", "mentees")}; suggested weights in the report (never applied)`,
  ].join("\n");
}

export async function impactCommand(
  io: CliIO,
  dir: string | undefined,
  args: ImpactArgs,
): Promise<number> {
  const progress = createProgress(io, args.quiet === true || args.json === "-");
  if (args.records === undefined && args.checkins === undefined)
    throw new CliFailure(
      "Give the records: --checkins <file> (and --outcomes <file>) with --start <date>, or --records <file.json>",
      EXIT.invalid,
    );
  if (args.records !== undefined && (args.checkins !== undefined || args.outcomes !== undefined))
    throw new CliFailure("Give --records or --checkins/--outcomes, not both", EXIT.invalid);
  if (args.checkins !== undefined && args.start === undefined)
    throw new CliFailure(
      "--checkins needs --start <YYYY-MM-DD>, the program's start",
      EXIT.invalid,
    );

  progress.step("reading the cohort");
  const { cohort, files } = await readCohort(io, dir, args);
  progress.step("reading the match");
  const { match, origin } = await readMatch(io, args.matches);
  const atCells = (issues: readonly Issue[]) =>
    origin === null ? issues : issues.map((i) => listIssueAt(i, origin, "pairs") ?? i);

  progress.step("reading the records");
  let followUp: FollowUp;
  if (args.records !== undefined) {
    const json = parseConfigJson(
      (await readInputFile(args.records, "the records")).toString("utf8"),
      args.records,
    );
    const parsed = safeParseProgramRecords(json);
    if (!parsed.ok) throw invalid("The records", parsed.issues);
    const r = followUpOf(cohort, match, parsed.records);
    if (!r.ok) throw invalid("The records", atCells(r.issues));
    followUp = r.followUp;
  } else {
    const r = safeParseFollowUpCsv(cohort, match, {
      start: args.start!,
      checkIns: {
        bytes: await readInputFile(args.checkins!, "the check-ins"),
        file: args.checkins,
      },
      ...(args.outcomes !== undefined
        ? {
            outcomes: {
              bytes: await readInputFile(args.outcomes, "the outcomes"),
              file: args.outcomes,
            },
          }
        : {}),
    });
    printWarnings(io, r.warnings);
    if (!r.ok) throw invalid("The records", atCells(r.issues));
    followUp = r.followUp;
  }

  progress.step("measuring");
  const impact = programImpact(
    cohort,
    match,
    followUp,
    args.horizon !== undefined ? { horizonMonths: args.horizon } : {},
  );
  progress.done();
  const where = dir ?? files.mentees;
  const written: string[] = [];
  if (args.report !== undefined) {
    await writeText(args.report, renderImpactReport(impact, { cohort: where }));
    written.push(args.report);
  }
  await emitResult(io, args, impact, written, () => impactText(impact, where));
  return EXIT.ok;
}
