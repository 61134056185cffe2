// The same crash classifier as core's fuzz tests: one definition for both packages.
export * from '../../../core/test/fuzz/crash.js';
