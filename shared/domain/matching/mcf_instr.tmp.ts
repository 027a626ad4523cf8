export const H = { cnt: [0, 0, 0, 0], sum: [0, 0, 0, 0], big: [] as string[] };
/**
 * Exact minimum-cost circulation by the primal network simplex method.
 *
 * The tree bookkeeping (parent / pred / thread / succ_num / last_succ) follows the classic
 * formulation used by LEMON's NetworkSimplex with a block-search pivot rule: the entering arc is
 * the most negative reduced cost within a block of ~sqrt(m) arcs, so each pivot costs O(sqrt m)
 * plus the length of the cycle. The work per pivot does not depend on capacities, and the
 * flow on every arc stays integral when capacities are integral.
 *
 * All supplies are zero: the caller closes the network with a return arc (sink → source), and
 * negative-cost cycles through it are what the method cancels. Costs and capacities must be
 * integers; amounts are kept in Float64Array so sums up to 2^53 stay exact.
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

export function minCostCirculation(net: CirculationNetwork): CirculationResult {
  const n = net.nodeCount;
  const m = net.arcSource.length;
  const root = n;
  const all = m + n;

  const source = new Int32Array(all);
  const target = new Int32Array(all);
  const cap = new Float64Array(all);
  const cost = new Float64Array(all);
  const flow = new Float64Array(all);
  const state = new Int8Array(all);
  source.set(net.arcSource);
  target.set(net.arcTarget);
  cap.set(net.arcCapacity);
  cost.set(net.arcCost);
  for (let e = 0; e < m; e++) state[e] = STATE_LOWER;

  const parent = new Int32Array(n + 1);
  const pred = new Int32Array(n + 1);
  const thread = new Int32Array(n + 1);
  const revThread = new Int32Array(n + 1);
  const succNum = new Int32Array(n + 1);
  const lastSucc = new Int32Array(n + 1);
  const predDir = new Int8Array(n + 1);
  const pi = new Float64Array(n + 1);
  const dirtyRevs = new Int32Array(n + 1);

  // Initial strongly feasible tree: every node hangs from the artificial root by an
  // artificial arc u → root of cost 0 and unbounded capacity, carrying no flow.
  parent[root] = -1;
  pred[root] = -1;
  thread[root] = 0;
  revThread[0] = root;
  succNum[root] = n + 1;
  lastSucc[root] = root - 1;
  for (let u = 0, e = m; u < n; u++, e++) {
    parent[u] = root;
    pred[u] = e;
    thread[u] = u + 1;
    revThread[u + 1] = u;
    succNum[u] = 1;
    lastSucc[u] = u;
    cap[e] = Infinity;
    state[e] = STATE_TREE;
    predDir[u] = DIR_UP;
    source[e] = u;
    target[e] = root;
  }
  if (n === 0) return { flow: new Float64Array(0), cost: 0, pivots: 0 };

  // A block of 0.3·√m arcs balanced pricing against tree updates best on our market instances.
  const blockSize = Math.max(10, Math.ceil(0.3 * Math.sqrt(m)));
  let nextArc = 0;
  let pivots = 0;

  for (;;) {
    // --- block search for the entering arc ---
    let inArc = -1;
    let best = 0;
    let cnt = blockSize;
    let e = nextArc;
    let found = false;
    for (; e < m; e++) {
      const c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]]);
      if (c < best) {
        best = c;
        inArc = e;
      }
      if (--cnt === 0) {
        if (best < 0) {
          found = true;
          e++;
          break;
        }
        cnt = blockSize;
      }
    }
    if (!found) {
      for (e = 0; e < nextArc; e++) {
        const c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]]);
        if (c < best) {
          best = c;
          inArc = e;
        }
        if (--cnt === 0) {
          if (best < 0) {
            e++;
            break;
          }
          cnt = blockSize;
        }
      }
      if (best >= 0) break;
    }
    nextArc = e;
    pivots++;

    // --- join node: the lowest common ancestor of the entering arc's ends ---
    let u = source[inArc];
    let v = target[inArc];
    while (u !== v) {

      if (succNum[u] < succNum[v]) u = parent[u];
      else v = parent[v];
    }
    const join = u;

    // --- leaving arc: the first blocking arc in cycle orientation (strongly feasible rule) ---
    let first: number;
    let second: number;
    if (state[inArc] === STATE_LOWER) {
      first = source[inArc];
      second = target[inArc];
    } else {
      first = target[inArc];
      second = source[inArc];
    }
    let delta = cap[inArc];
    let result = 0;
    let uOut = -1;
    for (let w = first; w !== join; w = parent[w]) {
      const a = pred[w];
      const d = predDir[w] === DIR_DOWN ? cap[a] - flow[a] : flow[a];
      if (d < delta) {
        delta = d;
        uOut = w;
        result = 1;
      }
    }
    for (let w = second; w !== join; w = parent[w]) {
      const a = pred[w];
      const d = predDir[w] === DIR_UP ? cap[a] - flow[a] : flow[a];
      if (d <= delta) {
        delta = d;
        uOut = w;
        result = 2;
      }
    }
    let uIn: number;
    let vIn: number;
    if (result === 1) {
      uIn = first;
      vIn = second;
    } else {
      uIn = second;
      vIn = first;
    }
    if (delta === Infinity) throw new Error('minCostCirculation: unbounded negative cycle');

    // --- push delta around the cycle ---
    if (delta > 0) {
      const val = state[inArc] * delta;
      flow[inArc] += val;
      for (let w = source[inArc]; w !== join; w = parent[w]) flow[pred[w]] -= predDir[w] * val;
      for (let w = target[inArc]; w !== join; w = parent[w]) flow[pred[w]] += predDir[w] * val;
    }
    if (result === 0) {
      // The entering arc itself is the bottleneck: it only flips between its bounds.
      state[inArc] = -state[inArc];
      continue;
    }
    state[inArc] = STATE_TREE;
    state[pred[uOut]] = flow[pred[uOut]] === 0 ? STATE_LOWER : STATE_UPPER;

    // --- re-hang the subtree: update parent, thread, succ_num, last_succ ---
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

    const upLimitOut = lastSucc[join] === vIn ? join : -1;
    const lastSuccOut = lastSucc[uOut];
    for (let w = vIn; w !== -1 && lastSucc[w] === vIn; w = parent[w]) lastSucc[w] = lastSuccOut;
    if (join !== oldRevThread && vIn !== oldRevThread) {
      for (let w = vOut; w !== upLimitOut && lastSucc[w] === oldLastSucc; w = parent[w]) {
        lastSucc[w] = oldRevThread;
      }
    } else if (lastSuccOut !== oldLastSucc) {
      for (let w = vOut; w !== upLimitOut && lastSucc[w] === oldLastSucc; w = parent[w]) {
        lastSucc[w] = lastSuccOut;
      }
    }
    for (let w = vIn; w !== join; w = parent[w]) succNum[w] += oldSuccNum;
    for (let w = vOut; w !== join; w = parent[w]) succNum[w] -= oldSuccNum;

    // --- shift potentials of the moved subtree so the entering arc has reduced cost 0 ---
    { const sz = succNum[uIn]; const b = sz < 10 ? 0 : sz < 100 ? 1 : sz < 1000 ? 2 : 3; H.cnt[b]++; H.sum[b] += sz; if (sz >= 1000) H.big.push(uOut + ':' + pred[uOut] + ':' + (uOut === uIn ? 's' : 'd')); }
    const sigma = pi[vIn] - pi[uIn] - predDir[uIn] * cost[inArc];
    const end = thread[lastSucc[uIn]];
    for (let w = uIn; w !== end; w = thread[w]) pi[w] += sigma;
  }

  for (let a = m; a < all; a++) {
    if (flow[a] !== 0) throw new Error('minCostCirculation: artificial arc carries flow');
  }
  const out = flow.slice(0, m);
  let total = 0;
  for (let a = 0; a < m; a++) total += out[a] * cost[a];
  return { flow: out, cost: total, pivots };
}
