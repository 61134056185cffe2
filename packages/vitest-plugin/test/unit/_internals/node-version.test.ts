import { describe, expect, it } from 'vitest';
import { checkNodeVersion, nodeVersionProblem } from '../../../src/_internals/node-version.js';

describe('nodeVersionProblem', () => {
  it('has nothing to say from Node.js 22.12 on', () => {
    for (const v of ['22.12.0', '22.20.1', '24.0.0', '26.1.0']) expect(nodeVersionProblem(v), v).toBeUndefined();
  });

  it('names the version found, what Vitest 5 needs and the fix below 22.12', () => {
    const p = nodeVersionProblem('20.18.0')!;
    expect(p.fatal).toBe(true);
    expect(p.message).toBe('@pagecheck/vitest-plugin: Vitest 5 needs Node.js 22.12 or later (^22.12, ^24 or >= 26), and this is Node.js 20.18.0. Upgrade Node.js, for instance with `nvm install 24` (or `node-version: 24` in actions/setup-node).');
    for (const v of ['18.20.4', '21.7.3', '22.11.0']) expect(nodeVersionProblem(v)?.fatal, v).toBe(true);
  });

  it('only warns on 20.19 and later 20.x, where Vite 8 still loads', () => {
    const p = nodeVersionProblem('20.20.2')!;
    expect(p.fatal).toBe(false);
    expect(p.message).toMatch(/this is Node\.js 20\.20\.2\. .*on Node\.js 20 Vitest may run, but it is not supported/);
  });
});

describe('checkNodeVersion', () => {
  it('throws on a version Vitest cannot run on and warns once on one it may', () => {
    expect(() => checkNodeVersion('20.18.0')).toThrow(/Vitest 5 needs Node\.js 22\.12 or later .* this is Node\.js 20\.18\.0/);
    const warnings: string[] = [];
    checkNodeVersion('20.19.0', (m) => warnings.push(m));
    checkNodeVersion('20.19.0', (m) => warnings.push(m));
    checkNodeVersion('24.1.0', (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('this is Node.js 20.19.0');
  });
});
