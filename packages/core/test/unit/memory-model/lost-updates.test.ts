import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/explore.js';
import { lostUpdate } from '../report/specs.js';

// checkLostUpdates (memory-model/lost-updates.ts) is the weak model's lost-update
// check: the same race is a lost update under sc and under lkmm.
describe('checkLostUpdates', () => {
  it('finds the lost update of a non-atomic increment under lkmm, as sc does', () => {
    expect(explore(lostUpdate, { memoryModel: 'sc' }).kinds).toContain('lost-update');
    expect(explore(lostUpdate, { memoryModel: 'lkmm', until: ['lost-update'] }).kinds).toContain('lost-update');
  });
});
