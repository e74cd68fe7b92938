/**
 * Min-cost flow core: successive shortest paths with Dijkstra and node potentials on the
 * bipartite candidate graph (Edmonds & Karp 1972; Tomizawa 1971; the row-augmentation view is
 * the one of Jonker & Volgenant 1987). One reusable workspace per solve.
 *
 * Network (node ids): rows 0..n-1, columns n..n+m-1, Z = n+m.
 *   row i  --pair e (cap 1, cost −s_e)-->  column j
 *   row i  --unused (cap rowMax'−rowMin')--> Z
 *   col j  --spare  (cap colMax'−colMin')--> Z
 * Supplies: row i has rowMax' units (all must leave it). Demands: column j absorbs colMin' units,
 * Z absorbs the rest. So a unit either pairs (and fills a column's minimum or spare capacity) or
 * goes unused; lower bounds are demands that must be met, and no big-M is needed.
 *
 * Invariant (reduced-cost optimality): every residual arc (u→v, cost c) has
 * c + π(u) − π(v) ≥ 0. Dijkstra from a row with excess finds the nearest node with deficit;
 * augmenting one unit along that path and adding min(d, d_t) − d_t to π keeps the invariant.
 * When no excess is left, the flow is optimal for the candidate arcs and π gives the LP duals:
 *   u_i = π(i) − π(Z), v_j = π(Z) − π(j).
 */

import { linkFront, unlink } from "../shared/links.js";

export interface FlowSetup {
  readonly n: number;
  readonly m: number;
  /** rowMax' per row: units that must leave the row (paired or unused). */
  readonly rowSupply: Int32Array;
  /** rowMax' − rowMin': how many of them may go unused. */
  readonly rowSlack: Int32Array;
  /** colMin': units column j must absorb. */
  readonly colDemand: Int32Array;
  /** colMax' − colMin': spare capacity of column j. */
  readonly colSlack: Int32Array;
}

/** Arcs in CSR by row, columns ascending. */
export interface ArcSet {
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly score: Float64Array;
}

export type RunOutcome =
  | { readonly kind: "done" }
  | { readonly kind: "stopped" }
  /** No deficit reachable from `node`; `reachRows` / `reachCols` is the reachable set. */
  | {
      readonly kind: "stuck";
      readonly node: number;
      readonly reachRows: Int32Array;
      readonly reachCols: Int32Array;
    };

const EMPTY = -1;

/** Units routed one search each before `run` weighs its methods again. */
const SINGLE_BATCH = 64;

/** A reduced cost within this share of the largest |score| counts as 0 when a phase looks for
 * paths of reduced cost 0 (the potentials come from sums that round). See `run`. */
const ZERO_REL = 2 ** -40;

export class FlowNetwork {
  readonly n: number;
  readonly m: number;
  readonly Z: number;
  readonly setup: FlowSetup;

  // Arcs (CSR by row) and their flow.
  start!: Int32Array;
  col!: Int32Array;
  score!: Float64Array;
  arcRow!: Int32Array;
  x!: Uint8Array;
  // Assigned arcs of each column: doubly linked list.
  private head: Int32Array;
  private next!: Int32Array;
  private prev!: Int32Array;

  readonly pi: Float64Array;
  /** Node balance: > 0 units still to send (excess), < 0 units still to receive (deficit). */
  readonly bal: Int32Array;
  /** Unused units per row (flow on row → Z). */
  readonly unused: Int32Array;
  /** Flow on column → Z. */
  readonly spare: Int32Array;
  readonly load: Int32Array;
  augmentations = 0;
  /** Nodes settled by every search so far (the work measure `run` chooses by). */
  private settledTotal = 0;
  /** Arcs looked at by every search so far (relaxed, or tried as admissible): the measure the
   * network simplex's work budget is set in (network.ts). */
  arcsLooked = 0;

  // Dijkstra workspace.
  private dist: Float64Array;
  private mark: Uint8Array; // 0 untouched, 1 in heap, 2 settled
  private heap: Int32Array;
  private hpos: Int32Array;
  private hsize = 0;
  private prevNode: Int32Array;
  private prevArc: Int32Array;
  private touched: Int32Array;
  private ntouched = 0;
  private settled: Int32Array;
  private nsettled = 0;
  private best = -1;
  private bestDist = Infinity;
  // Depth-first workspace of a phase (see `run`).
  private dfsState: Uint8Array;
  private dfsStack: Int32Array;
  private rowScan: Int32Array;
  /** Where a column's search goes on in its list of pairs within a phase (`blockingPaths`). */
  private colScan: Int32Array;

  constructor(setup: FlowSetup, arcs: ArcSet) {
    const { n, m } = setup;
    this.setup = setup;
    this.n = n;
    this.m = m;
    this.Z = n + m;
    const N = n + m + 1;
    this.pi = new Float64Array(N);
    this.bal = new Int32Array(N);
    this.bal.set(setup.rowSupply);
    this.unused = new Int32Array(n);
    this.spare = new Int32Array(m);
    this.load = new Int32Array(m);
    this.head = new Int32Array(m).fill(EMPTY);
    let supply = 0;
    for (let i = 0; i < n; i++) supply += setup.rowSupply[i];
    let demand = 0;
    for (let j = 0; j < m; j++) {
      this.bal[n + j] = -setup.colDemand[j];
      demand += setup.colDemand[j];
    }
    this.bal[this.Z] = demand - supply;
    this.dist = new Float64Array(N).fill(Infinity);
    this.mark = new Uint8Array(N);
    this.heap = new Int32Array(N);
    this.hpos = new Int32Array(N);
    this.prevNode = new Int32Array(N);
    this.prevArc = new Int32Array(N);
    this.touched = new Int32Array(N);
    this.settled = new Int32Array(N);
    this.dfsState = new Uint8Array(N);
    this.dfsStack = new Int32Array(N);
    this.rowScan = new Int32Array(n);
    this.colScan = new Int32Array(m);
    this.setArcs(arcs);
    // Initial potentials: π(i) ≥ s_e + π(j) for every arc and ≥ π(Z) = 0.
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let e = this.start[i]; e < this.start[i + 1]; e++)
        if (this.score[e] > best) best = this.score[e];
      this.pi[i] = best;
    }
  }

  /** Sets the arc set; no arc carries flow yet. */
  private setArcs(arcs: ArcSet): void {
    const E = arcs.col.length;
    this.start = arcs.start;
    this.col = arcs.col;
    this.score = arcs.score;
    let scale = 0;
    for (let e = 0; e < E; e++) scale = Math.max(scale, Math.abs(arcs.score[e]));
    this.zero = scale * ZERO_REL;
    this.arcRow = new Int32Array(E);
    this.x = new Uint8Array(E);
    this.next = new Int32Array(E);
    this.prev = new Int32Array(E);
    this.head.fill(EMPTY);
    for (let i = 0; i < this.n; i++) this.arcRow.fill(i, this.start[i], this.start[i + 1]);
  }

  private link(e: number, j: number): void {
    linkFront(this.head, this.next, this.prev, j, e);
  }

  private unlink(e: number, j: number): void {
    unlink(this.head, this.next, this.prev, j, e);
  }

  /**
   * Loads an assignment (one column or −1 per row) with column prices as the starting flow.
   * Potentials are set so the invariant holds: π(j) = −price_j, π(i) = max(0, best s − price
   * over the row's arcs); a row whose column is not exactly its best is put back as excess (its
   * column keeps a deficit). A row with more units keeps the rest as excess; a unit into a
   * column with a minimum fills that minimum first, then its spare capacity. Prices must be 0 on
   * every column with spare room left (the spare arc's reduced cost is −price). Every assigned
   * pair must be an arc.
   */
  warmStart(col: Int32Array, price: Float64Array): void {
    const { n, m, pi, bal } = this;
    const filled = new Int32Array(m);
    for (let j = 0; j < m; j++) pi[n + j] = -price[j];
    for (let i = 0; i < n; i++) {
      let best = 0;
      let mine = -1;
      for (let e = this.start[i]; e < this.start[i + 1]; e++) {
        const v = this.score[e] - price[this.col[e]];
        if (v > best) best = v;
        if (this.col[e] === col[i]) mine = e;
      }
      pi[i] = best;
      if (mine < 0 && bal[i] > 0 && best === 0 && this.unused[i] < this.setup.rowSlack[i]) {
        // Nothing listed is worth a pair at these prices: the unit goes unused right away (the
        // reverse arc Z → i has reduced cost π(Z) − π(i) = 0), instead of one search each. (Z
        // may end with more than it absorbs when minimums are open: `run` routes that too.)
        this.unused[i]++;
        bal[i]--;
        bal[this.Z]++;
        continue;
      }
      if (mine < 0 || bal[i] <= 0) continue;
      const j = this.col[mine];
      this.x[mine] = 1;
      this.link(mine, j);
      this.load[j]++;
      // A unit fills the column's minimum first, then its spare capacity: spare never exceeds
      // the slack, and a column full at the auction (price > 0) ends with its spare arc full.
      if (filled[j] < this.setup.colDemand[j]) {
        filled[j]++;
        bal[n + j]++;
      } else {
        this.spare[j]++;
        bal[this.Z]++;
      }
      bal[i]--;
      // Not exactly its best (the auction was only ε-optimal): take the pair out again, leaving
      // the column a deficit to refill; the reverse arc would price negative otherwise.
      if (this.score[mine] - price[j] < best) {
        this.x[mine] = 0;
        this.unlink(mine, j);
        this.load[j]--;
        bal[n + j]--;
        bal[i]++;
      }
    }
  }

  /**
   * Loads an earlier answer as the starting pseudo-flow, before the first run, keeping the
   * invariant exactly (a pseudo-flow start in the sense of Ahuja, Magnanti & Orlin, "Network
   * Flows", ch. 9: any flow that violates only the balances, with potentials under which every
   * residual arc prices ≥ 0, is routed to optimality by the same shortest paths). `use[e] = 1`
   * marks the arcs the earlier answer used; `price[j]` is an earlier solve's dual of column j
   * (taken as ≥ 0): π(j) = −price_j, and each row's potential is set from its arcs, so no
   * tolerance is involved:
   *   π(i) = the most value s_e − price_j over the row's arcs it does not load (and 0 when units
   *          may go unused), and the row loads each marked arc whose value is at least that;
   * so an arc left empty prices ≥ 0 and a loaded one's reverse arc prices ≥ 0. Marked arcs beyond
   * a column's capacity or a row's units (the earlier answer had more room) are the ones of
   * least value, left empty before the potentials are set. A row at π = 0 puts its remaining
   * units it may leave unused there at once; the rest stays as excess. A column's units fill its
   * minimum, then its spare capacity; a column priced above 0 must end full (its spare arc
   * prices −price forward), so its spare arc is filled now and what it lacks is a deficit —
   * balanced by Z's excess, which the run routes back to it or to a column that can take it.
   */
  warmFrom(use: Uint8Array, price: Float64Array): void {
    const { n, m, pi, bal, setup, start, col, score } = this;
    // Marked arcs beyond a column's room: the least valuable (by score: one column) unmarked.
    const mark = Uint8Array.from(use);
    const count = new Int32Array(m);
    for (let e = 0; e < mark.length; e++) if (mark[e] === 1) count[col[e]]++;
    const over = new Set<number>();
    for (let j = 0; j < m; j++) if (count[j] > setup.colDemand[j] + setup.colSlack[j]) over.add(j);
    if (over.size > 0) {
      const byCol = new Map<number, number[]>();
      for (let e = 0; e < mark.length; e++) {
        if (mark[e] !== 1 || !over.has(col[e])) continue;
        const list = byCol.get(col[e]);
        if (list) list.push(e);
        else byCol.set(col[e], [e]);
      }
      for (const [j, arcs] of byCol) {
        arcs.sort((a, b) => score[b] - score[a] || a - b);
        for (const e of arcs.slice(setup.colDemand[j] + setup.colSlack[j])) mark[e] = 0;
      }
    }
    // A column priced below 0 (its minimum binds) must send nothing spare (the reverse spare arc
    // prices its price): one whose marked arcs go beyond its minimum starts at price 0 instead.
    for (let j = 0; j < m; j++)
      pi[n + j] = price[j] < 0 && count[j] > setup.colDemand[j] ? 0 : -price[j];
    const value = (e: number) => score[e] + pi[n + col[e]];
    const marked: number[] = [];
    for (let i = 0; i < n; i++) {
      marked.length = 0;
      for (let e = start[i]; e < start[i + 1]; e++) if (mark[e] === 1) marked.push(e);
      // At most the row's units: the most valuable marked arcs.
      if (marked.length > setup.rowSupply[i]) {
        marked.sort((a, b) => value(b) - value(a) || a - b);
        for (const e of marked.splice(setup.rowSupply[i])) mark[e] = 0;
      }
      let top = -Infinity;
      let low = Infinity;
      for (let e = start[i]; e < start[i + 1]; e++) {
        const v = value(e);
        if (mark[e] === 1) low = Math.min(low, v);
        else if (v > top) top = v;
      }
      // The unused arc prices π(i) forward: with room left on it π(i) ≥ 0, but a row whose
      // marked arcs are all worth < 0 (and leave it the units) may fill it instead, at π(i) < 0.
      const slack = setup.rowSlack[i];
      const fill = slack > 0 && top <= 0 && low < 0 && marked.length <= setup.rowSupply[i] - slack;
      const p =
        slack > 0 && !fill ? Math.max(top, 0) : top > -Infinity ? top : low < Infinity ? low : 0;
      // Values within the flow's zero of p are ties the duals' rounding broke: loaded, with π(i)
      // at the least loaded value (an empty arc then prices ≥ −zero, as rounding leaves them in
      // any run: see `zero`).
      let least = p;
      for (const e of marked) {
        const v = value(e);
        if (v < p - this.zero) continue;
        least = Math.min(least, v);
        this.x[e] = 1;
        this.link(e, col[e]);
        this.load[col[e]]++;
        bal[i]--;
      }
      pi[i] = least;
      const unused = fill ? slack : p === 0 ? Math.min(bal[i], slack) : 0;
      this.unused[i] = unused;
      bal[i] -= unused;
      bal[this.Z] += unused;
    }
    for (let j = 0; j < m; j++) {
      const c = n + j;
      bal[c] += this.load[j];
      const extra = Math.max(0, bal[c]);
      const spare =
        pi[c] < 0 ? setup.colSlack[j] : pi[c] > 0 ? 0 : Math.min(extra, setup.colSlack[j]);
      this.spare[j] = spare;
      bal[c] -= spare;
      bal[this.Z] += spare;
    }
  }

  /**
   * Puts a unit on pair arc e (from its row of the network, with excess, into its column) before
   * the first run, filling the column's minimum first, then its spare capacity. Only valid where
   * the arc's reduced cost is 0 at the potentials as they are (then its reverse arc prices 0).
   */
  preload(e: number): void {
    const i = this.arcRow[e];
    const j = this.col[e];
    const { n, bal } = this;
    if (this.x[e] === 1 || bal[i] <= 0) return;
    if (this.score[e] + this.pi[n + j] - this.pi[i] !== 0) return;
    this.x[e] = 1;
    this.link(e, j);
    this.load[j]++;
    bal[i]--;
    if (bal[n + j] < 0) bal[n + j]++;
    else {
      this.spare[j]++;
      bal[this.Z]++;
    }
  }

  /**
   * Routes every excess unit, by two methods that settle the same invariant:
   * - one search per unit: Dijkstra from one excess node to the nearest deficit, one path;
   * - a phase (the primal-dual method; Hopcroft & Karp 1973 for unit costs): one Dijkstra from
   *   ALL excess nodes at once to the nearest deficit (distance D), the potentials moved by
   *   d − D so that every shortest path has reduced cost 0, then as many augmenting paths as a
   *   depth-first search finds on arcs of reduced cost 0 (each node given up on once a phase).
   * Tied scores (integer proficiencies; the coverage phase's real pairs, all 0) make many paths
   * equally short, and one phase routes them all where one search per unit would settle the same
   * plateau again each time; with distinct scores a phase routes few units for a whole-graph
   * search. So `run` measures both as it goes — nodes settled per unit routed, a count, not a
   * clock, so the choices and the answer are the same on every run — and uses the cheaper, trying
   * the other again every few rounds. `shouldStop` is polled every round and every 64
   * augmentations.
   */
  run(shouldStop: () => boolean, onAugment?: (count: number) => void): RunOutcome {
    let phaseCost = 0; // settled nodes per unit routed (0: not tried yet)
    let singleCost = 0;
    this.excessFrom = 0;
    for (let round = 0; ; round++) {
      if (shouldStop()) return { kind: "stopped" };
      const first = this.firstExcess();
      if (first < 0) return { kind: "done" };
      const cheaper = phaseCost <= singleCost ? "phase" : "single";
      const method = round % 8 === 7 ? (cheaper === "phase" ? "single" : "phase") : cheaper;
      const before = this.augmentations;
      const settledBefore = this.settledTotal;
      if (method === "phase") {
        if (this.shortestFromAll()) {
          const out = this.blockingPaths(shouldStop, onAugment);
          if (out) return out;
        }
        // No deficit reachable from any excess node: the single search below, from one of
        // them, finds none either and names what that node can reach.
      }
      if (method === "single" || this.augmentations === before) {
        // One search per unit, for a batch (also when rounding left a phase no path at exactly
        // reduced cost 0: every round makes progress).
        for (let k = 0; k < SINGLE_BATCH; k++) {
          const s = k === 0 ? first : this.firstExcess();
          if (s < 0) break;
          if (k > 0 && (this.augmentations & 63) === 0 && shouldStop()) return { kind: "stopped" };
          const t = this.shortestPath(s);
          if (t < 0) return this.stuck(s);
          this.augment(s, t);
          this.augmentations++;
          if (onAugment && (this.augmentations & 1023) === 0) onAugment(this.augmentations);
        }
      }
      const cost = (this.settledTotal - settledBefore) / Math.max(1, this.augmentations - before);
      if (method === "phase") phaseCost = phaseCost === 0 ? cost : (phaseCost + cost) / 2;
      else singleCost = singleCost === 0 ? cost : (singleCost + cost) / 2;
    }
  }

  /** Where `firstExcess` looks from: within a run, augmenting never creates excess, so the
   * first node with excess only moves forward. */
  private excessFrom = 0;

  private firstExcess(): number {
    // Rows, columns, then Z: a warm start can leave excess at any of them.
    const N = this.n + this.m + 1;
    while (this.excessFrom < N && this.bal[this.excessFrom] <= 0) this.excessFrom++;
    return this.excessFrom < N ? this.excessFrom : -1;
  }

  /** Dijkstra from every excess node; on reaching a deficit at distance D, moves each settled
   * node's potential by d − D and returns true. */
  private shortestFromAll(): boolean {
    const N = this.n + this.m + 1;
    this.nsettled = 0;
    this.hsize = 0;
    this.best = -1;
    this.bestDist = Infinity;
    for (let v = 0; v < N; v++) {
      if (this.bal[v] <= 0) continue;
      this.mark[v] = 1;
      this.touched[this.ntouched++] = v;
      this.dist[v] = 0;
      this.heap[this.hsize] = v;
      this.siftUp(this.hsize++);
    }
    this.settleUntilDeficit();
    const ok = this.best >= 0;
    if (ok) {
      const dt = this.bestDist;
      for (let k = 0; k < this.nsettled; k++) {
        const v = this.settled[k];
        this.pi[v] += this.dist[v] - dt;
      }
    }
    this.clearWorkspace();
    return ok;
  }

  /**
   * Depth-first search from each excess node over residual arcs of reduced cost ≤ 0 (rounding
   * can leave a hair above 0 on a shortest path: `zero` allows it) to a deficit; augments every
   * path found. A node whose search failed is dead for the phase.
   */
  private blockingPaths(
    shouldStop: () => boolean,
    onAugment?: (count: number) => void,
  ): RunOutcome | undefined {
    const { n, m, Z, bal } = this;
    const N = n + m + 1;
    const state = this.dfsState; // 0 fresh, 1 on the current path, 2 dead
    state.fill(0);
    this.rowScan.set(this.start.subarray(0, n));
    this.colScan.set(this.head);
    // Scan position of Z over its wide fan-out (columns, rows), kept for the phase.
    let zScan = 0;
    const stack = this.dfsStack;
    for (let s = 0; s < N; s++) {
      while (bal[s] > 0 && state[s] !== 2) {
        if ((this.augmentations & 63) === 63 && shouldStop()) return { kind: "stopped" };
        let top = 0;
        stack[top++] = s;
        state[s] = 1;
        let found = -1;
        while (top > 0) {
          const u = stack[top - 1];
          if (bal[u] < 0) {
            found = u;
            break;
          }
          let next = -1;
          if (u < n) next = this.admissibleFromRow(u);
          else if (u < Z) next = this.admissibleFromCol(u - n);
          else [next, zScan] = this.admissibleFromZ(zScan);
          if (next < 0) {
            state[u] = 2;
            top--;
          } else {
            state[next] = 1;
            stack[top++] = next;
            this.settledTotal++;
          }
        }
        if (found < 0) break; // s itself is dead now
        for (let k = 0; k < top; k++) state[stack[k]] = 0;
        this.augmentPath(s, found);
        this.augmentations++;
        if (onAugment && (this.augmentations & 1023) === 0) onAugment(this.augmentations);
      }
    }
    return undefined;
  }

  /** Reduced cost at or below this counts as 0 in `blockingPaths`. */
  private zero = 0;

  private admissible(rc: number, v: number): boolean {
    return rc <= this.zero && this.dfsState[v] === 0;
  }

  private admissibleFromRow(u: number): number {
    const { n, pi, start, col, score, x } = this;
    const pu = pi[u];
    const from = this.rowScan[u];
    for (let e = from; e < start[u + 1]; e++) {
      this.rowScan[u] = e;
      if (x[e] !== 0) continue;
      const v = n + col[e];
      if (this.admissible(pu - score[e] - pi[v], v)) {
        this.arcsLooked += e - from + 1;
        this.prevNode[v] = u;
        this.prevArc[v] = e;
        return v;
      }
    }
    this.arcsLooked += start[u + 1] - from + 1;
    this.rowScan[u] = start[u + 1];
    const { Z } = this;
    if (this.unused[u] < this.setup.rowSlack[u] && this.admissible(pu - pi[Z], Z)) {
      this.prevNode[Z] = u;
      this.prevArc[Z] = -1;
      return Z;
    }
    return -1;
  }

  /** As `admissibleFromRow`, over the column's pairs from where its last search in the phase
   * stopped (a column full of rows, e.g. the uncovered one, is not scanned again from its head
   * each time the search comes back to it). A pair taken out of the column since restarts the
   * scan at its head; pairs put in since sit in front of the scan and wait for the next phase
   * (a phase need not route every unit: `run` goes on until none is left). */
  private admissibleFromCol(j: number): number {
    const { n, pi, score, Z } = this;
    const u = n + j;
    const pu = pi[u];
    let e = this.colScan[j];
    if (e !== EMPTY && this.x[e] === 0) e = this.head[j];
    for (; e !== EMPTY; e = this.next[e]) {
      this.arcsLooked++;
      const v = this.arcRow[e];
      if (this.admissible(pu + score[e] - pi[v], v)) {
        this.colScan[j] = e;
        this.prevNode[v] = u;
        this.prevArc[v] = e;
        return v;
      }
    }
    this.colScan[j] = EMPTY;
    this.arcsLooked++;
    if (this.spare[j] < this.setup.colSlack[j] && this.admissible(pu - pi[Z], Z)) {
      this.prevNode[Z] = u;
      this.prevArc[Z] = -1;
      return Z;
    }
    return -1;
  }

  /** From Z back to rows with unused units, from `scan` on. */
  private admissibleFromUnused(scan: number): [number, number] {
    const { pi, Z } = this;
    const pz = pi[Z];
    for (let i = scan; i < this.n; i++) {
      if (this.unused[i] === 0 || !this.admissible(pz - pi[i], i)) continue;
      this.arcsLooked += i - scan + 1;
      this.prevNode[i] = Z;
      this.prevArc[i] = -1;
      return [i, i];
    }
    this.arcsLooked += this.n - scan + 1;
    return [-1, this.n];
  }

  private admissibleFromZ(scan: number): [number, number] {
    const { n, m, pi, Z } = this;
    const pz = pi[Z];
    // Columns (spare arcs back), then rows' unused units.
    for (let k = scan; k < m; k++) {
      const v = n + k;
      if (this.spare[k] === 0 || !this.admissible(pz - pi[v], v)) continue;
      this.arcsLooked += k - scan + 1;
      this.prevNode[v] = Z;
      this.prevArc[v] = -1;
      return [v, k];
    }
    this.arcsLooked += Math.max(0, m - scan);
    const [i, at] = this.admissibleFromUnused(Math.max(0, scan - m));
    return [i, i < 0 ? m + n : m + at];
  }

  private stuck(node: number): RunOutcome {
    const rows: number[] = [];
    const cols: number[] = [];
    for (let k = 0; k < this.nsettled; k++) {
      const v = this.settled[k];
      if (v < this.n) rows.push(v);
      else if (v < this.Z) cols.push(v - this.n);
    }
    this.clearWorkspace();
    return {
      kind: "stuck",
      node,
      reachRows: Int32Array.from(rows).sort(),
      reachCols: Int32Array.from(cols).sort(),
    };
  }

  private clearWorkspace(): void {
    for (let k = 0; k < this.ntouched; k++) {
      const v = this.touched[k];
      this.dist[v] = Infinity;
      this.mark[v] = 0;
    }
    this.ntouched = 0;
    this.hsize = 0;
  }

  // ---- binary heap on dist (ties by node id, for determinism) ----
  private less(a: number, b: number): boolean {
    const da = this.dist[a];
    const db = this.dist[b];
    return da < db || (da === db && a < b);
  }

  private siftUp(p: number): void {
    const { heap, hpos } = this;
    const v = heap[p];
    while (p > 0) {
      const q = (p - 1) >> 1;
      const u = heap[q];
      if (!this.less(v, u)) break;
      heap[p] = u;
      hpos[u] = p;
      p = q;
    }
    heap[p] = v;
    hpos[v] = p;
  }

  private popMin(): number {
    const { heap, hpos } = this;
    const top = heap[0];
    const last = heap[--this.hsize];
    let p = 0;
    const size = this.hsize;
    if (size > 0) {
      for (;;) {
        let c = 2 * p + 1;
        if (c >= size) break;
        if (c + 1 < size && this.less(heap[c + 1], heap[c])) c++;
        if (!this.less(heap[c], last)) break;
        heap[p] = heap[c];
        hpos[heap[p]] = p;
        p = c;
      }
      heap[p] = last;
      hpos[last] = p;
    }
    return top;
  }

  private relax(v: number, d: number, from: number, arc: number): void {
    // Nothing at or beyond the nearest deficit found is ever settled: no need to queue it.
    if (d >= this.bestDist) return;
    const mark = this.mark[v];
    if (mark === 2) return;
    if (mark === 0) {
      this.mark[v] = 1;
      this.touched[this.ntouched++] = v;
      this.dist[v] = d;
      this.prevNode[v] = from;
      this.prevArc[v] = arc;
      this.heap[this.hsize] = v;
      this.siftUp(this.hsize++);
    } else if (d < this.dist[v]) {
      this.dist[v] = d;
      this.prevNode[v] = from;
      this.prevArc[v] = arc;
      this.siftUp(this.hpos[v]);
    } else return;
    // The nearest node with a deficit so far: Dijkstra may stop once nothing in the heap is
    // closer (ties included), instead of settling every node at the same distance first.
    if (this.bal[v] < 0 && d < this.bestDist) {
      this.bestDist = d;
      this.best = v;
    }
    this.lookAhead(v, d);
  }

  /**
   * A node just given distance d whose arc to the sink (a column's spare capacity, a row's
   * unused units) is open offers the sink at d + that arc's reduced cost already, before it is
   * settled: the nearest deficit is then known early and `relax` queues nothing beyond it.
   * Exact: the sink's distance stays an upper bound until it is settled from its final
   * predecessor, and a node on the path that is not settled when the search stops has distance
   * exactly the deficit's (every unsettled node is at least that far), so leaving its potential
   * as it is keeps the invariant.
   */
  private lookAhead(v: number, d: number): void {
    const { n, Z } = this;
    let sink = -1;
    if (v < n) {
      if (this.unused[v] < this.setup.rowSlack[v]) sink = Z;
    } else if (v < Z) {
      if (this.spare[v - n] < this.setup.colSlack[v - n]) sink = Z;
    }
    if (sink < 0 || this.mark[sink] === 2) return;
    const rc = this.pi[v] - this.pi[sink];
    this.relax(sink, rc > 0 ? d + rc : d, v, -1);
  }

  /** Dijkstra from node s to the nearest node with a deficit; returns it, or −1. Updates π. */
  private shortestPath(s: number): number {
    const { pi, dist } = this;
    this.nsettled = 0;
    this.mark[s] = 1;
    this.touched[this.ntouched++] = s;
    dist[s] = 0;
    this.heap[0] = s;
    this.hpos[s] = 0;
    this.hsize = 1;
    this.best = -1;
    this.bestDist = Infinity;
    this.settleUntilDeficit();
    const target = this.best;
    if (target < 0) return -1; // caller reads the settled set, then clears
    const dt = this.bestDist;
    for (let k = 0; k < this.nsettled; k++) {
      const v = this.settled[k];
      pi[v] += dist[v] - dt;
    }
    return target;
  }

  /** Dijkstra's loop over the heap as set up: settles nodes until none left is nearer than the
   * nearest deficit found (`best`, `bestDist`). */
  private settleUntilDeficit(): void {
    const { n, Z, pi, dist, start, col, score, x, setup } = this;
    while (this.hsize > 0 && dist[this.heap[0]] < this.bestDist) {
      const u = this.popMin();
      this.mark[u] = 2;
      this.settled[this.nsettled++] = u;
      this.settledTotal++;
      const du = dist[u];
      const pu = pi[u];
      this.arcsLooked +=
        u < n ? start[u + 1] - start[u] + 1 : u < Z ? this.load[u - n] + 1 : n + this.m;
      if (u < n) {
        for (let e = start[u]; e < start[u + 1]; e++) {
          if (x[e] !== 0) continue;
          const v = n + col[e];
          const rc = pu - score[e] - pi[v];
          this.relax(v, rc > 0 ? du + rc : du, u, e);
        }
        if (this.unused[u] < setup.rowSlack[u]) {
          const rc = pu - pi[Z];
          this.relax(Z, rc > 0 ? du + rc : du, u, -1);
        }
      } else if (u < Z) {
        const j = u - n;
        for (let e = this.head[j]; e !== EMPTY; e = this.next[e]) {
          const v = this.arcRow[e];
          const rc = pu + score[e] - pi[v];
          this.relax(v, rc > 0 ? du + rc : du, u, e);
        }
        if (this.spare[j] < setup.colSlack[j]) {
          const rc = pu - pi[Z];
          this.relax(Z, rc > 0 ? du + rc : du, u, -1);
        }
      } else {
        // Z: back along column spare arcs and rows' unused arcs.
        for (let j = 0; j < this.m; j++) {
          if (this.spare[j] === 0) continue;
          const v = n + j;
          const rc = pu - pi[v];
          this.relax(v, rc > 0 ? du + rc : du, u, -1);
        }
        for (let i = 0; i < n; i++) {
          if (this.unused[i] === 0) continue;
          const rc = pu - pi[i];
          this.relax(i, rc > 0 ? du + rc : du, u, -1);
        }
      }
    }
  }

  private augment(s: number, t: number): void {
    this.augmentPath(s, t);
    this.clearWorkspace();
  }

  /** One unit from s to t along the prevNode / prevArc chain. */
  private augmentPath(s: number, t: number): void {
    const { n, Z } = this;
    let v = t;
    while (v !== s) {
      const u = this.prevNode[v];
      const e = this.prevArc[v];
      if (u < n) {
        if (v < Z) {
          const j = v - n;
          this.x[e] = 1;
          this.link(e, j);
          this.load[j]++;
        } else this.unused[u]++;
      } else if (u < Z) {
        const j = u - n;
        if (v < n) {
          this.x[e] = 0;
          this.unlink(e, j);
          this.load[j]--;
        } else this.spare[j]++;
      } else if (v < n) this.unused[v]--;
      else this.spare[v - n]--;
      v = u;
    }
    this.bal[s]--;
    this.bal[t]++;
  }

  /** LP duals (max sense) of the current potentials. */
  duals(): { u: Float64Array; v: Float64Array } {
    return potentialDuals(this.pi, this.n, this.m);
  }
}

/** LP duals (max sense) from potentials of this network's nodes (rows, columns, Z): u per row,
 * v per column. */
export function potentialDuals(
  pi: Float64Array,
  n: number,
  m: number,
): { u: Float64Array; v: Float64Array } {
  const Z = n + m;
  const u = new Float64Array(n);
  const v = new Float64Array(m);
  for (let i = 0; i < n; i++) u[i] = pi[i] - pi[Z];
  for (let j = 0; j < m; j++) v[j] = pi[Z] - pi[n + j];
  return { u, v };
}
