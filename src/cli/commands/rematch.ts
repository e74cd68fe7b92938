/**
 * `mentorflow rematch <dir> --previous <result.json>`: re-match the cohort as it is now from the
 * previous answer (`rematch`, docs/LIFECYCLE.md): people who left (by the folder's files, or by
 * `--leave-mentor` / `--leave-mentee`), dissolved pairs (`--dissolved`), at most `--max-moves`
 * existing pairs moved or `--move-penalty` a move. Prints what changed and why, and writes the
 * pairs CSV (kept, added, ended) and the JSON result asked for.
 */
import {
  rematch,
  withoutPeople,
  type DissolvedPair,
  type PairEndReason,
  type PairStartReason,
  type PreviousMatch,
  type RematchResult,
} from "../../lifecycle/rematch.js";
import { writeRematchCsv } from "../../node/results.js";
import { counted, formatCount, formatFit } from "../../report/format.js";
import { InputError } from "../../schema/errors.js";
import {
  CliFailure,
  EXIT,
  invalidCohort,
  issueLines,
  printWarnings,
  readInputFile,
  tryReadCohort,
  emitResult,
  writeText,
  type CliIO,
  type CohortArgs,
} from "../io.js";
import { createProgress } from "../progress.js";

export interface RematchArgs extends CohortArgs {
  readonly previous: string;
  readonly leaveMentor?: readonly string[];
  readonly leaveMentee?: readonly string[];
  readonly dissolved?: string;
  readonly maxMoves?: number;
  readonly movePenalty?: number;
  readonly out?: string;
  readonly json?: string;
  readonly timeLimit?: number;
  readonly compareCold?: boolean;
  readonly quiet?: boolean;
}

/** Why a previous pair ended, in a few words. */
export const ENDED_WORDS: Readonly<Record<PairEndReason, string>> = {
  mentor_left: "mentor left",
  mentee_left: "mentee left",
  dissolved: "dissolved",
  ineligible: "now ruled out",
  moved: "moved",
};

/** Why a pair is new, in a few words. */
export const ADDED_WORDS: Readonly<Record<PairStartReason, string>> = {
  replacement: "replacing an ended pair",
  was_unmatched: "was unmatched",
  new_mentee: "new mentee",
  additional: "a second mentor",
};

/** Reads a JSON file given on the command line; unreadable or not JSON is invalid input. */
async function readJson(path: string, what: string): Promise<unknown> {
  const text = (await readInputFile(path, what)).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliFailure(`${what} ${path} is not JSON: ${(e as Error).message}`, EXIT.invalid);
  }
}

/** The previous answer in a JSON file: `match --json`'s file holds it as `result`; a
 * `rematch --json` file, or a library result written out, is the answer itself. */
function previousOf(json: unknown): PreviousMatch {
  const wrapped = (json as { result?: { pairs?: unknown } } | null)?.result;
  return (Array.isArray(wrapped?.pairs) ? wrapped : json) as PreviousMatch;
}

/** Counts by key, most first (ties by key), as "words n, …". */
function tally<K extends string>(keys: readonly K[], words: Readonly<Record<K, string>>): string {
  const by = new Map<K, number>();
  for (const k of keys) by.set(k, (by.get(k) ?? 0) + 1);
  return [...by]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${words[k]} ${formatCount(n)}`)
    .join(", ");
}

/** The summary printed after a run. */
export function rematchText(r: RematchResult, where: string, previous: string): string {
  const mentees = new Set([...r.pairs.map((p) => p.mentee), ...r.unmatched.map((u) => u.mentee)]);
  const status =
    r.status === "optimal"
      ? `status: optimal — total fit ${formatFit(r.objective)}${r.moves.cost > 0 ? `, less ${formatFit(r.moves.cost)} for the moves` : ""}, proven the best possible`
      : r.status === "feasible"
        ? `status: feasible — total fit ${formatFit(r.objective)}, keeps the move budget; the best possible is at most ${formatFit(r.bound ?? Infinity)} (gap ${formatFit(r.gap ?? 0)})`
        : r.status === "infeasible"
          ? `status: infeasible — ${r.diagnosis?.message ?? "no answer keeps every rule"}`
          : `status: stopped (${r.reason === "aborted" ? "aborted" : "time limit"}) — total fit ${formatFit(r.objective)} so far`;
  const m = r.moves;
  const rule =
    m.budget !== null
      ? `, at most ${formatCount(m.budget)} allowed`
      : m.penalty > 0
        ? `, ${formatFit(m.penalty)} a move`
        : "";
  const solveMs = r.stats.solves.reduce((t, s) => t + s.ms, 0);
  const lines = [
    `mentorflow rematch — ${where}: ${counted(mentees.size, "mentee", "mentees")}, ${counted(r.mentors.length, "mentor", "mentors")}; previous answer ${previous}`,
    status,
    `${counted(r.pairs.length, "pair", "pairs")}; of ${counted(m.existing, "previous pair still possible", "previous pairs still possible")}, ${formatCount(m.kept)} kept and ${formatCount(m.moved)} moved${rule}`,
    `ended: ${
      r.ended.length === 0
        ? "none"
        : tally(
            r.ended.map((e) => e.reason),
            ENDED_WORDS,
          )
    }`,
    `added: ${
      r.added.length === 0
        ? "none"
        : tally(
            r.added.map((a) => a.reason),
            ADDED_WORDS,
          )
    }`,
    `solved in ${(r.stats.timeMs / 1000).toFixed(2)} s (${counted(r.stats.solves.length, "solve", "solves")}, ${(solveMs / 1000).toFixed(2)} s; ${r.stats.warmFlow ? "started from the previous answer" : "the previous answer has no duals: started from its prices at most"})`,
  ];
  const cold = r.stats.cold;
  if (cold)
    lines.push(
      `the first solve from the previous answer ${(cold.warmMs / 1000).toFixed(2)} s, cold ${(cold.coldMs / 1000).toFixed(2)} s: ${cold.speedup.toFixed(1)}× as fast`,
    );
  return lines.join("\n");
}

export async function rematchCommand(
  io: CliIO,
  dir: string | undefined,
  args: RematchArgs,
): Promise<number> {
  const progress = createProgress(io, args.quiet === true);
  progress.step("reading the previous answer");
  const previous = previousOf(await readJson(args.previous, "the previous answer"));
  const dissolved =
    args.dissolved === undefined
      ? undefined
      : ((await readJson(args.dissolved, "the dissolved pairs")) as DissolvedPair[]);
  progress.step("reading the cohort");
  const leave = { mentors: args.leaveMentor ?? [], mentees: args.leaveMentee ?? [] };
  const leaving = leave.mentors.length + leave.mentees.length > 0;
  const read = await tryReadCohort(
    dir,
    args,
    leaving ? (input) => withoutPeople(input, leave) : undefined,
  );
  printWarnings(io, read.warnings);
  if (!read.ok) throw invalidCohort(read.issues);
  const { cohort, files } = read;
  const where = dir ?? files.mentees;

  progress.step("re-matching");
  let result: RematchResult;
  try {
    result = rematch(cohort, previous, {
      ...(args.maxMoves !== undefined ? { maxMoves: args.maxMoves } : {}),
      ...(args.movePenalty !== undefined ? { movePenalty: args.movePenalty } : {}),
      ...(dissolved !== undefined ? { dissolved } : {}),
      ...(args.timeLimit !== undefined ? { timeLimitMs: args.timeLimit * 1000 } : {}),
      ...(args.compareCold === true ? { compareCold: true } : {}),
      onProgress: (p) => progress.solve(p),
    });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new CliFailure(
      `The re-match cannot start (${counted(e.issues.length, "problem", "problems")}):\n${issueLines(e.issues)}`,
      EXIT.invalid,
    );
  }

  const written: string[] = [];
  if (args.out !== undefined) {
    progress.step(`writing ${args.out}`);
    await writeText(args.out, writeRematchCsv(result));
    written.push(
      `${args.out} (${counted(result.pairs.length + result.ended.length, "row", "rows")})`,
    );
  }
  progress.done();
  await emitResult(io, args, result, written, () => rematchText(result, where, args.previous));
  if (result.status === "infeasible") {
    if (args.quiet === true) io.err(`${result.diagnosis?.message ?? "infeasible"}\n`);
    return EXIT.infeasible;
  }
  if (result.status === "time_limit") {
    if (args.quiet === true) io.err("warning: stopped before the re-match was proven best\n");
    return EXIT.timeLimit;
  }
  return EXIT.ok;
}
