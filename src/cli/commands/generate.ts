/**
 * `mentorflow generate --out DIR`: a seeded, realistic sample cohort as mentees.csv,
 * mentors.csv and config.json, read back and validated before it reports success. With
 * `--history <months>`, also the cohort's match (matches.csv) and a plausible program history
 * after it (checkins.csv, outcomes.csv), the input of `mentorflow impact`.
 */
import { join } from "node:path";
import { generateCohort, type GenerateCohortOptions } from "../../generate/cohort.js";
import { generateProgramRecords } from "../../generate/history.js";
import { match } from "../../match/match.js";
import { summarizeMatch } from "../../report/summary.js";
import { loadCohort, writeCohortFiles } from "../../node/files.js";
import { writeProgramRecordsCsv } from "../../node/impact.js";
import { writeMatchesCsv } from "../../node/results.js";
import { counted } from "../../report/format.js";
import { EXIT, printWarnings, writeText, type CliIO } from "../io.js";

export interface GenerateArgs extends GenerateCohortOptions {
  readonly out: string;
  readonly crlf?: boolean;
  /** Months of program history to generate after the cohort's match. */
  readonly history?: number;
}

export async function generateCommand(io: CliIO, args: GenerateArgs): Promise<number> {
  const { out, crlf, history, ...options } = args;
  const newline = crlf ? "\r\n" : "\n";
  const input = generateCohort(options);
  const files = await writeCohortFiles(input, out, { newline });
  const { cohort, warnings } = await loadCohort(files);
  printWarnings(io, warnings);
  const { menteeIds, mentorIds, skillIds } = cohort.index;
  const lines = [
    `wrote ${files.mentees}, ${files.mentors}, ${files.config}: ${counted(menteeIds.length, "mentee", "mentees")}, ${counted(mentorIds.length, "mentor", "mentors")}, ${counted(skillIds.length, "skill", "skills")}`,
  ];
  if (history !== undefined) {
    const result = match(cohort);
    const records = generateProgramRecords(cohort, result, {
      months: history,
      seed: options.seed,
    });
    const csv = writeProgramRecordsCsv(records, { newline });
    const at = (name: string) => join(out, name);
    await writeText(at("matches.csv"), writeMatchesCsv(summarizeMatch(cohort, result)));
    await writeText(at("checkins.csv"), csv.checkIns);
    await writeText(at("outcomes.csv"), csv.outcomes);
    lines.push(
      `wrote ${at("matches.csv")} (${counted(result.pairs.length, "pair", "pairs")}), ${at("checkins.csv")} (${counted(records.checkIns.length, "check-in", "check-ins")}), ${at("outcomes.csv")} (${counted(records.outcomes.length, "outcome", "outcomes")}): ${counted(history, "month", "months")} from ${records.start} (pass --start ${records.start} to impact)`,
    );
  }
  io.out(`${lines.join("\n")}\n`);
  return EXIT.ok;
}
