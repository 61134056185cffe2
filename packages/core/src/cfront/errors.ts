import type { Node } from './parser.js';

/**
 * A C construct the front end cannot turn into model steps, or a name the model
 * does not know: it names the construct, the file, line and column (1-based),
 * and quotes the source line with a caret under the column.
 * @remarks Since 0.1.0
 */
export class CFrontError extends Error {
  override readonly name = 'CFrontError';
  constructor(
    /** What went wrong, without the position. */
    readonly reason: string,
    /** The file name given to cVariant(), or `<c>`. */
    readonly file: string,
    /** 1-based line of the construct. */
    readonly line: number,
    /** 1-based column of the construct. */
    readonly column: number,
    sourceLine: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}\n  ${sourceLine}\n  ${' '.repeat(Math.max(0, column - 1))}^`);
  }
}

/** Where errors point: the file name and the source's lines. */
export interface SourceInfo {
  readonly file: string;
  readonly lines: readonly string[];
}

/** A CFrontError at `node`. */
export function errorAt(src: SourceInfo, node: Node, reason: string): CFrontError {
  const { row, column } = node.startPosition;
  return new CFrontError(reason, src.file, row + 1, column + 1, (src.lines[row] ?? '').replace(/\t/g, ' '));
}

/** The C source line of a node, trimmed: the label of the steps it makes in diagrams. */
export function lineLabel(src: SourceInfo, node: Node): string {
  return (src.lines[node.startPosition.row] ?? '').trim();
}
