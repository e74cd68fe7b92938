/**
 * `mentorflow stable <ranks.json>`: a stable matching when mentees and mentors rank each other
 * (deferred acceptance, optimal for `--side`), its summary and its blocking pairs counted by the
 * independent checker. `mentorflow stable --compare <dir>`: ranks derived from the cohort's fit,
 * the stable matching beside `match`'s (docs/LIFECYCLE.md "Stable mode").
 */
import { compareStable, type StableComparison } from "../../lifecycle/stable-compare.js";
import {
  blockingPairs,
  stableMatch,
  type BlockingPair,
  type StabilityReport,
  type StableInput,
  type StableMatchResult,
  type StableSide,
} from "../../lifecycle/stable.js";
import { counted, formatFit, formatShare, shareOf } from "../../report/format.js";
import { InputError, type Issue } from "../../schema/errors.js";
import {
  CliFailure,
  EXIT,
  issueLines,
  readCohort,
  readInputFile,
  writeText,
  type CliIO,
} from "../io.js";

export interface StableArgs {
  readonly side?: string;
  readonly json?: string;
  readonly compare?: string;
  readonly coverageFirst?: boolean;
}

/** The JSON output of `mentorflow stable <ranks.json>`. */
export interface StableJson {
  readonly status: "ok";
  readonly result: StableMatchResult;
  readonly check: StabilityReport;
}

/** Pairs listed in the text summary before "… n more". */
const SHOWN = 20;

function sideOf(side: string | undefined): StableSide {
  if (side === undefined || side === "mentees" || side === "mentors") return side ?? "mentees";
  throw new CliFailure(`--side is mentees or mentors, got "${side}"`, EXIT.invalid);
}

async function readRanks(file: string): Promise<unknown> {
  const text = (await readInputFile(file)).toString("utf8");
  try {
    return JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
  } catch (e) {
    throw new CliFailure(`${file} is not valid JSON: ${(e as Error).message}`, EXIT.invalid);
  }
}

const blockingText = (b: BlockingPair): string =>
  `${b.mentee}–${b.mentor} (${b.mentee} ranks ${b.mentor} ${b.menteeRank}${b.menteeFree ? ", has a free place" : ""}; ${b.mentor} ranks ${b.mentee} ${b.mentorRank}${b.mentorFree ? ", has a free place" : ""})`;

const optimal = (side: StableSide) => (side === "mentees" ? "mentee-optimal" : "mentor-optimal");

export async function stableCommand(
  io: CliIO,
  ranksFile: string | undefined,
  args: StableArgs,
): Promise<number> {
  const side = sideOf(args.side);
  if ((ranksFile === undefined) === (args.compare === undefined))
    throw new CliFailure(
      "Give either a ranks file (mentorflow stable ranks.json) or --compare with a cohort folder (mentorflow stable --compare examples/data)",
      EXIT.invalid,
    );
  if (args.compare !== undefined) return compareCommand(io, args.compare, side, args);
  if (args.coverageFirst)
    throw new CliFailure("--coverage-first applies to --compare only", EXIT.invalid);

  const input = await readRanks(ranksFile!);
  let result: StableMatchResult;
  try {
    result = stableMatch(input as StableInput, { side });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const issues: readonly Issue[] = e.issues;
    const invalid = `${JSON.stringify({ status: "invalid", issues }, null, 2)}\n`;
    if (args.json === "-") io.out(invalid);
    else if (args.json !== undefined) await writeText(args.json, invalid);
    throw new CliFailure(
      `${ranksFile} has ${counted(issues.length, "problem", "problems")}; nothing was matched:\n${issueLines(issues)}`,
      EXIT.invalid,
    );
  }
  const check = blockingPairs(input as StableInput, result);
  const json: StableJson = { status: "ok", result, check };
  if (args.json !== undefined) {
    const text = `${JSON.stringify(json, null, 2)}\n`;
    if (args.json === "-") io.out(text);
    else await writeText(args.json, text);
  }
  const say = args.json === "-" ? io.err : io.out;
  const places = result.mentors.reduce((s, m) => s + m.capacity, 0);
  const taken = result.pairs.length;
  const lines = [
    `mentorflow stable — ${ranksFile}: ${counted(result.mentees, "mentee", "mentees")}, ${counted(result.mentors.length, "mentor", "mentors")}, ${counted(result.acceptablePairs, "mutually acceptable pair", "mutually acceptable pairs")}`,
    `${optimal(side)} stable matching (deferred acceptance; ties broken by id)`,
    `matched ${result.matchedMentees} of ${result.mentees} mentees (${formatShare(shareOf(result.matchedMentees, result.mentees))}) in ${counted(taken, "pair", "pairs")}; ${counted(places - taken, "place", "places")} spare of ${places}`,
  ];
  if (result.pairs.length > 0) {
    lines.push("pairs (mentee → mentor: the rank each gives the other):");
    for (const p of result.pairs.slice(0, SHOWN))
      lines.push(`  ${p.mentee} → ${p.mentor}: ${p.menteeRank} / ${p.mentorRank}`);
    if (result.pairs.length > SHOWN)
      lines.push(`  … ${result.pairs.length - SHOWN} more (--json - for all)`);
  }
  if (result.unmatched.length > 0) {
    const more =
      result.unmatched.length > SHOWN ? ` … ${result.unmatched.length - SHOWN} more` : "";
    lines.push(`unmatched: ${result.unmatched.slice(0, SHOWN).join(", ")}${more}`);
  }
  lines.push(
    `blocking pairs: ${check.blockingPairs.length}${check.ok ? " — stable (checked independently)" : ""}`,
  );
  say(`${lines.join("\n")}\n`);
  // A matching the checker rejects is a bug, never a result.
  if (!check.ok) {
    io.err(
      `warning: the matching did not check: ${[...check.blockingPairs.map(blockingText), ...check.problems.map((p) => p.message)].slice(0, 5).join("; ")}\n`,
    );
    return EXIT.error;
  }
  return EXIT.ok;
}

async function compareCommand(
  io: CliIO,
  dir: string,
  side: StableSide,
  args: StableArgs,
): Promise<number> {
  const { cohort } = await readCohort(io, dir, {});
  const r: StableComparison = compareStable(cohort, {
    side,
    ...(args.coverageFirst ? { coverageFirst: true } : {}),
  });
  if (args.json !== undefined) {
    const text = `${JSON.stringify(r, null, 2)}\n`;
    if (args.json === "-") io.out(text);
    else await writeText(args.json, text);
  }
  const say = args.json === "-" ? io.err : io.out;
  const f = r.fitMax;
  const matched = (x: { matchedMentees: number }) =>
    `${x.matchedMentees} of ${r.mentees} (${formatShare(shareOf(x.matchedMentees, r.mentees))})`;
  const head = [
    "",
    `stable (${optimal(side)})`,
    `fit-maximizing (match: ${f.status}${f.coverageFirst ? ", coverage-first" : ""})`,
  ];
  const rows = [
    head,
    ["blocking pairs", String(r.stable.blockingPairs), String(f.blockingPairs)],
    ["total fit", formatFit(r.stable.totalFit), formatFit(f.totalFit)],
    ["matched mentees", matched(r.stable), matched(f)],
    ["pairs", String(r.stable.pairs), String(f.pairs)],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  const lines = [
    `mentorflow stable --compare ${dir}: ${counted(r.mentees, "mentee", "mentees")}, ${counted(r.mentors, "mentor", "mentors")}; ranks from fit (${counted(r.acceptablePairs, "acceptable pair", "acceptable pairs")}: eligible, fit above 0)`,
    ...rows.map((x) => `  ${x[0].padEnd(w0)}  ${x[1].padEnd(w1)}  ${x[2]}`.trimEnd()),
  ];
  if (f.unacceptablePairs > 0)
    lines.push(
      `  the fit-maximizing matching holds ${counted(f.unacceptablePairs, "pair", "pairs")} that the ranks leave out (fit 0: minimums or locked pairs)`,
    );
  if (f.examples.length > 0) {
    lines.push(`blocking pairs of the fit-maximizing matching, e.g.:`);
    for (const b of f.examples) lines.push(`  ${blockingText(b)}`);
  }
  say(`${lines.join("\n")}\n`);
  return EXIT.ok;
}
