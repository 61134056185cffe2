import { describe, expect, it } from 'vitest';
import { specFingerprint, specIdentity, staleTokenMessage } from '../../src/spec-fingerprint.js';
import { checkThenFree } from './report/specs.js';

describe('specFingerprint', () => {
  it('is the same for the same spec, in base 36', () => {
    expect(specFingerprint(checkThenFree)).toBe(specFingerprint({ ...checkThenFree }));
    expect(specFingerprint(checkThenFree)).toMatch(/^[0-9a-z]+$/);
  });

  it('changes with the name, a thread\'s code or the kernel configuration', () => {
    const fp = specFingerprint(checkThenFree);
    expect(specFingerprint({ ...checkThenFree, name: 'other' })).not.toBe(fp);
    expect(specFingerprint({ ...checkThenFree, threads: { ...checkThenFree.threads, *A() {} } })).not.toBe(fp);
    expect(specFingerprint({ ...checkThenFree, kernel: { pages: 16 } })).not.toBe(fp);
  });
});

describe('specFingerprint and specIdentity, edge cases', () => {
  it('tells kernel configurations apart by their functions, and takes a BigInt without throwing', () => {
    const inv = (check: () => undefined) => ({ ...checkThenFree, kernel: { invariants: [{ name: 'i', check }] } });
    expect(specFingerprint(inv(() => undefined))).not.toBe(specFingerprint(inv(() => void 0)));
    const big = { ...checkThenFree, kernel: { pages: 16, extra: 5n } as never };
    expect(() => specFingerprint(big)).not.toThrow();
    expect(specFingerprint(big)).not.toBe(specFingerprint({ ...checkThenFree, kernel: { pages: 16, extra: 5 } as never }));
  });

  it('keeps the parts apart: a name and a thread name that join alike still differ', () => {
    const a = { name: 'ab', threads: { c: checkThenFree.threads[Object.keys(checkThenFree.threads)[0]!]! } } as never;
    const b = { name: 'a', threads: { bc: checkThenFree.threads[Object.keys(checkThenFree.threads)[0]!]! } } as never;
    expect(specIdentity(a)).not.toBe(specIdentity(b));
    const c = { name: 'x', threads: {}, setup: 'ab' as never } as never;
    const d = { name: 'xa', threads: {}, setup: 'b' as never } as never;
    expect(specFingerprint(c)).not.toBe(specFingerprint(d));
  });

  it('says a token is from this spec before it changed when the spec keeps its name and threads', () => {
    const changed = { ...checkThenFree, kernel: { pages: 32 } };
    const token = { fingerprint: 'zzz', identity: specIdentity(checkThenFree), threads: 2, schedule: [] };
    expect(staleTokenMessage(changed, 'pc1.zzz', token)).toContain(`spec '${checkThenFree.name}' changed since the token was made`);
    expect(staleTokenMessage({ ...changed, name: 'renamed' }, 'pc1.zzz', token)).toContain("it was made from a different spec than 'renamed'");
  });
});
