/**
 * The `mentorflow` command line (docs/CLI.md): `validate`, `match`, `explain`, `recommend`,
 * `rematch`, `stable`, `impact`, `generate`.
 * Arguments are parsed by commander; each command lives in `commands/` and returns its exit
 * code. `run` never exits the process itself, so tests and the bin share it.
 */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { InputError } from "../schema/errors.js";
import { DEFAULT_GENERATE_OPTIONS } from "../generate/cohort.js";
import { explainCommand } from "./commands/explain.js";
import { generateCommand } from "./commands/generate.js";
import { impactCommand } from "./commands/impact.js";
import { matchCommand } from "./commands/match.js";
import { stableCommand } from "./commands/stable.js";
import { recommendCommand } from "./commands/recommend.js";
import { rematchCommand } from "./commands/rematch.js";
import { serveCommand } from "./commands/serve.js";
import { validateCommand } from "./commands/validate.js";
import { CliFailure, EXIT, issueLines, type CliIO } from "./io.js";

/** The package version, set by the build (`tsup.config.ts`); "dev" when run from source. */
declare const __MENTORFLOW_VERSION__: string | undefined;
const VERSION = typeof __MENTORFLOW_VERSION__ === "string" ? __MENTORFLOW_VERSION__ : "dev";

function number(what: string, check: (x: number) => boolean) {
  return (text: string): number => {
    const x = Number(text);
    if (text.trim() === "" || !Number.isFinite(x) || !check(x))
      throw new InvalidArgumentError(`expected ${what}, got "${text}"`);
    return x;
  };
}
const positive = number("a number of seconds above 0, such as 30 or 0.5", (x) => x > 0);
const whole = number("a whole number ≥ 0", (x) => Number.isInteger(x) && x >= 0);
const count = number("a whole number ≥ 1", (x) => Number.isInteger(x) && x >= 1);
const nonNegative = number("a number ≥ 0, such as 1.5", (x) => x >= 0);
const above0 = number("a number above 0, such as 1.5", (x) => x > 0);

const COHORT_HELP =
  "The cohort is a folder holding mentees.csv, mentors.csv and config.json (docs/CSV.md), or the\nthree files named by --mentees, --mentors and --config (each overrides the folder's file).";

function cohortOptions(cmd: Command): Command {
  return cmd
    .argument("[dir]", "cohort folder with mentees.csv, mentors.csv, config.json")
    .option("--mentees <file>", "the mentees CSV (default <dir>/mentees.csv)")
    .option("--mentors <file>", "the mentors CSV (default <dir>/mentors.csv)")
    .option("--config <file>", "the program config JSON (default <dir>/config.json)");
}

function examples(...lines: string[]): string {
  return `\n${COHORT_HELP}\n\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

export function buildProgram(io: CliIO, setCode: (code: number) => void): Command {
  const program = new Command("mentorflow")
    .description(
      "Match mentees to mentors by strategy-weighted skill-gap fit, exactly, with a proof.\nExit codes: 0 done, 1 unexpected error, 2 invalid input, 3 infeasible, 4 time limit.",
    )
    .version(VERSION)
    .showHelpAfterError("(add --help for usage and examples)")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  cohortOptions(program.command("validate"))
    .description("check a cohort and list every problem at once (file, row, column, fix)")
    .option("--json", "print { ok, files, issues, warnings } as JSON")
    .addHelpText(
      "after",
      examples(
        "mentorflow validate examples/data",
        "mentorflow validate --mentees m.csv --mentors r.csv --config c.json",
      ),
    )
    .action(async (dir: string | undefined, opts) => setCode(await validateCommand(io, dir, opts)));

  cohortOptions(program.command("match"))
    .description("match the cohort, print a summary, write the results files asked for")
    .option("--out <file>", "matches CSV: mentee, mentor, tier, fit, reasons, locked")
    .option("--unmatched <file>", "unmatched CSV: mentee, reason, eligible mentors, rules")
    .option("--report <file>", "self-contained HTML report")
    .option("--json <file>", 'the JSON result (summary, result, check); "-" for stdout')
    .option(
      "--time-limit <seconds>",
      "stop after this long with the best answer and its bound",
      positive,
    )
    .option("--coverage-first", "match as many mentees as possible first (default: the program's)")
    .option("--price", "price each equity rule (a re-solve per rule)")
    .option("-q, --quiet", "no progress, no summary (problems still go to stderr)")
    .option(
      "--history <file>",
      "round history (JSON or CSV) applied first: no repeat pairs, priority for last round's unmatched",
    )
    .option("--record <file>", "append this round's pairs and unmatched to a history file")
    .option("--round <id>", "the id of the round being matched (with --record), e.g. 3 or 2025-H2")
    .addHelpText(
      "after",
      examples(
        "mentorflow match examples/data",
        "mentorflow match my/cohort --history history.csv --record history.csv --round 3",
        "mentorflow match examples/data --out matches.csv --unmatched unmatched.csv --report report.html",
        "mentorflow match my/cohort --json - --quiet > result.json",
        "mentorflow match my/cohort --time-limit 60 --out matches.csv",
      ),
    )
    .action(async (dir: string | undefined, opts) => setCode(await matchCommand(io, dir, opts)));

  cohortOptions(program.command("explain"))
    .description("why this mentor for a mentee, and why not another")
    .requiredOption("--mentee <id>", "the mentee")
    .option("--mentor <id>", "a mentor to compare: why (not) this one")
    .option("--time-limit <seconds>", "time limit of the match it explains", positive)
    .option("--coverage-first", "match as many mentees as possible first")
    .option("-q, --quiet", "no progress")
    .addHelpText(
      "after",
      examples(
        "mentorflow explain examples/data --mentee e001",
        "mentorflow explain examples/data --mentee e001 --mentor m004",
      ),
    )
    .action(async (dir: string | undefined, opts) => setCode(await explainCommand(io, dir, opts)));

  program
    .command("stable")
    .description(
      "a stable matching when mentees and mentors rank each other (deferred acceptance), with its blocking pairs",
    )
    .argument("[ranks]", "ranks JSON: { menteeRanks, mentorRanks, capacities?, menteeCapacities? }")
    .option("--side <side>", "the side the matching is optimal for: mentees or mentors", "mentees")
    .option(
      "--json <file>",
      'the JSON result (result and check, or the comparison); "-" for stdout',
    )
    .option(
      "--compare <dir>",
      "instead of a ranks file: ranks from a cohort folder's fit, the stable matching beside match's",
    )
    .option("--coverage-first", "with --compare: match as many mentees as possible first")
    .addHelpText(
      "after",
      `\nThe ranks file (docs/LIFECYCLE.md): each mentee's mentors and each mentor's mentees, best first;\nan item may be a list of ids tied at that rank. Ties are broken by id. Capacities default to 1.\n\nExamples:\n  $ mentorflow stable examples/data/ranks.json\n  $ mentorflow stable examples/data/ranks.json --side mentors --json -\n  $ mentorflow stable --compare examples/data\n`,
    )
    .action(async (ranks: string | undefined, opts) =>
      setCode(await stableCommand(io, ranks, opts)),
    );

  cohortOptions(program.command("recommend"))
    .description(
      "suggest the best k mentors to each mentee, no mentor shown to far more mentees than they can take",
    )
    .option("-k <n>", "most suggestions per mentee (default 5)", count)
    .option(
      "--exposure <x>",
      "each mentor shown to at most ⌈x × free places⌉ mentees (default: k)",
      above0,
    )
    .option("--out <file>", "recommendations CSV: mentee, rank, mentor, tier, fit, reasons")
    .option("--json <file>", 'the JSON result; "-" for stdout')
    .option("--time-limit <seconds>", "stop after this long with the suggestions so far", positive)
    .option("-q, --quiet", "no progress, no summary (problems still go to stderr)")
    .addHelpText(
      "after",
      examples(
        "mentorflow recommend examples/data",
        "mentorflow recommend examples/data -k 3 --exposure 2 --out recommendations.csv",
        "mentorflow recommend my/cohort --json - --quiet > recommendations.json",
      ),
    )
    .action(async (dir: string | undefined, opts) =>
      setCode(await recommendCommand(io, dir, opts)),
    );

  const ids = (text: string, before: string[] = []): string[] => [
    ...before,
    ...text
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== ""),
  ];
  cohortOptions(program.command("rematch"))
    .description(
      "re-match the cohort as it is now from a previous answer, moving few of the pairs that still work",
    )
    .requiredOption("--previous <file>", "the previous answer: match's or rematch's --json file")
    .option("--leave-mentor <ids>", "mentors who left (comma-separated; repeatable)", ids)
    .option("--leave-mentee <ids>", "mentees who left (comma-separated; repeatable)", ids)
    .option(
      "--dissolved <file>",
      'pairs dissolved since, never proposed again: JSON [{ "mentee", "mentor", "reason" }]',
    )
    .option("--max-moves <n>", "move at most n of the previous pairs that still work", whole)
    .option("--move-penalty <x>", "what moving one of them costs, in units of fit", nonNegative)
    .option("--out <file>", "pairs CSV: mentee, mentor, change (kept, added, ended), reason, fit")
    .option("--json <file>", 'the JSON result; "-" for stdout')
    .option("--time-limit <seconds>", "stop after this long with the best answer so far", positive)
    .option("--compare-cold", "also solve cold once, and say how much faster the warm start was")
    .option("-q, --quiet", "no progress, no summary (problems still go to stderr)")
    .addHelpText(
      "after",
      examples(
        "mentorflow generate --out plain --no-equity && mentorflow match plain --json first.json",
        "mentorflow rematch plain --previous first.json --leave-mentor m003 --max-moves 2",
        "mentorflow rematch my/cohort --previous last.json --dissolved dissolved.json --out changes.csv",
      ),
    )
    .action(async (dir: string | undefined, opts) => setCode(await rematchCommand(io, dir, opts)));

  cohortOptions(program.command("impact"))
    .description(
      "measure a program after its match: scorecard, month-by-month lines, survival curves, calibration",
    )
    .requiredOption(
      "--matches <file>",
      "the match: match's --out CSV (mentee, mentor, …) or its --json file",
    )
    .option(
      "--checkins <file>",
      "check-ins CSV: mentee, mentor, date, held, note, proficiency:<skill>",
    )
    .option("--outcomes <file>", "outcomes CSV: person, kind, date, goal")
    .option("--start <date>", "the program's start, YYYY-MM-DD (with --checkins)")
    .option(
      "--records <file>",
      "the records as one JSON file { start, checkIns, outcomes } instead",
    )
    .option("--horizon <months>", "months of follow-up (default: to the latest record)", count)
    .option("--report <file>", "self-contained HTML impact report with charts")
    .option("--json <file>", 'the impact as JSON; "-" for stdout')
    .option("-q, --quiet", "no progress, no summary (problems still go to stderr)")
    .addHelpText(
      "after",
      examples(
        "mentorflow impact examples/data --matches matches.csv --checkins checkins.csv --outcomes outcomes.csv --start 2025-06-01 --report impact.html",
        "mentorflow impact my/cohort --matches result.json --records records.json --json impact.json",
      ),
    )
    .action(async (dir: string | undefined, opts) => setCode(await impactCommand(io, dir, opts)));

  const d = DEFAULT_GENERATE_OPTIONS;
  program
    .command("generate")
    .description("write a seeded sample cohort (mentees.csv, mentors.csv, config.json)")
    .requiredOption("--out <dir>", "folder to write into (created if needed)")
    .option("--mentees <n>", "mentees", count, d.mentees)
    .option("--mentors <n>", "mentors", count, d.mentors)
    .option("--skills <n>", "skills", count, d.skills)
    .option("--departments <n>", "departments", count, d.departments)
    .option("--seed <n>", "random seed", whole, d.seed)
    .option("--as-of <date>", "the program's as-of date, YYYY-MM-DD", d.asOf)
    .option(
      "--min-fit <x>",
      "add a minFit equity rule with this floor (0: none)",
      nonNegative,
      d.minFit,
    )
    .option("--group-cap <n>", "at most n mentees of one department per mentor", whole, d.groupCap)
    .option(
      "--mean-fit-gap <x>",
      "add a maxMeanFitGap rule on region (0: none)",
      nonNegative,
      d.meanFitGap,
    )
    .option("--no-equity", "a program without equity rules")
    .option("--crlf", "Windows line endings")
    .option(
      "--history <months>",
      "also match the cohort and write matches.csv, checkins.csv, outcomes.csv: months of history",
      count,
    )
    .addHelpText(
      "after",
      `\nExamples:\n  $ mentorflow generate --out my/cohort\n  $ mentorflow generate --out big --mentees 5000 --mentors 1000 --seed 3\n  $ mentorflow generate --out plain --no-equity\n  $ mentorflow generate --out demo --mentees 600 --mentors 150 --history 24\n`,
    )
    .action(async (opts) => setCode(await generateCommand(io, opts)));

  program
    .command("serve")
    .description(
      "an HTTP JSON service: POST /v1/validate, /v1/match, /v1/explain; jobs; /openapi.json (docs/SERVICE.md)",
    )
    .option("--host <address>", "the address to listen on (default 127.0.0.1: this machine only)")
    .option("--port <n>", "the port (default 8080; 0 picks a free one)", whole)
    .option("--body-limit <MB>", "the largest request body (default 64)", above0)
    .option(
      "--sync-max <KB>",
      "bodies up to this are answered in the request; larger matches become jobs (default 1024)",
      nonNegative,
    )
    .option("--threads <n>", "threads for large bodies (default: cores less one)", count)
    .option("--max-queue <n>", "requests waiting per lane before 429 (default 16)", whole)
    .option("--job-time-limit <seconds>", "the longest a job may run (default 600)", positive)
    .option("--max-memory <MB>", "a job's heap limit (default 4096)", above0)
    .option(
      "--grace <seconds>",
      "on SIGINT/SIGTERM, time for running jobs to finish (default 30)",
      nonNegative,
    )
    .option("-q, --quiet", "no request log")
    .addHelpText(
      "after",
      `\nExamples:\n  $ mentorflow serve\n  $ mentorflow serve --port 9000 --job-time-limit 120 --max-queue 4\n  $ curl -s --data-binary @cohort.json -H 'content-type: application/json' localhost:8080/v1/match\n`,
    )
    .action(async (opts) => setCode(await serveCommand(io, { ...opts, version: VERSION })));

  return program;
}

/** Runs the command line `argv` (without `node` and the script) and returns the exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.invalid;
    }
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; a wrong command line is invalid input.
      return e.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    }
    if (e instanceof CliFailure) {
      io.err(`${e.message}\n`);
      return e.code;
    }
    if (e instanceof InputError) {
      io.err(`Invalid input:\n${issueLines(e.issues)}\n`);
      return EXIT.invalid;
    }
    io.err(
      `mentorflow: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return EXIT.error;
  }
}
