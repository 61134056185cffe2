import { describe, expect, it } from 'vitest';
import { reportPath } from '../../../src/_internals/report-path.js';

describe('reportPath', () => {
  it('names the report after the test file and the test', () => {
    expect(reportPath('/r', { name: 'a racy double free fails', file: { name: 'test/races.race.ts' } })).toBe('/r/races-race--a-racy-double-free-fails.html');
  });

  it('uses the describe blocks of the test\'s full name', () => {
    expect(reportPath('/r', { name: 'frees once', fullTestName: '__free_pages > frees once', file: { name: 'free.test.ts' } })).toBe('/r/free-test--free-pages-frees-once.html');
  });

  it('is the test\'s name alone without a file', () => {
    expect(reportPath('/r', { name: 'Été: 2 threads / 1 page' })).toBe('/r/ete-2-threads-1-page.html');
    expect(reportPath('/r', { name: '!!!' })).toBe('/r/race.html');
  });

  it('keeps long names distinct', () => {
    const long = (end: string): string => reportPath('/r', { name: `${'a very long test name '.repeat(6)}${end}` });
    expect(long('one')).not.toBe(long('two'));
    expect(long('one').length).toBeLessThanOrEqual('/r/'.length + 80 + '.html'.length);
  });
});
