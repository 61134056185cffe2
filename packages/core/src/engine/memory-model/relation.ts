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
export class Relation {
  /** 32-bit words per row. */
  readonly width: number;
  readonly bits: Uint32Array;

  constructor(readonly n: number, bits?: Uint32Array) {
    this.width = (n + 31) >>> 5;
    this.bits = bits ?? new Uint32Array(this.width * n);
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
    return new Relation(this.n, this.bits.slice());
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

  /** `this ; other`: i -> k when i -> j in this and j -> k in other. */
  seq(other: Relation): Relation {
    const out = new Relation(this.n);
    const w = this.width;
    for (let i = 0; i < this.n; i++) {
      const row = i * w;
      for (let jw = 0; jw < w; jw++) {
        let word = this.bits[row + jw]!;
        while (word !== 0) {
          const bit = word & -word;
          word ^= bit;
          const j = (jw << 5) + (31 - Math.clz32(bit));
          const from = j * w;
          for (let k = 0; k < w; k++) out.bits[row + k]! |= other.bits[from + k]!;
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

  /** True when some event reaches itself. */
  cyclic(): boolean {
    const c = this.plus();
    for (let i = 0; i < this.n; i++) if (c.has(i, i)) return true;
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
}
