/**
 * Rounds with rotation: match a cohort several times, each round reading the history of the
 * rounds before it (`applyHistory`) and adding its own (`roundRecord`). Prints, per round, the
 * pairs made, the repeat pairs among them (always 0: past pairs are ruled out) and how many of
 * the mentees left unmatched in the round before got a mentor, with the unmatched boost and
 * without it.
 *
 *   npx tsx examples/rotation.ts                    # examples/data, 3 rounds, boost 3
 *   npx tsx examples/rotation.ts --rounds 4 --boost 5 --dir my/cohort
 *   npx tsx examples/rotation.ts --history out.csv  # also write the history file
 */
import { pathToFileURL } from "node:url";
import {
  applyHistory,
  match,
  parseCohort,
  roundRecord,
  type CohortInput,
  type HistoryRecord,
} from "../src/index.js";
import { cohortFilesIn, readCohortInputFromFiles, saveHistory } from "../src/node/index.js";

export interface RoundLine {
  readonly round: number;
  readonly pairs: number;
  readonly matched: number;
  readonly mentees: number;
  /** Pairs that were already a pair in an earlier round. */
  readonly repeats: number;
  /** Mentees left unmatched in the round before (still in the cohort). */
  readonly lastUnmatched: number;
  /** How many of them are matched in this round. */
  readonly placed: number;
}

/** The input with `program.scoring.weights.unmatchedBoost` set to `boost`. */
export function withBoost(input: CohortInput, boost: number): CohortInput {
  const scoring = input.program.scoring ?? {};
  return {
    ...input,
    program: {
      ...input.program,
      scoring: { ...scoring, weights: { ...scoring.weights, unmatchedBoost: boost } },
    },
  };
}

/** Runs `rounds` rounds of `input` (the same people each round), each after the ones before. */
export function runRounds(
  input: CohortInput,
  rounds: number,
): { lines: RoundLine[]; records: HistoryRecord[] } {
  const records: HistoryRecord[] = [];
  const lines: RoundLine[] = [];
  for (let round = 1; round <= rounds; round++) {
    const applied = applyHistory(input, { records });
    const cohort = parseCohort(applied.input);
    const result = match(cohort);
    const past = new Set(records.filter((r) => r.mentor).map((r) => `${r.mentee} ${r.mentor}`));
    const matched = new Set(result.pairs.map((p) => p.mentee));
    lines.push({
      round,
      pairs: result.pairs.length,
      matched: matched.size,
      mentees: input.mentees.length,
      repeats: result.pairs.filter((p) => past.has(`${p.mentee} ${p.mentor}`)).length,
      lastUnmatched: applied.unmatchedLastRound.length,
      placed: applied.unmatchedLastRound.filter((m) => matched.has(m)).length,
    });
    if (result.status !== "infeasible") records.push(...roundRecord(cohort, result, round));
  }
  return { lines, records };
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  const dir = option("dir", "examples/data");
  const rounds = Number(option("rounds", "3"));
  const boost = Number(option("boost", "3"));
  const { input, issues } = await readCohortInputFromFiles(cohortFilesIn(dir));
  if (issues.length > 0) throw new Error(`${dir}: ${issues.map((i) => i.message).join("; ")}`);
  const boosted = runRounds(withBoost(input, boost), rounds);
  const plain = runRounds(withBoost(input, 0), rounds);
  console.log(`${dir}: ${input.mentees.length} mentees, ${input.mentors.length} mentors`);
  console.log(
    `round  matched  repeat pairs  last round's unmatched matched now (boost ${boost} / 0)`,
  );
  boosted.lines.forEach((l, k) => {
    const p = plain.lines[k];
    const last =
      l.round === 1 ? "—" : `${l.placed} of ${l.lastUnmatched} / ${p.placed} of ${p.lastUnmatched}`;
    console.log(
      `${String(l.round).padStart(5)}  ${`${l.matched}/${l.mentees}`.padStart(7)}  ${String(l.repeats).padStart(12)}  ${last}`,
    );
  });
  const file = option("history", "");
  if (file !== "") {
    await saveHistory(file, { records: boosted.records });
    console.log(`wrote ${file} (${boosted.records.length} records)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
