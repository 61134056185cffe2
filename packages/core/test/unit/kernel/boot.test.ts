import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/machine/machine.js';
import { SymbolTable } from '../../../src/machine/symbols.js';
import { allocTestMemcg, allocZone, initMemmap } from '../../../src/kernel/boot.js';
import { createKernel } from '../../../src/kernel/kernel.js';
import { checkFreeLists } from '../../../src/checkers/free-lists.js';
import { freeBlocks, maximalBlocks } from './free-area.js';

describe('allocZone', () => {
  it('reserves a list head and nr_free per order, then zone->lock and NR_FREE_PAGES', () => {
    const m = new Machine(16, 16, 64);
    const zone = allocZone(m, 3);
    expect(zone.freeList).toHaveLength(3);
    expect(zone.nrFree).toHaveLength(3);
    expect(m.globalName(zone.freeList[2]!)).toBe('free_area[2].free_list[0]');
    expect(m.globalName(zone.lock)).toBe('zone->lock');
    expect(m.globalName(zone.nrFreePages)).toBe('NR_FREE_PAGES');
  });
});

describe('allocTestMemcg', () => {
  it('starts with no usage, one css reference and the limit as memory.max', () => {
    const m = new Machine(16, 16, 64);
    const mc = allocTestMemcg(m, new SymbolTable(), 5);
    expect([m.words[mc.usage], m.words[mc.css], m.words[mc.max]]).toEqual([0, 1, 5]);
    expect(mc.name).toBe('test_memcg');
  });
});

describe('initMemmap', () => {
  it('puts every page on the free lists in the fewest maximal aligned blocks', () => {
    for (const pages of [1, 7, 64, 100]) {
      const k = createKernel({ pages });
      expect(freeBlocks(k)).toEqual(maximalBlocks(k.m.startPfn, pages, k.MAX_ORDER));
      expect(k.nrFreePages).toBe(pages);
      expect(checkFreeLists(k)).toBeUndefined();
    }
  });

  it('is what a kernel built without a snapshot starts from', () => {
    const m = new Machine(64, 64, 200);
    const zone = allocZone(m, 7);
    initMemmap(m, zone, 7);
    expect(m.words[zone.nrFreePages]).toBe(64);
    expect(m.words[zone.nrFree[6]!]).toBe(1);
  });
});
