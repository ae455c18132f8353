/**
 * Network flows on typed arrays, for the leader scheduler (docs/LATENCY.md §3).
 *
 * - `FlowNetwork`: a residual graph in CSR form (edge `e` and its reverse `e ^ 1`), with Dinic's max-flow
 *   (iterative DFS, no recursion) and a primal–dual min-cost flow (Dijkstra with potentials, then blocking
 *   flows on the zero-reduced-cost subgraph), which also returns its final potentials: a dual certificate
 *   (every residual edge has a nonnegative reduced cost), used by the solver to price out edges it left out.
 * - **Gated edges.** An edge may carry a gate key; `setGate(K)` makes exactly the gated edges with key `≤ K`
 *   usable (plus every ungated edge). The reverse edge of a gated edge has the same key (its residual
 *   capacity is the forward flow, zero on an unusable edge, so hiding it loses nothing). Per vertex, gated
 *   edges (forward and reverse) are stored after the ungated ones in nondecreasing key order, so a vertex's
 *   usable adjacency is a prefix of its CSR row: raising the gate costs `O(V log deg)`, and every scan
 *   touches only usable edges (a dense bipartite graph gated at a low threshold is scanned as a sparse one).
 *   The threshold search of the
 *   solver raises the gate and keeps the flow it has (more edges never invalidate a flow), and lowers it
 *   only after restoring a snapshot taken at a lower gate.
 * - `Circulation`: feasibility of a circulation with lower bounds by the standard transformation (edge
 *   `u → v` with `[l, c]` becomes capacity `c − l`, `l` of excess at `v` and `l` of deficit at `u`; a super
 *   source feeds every excess, a super sink drains every deficit; feasible iff the max flow saturates them),
 *   extraction of the integral flow, and, when infeasible, of a Hoffman-violating vertex set `S` of the
 *   ORIGINAL network: the vertices reachable from the super source in the residual graph of a max flow.
 *   Why that set violates Hoffman's condition: the min cut `X` has capacity `< D = Σ excess⁺`, i.e.
 *   `Σ_{v∉X} exc⁺(v) + Σ_{v∈X} exc⁻(v) + Σ_{out of X}(c − l) < Σ_v exc⁺(v)`, so
 *   `Σ_{v∈X} (exc⁺ − exc⁻)(v) > Σ_{out of X} (c − l)`; the left side telescopes to
 *   `Σ_{into X} l − Σ_{out of X} l`, hence `lowerIn(X) > upperOut(X)`; and no infinite edge leaves `X`
 *   (its residual capacity would make its head reachable). `violatingSet()` re-checks both facts on the
 *   original edges and throws if they fail (that would be a bug).
 *
 * Capacities and costs are integers held in Float64Array (exact below 2^53). `INFINITE` (2^40) stands for
 * an unbounded capacity; flows never come near it.
 */

/** A capacity treated as unbounded (no flow can reach it). */
export const INFINITE = 2 ** 40;

class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

class GrowableFloat64 {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

/**
 * The permutation that sorts `keys` (stable). Integer keys in [0, 2^32) with fewer than 2^21 entries are
 * sorted as composite numbers key·2^21 + index by the native typed-array sort; other keys by ranks (native
 * sort of the keys, binary search, counting sort).
 */
export function sortedOrder(keys: Float64Array): Int32Array {
  const N = keys.length;
  const order = new Int32Array(N);
  let small = N < 2 ** 21;
  for (let c = 0; c < N && small; c++) {
    const x = keys[c]!;
    small = Number.isInteger(x) && x >= 0 && x < 2 ** 32;
  }
  if (small) {
    const composite = new Float64Array(N);
    for (let c = 0; c < N; c++) composite[c] = keys[c]! * 2 ** 21 + c;
    composite.sort();
    for (let c = 0; c < N; c++) order[c] = composite[c]! % 2 ** 21;
    return order;
  }
  const distinct = keys.slice().sort();
  let d = 0;
  for (let c = 0; c < N; c++) if (c === 0 || distinct[c] !== distinct[d - 1]) distinct[d++] = distinct[c]!;
  const rank = new Int32Array(N);
  const bucket = new Int32Array(d + 1);
  for (let c = 0; c < N; c++) {
    let lo = 0;
    let hi = d - 1;
    const x = keys[c]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    rank[c] = lo;
    bucket[lo + 1]!++;
  }
  for (let r = 0; r < d; r++) bucket[r + 1]! += bucket[r]!;
  for (let c = 0; c < N; c++) order[bucket[rank[c]!]!++] = c;
  return order;
}

/** Result of a min-cost flow run. */
export interface MinCostResult {
  /** Flow pushed from the source to the sink by this call. */
  flow: number;
  /** Cost of the pushed flow (Σ cost · flow over the edges it used, reverse edges counted negatively). */
  cost: number;
  /** Dijkstra phases (distinct shortest-path lengths). */
  phases: number;
  /**
   * Vertex potentials π with cost(e) + π(tail) − π(head) ≥ 0 on every residual edge at the end: with them, an
   * edge that was not in the network can be priced out (if its reduced cost is ≥ 0, adding it changes
   * nothing).
   */
  potential: Float64Array;
}

/** A directed graph with residual capacities; build once with `addEdge` … `build()`. */
export class FlowNetwork {
  readonly numVertices: number;
  private readonly fromB: GrowableInt32;
  private readonly toB: GrowableInt32;
  private readonly capB: GrowableFloat64;
  private readonly costB: GrowableFloat64;
  /** Gate key of forward edge e (NaN: ungated). */
  private readonly gateB: GrowableFloat64;
  private built = false;

  /** Head of edge e (2 per added edge: e forward, e ^ 1 reverse). */
  to!: Int32Array;
  /** Residual capacity of edge e. */
  cap!: Float64Array;
  /** Capacity at build time (the forward capacity, 0 for reverse edges). */
  origCap!: Float64Array;
  cost!: Float64Array;
  /** CSR: the adjacency of v is adj[start[v] .. start[v+1]); usable prefix adj[start[v] .. end[v]). */
  start!: Int32Array;
  adj!: Int32Array;
  end!: Int32Array;
  private ungatedEnd!: Int32Array;
  /** gateAt[p]: the gate key of the edge at CSR position p (gated part only). */
  private gateAt!: Float64Array;
  private gate = -Infinity;

  private level!: Int32Array;
  private iter!: Int32Array;
  private queue!: Int32Array;
  private pathEdges!: Int32Array;

  constructor(numVertices: number, edgeHint = 16) {
    this.numVertices = numVertices;
    this.fromB = new GrowableInt32(edgeHint);
    this.toB = new GrowableInt32(edgeHint);
    this.capB = new GrowableFloat64(edgeHint);
    this.costB = new GrowableFloat64(edgeHint);
    this.gateB = new GrowableFloat64(edgeHint);
  }

  /**
   * Adds edge u → v with capacity `cap` and cost `cost`; returns its id (the forward edge index is 2·id).
   */
  addEdge(u: number, v: number, cap: number, cost = 0, gate?: number): number {
    if (this.built) throw new Error("FlowNetwork: addEdge after build");
    if (!(u >= 0 && u < this.numVertices && v >= 0 && v < this.numVertices)) {
      throw new Error(`FlowNetwork: edge ${u} -> ${v} out of range`);
    }
    if (!(cap >= 0)) throw new Error(`FlowNetwork: negative capacity ${cap}`);
    const id = this.fromB.length;
    this.fromB.push(u);
    this.toB.push(v);
    this.capB.push(cap);
    this.costB.push(cost);
    this.gateB.push(gate === undefined ? NaN : gate);
    return id;
  }

  get edgeCount(): number {
    return this.fromB.length;
  }

  build(): void {
    if (this.built) return;
    this.built = true;
    const V = this.numVertices;
    const M = this.fromB.length;
    const from = this.fromB.data;
    const toIn = this.toB.data;
    const gateIn = this.gateB.data;
    this.to = new Int32Array(2 * M);
    this.cap = new Float64Array(2 * M);
    this.cost = new Float64Array(2 * M);
    const ungatedCount = new Int32Array(V);
    const degree = new Int32Array(V);
    let gatedCount = 0;
    for (let k = 0; k < M; k++) {
      const u = from[k]!;
      const v = toIn[k]!;
      this.to[2 * k] = v;
      this.to[2 * k + 1] = u;
      this.cap[2 * k] = this.capB.data[k]!;
      this.cost[2 * k] = this.costB.data[k]!;
      this.cost[2 * k + 1] = -this.costB.data[k]!;
      degree[u]!++;
      degree[v]!++;
      if (Number.isNaN(gateIn[k]!)) {
        ungatedCount[u]!++;
        ungatedCount[v]!++;
      } else gatedCount++;
    }
    this.origCap = this.cap.slice();
    this.start = new Int32Array(V + 1);
    for (let v = 0; v < V; v++) this.start[v + 1] = this.start[v]! + degree[v]!;
    this.ungatedEnd = new Int32Array(V);
    const fillUngated = new Int32Array(V);
    const fillGated = new Int32Array(V);
    for (let v = 0; v < V; v++) {
      fillUngated[v] = this.start[v]!;
      this.ungatedEnd[v] = this.start[v]! + ungatedCount[v]!;
      fillGated[v] = this.ungatedEnd[v]!;
    }
    this.adj = new Int32Array(2 * M);
    this.gateAt = new Float64Array(2 * M);
    // gated edges in nondecreasing key order (a counting sort on the ranks of the keys), so that every
    // vertex's gated section, forward and reverse edges alike, is sorted
    const gated = new Int32Array(gatedCount);
    const keys = new Float64Array(gatedCount);
    {
      let c = 0;
      for (let k = 0; k < M; k++) {
        if (Number.isNaN(gateIn[k]!)) {
          this.adj[fillUngated[from[k]!]!++] = 2 * k;
          this.adj[fillUngated[toIn[k]!]!++] = 2 * k + 1;
        } else {
          gated[c] = k;
          keys[c++] = gateIn[k]!;
        }
      }
    }
    const order = sortedOrder(keys);
    for (let o = 0; o < gatedCount; o++) {
      const c = order[o]!;
      const k = gated[c]!;
      const g = keys[c]!;
      const pu = fillGated[from[k]!]!++;
      this.adj[pu] = 2 * k;
      this.gateAt[pu] = g;
      const pv = fillGated[toIn[k]!]!++;
      this.adj[pv] = 2 * k + 1;
      this.gateAt[pv] = g;
    }
    this.end = this.ungatedEnd.slice();
    this.gate = -Infinity;
    this.level = new Int32Array(V);
    this.iter = new Int32Array(V);
    this.queue = new Int32Array(V);
    this.pathEdges = new Int32Array(V + 1);
  }

  /** The current gate key. */
  get currentGate(): number {
    return this.gate;
  }

  /**
   * Makes the gated edges with key ≤ `key` usable and the others unusable. Lowering the gate requires a
   * zero flow on every edge it disables (restore a snapshot first); this is checked.
   */
  setGate(key: number): void {
    this.build();
    const V = this.numVertices;
    const next = new Int32Array(V);
    for (let v = 0; v < V; v++) {
      let lo = this.ungatedEnd[v]!;
      let hi = this.start[v + 1]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.gateAt[mid]! <= key) lo = mid + 1;
        else hi = mid;
      }
      for (let p = lo; p < this.end[v]!; p++) {
        const e = this.adj[p]!;
        if (this.cap[e] !== this.origCap[e]) {
          throw new Error("FlowNetwork: lowering the gate over an edge that carries flow");
        }
      }
      next[v] = lo;
    }
    this.end.set(next);
    this.gate = key;
  }

  /** Number of usable forward edges (gated ones at the current gate included). */
  usableEdgeCount(): number {
    let c = 0;
    for (let v = 0; v < this.numVertices; v++) {
      for (let p = this.start[v]!; p < this.end[v]!; p++) if ((this.adj[p]! & 1) === 0) c++;
    }
    return c;
  }

  /** Flow on the forward edge of id `id` (its capacity minus its residual capacity). */
  flowOf(id: number): number {
    return this.origCap[2 * id]! - this.cap[2 * id]!;
  }

  resetFlow(): void {
    this.cap.set(this.origCap);
  }

  saveFlow(): Float64Array {
    return this.cap.slice();
  }

  /** Restores a snapshot from `saveFlow` (call before lowering the gate). */
  restoreFlow(snapshot: Float64Array): void {
    this.cap.set(snapshot);
  }

  /** BFS levels from `src` over residual edges (only `admissible` ones when given); true iff `snk` is reached. */
  private bfsLevels(src: number, snk: number, admissible?: (e: number) => boolean): boolean {
    const level = this.level;
    level.fill(-1);
    const q = this.queue;
    let head = 0;
    let tail = 0;
    q[tail++] = src;
    level[src] = 0;
    const { start, end, adj, cap, to } = this;
    while (head < tail) {
      const v = q[head++]!;
      const lv = level[v]! + 1;
      for (let p = start[v]!, pe = end[v]!; p < pe; p++) {
        const e = adj[p]!;
        if (cap[e]! > 0) {
          const w = to[e]!;
          if (level[w]! < 0 && (admissible === undefined || admissible(e))) {
            level[w] = lv;
            q[tail++] = w;
          }
        }
      }
    }
    return level[snk]! >= 0;
  }

  /** Blocking flow in the level graph (iterative DFS), at most `limit`. */
  private blockingFlow(src: number, snk: number, limit: number, admissible?: (e: number) => boolean): number {
    const { start, end, adj, cap, to, level, iter, pathEdges } = this;
    for (let v = 0; v < this.numVertices; v++) iter[v] = start[v]!;
    let total = 0;
    let depth = 0;
    let v = src;
    while (total < limit) {
      if (v === snk) {
        let f = limit - total;
        for (let k = 0; k < depth; k++) {
          const c = cap[pathEdges[k]!]!;
          if (c < f) f = c;
        }
        let firstSaturated = -1;
        for (let k = 0; k < depth; k++) {
          const e = pathEdges[k]!;
          cap[e] = cap[e]! - f;
          cap[e ^ 1] = cap[e ^ 1]! + f;
          if (firstSaturated < 0 && cap[e] === 0) firstSaturated = k;
        }
        total += f;
        if (firstSaturated < 0) break; // only the limit stopped us
        depth = firstSaturated;
        v = to[pathEdges[depth]! ^ 1]!;
        continue;
      }
      let advanced = false;
      const lv = level[v]! + 1;
      for (let p = iter[v]!, pe = end[v]!; p < pe; p++) {
        const e = adj[p]!;
        if (cap[e]! > 0 && level[to[e]!] === lv && (admissible === undefined || admissible(e))) {
          iter[v] = p;
          pathEdges[depth++] = e;
          v = to[e]!;
          advanced = true;
          break;
        }
      }
      if (!advanced) {
        iter[v] = end[v]!;
        level[v] = -1; // dead end
        if (depth === 0) break;
        depth--;
        v = to[pathEdges[depth]! ^ 1]!;
        iter[v]!++;
      }
    }
    return total;
  }

  /** Dinic: augments the current flow by up to `limit` from `src` to `snk`; returns the amount added. */
  maxflow(src: number, snk: number, limit = Infinity): number {
    this.build();
    let total = 0;
    while (total < limit && this.bfsLevels(src, snk)) {
      const f = this.blockingFlow(src, snk, limit - total);
      if (f === 0) break;
      total += f;
    }
    return total;
  }

  /** Vertices reachable from `src` through edges with positive residual capacity (1 = reachable). */
  reachable(src: number): Uint8Array {
    this.build();
    const seen = new Uint8Array(this.numVertices);
    const q = this.queue;
    let head = 0;
    let tail = 0;
    q[tail++] = src;
    seen[src] = 1;
    while (head < tail) {
      const v = q[head++]!;
      for (let p = this.start[v]!, pe = this.end[v]!; p < pe; p++) {
        const e = this.adj[p]!;
        if (this.cap[e]! > 0) {
          const w = this.to[e]!;
          if (!seen[w]) {
            seen[w] = 1;
            q[tail++] = w;
          }
        }
      }
    }
    return seen;
  }

  /**
   * Min-cost flow from `src` to `snk` of up to `limit` units by the primal–dual method. Precondition: the
   * residual graph has no negative-cost cycle (true for the zero flow with nonnegative costs, and for any
   * flow this method produced). Each phase: Dijkstra on reduced costs (stopped once the sink is settled;
   * potentials of farther vertices are raised by the sink's distance only, which keeps every residual
   * reduced cost nonnegative), then Dinic blocking flows restricted to zero-reduced-cost edges.
   */
  minCostFlow(src: number, snk: number, limit = Infinity): MinCostResult {
    this.build();
    const V = this.numVertices;
    const pot = new Float64Array(V);
    const dist = new Float64Array(V);
    const done = new Uint8Array(V);
    // binary heap of (dist, vertex), lazy deletion
    let heapKey = new Float64Array(64);
    let heapVal = new Int32Array(64);
    let heapSize = 0;
    const push = (k: number, v: number): void => {
      if (heapSize === heapKey.length) {
        const nk = new Float64Array(heapSize * 2);
        nk.set(heapKey);
        heapKey = nk;
        const nv = new Int32Array(heapSize * 2);
        nv.set(heapVal);
        heapVal = nv;
      }
      let i = heapSize++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heapKey[parent]! <= k) break;
        heapKey[i] = heapKey[parent]!;
        heapVal[i] = heapVal[parent]!;
        i = parent;
      }
      heapKey[i] = k;
      heapVal[i] = v;
    };
    const pop = (): number => {
      const top = heapVal[0]!;
      const k = heapKey[--heapSize]!;
      const v = heapVal[heapSize]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= heapSize) break;
        if (c + 1 < heapSize && heapKey[c + 1]! < heapKey[c]!) c++;
        if (heapKey[c]! >= k) break;
        heapKey[i] = heapKey[c]!;
        heapVal[i] = heapVal[c]!;
        i = c;
      }
      heapKey[i] = k;
      heapVal[i] = v;
      return top;
    };
    const { start, end, adj, cap, to, cost } = this;
    let flow = 0;
    let totalCost = 0;
    let phases = 0;
    const admissible = (e: number): boolean => {
      const u = to[e ^ 1]!;
      return cost[e]! + pot[u]! - pot[to[e]!]! === 0;
    };
    while (flow < limit) {
      // Dijkstra with reduced costs
      dist.fill(Infinity);
      done.fill(0);
      heapSize = 0;
      dist[src] = 0;
      push(0, src);
      while (heapSize > 0) {
        const d0 = heapKey[0]!;
        const v = pop();
        if (done[v] || d0 > dist[v]!) continue;
        done[v] = 1;
        if (v === snk) break;
        const pv = pot[v]!;
        for (let p = start[v]!, pe = end[v]!; p < pe; p++) {
          const e = adj[p]!;
          if (cap[e]! > 0) {
            const w = to[e]!;
            const nd = d0 + cost[e]! + pv - pot[w]!;
            if (nd < dist[w]!) {
              dist[w] = nd;
              push(nd, w);
            }
          }
        }
      }
      const D = dist[snk]!;
      if (D === Infinity) break;
      phases++;
      for (let v = 0; v < V; v++) {
        const d = done[v] ? dist[v]! : D;
        pot[v] = pot[v]! + (d < D ? d : D);
      }
      // blocking flows along zero-reduced-cost residual edges
      while (flow < limit) {
        if (!this.bfsLevels(src, snk, admissible)) break;
        const f = this.blockingFlow(src, snk, limit - flow, admissible);
        if (f === 0) break;
        flow += f;
      }
    }
    // cost of what was pushed: recompute from scratch is the caller's job; report the path-cost sum
    for (let e = 0; e < cap.length; e += 2) {
      totalCost += (this.origCap[e]! - cap[e]!) * cost[e]!;
    }
    return { flow, cost: totalCost, phases, potential: pot };
  }
}

/** Result of checking a vertex set against Hoffman's condition. */
export interface HoffmanCheck {
  lowerIn: number;
  upperOut: number;
  /** An unbounded edge leaving S, as [from, to], if any. */
  infiniteOut?: [number, number];
  violated: boolean;
}

/**
 * A circulation problem with lower and upper bounds on the edges (and optional costs and gate keys),
 * solved by the super-source/super-sink transformation on a `FlowNetwork`.
 */
export class Circulation {
  readonly numVertices: number;
  readonly net: FlowNetwork;
  readonly superSource: number;
  readonly superSink: number;
  private readonly fromB: GrowableInt32;
  private readonly toB: GrowableInt32;
  private readonly lowerB: GrowableFloat64;
  private readonly upperB: GrowableFloat64;
  private readonly gateB: GrowableFloat64;
  private excess!: Float64Array;
  /** Σ of positive excesses: the flow a feasible circulation needs from the super source. */
  demand = 0;
  private built = false;

  constructor(numVertices: number, edgeHint = 16) {
    this.numVertices = numVertices;
    this.superSource = numVertices;
    this.superSink = numVertices + 1;
    this.net = new FlowNetwork(numVertices + 2, edgeHint + 2 * numVertices);
    this.fromB = new GrowableInt32(edgeHint);
    this.toB = new GrowableInt32(edgeHint);
    this.lowerB = new GrowableFloat64(edgeHint);
    this.upperB = new GrowableFloat64(edgeHint);
    this.gateB = new GrowableFloat64(edgeHint);
  }

  /**
   * Adds edge u → v with bounds [lower, upper] (upper ≥ INFINITE means unbounded), cost per unit and
   * optional gate key (usable iff key ≤ the current gate). Returns the edge id.
   */
  addEdge(u: number, v: number, lower: number, upper: number, cost = 0, gate?: number): number {
    if (this.built) throw new Error("Circulation: addEdge after build");
    if (!(lower >= 0) || !(upper >= lower)) {
      throw new Error(`Circulation: edge ${u} -> ${v} has bounds [${lower}, ${upper}]`);
    }
    if (gate !== undefined && lower > 0) throw new Error("Circulation: a gated edge must have lower bound 0");
    const id = this.net.addEdge(u, v, Math.min(upper, INFINITE) - lower, cost, gate);
    this.fromB.push(u);
    this.toB.push(v);
    this.lowerB.push(lower);
    this.upperB.push(upper);
    this.gateB.push(gate === undefined ? -Infinity : gate);
    return id;
  }

  private get fromE(): Int32Array {
    return this.fromB.data;
  }
  private get toE(): Int32Array {
    return this.toB.data;
  }
  private get lowerE(): Float64Array {
    return this.lowerB.data;
  }
  private get upperE(): Float64Array {
    return this.upperB.data;
  }
  private get gateE(): Float64Array {
    return this.gateB.data;
  }

  build(): void {
    if (this.built) return;
    this.built = true;
    this.excess = new Float64Array(this.numVertices);
    for (let k = 0; k < this.fromB.length; k++) {
      const l = this.lowerE[k]!;
      this.excess[this.toE[k]!]! += l;
      this.excess[this.fromE[k]!]! -= l;
    }
    this.demand = 0;
    for (let v = 0; v < this.numVertices; v++) {
      const x = this.excess[v]!;
      if (x > 0) {
        this.net.addEdge(this.superSource, v, x);
        this.demand += x;
      } else if (x < 0) {
        this.net.addEdge(v, this.superSink, -x);
      }
    }
    this.net.build();
  }

  get edgeCount(): number {
    return this.fromB.length;
  }

  setGate(key: number): void {
    this.build();
    this.net.setGate(key);
  }

  /** Augments to a max flow; true iff every lower bound can be met (a feasible circulation exists). */
  feasible(): boolean {
    this.build();
    const missing = this.demand - this.currentSupply();
    if (missing > 0) this.net.maxflow(this.superSource, this.superSink, missing);
    return this.currentSupply() === this.demand;
  }

  /** Flow currently leaving the super source. */
  currentSupply(): number {
    let s = 0;
    const net = this.net;
    for (let p = net.start[this.superSource]!; p < net.end[this.superSource]!; p++) {
      const e = net.adj[p]!;
      if ((e & 1) === 0) s += net.origCap[e]! - net.cap[e]!;
    }
    return s;
  }

  /** Flow of the circulation on edge `id` (lower bound included). */
  flowOf(id: number): number {
    return this.lowerE[id]! + this.net.flowOf(id);
  }

  /** Whether edge `id` exists in the network at the current gate. */
  isUsable(id: number): boolean {
    return this.gateE[id]! <= this.net.currentGate;
  }

  /** Hoffman's condition for a vertex set (inS[v] = 1 iff v ∈ S), over the edges usable now. */
  hoffman(inS: ArrayLike<number>): HoffmanCheck {
    let lowerIn = 0;
    let upperOut = 0;
    let infiniteOut: [number, number] | undefined;
    for (let k = 0; k < this.fromB.length; k++) {
      if (!this.isUsable(k)) continue;
      const a = inS[this.fromE[k]!] ? 1 : 0;
      const b = inS[this.toE[k]!] ? 1 : 0;
      if (a === 0 && b === 1) lowerIn += this.lowerE[k]!;
      else if (a === 1 && b === 0) {
        if (this.upperE[k]! >= INFINITE) infiniteOut ??= [this.fromE[k]!, this.toE[k]!];
        else upperOut += this.upperE[k]!;
      }
    }
    return { lowerIn, upperOut, infiniteOut, violated: infiniteOut === undefined && lowerIn > upperOut };
  }

  /**
   * After `feasible()` returned false: the vertices of the original network reachable from the super
   * source in the residual graph (1 = in S). Throws if S does not violate Hoffman's condition.
   */
  violatingSet(): Uint8Array {
    if (this.feasible()) throw new Error("Circulation: violatingSet on a feasible circulation");
    const reach = this.net.reachable(this.superSource);
    if (reach[this.superSink]) throw new Error("Circulation: super sink reachable after max flow (bug)");
    const inS = reach.slice(0, this.numVertices);
    const h = this.hoffman(inS);
    if (!h.violated) {
      throw new Error(
        `Circulation: residual cut does not violate Hoffman's condition (lowerIn ${h.lowerIn}, upperOut ` +
          `${h.upperOut}${h.infiniteOut ? `, unbounded edge ${h.infiniteOut.join(" -> ")} leaves S` : ""}) (bug)`,
      );
    }
    return inS;
  }

  /**
   * Min-cost feasible circulation at the current gate, from scratch (resets the flow). Exact: every
   * feasible circulation is a saturating super-source → super-sink flow of the transformed network and
   * vice versa, with the same cost up to the constant Σ cost·lower; costs must be nonnegative.
   */
  minCostCirculation(): { feasible: boolean; cost: number; phases: number; potential: Float64Array } {
    this.build();
    this.net.resetFlow();
    const r = this.net.minCostFlow(this.superSource, this.superSink, this.demand);
    let cost = r.cost;
    for (let k = 0; k < this.fromB.length; k++) cost += this.lowerE[k]! * this.net.cost[2 * k]!;
    return { feasible: r.flow === this.demand, cost, phases: r.phases, potential: r.potential };
  }
}
