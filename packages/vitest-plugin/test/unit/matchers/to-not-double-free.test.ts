import { explore } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import '../../../src/setup.js';
import { messageOf } from '../../message-of.js';
import { clean, doubleFree, freeTwice, leak, racyDoubleFree } from '../../specs.js';

describe('toNotDoubleFree', () => {
  it('passes when no schedule frees a free page', () => {
    expect(clean).toNotDoubleFree();
    expect(leak).toNotDoubleFree();
    // The second __free_pages underflows the refcount and frees nothing.
    expect(freeTwice).toNotDoubleFree();
  });

  it('fails on a double free with its report', () => {
    const msg = messageOf(() => expect(doubleFree).toNotDoubleFree());
    expect(msg).toMatch(/^expected spec 'free_the_page twice' to not double free, but 1 schedule \(exhaustive, complete\) found double-free:\n\ndouble-free: pfn:8 freed again/);
    expect(msg).toContain('race diagram');
    expect(msg).toMatch(/replay: pc1\./);
    // Only the kind checked is reported, not the use-after-free found with it.
    expect(msg).not.toContain('use-after-free:');
  });

  it('finds a double free that only one interleaving shows, with the preempting schedule', () => {
    const msg = messageOf(() => expect(racyDoubleFree).toNotDoubleFree());
    expect(msg).toMatch(/found double-free:/);
    expect(msg).toMatch(/race diagram \(\d+ steps, [1-9]\d* preemptions?\):\nA +\| B/);
  });

  it('judges an exploration as given: a first-failure exploration may stop before the double free', () => {
    const first = explore(racyDoubleFree, { stopOnFirst: true });
    const all = explore(racyDoubleFree, { stopOnFirst: false });
    expect(all).not.toNotDoubleFree();
    expect(first.kinds).toHaveLength(1);
    if (first.kinds[0] === 'double-free') expect(first).not.toNotDoubleFree();
    else expect(first).toNotDoubleFree();
  });

  it('works with .not', () => {
    expect(doubleFree).not.toNotDoubleFree();
    expect(messageOf(() => expect(clean).not.toNotDoubleFree())).toMatch(/^expected spec 'alloc and free' to double free, but \d+ schedules \(exhaustive, complete\) found no double-free$/);
  });
});
