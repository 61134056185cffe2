/**
 * Binary relations over the events of one execution graph, as bit matrices:
 * row `i` is the set of events `j` with `i -> j`. The weak memory model builds
 * the relations of the Linux-kernel memory model's cat file (po, rf, co, fr,
 * ppo, hb, pb, ...) from these and checks that the ones it must are acyclic.
 *
 * Sizes are small (a litmus test has tens of events), so every operation
 * builds a new matrix; `closure` is Warshall's algorithm on 32-bit words.
 * @remarks Since 0.1.0
 */
/**
 * Where the matrices of one axiom check come from (`scratchScope`): views into
 * one buffer, reused by the next check, instead of a new typed array each (an
 * lkmm check builds a few dozen of ~1-4 KB, and their allocation and collection
 * showed in profiles). Outside a scope, every matrix is its own array.
 */
let arena = new Uint32Array(0);
let arenaTop = 0;
let arenaDepth = 0;
/** The words the scopes asked for beyond the buffer: it grows to this at the next outermost scope. */
let arenaWanted = 0;

function words(size: number): Uint32Array {
  if (arenaDepth === 0) return new Uint32Array(size);
  if (arenaTop + size > arena.length) {
    arenaWanted = Math.max(arenaWanted, arenaTop + size);
    return new Uint32Array(size);
  }
  const view = arena.subarray(arenaTop, arenaTop + size);
  view.fill(0);
  arenaTop += size;
  return view;
}

/**
 * Runs `fn`, whose relations live only until it returns (none of them may
 * escape it): their matrices are views into a buffer the next scope reuses.
 * @remarks Since 0.1.0
 */
export function scratchScope<T>(fn: () => T): T {
  if (arenaDepth === 0 && arenaWanted > arena.length) {
    arena = new Uint32Array(Math.max(arenaWanted, 2 * arena.length));
    arenaWanted = 0;
  }
  const top = arenaTop;
  arenaDepth++;
  try {
    return fn();
  } finally {
    arenaDepth--;
    arenaTop = top;
  }
}

export class Relation {
  /** 32-bit words per row. */
  readonly width: number;
  readonly bits: Uint32Array;

  constructor(readonly n: number, bits?: Uint32Array) {
    this.width = (n + 31) >>> 5;
    this.bits = bits ?? words(this.width * n);
  }

  /** The identity on `set` (or on every event). */
  static identity(n: number, set?: EventSet): Relation {
    const r = new Relation(n);
    for (let i = 0; i < n; i++) if (set === undefined || set.has(i)) r.add(i, i);
    return r;
  }

  has(i: number, j: number): boolean {
    return ((this.bits[i * this.width + (j >>> 5)]! >>> (j & 31)) & 1) === 1;
  }

  add(i: number, j: number): void {
    this.bits[i * this.width + (j >>> 5)]! |= 1 << (j & 31);
  }

  /** Adds an edge from `i` to every event of `set`. */
  orRow(i: number, set: EventSet): void {
    const row = i * this.width;
    for (let k = 0; k < this.width; k++) this.bits[row + k]! |= set.bits[k]!;
  }

  copy(): Relation {
    const out = new Relation(this.n);
    out.bits.set(this.bits);
    return out;
  }

  /** `this | others`. */
  union(...others: Relation[]): Relation {
    const out = this.copy();
    for (const o of others) for (let k = 0; k < out.bits.length; k++) out.bits[k]! |= o.bits[k]!;
    return out;
  }

  /** `this & other`. */
  intersect(other: Relation): Relation {
    const out = this.copy();
    for (let k = 0; k < out.bits.length; k++) out.bits[k]! &= other.bits[k]!;
    return out;
  }

  /** `this \ other`. */
  minus(other: Relation): Relation {
    const out = this.copy();
    for (let k = 0; k < out.bits.length; k++) out.bits[k]! &= ~other.bits[k]!;
    return out;
  }

  /**
   * `this ; other`: i -> k when i -> j in this and j -> k in other. Split as
   * `this ; [D] | this ; O`, D the events other relates to themselves and O the
   * rows of other with an edge to another event: the first is a mask per row,
   * the second a row union only for the j whose row has such an edge (other is
   * often reflexive and otherwise sparse: rfe?, (rf ; rmw)*).
   */
  seq(other: Relation): Relation {
    const out = new Relation(this.n);
    const w = this.width;
    const n = this.n;
    const ob = other.bits;
    const diag = new Uint32Array(w);
    const off = new Uint32Array(w);
    for (let j = 0; j < n; j++) {
      const from = j * w;
      const jw = j >>> 5;
      const jb = 1 << (j & 31);
      let any = 0;
      for (let k = 0; k < w; k++) any |= k === jw ? ob[from + k]! & ~jb : ob[from + k]!;
      if (any !== 0) off[jw]! |= jb;
      if ((ob[from + jw]! & jb) !== 0) diag[jw]! |= jb;
    }
    const tb = this.bits;
    const b = out.bits;
    for (let i = 0; i < n; i++) {
      const row = i * w;
      for (let jw = 0; jw < w; jw++) {
        const x = tb[row + jw]!;
        if (x === 0) continue;
        b[row + jw]! |= x & diag[jw]!;
        let word = x & off[jw]!;
        while (word !== 0) {
          const bit = word & -word;
          word ^= bit;
          const from = ((jw << 5) + (31 - Math.clz32(bit))) * w;
          for (let k = 0; k < w; k++) b[row + k]! |= ob[from + k]!;
        }
      }
    }
    return out;
  }

  /** `[set] ; this`: keeps the edges that start in `set`. */
  from(set: EventSet): Relation {
    const out = this.copy();
    const w = this.width;
    for (let i = 0; i < this.n; i++) if (!set.has(i)) out.bits.fill(0, i * w, i * w + w);
    return out;
  }

  /** `[from] ; this ; [to]`: keeps the edges that start in `from` and end in `to` (one copy). */
  restrict(from: EventSet, to: EventSet): Relation {
    const out = new Relation(this.n);
    const w = this.width;
    for (let i = 0; i < this.n; i++) {
      if (!from.has(i)) continue;
      for (let k = 0; k < w; k++) out.bits[i * w + k] = this.bits[i * w + k]! & to.bits[k]!;
    }
    return out;
  }

  /** `this ; [set]`: keeps the edges that end in `set`. */
  to(set: EventSet): Relation {
    const out = this.copy();
    const w = this.width;
    for (let i = 0; i < this.n; i++) for (let k = 0; k < w; k++) out.bits[i * w + k]! &= set.bits[k]!;
    return out;
  }

  /** `this^-1`. */
  inverse(): Relation {
    const out = new Relation(this.n);
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.n; j++) if (this.has(i, j)) out.add(j, i);
    return out;
  }

  /** `this+`: the transitive closure (Warshall). */
  plus(): Relation {
    const out = this.copy();
    const w = this.width;
    const b = out.bits;
    for (let k = 0; k < this.n; k++) {
      const kw = k >>> 5;
      const kb = 1 << (k & 31);
      const from = k * w;
      // Nothing to add through an event with no edge out.
      let any = 0;
      for (let x = 0; x < w; x++) any |= b[from + x]!;
      if (any === 0) continue;
      for (let i = 0; i < this.n; i++) {
        const row = i * w;
        if ((b[row + kw]! & kb) === 0) continue;
        for (let x = 0; x < w; x++) b[row + x]! |= b[from + x]!;
      }
    }
    return out;
  }

  /** `this*`: reflexive and transitive closure. */
  star(): Relation {
    const out = this.plus();
    for (let i = 0; i < this.n; i++) out.add(i, i);
    return out;
  }

  /** `this?`: reflexive closure. */
  opt(): Relation {
    const out = this.copy();
    for (let i = 0; i < this.n; i++) out.add(i, i);
    return out;
  }

  /**
   * True when some event reaches itself: a depth-first search over the rows
   * (an edge back to an event on the search's path closes a cycle), linear in
   * the events and edges where the closure `plus()` is cubic.
   */
  cyclic(): boolean {
    const n = this.n;
    const w = this.width;
    const b = this.bits;
    // 0: not seen, 1: on the search's path, 2: done (reaches no cycle).
    const state = new Uint8Array(n);
    const stackV = new Int32Array(n);
    const stackW = new Int32Array(n);
    const stackBits = new Int32Array(n);
    for (let root = 0; root < n; root++) {
      if (state[root] !== 0) continue;
      state[root] = 1;
      stackV[0] = root;
      stackW[0] = 0;
      stackBits[0] = b[root * w]!;
      let sp = 1;
      while (sp > 0) {
        const top = sp - 1;
        const word = stackBits[top]!;
        if (word === 0) {
          const next = ++stackW[top]!;
          if (next < w) {
            stackBits[top] = b[stackV[top]! * w + next]!;
            continue;
          }
          state[stackV[top]!] = 2;
          sp--;
          continue;
        }
        const bit = word & -word;
        stackBits[top] = word ^ bit;
        const j = (stackW[top]! << 5) + (31 - Math.clz32(bit));
        if (j >= n) continue;
        const s = state[j]!;
        if (s === 1) return true;
        if (s === 0) {
          state[j] = 1;
          stackV[sp] = j;
          stackW[sp] = 0;
          stackBits[sp] = b[j * w]!;
          sp++;
        }
      }
    }
    return false;
  }

  /** True when some event is related to itself (the relation is not irreflexive). */
  reflexive(): boolean {
    for (let i = 0; i < this.n; i++) if (this.has(i, i)) return true;
    return false;
  }

  /** True when both relations have the same edges. */
  equals(other: Relation): boolean {
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k] !== other.bits[k]) return false;
    return true;
  }

  /** True when there is no edge. */
  empty(): boolean {
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k] !== 0) return false;
    return true;
  }

  /** The edges, for messages and tests. */
  edges(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.n; j++) if (this.has(i, j)) out.push([i, j]);
    return out;
  }
}

/** A set of events, as a bit vector. */
export class EventSet {
  readonly bits: Uint32Array;

  constructor(readonly n: number) {
    this.bits = new Uint32Array((n + 31) >>> 5);
  }

  /** The events `i` for which `test(i)` holds. */
  static of(n: number, test: (i: number) => boolean): EventSet {
    const s = new EventSet(n);
    for (let i = 0; i < n; i++) if (test(i)) s.add(i);
    return s;
  }

  has(i: number): boolean {
    return ((this.bits[i >>> 5]! >>> (i & 31)) & 1) === 1;
  }

  add(i: number): void {
    this.bits[i >>> 5]! |= 1 << (i & 31);
  }

  /** True when the set has no event. */
  empty(): boolean {
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k] !== 0) return false;
    return true;
  }
}
