import { perRun } from './per-run.js';
import { CHOICE, op, YIELD } from '../engine/op.js';
import type { Kernel, KGen, MethodsOf } from './context.js';
import { __GFP_NOFAIL } from './gfp.js';

/**
 * Allocation failure injection, after the kernel's fail_page_alloc
 * (Documentation/fault-injection/fault-injection.rst): `explore` makes every
 * allocation a thread makes a choice of the engine, succeed or fail, so that an
 * exhaustive search runs each error path against every interleaving;
 * `{ nth: N }` fails the N-th allocation of each thread (1-based), as writing N
 * to /proc/self/task/<tid>/fail-nth does. __GFP_NOFAIL allocations never fail,
 * and setup and teardown (which run outside the threads) never see a failure.
 * @remarks Since 0.1.0
 */
export type FailAlloc = 'explore' | { readonly nth: number };

/** True when a value is a {@link FailAlloc}. */
export function isFailAlloc(v: unknown): v is FailAlloc {
  if (v === 'explore') return true;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const nth = (v as { nth?: unknown }).nth;
  return keys.length === 1 && keys[0] === 'nth' && typeof nth === 'number' && Number.isSafeInteger(nth) && nth >= 1;
}

/** Each kernel's mode (set by the program that runs it), and per run the allocations each thread made. */
const modes = new WeakMap<object, FailAlloc>();
const counts = perRun((): number[] => []);

/** Sets (or, with undefined, clears) a kernel's allocation failure injection. */
export function setFailAlloc(k: object, mode: FailAlloc | undefined): void {
  if (mode === undefined) modes.delete(k);
  else modes.set(k, mode);
}

const shown = (v: number): string => (v === 1 ? 'true' : 'false');
const injected = (): string => 'true';

export const failPageAlloc = {
  /**
   * should_fail_alloc_page() → __should_fail_alloc_page() (mm/page_alloc.c, v5.12; mm/fail_page_alloc.c in
   * current kernels): called from prepare_alloc_pages() before the free lists are looked at. The debugfs knobs
   * are as with min-order=0, ignore-gfp-wait=N, ignore-gfp-highmem=N; only __GFP_NOFAIL is exempt.
   */
  *should_fail_alloc_page(this: Kernel, gfp_mask: number, _order: number): KGen<boolean> {
    const mode = modes.get(this);
    if (mode === undefined) return false;
    // if (gfp_mask & __GFP_NOFAIL) return false;
    if ((gfp_mask & __GFP_NOFAIL) !== 0) return false;
    const tid = this.exec.current;
    if (tid < 0) return false;
    if (mode === 'explore') {
      const fail: number = yield op(CHOICE, { a: 2, fn: 'should_fail_alloc_page()', show: shown });
      return fail === 1;
    }
    // should_fail_ex(): a task's fail-nth counts down its calls and fails the one that reaches zero.
    const c = counts(this);
    c[tid] = (c[tid] ?? 0) + 1;
    if (c[tid] !== mode.nth) return false;
    yield op(YIELD, { fn: 'should_fail_alloc_page()', show: injected });
    return true;
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof failPageAlloc> {}
}
