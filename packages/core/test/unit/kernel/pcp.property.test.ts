import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, __GFP_NOWARN } from '../../../src/kernel/gfp.js';
import { freeBlocks } from './free-area.js';

/**
 * Model-based test of the buddy allocator with per-cpu lists: random
 * sequences of allocations and frees on two CPUs, checked after every command
 * against a reference that knows only which blocks are live. No page may be
 * lost or handed out twice across the pcp lists and the buddy.
 */

const PAGES = 32;

interface Model {
  live: { pfn: number; order: number }[];
}
interface Real {
  readonly k: Kernel;
  cpu: { now: number };
}

function check(ok: boolean, msg: () => string): void {
  if (!ok) throw new Error(msg());
}

const pcpPages = (k: Kernel): number => k.percpu.cpus.reduce((n, c) => n + k.m.words[c.count]!, 0);

function checkAgainstModel(m: Model, k: Kernel): void {
  check(k.violations.length === 0, () => `violations: ${k.violations.map((v) => `${v.kind}: ${v.message}`).join('; ')}`);
  const problem = checkFreeLists(k);
  check(problem === undefined, () => `checkFreeLists: ${problem!.message}`);
  const livePages = m.live.reduce((n, b) => n + (1 << b.order), 0);
  check(k.nrFreePages + pcpPages(k) === PAGES - livePages, () => `buddy ${k.nrFreePages} + pcp ${pcpPages(k)} free pages, the reference has ${PAGES - livePages}`);
  const seen = new Set<number>();
  for (const b of m.live) {
    for (let i = 0; i < 1 << b.order; i++) {
      check(!seen.has(b.pfn + i), () => `pfn ${b.pfn + i} is in two live blocks`);
      seen.add(b.pfn + i);
      check(k.shadow.isAllocated(b.pfn + i), () => `live pfn ${b.pfn + i} is free in the shadow`);
    }
  }
}

class Alloc implements fc.Command<Model, Real> {
  constructor(readonly order: number, readonly cpu: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    r.cpu.now = this.cpu;
    const p = r.k.run(r.k.alloc_pages(GFP_KERNEL | __GFP_NOWARN, this.order));
    if (p === null) {
      // NULL only if neither the buddy nor, for order 0, this CPU's list has a page.
      check(!freeBlocks(r.k).some((b) => b.order >= this.order), () => `alloc_pages(${this.order}) failed with a free block in the buddy`);
      if (this.order === 0) check(r.k.m.words[r.k.percpu.cpus[this.cpu]!.count] === 0, () => 'alloc_pages(0) failed with pages on this CPU\'s list');
    } else m.live.push({ pfn: p, order: this.order });
    checkAgainstModel(m, r.k);
  }
  toString(): string {
    return `alloc(order ${this.order}, cpu${this.cpu})`;
  }
}

class Free implements fc.Command<Model, Real> {
  constructor(readonly pick: number, readonly cpu: number) {}
  check(m: Readonly<Model>): boolean {
    return m.live.length > 0;
  }
  run(m: Model, r: Real): void {
    const [b] = m.live.splice(this.pick % m.live.length, 1);
    r.cpu.now = this.cpu;
    r.k.run(r.k.__free_pages(b!.pfn, b!.order));
    checkAgainstModel(m, r.k);
  }
  toString(): string {
    return `free(#${this.pick}, cpu${this.cpu})`;
  }
}

describe('the buddy allocator with per-cpu lists, against a reference', () => {
  it('loses no page and hands none out twice across the pcp lists and the buddy', () => {
    const cmds = [
      fc.tuple(fc.constantFrom(0, 0, 0, 1, 2), fc.integer({ min: 0, max: 1 })).map(([o, c]) => new Alloc(o, c)),
      fc.tuple(fc.nat(64), fc.integer({ min: 0, max: 1 })).map(([p, c]) => new Free(p, c)),
    ];
    fc.assert(
      fc.property(fc.commands(cmds, { maxCommands: 60 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (commands, high, batch) => {
        const cpu = { now: 0 };
        const k = createKernel({ pages: PAGES, cpus: 2, pcp: { high, batch }, overrides: { smp_processor_id: () => cpu.now } });
        fc.modelRun(() => ({ model: { live: [] }, real: { k, cpu } }), commands);
      }),
      { numRuns: 150 },
    );
  });

  it('notices a page lost on the way from a pcp list to the buddy (the reference is not blind)', () => {
    const cpu = { now: 0 };
    const k = createKernel({
      pages: PAGES, cpus: 2, pcp: { high: 2, batch: 1 },
      overrides: {
        smp_processor_id: () => cpu.now,
        // free_pcppages_bulk that takes the page off the list but never gives it to the buddy
        *free_pcppages_bulk(kk, count, pcp) {
          const last: number = yield kk.m.gld(pcp.list + 1, 'list_last_entry');
          yield* kk.list_del(last);
          yield kk.m.gld(pcp.count, 'pcp->count');
          kk.m.words[pcp.count]! -= Math.min(count, 1);
        },
      },
    });
    const m: Model = { live: [] };
    const real = { k, cpu };
    new Alloc(0, 0).run(m, real);
    new Alloc(0, 0).run(m, real);
    new Free(0, 0).run(m, real);
    expect(() => new Free(0, 0).run(m, real)).toThrow(/lost by the allocator|free pages, the reference has/);
  });
});
