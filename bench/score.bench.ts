/**
 * Scoring benchmark: `npm run bench:score` (or `npx tsx bench/score.bench.ts [--quick]`).
 *
 * Cases (seeded, built straight from typed arrays; parseCohort is not on the clock):
 *   dense   20,000 mentees × 4,000 mentors × 20 skills → scoreMatrix (Float64Array n·m)
 *   stream 100,000 × 10,000 × 20 → topCandidates, K = 10 (never holds n·m)
 * Each beside its floor: a bare typed-array loop doing the same gap arithmetic over the same
 * per-mentee active-skill lists, with no eligibility and no optional terms (writing the same
 * output for dense; keeping a running row max for stream). Every case runs in its own child
 * process so its peak RSS (`process.resourceUsage().maxRSS`) is its own. Results go to
 * bench/results/score.md. Bench style after mourner's flatbush/kdbush bench.js: seeded data,
 * a warm-up, a sink so the work cannot be optimized away.
 */
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import type { CsrLists, ScoringView, TierRule } from "../src/cohort/types.js";
import type { ScoringWeights } from "../src/schema/input.js";
import { scoreMatrix } from "../src/score/matrix.js";
import { topCandidates } from "../src/score/topk.js";
import { createRandom } from "../src/generate/random.js";

function csrFrom(rows: number, gen: (r: number) => number[]): CsrLists {
  const offsets = new Int32Array(rows + 1);
  const all: number[][] = [];
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const list = [...new Set(gen(r))].sort((a, b) => a - b);
    all.push(list);
    total += list.length;
    offsets[r + 1] = total;
  }
  const items = new Int32Array(total);
  for (let r = 0; r < rows; r++) items.set(all[r], offsets[r]);
  return { offsets, items };
}

/** Weights: gap term only, or every optional term on. "-open": one tier with no criteria and
 * no time-zone limit, so most pairs are eligible (the dense code path). */
export type WeightSet = "gap" | "all" | "gap-open";

/** A seeded cohort view: 20 skills (12 with priority), ~6 target skills per mentee, 2 tiers
 * (peer: level gap 0..1; senior: 2..8 and a training), 40 departments, 6 languages, manager
 * chains, past/preferred/excluded mentors, a 9-hour time-zone limit. */
export function makeBenchView(
  n: number,
  m: number,
  S: number,
  seed: number,
  weights: WeightSet,
): ScoringView {
  const rnd = createRandom(seed).next;
  const int = (k: number) => Math.floor(rnd() * k);
  const nDept = 40;
  const priority = new Float64Array(S);
  for (let k = 0; k < S; k++) priority[k] = k % 5 < 3 ? 0.5 + int(6) / 2 : 0;
  const current = new Float64Array(n * S);
  const target = new Float64Array(n * S);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < S; k++) {
      const c = int(9) / 2; // 0..4
      current[i * S + k] = c;
      target[i * S + k] = rnd() < 0.3 ? Math.min(5, c + 1 + int(5) / 2) : c;
    }
  const expertise = new Float64Array(m * S);
  for (let x = 0; x < m * S; x++) expertise[x] = int(11) / 2;
  const offsets = [-8, -5, -3, 0, 1, 2, 5.5, 8, 9];
  const people = (count: number, personBase: number, chainPool: number) => ({
    count,
    person: Int32Array.from({ length: count }, (_, r) => personBase + r),
    department: Int32Array.from({ length: count }, () => int(nDept)),
    unit: new Int32Array(count),
    level: Int32Array.from({ length: count }, () => 1 + int(10)),
    tenureMonths: Float64Array.from({ length: count }, () => int(120)),
    hoursPerMonth: Float64Array.from({ length: count }, () => (rnd() < 0.5 ? NaN : 2 + int(10))),
    utcOffset: Float64Array.from({ length: count }, () => offsets[int(offsets.length)]),
    languages: csrFrom(count, () => [int(6), ...(rnd() < 0.4 ? [int(6)] : [])]),
    managerChain: csrFrom(count, () => [int(chainPool), int(chainPool), int(chainPool)]),
  });
  const nPersons = n + m;
  const w: ScoringWeights =
    weights !== "all"
      ? {
          gap: 1,
          crossDepartment: 0,
          preference: 0,
          aspiration: 0,
          timezone: 0,
          language: 0,
          unmatchedBoost: 0,
        }
      : {
          gap: 1,
          crossDepartment: 0.2,
          preference: 0.5,
          aspiration: 0.3,
          timezone: 0.1,
          language: 0.1,
          unmatchedBoost: 0.2,
        };
  const tiers: TierRule[] = [
    {
      code: 0,
      id: "peer",
      levelGapMin: 0,
      levelGapMax: 1,
      trainingRequired: new Int32Array(0),
      minMentorTenureMonths: 0,
      minHoursPerMonth: 0,
    },
    {
      code: 1,
      id: "senior",
      levelGapMin: 2,
      levelGapMax: 8,
      trainingRequired: Int32Array.of(0),
      minMentorTenureMonths: 12,
      minHoursPerMonth: 2,
    },
  ];
  const open = weights === "gap-open";
  if (open)
    tiers[1] = {
      ...tiers[0],
      code: 1,
      id: "senior",
      levelGapMin: -Infinity,
      levelGapMax: Infinity,
    };
  if (open) tiers[0] = { ...tiers[1], code: 0, id: "peer" };
  return {
    nSkills: S,
    scaleMin: 0,
    scaleMax: 5,
    mentees: {
      ...people(n, 0, nPersons),
      current,
      target,
      tiersWanted: csrFrom(n, () => (!open && rnd() < 0.2 ? [1] : [])),
      aspirations: csrFrom(n, () => [int(12), int(12)]),
      preferredMentors: csrFrom(n, () => [int(m), int(m)]),
      excludedMentors: csrFrom(n, () => (rnd() < 0.05 ? [int(m)] : [])),
      pastMentors: csrFrom(n, () => (rnd() < 0.3 ? [int(m)] : [])),
      highPotential: new Uint8Array(n),
      roundsUnmatched: Int32Array.from({ length: n }, () => (rnd() < 0.1 ? 1 + int(3) : 0)),
      minMentors: new Int32Array(n),
      maxMentors: new Int32Array(n).fill(1),
      consentAnalytics: new Uint8Array(n),
    },
    mentors: {
      ...people(m, n, nPersons),
      expertise,
      tier: Int32Array.from({ length: m }, () => (rnd() < 0.5 ? 1 : 0)),
      capacity: Int32Array.from({ length: m }, () => 1 + int(4)),
      minLoad: new Int32Array(m),
      training: csrFrom(m, () => (open || rnd() < 0.8 ? [0] : [])),
      careerPaths: csrFrom(m, () => [int(12), int(12), int(12)]),
      excludedMentees: csrFrom(m, () => (rnd() < 0.05 ? [int(n)] : [])),
    },
    priorities: { byUnit: priority.slice(), global: priority },
    tiers,
    scoring: { form: "absolute", weights: w },
    rules: {
      allowRepeatPairs: false,
      allowSameReportingLine: false,
      requireSharedLanguage: false,
      ...(open ? {} : { maxUtcOffsetDiffHours: 9 }),
    },
    minFit: 0,
    forbidden: [],
    locked: [],
  };
}

/** The per-mentee active-skill lists the floor loops over (the same ones the scorer builds). */
function activeLists(view: ScoringView) {
  const { mentees: me, nSkills: S } = view;
  const n = me.count;
  const p = view.priorities.global;
  const off = new Int32Array(n + 1);
  const skill: number[] = [];
  const cur: number[] = [];
  const gap: number[] = [];
  const fac: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < S; k++) {
      const g = me.target[i * S + k] - me.current[i * S + k];
      if (p[k] > 0 && g > 0) {
        skill.push(k);
        cur.push(me.current[i * S + k]);
        gap.push(g);
        fac.push(p[k]);
      }
    }
    off[i + 1] = skill.length;
  }
  return {
    off,
    skill: Int32Array.from(skill),
    cur: Float64Array.from(cur),
    gap: Float64Array.from(gap),
    fac: Float64Array.from(fac),
  };
}

/** The floor: Σ_active factor · min(gap, max(0, expertise − current)) for every pair and
 * nothing else, in the fastest layout measured (skill-major expertise, one contiguous pass per
 * active skill; the mentor-major j-then-skill loop was ~1.5× slower on this machine).
 * Dense: rows land in `out`; stream: each row goes to one buffer and its max to the sink. */
function floorLoop(view: ScoringView, out: Float64Array | null): number {
  const { off, skill, cur, gap, fac } = activeLists(view);
  const n = view.mentees.count;
  const m = view.mentors.count;
  const S = view.nSkills;
  const exp = view.mentors.expertise;
  const expT = new Float64Array(S * m);
  for (let j = 0; j < m; j++) for (let k = 0; k < S; k++) expT[k * m + j] = exp[j * S + k];
  const buf = new Float64Array(m);
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const row = out ? out.subarray(i * m, i * m + m) : buf;
    row.fill(0);
    for (let q = off[i]; q < off[i + 1]; q++) {
      const b = skill[q] * m;
      const c = cur[q];
      const g = gap[q];
      const f = fac[q];
      for (let j = 0; j < m; j++) {
        const e = expT[b + j] - c;
        if (e > 0) row[j] += f * (e < g ? e : g);
      }
    }
    if (out) sink += row[i % m];
    else {
      let best = -Infinity;
      for (let j = 0; j < m; j++) if (row[j] > best) best = row[j];
      sink += best;
    }
  }
  return sink;
}

interface CaseResult {
  ms: number;
  /** RSS after building the view, before the timed run (the input data's share). */
  dataRssMB: number;
  maxRssMB: number;
  sink: number;
}

function runOnce(kind: string, what: string, view: ScoringView): number {
  // The dense floor allocates its n·m output inside the timed region, as scoreMatrix does.
  if (what === "floor")
    return floorLoop(
      view,
      kind === "dense" ? new Float64Array(view.mentees.count * view.mentors.count) : null,
    );
  if (kind === "dense") {
    const res = scoreMatrix(view);
    return res.scores[res.scores.length >> 1] + res.reason[res.reason.length >> 2];
  }
  const res = topCandidates(view, 10);
  return res.score[res.score.length >> 1] + res.kth[res.kth.length >> 1];
}

/** One timed run in this (child) process, after a warm-up on a small instance of the same shape
 * so the timed run measures optimized code. */
function runCase(name: string, n: number, m: number, weights: WeightSet): CaseResult {
  const [kind, what] = name.split(":");
  const warm = makeBenchView(Math.min(n, 300), m, 20, 7, weights);
  let sink = runOnce(kind, what, warm);
  const view = makeBenchView(n, m, 20, 42, weights);
  const dataRssMB = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  sink += runOnce(kind, what, view);
  const ms = performance.now() - t0;
  return { ms, dataRssMB, maxRssMB: process.resourceUsage().maxRSS / 1024, sink };
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

async function child(args: string[]): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const cp = fork(fileURLToPath(import.meta.url), ["--case", ...args], {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
    });
    cp.on("message", (msg) => resolve(msg as CaseResult));
    cp.on("exit", (code) => {
      if (code !== 0) reject(new Error(`case ${args.join(" ")} exited with ${code}`));
    });
  });
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === "--case") {
    const [, name, n, m, weights] = argv;
    process.send?.(runCase(name, Number(n), Number(m), weights as WeightSet));
    return;
  }
  const quick = argv.includes("--quick");
  const only = argv.includes("--dense-only")
    ? "dense"
    : argv.includes("--stream-only")
      ? "stream"
      : "";
  const dn = quick ? 2000 : 20_000;
  const dm = quick ? 400 : 4000;
  const sn = quick ? 10_000 : 100_000;
  const sm = quick ? 1000 : 10_000;
  // Rounds interleave the cases (floor, scorer, …, floor, scorer, …) so that load from other
  // processes on the machine spreads over all of them; each run is its own child process.
  const denseRounds = 3;
  const streamRounds = quick ? 3 : 1;
  type Entry = { label: string; name: string; n: number; m: number; weights: WeightSet };
  const dense: Entry[] = (["floor", "gap", "all", "gap-open"] as const).map((w) => ({
    label: "dense",
    name: w === "floor" ? "dense:floor" : "dense:scorer",
    n: dn,
    m: dm,
    weights: w === "floor" ? "gap" : w,
  }));
  const stream: Entry[] = dense.map((e) => ({
    ...e,
    label: "stream",
    name: e.name.replace("dense", "stream"),
    n: sn,
    m: sm,
  }));
  const results = new Map<Entry, CaseResult[]>();
  const load: number[] = [];
  for (const [entries, rounds] of [
    [only === "stream" ? [] : dense, denseRounds],
    [only === "dense" ? [] : stream, streamRounds],
  ] as const) {
    for (let r = 0; r < rounds; r++)
      for (const e of entries) {
        load.push(os.loadavg()[0]);
        const res = await child([e.name, String(e.n), String(e.m), e.weights]);
        console.error(`${e.name} ${e.weights} ${e.n}×${e.m}: ${(res.ms / 1000).toFixed(2)} s`);
        results.set(e, [...(results.get(e) ?? []), res]);
      }
  }
  const rows: string[] = [];
  let floor = NaN;
  for (const [e, rs] of results) {
    const med = median(rs.map((x) => x.ms));
    if (e.name.endsWith("floor")) floor = med;
    const fn = e.label === "dense" ? "scoreMatrix" : "topCandidates K=10";
    const setting =
      e.weights === "gap"
        ? "gap term, tier rules (~16% eligible)"
        : e.weights === "all"
          ? "all terms, tier rules (~16% eligible)"
          : "gap term, open tiers (~99% eligible)";
    const what = e.name.endsWith("floor") ? "floor: bare gap loop, all pairs" : `${fn}: ${setting}`;
    const rss = Math.max(...rs.map((x) => x.maxRssMB));
    const data = Math.max(...rs.map((x) => x.dataRssMB));
    rows.push(
      `| ${e.label} ${e.n}×${e.m} | ${what} | ${(med / 1000).toFixed(2)} | ${rs.length} | ${((e.n * e.m) / med / 1e3).toFixed(1)} | ${rss.toFixed(0)} (${data.toFixed(0)}) | ${(med / floor).toFixed(2)} |`,
    );
  }
  const loadNote = `load average (1 min) seen before the runs: ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`;
  const cpu = os.cpus()[0]?.model ?? "unknown";
  const md = `# Scoring benchmark

\`npm run bench:score\` (\`npx tsx bench/score.bench.ts\`${quick ? " --quick" : ""}). 20 skills (12 with strategic
priority, ~6 target skills per mentee → ~3.6 active skills per mentee on average), 2 tiers, manager chains,
past/preferred/excluded mentors, a 9-hour time-zone limit ("open tiers": one tier, no criteria, no limit).
Every run is its own child process (a warm-up on a 300-row instance, then one timed run); rounds interleave
the cases; time is the median over rounds. Peak RSS is the process's \`maxRSS\`; in brackets the RSS once
the input view was built. The floor is a bare typed-array loop doing the same gap arithmetic for every
pair over the same active-skill lists, in the fastest layout measured, with no eligibility and no
optional terms (dense: into one n·m Float64Array; stream: into one row buffer, keeping the row max).

Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}.

${loadNote}.

| case | what | median s | runs | M pairs/s | peak RSS MB (data) | × floor |
| ---- | ---- | -------: | ---: | --------: | -----------------: | ------: |
${rows.join("\n")}
`;
  writeFileSync(new URL("./results/score.md", import.meta.url), md);
  console.log(md);
}

// Run only as a script (the generator is importable for ad-hoc profiling).
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  await main();
