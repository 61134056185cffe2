/** The fields of an event in the ints: pfn, span, step, text, thread, a (its second number `b` is a float, in its own array). */
export const FIELDS = 6;

/** Events in the first chunk; each new chunk doubles the last, up to {@link MAX_CHUNK}. */
const FIRST_CHUNK = 256;
const MAX_CHUNK = 1 << 14;

/**
 * The page history's events, in typed-array chunks that are filled one after the other and never
 * copied as the history grows: a history of a million events touches each byte of its memory once
 * (growing one array by doubling touches twice as much, and fresh memory is what a long history pays
 * for). Chunks are kept when the log is cleared or loaded, so runs restored from a snapshot reuse them.
 */
export class EventLog {
  private readonly ints: Int32Array[] = [new Int32Array(FIELDS * FIRST_CHUNK)];
  private readonly bs: Float64Array[] = [new Float64Array(FIRST_CHUNK)];
  /** Events in the log. */
  n = 0;
  /** The chunk being filled, and how many events it holds. */
  private cur = 0;
  private curN = 0;
  private curInts: Int32Array = this.ints[0]!;
  private curB: Float64Array = this.bs[0]!;

  push(pfn: number, span: number, step: number, text: number, thread: number, a: number, b: number): void {
    if (this.curN === this.curB.length) this.nextChunk();
    const i = this.curN++;
    const at = FIELDS * i;
    const ints = this.curInts;
    ints[at] = pfn;
    ints[at + 1] = span;
    ints[at + 2] = step;
    ints[at + 3] = text;
    ints[at + 4] = thread;
    ints[at + 5] = a;
    this.curB[i] = b;
    this.n++;
  }

  private nextChunk(): void {
    this.cur++;
    if (this.cur === this.bs.length) {
      const size = Math.min(MAX_CHUNK, 2 * this.curB.length);
      this.ints.push(new Int32Array(FIELDS * size));
      this.bs.push(new Float64Array(size));
    }
    this.curInts = this.ints[this.cur]!;
    this.curB = this.bs[this.cur]!;
    this.curN = 0;
  }

  /** Calls `f` with each chunk's fields and its number of events, oldest first. */
  forEachChunk(f: (ints: Int32Array, b: Float64Array, count: number) => void): void {
    for (let c = 0; c <= this.cur; c++) f(this.ints[c]!, this.bs[c]!, c < this.cur ? this.bs[c]!.length : this.curN);
  }

  /** The events as two flat arrays (a saved history). */
  flat(): { ints: Int32Array; b: Float64Array } {
    const ints = new Int32Array(FIELDS * this.n);
    const b = new Float64Array(this.n);
    let at = 0;
    this.forEachChunk((ci, cb, count) => {
      ints.set(ci.subarray(0, FIELDS * count), FIELDS * at);
      b.set(cb.subarray(0, count), at);
      at += count;
    });
    return { ints, b };
  }

  /** Replaces the events with the `n` events of two flat arrays (from {@link flat}). */
  load(ints: Int32Array, b: Float64Array, n: number): void {
    this.cur = 0;
    this.curN = 0;
    this.curInts = this.ints[0]!;
    this.curB = this.bs[0]!;
    this.n = 0;
    let from = 0;
    while (from < n) {
      if (this.curN === this.curB.length) this.nextChunk();
      const count = Math.min(n - from, this.curB.length - this.curN);
      this.curInts.set(ints.subarray(FIELDS * from, FIELDS * (from + count)), FIELDS * this.curN);
      this.curB.set(b.subarray(from, from + count), this.curN);
      this.curN += count;
      this.n += count;
      from += count;
    }
  }
}
