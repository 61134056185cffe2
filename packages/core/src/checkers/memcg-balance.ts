import type { Checker } from './checker.js';

/**
 * memcg charge balance: at teardown, the test cgroup's memory.usage must equal
 * the pages the shadow still has charged to it (live pages of accounted
 * allocations, leaving out pages bad_page() took out, whose charge the kernel
 * leaves as it was). More usage is a leaked charge; less is an underflow.
 */
export const memcgBalance: Checker = {
  name: 'memcg-balance',
  atEnd(k) {
    const mc = k.memcg;
    if (mc === undefined) return;
    const usage = k.m.words[mc.usage]!;
    const expected = k.shadow.expectedCharge(mc.name, (p) => k.isQuarantined(p));
    if (usage > expected) k.warn('memcg-leak', `${mc.name} memory.usage is ${usage} page(s) but only ${expected} charged page(s) are still allocated: ${usage - expected} page(s) of charge leaked`, -1);
    else if (usage < expected) k.warn('memcg-underflow', `${mc.name} memory.usage is ${usage} page(s) but ${expected} charged page(s) are still allocated`, -1);
  },
};
