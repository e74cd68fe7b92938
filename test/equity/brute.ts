/**
 * A brute-force oracle for `match` under mean-fit gaps (maxMeanFitGap), which are not linear
 * and so have no MIP in mip.ts: every assignment of a tiny cohort is enumerated (each mentee a
 * set of eligible mentors within its bounds, mentor loads within theirs, locked pairs kept), and
 * the best one that keeps the rules is kept. Written from the input's records and the scorer's
 * fit matrix, sharing no code with src/equity. Rules it knows: maxMeanFitGap (the groups of at
 * least minGroupSize mentees asking for a mentor, with a pair; means over pairs) and
 * maxPerMentorPerGroup. Coverage-first is lexicographic: the most mentees covered (with at least
 * one mentor), then the best fit.
 */
import { parseCohort } from "../../src/cohort/parse.js";
import type { CohortInput } from "../../src/schema/input.js";
import { scoreMatrix } from "../../src/score/matrix.js";

export type BruteResult =
  | { status: "optimal"; objective: number; pairs: number; covered: number; chosen: string[] }
  | { status: "infeasible" };

export function bruteOracle(input: CohortInput, coverageFirst: boolean): BruteResult {
  const cohort = parseCohort(input);
  const { index } = cohort;
  const { n, m, scores, reason } = scoreMatrix(cohort.view);
  const mentee = (i: number) => input.mentees.find((e) => e.id === index.menteeIds[i])!;
  const mentor = (j: number) => input.mentors.find((r) => r.id === index.mentorIds[j])!;
  const k = input.program.minGroupSize ?? 5;
  const rules = input.program.equity ?? [];
  const groupOf = (i: number, attribute: string) =>
    attribute === "department" ? mentee(i).department : mentee(i).sensitive?.[attribute];
  const locked = new Set(
    (input.program.lockedPairs ?? []).map(
      (p) => `${index.menteeById.get(p.mentee)},${index.mentorById.get(p.mentor)}`,
    ),
  );
  // Each mentee's choices: sets of eligible mentors of an allowed size, with its locked ones.
  const choices: number[][][] = [];
  for (let i = 0; i < n; i++) {
    const eligible = [...Array(m).keys()].filter((j) => reason[i * m + j] === 0);
    const lo = mentee(i).minMentors ?? 0;
    const hi = mentee(i).maxMentors ?? 1;
    const sets: number[][] = [];
    for (let mask = 0; mask < 1 << eligible.length; mask++) {
      const set = eligible.filter((_, b) => mask & (1 << b));
      const keepsLocks = [...Array(m).keys()].every(
        (j) => !locked.has(`${i},${j}`) || set.includes(j),
      );
      if (set.length >= lo && set.length <= hi && keepsLocks) sets.push(set);
    }
    choices.push(sets);
  }
  let best: { pairs: number; covered: number; objective: number; chosen: string[] } | undefined;
  const load = new Int32Array(m);
  const pick: number[][] = [];
  const keepsRules = () => {
    const pairs = pick.flatMap((set, i) => set.map((j) => [i, j] as const));
    return rules.every((rule) => {
      if (rule.kind === "maxPerMentorPerGroup") {
        const cells = new Map<string, number>();
        for (const [i, j] of pairs) {
          const g = groupOf(i, rule.attribute);
          if (g === undefined) continue;
          const key = `${j}|${g}`;
          cells.set(key, (cells.get(key) ?? 0) + 1);
        }
        return [...cells.values()].every((c) => c <= rule.max);
      }
      if (rule.kind === "maxMeanFitGap") {
        const asking = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const g = groupOf(i, rule.attribute);
          if (g !== undefined && (mentee(i).maxMentors ?? 1) > 0)
            asking.set(g, (asking.get(g) ?? 0) + 1);
        }
        const fits = new Map<string, number[]>();
        for (const [i, j] of pairs) {
          const g = groupOf(i, rule.attribute);
          if (g === undefined || (asking.get(g) ?? 0) < k) continue;
          fits.set(g, [...(fits.get(g) ?? []), scores[i * m + j]]);
        }
        const means = [...fits.values()].map((f) => f.reduce((a, b) => a + b, 0) / f.length);
        if (means.length < 2) return true;
        const hi = Math.max(...means);
        const lo = Math.min(...means);
        return hi - lo <= rule.maxGap + 1e-9 * Math.max(Math.abs(hi), Math.abs(lo));
      }
      throw new Error(`bruteOracle: rule ${rule.kind} is not known here`);
    });
  };
  const visit = (i: number) => {
    if (i === n) {
      for (let j = 0; j < m; j++) if (load[j] < (mentor(j).minLoad ?? 0)) return;
      if (!keepsRules()) return;
      let pairs = 0;
      let covered = 0;
      let objective = 0;
      pick.forEach((set, a) => {
        pairs += set.length;
        if (set.length > 0) covered++;
        for (const j of set) objective += scores[a * m + j];
      });
      const better =
        !best ||
        (coverageFirst && covered !== best.covered
          ? covered > best.covered
          : objective > best.objective + 1e-12 * Math.max(1, Math.abs(objective)));
      if (better)
        best = {
          pairs,
          covered,
          objective,
          chosen: pick.flatMap((set, a) =>
            set.map((j) => `${index.menteeIds[a]}>${index.mentorIds[j]}`),
          ),
        };
      return;
    }
    for (const set of choices[i]) {
      if (set.some((j) => load[j] >= mentor(j).capacity)) continue;
      for (const j of set) load[j]++;
      pick.push(set);
      visit(i + 1);
      pick.pop();
      for (const j of set) load[j]--;
    }
  };
  visit(0);
  return best ? { status: "optimal", ...best } : { status: "infeasible" };
}
