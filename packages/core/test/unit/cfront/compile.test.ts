import { describe, expect, it } from 'vitest';
import { createKernel, GFP_KERNEL, type Kernel } from '../../../src/index.js';
import { INDEX, PRIVATE } from '../../../src/machine/layout.js';
import { cFunction, cVariant } from '../../../src/cfront/index.js';
import { recorded } from '../kernel/step-order.js';

/** Runs a kernel function of a C variant on a fresh kernel, recording its steps' labels. */
function run(source: string, fn: string, args: (k: Kernel) => unknown[], config: { memcg?: false } = {}) {
  const k = createKernel({ pages: 8, overrides: cVariant(source), ...config });
  const a = args(k);
  const steps: string[] = [];
  const value = k.run(recorded((k as unknown as Record<string, (...x: unknown[]) => ReturnType<Kernel['put_page']>>)[fn]!(...a), steps));
  return { k, value, steps, args: a };
}

const page = (k: Kernel) => k.run(k.alloc_pages(GFP_KERNEL, 0)) as number;

describe('cVariant: what C compiles to', () => {
  it('runs locals, arithmetic, if, while, do, for, continue, break and the conditional operator with no step', () => {
    const src = `int folio_order(struct folio *folio)
{
	int s = 0, i;
	unsigned int n = 5;

	for (i = 0; i < 10; i++) {
		if (i == 3)
			continue;
		if (i > 6)
			break;
		s += i;			/* 0+1+2+4+5+6 = 18 */
	}
	while (n-- > 0)
		s = s * 2 - 1;		/* 18 -> 35 -> 69 -> 137 -> 273 -> 545 */
	do {
		s = s / 3;		/* 181 */
	} while (0);
	s = s % 100 + (1 << 4) + (0x10 >> 2) + (6 & 3) + (4 | 1) + (5 ^ 1);	/* 81 + 16 + 4 + 2 + 5 + 4 */
	return !folio ? -1 : (s > 100 && s < 200 ? s : 0);
}`;
    const { value, steps } = run(src, 'folio_order', (k) => [page(k)]);
    expect(value).toBe(112);
    expect(steps).toEqual([]);
  });

  it('makes one load or store step per struct page field access, labelled with its C line', () => {
    const src = `void split_page_memcg(struct page *head, unsigned int nr)
{
	struct page *tail = head + 1;
	unsigned long v = head->index;

	tail->index = v + nr;
	head->private = tail->index * 2;
}`;
    const { k, steps, args } = run(src, 'split_page_memcg', (k) => [k.run(k.alloc_pages(GFP_KERNEL, 1)), 3]);
    expect(steps).toEqual(['unsigned long v = head->index;', 'tail->index = v + nr;', 'head->private = tail->index * 2;', 'head->private = tail->index * 2;']);
    const head = args[0] as number;
    expect(k.m.words[k.m.loc(head + 1, INDEX)]).toBe(3);
    expect(k.m.words[k.m.loc(head, PRIVATE)]).toBe(6);
  });

  it('calls the model\'s kernel functions by name, with their own steps', () => {
    const src = `void __free_pages(struct page *page, unsigned int order)
{
	if (likely(put_page_testzero(page)))
		free_the_page(page, order);
}`;
    const { k, steps, args } = run(src, '__free_pages', (k) => [page(k), 0]);
    expect(steps[0]).toMatch(/_refcount|put_page_testzero/);
    expect(k.run(k.page_count(args[0] as number))).toBe(0);
  });

  it('takes #ifdef CONFIG_MEMCG from the kernel\'s config, and #else otherwise', () => {
    const src = `int folio_order(struct folio *folio)
{
	int r = 0;
#ifdef CONFIG_MEMCG
	r = 1;
#else
	r = 2;
#endif
#if !IS_ENABLED(CONFIG_MEMCG) && defined(CONFIG_SLUB)
	r += 10;
#endif
	return r;
}`;
    expect(run(src, 'folio_order', (k) => [page(k)]).value).toBe(1);
    expect(run(src, 'folio_order', (k) => [page(k)], { memcg: false }).value).toBe(12);
  });

  it('jumps with goto to a label of the enclosing block, and calls helpers defined beside', () => {
    const src = `static int twice(int x)
{
	return x * 2;
}

bool isolate_movable_page(struct page *page, isolate_mode_t mode)
{
	int tries = 0;
again:
	tries++;
	if (tries < 3)
		goto again;
	if (twice(tries) != 6)
		goto fail;
	return true;
fail:
	return false;
}`;
    expect(run(src, 'isolate_movable_page', (k) => [page(k)]).value).toBe(true);
  });

  it('returns NULL as null from a pointer-returning function, and bool as a boolean', () => {
    const src = `static inline struct slab *alloc_slab_page(struct kmem_cache *s)
{
	return NULL;
}`;
    expect(run(src, 'alloc_slab_page', () => [{ order: 0 }]).value).toBeNull();
  });

  it('cFunction(): a pure C function with out-parameters, object fields and externs', () => {
    const f = cFunction(`static void pick(struct vm_fault *vmf, int *order_out, unsigned long *addr_out)
{
	struct vm_area_struct *vma = vmf->vma;
	int order = min(*order_out, 3);

	while (order > 0 && !fits(vma->vm_start, vmf->address, order))
		order--;
	*order_out = order;
	*addr_out = ALIGN_DOWN(vmf->address, 4096 << order);
}`, 'pick', { externs: { fits: (start: number, addr: number, order: number) => addr - (addr % (4096 << order)) >= start } });
    const order = { value: 5 };
    const addr = { value: 0 };
    f({ vma: { vm_start: 0x11000, vm_end: 0x20000 }, address: 0x13000 }, order, addr);
    expect(order.value).toBe(1);
    expect(addr.value).toBe(0x12000);
  });
});
