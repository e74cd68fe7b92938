/**
 * Re-matching after 1% of the mentors leave, beside a fresh match of the changed cohort, in the
 * same run: `npm run bench:rematch -- [--sizes 5000x1000,20000x4000] [--seed 1] [--reps 3]
 * [--budget 50] [--out file.md]`.
 *
 * The cohort is `generateCohort({ mentees, mentors, seed })` without its equity rules (a
 * re-match refuses the rules that cut across mentors), coverage-first as generated. Its match is
 * the previous answer; then every 100th mentor (by id, from the 8th) leaves
 * (`withoutPeople`). Each rep times, on the changed input:
 *   - fresh: `parseCohort` + `match`, the baseline;
 *   - rematch: `parseCohort` + `rematch` from the previous answer (every pair scored again;
 *     with `compareCold`, whose cold solve is taken out of its time and reported apart: the
 *     first solve started from the previous answer against the same solve from scratch);
 *   - session: `MatchSession.rematch` on a session that matched the cohort before (the new input
 *     parsed, the held scores carried over, the flow started from the previous answer);
 *   - session with `maxMoves` = --budget (another session, same previous answer).
 * Medians of --reps; ratios are fresh / the re-match. The table goes to stdout, and to `--out`
 * when given (bench/results/rematch.md is written by hand around it).
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { parseCohort } from "../src/cohort/parse.js";
import { generateCohort } from "../src/generate/cohort.js";
import { rematch, withoutPeople, type RematchResult } from "../src/lifecycle/rematch.js";
import { matchSession } from "../src/lifecycle/session.js";
import { match } from "../src/match/match.js";
import { arg, fmtMs, median, sizesArg, time } from "./cli.js";

const sizes = sizesArg("5000x1000,20000x4000");
const seed = Number(arg("seed", "1"));
const reps = Number(arg("reps", "3"));
const budget = Number(arg("budget", "50"));
const out = arg("out", "-");

const fmt = fmtMs;
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
const solveMs = (r: RematchResult) => r.stats.solves.reduce((t, s) => t + s.ms, 0);

const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};

say(
  `| size | fresh: parse + match | rematch (no session) | ratio | session rematch | ratio | of which: carry, re-solve | moved of previous pairs | session, maxMoves ${budget} | ratio | status, moved | first solve warm / cold (same scores) |`,
);
say("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | --- | --- |");
for (const [n, m] of sizes) {
  const g = generateCohort({ mentees: n, mentors: m, seed });
  const input = { ...g, program: { ...g.program, equity: [] } };
  const t = {
    fresh: [] as number[],
    plain: [] as number[],
    session: [] as number[],
    carry: [] as number[],
    solve: [] as number[],
    budget: [] as number[],
    warmSolve: [] as number[],
    coldSolve: [] as number[],
  };
  let last: { session: RematchResult; budget: RematchResult; objective: number } | undefined;
  for (let r = 0; r < reps; r++) {
    const a = matchSession(input);
    const previous = a.match();
    if (previous.status !== "optimal") throw new Error(`match: ${previous.status}`);
    const leave = previous.mentors.filter((_, k) => k % 100 === 7).map((x) => x.mentor);
    const next = withoutPeople(input, { mentors: leave });

    const [fresh, freshMs] = time(() => match(parseCohort(next)));
    if (fresh.status !== "optimal") throw new Error(`fresh match: ${fresh.status}`);
    // (Its cold solve, on the same scores, is taken out of its time: `stats.cold`.)
    const [plain, plainAndCold] = time(() =>
      rematch(parseCohort(next), previous, { compareCold: true }),
    );
    const plainMs = plainAndCold - plain.stats.cold!.coldMs;
    const [viaSession, sessionMs] = time(() => a.rematch(next, previous));
    const b = matchSession(input);
    b.match();
    const [budgeted, budgetMs] = time(() => b.rematch(next, previous, { maxMoves: budget }));
    for (const [what, x] of [
      ["rematch", plain],
      ["session rematch", viaSession],
    ] as const) {
      // Without a budget a re-match is the changed cohort's optimum: the same total fit.
      if (
        x.status !== "optimal" ||
        Math.abs(x.objective - fresh.objective) > 1e-6 * fresh.objective
      )
        throw new Error(`${what}: ${x.status} ${x.objective} vs fresh ${fresh.objective}`);
    }
    t.fresh.push(freshMs);
    t.plain.push(plainMs);
    t.session.push(sessionMs);
    t.carry.push(viaSession.stats.carried!.ms);
    t.solve.push(solveMs(viaSession));
    t.budget.push(budgetMs);
    t.warmSolve.push(plain.stats.cold!.warmMs);
    t.coldSolve.push(plain.stats.cold!.coldMs);
    last = { session: viaSession, budget: budgeted, objective: fresh.objective };
  }
  const f = median(t.fresh);
  const s = last!.session.moves;
  const bm = last!.budget.moves;
  say(
    `| ${n.toLocaleString("en-US")} × ${m.toLocaleString("en-US")} | ${fmt(f)} | ${fmt(median(t.plain))} | ${ratio(f, median(t.plain))} | ${fmt(median(t.session))} | ${ratio(f, median(t.session))} | ${fmt(median(t.carry))}, ${fmt(median(t.solve))} (${ratio(f, median(t.solve))}) | ${s.moved} of ${s.existing} | ${fmt(median(t.budget))} | ${ratio(f, median(t.budget))} | ${last!.budget.status}, ${bm.moved} | ${fmt(median(t.warmSolve))} / ${fmt(median(t.coldSolve))} (${ratio(median(t.coldSolve), median(t.warmSolve))}) |`,
  );
}
say("");
say(
  `Medians of ${reps} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}, seed ${seed}; 1% of mentors leave.`,
);
if (out !== "-") writeFileSync(out, `${lines.join("\n")}\n`);
