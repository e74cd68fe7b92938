/**
 * The exact oracle for `match` under equity rules: the whole cohort as a mixed-integer program
 * for HiGHS (the `highs` WebAssembly package, a dev dependency), written from the input's own
 * records and the scorer's fit matrix — no code shared with src/equity.
 *
 *   max Σ fit_ij x_ij   over eligible pairs, x binary
 *   rowMin_i ≤ Σ_j x_ij ≤ rowMax_i;  minLoad_j ≤ Σ_i x_ij ≤ capacity_j;  locked pairs x = 1
 *   proportionalTierAccess: for each group g with ≥ minGroupSize mentees asking for the tier,
 *       P_g ≥ ⌊c_g · P⌋, written P_g − c_g · P ≥ −1 + 1e-6 (the same for whole numbers)
 *   maxPerMentorPerGroup: Σ_{i in g} x_ij ≤ max for every mentor j and group g
 *   reserve: y_i ≤ Σ_{j of the tier} x_ij for each mentee i of the group (y binary), Σ y_i ≥ min
 *   minMatchRate: the same per group of ≥ minGroupSize mentees asking, all mentors, ⌈rate · n_g⌉;
 *       relative to the overall rate (δ): y_i exactly "i is matched", N · m_g − n_g · M ≥ −δ n_g N
 *
 * Coverage-first is lexicographic: the most mentees covered first (c_i binary, c_i ≤ Σ_j x_ij,
 * max Σ c_i), then the best fit among answers covering that many.
 * A soft rule (with a penalty) gets a whole slack per row, in its units, costing the penalty
 * each: `objective` is then the total fit less that cost (what `match` maximizes).
 */
import loadHighs from "highs";
import { parseCohort } from "../../src/cohort/parse.js";
import type { CohortInput } from "../../src/schema/input.js";
import { scoreMatrix } from "../../src/score/matrix.js";

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Highs | undefined;
export async function mipSolver(): Promise<Highs> {
  highs ??= await loadHighs();
  return highs;
}

export type MipResult =
  | { status: "optimal"; objective: number; pairs: number; covered: number }
  | { status: "infeasible" };

/** `coverageFirst`: true, the most mentees covered first (the program's mode); "pairs", the
 * most pairs first (what minFit's max-min floor counts, src/equity/maxmin.ts). */
export function mipOracle(
  h: Highs,
  input: CohortInput,
  coverageFirst: boolean | "pairs",
  /** A re-match's budget (test/lifecycle): at least `atLeast` of these pairs kept, and the
   * `without` pairs (dissolved) not allowed. */
  keep?: {
    readonly pairs: readonly { mentee: string; mentor: string }[];
    readonly atLeast: number;
    readonly without?: readonly { mentee: string; mentor: string }[];
  },
): MipResult {
  const cohort = parseCohort(input);
  const { view, index } = cohort;
  const { n, m, scores, reason } = scoreMatrix(view);
  const menteeOf = (i: number) => input.mentees.find((e) => e.id === index.menteeIds[i])!;
  const mentorOf = (j: number) => input.mentors.find((r) => r.id === index.mentorIds[j])!;
  const x = (i: number, j: number) => `x_${i}_${j}`;
  const vars: [number, number][] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) if (reason[i * m + j] === 0) vars.push([i, j]);
  const rows: string[] = [];
  const sum = (list: [number, number][], coef = (_: [number, number]) => 1) => {
    const terms = list
      .map((v) => [coef(v), x(...v)] as const)
      .filter(([a]) => a !== 0)
      .map(([a, name]) => `${a < 0 ? "-" : "+"} ${fmt(Math.abs(a))} ${name}`);
    return terms.length === 0 ? "0 x_dummy" : terms.join(" ").replace(/^\+ /, "");
  };
  for (let i = 0; i < n; i++) {
    const mine = vars.filter((v) => v[0] === i);
    const e = menteeOf(i);
    rows.push(`r${i}a: ${sum(mine)} >= ${e.minMentors ?? 0}`);
    rows.push(`r${i}b: ${sum(mine)} <= ${e.maxMentors ?? 1}`);
  }
  for (let j = 0; j < m; j++) {
    const mine = vars.filter((v) => v[1] === j);
    const r = mentorOf(j);
    rows.push(`c${j}a: ${sum(mine)} >= ${r.minLoad ?? 0}`);
    rows.push(`c${j}b: ${sum(mine)} <= ${r.capacity}`);
  }
  if (keep) {
    const at = (p: { mentee: string; mentor: string }) =>
      [index.menteeById.get(p.mentee), index.mentorById.get(p.mentor)] as const;
    const listed = (list: readonly { mentee: string; mentor: string }[]) =>
      vars.filter(([i, j]) => list.some((p) => at(p)[0] === i && at(p)[1] === j));
    for (const [t, v] of listed(keep.without ?? []).entries()) rows.push(`d${t}: ${x(...v)} = 0`);
    rows.push(`keep: ${sum(listed(keep.pairs))} >= ${keep.atLeast}`);
  }
  const locked = input.program.lockedPairs ?? [];
  for (const [t, p] of locked.entries()) {
    const i = index.menteeById.get(p.mentee)!;
    const j = index.mentorById.get(p.mentor)!;
    if (reason[i * m + j] !== 0) return { status: "infeasible" };
    rows.push(`l${t}: ${x(i, j)} = 1`);
  }
  const k = input.program.minGroupSize ?? 5;
  const extraBinaries: string[] = [];
  // A soft rule's rows get a whole slack s ≥ 0 (units short or over) costing its penalty each.
  const slacks: { name: string; penalty: number }[] = [];
  const slack = (rule: { penalty?: number }, coef: number): string => {
    if (rule.penalty === undefined) return "";
    const name = `s_${slacks.length}`;
    slacks.push({ name, penalty: rule.penalty });
    return ` ${coef < 0 ? "-" : "+"} ${Math.abs(coef)} ${name}`;
  };
  const groupOf = (i: number, attribute: string) => {
    const e = menteeOf(i);
    if (attribute === "department") return e.department;
    if (attribute === "unit") return e.unit ?? e.department;
    return e.sensitive?.[attribute];
  };
  (input.program.equity ?? []).forEach((rule, r) => {
    if (rule.kind === "proportionalTierAccess") {
      const asks = (i: number) => {
        const e = menteeOf(i);
        return (e.maxMentors ?? 1) > 0 && (!e.tiers?.length || e.tiers.includes(rule.tier));
      };
      const demand = [...Array(n).keys()].filter(asks);
      const tierPairs = vars.filter(([, j]) => mentorOf(j).tier === rule.tier);
      for (const g of new Set(demand.map((i) => groupOf(i, rule.attribute)))) {
        if (g === undefined) continue;
        const dg = demand.filter((i) => groupOf(i, rule.attribute) === g).length;
        if (dg < k) continue;
        const c = ((1 - (rule.tolerance ?? 0)) * dg) / demand.length;
        if (tierPairs.length === 0) continue;
        rows.push(
          `s${r}_${rows.length}: ${sum(tierPairs, ([i]) => (groupOf(i, rule.attribute) === g ? 1 : 0) - c)}${slack(rule, 1)} >= ${fmt(-1 + 1e-6)}`,
        );
      }
    } else if (rule.kind === "minMatchRate" && rule.maxBelowOverall !== undefined) {
      // y_i = 1 exactly when mentee i is matched (y_i ≤ Σ_j x_ij, y_i ≥ x_ij); per group of at
      // least k of the N mentees asking: N · m_g − n_g · M ≥ ⌈−δ · n_g · N − 1e-9 · N⌉ (whole
      // numbers on the left: the rule m_g ≥ ⌈(M/N − δ) · n_g − 1e-9⌉).
      const asking = [...Array(n).keys()].filter((i) => (menteeOf(i).maxMentors ?? 1) > 0);
      const N = asking.length;
      const y = (i: number) => `y_${r}_${i}`;
      for (const i of asking) {
        extraBinaries.push(y(i));
        const all = vars.filter(([a]) => a === i);
        rows.push(`v${r}_${i}: ${y(i)} ${all.map((v) => `- ${x(...v)}`).join(" ")} <= 0`);
        for (const v of all) rows.push(`u${r}_${rows.length}: ${y(i)} - ${x(...v)} >= 0`);
      }
      for (const g of new Set(asking.map((i) => groupOf(i, rule.attribute)))) {
        if (g === undefined) continue;
        const members = new Set(asking.filter((i) => groupOf(i, rule.attribute) === g));
        if (members.size < k) continue;
        const terms = asking.map((i) => {
          const c = (members.has(i) ? N : 0) - members.size;
          return `${c < 0 ? "-" : "+"} ${Math.abs(c)} ${y(i)}`;
        });
        const rhs = Math.ceil(-rule.maxBelowOverall * members.size * N - 1e-9 * N);
        rows.push(
          `w${r}_${rows.length}: ${terms.join(" ").replace(/^\+ /, "")}${slack(rule, N)} >= ${rhs}`,
        );
      }
    } else if (rule.kind === "minMatchRate" && rule.rate !== undefined) {
      // Per group of at least k mentees asking for a mentor: ⌈rate · asking⌉ of them matched.
      const asking = [...Array(n).keys()].filter((i) => (menteeOf(i).maxMentors ?? 1) > 0);
      for (const g of new Set(asking.map((i) => groupOf(i, rule.attribute)))) {
        if (g === undefined) continue;
        const members = asking.filter((i) => groupOf(i, rule.attribute) === g);
        if (members.length < k) continue;
        const ys = members.map((i) => {
          const y = `y_${r}_${i}`;
          extraBinaries.push(y);
          const all = vars.filter(([a]) => a === i);
          rows.push(`v${r}_${i}: ${y} ${all.map((v) => `- ${x(...v)}`).join(" ")} <= 0`);
          return y;
        });
        rows.push(
          `w${r}_${rows.length}: ${ys.join(" + ")}${slack(rule, 1)} >= ${Math.ceil(rule.rate * members.length - 1e-9)}`,
        );
      }
    } else if (rule.kind === "reserve") {
      // y_i ≤ Σ_{j of the tier} x_ij (binary: mentee i matched to the tier), Σ_{i in g} y_i ≥ min.
      const ys: string[] = [];
      for (let i = 0; i < n; i++) {
        if (groupOf(i, rule.attribute) !== rule.group) continue;
        const toTier = vars.filter(
          ([a, j]) => a === i && (rule.tier === undefined || mentorOf(j).tier === rule.tier),
        );
        const y = `y_${r}_${i}`;
        ys.push(y);
        extraBinaries.push(y);
        rows.push(`v${r}_${i}: ${y} ${toTier.map((v) => `- ${x(...v)}`).join(" ")} <= 0`);
      }
      rows.push(
        `w${r}: ${ys.length ? ys.join(" + ") : "0 x_dummy"}${slack(rule, 1)} >= ${rule.min}`,
      );
    } else if (rule.kind === "maxPerMentorPerGroup") {
      for (let j = 0; j < m; j++) {
        const byGroup = new Map<string, [number, number][]>();
        for (const v of vars.filter((w) => w[1] === j)) {
          const g = groupOf(v[0], rule.attribute);
          if (g === undefined) continue;
          byGroup.set(g, [...(byGroup.get(g) ?? []), v]);
        }
        for (const list of byGroup.values())
          if (list.length > rule.max)
            rows.push(`k${r}_${rows.length}: ${sum(list)}${slack(rule, -1)} <= ${rule.max}`);
      }
    }
  });
  const solve = (objective: string, extra: string[]) => {
    const lp = [
      "Maximize",
      ` obj: ${objective}`,
      "Subject To",
      ...[...rows, ...extra].map((r) => ` ${r}`),
      "Bounds",
      " x_dummy = 0",
      "Binary",
      ...vars.map((v) => ` ${x(...v)}`),
      ...extraBinaries.map((y) => ` ${y}`),
      ...(slacks.length > 0 ? ["General", ...slacks.map((v) => ` ${v.name}`)] : []),
      "End",
    ].join("\n");
    // Tight tolerances: the share rows are within 1e-6 of excluding a whole pair (below), and
    // HiGHS's default MIP feasibility tolerance (1e-6) would let such a row slip.
    const res = h.solve(lp, {
      output_flag: false,
      mip_rel_gap: 0,
      time_limit: 120,
      mip_feasibility_tolerance: 1e-9,
      primal_feasibility_tolerance: 1e-9,
    });
    if (res.Status === "Infeasible") return undefined;
    if (res.Status !== "Optimal") throw new Error(`HiGHS: ${res.Status}`);
    const chosen = vars.filter((v) => (res.Columns[x(...v)]?.Primal ?? 0) > 0.5);
    const cost = slacks.reduce(
      (t, v) => t + v.penalty * Math.round(res.Columns[v.name]?.Primal ?? 0),
      0,
    );
    return { objective: res.ObjectiveValue, chosen, cost };
  };
  const fitOf = ([i, j]: [number, number]) => scores[i * m + j];
  const extra: string[] = [];
  if (coverageFirst === "pairs") {
    const most = solve(sum(vars), []);
    if (!most) return { status: "infeasible" };
    extra.push(`cover: ${sum(vars)} >= ${most.chosen.length}`);
  } else if (coverageFirst) {
    const cs: string[] = [];
    for (let i = 0; i < n; i++) {
      const mine = vars.filter((v) => v[0] === i);
      if (mine.length === 0) continue;
      const c = `c_${i}`;
      cs.push(c);
      extraBinaries.push(c);
      rows.push(`cv${i}: ${c} ${mine.map((v) => `- ${x(...v)}`).join(" ")} <= 0`);
    }
    const covers = cs.length ? cs.join(" + ") : "0 x_dummy";
    const most = solve(covers, []);
    if (!most) return { status: "infeasible" };
    extra.push(`cover: ${covers} >= ${new Set(most.chosen.map(([i]) => i)).size}`);
  }
  // The fit less what the soft rules cost (counting, above, they cost nothing: never binding).
  const costs = slacks.map((v) => `- ${fmt(v.penalty)} ${v.name}`).join(" ");
  const best = solve(`${sum(vars, fitOf)} ${costs}`, extra);
  if (!best) return { status: "infeasible" };
  return {
    status: "optimal",
    objective: best.chosen.reduce((t, v) => t + fitOf(v), 0) - best.cost,
    pairs: best.chosen.length,
    covered: new Set(best.chosen.map(([i]) => i)).size,
  };
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(17));

/** Mentees with at least one mentor in a `match` result: what coverage-first counts first. */
export const coveredOf = (r: { readonly pairs: readonly { readonly mentee: string }[] }): number =>
  new Set(r.pairs.map((p) => p.mentee)).size;
