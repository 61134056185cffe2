import { explore, runOnce } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import '../../../src/setup.js';
import { messageOf } from '../../message-of.js';
import { clean, doubleFree, leak } from '../../specs.js';

describe('toNotLeakPages', () => {
  it('passes on an exploration without page-leak', () => {
    expect(explore(clean)).toNotLeakPages();
    expect(explore(doubleFree, { stopOnFirst: false })).toNotLeakPages();
  });

  it('fails on a leak with the violation, race diagram, page history and replay token', () => {
    const e = explore(leak);
    const msg = messageOf(() => expect(e).toNotLeakPages());
    expect(msg).toMatch(/^expected spec 'alloc without free' to not leak pages, but 1 schedule \(exhaustive, incomplete\) found page-leak:/);
    expect(msg).toContain(e.failures[0]!.report);
    expect(msg).toContain('page-leak: 1 page(s) of the order-0 allocation');
    expect(msg).toMatch(/race diagram \(\d+ steps?, 0 preemptions\):/);
    expect(msg).toContain('page history of pfn:');
    expect(msg).toMatch(/replay: pc1\.[0-9a-z]+-[0-9a-z]+\.1\./);
  });

  it('explores a received RaceSpec, collecting every kind', () => {
    expect(clean).toNotLeakPages();
    expect(() => expect(leak).toNotLeakPages()).toThrow(/found page-leak/);
  });

  it('accepts a Run from runOnce', () => {
    expect(() => expect(runOnce(leak)).toNotLeakPages()).toThrow(/1 schedule \(replay\) found page-leak/);
  });

  it('works with .not, saying what was explored', () => {
    expect(leak).not.toNotLeakPages();
    const msg = messageOf(() => expect(doubleFree).not.toNotLeakPages());
    expect(msg).toBe("expected spec 'free_the_page twice' to leak pages, but 1 schedule (exhaustive, complete) found no page-leak (it found double-free, use-after-free)");
  });

  it('fails under .not too for a value that is neither an exploration nor a spec', () => {
    expect(() => expect(42).toNotLeakPages()).toThrow(TypeError);
    expect(() => expect(42).not.toNotLeakPages()).toThrow(/toNotLeakPages\(\) expects an Exploration or Run .* or a RaceSpec .*, but received the number 42/);
    expect(() => expect({ name: 'x' }).toNotLeakPages()).toThrow(/but received an object with keys \{ name \}/);
    expect(() => expect(undefined).toNotLeakPages()).toThrow(/but received undefined/);
  });
});
