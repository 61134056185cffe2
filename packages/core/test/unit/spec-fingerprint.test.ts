import { describe, expect, it } from 'vitest';
import { specFingerprint } from '../../src/spec-fingerprint.js';
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
