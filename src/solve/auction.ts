/**
 * Warm start: a forward auction with ε-scaling for the transportation case (each row takes at
 * most one column, columns have capacities, no minimums). Bertsekas, "The auction algorithm: a
 * distributed relaxation method for the assignment problem" (1988), and Bertsekas & Castañon,
 * "The auction algorithm for the transportation problem" (1989): a column with capacity c is c
 * "similar objects" (slots), each with its own price; a row bids for its best slot, raising that
 * slot's price by its margin over the second best plus ε.
 *
 * Its answer is only ε-optimal, so it is never returned as is: `FlowNetwork.warmStart` takes the
 * assignment and prices, un-assigns every row whose pair is not exactly its best, and the exact
 * shortest-path core finishes. What the auction buys is prices close to the optimal duals, which
 * makes the candidate lists right (few pricing rounds) and leaves the exact phase little to do.
 *
 * Candidate lists are refreshed against current prices: a row's list is trusted for a bid only
 * while its best value is at least `bound[i]`, the best value of any pair left out at the last
 * scan. Prices only rise, so that bound stays valid until the row is scanned again.
 */
import { gather, isExcluded, type Instance, type Scratch } from "./instance.js";
import {
  allowedAt,
  bestValues,
  keptPairs,
  scoreAt,
  viewRow,
  withExcludedPricedOut,
} from "./rowscan.js";
import type { Candidates } from "./candidates.js";
import { TopList } from "../shared/toplist.js";

/** The final ε of a price estimate, as a fraction of the score range: the warm start begins at
 * this ε (see the start of the ε schedule below). */
export const COARSE_EPS = 256;

export interface AuctionResult {
  /** Column of each row, −1 for none. */
  readonly col: Int32Array;
  /** Price per column: the cheapest slot's price when the column is full, else 0. */
  readonly price: Float64Array;
  readonly bids: number;
  readonly scans: number;
}

export interface AuctionOptions {
  /** Units each row may pair (0 or 1) and places per column, forced pairs taken out. */
  readonly rowCap: Int32Array;
  readonly capacity: Int32Array;
  /** Candidates per row (a re-read keeps twice as many). */
  readonly k: number;
  readonly scratch: Scratch;
  readonly shouldStop: () => boolean;
  /** Start from the candidates' reference prices `cands.ref` (estimated duals) with a fine ε. */
  readonly fromRef?: boolean;
  /** Stop at a coarser ε: for estimating prices only (warm.ts), not for a warm start. */
  readonly coarse?: boolean;
}

export function auction(inst: Instance, cands: Candidates, opts: AuctionOptions): AuctionResult {
  const { rowCap, capacity, k, scratch, shouldStop } = opts;
  const warm = opts.fromRef ?? false;
  const coarse = opts.coarse ?? false;
  const n = inst.rows;
  const m = inst.cols;
  // Slots: column j owns slot[slotStart[j] .. slotStart[j] + capacity[j]).
  const slotStart = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) slotStart[j + 1] = slotStart[j] + capacity[j];
  const slotRow = new Int32Array(slotStart[m]).fill(-1);
  const slotPrice = new Float64Array(slotStart[m]);
  const load = new Int32Array(m);
  const rowSlot = new Int32Array(n).fill(-1);
  // Value bound of the pairs left out of each row's list (before any scan: the candidate bound,
  // relative to the reference prices, which are the starting prices).
  const bound = Float64Array.from(cands.kth);
  const wasScanned = new Uint8Array(n);
  const closedMax = new Float64Array(n).fill(-Infinity);

  // The scale of the bidding is the best score: a pair worth ≤ 0 is never bid for (staying
  // unmatched is worth 0), so negative scores, however large, must not coarsen ε. Scores are at
  // most MAX_SCORE (numeric.ts), so ε and every price stay finite.
  let hi = -Infinity;
  for (let i = 0; i < n; i++) for (const s of cands.scores[i]) if (s > hi) hi = s;
  const range = Math.max(hi, 0);
  // The exact phase repairs whatever ε leaves, so ε only has to make the prices good, not exact.
  const epsFinal = coarse ? range / COARSE_EPS : range * 1e-4;
  // Start at range/32 (not coarser): coarse first phases overshoot prices, and the exact phase
  // then re-routes most rows. From estimated prices, ε starts finer: the prices only have to move
  // a little. (Measurements: docs/ENGINE.md, step 5.)
  let eps = hi > 0 ? range / (warm ? COARSE_EPS : 32) : 0; // nothing worth a pair: no bidding at all
  let bids = 0;
  let scans = 0;

  /** Cheapest slot of each column, kept up to date on every bid (a slot keeps its price when
   * freed: ε-scaling relies on prices surviving from one phase to the next). */
  const cheapSlot = Int32Array.from(slotStart.subarray(0, m));
  const cheap = new Float64Array(m);
  const refresh = (j: number) => {
    let best = slotStart[j];
    for (let t = best + 1; t < slotStart[j + 1]; t++) if (slotPrice[t] < slotPrice[best]) best = t;
    cheapSlot[j] = best;
    cheap[j] = slotPrice[best];
  };
  // Columns with no capacity take no bids (their price is set in finish()). Warm: every slot
  // starts at the reference price (prices only rise from there, so the candidate bound, relative
  // to those prices, stays valid).
  for (let j = 0; j < m; j++) {
    if (capacity[j] === 0) cheap[j] = Infinity;
    else if (warm) {
      cheap[j] = cands.ref[j];
      slotPrice.fill(cands.ref[j], slotStart[j], slotStart[j + 1]);
    }
  }
  /** Second-cheapest slot price of column j (Infinity if it has one slot). */
  const secondSlot = (j: number): number => {
    const first = cheapSlot[j];
    let p = Infinity;
    for (let t = slotStart[j]; t < slotStart[j + 1]; t++)
      if (t !== first && slotPrice[t] < p) p = slotPrice[t];
    return p;
  };

  /** Re-reads row i and keeps its best pairs by value at current prices (a longer list than
   * the exact phase gets, so that rescans stay rare as prices rise). */
  // Measured (bench instances, 5,000 × 1,000): short lists win; a bid scans the whole list,
  // and that costs more than the extra rescans a longer list would save.
  const keep = 2 * k;
  const top = new TopList(keep);
  // Closed columns (capacity 0) take no bids: cheap = Infinity keeps them out of every list; the
  // candidate bound (kth) still has to cover them, as value at reference price 0 (closedMax).
  const closed: number[] = [];
  for (let j = 0; j < m; j++) if (capacity[j] === 0) closed.push(j);
  const rescan = (i: number) => {
    scans++;
    const row = viewRow(inst, i, scratch);
    const left = withExcludedPricedOut(inst, i, cheap, () => bestValues(row, m, cheap, keep, top));
    for (const j of closed) {
      if (!allowedAt(row, j) || isExcluded(inst, i, j)) continue;
      const s = scoreAt(row, j);
      if (s > closedMax[i]) closedMax[i] = s;
    }
    const kept = keptPairs(row, top);
    cands.cols[i] = kept.cols;
    cands.scores[i] = kept.scores;
    bound[i] = left;
    wasScanned[i] = 1;
  };

  const queue = new Int32Array(n + 1);
  while (eps > 0 && eps >= epsFinal) {
    if (shouldStop()) return finish();
    // Each phase starts from the prices of the last one, with every row free again.
    slotRow.fill(-1);
    load.fill(0);
    rowSlot.fill(-1);
    let head = 0;
    let tail = 0;
    let size = 0;
    for (let i = 0; i < n; i++)
      if (rowCap[i] > 0 && cands.cols[i].length > 0) ((queue[tail++] = i), size++);
    tail %= n + 1;
    while (size > 0) {
      if ((bids & 1023) === 0 && shouldStop()) return finish();
      const i = queue[head];
      head = (head + 1) % (n + 1);
      size--;
      let rescanned = false;
      for (;;) {
        const cols = cands.cols[i];
        const scores = cands.scores[i];
        let v1 = 0; // staying unmatched is worth 0
        let v2 = 0;
        let j1 = -1;
        let s1 = 0;
        for (let t = 0; t < cols.length; t++) {
          const v = scores[t] - cheap[cols[t]];
          const j = cols[t];
          if (v > v1) {
            v2 = v1;
            v1 = v;
            j1 = j;
            s1 = scores[t];
          } else if (v > v2) v2 = v;
        }
        if (j1 >= 0) {
          const second = secondSlot(j1);
          if (s1 - second > v2) v2 = s1 - second;
        }
        // The list proves the best pair only if nothing left out could be worth more. For the
        // second best, the bound itself may stand in: bidding against a higher second best
        // raises the price less, and the bidder still ends within ε of its best (ε-CS holds).
        if (bound[i] > v1 && !rescanned) {
          rescan(i);
          rescanned = true;
          continue;
        }
        if (bound[i] > v2) v2 = bound[i];
        if (v2 > v1) v2 = v1; // every bid must raise the price by at least ε
        if (j1 < 0) break; // best is to stay unmatched
        bids++;
        const t = cheapSlot[j1];
        const prev = slotRow[t];
        if (prev >= 0) {
          rowSlot[prev] = -1;
          queue[tail] = prev;
          tail = (tail + 1) % (n + 1);
          size++;
        } else load[j1]++;
        slotRow[t] = i;
        slotPrice[t] = s1 - v2 + eps;
        rowSlot[i] = t;
        refresh(j1);
        break;
      }
    }
    eps /= 8;
  }
  return finish();

  /** Cuts row i's list to its best `size` pairs by value at the reference prices, plus its own
   * pair (column `own`, −1: none); kth covers the pairs cut. */
  function trim(i: number, size: number, own: number): void {
    const cols = cands.cols[i];
    if (cols.length <= size) return;
    const scores = cands.scores[i];
    const ref = cands.ref;
    // The best size + 2 (columns ascending, so ties go to the lower column): the first pair cut
    // is the (size + 1)-th best, or the (size + 2)-th when the (size + 1)-th is the row's own.
    top.reset(size + 2);
    for (let t = 0; t < cols.length; t++) top.push(scores[t] - ref[cols[t]], t);
    top.sort();
    let ownAt = -1;
    for (let p = 0; p < top.size; p++) if (cols[top.idx[p]] === own) ownAt = p;
    const firstCut = ownAt === size ? size + 1 : size;
    if (firstCut < top.size && top.val[firstCut] > cands.kth[i]) cands.kth[i] = top.val[firstCut];
    const kept = top.idx.slice(0, size);
    let at = kept;
    if (own >= 0 && !(ownAt >= 0 && ownAt < size)) {
      const t = cols.indexOf(own);
      if (t >= 0) ((at = new Int32Array(size + 1)), at.set(kept), (at[size] = t));
    }
    at.sort();
    cands.cols[i] = gather(cols, at, new Int32Array(at.length));
    cands.scores[i] = gather(scores, at);
  }

  function finish(): AuctionResult {
    const col = new Int32Array(n).fill(-1);
    for (let j = 0; j < m; j++)
      for (let t = slotStart[j]; t < slotStart[j + 1]; t++)
        if (slotRow[t] >= 0) col[slotRow[t]] = j;
    // The exact phase needs price 0 on every column with room left (see FlowNetwork.warmStart).
    const price = new Float64Array(m);
    for (let j = 0; j < m; j++) if (capacity[j] > 0 && load[j] === capacity[j]) price[j] = cheap[j];
    // A closed column is priced just high enough that no listed pair wants it.
    for (let i = 0; i < n; i++) {
      const cols = cands.cols[i];
      for (let t = 0; t < cols.length; t++)
        if (capacity[cols[t]] === 0 && cands.scores[i][t] > price[cols[t]])
          price[cols[t]] = cands.scores[i][t];
    }
    // The candidate bound becomes a value bound against the final slot prices (slot prices only
    // rose since any scan, so what a scan left out is still worth at most bound[i]); rows never
    // scanned keep their candidate bound, valid since prices only rose from the reference ones.
    // Then each long list is cut to its best 2k pairs by value (plus the row's own pair) for the
    // exact phase.
    for (let j = 0; j < m; j++) cands.ref[j] = capacity[j] > 0 ? cheap[j] : 0;
    for (let i = 0; i < n; i++)
      if (wasScanned[i] === 1) cands.kth[i] = Math.max(bound[i], closedMax[i]);
    for (let i = 0; i < n; i++) trim(i, 2 * k, col[i]);
    return { col, price, bids, scans };
  }
}
