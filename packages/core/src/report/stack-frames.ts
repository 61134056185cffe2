import { fileURLToPath } from 'node:url';

/** One frame of a V8 stack trace: where, and in which function. */
export interface StackFrame {
  /** The function's name, when V8 gave one. */
  readonly fn?: string;
  /** The file's path (a `file://` URL already turned into a path). */
  readonly file: string;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
}

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

/** Parses the `at ...` lines of a V8 stack; lines that name no file (`<anonymous>`, `native`) are dropped. */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const text of stack.split('\n')) {
    const m = FRAME.exec(text);
    if (m === null) continue;
    let file = m[2]!;
    if (file.startsWith('file://')) {
      try {
        file = fileURLToPath(file);
      } catch {
        continue;
      }
    }
    frames.push({ ...(m[1] === undefined ? {} : { fn: m[1] }), file, line: Number(m[3]), column: Number(m[4]) });
  }
  return frames;
}

/** The directory of @pagecheck/core itself (its src/ or dist/ parent), read from this module's own stack frame. */
function ownRoot(): string | undefined {
  const here = parseStack(new Error().stack ?? '')[0]?.file;
  if (here === undefined) return undefined;
  const m = /^(.*)[\\/](?:src|dist)[\\/]/.exec(here);
  return m === null ? undefined : m[1];
}

const ROOT = ownRoot();

/** Whether a frame is pagecheck's own (the model, the engine) or Node's. */
function isOwn(f: StackFrame): boolean {
  if (f.file.startsWith('node:') || f.file.includes('/node_modules/')) return true;
  return ROOT !== undefined && (f.file.startsWith(`${ROOT}/src/`) || f.file.startsWith(`${ROOT}/dist/`));
}

/**
 * The user's own frames of an error a thread (or setup/teardown) threw: the
 * model's frames on top (a kernel function that threw) are skipped, then the
 * user's frames are kept until the stack goes back into pagecheck (the engine
 * resuming the thread, or running setup).
 */
export function userFrames(error: unknown): StackFrame[] {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return [];
  // A thread's frames are those above the engine resuming its generator.
  const resume = error.stack.search(/^\s*at [^\n]*\.next \(<anonymous>\)$/m);
  const out: StackFrame[] = [];
  for (const f of parseStack(resume < 0 ? error.stack : error.stack.slice(0, resume))) {
    if (isOwn(f)) {
      if (out.length > 0) break;
      continue;
    }
    out.push(f);
  }
  return out;
}
