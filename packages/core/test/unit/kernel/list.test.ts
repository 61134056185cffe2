import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { lruAddr } from '../../../src/kernel/page-alloc.js';
import { LIST_POISON1, LIST_POISON2 } from '../../../src/machine/addresses.js';
import { LRU_NEXT, LRU_PREV } from '../../../src/machine/layout.js';

/** A kernel with an empty list head (free_area[0], unused in a fresh zone) and three allocated pages. */
function setup(): { k: Kernel; head: number; a: number; b: number; c: number } {
  const k = createKernel({ pages: 16 });
  const [a, b, c] = [0, 1, 2].map(() => k.run(k.alloc_pages(GFP_KERNEL, 2))!) as [number, number, number];
  const head = k.zone.freeListAddr[0]!;
  expect(k.run(k.list_empty(head))).toBe(true);
  return { k, head, a, b, c };
}

/** The entries of a list, first to last, following next pointers. */
function walk(k: Kernel, head: number): number[] {
  const out: number[] = [];
  let at = k.m.words[k.listLoc(head, 0, 'walk')]!;
  while (at !== head) {
    out.push(at);
    at = k.m.words[k.listLoc(at, 0, 'walk')]!;
  }
  return out;
}

describe('list_add and list_add_tail', () => {
  it('insert after and before the head', () => {
    const { k, head, a, b, c } = setup();
    k.run(k.list_add(lruAddr(a), head));
    k.run(k.list_add(lruAddr(b), head));
    k.run(k.list_add_tail(lruAddr(c), head));
    expect(walk(k, head)).toEqual([lruAddr(b), lruAddr(a), lruAddr(c)]);
    expect(k.peek(c, LRU_NEXT)).toBe(head);
    expect(k.peek(b, LRU_PREV)).toBe(head);
    expect(k.run(k.list_empty(head))).toBe(false);
  });
});

describe('list_del', () => {
  it('unlinks the entry and poisons its pointers', () => {
    const { k, head, a, b } = setup();
    k.run(k.list_add(lruAddr(a), head));
    k.run(k.list_add(lruAddr(b), head));
    k.run(k.list_del(lruAddr(a)));
    expect(walk(k, head)).toEqual([lruAddr(b)]);
    expect(k.peek(a, LRU_NEXT)).toBe(LIST_POISON1);
    expect(k.peek(a, LRU_PREV)).toBe(LIST_POISON2);
  });

  it('reports a second list_del of the same entry as a wild-deref through LIST_POISON', () => {
    const { k, head, a } = setup();
    k.run(k.list_add(lruAddr(a), head));
    k.run(k.list_del(lruAddr(a)));
    expect(() => k.run(k.list_del(lruAddr(a)))).toThrow(/wild-deref: list_del: list pointer 0x100 does not point at a list_head/);
  });
});

describe('list_del_init', () => {
  it('unlinks the entry and points it at itself', () => {
    const { k, head, a } = setup();
    k.run(k.list_add(lruAddr(a), head));
    k.run(k.list_del_init(lruAddr(a)));
    expect(k.run(k.list_empty(head))).toBe(true);
    expect(k.run(k.list_empty(lruAddr(a)))).toBe(true);
  });
});

describe('INIT_LIST_HEAD', () => {
  it('makes an empty list', () => {
    const { k, a } = setup();
    k.run(k.INIT_LIST_HEAD(lruAddr(a)));
    expect(k.run(k.list_empty(lruAddr(a)))).toBe(true);
  });
});
