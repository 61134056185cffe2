import type { Kernel, MemCgroup } from '../kernel/context.js';
import type { Checker } from './checker.js';
import { MEMCG_DATA } from '../machine/layout.js';
import { MEMCG_DATA_FLAGS_MASK } from '../kernel/page-flags.js';

/**
 * The memcg reference counts, checked rather than only counted: the css
 * reference count (every page carrying memcg_data holds one reference, as
 * __memcg_kmem_charge_page() and split_page_memcg() of v5.12 take them) and
 * the page_counter usage. An underflow is reported at the step that makes it;
 * the balance at teardown.
 */

/** The test cgroup is online for the whole run: its base reference (css_init) is never dropped. */
export const CSS_BASE_REFS = 1;

/** After a css_put of `nr` that read `old`: below the base reference is a put no css_get took. @internal */
export function checkCssPut(k: Kernel, mc: MemCgroup, old: number, nr: number): void {
  const now = old - nr;
  if (now >= CSS_BASE_REFS) return;
  k.warn('memcg-underflow', `css reference underflow: css_put on ${mc.name} takes its css refcount from ${old} to ${now} while the cgroup is online (its base reference keeps it >= ${CSS_BASE_REFS}): a css reference was dropped that no css_get took`, -1);
}

/** After page_counter_cancel() read `old`: WARN_ON_ONCE(new < 0) (mm/page_counter.c, v5.12). @internal */
export function checkPageCounterCancel(k: Kernel, mc: MemCgroup, old: number, nr: number): void {
  const now = old - nr;
  if (now >= 0) return;
  k.warn('memcg-underflow', `page_counter underflow: ${mc.name} memory.usage ${old} -> ${now} after uncharging ${nr} page(s): more uncharges than charges (WARN_ON_ONCE(new < 0) in page_counter_cancel)`, -1);
}

/** The pages whose memcg_data points at `mc`: each holds one css reference. */
export function memcgCarriers(k: Kernel, mc: MemCgroup): number[] {
  const pages: number[] = [];
  for (let i = 0; i < k.m.nrPages; i++) {
    const pfn = k.m.startPfn + i;
    const data = k.m.peek(pfn, MEMCG_DATA);
    if (data !== 0 && (data & ~MEMCG_DATA_FLAGS_MASK) === mc.addr) pages.push(pfn);
  }
  return pages;
}

/**
 * css reference balance: at teardown, the test cgroup's css references must be its
 * base reference plus one per page carrying memcg_data. More is a leaked reference
 * (memcg-leak), fewer a reference dropped that nobody took (memcg-underflow).
 * The underflow is also reported at the css_put that makes it (checkCssPut, called
 * by css_put() in kernel/memcg.ts).
 */
export const cssRefs: Checker = {
  name: 'css-refs',
  atEnd(k) {
    if (k.memcg !== undefined) checkCssBalance(k, k.memcg);
  },
};

/** At teardown: css references == the base reference + one per page carrying memcg_data. @internal */
export function checkCssBalance(k: Kernel, mc: MemCgroup): void {
  const refs = k.m.words[mc.css]!;
  const carriers = memcgCarriers(k, mc);
  const expected = CSS_BASE_REFS + carriers.length;
  if (refs === expected) return;
  const why = `${CSS_BASE_REFS} base reference + ${carriers.length} page(s) carrying memcg_data${carriers.length > 0 ? ` (${carriers.slice(0, 8).map((p) => `pfn:${p.toString(16)}`).join(', ')}${carriers.length > 8 ? ', ...' : ''})` : ''}`;
  if (refs > expected) {
    k.warn('memcg-leak', `css reference leak: ${mc.name} holds ${refs} css reference(s) at teardown, but only ${expected} are accounted for (${why}): ${refs - expected} css_get(s) without a css_put`, -1);
  } else {
    k.warn('memcg-underflow', `css reference underflow: ${mc.name} holds ${refs} css reference(s) at teardown, but ${expected} are accounted for (${why}): ${expected - refs} css_put(s) without a css_get`, -1);
  }
}
