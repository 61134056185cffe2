import type { Chooser, Execution } from './execution.js';
import { dependent, type Op } from './op.js';
import { Rng } from './rng.js';
import type { Alternative, Pick } from './memory-model/choice.js';
import type { Decision } from './decision.js';

/** Picks uniformly among enabled threads. */
export class RandomChooser implements Chooser {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }
  choose(_exec: Execution, enabled: readonly number[]): number {
    return enabled[this.rng.below(enabled.length)]!;
  }
  /** Weak memory model: a uniform alternative (asked only under a weak model, so SC runs draw the same numbers). */
  pick(_exec: Execution, alternatives: readonly Alternative[]): number {
    return alternatives.length <= 1 ? 0 : this.rng.below(alternatives.length);
  }
  /** A CHOICE step: a uniform outcome (asked only at CHOICE steps, so runs without them draw the same numbers). */
  decide(_exec: Execution, count: number): number {
    return this.rng.below(count);
  }
}

/**
 * PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): random distinct
 * priorities >= d, and d - 1 change points in [1, k]; the highest-priority enabled
 * thread runs; at the i-th change point the running thread drops to priority i.
 * A bug of depth d is found with probability >= 1 / (n * k^(d-1)).
 */
export class PctChooser implements Chooser {
  private readonly priority: number[] = [];
  private readonly changeAt = new Map<number, number>();
  private steps = 0;
  private readonly pickSeed: number;
  private pickRng: Rng | undefined;

  constructor(seed: number, nThreads: number, depth: number, k: number) {
    this.pickSeed = seed ^ 0x5bd1e995;
    const rng = new Rng(seed);
    const prios: number[] = [];
    for (let i = 0; i < nThreads; i++) prios.push(depth + i);
    for (let i = prios.length - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      [prios[i], prios[j]] = [prios[j]!, prios[i]!];
    }
    this.priority = prios;
    for (let i = 1; i < depth; i++) this.changeAt.set(1 + rng.below(Math.max(1, k)), depth - i);
  }

  choose(_exec: Execution, enabled: readonly number[]): number {
    let best = enabled[0]!;
    for (const t of enabled) if (this.priority[t]! > this.priority[best]!) best = t;
    return best;
  }

  /** Weak memory model: a uniform alternative, from a generator of its own (the priorities stay as under SC). */
  pick(_exec: Execution, alternatives: readonly Alternative[]): number {
    this.pickRng ??= new Rng(this.pickSeed);
    return alternatives.length <= 1 ? 0 : this.pickRng.below(alternatives.length);
  }

  /** A CHOICE step: a uniform outcome, from the same generator of its own. */
  decide(_exec: Execution, count: number): number {
    this.pickRng ??= new Rng(this.pickSeed);
    return this.pickRng.below(count);
  }

  onStep(_exec: Execution, tid: number, _o: Op, _value: number): void {
    this.steps++;
    const p = this.changeAt.get(this.steps);
    if (p !== undefined) this.priority[tid] = p;
  }
}

/**
 * Partial order sampling (Yuan, Yang, Gu, CAV 2018): every pending op has a
 * random priority, the enabled op with the highest one runs, and an op gets a
 * fresh priority when it becomes pending or when a step races with it (same
 * word, one of them writing). A thread whose op keeps a high priority runs on
 * for many steps, and the priorities of racing ops are drawn anew at each race,
 * so the orders of racing steps are sampled more evenly than by a random walk.
 */
export class PosChooser implements Chooser {
  private readonly rng: Rng;
  private readonly priority: number[] = [];
  private readonly pickSeed: number;
  private pickRng: Rng | undefined;

  constructor(seed: number) {
    this.rng = new Rng(seed);
    this.pickSeed = seed ^ 0x27d4eb2f;
  }

  choose(_exec: Execution, enabled: readonly number[]): number {
    let best = -1;
    let bestPriority = -1;
    for (const t of enabled) {
      const p = (this.priority[t] ??= this.rng.next());
      if (p > bestPriority) {
        best = t;
        bestPriority = p;
      }
    }
    return best;
  }

  /** Weak memory model: a uniform alternative, from a generator of its own. */
  pick(_exec: Execution, alternatives: readonly Alternative[]): number {
    this.pickRng ??= new Rng(this.pickSeed);
    return alternatives.length <= 1 ? 0 : this.pickRng.below(alternatives.length);
  }

  /** A CHOICE step: a uniform outcome, from the same generator of its own. */
  decide(_exec: Execution, count: number): number {
    this.pickRng ??= new Rng(this.pickSeed);
    return this.pickRng.below(count);
  }

  onStep(exec: Execution, tid: number, o: Op): void {
    this.priority[tid] = this.rng.next();
    if (o.loc < 0) return;
    for (const t of exec.threads) {
      if (t.id === tid || t.done || t.pending === undefined) continue;
      if (dependent(o, t.pending)) this.priority[t.id] = this.rng.next();
    }
  }
}

/** Follows a recorded schedule; `lenient` continues past its end or a disabled choice without preempting. */
export class ReplayChooser implements Chooser {
  diverged: { step: number; wanted: number; enabled: readonly number[] } | undefined;
  private last = -1;

  private readonly picks: Map<string, Alternative> | undefined;

  private readonly decisions: Map<string, number> | undefined;

  /**
   * `picks`: the weak memory model's choices of the run (by thread and step index within the thread);
   * `decisions`: the outcomes of its CHOICE steps other than 0 (the same way).
   */
  constructor(private readonly schedule: readonly number[], private readonly lenient: boolean, picks?: readonly Pick[], decisions?: readonly Decision[]) {
    if (picks !== undefined && picks.length > 0) this.picks = new Map(picks.map((p) => [`${p.tid}:${p.index}`, p.alt]));
    if (decisions !== undefined && decisions.length > 0) this.decisions = new Map(decisions.map((d) => [`${d.tid}:${d.index}`, d.value]));
  }

  /** The recorded outcome of the CHOICE step being performed; 0 where none was recorded. */
  decide(exec: Execution): number {
    const t = exec.threads[exec.current];
    return (t === undefined ? undefined : this.decisions?.get(`${t.id}:${t.steps}`)) ?? 0;
  }

  /** The recorded alternative of the step being performed; 0 where none was recorded. */
  pick(exec: Execution, alternatives: readonly Alternative[]): number | Alternative {
    const t = exec.threads[exec.current];
    const want = t === undefined ? undefined : this.picks?.get(`${t.id}:${t.steps}`);
    if (want === undefined) return 0;
    const i = alternatives.findIndex((a) => a.tid === want.tid && a.index === want.index);
    return i >= 0 ? i : want;
  }

  choose(exec: Execution, enabled: readonly number[]): number {
    const want = this.schedule[exec.step];
    if (want !== undefined && enabled.includes(want)) return want;
    if (!this.lenient) {
      this.diverged ??= { step: exec.step, wanted: want ?? -1, enabled: enabled.slice() };
      exec.stopped = true;
      return enabled[0]!;
    }
    return enabled.includes(this.last) ? this.last : enabled[0]!;
  }

  onStep(exec: Execution, tid: number): void {
    this.last = tid;
    if (!this.lenient && this.diverged === undefined) {
      const want = this.schedule[exec.step - 1];
      if (want !== undefined && want !== tid) {
        this.diverged = { step: exec.step - 1, wanted: want, enabled: [tid] };
        exec.stopped = true;
      }
    }
  }
}

/** Number of preemptions in a schedule: switches away from a thread that could have gone on. */
export function countPreemptions(schedule: readonly number[], enabledAt: readonly number[] | undefined): number {
  let n = 0;
  for (let i = 1; i < schedule.length; i++) {
    if (schedule[i] !== schedule[i - 1] && (enabledAt === undefined || ((enabledAt[i]! >>> schedule[i - 1]!) & 1) === 1)) n++;
  }
  return n;
}
