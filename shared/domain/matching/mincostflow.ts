/**
 * Exact minimum-cost circulation by the primal network simplex method.
 *
 * The tree bookkeeping (parent / pred / thread / succ_num / last_succ) follows the classic
 * formulation used by LEMON's NetworkSimplex with a block-search pivot rule: the entering arc is
 * the most negative reduced cost within a block of arcs, so each pivot costs the block plus the
 * length of the cycle plus the re-priced part of the tree. The work per pivot does not depend on
 * capacities, and the flow on every arc stays integral when capacities are integral.
 *
 * All supplies are zero: the caller closes the network with a return arc (sink → source), and
 * negative-cost cycles through it are what the method cancels. Costs and capacities must be
 * integers; amounts are kept in Float64Array so sums up to 2^53 stay exact.
 *
 * Each step is its own small method: V8 then optimises (and, on a branch first taken late,
 * re-optimises) small pieces instead of one large loop, which halves the cold-start time.
 */

export interface CirculationNetwork {
  readonly nodeCount: number;
  readonly arcSource: Int32Array;
  readonly arcTarget: Int32Array;
  /** Upper bound of each arc (lower bound is 0); finite. */
  readonly arcCapacity: Float64Array;
  readonly arcCost: Float64Array;
}

export interface CirculationResult {
  readonly flow: Float64Array;
  /** Σ flow × cost over the caller's arcs. */
  readonly cost: number;
  readonly pivots: number;
}

const STATE_UPPER = -1;
const STATE_TREE = 0;
const STATE_LOWER = 1;
const DIR_UP = 1;
const DIR_DOWN = -1;
const POTENTIAL_DRIFT_LIMIT = 2 ** 40;

/**
 * `searchStages`: optional increasing arc-count prefixes. The simplex first prices only the
 * first stages[0] arcs until none of them improves, then the next prefix, and finally all arcs,
 * so the result is always optimal for the whole network.
 */
export function minCostCirculation(net: CirculationNetwork, searchStages: readonly number[] = []): CirculationResult {
  const m = net.arcSource.length;
  if (net.nodeCount === 0) return { flow: new Float64Array(0), cost: 0, pivots: 0 };
  const simplex = new NetworkSimplex(net);
  let pivots = 0;
  for (const limit of [...searchStages.filter((s) => s > 0 && s < m), m]) {
    simplex.searchM = limit;
    simplex.nextArc = 0;
    while (simplex.findEnteringArc()) {
      simplex.pivot();
      pivots++;
    }
  }
  const flow = simplex.flow.slice(0, m);
  for (let a = m; a < simplex.flow.length; a++) {
    if (simplex.flow[a] !== 0) throw new Error('minCostCirculation: artificial arc carries flow');
  }
  let cost = 0;
  for (let a = 0; a < m; a++) cost += flow[a] * net.arcCost[a];
  return { flow, cost, pivots };
}

class NetworkSimplex {
  readonly n: number;
  readonly m: number;
  readonly root: number;
  readonly source: Int32Array;
  readonly target: Int32Array;
  readonly cap: Float64Array;
  readonly cost: Float64Array;
  readonly flow: Float64Array;
  readonly state: Int8Array;
  readonly parent: Int32Array;
  readonly pred: Int32Array;
  readonly thread: Int32Array;
  readonly revThread: Int32Array;
  readonly succNum: Int32Array;
  readonly lastSucc: Int32Array;
  readonly predDir: Int8Array;
  readonly pi: Float64Array;
  readonly dirtyRevs: Int32Array;
  readonly blockSize: number;
  nextArc = 0;
  searchM = 0;
  // The current pivot.
  inArc = -1;
  join = -1;
  uIn = -1;
  vIn = -1;
  uOut = -1;
  delta = 0;

  constructor(net: CirculationNetwork) {
    const n = net.nodeCount;
    const m = net.arcSource.length;
    const all = m + n;
    const root = n;
    this.n = n;
    this.m = m;
    this.root = root;
    this.source = new Int32Array(all);
    this.target = new Int32Array(all);
    this.cap = new Float64Array(all);
    this.cost = new Float64Array(all);
    this.flow = new Float64Array(all);
    this.state = new Int8Array(all);
    this.source.set(net.arcSource);
    this.target.set(net.arcTarget);
    this.cap.set(net.arcCapacity);
    this.cost.set(net.arcCost);
    this.state.fill(STATE_LOWER, 0, m);
    this.parent = new Int32Array(n + 1);
    this.pred = new Int32Array(n + 1);
    this.thread = new Int32Array(n + 1);
    this.revThread = new Int32Array(n + 1);
    this.succNum = new Int32Array(n + 1);
    this.lastSucc = new Int32Array(n + 1);
    this.predDir = new Int8Array(n + 1);
    this.pi = new Float64Array(n + 1);
    this.dirtyRevs = new Int32Array(n + 1);
    // Small blocks (~0.07·√m arcs) were fastest on our market instances: with cheap re-pricing,
    // more but cheaper pivots beat a wider search.
    this.blockSize = Math.max(10, Math.ceil(0.07 * Math.sqrt(m)));

    // Initial strongly feasible tree: every node hangs from the artificial root by an
    // artificial arc u → root of cost 0 and unbounded capacity, carrying no flow.
    this.parent[root] = -1;
    this.pred[root] = -1;
    this.thread[root] = 0;
    this.revThread[0] = root;
    this.succNum[root] = n + 1;
    this.lastSucc[root] = root - 1;
    for (let u = 0, e = m; u < n; u++, e++) {
      this.parent[u] = root;
      this.pred[u] = e;
      this.thread[u] = u + 1;
      this.revThread[u + 1] = u;
      this.succNum[u] = 1;
      this.lastSucc[u] = u;
      this.cap[e] = Infinity;
      this.state[e] = STATE_TREE;
      this.predDir[u] = DIR_UP;
      this.source[e] = u;
      this.target[e] = root;
    }
  }

  /** Block search: the most negative reduced cost in the first block that has one. */
  findEnteringArc(): boolean {
    const { state, cost, pi, source, target, blockSize } = this;
    const m = this.searchM;
    let inArc = -1;
    let best = 0;
    let cnt = blockSize;
    let e = this.nextArc;
    // One loop that wraps around (rather than two) keeps V8's type feedback in one place.
    for (let scanned = 0; scanned < m; scanned++) {
      const c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]]);
      if (c < best) {
        best = c;
        inArc = e;
      }
      if (++e === m) e = 0;
      if (--cnt === 0) {
        if (best < 0) break;
        cnt = blockSize;
      }
    }
    if (best >= 0) return false;
    this.nextArc = e;
    this.inArc = inArc;
    return true;
  }

  pivot(): void {
    this.findJoinNode();
    const change = this.findLeavingArc();
    this.changeFlow(change);
    if (change) {
      this.updateTreeStructure();
      this.updatePotential();
    }
  }

  /** The lowest common ancestor of the entering arc's ends. */
  findJoinNode(): void {
    const { succNum, parent } = this;
    let u = this.source[this.inArc];
    let v = this.target[this.inArc];
    while (u !== v) {
      if (succNum[u] < succNum[v]) u = parent[u];
      else v = parent[v];
    }
    this.join = u;
  }

  /** The first blocking arc in cycle orientation (the strongly feasible rule). */
  findLeavingArc(): boolean {
    const { parent, pred, predDir, flow, cap, join, inArc } = this;
    let first: number;
    let second: number;
    if (this.state[inArc] === STATE_LOWER) {
      first = this.source[inArc];
      second = this.target[inArc];
    } else {
      first = this.target[inArc];
      second = this.source[inArc];
    }
    let delta = cap[inArc];
    let result = 0;
    for (let w = first; w !== join; w = parent[w]) {
      const a = pred[w];
      const d = predDir[w] === DIR_DOWN ? cap[a] - flow[a] : flow[a];
      if (d < delta) {
        delta = d;
        this.uOut = w;
        result = 1;
      }
    }
    for (let w = second; w !== join; w = parent[w]) {
      const a = pred[w];
      const d = predDir[w] === DIR_UP ? cap[a] - flow[a] : flow[a];
      if (d <= delta) {
        delta = d;
        this.uOut = w;
        result = 2;
      }
    }
    if (delta === Infinity) throw new Error('minCostCirculation: unbounded negative cycle');
    if (result === 1) {
      this.uIn = first;
      this.vIn = second;
    } else {
      this.uIn = second;
      this.vIn = first;
    }
    this.delta = delta;
    return result !== 0;
  }

  /** Pushes delta around the cycle; flips the entering arc when it is its own bottleneck. */
  changeFlow(change: boolean): void {
    const { parent, pred, predDir, flow, state, inArc, join } = this;
    if (this.delta > 0) {
      const val = state[inArc] * this.delta;
      flow[inArc] += val;
      for (let w = this.source[inArc]; w !== join; w = parent[w]) flow[pred[w]] -= predDir[w] * val;
      for (let w = this.target[inArc]; w !== join; w = parent[w]) flow[pred[w]] += predDir[w] * val;
    }
    if (change) {
      const out = pred[this.uOut];
      state[inArc] = STATE_TREE;
      state[out] = flow[out] === 0 ? STATE_LOWER : STATE_UPPER;
    } else {
      state[inArc] = -state[inArc];
    }
  }

  /** Re-hangs the subtree cut off by the leaving arc under the entering arc. */
  updateTreeStructure(): void {
    const { parent, pred, predDir, thread, revThread, succNum, lastSucc, source, inArc, uIn, vIn, uOut, join } = this;
    const oldRevThread = revThread[uOut];
    const oldSuccNum = succNum[uOut];
    const oldLastSucc = lastSucc[uOut];
    const vOut = parent[uOut];

    if (uIn === uOut) {
      parent[uIn] = vIn;
      pred[uIn] = inArc;
      predDir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN;
      if (thread[vIn] !== uOut) {
        let after = thread[oldLastSucc];
        thread[oldRevThread] = after;
        revThread[after] = oldRevThread;
        after = thread[vIn];
        thread[vIn] = uOut;
        revThread[uOut] = vIn;
        thread[oldLastSucc] = after;
        revThread[after] = oldLastSucc;
      }
    } else {
      this.reverseStem(oldRevThread, oldLastSucc, oldSuccNum);
    }

    const upLimitOut = lastSucc[join] === vIn ? join : -1;
    const lastSuccOut = lastSucc[uOut];
    for (let w = vIn; w !== -1 && lastSucc[w] === vIn; w = parent[w]) lastSucc[w] = lastSuccOut;
    if (join !== oldRevThread && vIn !== oldRevThread) {
      for (let w = vOut; w !== upLimitOut && lastSucc[w] === oldLastSucc; w = parent[w]) lastSucc[w] = oldRevThread;
    } else if (lastSuccOut !== oldLastSucc) {
      for (let w = vOut; w !== upLimitOut && lastSucc[w] === oldLastSucc; w = parent[w]) lastSucc[w] = lastSuccOut;
    }
    for (let w = vIn; w !== join; w = parent[w]) succNum[w] += oldSuccNum;
    for (let w = vOut; w !== join; w = parent[w]) succNum[w] -= oldSuccNum;
  }

  /** The general case: the stem from uIn up to uOut flips, each node becoming its parent's parent. */
  reverseStem(oldRevThread: number, oldLastSucc: number, oldSuccNum: number): void {
    const { parent, pred, predDir, thread, revThread, succNum, lastSucc, source, dirtyRevs, inArc, uIn, vIn, uOut } =
      this;
    const threadContinue = oldRevThread === vIn ? thread[oldLastSucc] : thread[vIn];
    let stem = uIn;
    let parStem = vIn;
    let last = lastSucc[uIn];
    let after = thread[last];
    thread[vIn] = uIn;
    let dirty = 0;
    dirtyRevs[dirty++] = vIn;
    while (stem !== uOut) {
      const nextStem = parent[stem];
      thread[last] = nextStem;
      dirtyRevs[dirty++] = last;
      const before = revThread[stem];
      thread[before] = after;
      revThread[after] = before;
      parent[stem] = parStem;
      parStem = stem;
      stem = nextStem;
      last = lastSucc[stem] === lastSucc[parStem] ? revThread[parStem] : lastSucc[stem];
      after = thread[last];
    }
    parent[uOut] = parStem;
    thread[last] = threadContinue;
    revThread[threadContinue] = last;
    lastSucc[uOut] = last;
    if (oldRevThread !== vIn) {
      thread[oldRevThread] = after;
      revThread[after] = oldRevThread;
    }
    for (let i = 0; i < dirty; i++) {
      const w = dirtyRevs[i];
      revThread[thread[w]] = w;
    }
    let tmpSc = 0;
    const tmpLs = lastSucc[uOut];
    for (let w = uOut, p = parent[w]; w !== uIn; w = p, p = parent[w]) {
      pred[w] = pred[p];
      predDir[w] = -predDir[p];
      tmpSc += succNum[w] - succNum[p];
      succNum[w] = tmpSc;
      lastSucc[p] = tmpLs;
    }
    pred[uIn] = inArc;
    predDir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN;
    succNum[uIn] = oldSuccNum;
  }

  /**
   * Re-prices so the entering arc has reduced cost 0. Shifting the moved subtree by +sigma or
   * everything else by −sigma gives the same reduced costs (potentials matter only up to a
   * constant), so walk whichever part is smaller: late pivots often move most of the tree.
   */
  updatePotential(): void {
    const { pi, thread, uIn, vIn, root } = this;
    const sigma = pi[vIn] - pi[uIn] - this.predDir[uIn] * this.cost[this.inArc];
    const end = thread[this.lastSucc[uIn]];
    if (2 * this.succNum[uIn] <= this.n + 1) {
      for (let w = uIn; w !== end; w = thread[w]) pi[w] += sigma;
      return;
    }
    for (let w = root; w !== uIn; w = thread[w]) pi[w] -= sigma;
    for (let w = end; w !== root; w = thread[w]) pi[w] -= sigma;
    // Keep magnitudes small (and exact) by re-centring on the root now and then.
    if (Math.abs(pi[root]) > POTENTIAL_DRIFT_LIMIT) {
      const shift = pi[root];
      for (let w = 0; w <= this.n; w++) pi[w] -= shift;
    }
  }
}
