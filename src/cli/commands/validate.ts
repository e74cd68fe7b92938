/**
 * `mentorflow validate <dir>`: read the cohort and report every problem at once (file, row,
 * column, what to fix) and every warning; nothing is matched.
 */
import { counted } from "../../report/format.js";
import {
  tryReadCohort,
  EXIT,
  issueLines,
  printWarnings,
  type CliIO,
  type CohortArgs,
} from "../io.js";

export interface ValidateArgs extends CohortArgs {
  /** Print `{ ok, issues, warnings }` as JSON on stdout instead of text. */
  readonly json?: boolean;
}

export async function validateCommand(
  io: CliIO,
  dir: string | undefined,
  args: ValidateArgs,
): Promise<number> {
  const read = await tryReadCohort(dir, args);
  const { files, warnings } = read;
  const issues = read.ok ? [] : read.issues;
  let counts = "";
  if (read.ok) {
    const { menteeIds, mentorIds, skillIds, tierIds } = read.cohort.index;
    counts = `${counted(menteeIds.length, "mentee", "mentees")}, ${counted(mentorIds.length, "mentor", "mentors")}, ${counted(skillIds.length, "skill", "skills")}, tiers ${tierIds.join(" / ")}`;
  }
  const ok = issues.length === 0;
  if (args.json) {
    io.out(`${JSON.stringify({ ok, files, issues, warnings }, null, 2)}\n`);
    return ok ? EXIT.ok : EXIT.invalid;
  }
  const where = dir ?? files.mentees;
  if (ok) io.out(`${where}: valid — ${counts}\n`);
  else
    io.out(
      `${where}: ${counted(issues.length, "problem", "problems")} to fix:\n${issueLines(issues)}\n`,
    );
  printWarnings(io, warnings);
  return ok ? EXIT.ok : EXIT.invalid;
}
