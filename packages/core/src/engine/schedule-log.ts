/**
 * A run's schedule, run-length encoded: each entry is a thread, the enabled
 * threads (a bitmask) when it was chosen, and how many steps in a row it took
 * with that same enabled set. A run where one thread goes on alone for a
 * million steps keeps one entry, not a million; replay, shrink and the diagram
 * read the step-by-step views (`schedule`, `enabledAt`) it derives on demand.
 */
export class ScheduleLog {
  private tids: Int32Array = new Int32Array(16);
  private masks: Int32Array = new Int32Array(16);
  private counts: Int32Array = new Int32Array(16);
  /** Entries in use. */
  private runs = 0;
  /** Steps logged. */
  length = 0;
  private cachedSchedule: number[] | undefined;
  private cachedEnabled: number[] | undefined;

  /** Logs one step: thread `tid` chosen when the threads of `mask` were enabled. */
  push(tid: number, mask: number): void {
    this.length++;
    const r = this.runs - 1;
    if (r >= 0 && this.tids[r] === tid && this.masks[r] === mask) {
      this.counts[r]!++;
      return;
    }
    if (this.runs === this.tids.length) this.grow();
    this.tids[this.runs] = tid;
    this.masks[this.runs] = mask;
    this.counts[this.runs] = 1;
    this.runs++;
  }

  /** Entries kept (for measuring what a run holds). */
  get entries(): number {
    return this.runs;
  }

  /** The thread chosen at each step. */
  schedule(): number[] {
    if (this.cachedSchedule?.length !== this.length) this.cachedSchedule = this.expand(this.tids);
    return this.cachedSchedule;
  }

  /** The enabled threads (a bitmask) when each step was chosen. */
  enabledAt(): number[] {
    if (this.cachedEnabled?.length !== this.length) this.cachedEnabled = this.expand(this.masks);
    return this.cachedEnabled;
  }

  private expand(values: Int32Array): number[] {
    const out = new Array<number>(this.length);
    let i = 0;
    for (let r = 0; r < this.runs; r++) {
      const v = values[r]!;
      for (let c = this.counts[r]!; c > 0; c--) out[i++] = v;
    }
    return out;
  }

  private grow(): void {
    const size = this.tids.length * 2;
    const widen = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.tids = widen(this.tids);
    this.masks = widen(this.masks);
    this.counts = widen(this.counts);
  }
}
