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

/** Wraps the kernel generator functions of `k` (own properties over the prototype's) so `frames[tid + 1]` is the thread's call stack. */
export function trackFrames(k: Kernel, proto: object, names: readonly string[], frames: string[][], describeArg: (a: unknown) => string): void {
  const self = k as unknown as Record<string, Fn>;
  const base = proto as Record<string, Fn>;
  for (const name of names) {
    const original = base[name];
    if (typeof original !== 'function' || original.constructor.name !== 'GeneratorFunction') continue;
    const fn = self[name] as unknown as (...a: unknown[]) => KGen<unknown>;
    const gfpAt = GFP_ARG[name];
    self[name] = function* framed(...args: unknown[]): KGen<unknown> {
      const t = k.exec.current + 1;
      const stack = (frames[t] ??= []);
      stack.push(`${name}(${args.map((a, i) => (i === gfpAt && typeof a === 'number' ? gfpName(a) : describeArg(a))).join(', ')})`);
      try {
        return yield* fn.apply(k, args);
      } finally {
        stack.pop();
      }
    } as unknown as Fn;
  }
}

/** How a call argument is shown in a diagram: named pages by name, other numbers as they are. */
export function describeArg(k: Kernel, names: ReadonlyMap<number, string>, a: unknown): string {
  if (typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string') return (a as { name: string }).name;
  if (typeof a !== 'number') return String(a);
  const name = names.get(a);
  if (name !== undefined) return name;
  return a >= k.m.startPfn && a < k.m.startPfn + k.m.nrPages && a >= 16 ? `pfn:${a.toString(16)}` : String(a);
}
