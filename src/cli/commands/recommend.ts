/**
 * `mentorflow recommend <dir>`: the best k mentors for each mentee to choose from, under an
 * exposure cap per mentor, solved exactly (`recommend`, docs/LIFECYCLE.md); prints a short
 * summary and writes the recommendations CSV and the JSON result asked for.
 */
import { recommend, type RecommendResult, type ShortReason } from "../../lifecycle/recommend.js";
import { writeRecommendationsCsv } from "../../node/results.js";
import { counted, formatCount, formatFit } from "../../report/format.js";
import {
  EXIT,
  failInvalid,
  printWarnings,
  tryReadCohort,
  emitResult,
  writeText,
  type CliIO,
  type CohortArgs,
} from "../io.js";
import { createProgress } from "../progress.js";

export interface RecommendArgs extends CohortArgs {
  readonly k?: number;
  readonly exposure?: number;
  readonly out?: string;
  readonly json?: string;
  readonly timeLimit?: number;
  readonly quiet?: boolean;
}

/** Why a mentee has fewer than k suggestions, in a few words. */
export const SHORT_WORDS: Readonly<Record<ShortReason, string>> = {
  locked: "locked pair (already placed)",
  max_mentors_zero: "asked for no mentor",
  no_eligible_mentor: "no eligible mentor",
  no_fit: "no eligible mentor with a fit above 0",
  few_eligible: "fewer eligible mentors than k",
  caps_exhausted: "eligible mentors at their exposure cap",
  stopped_early: "stopped early",
};

/** The summary printed after a run. */
export function recommendText(r: RecommendResult, where: string): string {
  const n = r.mentees.length;
  const suggestions = r.mentees.reduce((t, e) => t + e.suggestions.length, 0);
  const full = r.mentees.filter((e) => e.suggestions.length >= r.k).length;
  const some = r.mentees.filter((e) => e.suggestions.length > 0).length;
  const status =
    r.status === "optimal"
      ? `status: optimal — total fit ${formatFit(r.objective)}, proven the best possible (bound ${formatFit(r.bound)})`
      : `status: stopped (${r.reason === "aborted" ? "aborted" : "time limit"}) — total fit ${formatFit(r.objective)} so far${Number.isFinite(r.bound) ? `, the best possible is at most ${formatFit(r.bound)}` : ", no bound proven yet"}`;
  const atCap = r.mentors.filter((x) => x.cap > 0 && x.exposure >= x.cap).length;
  const shown = r.mentors.filter((x) => x.exposure > 0).length;
  const lines = [
    `mentorflow recommend — ${where}: ${counted(n, "mentee", "mentees")}, ${counted(r.mentors.length, "mentor", "mentors")}`,
    status,
    `k ${r.k}, each mentor shown to at most ⌈${r.exposure} × their free places⌉ mentees (at least 1)`,
    `${counted(suggestions, "suggestion", "suggestions")}: ${formatCount(full)} mentees get ${r.k}, ${formatCount(some)} get at least one`,
    `mentors suggested: ${formatCount(shown)} of ${formatCount(r.mentors.length)}, ${formatCount(atCap)} at their cap`,
  ];
  if (r.short.length > 0) {
    const by = new Map<ShortReason, number>();
    for (const s of r.short) by.set(s.reason, (by.get(s.reason) ?? 0) + 1);
    const parts = [...by]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([why, count]) => `${SHORT_WORDS[why]} ${formatCount(count)}`);
    lines.push(`fewer than ${r.k}: ${formatCount(r.short.length)} — ${parts.join(", ")}`);
  }
  return lines.join("\n");
}

export async function recommendCommand(
  io: CliIO,
  dir: string | undefined,
  args: RecommendArgs,
): Promise<number> {
  const progress = createProgress(io, args.quiet === true);
  progress.step("reading the cohort");
  const read = await tryReadCohort(dir, args);
  printWarnings(io, read.warnings);
  if (!read.ok) return failInvalid(io, args.json, read);
  const { cohort, files } = read;
  const where = dir ?? files.mentees;

  progress.step("recommending");
  const result = recommend(cohort, {
    k: args.k,
    exposure: args.exposure,
    timeLimitMs: args.timeLimit === undefined ? undefined : args.timeLimit * 1000,
    onProgress: (p) => progress.solve(p),
  });

  const written: string[] = [];
  if (args.out !== undefined) {
    progress.step(`writing ${args.out}`);
    await writeText(args.out, writeRecommendationsCsv(result));
    const count = result.mentees.reduce((t, e) => t + e.suggestions.length, 0);
    written.push(`${args.out} (${counted(count, "suggestion", "suggestions")})`);
  }
  progress.done();
  await emitResult(io, args, result, written, () => recommendText(result, where));
  if (result.status === "time_limit") {
    if (args.quiet === true) io.err("warning: stopped before the suggestions were proven best\n");
    return EXIT.timeLimit;
  }
  return EXIT.ok;
}
