import type { CirculationNetwork } from './mincostflow';

/**
 * Successive shortest paths (Dijkstra on reduced costs, residual graph in CSR form) from
 * `source` to `sink`, stopping as soon as the cheapest augmenting path has non-negative cost:
 * flow is optional, so that is the min-cost flow of any amount. Exact with integer data.
 *
 * Each augmentation pushes the path's bottleneck, so the number of rounds depends on the path
 * structure, not on the gram amounts — but it can still reach tens of thousands of Dijkstra
 * runs on large instances. The engine uses the network simplex; this solver is an independent
 * exact reference for tests and the benchmark.
 */
export interface PathSolverResult {
  readonly flow: Float64Array;
  readonly cost: number;
  readonly augmentations: number;
}

export function minCostFlowSuccessivePaths(
  net: CirculationNetwork,
  source: number,
  sink: number,
  /** Arcs to leave out (e.g. the circulation's return arc). */
  excludedArc = -1,
): PathSolverResult {
  const n = net.nodeCount;
  const m = net.arcSource.length;
  const flow = new Float64Array(m);
  // CSR over residual arcs: 2a is a's forward copy, 2a+1 its backward copy.
  const start = new Int32Array(n + 1);
  for (let a = 0; a < m; a++) {
    if (a === excludedArc) continue;
    start[net.arcSource[a] + 1]++;
    start[net.arcTarget[a] + 1]++;
  }
  for (let u = 0; u < n; u++) start[u + 1] += start[u];
  const fill = start.slice(0, n);
  const adj = new Int32Array(start[n]);
  for (let a = 0; a < m; a++) {
    if (a === excludedArc) continue;
    adj[fill[net.arcSource[a]]++] = 2 * a;
    adj[fill[net.arcTarget[a]]++] = 2 * a + 1;
  }
  const residual = (r: number): number => (r & 1 ? flow[r >> 1] : net.arcCapacity[r >> 1] - flow[r >> 1]);
  const head = (r: number): number => (r & 1 ? net.arcSource[r >> 1] : net.arcTarget[r >> 1]);
  const tail = (r: number): number => (r & 1 ? net.arcTarget[r >> 1] : net.arcSource[r >> 1]);
  const rcost = (r: number): number => (r & 1 ? -net.arcCost[r >> 1] : net.arcCost[r >> 1]);

  // Initial potentials by Bellman–Ford (costs may be negative; the network has no negative cycle
  // without the return arc).
  const pi = new Float64Array(n).fill(Infinity);
  pi[source] = 0;
  for (let round = 0; round < n; round++) {
    let changed = false;
    for (let a = 0; a < m; a++) {
      if (a === excludedArc || net.arcCapacity[a] <= 0) continue;
      const u = net.arcSource[a];
      if (pi[u] === Infinity) continue;
      const d = pi[u] + net.arcCost[a];
      if (d < pi[net.arcTarget[a]]) {
        pi[net.arcTarget[a]] = d;
        changed = true;
      }
    }
    if (!changed) break;
  }
  for (let u = 0; u < n; u++) if (pi[u] === Infinity) pi[u] = 0;

  const dist = new Float64Array(n);
  const via = new Int32Array(n);
  const done = new Uint8Array(n);
  const heapNode = new Int32Array(Math.max(1, 2 * m + n));
  const heapKey = new Float64Array(heapNode.length);
  let augmentations = 0;

  for (;;) {
    dist.fill(Infinity);
    done.fill(0);
    dist[source] = 0;
    let size = 0;
    const push = (node: number, key: number): void => {
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heapKey[parent] <= key) break;
        heapNode[i] = heapNode[parent];
        heapKey[i] = heapKey[parent];
        i = parent;
      }
      heapNode[i] = node;
      heapKey[i] = key;
    };
    const pop = (): number => {
      const top = heapNode[0];
      const lastNode = heapNode[--size];
      const lastKey = heapKey[size];
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && heapKey[child + 1] < heapKey[child]) child++;
        if (heapKey[child] >= lastKey) break;
        heapNode[i] = heapNode[child];
        heapKey[i] = heapKey[child];
        i = child;
      }
      heapNode[i] = lastNode;
      heapKey[i] = lastKey;
      return top;
    };
    push(source, 0);
    while (size > 0) {
      const u = pop();
      if (done[u]) continue;
      done[u] = 1;
      for (let k = start[u]; k < start[u + 1]; k++) {
        const r = adj[k];
        if (residual(r) <= 0) continue;
        const v = head(r);
        const d = dist[u] + rcost(r) + pi[u] - pi[v];
        if (d < dist[v]) {
          dist[v] = d;
          via[v] = r;
          push(v, d);
        }
      }
    }
    if (dist[sink] === Infinity) break;
    for (let u = 0; u < n; u++) if (dist[u] !== Infinity) pi[u] += dist[u];
    // With updated potentials, the path's true cost is pi[sink] − pi[source].
    if (pi[sink] - pi[source] >= 0) break;
    let bottleneck = Infinity;
    for (let v = sink; v !== source; v = tail(via[v])) bottleneck = Math.min(bottleneck, residual(via[v]));
    for (let v = sink; v !== source; v = tail(via[v])) {
      const r = via[v];
      flow[r >> 1] += r & 1 ? -bottleneck : bottleneck;
    }
    augmentations++;
  }
  let cost = 0;
  for (let a = 0; a < m; a++) cost += flow[a] * net.arcCost[a];
  return { flow, cost, augmentations };
}
