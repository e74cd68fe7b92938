/**
 * A term of a program after its match: a match session (the cohort scored once), then the
 * changes a program sees — two mentors leave and a pair is dissolved (a re-match that moves at
 * most a few of the pairs that still work), new mentees join (a re-match that prices each move),
 * and "why not this mentor?" for a mentee the cohort's match now leaves unmatched (a forced
 * re-solve on the session's scores). Prints what changed and why at each step, and how fast.
 *
 *   npx tsx examples/rematch.ts                       # 600 mentees, 120 mentors, seed 7
 *   npx tsx examples/rematch.ts --mentees 5000 --mentors 1000 --budget 10
 *
 * The cohort is generated without equity rules (`generateCohort({ equity: false })`): a re-match
 * refuses the rules that cut across mentors, never matching without them (docs/LIFECYCLE.md).
 */
import { pathToFileURL } from "node:url";
import {
  generateCohort,
  matchSession,
  withoutPeople,
  type CohortInput,
  type Counterfactual,
  type RematchResult,
} from "../src/index.js";

export interface Term {
  readonly mentees: number;
  readonly mentors: number;
  readonly first: { readonly pairs: number; readonly total: number; readonly ms: number };
  /** Two mentors leave, one pair is dissolved, at most `budget` pairs move. */
  readonly leave: RematchResult;
  readonly leaving: readonly string[];
  readonly dissolved: { readonly mentee: string; readonly mentor: string };
  /** New mentees join; each move costs `penalty`. */
  readonly join: RematchResult;
  readonly joined: readonly string[];
  /** Why not, in the cohort's optimal match after the changes: a mentee left unmatched (every
   * eligible mentor full) and the mentor whose forced pairing costs least. */
  readonly whyNot?: Counterfactual;
}

/** The generated cohort, its first `mentees − joining` mentees in at the start. */
function cohort(mentees: number, mentors: number, seed: number) {
  const all = generateCohort({ mentees, mentors, seed, equity: false });
  const joining = Math.max(1, Math.round(mentees / 30));
  const start: CohortInput = { ...all, mentees: all.mentees.slice(0, mentees - joining) };
  return { all, start, joining: all.mentees.slice(mentees - joining).map((e) => e.id) };
}

/** Runs the term on a generated cohort. */
export function runTerm(mentees = 600, mentors = 120, seed = 7, budget = 3, penalty = 1): Term {
  const { all, start, joining } = cohort(mentees, mentors, seed);
  const session = matchSession(start);
  let t = performance.now();
  const first = session.match();
  const firstMs = performance.now() - t;
  if (first.status !== "optimal") throw new Error(`the first match is ${first.status}`);

  // Two mentors with mentees leave; one pair of another mentor is dissolved.
  const busy = [...new Set(first.pairs.map((p) => p.mentor))];
  const leaving = [busy[0], busy[Math.floor(busy.length / 2)]];
  const other = first.pairs.find((p) => !leaving.includes(p.mentor))!;
  const dissolved = { mentee: other.mentee, mentor: other.mentor };
  const afterLeave = withoutPeople(start, { mentors: leaving });
  t = performance.now();
  const leave = session.rematch(afterLeave, first, {
    maxMoves: budget,
    dissolved: [{ ...dissolved, reason: "asked for another mentor" }],
  });

  // New mentees join: the whole cohort, without the mentors who left.
  const afterJoin = withoutPeople(all, { mentors: leaving });
  const join = session.rematch(afterJoin, leave, { movePenalty: penalty });

  // Why not: against the optimal match of the cohort as it is now (on the session's scores), the
  // first mentee left unmatched with every eligible mentor full, and the mentor whose forced
  // pairing costs least.
  let whyNot: Counterfactual | undefined;
  const now = session.match();
  if (now.status === "optimal")
    for (const u of now.unmatched) {
      if (u.reason !== "mentors_full") continue;
      const best = session.cohort.index.mentorIds
        .map((mentor) => session.whyNot(now, u.mentee, mentor))
        .filter((c) => c.forced !== undefined)
        .sort((a, b) => b.forced!.delta - a.forced!.delta)[0];
      if (best) {
        whyNot = best;
        break;
      }
    }
  return {
    mentees: start.mentees.length,
    mentors: start.mentors.length,
    first: { pairs: first.pairs.length, total: first.objective, ms: firstMs },
    leave,
    leaving,
    dissolved,
    join,
    joined: joining,
    ...(whyNot ? { whyNot } : {}),
  };
}

const count = (xs: readonly { reason: string }[]) => {
  const by = new Map<string, number>();
  for (const x of xs) by.set(x.reason, (by.get(x.reason) ?? 0) + 1);
  return [...by].map(([k, v]) => `${k} ${v}`).join(", ") || "none";
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

function main(): void {
  const budget = Number(option("budget", "3"));
  const term = runTerm(
    Number(option("mentees", "600")),
    Number(option("mentors", "120")),
    Number(option("seed", "7")),
    budget,
  );
  console.log(`cohort: ${term.mentees} mentees, ${term.mentors} mentors`);
  console.log(
    `match: ${term.first.pairs} pairs, total fit ${term.first.total.toFixed(2)} (${secs(term.first.ms)})`,
  );
  for (const [what, r] of [
    [
      `${term.leaving.join(" and ")} leave, ${term.dissolved.mentee}–${term.dissolved.mentor} dissolved, at most ${budget} moves`,
      term.leave,
    ],
    [`${term.joined.length} new mentees join, each move costs 1`, term.join],
  ] as const) {
    console.log(`\n${what}:`);
    console.log(
      `  ${r.status}, total fit ${r.objective.toFixed(2)}${r.moves.cost > 0 ? `, less ${r.moves.cost} for the moves: ${r.value.toFixed(2)}` : ""}${r.bound !== undefined ? ` (the best possible: ${r.bound.toFixed(2)})` : ""}; ${r.moves.kept} of ${r.moves.existing} pairs kept, ${r.moves.moved} moved`,
    );
    console.log(`  ended: ${count(r.ended)}`);
    console.log(`  added: ${count(r.added)}`);
    const carried = r.stats.carried!;
    console.log(
      `  ${secs(r.stats.timeMs + carried.ms)} (scores carried for ${carried.menteesCarried} mentees, ${carried.menteesScored} scored; the flow ${r.stats.warmFlow ? "started from the previous answer" : "started cold"})`,
    );
  }
  const c = term.whyNot;
  if (c)
    console.log(
      `\nwhy not ${c.mentor} for ${c.mentee} (unmatched in the match of the cohort now)? fit ${c.explanation.total.toFixed(2)}; ${c.mentor} has ${c.mentorLoad} of ${c.mentorCapacity} places; pairing them costs ${(-c.forced!.delta).toFixed(2)} of total fit (the certificate says at least ${c.forced!.reducedCost.toFixed(2)}), moving ${c.forced!.moves.length} mentees`,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();
