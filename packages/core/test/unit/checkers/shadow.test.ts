import { describe, expect, it } from 'vitest';
import { Shadow } from '../../../src/checkers/shadow.js';

const GFP = 0xcc0;

describe('Shadow.allocate', () => {
  it('marks every page of the block allocated under one id', () => {
    const s = new Shadow(16, 16);
    const { alloc, clash } = s.allocate(20, 2, GFP);
    expect(clash).toBe(-1);
    expect(alloc).toMatchObject({ pfn: 20, order: 2, gfp: GFP, charged: 0, memcg: undefined });
    for (let p = 20; p < 24; p++) {
      expect(s.isAllocated(p)).toBe(true);
      expect(s.allocationOf(p)).toBe(alloc);
    }
    expect(s.isAllocated(19)).toBe(false);
    expect(s.isAllocated(24)).toBe(false);
  });

  it('reports the first page that was still allocated', () => {
    const s = new Shadow(16, 16);
    s.allocate(18, 1, GFP);
    expect(s.allocate(16, 2, GFP).clash).toBe(18);
  });

  it('gives every allocation a new id', () => {
    const s = new Shadow(16, 16);
    const a = s.allocate(16, 0, GFP).alloc;
    s.release(16, 0);
    const b = s.allocate(16, 0, GFP).alloc;
    expect(b.id).not.toBe(a.id);
  });
});

describe('Shadow.checkFree', () => {
  it('accepts a free of allocated pages', () => {
    const s = new Shadow(16, 16);
    s.allocate(16, 2, GFP);
    expect(s.checkFree(16, 2)).toBeUndefined();
    expect(s.checkFree(18, 1)).toBeUndefined();
  });

  it('names the first free page and says whether it was ever allocated', () => {
    const s = new Shadow(16, 16);
    s.allocate(16, 1, GFP);
    s.release(16, 1);
    expect(s.checkFree(16, 1)).toEqual({ pfn: 16, ever: true });
    expect(s.checkFree(20, 0)).toEqual({ pfn: 20, ever: false });
    s.allocate(16, 0, GFP);
    expect(s.checkFree(16, 1)).toEqual({ pfn: 17, ever: true });
  });
});

describe('Shadow.release', () => {
  it('forgets an allocation once all its pages are released', () => {
    const s = new Shadow(16, 16);
    const { alloc } = s.allocate(16, 1, GFP);
    s.release(17, 0);
    expect(s.allocations.has(alloc.id)).toBe(true);
    expect(s.live()).toEqual([{ alloc, pages: [16] }]);
    s.release(16, 0);
    expect(s.allocations.has(alloc.id)).toBe(false);
    expect(s.live()).toEqual([]);
  });

  it('ignores pages that are already free', () => {
    const s = new Shadow(16, 16);
    s.release(16, 2);
    expect(s.live()).toEqual([]);
  });
});

describe('Shadow.live', () => {
  it('groups the pages still allocated by allocation', () => {
    const s = new Shadow(16, 16);
    const a = s.allocate(16, 2, GFP).alloc;
    const b = s.allocate(24, 0, GFP).alloc;
    s.release(17, 0);
    expect(s.live()).toEqual([
      { alloc: a, pages: [16, 18, 19] },
      { alloc: b, pages: [24] },
    ]);
  });
});

describe('Shadow.expectedCharge', () => {
  it('counts the live pages of charged allocations of one memcg', () => {
    const s = new Shadow(16, 16);
    const a = s.allocate(16, 2, GFP).alloc;
    a.charged = 4;
    a.memcg = 'm';
    const b = s.allocate(20, 1, GFP).alloc;
    b.charged = 2;
    b.memcg = 'other';
    s.allocate(22, 0, GFP);
    expect(s.expectedCharge('m')).toBe(4);
    expect(s.expectedCharge('other')).toBe(2);
    s.release(19, 0);
    expect(s.expectedCharge('m')).toBe(3);
    expect(s.expectedCharge('m', (p) => p === 16)).toBe(2);
  });
});

describe('Shadow history', () => {
  it('keeps the events of a page and of the blocks that contain it, oldest first', () => {
    const s = new Shadow(16, 16);
    s.note(16, 'page allocated via order 2', 'setup', -1, 4);
    s.note(18, 'get_page', 'A', 3);
    s.note(17, () => 'built lazily', 'B', 5);
    s.note(16, 'page freed, order 2', 'A', 7, 4);
    expect(s.historyOf(18)).toEqual([
      { what: 'page allocated via order 2 (of pfn:10)', thread: 'setup', step: -1 },
      { what: 'get_page', thread: 'A', step: 3 },
      { what: 'page freed, order 2 (of pfn:10)', thread: 'A', step: 7 },
    ]);
    expect(s.historyOf(17).map((e) => e.what)).toContain('built lazily');
    expect(s.historyOf(20)).toEqual([]);
  });

  it('records nothing when history is off', () => {
    const s = new Shadow(16, 16);
    s.history = false;
    s.note(16, 'x', 'A', 0);
    expect(s.historyOf(16)).toEqual([]);
  });
});

describe('Shadow.save and Shadow.restore', () => {
  it('restore an earlier state, independent of later changes', () => {
    const s = new Shadow(16, 16);
    const a = s.allocate(16, 1, GFP).alloc;
    a.charged = 2;
    s.note(16, 'first', 'setup', -1);
    const saved = s.save();
    s.release(16, 1);
    s.allocate(20, 0, GFP);
    s.note(16, 'second', 'A', 1);
    s.restore(saved);
    expect(s.isAllocated(17)).toBe(true);
    expect(s.isAllocated(20)).toBe(false);
    expect(s.allocationOf(16)).toMatchObject({ id: a.id, charged: 2 });
    expect(s.historyOf(16).map((e) => e.what)).toEqual(['first']);
    expect(s.allocate(24, 0, GFP).alloc.id).toBe(a.id + 1);
    s.restore(saved);
    s.allocationOf(16)!.charged = 0;
    s.restore(saved);
    expect(s.allocationOf(16)!.charged).toBe(2);
  });
});

describe('Shadow history (page_owner-style events)', () => {
  const fmt = (a: number, b: number): string => `put_page (${a} -> ${b})`;

  it('keeps every event past its first capacity, oldest first, with its thread and step', () => {
    const s = new Shadow(16, 16);
    for (let i = 0; i < 600; i++) s.note(16 + (i % 2), `event ${i}`, `T${i % 3}`, i);
    const h = s.historyOf(16);
    expect(h).toHaveLength(300);
    expect(h[0]).toEqual({ what: 'event 0', thread: 'T0', step: 0 });
    expect(h[299]).toEqual({ what: 'event 598', thread: 'T1', step: 598 });
    expect(s.historyOf(17)[149]).toEqual({ what: 'event 299', thread: 'T2', step: 299 });
  });

  it('saves and restores a history of several chunks, into a shadow whose history is longer or shorter', () => {
    const s = new Shadow(16, 16);
    const events = (n: number, from = 0): void => {
      for (let i = from; i < n; i++) s.noteFormat(16 + (i % 4), fmt, i, i / 2, `T${i % 5}`, i, 1 + (i % 3));
    };
    events(1500);
    const expected = Array.from({ length: 16 }, (_, i) => s.historyOf(16 + i));
    expect(expected[0]).toHaveLength(375);
    expect(expected[0]![374]).toEqual({ what: 'put_page (1496 -> 748)', thread: 'T1', step: 1496 });
    const saved = s.save();
    expect(saved.events.n).toBe(1500);
    events(5000, 1500);
    s.restore(saved);
    expect(Array.from({ length: 16 }, (_, i) => s.historyOf(16 + i))).toEqual(expected);
    // Restored, then grown again: the events after the saved ones are the new ones only.
    s.noteFormat(16, fmt, -3, 0, 'T9', 9999);
    expect(s.historyOf(16).at(-1)).toEqual({ what: 'put_page (-3 -> 0)', thread: 'T9', step: 9999 });
    expect(s.historyOf(16)).toHaveLength(376);
    const fresh = new Shadow(16, 16);
    fresh.restore(saved);
    expect(Array.from({ length: 16 }, (_, i) => fresh.historyOf(16 + i))).toEqual(expected);
  });

  it('keeps the numbers of an event as 32-bit integers (pfn, span, step, first number) and the second exactly', () => {
    const s = new Shadow(16, 16);
    const seen: [number, number][] = [];
    const rec = (a: number, b: number): string => {
      seen.push([a, b]);
      return 'e';
    };
    const bs = [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 40, 0.5, -2.25, NaN, Infinity, -Infinity, Number.MIN_VALUE];
    const as = [0, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 33 + 5, 1.75, NaN, Infinity];
    for (let i = 0; i < bs.length; i++) s.noteFormat(16, rec, as[i % as.length]!, bs[i]!, `T${i % 2}`, -1 + i * 1000003);
    // A step far from the last one, and back.
    s.noteFormat(16, rec, 3, 4, 'T0', 2 ** 31 - 1);
    s.noteFormat(16, rec, 3, 4, 'T0', -(2 ** 31));
    const h = s.historyOf(16);
    expect(h.map((e) => e.step)).toEqual([...bs.map((_, i) => (-1 + i * 1000003) | 0), 2 ** 31 - 1, -(2 ** 31)]);
    expect(h.map((e) => e.thread)).toEqual([...bs.map((_, i) => `T${i % 2}`), 'T0', 'T0']);
    expect(seen.slice(0, bs.length)).toEqual(bs.map((b, i) => [as[i % as.length]! | 0, b]));
    expect(Object.is(seen[1]![1], -0)).toBe(true);
  });

  it('renders a format of its two numbers when asked, a float and a negative number included', () => {
    const s = new Shadow(16, 16);
    s.noteFormat(16, fmt, -1, 2.5, 'main', 3);
    s.noteFormat(16, fmt, 7, 8, 'A', 4);
    s.note(16, () => 'lazy text', 'B', 5);
    expect(s.historyOf(16)).toEqual([
      { what: 'put_page (-1 -> 2.5)', thread: 'main', step: 3 },
      { what: 'put_page (7 -> 8)', thread: 'A', step: 4 },
      { what: 'lazy text', thread: 'B', step: 5 },
    ]);
  });

  it('shows an event about a block on each of its pages, naming the block', () => {
    const s = new Shadow(16, 16);
    s.noteFormat(18, fmt, 1, 0, 'main', 0, 4);
    expect(s.historyOf(17)).toEqual([]);
    expect(s.historyOf(18)).toEqual([{ what: 'put_page (1 -> 0)', thread: 'main', step: 0 }]);
    expect(s.historyOf(21)).toEqual([{ what: 'put_page (1 -> 0) (of pfn:12)', thread: 'main', step: 0 }]);
    expect(s.historyOf(22)).toEqual([]);
  });

  it('records nothing with history off', () => {
    const s = new Shadow(16, 16);
    s.history = false;
    s.note(16, 'x', 'main', 0);
    s.noteFormat(16, fmt, 1, 2, 'main', 1);
    expect(s.historyOf(16)).toEqual([]);
  });

  it('restores a saved history, dropping the events (and texts and threads) since, in the same shadow or a new one', () => {
    const s = new Shadow(16, 16);
    s.note(16, 'before', 'A', 1);
    s.noteFormat(16, fmt, 1, 2, 'B', 2);
    const saved = s.save();
    for (let i = 0; i < 300; i++) s.note(16, `after ${i}`, `C${i}`, 10 + i);
    s.noteFormat(16, (a) => `other ${a}`, 9, 0, 'D', 400);
    s.restore(saved);
    const expected = [{ what: 'before', thread: 'A', step: 1 }, { what: 'put_page (1 -> 2)', thread: 'B', step: 2 }];
    expect(s.historyOf(16)).toEqual(expected);
    // New events after a restore still get their own texts and threads (the tables are the saved ones).
    s.note(16, 'again', 'E', 3);
    s.note(16, 'before', 'A', 4);
    expect(s.historyOf(16)).toEqual([...expected, { what: 'again', thread: 'E', step: 3 }, { what: 'before', thread: 'A', step: 4 }]);
    const t = new Shadow(16, 16);
    t.note(17, 'unrelated', 'Z', 0);
    t.restore(saved);
    expect(t.historyOf(16)).toEqual(expected);
    expect(t.historyOf(17)).toEqual([]);
    t.noteFormat(16, fmt, 3, 4, 'B', 5);
    expect(t.historyOf(16)[2]).toEqual({ what: 'put_page (3 -> 4)', thread: 'B', step: 5 });
  });
});

describe('Shadow.release of a block holding pages of several allocations', () => {
  it('forgets each allocation whose pages are all free, and keeps one with a page still live', () => {
    const s = new Shadow(16, 16);
    const a = s.allocate(16, 1, GFP).alloc;
    const b = s.allocate(18, 0, GFP).alloc;
    const c = s.allocate(19, 0, GFP).alloc;
    const d = s.allocate(20, 1, GFP).alloc;
    s.split(20, 1);
    // Pages 16-19 (a, a, b, c) and one page of d's split block.
    s.release(16, 2);
    expect(s.allocations.has(a.id)).toBe(false);
    expect(s.allocations.has(b.id)).toBe(false);
    expect(s.allocations.has(c.id)).toBe(false);
    expect(s.isAllocated(21)).toBe(true);
    s.release(20, 0);
    expect(s.isAllocated(21)).toBe(true);
    expect(s.live().map((l) => l.pages)).toEqual([[21]]);
    void d;
  });

  it('keeps an allocation a released block covers only in part', () => {
    const s = new Shadow(16, 16);
    const a = s.allocate(16, 2, GFP).alloc;
    const b = s.allocate(20, 0, GFP).alloc;
    s.release(18, 2);
    expect(s.allocations.has(a.id)).toBe(true);
    expect(s.allocations.has(b.id)).toBe(false);
    expect(s.live().map((l) => l.pages)).toEqual([[16, 17]]);
  });
});

describe('Shadow.save and restore, beyond the history', () => {
  it('restores which pages were ever allocated (a later first allocation is forgotten)', () => {
    const s = new Shadow(16, 16);
    s.allocate(16, 0, GFP);
    const saved = s.save();
    s.allocate(20, 0, GFP);
    s.release(20, 0);
    expect(s.checkFree(20, 0)).toEqual({ pfn: 20, ever: true });
    s.restore(saved);
    expect(s.checkFree(20, 0)).toEqual({ pfn: 20, ever: false });
    expect(s.isAllocated(16)).toBe(true);
  });

  it('restores a history longer than a new shadow holds, and the second numbers of early events', () => {
    const s = new Shadow(16, 16);
    for (let i = 0; i < 300; i++) s.noteFormat(16, (a, b) => `ev ${a} ${b}`, i, i + 0.5, 'T', i);
    expect(s.historyOf(16)[0]).toEqual({ what: 'ev 0 0.5', thread: 'T', step: 0 });
    const t = new Shadow(16, 16);
    t.restore(s.save());
    const h = t.historyOf(16);
    expect(h).toHaveLength(300);
    expect(h[1]).toEqual({ what: 'ev 1 1.5', thread: 'T', step: 1 });
    expect(h[299]).toEqual({ what: 'ev 299 299.5', thread: 'T', step: 299 });
  });

  it('names the threads of events after a restore by their own names', () => {
    const s = new Shadow(16, 16);
    s.note(16, 'a', 'A', 0);
    const saved = s.save();
    s.note(16, 'x', 'X', 1);
    s.restore(saved);
    s.note(16, 'y', 'Y', 2);
    s.note(16, 'x again', 'X', 3);
    expect(s.historyOf(16).map((e) => e.thread)).toEqual(['A', 'Y', 'X']);
  });
});

describe('Shadow.split and charges', () => {
  it('forgets the split allocation, and keeps an uncharged one uncharged in its pieces', () => {
    const s = new Shadow(16, 16);
    const a = s.allocate(16, 1, GFP).alloc;
    s.split(16, 1);
    expect(s.allocations.has(a.id)).toBe(false);
    expect(s.live().map((l) => [l.pages, l.alloc.charged, l.alloc.memcg])).toEqual([[[16], 0, undefined], [[17], 0, undefined]]);
  });

  it('counts only the pages charged to the memcg asked for', () => {
    const s = new Shadow(16, 16);
    s.allocate(16, 1, GFP);
    s.charge(16, 'A', 2);
    s.allocate(18, 0, GFP);
    s.charge(18, 'B', 1);
    s.allocate(19, 0, GFP);
    expect(s.expectedCharge('A')).toBe(2);
    expect(s.expectedCharge('B')).toBe(1);
    s.split(16, 1);
    expect(s.expectedCharge('A')).toBe(2);
    expect(s.live().filter((l) => l.alloc.memcg === 'A').map((l) => l.alloc.charged)).toEqual([1, 1]);
  });
});
