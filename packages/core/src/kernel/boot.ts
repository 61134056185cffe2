import type { Machine } from '../machine/machine.js';
import type { SymbolTable } from '../machine/symbols.js';
import { LRU_NEXT, MAPCOUNT, PRIVATE } from '../machine/layout.js';
import { addrToPfn, globalAddr, pfnToAddr } from '../machine/addresses.js';
import { PG_buddy } from './page-flags.js';
import type { MemCgroup, Zone } from './context.js';

/**
 * Boot: the words a kernel reserves before anything runs (the zone's lock,
 * free lists and counters, RCU's words, the test memcg) and the memmap
 * initialisation that puts every page on a free list.
 */

/** Reserves the zone's words: free_area[order] (list head and nr_free), zone->lock, NR_FREE_PAGES. */
export function allocZone(m: Machine, maxOrder: number): Zone {
  const freeList: number[] = [];
  const nrFree: number[] = [];
  for (let o = 0; o < maxOrder; o++) {
    freeList.push(m.allocGlobal(`free_area[${o}].free_list`, 2));
    nrFree.push(m.allocGlobal(`free_area[${o}].nr_free`));
  }
  return {
    lock: m.allocGlobal('zone->lock'),
    freeList,
    freeListAddr: freeList.map(globalAddr),
    nrFree,
    nrFreePages: m.allocGlobal('NR_FREE_PAGES'),
  };
}

/** Reserves the test cgroup's words (memory.usage, memory.max, css.refcnt) and its symbol. */
export function allocTestMemcg(m: Machine, symbols: SymbolTable, limit: number | undefined): MemCgroup {
  const usage = m.allocGlobal('memcg->memory.usage');
  const max = m.allocGlobal('memcg->memory.max');
  const css = m.allocGlobal('memcg->css.refcnt');
  const sym = symbols.add('test_memcg', 'mem_cgroup', { words: { usage, max, css } });
  m.words[max] = limit ?? 0x7fffffff;
  m.words[css] = 1;
  return { name: 'test_memcg', addr: sym.addr, usage, max, css };
}

/** memmap_init + memblock_free_all: every page free, in maximal aligned blocks. */
export function initMemmap(m: Machine, zone: Zone, maxOrder: number): void {
  const n = m.nrPages;
  m.words.fill(-1, MAPCOUNT * n, (MAPCOUNT + 1) * n);
  for (let o = 0; o < maxOrder; o++) {
    const loc = zone.freeList[o]!;
    m.words[loc] = zone.freeListAddr[o]!;
    m.words[loc + 1] = zone.freeListAddr[o]!;
  }
  const end = m.startPfn + n;
  let pfn = m.startPfn;
  const tails: number[] = zone.freeListAddr.slice();
  while (pfn < end) {
    let order = maxOrder - 1;
    while (order > 0 && ((pfn & ((1 << order) - 1)) !== 0 || pfn + (1 << order) > end)) order--;
    // set_buddy_order + add_to_free_list_tail, done directly.
    m.poke(pfn, PRIVATE, order);
    m.poke(pfn, MAPCOUNT, -1 & ~PG_buddy);
    const entry = pfnToAddr(pfn) + 8;
    const head = zone.freeListAddr[order]!;
    const prev = tails[order]!;
    m.poke(pfn, LRU_NEXT, head);
    m.poke(pfn, 2, prev);
    writeListWord(m, prev, 0, entry);
    m.words[zone.freeList[order]! + 1] = entry;
    tails[order] = entry;
    m.words[zone.nrFree[order]!]! += 1;
    pfn += 1 << order;
  }
  m.words[zone.nrFreePages] = n;
}

function writeListWord(m: Machine, addr: number, which: 0 | 1, value: number): void {
  const pfn = addrToPfn(addr - 8);
  if (pfn >= 0) m.poke(pfn, which === 0 ? LRU_NEXT : 2, value);
  else m.words[(addr - globalAddr(0)) / 8 + which] = value;
}
