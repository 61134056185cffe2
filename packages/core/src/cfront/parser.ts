import { createRequire } from 'node:module';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

/**
 * The C parser: tree-sitter's C grammar (the prebuilt tree-sitter-c.wasm of the
 * tree-sitter-c package) through web-tree-sitter. Both load once, when this
 * module is first imported (top-level await), so cVariant() itself is synchronous.
 */

const require = createRequire(import.meta.url);

await Parser.init();
const C = await Language.load(require.resolve('tree-sitter-c/tree-sitter-c.wasm'));
const parser = new Parser();
parser.setLanguage(C);

/** Parses C source into a tree-sitter syntax tree (errors are ERROR and MISSING nodes). */
export function parseC(source: string): Tree {
  const tree = parser.parse(source);
  if (tree === null) throw new Error('cfront: tree-sitter returned no tree');
  return tree;
}

export type { Node, Tree };
