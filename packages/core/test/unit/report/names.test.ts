import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/explore.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import type { RaceSpec } from '../../../src/spec.js';
import { messagePassing } from './specs.js';

/** The diagram's rows as [cell of thread 0, cell of thread 1, ...], the header dropped. */
const rows = (diagram: string): string[][] => diagram.split('\n').slice(2).map((l) => l.split(/ \|(?: |$)/).map((c) => c.trim()));
const column = (diagram: string, t: number): string[] => rows(diagram).map((r) => r[t] ?? '').filter((c) => c !== '');

const abba: RaceSpec<{ a: number; b: number }> = {
  name: 'zone lock and lru lock in opposite orders',
  setup: (k) => ({ a: k.spin_lock_init('zone->lock'), b: k.spin_lock_init('lruvec->lru_lock') }),
  threads: {
    *A(k, s) { yield* k.spin_lock(s.a); yield* k.spin_lock(s.b); yield* k.spin_unlock(s.b); yield* k.spin_unlock(s.a); },
    *B(k, s) { yield* k.spin_lock(s.b); yield* k.spin_lock(s.a); yield* k.spin_unlock(s.a); yield* k.spin_unlock(s.b); },
  },
};

const pageLocks: RaceSpec<{ p: number; q: number }> = {
  name: 'two page locks in opposite orders',
  kernel: { pages: 16 },
  *setup(k) {
    const p = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
    const q = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
    k.name(p, 'P0');
    k.name(q, 'P1');
    return { p, q };
  },
  threads: {
    *A(k, s) { yield* k.lock_page(s.p); yield* k.lock_page(s.q); yield* k.unlock_page(s.q); yield* k.unlock_page(s.p); },
    *B(k, s) { yield* k.lock_page(s.q); yield* k.lock_page(s.p); yield* k.unlock_page(s.p); yield* k.unlock_page(s.q); },
  },
  *teardown(k, s) { yield* k.__free_pages(s.p, 0); yield* k.__free_pages(s.q, 0); },
};

describe('a deadlock report', () => {
  it('names the spinlocks of the cycle and who holds each', () => {
    const f = explore(abba).failure!;
    expect(f.violation.kind).toBe('deadlock');
    expect(f.violation.message).toBe('every live thread is blocked: A waits for spin_lock(&lruvec->lru_lock), held by B; B waits for spin_lock(&zone->lock), held by A');
    expect(f.violation.thread).toBe('A, B');
    expect(column(f.diagram, 0)).toEqual(['spin_lock(&zone->lock)']);
    expect(column(f.diagram, 1)).toEqual(['spin_lock(&lruvec->lru_lock)']);
  });

  it('names the pages whose locks make the cycle', () => {
    const f = explore(pageLocks).failure!;
    expect(f.violation.message).toBe('every live thread is blocked: A waits for lock_page(P1), held by B; B waits for lock_page(P0), held by A');
  });
});

describe('a race diagram', () => {
  it('prints a step label as written, with no argument list added', () => {
    const counter: RaceSpec = {
      name: 'a counter bumped without a lock',
      setup(k) { k.sharedWord('nr_free'); },
      threads: {
        *A(k) { const v = yield k.readShared('nr_free'); yield k.writeSharedAfterRead('nr_free', v + 1); },
        *B(k) { const v = yield k.readShared('nr_free'); yield k.writeSharedAfterRead('nr_free', v + 1); },
      },
    };
    const f = explore(counter).failure!;
    expect(f.violation.kind).toBe('lost-update');
    const cells = rows(f.diagram).flat();
    expect(cells).toContain('nr_free = 1');
    expect(cells).toContain('READ_ONCE(nr_free)');
    expect(cells.some((c) => c.endsWith('()'))).toBe(false);
  });

  it('shows each call once, and a call made twice in a row twice', () => {
    const twice: RaceSpec<{ p: number }> = {
      name: 'the same calls twice, then a leak',
      kernel: { pages: 16 },
      *setup(k) {
        const p = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
        k.name(p, 'P0');
        return { p };
      },
      threads: {
        *A(k, s) {
          yield* k.get_page(s.p);
          yield* k.get_page(s.p);
          yield* k.lock_page(s.p);
          yield* k.unlock_page(s.p);
          yield* k.put_page(s.p);
          yield* k.put_page(s.p);
        },
      },
    };
    const f = explore(twice).failure!;
    expect(f.violation.kind).toBe('page-leak');
    expect(column(f.diagram, 0)).toEqual(['get_page(P0)', 'get_page(P0)', 'lock_page(P0)', 'unlock_page(P0)', 'put_page(P0)', 'put_page(P0)', 'put_page_testzero(P0) == false']);
  });

  it('under lkmm, shows which store each read saw', () => {
    const f = explore(messagePassing).failure!;
    const consumer = column(f.diagram, 1);
    expect(consumer).toContain('READ_ONCE(flag) == 1  (saw: producer WRITE_ONCE(flag, 1))');
    expect(consumer).toContain('READ_ONCE(buf) == 0  (saw: initial value)');
    expect(column(f.diagram, 0)).toEqual(['WRITE_ONCE(buf, 1)', 'WRITE_ONCE(flag, 1)']);
  });
});
