import { gfpName } from './gfp.js';
import type { KGen, Kernel } from './context.js';

/**
 * Stack frames for recorded runs: every kernel generator function is wrapped
 * so each step knows its thread's call stack (`__free_pages(P0, 0)` >
 * `free_the_page(P0, 0)`), which diagrams show.
 */

type Fn = (...args: never[]) => unknown;

/** Which argument of a kernel function is a gfp mask, for diagrams. */
const GFP_ARG: Readonly<Record<string, number>> = {
  alloc_pages: 0, __get_free_pages: 0, get_page_from_freelist: 0, prep_new_page: 2, post_alloc_hook: 2, __memcg_kmem_charge_page: 1,
};

/** Which argument of a kernel function is a spinlock_t, for diagrams: shown as `&zone->lock`, as the kernel writes it. */
const LOCK_ARG: Readonly<Record<string, number>> = { spin_lock: 0, spin_trylock: 0, spin_unlock: 0 };

/**
 * Wraps the kernel generator functions of `k` (own properties over the prototype's) so `frames[tid + 1]`
 * is the thread's call stack and `calls[tid + 1]` numbers its outermost call: both the generator
 * (`name$g`) and its sync twin (`name$sync`, sync-call.ts), so a call has the same frames and number
 * whichever of the two runs it.
 */
export function trackFrames(k: Kernel, proto: object, names: readonly string[], frames: string[][], describeArg: (a: unknown) => string, calls: number[]): void {
  // Each outermost call gets the next number, so two calls written alike (two unlock_page(P0) in a row) stay two calls in a diagram.
  let nextCall = 0;
  const self = k as unknown as Record<string, Fn>;
  const base = proto as Record<string, Fn>;
  for (const name of names) {
    if (typeof base[`${name}$g`] !== 'function') continue;
    const fn = self[`${name}$g`] as unknown as (...a: unknown[]) => KGen<unknown>;
    const sync = self[`${name}$sync`] as unknown as (...a: unknown[]) => unknown;
    const gfpAt = GFP_ARG[name];
    const lockAt = LOCK_ARG[name];
    const enter = (args: unknown[]): string[] => {
      const t = k.exec.current + 1;
      const stack = (frames[t] ??= []);
      if (stack.length === 0) calls[t] = ++nextCall;
      stack.push(`${name}(${args.map((a, i) => (i === gfpAt && typeof a === 'number' ? gfpName(a) : i === lockAt && typeof a === 'number' ? `&${k.lockName(a)}` : describeArg(a))).join(', ')})`);
      return stack;
    };
    self[`${name}$g`] = function* framed(...args: unknown[]): KGen<unknown> {
      const stack = enter(args);
      try {
        return yield* fn.apply(k, args);
      } finally {
        stack.pop();
      }
    } as unknown as Fn;
    // Calls of a one-step function (build/leaf-ops.mjs) take its generator, which has the frame.
    if (`${name}$fast` in self) self[`${name}$fast`] = false as unknown as Fn;
    self[`${name}$sync`] = function framedSync(...args: unknown[]): unknown {
      const stack = enter(args);
      try {
        return sync.apply(k, args);
      } finally {
        stack.pop();
      }
    } as unknown as Fn;
  }
}

/** How a call argument is shown in a diagram: named pages by name, other numbers as they are. */
export function describeArg(k: Kernel, names: ReadonlyMap<number, string>, a: unknown): string {
  if (Array.isArray(a)) return `[${a.map((x: unknown) => describeArg(k, names, x)).join(', ')}]`;
  if (typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string') return (a as { name: string }).name;
  if (typeof a !== 'number') return String(a);
  const name = names.get(a);
  if (name !== undefined) return name;
  return a >= k.m.startPfn && a < k.m.startPfn + k.m.nrPages && a >= 16 ? `pfn:${a.toString(16)}` : String(a);
}
