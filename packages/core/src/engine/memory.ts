/**
 * The engine's word memory: one flat Int32Array of locations. Higher layers
 * decide what the locations mean (the machine's words, counters, locks).
 * @remarks Since 0.1.0
 */
export class Memory {
  readonly words: Int32Array;
  /** Step of the last write to each location by a thread (-1: none); allocated when tracking. */
  lastWriteStep: Int32Array | undefined;
  /** Thread of that write. */
  lastWriter: Int16Array | undefined;

  constructor(size: number) {
    if (!Number.isInteger(size) || size <= 0) {
      throw new RangeError(`Memory size must be a positive integer, got ${size}`);
    }
    this.words = new Int32Array(size);
  }

  get size(): number {
    return this.words.length;
  }

  /** Starts recording who wrote each word last (needed for lost-update detection). */
  track(): void {
    if (this.lastWriteStep === undefined) {
      this.lastWriteStep = new Int32Array(this.words.length).fill(-1);
      this.lastWriter = new Int16Array(this.words.length).fill(-1);
    }
  }

  /** Forgets who wrote what, for a new run on the same memory. */
  resetTracking(): void {
    this.lastWriteStep?.fill(-1);
    this.lastWriter?.fill(-1);
  }
}
