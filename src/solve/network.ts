/**
 * The candidate graph as a flow network, built from the scarcer side.
 *
 * The flow core (flow.ts) routes units by shortest paths from its supply side. When the rows'
 * units outnumber the columns' places (scarce mentors: the normal case in a program), almost
 * every search from a row ends in a long walk over full columns and the rows already in them;
 * from the columns' side, each place finds its row in a short search, and there are fewer of
 * them (measured in docs/ENGINE.md, step 4). So the network is transposed then: columns supply,
 * rows absorb. The solver above sees instance rows and columns only: this module is the one place
 * that maps between the two.
 */
import { toArcs, type AddedPairs, type Candidates, type Duals } from "./candidates.js";
import { groupBy } from "./csr.js";
import { FlowNetwork, potentialDuals, type ArcSet, type RunOutcome } from "./flow.js";
import { sum } from "./numeric.js";
import { NetworkSimplex, type SimplexFlow } from "./simplex.js";
import { sortedIndexOf } from "../shared/sorted.js";

/** Internal row and column bounds (forced pairs taken out). */
export interface SideBounds {
  readonly loR: Int32Array;
  readonly hiR: Int32Array;
  readonly loC: Int32Array;
  readonly hiC: Int32Array;
}

export interface NetworkOptions {
  /** Every score of a real pair replaced by this (the coverage phase: 0). */
  readonly unit?: number;
  /** The "uncovered" column, if any (see `UncoveredColumn`). */
  readonly uncovered?: UncoveredColumn;
}

/**
 * The "uncovered" column Z of an augmented problem (docs/ENGINE.md, "Coverage-first"): one more
 * column, index `cols`, with a pair from each of `rows` (ascending) at `score`, taking at most
 * `max` of them (and at least `min`). The caller gives those rows their augmented bounds (a
 * minimum of one unit, which the Z pair may take). Z's pairs are never candidates to price: they
 * are all arcs of the network from the start, and never part of `pairs()`.
 */
export interface UncoveredColumn {
  readonly rows: Int32Array;
  score: number;
  max: number;
  /** At least this many (default 0): coverage-first's score phase started warm holds Z's load
   * at exactly `max`, as its proof does, so that the start's potentials need not price Z's
   * unused units (solve.ts `scorePhase`). */
  min?: number;
}

/**
 * A simplex round may cost this many times the phase's first shortest-path run, both counted in
 * arcs looked at, before the phase goes back to fresh shortest-path runs. Measured on generated
 * cohorts (plain, 2026-11-30) the rounds cost up to 6.6× that run at 20,000 × 4,000 and an
 * estimated 13× at 100,000 × 10,000 (71× in the settled-node measure used before, which made the
 * simplex give up there and every later round run fresh: flow 26 s → 167 s); with every mentee
 * ranking the mentors alike on a 0.1 grid (5,000 × 200, capacity 5) the first round costs 35×
 * and the later ones 105–300×, where a fresh run (its phases route the tied units in bulk) costs
 * about what the first did.
 */
const SIMPLEX_WORK_RATIO = 32;

/**
 * An earlier answer as a phase's starting flow (`CandidateNetwork.warmFrom`; solve.ts
 * `InternalOptions.warmFlow`): its pairs in instance rows and columns, the rows it left on the
 * uncovered column, and its duals of this phase's problem (rows u, columns v, uncovered z).
 */
export interface WarmPhase {
  readonly row: Int32Array;
  readonly col: Int32Array;
  readonly uncoveredRows: Int32Array;
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly z: number;
}

/** Whether to build the network from the columns' side: fewer places than row units. */
export function columnsSupply(b: SideBounds): boolean {
  return sum(b.hiC) < sum(b.hiR);
}

/** A run's outcome in instance terms: rows and columns, not supply and demand nodes. */
export type NetworkOutcome =
  | { readonly kind: "done" }
  | { readonly kind: "stopped" }
  /** No deficit reachable: the reachable rows and columns, and the row the search began from
   * (or the first reachable row when it began elsewhere). */
  | {
      readonly kind: "stuck";
      readonly row: number;
      readonly reachRows: Int32Array;
      readonly reachCols: Int32Array;
    };

/** `arcs` (CSR by row, columns ascending, all below `cols`) with the arc (i, cols) at
 * `z.score` appended to each row i of `z.rows`. */
function withUncovered(arcs: ArcSet, z: UncoveredColumn, cols: number): ArcSet {
  const n = arcs.start.length - 1;
  const has = new Uint8Array(n);
  for (const i of z.rows) has[i] = 1;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++)
    start[i + 1] = start[i] + (arcs.start[i + 1] - arcs.start[i]) + has[i];
  const col = new Int32Array(start[n]);
  const score = new Float64Array(start[n]);
  for (let i = 0; i < n; i++) {
    const a = arcs.start[i];
    const k = arcs.start[i + 1] - a;
    col.set(arcs.col.subarray(a, a + k), start[i]);
    score.set(arcs.score.subarray(a, a + k), start[i]);
    if (has[i] === 1) {
      col[start[i] + k] = cols;
      score[start[i] + k] = z.score;
    }
  }
  return { start, col, score };
}

export class CandidateNetwork {
  /** The shortest-path core. While the simplex runs the network it keeps the arcs and the answer
   * the simplex was built from (stale): read it before the first run (its warm start) or after a
   * stuck run (the diagnosis), as the solver does, and answers through `pairs` and `duals`. */
  flow: FlowNetwork;
  /** True when columns are the supply side. */
  readonly transposed: boolean;
  private readonly cols: number;
  /** The simplex that re-optimizes after pricing rounds (simplex.ts): built around the first
   * optimal flow of the shortest-path core, it carries the network from then on. */
  private simplex: NetworkSimplex | undefined;
  /** The simplex's flow after its last run. */
  private sol: SimplexFlow | undefined;
  /** The phase's candidate lists (pricing adds to them in place): what the arcs are built from,
   * and the scores the answer is read with. */
  private readonly cands: Candidates;
  /** Work so far: shortest augmenting paths (flow.ts) and simplex pivots (simplex.ts). */
  augmentations = 0;
  pivots = 0;
  /** The last run of the shortest-path core ended with an optimal flow. */
  private lastDone = false;
  /** The simplex gave up in this phase: the shortest-path core runs every round. */
  private simplexOff = false;
  /** Work of the phase's first shortest-path run (see `run`): the simplex's budget a round is
   * SIMPLEX_WORK_RATIO times that. */
  private firstRunWork = 0;

  constructor(
    c: Candidates,
    b: SideBounds,
    readonly options: NetworkOptions,
    transposed: boolean,
  ) {
    this.transposed = transposed;
    this.cols = b.hiC.length;
    this.cands = c;
    const z = options.uncovered;
    const n = c.cols.length;
    // Columns of the network: the instance's, and Z last.
    const m = this.cols + (z ? 1 : 0);
    const withZ = (a: Int32Array, last: number) => {
      if (!z) return a;
      const out = new Int32Array(m);
      out.set(a);
      out[m - 1] = last;
      return out;
    };
    const slack = (hi: Int32Array, lo: Int32Array) => hi.map((h, k) => h - lo[k]);
    const hiC = withZ(b.hiC, z?.max ?? 0);
    const loC = withZ(b.loC, z?.min ?? 0);
    this.flow = transposed
      ? new FlowNetwork(
          {
            n: m,
            m: n,
            rowSupply: hiC,
            rowSlack: slack(hiC, loC),
            colDemand: b.loR,
            colSlack: slack(b.hiR, b.loR),
          },
          this.arcs(),
        )
      : new FlowNetwork(
          {
            n,
            m,
            rowSupply: b.hiR,
            rowSlack: slack(b.hiR, b.loR),
            colDemand: loC,
            colSlack: slack(hiC, loC),
          },
          this.arcs(),
        );
  }

  /** The network's columns: the instance's, and Z when there is one. */
  private get netCols(): number {
    return this.cols + (this.options.uncovered ? 1 : 0);
  }

  /** The candidate arcs in the network's orientation. */
  private arcs(): ArcSet {
    const c = this.cands;
    const z = this.options.uncovered;
    const direct = z
      ? withUncovered(toArcs(c, this.options.unit), z, this.cols)
      : toArcs(c, this.options.unit);
    if (!this.transposed) return direct;
    // Grouped by column, arcs visited in row order: each column's rows ascend.
    const n = c.cols.length;
    const E = direct.col.length;
    const rowOf = new Int32Array(E);
    for (let i = 0; i < n; i++) rowOf.fill(i, direct.start[i], direct.start[i + 1]);
    const { start, order } = groupBy(direct.col, this.netCols);
    const col = new Int32Array(E);
    const score = new Float64Array(E);
    for (let p = 0; p < E; p++) {
      col[p] = rowOf[order[p]];
      score[p] = direct.score[order[p]];
    }
    return { start, col, score };
  }

  run(shouldStop: () => boolean, onAugment?: (count: number) => void): NetworkOutcome {
    const sx = this.simplex;
    if (sx) {
      const before = sx.pivots;
      // At least one look at every node and arc, whatever the first run cost.
      const f = this.flow;
      const budget = Math.max(SIMPLEX_WORK_RATIO * this.firstRunWork, f.n + f.m + sx.pairArcs());
      const end = sx.run(shouldStop, budget);
      this.pivots += sx.pivots - before;
      if (end !== "gave_up") {
        this.sol = sx.solution();
        return { kind: end === "optimal" ? "done" : "stopped" };
      }
      // The simplex gave up (a cycling guard, or a round that cost far more than a fresh
      // shortest-path run would): this round and the rest of the phase go to the shortest-path
      // core, each from no flow.
      this.simplex = undefined;
      this.sol = undefined;
      this.simplexOff = true;
      this.flow = new FlowNetwork(this.flow.setup, this.arcs());
    }
    const f = this.flow;
    const before = { augmentations: f.augmentations, looked: f.arcsLooked };
    const out: RunOutcome = f.run(shouldStop, onAugment);
    this.augmentations += f.augmentations - before.augmentations;
    this.lastDone = out.kind === "done";
    // Its work in the simplex's unit: arcs looked at.
    if (this.firstRunWork === 0) this.firstRunWork = f.arcsLooked - before.looked;
    if (out.kind !== "stuck") return out;
    const [reachRows, reachCols] = this.transposed
      ? [out.reachCols, out.reachRows]
      : [out.reachRows, out.reachCols];
    const row = !this.transposed && out.node < this.flow.n ? out.node : (reachRows[0] ?? 0);
    return { kind: "stuck", row, reachRows, reachCols };
  }

  /**
   * After pricing added pairs to rows (or a stuck run had every pair of the rows it reached
   * added): `added` are the pairs new to the candidate lists. Once the shortest-path core has an optimal flow,
   * the network simplex is built around it and takes the new pairs as arcs at their lower bound:
   * the next run pivots from the tree as it stands (docs/ENGINE.md, step 7), and nothing else is
   * rebuilt (the answer is then read from the simplex's flows, the duals from its potentials).
   * Before that (after a stuck run), or once the simplex gave up in this phase, the network
   * starts again from no flow on the grown arc set.
   */
  update(added: AddedPairs): void {
    if (!this.simplex && !this.simplexOff && this.lastDone)
      this.simplex = new NetworkSimplex(this.flow);
    if (this.simplex) {
      const [tail, col] = this.transposed ? [added.col, added.row] : [added.row, added.col];
      // By tail, then head: the order a network built afresh would list them in (the simplex's
      // block pricing visits arcs in the order they were added; measured, pricing's own order
      // cost 16% more pivots on a generated cohort's dense 5,000 × 1,000 matrix).
      const f = this.flow;
      const { order } = groupBy(tail, f.n, groupBy(col, f.m).order);
      const { unit } = this.options;
      this.simplex.addPairs(
        Array.from(order, (k) => tail[k]),
        Array.from(order, (k) => col[k]),
        Array.from(order, (k) => unit ?? added.score[k]),
      );
    } else this.flow = new FlowNetwork(this.flow.setup, this.arcs());
  }

  /**
   * After the candidates' scores changed (same pairs, same bounds; solve.ts `Resolvable`): the
   * network takes the new scores and the next `run` starts from the flow it holds, feasible as
   * it is. The simplex is built first if the network has none yet, around the shortest-path
   * core's optimal flow (optimal at the old scores, which is what `basisAround` needs), and
   * re-optimizes from that tree, even if an earlier simplex gave up (that was about the old
   * scores); a network whose last run did not end optimal starts from no flow. The uncovered
   * column's score is its `UncoveredColumn`'s as it is now (the caller's object: solve.ts sets it).
   */
  rescore(): void {
    const z = this.options.uncovered;
    this.simplexOff = false; // a give-up was about the old scores
    if (!this.simplex && this.lastDone) this.simplex = new NetworkSimplex(this.flow);
    const c = this.cands;
    const { unit } = this.options;
    if (!this.simplex) {
      this.flow = new FlowNetwork(this.flow.setup, this.arcs());
      return;
    }
    // Each arc's score from its row's candidates: arcs grouped by row, a row's scores spread
    // over a scratch row by column.
    const { tail, col } = this.simplex.pairEnds();
    const [rowOf, colOf] = this.transposed ? [col, tail] : [tail, col];
    const score = new Float64Array(rowOf.length);
    if (unit !== undefined) score.fill(unit);
    else {
      const { start, order } = groupBy(rowOf, c.cols.length);
      const at = new Float64Array(this.netCols);
      if (z) at[this.cols] = z.score;
      for (let i = 0; i < c.cols.length; i++) {
        const own = c.cols[i];
        for (let t = 0; t < own.length; t++) at[own[t]] = c.scores[i][t];
        for (let k = start[i]; k < start[i + 1]; k++) score[order[k]] = at[colOf[order[k]]];
      }
    }
    if (z && unit !== undefined)
      for (let k = 0; k < colOf.length; k++) if (colOf[k] === this.cols) score[k] = z.score;
    this.simplex.setPairCosts(score);
  }

  /** The free pairs in the flow, with their candidate-list scores, by row then column (never
   * a pair of the uncovered column). */
  pairs(): { row: number[]; col: number[]; score: number[] } {
    const c = this.cands;
    const { row, col } = this.carried();
    const order = Array.from(row.keys()).sort((a, b) => row[a] - row[b] || col[a] - col[b]);
    const out = { row: [] as number[], col: [] as number[], score: [] as number[] };
    for (const k of order) {
      if (col[k] === this.cols) continue;
      const i = row[k];
      const t = sortedIndexOf(c.cols[i], 0, c.cols[i].length, col[k]);
      if (t < 0) throw new Error(`network: pair (${i}, ${col[k]}) is not a candidate`);
      out.row.push(i);
      out.col.push(col[k]);
      out.score.push(c.scores[i][t]);
    }
    return out;
  }

  /** The pairs carrying a unit, in instance terms: the simplex's while it runs the network,
   * else the shortest-path core's. */
  private carried(): { row: Int32Array; col: Int32Array } {
    let tail: Int32Array;
    let head: Int32Array;
    const { sol } = this;
    if (sol) {
      head = sol.col;
      tail = new Int32Array(head.length);
      for (let t = 0; t + 1 < sol.start.length; t++) tail.fill(t, sol.start[t], sol.start[t + 1]);
    } else {
      const f = this.flow;
      const picked: number[] = [];
      for (let e = 0; e < f.x.length; e++) if (f.x[e] === 1) picked.push(e);
      tail = Int32Array.from(picked, (e) => f.arcRow[e]);
      head = Int32Array.from(picked, (e) => f.col[e]);
    }
    return this.transposed ? { row: head, col: tail } : { row: tail, col: head };
  }

  /**
   * Before the first run, from the columns' side: the uncovered column's units put on its pairs
   * with `rows` (e.g. the rows the coverage phase left uncovered), so that the run need not
   * route them one by one (its pairs score alike, so any start is as good for the proof).
   */
  preloadUncovered(rows: Int32Array): void {
    if (!this.options.uncovered || !this.transposed) return;
    const f = this.flow;
    const zRow = this.cols; // Z is a row of the transposed network
    const want = new Uint8Array(this.cands.cols.length);
    for (const i of rows) want[i] = 1;
    for (let e = f.start[zRow]; e < f.start[zRow + 1]; e++) if (want[f.col[e]] === 1) f.preload(e);
  }

  /**
   * Before the first run: an earlier answer as the starting flow (`FlowNetwork.warmFrom`), its
   * pairs that are arcs here marked, its rows on the uncovered column too (when this network
   * has one), priced at its duals of this phase's network columns: the instance's rows when
   * transposed, else its columns and Z.
   */
  warmFrom(w: WarmPhase): void {
    const f = this.flow;
    const use = new Uint8Array(f.col.length);
    const mark = (i: number, j: number) => {
      const [r, c] = this.transposed ? [j, i] : [i, j];
      const e = sortedIndexOf(f.col, f.start[r], f.start[r + 1], c);
      if (e >= 0) use[e] = 1;
    };
    for (let t = 0; t < w.row.length; t++) mark(w.row[t], w.col[t]);
    if (this.options.uncovered) for (const i of w.uncoveredRows) mark(i, this.cols);
    let price = w.u;
    if (!this.transposed) {
      price = new Float64Array(this.netCols);
      price.set(w.v);
      if (this.options.uncovered) price[this.cols] = w.z;
    }
    f.warmFrom(use, price);
  }

  /** The rows holding a pair of the uncovered column (ascending). */
  uncoveredRows(): Int32Array {
    const { row, col } = this.carried();
    const out: number[] = [];
    for (let t = 0; t < col.length; t++) if (col[t] === this.cols) out.push(row[t]);
    return Int32Array.from(out).sort();
  }

  /**
   * A new most for the uncovered column (the instance's own changed between re-solves, solve.ts
   * `rescore`), from the rows' side only, and only when the flow holds no more than that: the
   * simplex keeps its basis when it can (`setSpareCap`); otherwise the next run starts from no
   * flow. False when the network cannot take it (the caller solves afresh).
   */
  setUncoveredMax(max: number): boolean {
    const z = this.options.uncovered;
    if (!z || this.transposed || this.uncoveredLoad() > max) return false;
    const j = this.cols;
    (this.flow.setup.colSlack as Int32Array)[j] = max;
    z.max = max;
    if (!this.simplex) {
      // The shortest-path core's flow is optimal for the old most only: start again.
      this.lastDone = false;
      this.flow = new FlowNetwork(this.flow.setup, this.arcs());
    } else if (!this.simplex.setSpareCap(j, max)) {
      this.simplex = undefined;
      this.sol = undefined;
      // No flow to build a basis around (`rescore`): the next run starts from none.
      this.lastDone = false;
      this.flow = new FlowNetwork(this.flow.setup, this.arcs());
    }
    return true;
  }

  /** How many pairs of the uncovered column the flow holds (0 without one). */
  uncoveredLoad(): number {
    if (!this.options.uncovered) return 0;
    const { col } = this.carried();
    let k = 0;
    for (let t = 0; t < col.length; t++) if (col[t] === this.cols) k++;
    return k;
  }

  /** LP duals (max sense) in instance terms: u per row, v per column, and with the uncovered
   * column its dual z. */
  duals(): Duals {
    const f = this.flow;
    const d = this.sol ? potentialDuals(this.sol.pi, f.n, f.m) : f.duals();
    const [u, v] = this.transposed ? [d.v, d.u] : [d.u, d.v];
    if (!this.options.uncovered) return { u, v };
    return { u, v: v.slice(0, this.cols), z: v[this.cols] };
  }
}
