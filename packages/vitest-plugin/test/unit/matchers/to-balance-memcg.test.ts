import { explore } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import '../../../src/setup.js';
import { messageOf } from '../../message-of.js';
import { clean, leak, memcgLeak, memcgUnderflow } from '../../specs.js';

describe('toBalanceMemcg', () => {
  it('passes when the charge balances', () => {
    expect(clean).toBalanceMemcg();
    expect(leak).toBalanceMemcg();
  });

  it('fails on memcg-leak', () => {
    const msg = messageOf(() => expect(memcgLeak).toBalanceMemcg());
    expect(msg).toMatch(/^expected spec 'charged twice' to balance the memcg charge and css references, but 1 schedule \(exhaustive, complete\) found memcg-leak:\n\nmemcg-leak: test_memcg memory.usage is 1 page\(s\)/);
    expect(msg).toMatch(/replay: pc1\./);
  });

  it('fails on memcg-underflow, which only racing uncharges show', () => {
    const e = explore(memcgUnderflow, { stopOnFirst: false });
    const msg = messageOf(() => expect(e).toBalanceMemcg());
    expect(msg).toMatch(/found memcg-underflow:\n\nmemcg-underflow: page_counter underflow/);
    expect(msg).toMatch(/[1-9]\d* preemptions?\)/);
  });

  it('reports both kinds when both are found', () => {
    const both = { ...explore(memcgLeak), spec: 'both' };
    const under = explore(memcgUnderflow, { stopOnFirst: false });
    const merged = { ...both, kinds: ['memcg-leak', 'memcg-underflow'] as const, violations: [...both.violations, ...under.violations], failures: [...both.failures, ...under.failures] };
    const msg = messageOf(() => expect(merged).toBalanceMemcg());
    expect(msg).toMatch(/found memcg-leak, memcg-underflow:\n\nmemcg-leak: [\s\S]*-{60}\n\nmemcg-underflow: /);
  });

  it('works with .not', () => {
    expect(memcgLeak).not.toBalanceMemcg();
    expect(messageOf(() => expect(clean).not.toBalanceMemcg())).toMatch(/to unbalance the memcg charge or css references, but .* found no memcg-leak or memcg-underflow$/);
  });
});
