/**
 * Primal network simplex on the flow core's network (flow.ts), for the rounds after the first:
 * the same nodes, arcs, supplies and capacities, re-optimized by pivoting a spanning tree.
 *
 * Why: after a pricing round that adds pairs to many rows, the shortest-path core has to start
 * again (putting each new pair in leaves a unit to route from the side that searches slowly,
 * docs/ENGINE.md, step 7), and from the columns' side (scarce mentors) the last units of each
 * fresh run settle thousands of nodes apiece. A simplex basis survives pricing: the pairs priced
 * in are new arcs at their lower bound, the tree and the flow stay feasible, and the round only
 * pivots them in. The first run of a phase stays with the shortest-path core (its answer, with
 * its potentials, is where the tree is built: `basisAround`).
 *
 * The method is the textbook one (Dantzig 1951; Ahuja, Magnanti & Orlin, *Network Flows*, 1993,
 * ch. 11): the basic arcs form a spanning tree rooted at an extra node R, node potentials make
 * every tree arc's reduced cost 0, a non-tree arc at its lower (upper) bound with negative
 * (positive) reduced cost enters, flow moves round the cycle it closes, and a blocking arc
 * leaves — the last one met going round from the cycle's apex in the direction of the flow
 * change (Cunningham 1976). Pricing keeps a candidate list filled by block scans (Grigoriadis
 * 1986; Mulvey 1978): see `findEntering`. The tree is kept as parent, depth and child links;
 * after a pivot only the subtree that changes side is walked (its potentials move by one
 * constant). A tree built around a given flow need not be strongly feasible, so cycling among
 * degenerate pivots is not ruled out in theory: a run gives up after more degenerate pivots in
 * a row than there are nodes and arcs, or past a work budget the caller sets, and the caller
 * falls back to the shortest-path core (network.ts).
 */
import type { ArcSet, FlowNetwork, FlowSetup } from "./flow.js";
import { groupBy } from "./csr.js";
import { PRICE_REL } from "./numeric.js";
import { linkFront, unlink } from "../shared/links.js";

const NONE = -1;
/** Pivots between polls of `shouldStop`. */
const POLL = 1024;

export type SimplexOutcome = "optimal" | "stopped" | "gave_up";

/** The flow in the network's own terms (flow.ts): pair arcs carrying a unit, by tail then head. */
export interface SimplexFlow {
  /** Per tail (row of the network): its pairs' heads, ascending, in CSR. */
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly unused: Int32Array;
  readonly spare: Int32Array;
  /** Potentials of the network's nodes (rows, columns, Z), flow.ts's convention. */
  readonly pi: Float64Array;
}

export class NetworkSimplex {
  private readonly n: number;
  private readonly m: number;
  private readonly R: number;
  /** Arcs 0..N-1 join node v and R (closed: capacity 0; they only pin potentials), then the
   * structural arcs (unused, spare), then the pairs from `firstPair` on. */
  private readonly firstPair: number;
  private arcs = 0;
  private tail = new Int32Array(0);
  private head = new Int32Array(0);
  private cost = new Float64Array(0);
  private cap = new Float64Array(0);
  private flow = new Float64Array(0);
  /** 1 at the lower bound, −1 at the upper, 0 in the tree or closed (never enters). */
  private state = new Int8Array(0);

  // The spanning tree.
  private readonly parent: Int32Array;
  private readonly pred: Int32Array;
  /** 1 when the node's tree arc points from it to its parent. */
  private readonly up: Uint8Array;
  private readonly depth: Int32Array;
  private readonly firstChild: Int32Array;
  private readonly nextSib: Int32Array;
  private readonly prevSib: Int32Array;
  private readonly pi: Float64Array;
  private readonly stack: Int32Array;

  /** An arc enters when its reduced cost is this far on the wrong side of 0 (numeric.ts). */
  private tol: number;
  private nextArc = 0;
  /** Candidate list of the pricing (see `findEntering`). */
  private list = new Int32Array(64);
  private listSize = 0;
  private minorLeft = 0;
  pivots = 0;
  /** Work of the current run: arcs priced plus nodes whose potential moved. */
  private work = 0;

  /**
   * The network of `f` (flow.ts's node ids and arcs), with the tree built around its flow,
   * which must meet every supply and demand and be optimal under its potentials: the answer
   * of a finished shortest-path run.
   */
  constructor(f: FlowNetwork) {
    const { n, m } = f;
    const setup: FlowSetup = f.setup;
    this.n = n;
    this.m = m;
    const Z = n + m;
    const N = n + m + 1;
    this.R = N;
    const nodes = N + 1;
    this.parent = new Int32Array(nodes).fill(NONE);
    this.pred = new Int32Array(nodes).fill(NONE);
    this.up = new Uint8Array(nodes);
    this.depth = new Int32Array(nodes);
    this.firstChild = new Int32Array(nodes).fill(NONE);
    this.nextSib = new Int32Array(nodes).fill(NONE);
    this.prevSib = new Int32Array(nodes).fill(NONE);
    this.pi = new Float64Array(nodes);
    this.stack = new Int32Array(nodes);
    const arcs: ArcSet = { start: f.start, col: f.col, score: f.score };
    this.tol = 0; // set by addPairs from the scores

    this.reserve(N + n + m + arcs.col.length);
    for (let v = 0; v < N; v++) this.push(v, this.R, 0, 0);
    for (let i = 0; i < n; i++) this.push(i, Z, 0, setup.rowSlack[i]);
    for (let j = 0; j < m; j++) this.push(n + j, Z, 0, setup.colSlack[j]);
    this.firstPair = this.arcs;
    const tails = new Int32Array(arcs.col.length);
    for (let i = 0; i < n; i++) tails.fill(i, arcs.start[i], arcs.start[i + 1]);
    this.addPairs(tails, arcs.col, arcs.score);
    this.basisAround(f);
  }

  private reserve(size: number): void {
    if (size <= this.tail.length) return;
    const len = Math.max(size, Math.ceil(this.tail.length * 1.5));
    const grow = <T extends Int32Array | Float64Array | Int8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.tail = grow(this.tail, new Int32Array(len));
    this.head = grow(this.head, new Int32Array(len));
    this.cost = grow(this.cost, new Float64Array(len));
    this.cap = grow(this.cap, new Float64Array(len));
    this.flow = grow(this.flow, new Float64Array(len));
    this.state = grow(this.state, new Int8Array(len));
  }

  private push(t: number, h: number, cost: number, cap: number): void {
    const e = this.arcs++;
    this.tail[e] = t;
    this.head[e] = h;
    this.cost[e] = cost;
    this.cap[e] = cap;
    this.flow[e] = 0;
    this.state[e] = cap === 0 ? 0 : 1;
  }

  /**
   * Adds pairs as arcs (tail `tail[k]`, a row of the network; head column `col[k]`; score
   * `score[k]`), none of them an arc yet, each empty at its lower bound: the tree and the flow
   * stay as they are, so the next `run` starts from them. The entering tolerance follows the
   * largest |score| seen.
   */
  addPairs(tail: ArrayLike<number>, col: ArrayLike<number>, score: ArrayLike<number>): void {
    const { n } = this;
    this.reserve(this.arcs + col.length);
    for (let k = 0; k < col.length; k++) {
      this.tol = Math.max(this.tol, PRICE_REL * Math.abs(score[k]));
      this.push(tail[k], n + col[k], -score[k], 1);
    }
  }

  /** The pair arcs' ends, in the order `setPairCosts` takes their scores: tails (rows of the
   * network) and heads as the network's column indices. */
  pairEnds(): { tail: Int32Array; col: Int32Array } {
    const tail = this.tail.slice(this.firstPair, this.arcs);
    const col = this.head.slice(this.firstPair, this.arcs);
    for (let k = 0; k < col.length; k++) col[k] -= this.n;
    return { tail, col };
  }

  /**
   * New scores for every pair arc (in `pairEnds` order): the tree and the flow stay, feasible as
   * they were, and the potentials are recomputed from the tree, so the next `run` pivots from
   * this basis to the new optimum (a warm re-solve after the scores change, solve.ts
   * `Resolvable`). The entering tolerance follows the new scores.
   */
  setPairCosts(score: Float64Array): void {
    let tol = 0;
    for (let k = 0; k < score.length; k++) {
      tol = Math.max(tol, PRICE_REL * Math.abs(score[k]));
      this.cost[this.firstPair + k] = -score[k];
    }
    this.tol = tol;
    this.recomputePotentials();
    this.listSize = 0;
    this.minorLeft = 0;
  }

  /**
   * Sets the capacity of column j's arc to Z (its spare places) to `cap`, keeping the flow and
   * the basis: possible when the flow on it fits and the arc is in the tree, or at its lower
   * bound with `cap` > 0 (a tree arc may sit at a bound). False (nothing changed) otherwise.
   */
  setSpareCap(j: number, cap: number): boolean {
    const e = this.R + this.n + j;
    if (this.flow[e] > cap) return false;
    const treeArc = this.state[e] === 0 && this.cap[e] > 0;
    if (!treeArc && !(this.state[e] === 1 && cap > 0)) return false;
    this.cap[e] = cap;
    return true;
  }

  /** How many pair arcs the network has. */
  pairArcs(): number {
    return this.arcs - this.firstPair;
  }

  private addChild(p: number, v: number): void {
    linkFront(this.firstChild, this.nextSib, this.prevSib, p, v);
  }

  private removeChild(p: number, v: number): void {
    unlink(this.firstChild, this.nextSib, this.prevSib, p, v);
  }

  /**
   * Pivots to optimality on the arcs so far. "stopped": `shouldStop` said so; "gave_up": more
   * than `stallLimit` degenerate pivots in a row (see the file's comment), or more than
   * `workLimit` units of work (arcs priced plus nodes whose potential moved). The flow is
   * feasible in every case, only not proven optimal unless "optimal".
   */
  run(
    shouldStop: () => boolean,
    workLimit: number,
    stallLimit = this.R + this.arcs,
  ): SimplexOutcome {
    if (shouldStop()) return "stopped";
    this.work = 0;
    let degenerate = 0;
    for (let k = 1; ; k++) {
      if (k % POLL === 0 && shouldStop()) return "stopped";
      let e = this.findEntering();
      if (e === NONE) {
        // Potentials drift with every pivot's update: recompute them and look once more.
        this.recomputePotentials();
        this.minorLeft = 0;
        e = this.findEntering();
        if (e === NONE) return "optimal";
      }
      degenerate = this.pivot(e) > 0 ? 0 : degenerate + 1;
      this.pivots++;
      if (degenerate > stallLimit || this.work > workLimit) return "gave_up";
    }
  }

  private recomputePotentials(): void {
    const { pi, stack, firstChild, nextSib, pred, up, cost } = this;
    pi[this.R] = 0;
    let top = 0;
    for (let c = firstChild[this.R]; c !== NONE; c = nextSib[c]) stack[top++] = c;
    while (top > 0) {
      const v = stack[--top];
      const a = pred[v];
      const p = this.parent[v];
      // reduced cost 0 on the tree arc: cost + π(tail) − π(head) = 0
      pi[v] = up[v] === 1 ? pi[p] - cost[a] : pi[p] + cost[a];
      for (let c = firstChild[v]; c !== NONE; c = nextSib[c]) stack[top++] = c;
    }
  }

  /**
   * The tree around `f`'s optimal flow (called once, from the constructor, when the pair arcs
   * are exactly `f`'s, in its order). Arcs strictly between their bounds must
   * be in the tree; here they all end at Z, so they form a forest. The tree is completed
   * with arcs of reduced cost 0 at `f`'s potentials, and each component still apart hangs from R
   * by a closed artificial arc (capacity 0) whose cost keeps its node's potential. Potentials
   * are then recomputed from the tree; anything rounding left violated `run` pivots away.
   */
  private basisAround(f: FlowNetwork): void {
    const { n, m } = this;
    const N = this.R;
    const { flow, cap, state, tail, head, cost } = this;
    // Flows of the given answer.
    for (let i = 0; i < n; i++) flow[N + i] = f.unused[i];
    for (let j = 0; j < m; j++) flow[N + n + j] = f.spare[j];
    // The pair arcs were added from `f`'s arcs, in their order (the constructor).
    for (let e = 0; e < f.x.length; e++) flow[this.firstPair + e] = f.x[e];
    const pi = f.pi;
    const tol = this.tol;
    // Union-find over nodes (R excluded): free arcs first, then arcs of reduced cost 0.
    const uf = new Int32Array(N);
    for (let v = 0; v < N; v++) uf[v] = v;
    const find = (v: number): number => {
      while (uf[v] !== v) {
        uf[v] = uf[uf[v]];
        v = uf[v];
      }
      return v;
    };
    const treeArc = new Uint8Array(this.arcs);
    const adjCount = new Int32Array(N + 1);
    const take = (e: number): boolean => {
      const a = find(tail[e]);
      const b = find(head[e]);
      if (a === b) return false;
      uf[a] = b;
      treeArc[e] = 1;
      adjCount[tail[e] + 1]++;
      adjCount[head[e] + 1]++;
      return true;
    };
    for (let e = N; e < this.arcs; e++) {
      const x = flow[e];
      state[e] = cap[e] === 0 ? 0 : x === 0 ? 1 : x === cap[e] ? -1 : 2;
      if (state[e] === 2 && !take(e))
        throw new Error("network simplex: free arcs close a cycle (the flow is not basic)");
    }
    for (let e = N; e < this.arcs; e++)
      if (state[e] !== 2 && Math.abs(cost[e] + pi[tail[e]] - pi[head[e]]) <= tol) take(e);
    // Each component still apart hangs from R by its first node's closed artificial arc.
    const rootArc = new Uint8Array(N);
    for (let v = 0; v < N; v++) {
      const r = find(v);
      if (rootArc[r] === 0) {
        rootArc[r] = 1;
        tail[v] = v;
        head[v] = this.R;
        cost[v] = -pi[v]; // π(R) = 0: keeps π(v)
        treeArc[v] = 1;
      } else {
        tail[v] = v;
        head[v] = this.R;
        cost[v] = 0;
      }
      flow[v] = 0;
      cap[v] = 0;
      state[v] = 0;
    }
    // Orient the tree from R (depth-first over an adjacency of the tree arcs).
    for (let v = 0; v < N; v++) adjCount[v + 1] += adjCount[v];
    const adj = new Int32Array(adjCount[N]);
    const fill = adjCount.slice(0, N);
    for (let e = N; e < this.arcs; e++)
      if (treeArc[e] === 1) {
        adj[fill[tail[e]]++] = e;
        adj[fill[head[e]]++] = e;
      }
    const { stack, parent, pred, up, depth } = this;
    let top = 0;
    for (let v = N - 1; v >= 0; v--)
      if (treeArc[v] === 1) {
        parent[v] = this.R;
        pred[v] = v;
        up[v] = 1;
        depth[v] = 1;
        this.addChild(this.R, v);
        stack[top++] = v;
      }
    while (top > 0) {
      const v = stack[--top];
      for (let k = adjCount[v]; k < adjCount[v + 1]; k++) {
        const e = adj[k];
        const w = tail[e] === v ? head[e] : tail[e];
        if (w === parent[v] && e === pred[v]) continue;
        parent[w] = v;
        pred[w] = e;
        up[w] = tail[e] === w ? 1 : 0;
        depth[w] = depth[v] + 1;
        this.addChild(v, w);
        stack[top++] = w;
      }
    }
    for (let e = N; e < this.arcs; e++) if (state[e] === 2) state[e] = 0;
    for (let e = N; e < this.arcs; e++) if (treeArc[e] === 1) state[e] = 0;
    this.recomputePotentials();
  }

  /**
   * Pricing by a candidate list: a major step scans the arcs round-robin, block by block, and
   * keeps every violated arc it meets until the list holds `listCap`; the next few pivots (minor
   * steps) take the most violated arc still violated on the list, without a scan. When violated
   * arcs are rare, one scan feeds many pivots instead of one.
   */
  private findEntering(): number {
    const { tail, head, cost, state, pi, list } = this;
    const tol = -this.tol;
    // Minor step: the list, re-priced.
    if (this.minorLeft > 0) {
      this.minorLeft--;
      let best = NONE;
      let bestViolation = tol;
      let kept = 0;
      for (let t = 0; t < this.listSize; t++) {
        const e = list[t];
        const v = state[e] * (cost[e] + pi[tail[e]] - pi[head[e]]);
        if (v < tol) {
          list[kept++] = e;
          if (v < bestViolation) {
            bestViolation = v;
            best = e;
          }
        }
      }
      this.listSize = kept;
      this.work += kept;
      if (best !== NONE) return best;
    }
    // Major step.
    const first = this.R; // the first structural arc
    const count = this.arcs - first;
    if (count <= 0) return NONE;
    const block = Math.max(16, Math.ceil(Math.sqrt(count)));
    const listCap = Math.max(8, Math.ceil(block / 4));
    if (list.length < listCap) this.list = new Int32Array(2 * listCap);
    this.listSize = 0;
    let e = this.nextArc < first || this.nextArc >= this.arcs ? first : this.nextArc;
    let best = NONE;
    let bestViolation = tol;
    let inBlock = 0;
    let seen = 0;
    for (; seen < count; seen++) {
      const s = state[e];
      if (s !== 0) {
        const v = s * (cost[e] + pi[tail[e]] - pi[head[e]]);
        if (v < tol) {
          this.list[this.listSize++] = e;
          if (v < bestViolation) {
            bestViolation = v;
            best = e;
          }
        }
      }
      if (++e === this.arcs) e = first;
      if (++inBlock === block) {
        if (this.listSize >= listCap) break;
        inBlock = 0;
      }
      if (this.listSize === this.list.length) break;
    }
    this.nextArc = e;
    this.work += seen;
    // A scan of every arc found every violated one: the list is worth working through before
    // the next scan (the last scan, with no violated arc left, is what proves optimality).
    this.minorLeft = seen >= count - 1 ? Infinity : Math.max(3, Math.ceil(listCap / 2));
    return best;
  }

  /** One pivot on entering arc e; returns the flow change round its cycle (0: degenerate). */
  private pivot(e: number): number {
    const { parent, pred, up, depth, flow, cap, state } = this;
    // Flow moves first → second along e, then back from second to first through the tree.
    const atLower = state[e] === 1;
    const first = atLower ? this.tail[e] : this.head[e];
    const second = atLower ? this.head[e] : this.tail[e];
    let a = first;
    let b = second;
    while (a !== b) {
      if (depth[a] >= depth[b]) a = parent[a];
      else b = parent[b];
    }
    const apex = a;
    // Leaving arc: the last blocking arc from the apex in the flow's direction (apex → first,
    // e, second → apex); ties on the second side go to the arc nearest the apex, on the first
    // side to the arc nearest `first`.
    let dSecond = Infinity;
    let outSecond = NONE;
    for (let v = second; v !== apex; v = parent[v]) {
      const arc = pred[v];
      const r = up[v] === 1 ? cap[arc] - flow[arc] : flow[arc];
      if (r <= dSecond) {
        dSecond = r;
        outSecond = v;
      }
    }
    let dFirst = Infinity;
    let outFirst = NONE;
    for (let v = first; v !== apex; v = parent[v]) {
      const arc = pred[v];
      const r = up[v] === 1 ? flow[arc] : cap[arc] - flow[arc];
      if (r < dFirst) {
        dFirst = r;
        outFirst = v;
      }
    }
    const dE = cap[e];
    const delta = Math.min(dFirst, dE, dSecond);
    if (delta > 0) {
      flow[e] += atLower ? delta : -delta;
      for (let v = second; v !== apex; v = parent[v]) flow[pred[v]] += up[v] === 1 ? delta : -delta;
      for (let v = first; v !== apex; v = parent[v]) flow[pred[v]] += up[v] === 1 ? -delta : delta;
    }
    let out: number;
    let inside: number; // the endpoint of e in the subtree that is cut off
    if (dSecond === delta) {
      out = outSecond;
      inside = second;
    } else if (dE === delta) {
      state[e] = atLower ? -1 : 1;
      return delta;
    } else {
      out = outFirst;
      inside = first;
    }
    const outside = inside === first ? second : first;
    const leaving = pred[out];
    state[leaving] = cap[leaving] === 0 ? 0 : flow[leaving] === 0 ? 1 : -1;
    state[e] = 0;
    const rc = this.cost[e] + this.pi[this.tail[e]] - this.pi[this.head[e]];
    const shift = inside === this.head[e] ? rc : -rc;
    // Re-hang the cut subtree from `inside` under `outside`, reversing the path inside → out.
    this.removeChild(parent[out], out);
    let v = inside;
    let newParent = outside;
    let newPred = e;
    let newUp = this.tail[e] === inside ? 1 : 0;
    for (;;) {
      const oldParent = parent[v];
      const oldPred = pred[v];
      const oldUp = up[v];
      if (v !== out) this.removeChild(oldParent, v);
      parent[v] = newParent;
      pred[v] = newPred;
      up[v] = newUp;
      this.addChild(newParent, v);
      if (v === out) break;
      newParent = v;
      newPred = oldPred;
      newUp = oldUp === 1 ? 0 : 1;
      v = oldParent;
    }
    // The cut subtree's potentials move by one constant; its depths follow its new parent.
    const { stack, firstChild, nextSib, pi } = this;
    let top = 0;
    stack[top++] = inside;
    while (top > 0) {
      const x = stack[--top];
      this.work++;
      pi[x] += shift;
      depth[x] = depth[parent[x]] + 1;
      for (let c = firstChild[x]; c !== NONE; c = nextSib[c]) stack[top++] = c;
    }
    return delta;
  }

  /** The flow and potentials in the network's terms (see `SimplexFlow`). */
  solution(): SimplexFlow {
    const { n, m } = this;
    const carrying: number[] = [];
    for (let e = this.firstPair; e < this.arcs; e++) if (this.flow[e] > 0) carrying.push(e);
    const { start, order } = groupBy(
      carrying.map((e) => this.tail[e]),
      n,
    );
    const col = new Int32Array(order.length);
    for (let k = 0; k < order.length; k++) col[k] = this.head[carrying[order[k]]] - n;
    for (let i = 0; i < n; i++) col.subarray(start[i], start[i + 1]).sort();
    const unused = new Int32Array(n);
    const spare = new Int32Array(m);
    const N = this.R;
    for (let e = N; e < this.firstPair; e++) {
      const t = this.tail[e];
      if (t < n) unused[t] = this.flow[e];
      else spare[t - n] = this.flow[e];
    }
    return { start, col, unused, spare, pi: this.pi.slice(0, N) };
  }
}
