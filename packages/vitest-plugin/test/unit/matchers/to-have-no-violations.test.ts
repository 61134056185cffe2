import { explore, runOnce } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import '../../../src/setup.js';
import { messageOf } from '../../message-of.js';
import { clean, doubleFree, freeTwice, leak } from '../../specs.js';

describe('toHaveNoViolations', () => {
  it('passes on a clean spec, exploration or run', () => {
    expect(clean).toHaveNoViolations();
    expect(explore(clean)).toHaveNoViolations();
    expect(runOnce(clean)).toHaveNoViolations();
  });

  it('fails on any kind, here refcount-underflow', () => {
    expect(() => expect(freeTwice).toHaveNoViolations()).toThrow(/to have no violations, but 1 schedule \(exhaustive, complete\) found refcount-underflow:\n\nrefcount-underflow: /);
    expect(() => expect(leak).toHaveNoViolations()).toThrow(/found page-leak:/);
  });

  it('reports every kind found, each with its own diagram and token', () => {
    const e = explore(doubleFree, { stopOnFirst: false });
    const msg = messageOf(() => expect(e).toHaveNoViolations());
    expect(msg).toContain('found double-free, use-after-free:');
    for (const f of e.failures) expect(msg).toContain(f.report);
    expect(msg.match(/race diagram/g)).toHaveLength(2);
    expect(msg.match(/replay: pc1\./g)).toHaveLength(2);
  });

  it('works with .not', () => {
    expect(leak).not.toHaveNoViolations();
    expect(messageOf(() => expect(clean).not.toHaveNoViolations())).toMatch(/^expected spec 'alloc and free' to have violations, but \d+ schedules \(exhaustive, complete\) found no violations$/);
  });
});
