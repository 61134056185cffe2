import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, type Kernel, type KernelConfig } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, __GFP_ACCOUNT, __GFP_COMP, __GFP_NOWARN } from '../../../src/kernel/gfp.js';
import { pfnToAddr } from '../../../src/machine/addresses.js';
import { PG_head } from '../../../src/kernel/page-flags.js';
import { FLAGS, LRU_NEXT, MEMCG_DATA, REFCOUNT } from '../../../src/machine/layout.js';
import { freeBlocks, maximalBlocks } from './free-area.js';

/**
 * Model-based test of the buddy allocator: random sequences of alloc_pages,
 * frees (four ways) and split_page, checked after every command against a
 * reference that only knows which pages are free and which blocks are live.
 */

/** A live allocation as the reference sees it. */
interface Block {
  readonly pfn: number;
  readonly order: number;
  readonly compound: boolean;
  readonly accounted: boolean;
}

/** The reference: the zone, the free pages, the live blocks and the memcg charge. */
interface Model {
  readonly start: number;
  readonly pages: number;
  readonly maxOrder: number;
  readonly limit: number;
  readonly free: Set<number>;
  live: Block[];
}

interface Real {
  readonly k: Kernel;
}

type Cmd = fc.Command<Model, Real>;

/** A command that checks the kernel against the reference after it runs. */
abstract class Step implements Cmd {
  abstract check(m: Readonly<Model>): boolean;
  abstract apply(m: Model, r: Real): void;
  abstract toString(): string;
  run(m: Model, r: Real): void {
    this.apply(m, r);
    checkAgainstModel(m, r.k);
  }
}

const charged = (m: Model): number => m.live.reduce((n, b) => n + (b.accounted ? 1 << b.order : 0), 0);

/** A free, naturally aligned block of 1 << order pages exists in the reference. */
function fits(m: Model, order: number): boolean {
  if (order >= m.maxOrder) return false;
  const size = 1 << order;
  for (let pfn = m.start; pfn + size <= m.start + m.pages; pfn += size) {
    let all = true;
    for (let i = 0; i < size && all; i++) all = m.free.has(pfn + i);
    if (all) return true;
  }
  return false;
}

class AllocCommand extends Step {
  constructor(readonly order: number, readonly compound: boolean, readonly accounted: boolean) {
    super();
  }
  check(): boolean {
    return true;
  }
  apply(m: Model, { k }: Real): void {
    const nowarn = this.order >= m.maxOrder ? __GFP_NOWARN : 0;
    const gfp = GFP_KERNEL | (this.compound ? __GFP_COMP : 0) | (this.accounted ? __GFP_ACCOUNT : 0) | nowarn;
    const expected = fits(m, this.order) && (!this.accounted || charged(m) + (1 << this.order) <= m.limit);
    const p = k.run(k.alloc_pages(gfp, this.order));
    if (!expected) {
      check(p === null, () => `alloc_pages returned ${hex(p!)}; the reference says it must fail`);
      return;
    }
    if (p === null) throw new Error('alloc_pages returned NULL; the reference has a free block and room in the memcg');
    const size = 1 << this.order;
    check(p % size === 0, () => `${hex(p)} is not aligned to order ${this.order}`);
    for (let i = 0; i < size; i++) {
      check(m.free.has(p + i), () => `alloc_pages handed out ${hex(p + i)}, which was not free`);
      m.free.delete(p + i);
    }
    m.live.push({ pfn: p, order: this.order, compound: this.compound && this.order > 0, accounted: this.accounted });
  }
  toString(): string {
    return `alloc(order ${this.order}${this.compound ? ', __GFP_COMP' : ''}${this.accounted ? ', __GFP_ACCOUNT' : ''})`;
  }
}

/** How a block is freed: __free_pages, put_page, or with a second reference that is dropped last. */
type FreeWay = '__free_pages' | 'put_page' | 'get_page; __free_pages; put_page' | 'folio_get; folio_put; folio_put';

class FreeCommand extends Step {
  constructor(readonly index: number, readonly way: FreeWay) {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return m.live.length > 0;
  }
  /** The way actually used: put_page frees only page 0 of a non-compound block, and a speculative
   *  reference on an accounted non-compound block leaks its tails' charge (the rare leak upstream accepts). */
  private wayFor(b: Block): FreeWay {
    if (b.compound || b.order === 0) return this.way;
    if (this.way === 'get_page; __free_pages; put_page' && !b.accounted) return this.way;
    return '__free_pages';
  }
  apply(m: Model, { k }: Real): void {
    const b = m.live[this.index % m.live.length]!;
    switch (this.wayFor(b)) {
      case '__free_pages':
        k.run(k.__free_pages(b.pfn, b.order));
        break;
      case 'put_page':
        k.run(k.put_page(b.pfn));
        break;
      case 'get_page; __free_pages; put_page':
        k.run(k.get_page(b.pfn));
        k.run(k.__free_pages(b.pfn, b.order));
        k.run(k.put_page(b.pfn));
        break;
      case 'folio_get; folio_put; folio_put':
        k.run(k.folio_get(b.pfn));
        k.run(k.folio_put(b.pfn));
        k.run(k.folio_put(b.pfn));
        break;
    }
    m.live = m.live.filter((x) => x !== b);
    for (let i = 0; i < 1 << b.order; i++) m.free.add(b.pfn + i);
  }
  toString(): string {
    return `free(#${this.index}, ${this.way})`;
  }
}

class SplitCommand extends Step {
  constructor(readonly index: number) {
    super();
  }
  private static splittable(m: Readonly<Model>): Block[] {
    return m.live.filter((b) => !b.compound && b.order > 0);
  }
  check(m: Readonly<Model>): boolean {
    return SplitCommand.splittable(m).length > 0;
  }
  apply(m: Model, { k }: Real): void {
    const all = SplitCommand.splittable(m);
    const b = all[this.index % all.length]!;
    k.run(k.split_page(b.pfn, b.order));
    m.live = m.live.filter((x) => x !== b);
    for (let i = 0; i < 1 << b.order; i++) m.live.push({ pfn: b.pfn + i, order: 0, compound: false, accounted: b.accounted });
  }
  toString(): string {
    return `split_page(#${this.index})`;
  }
}

/** Fails the command with `message` unless `ok`: plain throws, as this runs after every command. */
function check(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message());
}

const hex = (pfn: number): string => `pfn:${pfn.toString(16)}`;

/** Everything the kernel must agree with the reference on, after every command. */
function checkAgainstModel(m: Model, k: Kernel): void {
  check(k.violations.length === 0, () => `violations: ${k.violations.map((v) => `${v.kind}: ${v.message}`).join('; ')}`);
  const problem = checkFreeLists(k);
  check(problem === undefined, () => `checkFreeLists: ${problem!.message}`);

  // Free pages: NR_FREE_PAGES, the free lists and the reference agree.
  const blocks = freeBlocks(k);
  const onLists = new Set<number>();
  for (const { pfn, order } of blocks) for (let i = 0; i < 1 << order; i++) onLists.add(pfn + i);
  check(k.nrFreePages === m.free.size, () => `NR_FREE_PAGES is ${k.nrFreePages}, the reference has ${m.free.size} free pages`);
  check(onLists.size === m.free.size, () => `the free lists hold ${onLists.size} pages, the reference has ${m.free.size}`);
  for (const pfn of m.free) check(onLists.has(pfn), () => `free ${hex(pfn)} is not on a free list`);

  // Live allocations: no two overlap, none is on a free list, each is what the shadow and the words say.
  const owner = new Set<number>();
  for (const b of m.live) {
    for (let i = 0; i < 1 << b.order; i++) {
      const p = b.pfn + i;
      check(!owner.has(p), () => `${hex(p)} is in two live allocations`);
      owner.add(p);
      check(!onLists.has(p), () => `live ${hex(p)} is on a free list`);
      check(k.shadow.isAllocated(p), () => `live ${hex(p)} is free in the shadow`);
      check(k.peek(p, REFCOUNT) === (i === 0 ? 1 : 0), () => `_refcount of ${hex(p)} is ${k.peek(p, REFCOUNT)}`);
      if (b.compound && i > 0) check(k.peek(p, LRU_NEXT) === pfnToAddr(b.pfn) + 1, () => `tail ${hex(p)} does not point at its head ${hex(b.pfn)}`);
    }
    check(((k.peek(b.pfn, FLAGS) >>> PG_head) & 1) === (b.compound ? 1 : 0), () => `PageHead(${hex(b.pfn)}) is not ${b.compound}`);
    if (b.accounted && k.memcg !== undefined) check(k.peek(b.pfn, MEMCG_DATA) !== 0, () => `accounted ${hex(b.pfn)} has no memcg_data`);
  }
  check(owner.size + m.free.size === m.pages, () => `${m.pages - owner.size - m.free.size} page(s) are neither free nor allocated`);

  // memcg: the usage is the charge of the live accounted blocks.
  if (k.memcg !== undefined) check(k.memcgUsage() === charged(m), () => `memcg usage is ${k.memcgUsage()}, the live accounted blocks hold ${charged(m)}`);

  // Fully merged: no free block's buddy is a free block of the same order.
  const free = new Set(blocks.map((b) => b.pfn * 32 + b.order));
  for (const { pfn, order } of blocks) {
    if (order === m.maxOrder - 1) continue;
    const buddy = pfn ^ (1 << order);
    check(!free.has(buddy * 32 + order), () => `free buddies ${hex(pfn)} and ${hex(buddy)} of order ${order} were not merged`);
  }
}

const configArb = fc
  .record({
    pages: fc.integer({ min: 16, max: 64 }),
    maxOrderCut: fc.nat({ max: 3 }),
    startBlock: fc.integer({ min: 1, max: 4 }),
    memcg: fc.oneof(fc.constant(false as const), fc.constant({}), fc.integer({ min: 0, max: 64 }).map((limit) => ({ limit }))),
  })
  .map(({ pages, maxOrderCut, startBlock, memcg }): KernelConfig => {
    const maxOrder = Math.max(1, Math.floor(Math.log2(pages)) + 1 - maxOrderCut);
    return { pages, maxOrder, startPfn: startBlock << (maxOrder - 1), memcg };
  });

/** Mostly small orders, so that zones fill up and fragment; now and then one too big for the zone. */
const allocArb = fc
  .tuple(fc.oneof({ arbitrary: fc.nat({ max: 3 }), weight: 4 }, { arbitrary: fc.nat({ max: 7 }), weight: 1 }), fc.boolean(), fc.boolean())
  .map(([order, comp, acct]) => new AllocCommand(order, comp, acct));

const commandsArb = (maxCommands: number): fc.Arbitrary<Iterable<Cmd>> =>
  fc.commands<Model, Real>(
    [
      allocArb,
      allocArb,
      fc.tuple(fc.nat(), fc.constantFrom<FreeWay>('__free_pages', 'put_page', 'get_page; __free_pages; put_page', 'folio_get; folio_put; folio_put')).map(([i, way]) => new FreeCommand(i, way)),
      fc.nat().map((i) => new SplitCommand(i)),
    ],
    { maxCommands, size: 'max' },
  );

describe('the buddy allocator, against a reference model', () => {
  it('keeps free pages, live blocks, counters and merging consistent through any sequence of operations', () => {
    fc.assert(
      fc.property(configArb, commandsArb(40), fc.boolean(), (config, cmds, reverse) => {
        const k = createKernel(config);
        const model: Model = {
          start: k.m.startPfn,
          pages: k.m.nrPages,
          maxOrder: k.MAX_ORDER,
          limit: config.memcg !== false && config.memcg?.limit !== undefined ? config.memcg.limit : Number.POSITIVE_INFINITY,
          free: new Set(Array.from({ length: k.m.nrPages }, (_, i) => k.m.startPfn + i)),
          live: [],
        };
        checkAgainstModel(model, k);
        fc.modelRun(() => ({ model, real: { k } }), cmds);

        // Free whatever is left: the zone must come back as the fewest maximal aligned blocks.
        const rest = reverse ? model.live.slice().reverse() : model.live.slice();
        for (const b of rest) new FreeCommand(model.live.indexOf(b), '__free_pages').run(model, { k });
        expect(k.nrFreePages).toBe(model.pages);
        expect(freeBlocks(k)).toEqual(maximalBlocks(model.start, model.pages, model.maxOrder));
        k.finalChecks();
        expect(k.violations).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
