/**
 * A run's schedule, run-length encoded: each entry is a thread, the enabled
 * threads (a bitmask) when it was chosen, and how many steps in a row it took
 * with that same enabled set. A run where one thread goes on alone for a
 * million steps keeps one entry, not a million; replay, shrink and the diagram
 * read the step-by-step views (`schedule`, `enabledAt`) it derives on demand.
 */
export class ScheduleLog {
  /** Entries, three numbers each: thread, enabled mask, steps. */
  private readonly runs: number[] = [];
  /** Steps logged. */
  length = 0;
  private cachedSchedule: number[] | undefined;
  private cachedEnabled: number[] | undefined;

  /** Logs one step: thread `tid` chosen when the threads of `mask` were enabled. */
  push(tid: number, mask: number): void {
    this.length++;
    const runs = this.runs;
    const r = runs.length - 3;
    if (r >= 0 && runs[r] === tid && runs[r + 1] === mask) {
      runs[r + 2]!++;
      return;
    }
    runs.push(tid, mask, 1);
  }

  /** Entries kept (for measuring what a run holds). */
  get entries(): number {
    return this.runs.length / 3;
  }

  /** The thread chosen at each step. */
  schedule(): number[] {
    if (this.cachedSchedule?.length !== this.length) this.cachedSchedule = this.expand(0);
    return this.cachedSchedule;
  }

  /** The enabled threads (a bitmask) when each step was chosen. */
  enabledAt(): number[] {
    if (this.cachedEnabled?.length !== this.length) this.cachedEnabled = this.expand(1);
    return this.cachedEnabled;
  }

  private expand(field: number): number[] {
    const out = new Array<number>(this.length);
    const runs = this.runs;
    let i = 0;
    for (let r = 0; r < runs.length; r += 3) {
      const v = runs[r + field]!;
      for (let c = runs[r + 2]!; c > 0; c--) out[i++] = v;
    }
    return out;
  }
}
