/**
 * `mentorflow generate --out DIR`: a seeded, realistic sample cohort as mentees.csv,
 * mentors.csv and config.json, read back and validated before it reports success.
 */
import { generateCohort, type GenerateCohortOptions } from "../../generate/cohort.js";
import { loadCohort, writeCohortFiles } from "../../node/files.js";
import { counted } from "../../report/format.js";
import { EXIT, printWarnings, type CliIO } from "../io.js";

export interface GenerateArgs extends GenerateCohortOptions {
  readonly out: string;
  readonly crlf?: boolean;
}

export async function generateCommand(io: CliIO, args: GenerateArgs): Promise<number> {
  const { out, crlf, ...options } = args;
  const input = generateCohort(options);
  const files = await writeCohortFiles(input, out, { newline: crlf ? "\r\n" : "\n" });
  const { cohort, warnings } = await loadCohort(files);
  printWarnings(io, warnings);
  const { menteeIds, mentorIds, skillIds } = cohort.index;
  io.out(
    `wrote ${files.mentees}, ${files.mentors}, ${files.config}: ${counted(menteeIds.length, "mentee", "mentees")}, ${counted(mentorIds.length, "mentor", "mentors")}, ${counted(skillIds.length, "skill", "skills")}\n`,
  );
  return EXIT.ok;
}
