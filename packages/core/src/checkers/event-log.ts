/** Bytes in the first chunk; each new chunk doubles the last, up to {@link MAX_CHUNK}. */
const FIRST_CHUNK = 4096;
const MAX_CHUNK = 1 << 17;
/** The most bytes one event takes: its flags, six varints of up to 5 bytes, and a float. */
const MAX_EVENT = 1 + 6 * 5 + 8;

/** What follows an event's flags and text. */
const THREAD = 1; // the thread's index: it is not the last event's thread
const SPAN = 2; // the span: it is not 1
const B_INT = 4; // the second number, a 32-bit integer other than 0
const B_FLOAT = 8; // the second number, 8 bytes of a float (-0, a fraction, NaN, beyond 32 bits)

/** The size of chunk `i`. */
function chunkSize(i: number): number {
  return Math.min(MAX_CHUNK, FIRST_CHUNK * 2 ** i);
}

/** A saved log: each chunk's bytes, and where the encoder was. */
export interface SavedLog {
  readonly n: number;
  readonly segments: readonly Uint8Array[];
  readonly pfn: number;
  readonly step: number;
  readonly thread: number;
}

/** An event as the log gives it back: its pfn, span, step and first number as 32-bit integers, as stored. */
export type EventVisitor = (pfn: number, span: number, step: number, text: number, thread: number, a: number, b: number) => void;

const floatBox = new Float64Array(1);
const floatBytes = new Uint8Array(floatBox.buffer);

/**
 * The page history's events, oldest first, encoded in byte chunks: each event's flags, its text,
 * its thread when it changed, its pfn and step as differences from the last event's, its span
 * when not 1, and its two numbers, in variable-length integers (zigzag for signs). An order-0
 * allocation's event takes about 8 bytes, where six 32-bit fields and a float took 32: a history
 * grows for as long as the kernel runs, and fresh memory is what a long history pays for (about
 * 3 ns a byte on the reference machine, in page faults). The pfn, span, step and first number are
 * kept as 32-bit integers (what a store to an Int32Array keeps), the second number exactly.
 * Chunks are filled one after the other, never copied as the log grows, and kept when the log is
 * loaded again, so runs restored from a snapshot reuse them.
 */
export class EventLog {
  private readonly chunks: Uint8Array[] = [new Uint8Array(FIRST_CHUNK)];
  /** Bytes used in each chunk before the current one. */
  private readonly used: number[] = [];
  /** Events in the log. */
  n = 0;
  private cur = 0;
  private pos = 0;
  private buf: Uint8Array = this.chunks[0]!;
  /** The last event's pfn, step and thread, which the next one is encoded against. */
  private lastPfn = 0;
  private lastStep = 0;
  private lastThread = -1;

  push(pfn: number, span: number, step: number, text: number, thread: number, a: number, b: number): void {
    if (this.pos + MAX_EVENT > this.buf.length) this.nextChunk();
    const buf = this.buf;
    const flagsAt = this.pos;
    let p = flagsAt + 1;
    let flags = 0;
    p = uvar(buf, p, text);
    if (thread !== this.lastThread) {
      flags |= THREAD;
      p = uvar(buf, p, thread);
      this.lastThread = thread;
    }
    const pfn32 = pfn | 0;
    const step32 = step | 0;
    p = uvar(buf, p, zig((pfn32 - this.lastPfn) | 0));
    p = uvar(buf, p, zig((step32 - this.lastStep) | 0));
    this.lastPfn = pfn32;
    this.lastStep = step32;
    if ((span | 0) !== 1) {
      flags |= SPAN;
      p = uvar(buf, p, zig(span | 0));
    }
    p = uvar(buf, p, zig(a | 0));
    if ((b | 0) === b && b !== 0) {
      flags |= B_INT;
      p = uvar(buf, p, zig(b));
    } else if (b !== 0 || Object.is(b, -0)) {
      flags |= B_FLOAT;
      floatBox[0] = b;
      buf.set(floatBytes, p);
      p += 8;
    }
    buf[flagsAt] = flags;
    this.pos = p;
    this.n++;
  }

  private nextChunk(): void {
    this.used[this.cur] = this.pos;
    this.cur++;
    if (this.cur === this.chunks.length) this.chunks.push(new Uint8Array(chunkSize(this.cur)));
    this.buf = this.chunks[this.cur]!;
    this.pos = 0;
  }

  /** Calls `f` with each event, oldest first. */
  forEach(f: EventVisitor): void {
    let pfn = 0;
    let step = 0;
    let thread = -1;
    for (let c = 0; c <= this.cur; c++) {
      const buf = this.chunks[c]!;
      const end = c < this.cur ? this.used[c]! : this.pos;
      let p = 0;
      while (p < end) {
        const flags = buf[p++]!;
        let u: number;
        [u, p] = readUvar(buf, p);
        const text = u;
        if ((flags & THREAD) !== 0) [thread, p] = readUvar(buf, p);
        [u, p] = readUvar(buf, p);
        pfn = (pfn + unzig(u)) | 0;
        [u, p] = readUvar(buf, p);
        step = (step + unzig(u)) | 0;
        let span = 1;
        if ((flags & SPAN) !== 0) {
          [u, p] = readUvar(buf, p);
          span = unzig(u);
        }
        [u, p] = readUvar(buf, p);
        const a = unzig(u);
        let b = 0;
        if ((flags & B_INT) !== 0) {
          [u, p] = readUvar(buf, p);
          b = unzig(u);
        } else if ((flags & B_FLOAT) !== 0) {
          floatBytes.set(buf.subarray(p, p + 8));
          b = floatBox[0]!;
          p += 8;
        }
        f(pfn, span, step, text, thread, a, b);
      }
    }
  }

  /** The log's bytes and state, to load later. */
  save(): SavedLog {
    const segments: Uint8Array[] = [];
    for (let c = 0; c <= this.cur; c++) segments.push(this.chunks[c]!.slice(0, c < this.cur ? this.used[c]! : this.pos));
    return { n: this.n, segments, pfn: this.lastPfn, step: this.lastStep, thread: this.lastThread };
  }

  /** Replaces the events with a saved log's (from this log or another). */
  load(s: SavedLog): void {
    const last = s.segments.length - 1;
    for (let c = 0; c <= last; c++) {
      // Chunk c has the same size in every log: a saved segment fits the chunk it came from.
      if (c === this.chunks.length) this.chunks.push(new Uint8Array(chunkSize(c)));
      const seg = s.segments[c]!;
      this.chunks[c]!.set(seg);
      if (c < last) this.used[c] = seg.length;
    }
    this.cur = last;
    this.buf = this.chunks[last]!;
    this.pos = s.segments[last]!.length;
    this.n = s.n;
    this.lastPfn = s.pfn;
    this.lastStep = s.step;
    this.lastThread = s.thread;
  }
}

/** Zigzag: a 32-bit integer as an unsigned one, small when its magnitude is small. */
function zig(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

function unzig(u: number): number {
  return (u >>> 1) ^ -(u & 1);
}

/** Writes an unsigned 32-bit integer in 7-bit groups, low first; returns the position after it. */
function uvar(buf: Uint8Array, p: number, u: number): number {
  while (u >= 0x80) {
    buf[p++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[p++] = u;
  return p;
}

function readUvar(buf: Uint8Array, p: number): [number, number] {
  let u = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[p++]!;
    u += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [u, p];
    shift += 7;
  }
}
