import { describe, expect, it } from 'vitest';
import { readProvided } from '../../../src/_internals/provided.js';

describe('readProvided', () => {
  it('is undefined in a project without the plugin', () => {
    // This repository's own vitest.config.ts does not use pagecheck(); test/e2e covers a project that does.
    expect(readProvided()).toBeUndefined();
  });
});
