import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ADD } from '../engine/op.js';
import type { ThreadBody } from '../engine/execution.js';

export type { RcuCallback } from './context.js';

const DEPTH = 0xff;

/**
 * RCU (kernel/rcu/tree.c, v6.2, abstracted): each thread's read-side nesting is
 * a word (depth in the low byte, the number of outermost sections above it);
 * a grace period waits for every thread that is inside a section when it
 * starts to leave that section. call_rcu() queues the callback for the RCU
 * thread, a daemon the scheduler interleaves with the others, so "freed by RCU
 * later" is one of the interleavings explored.
 */
export const rcu = {
  /** rcu_read_lock(). */
  *rcu_read_lock(this: Kernel): KGen<void> {
    const t = this.exec.current;
    const v = this.rcuWord(t);
    const next = (v & DEPTH) === 0 ? v + 0x101 : v + 1;
    this.rcuNest[t + 1] = next;
    // Under the weak memory model the store is also LKMM's F[rcu-lock].
    const o = this.m.gst(this.rcu.nesting + t + 1, next, 'rcu_read_lock');
    yield this.exec.weak === undefined ? o : { ...o, fence: 'rcu-lock' };
  },
  /** rcu_read_unlock(). */
  *rcu_read_unlock(this: Kernel): KGen<void> {
    const t = this.exec.current;
    const v = this.rcuWord(t);
    if ((v & DEPTH) === 0) this.bug('lock-violation', `rcu_read_unlock() in ${this.threadName()} without rcu_read_lock()`, -1);
    this.rcuNest[t + 1] = v - 1;
    // Under the weak memory model the store is also LKMM's F[rcu-unlock].
    const o = this.m.gst(this.rcu.nesting + t + 1, v - 1, 'rcu_read_unlock');
    yield this.exec.weak === undefined ? o : { ...o, fence: 'rcu-unlock' };
  },
  /** synchronize_rcu(): waits for a grace period. */
  *synchronize_rcu(this: Kernel): KGen<void> {
    if ((this.rcuWord(this.exec.current) & DEPTH) !== 0) {
      this.bug('lock-violation', `Illegal synchronize_rcu() in RCU read-side critical section (${this.threadName()})`, -1);
    }
    yield* this.rcu_wait_for_readers();
  },
  /**
   * The grace period: every thread inside a read-side section now leaves it.
   * Under the weak memory model the first check is also LKMM's F[sync-rcu]
   * (the grace period's ordering; the waiting stays the scheduler's).
   */
  *rcu_wait_for_readers(this: Kernel): KGen<void> {
    const n = this.exec.threads.length;
    let first = this.exec.weak !== undefined;
    for (let t = 0; t < n; t++) {
      if (t === this.exec.current) continue;
      const loc = this.rcu.nesting + t + 1;
      const check = this.m.gld(loc, 'rcu: check reader');
      const v: number = yield first ? { ...check, fence: 'sync-rcu' } : check;
      first = false;
      if ((v & DEPTH) === 0) continue;
      yield this.m.gwaitFor(loc, (w) => (w & DEPTH) === 0 || w >>> 8 !== v >>> 8, `rcu: wait for ${this.exec.threads[t]!.name}`);
    }
  },
  /** call_rcu(head, func) (kernel/rcu/tree.c): head->func = func; queue it. */
  *call_rcu(this: Kernel, head: number, func: string): KGen<void> {
    if (!this.rcuEnabled) throw new Error('call_rcu needs kernel: { rcu: true } in the spec (it starts the RCU callback thread)');
    const sym = this.symbols.get(func);
    if (sym.kind !== 'function' || this.rcuCallbacks.get(sym.addr) === undefined) throw new Error(`call_rcu: ${func} is not a registered RCU callback; register it with k.defineFunction(name, fn)`);
    yield this.m.gst(this.listLoc(head, 1, 'call_rcu'), sym.addr, 'call_rcu: head->func = func');
    yield this.m.gst(this.listLoc(head, 0, 'call_rcu'), 0, 'call_rcu: head->next = NULL');
    this.rcuQueue.push(head);
    yield this.m.grmw(this.rcu.pending, RMW_ADD, 1, 0, 'call_rcu');
  },
  /** The RCU callback thread: a grace period after each call_rcu(), then the callback. */
  *rcu_callback_thread(this: Kernel): KGen<void> {
    for (;;) {
      yield this.m.gwaitFor(this.rcu.pending, (w) => w > 0, 'rcu_gp_kthread: wait for callbacks');
      yield this.m.grmw(this.rcu.pending, RMW_ADD, -1, 0, 'rcu_gp_kthread');
      const head = this.rcuQueue.shift()!;
      yield* this.rcu_wait_for_readers();
      const func: number = yield this.m.gld(this.listLoc(head, 1, 'rcu_do_batch'), 'rcu_do_batch: head->func', (v) => this.symbolName(v));
      const cb = this.rcuCallbacks.get(func);
      if (cb === undefined) this.bug('wild-deref', `rcu_do_batch: head->func is 0x${(func >>> 0).toString(16)}, not a function`, -1);
      yield* cb(this, head);
    }
  },
};

/** The RCU callback thread as an engine daemon. */
export function rcuDaemon(k: Kernel): ThreadBody {
  return { name: 'rcu', daemon: true, start: () => k.rcu_callback_thread() };
}

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof rcu> {}
}
