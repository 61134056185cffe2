/**
 * The C front end (@pagecheck/core/cfront): kernel C, as a patch posts it, to
 * kernel overrides the engine runs. Parsing uses tree-sitter's C grammar
 * (web-tree-sitter and the prebuilt tree-sitter-c.wasm), loaded when this
 * module is imported.
 */
export { cFunction, cVariant, type CFunctionOptions, type CVariantOptions } from './compile.js';
export type { Box, Externs } from './context.js';
export { CFrontError } from './errors.js';
