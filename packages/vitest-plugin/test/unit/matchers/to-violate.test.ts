import { explore, VIOLATION_KINDS } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import '../../../src/setup.js';
import { messageOf } from '../../message-of.js';
import { clean, doubleFree, freeTwice, leak, racyDoubleFree } from '../../specs.js';

describe('toViolate', () => {
  it('passes when the kind is found', () => {
    expect(leak).toViolate('page-leak');
    expect(doubleFree).toViolate('double-free');
    expect(doubleFree).toViolate('use-after-free');
    expect(explore(freeTwice)).toViolate('refcount-underflow');
  });

  it('fails when the kind is not found, naming what was found instead', () => {
    const msg = messageOf(() => expect(freeTwice).toViolate('double-free'));
    expect(msg).toMatch(/^expected spec '__free_pages twice' to violate double-free, but 1 schedule \(exhaustive, complete\) found none; it found instead:\n {2}refcount-underflow: put_page_testzero/);
  });

  it('says how much was explored when nothing was found', () => {
    expect(messageOf(() => expect(clean).toViolate('page-leak'))).toMatch(/^expected spec 'alloc and free' to violate page-leak, but \d+ schedules \(exhaustive, complete\) found none$/);
    const bounded = explore(racyDoubleFree, { maxSchedules: 1, stopOnFirst: false });
    if (!bounded.kinds.includes('double-free')) {
      expect(messageOf(() => expect(bounded).toViolate('double-free'))).toContain('1 schedule (exhaustive, incomplete) found none');
    }
  });

  it('with .not, fails with the report of that kind', () => {
    expect(clean).not.toViolate('page-leak');
    expect(leak).not.toViolate('double-free');
    const msg = messageOf(() => expect(doubleFree).not.toViolate('double-free'));
    expect(msg).toMatch(/^expected spec 'free_the_page twice' not to violate double-free, but 1 schedule \(exhaustive, complete\) found it:\n\ndouble-free: /);
    expect(msg).toMatch(/replay: pc1\./);
  });

  it('throws a TypeError listing the kinds for a kind that does not exist, with or without .not', () => {
    const bad = 'not-a-kind' as Parameters<typeof expect.toViolate>[0];
    expect(() => expect(leak).toViolate(bad)).toThrow(TypeError);
    const msg = messageOf(() => expect(leak).not.toViolate(bad));
    expect(msg).toContain('"not-a-kind" is not a violation kind');
    for (const k of VIOLATION_KINDS) expect(msg).toContain(k);
  });

  it('rejects a received value that is not an exploration or a spec', () => {
    expect(() => expect('page-leak').toViolate('page-leak')).toThrow(/toViolate\(\) expects an Exploration or Run .* but received the string "page-leak"/);
  });
});
