import { readFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import { relative } from 'node:path';
import type { StackFrame } from './stack-frames.js';

/**
 * Maps a frame of built JavaScript back to its source through Node's source
 * maps (when Node runs with them, `--enable-source-maps`); a frame already in
 * the source (Vitest maps its stacks) is returned as it is.
 */
export function sourceMapped(f: StackFrame): StackFrame {
  let map;
  try {
    map = findSourceMap(f.file);
  } catch {
    return f;
  }
  const entry = map?.findEntry(f.line - 1, f.column - 1);
  if (entry === undefined || !('originalSource' in entry) || entry.originalSource === undefined) return f;
  let file = entry.originalSource;
  if (file.startsWith('file://')) file = new URL(file).pathname;
  return { ...f, file, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/** A frame as `path:line:col`, the path relative to the working directory when inside it. */
export function frameLocation(f: StackFrame): string {
  const rel = relative(process.cwd(), f.file);
  const path = rel === '' || rel.startsWith('..') ? f.file : rel;
  return `${path}:${f.line}:${f.column}`;
}

/**
 * The lines around a frame, Vitest's style: numbered, the frame's line marked
 * by a caret under its column. Empty when the file cannot be read.
 */
export function codeFrame(f: StackFrame, around = 2): string {
  let text: string;
  try {
    text = readFileSync(f.file, 'utf8');
  } catch {
    return '';
  }
  const lines = text.split(/\r?\n/);
  if (f.line < 1 || f.line > lines.length) return '';
  const first = Math.max(1, f.line - around);
  const last = Math.min(lines.length, f.line + around);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    out.push(`${n === f.line ? '>' : ' '} ${String(n).padStart(width)}| ${lines[n - 1]!.replace(/\t/g, '  ')}`);
    if (n === f.line) {
      const lead = lines[n - 1]!.slice(0, Math.max(0, f.column - 1)).replace(/\t/g, '  ').replace(/[^\s]/g, ' ');
      out.push(`  ${' '.repeat(width)}| ${lead}^`);
    }
  }
  return out.join('\n');
}
