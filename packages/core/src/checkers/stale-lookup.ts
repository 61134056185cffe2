import { perRun } from '../kernel/per-run.js';
import type { Checker } from './checker.js';

/** Per run: for each thread, the page its lookup last found in a slot and the allocation it belonged to then. */
const records = perRun(() => new Map<number, { pfn: number; gen: number }>());

/**
 * Stale lookup (ABA): a lockless lookup (find_get_page) returns a page that
 * was freed and reused between the moment the xarray last showed it to the
 * lookup (xas_load or xas_reload) and the return, so the lookup pinned a page
 * that is no longer the one it found. The shadow's allocation id is the page's
 * identity: the lookup must return the allocation it found.
 */
export const staleLookup: Checker = {
  name: 'stale-lookup',
  onLookup(k, what, pfn, where) {
    const recs = records(k);
    const tid = k.exec.current;
    if (what === 'found') {
      if (pfn < 0) recs.delete(tid);
      else recs.set(tid, { pfn, gen: k.shadow.allocationOf(pfn)?.id ?? 0 });
      return;
    }
    const rec = recs.get(tid);
    recs.delete(tid);
    if (rec === undefined || rec.pfn !== pfn) return;
    const now = k.shadow.allocationOf(pfn)?.id ?? 0;
    if (now === rec.gen) return;
    const was = rec.gen === 0 ? 'a free page' : `allocation #${rec.gen}`;
    k.warn('stale-lookup', `${where} returns pfn:${pfn.toString(16)}, which was ${was} when the xarray showed it and is ${now === 0 ? 'free' : `allocation #${now}`} now: freed and reused between the lookup and the pin, and nothing re-checked the slot`, pfn);
  },
};
