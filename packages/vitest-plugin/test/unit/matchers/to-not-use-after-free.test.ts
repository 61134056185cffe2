import { describe, expect, it } from 'vitest';
import '../../../src/setup.js';
import { messageOf } from '../../message-of.js';
import { clean, doubleFree, leak, useAfterFree } from '../../specs.js';

describe('toNotUseAfterFree', () => {
  it('passes when no free page is touched', () => {
    expect(clean).toNotUseAfterFree();
    expect(leak).toNotUseAfterFree();
  });

  it('fails on a use-after-free with its report and the page history', () => {
    const msg = messageOf(() => expect(useAfterFree).toNotUseAfterFree());
    expect(msg).toMatch(/^expected spec 'page_ref_inc after free' to not use pages after free, but 1 schedule \(exhaustive, complete\) found use-after-free:\n\nuse-after-free: /);
    expect(msg).toMatch(/page history of pfn:8 \(oldest first\):[\s\S]*page freed, order 0/);
  });

  it('fails when use-after-free comes with other kinds, and reports only use-after-free', () => {
    const msg = messageOf(() => expect(doubleFree).toNotUseAfterFree());
    expect(msg).toContain('found use-after-free:');
    expect(msg).not.toContain('double-free: pfn');
  });

  it('works with .not', () => {
    expect(useAfterFree).not.toNotUseAfterFree();
    expect(() => expect(leak).not.toNotUseAfterFree()).toThrow("expected spec 'alloc without free' to use a page after free, but 1 schedule (exhaustive, complete) found no use-after-free (it found page-leak)");
  });
});
