import { styleText } from 'node:util';
import stringWidth from 'string-width';
import type { Paint } from './matrix.js';
import { MIN_WIDTH } from './args.js';

/** What the CLI writes to: stdout (or a stand-in in tests) and the environment. */
export interface Terminal {
  readonly stream: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Whether to colour: FORCE_COLOR decides when set (`0`/`false` off, anything
 * else on), else a terminal's own answer (which honours NO_COLOR and TERM=dumb);
 * never when the output is not a terminal.
 */
export function colourOn({ stream, env }: Terminal): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && (typeof stream.hasColors !== 'function' || stream.hasColors(env));
}

const TONES = { ok: 'green', mismatch: 'red', warn: 'yellow', bold: 'bold', dim: 'dim' } as const;

/** Colours through `node:util` styleText, or not at all. */
export function painter(on: boolean): Paint {
  if (!on) return (_tone, text) => text;
  return (tone, text) => (text === '' ? text : styleText(TONES[tone], text, { validateStream: false }));
}

/** Columns to fit: `--width`, else the terminal's, else $COLUMNS, else 100; never under 80. */
export function columnsOf({ stream, env }: Terminal, width?: number): number {
  if (width !== undefined) return width;
  if (stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0) return Math.max(stream.columns, MIN_WIDTH);
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? Math.max(fromEnv, MIN_WIDTH) : 100;
}

/**
 * Writes to stdout without a stack trace on a closed pipe or a full disk:
 * `onClosed` hears of a closed reader (EPIPE: `pagecheck | head`), any other
 * write error is reported once on stderr as one line and later writes are
 * dropped, so that the run still ends with its verdict's exit status.
 */
export class Output {
  #failed = false;
  #status: string | undefined;
  readonly #term: Terminal;
  readonly #live: boolean;

  constructor(term: Terminal, onClosed: () => void, live: boolean) {
    this.#term = term;
    this.#live = live;
    term.stream.on('error', (e: NodeJS.ErrnoException) => this.#error(e, onClosed));
  }

  /** True once a write failed. */
  get failed(): boolean {
    return this.#failed;
  }

  #error(e: NodeJS.ErrnoException, onClosed: () => void): void {
    if (this.#failed) return;
    this.#failed = true;
    if (e.code === 'EPIPE') {
      onClosed();
      return;
    }
    reportError(`cannot write to stdout (${e.code ?? 'error'}: ${describe(e)}); the verdicts are still decided and the exit status tells them`);
  }

  /** Writes lines (each ends with a newline), above the status line on a terminal. */
  lines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.write(`${lines.join('\n')}\n`);
  }

  /** Writes text, above the status line on a terminal. */
  write(text: string): void {
    if (this.#failed) return;
    const status = this.#status;
    if (status !== undefined) this.#raw('\r\x1b[2K');
    this.#raw(text);
    if (status !== undefined) this.#raw(status);
  }

  /** Shows (or with undefined, erases) the one-line status on a terminal; nothing when piped. */
  status(text: string | undefined): void {
    if (!this.#live || this.#failed) return;
    // The real width: a status line that wrapped could not be erased.
    const width = (this.#term.stream.columns ?? 80) - 1;
    let line = text;
    if (line !== undefined && stringWidth(line) > width) line = `${line.slice(0, Math.max(0, width - 3))}...`;
    this.#raw(`\r\x1b[2K${line ?? ''}`);
    this.#status = line;
  }

  #raw(text: string): void {
    try {
      this.#term.stream.write(text);
    } catch (e) {
      this.#error(e as NodeJS.ErrnoException, () => undefined);
    }
  }
}

function describe(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOSPC': return 'no space left on the device; free some or write elsewhere';
    case 'EACCES': case 'EPERM': return 'permission denied; write somewhere writable';
    case 'EROFS': return 'read-only file system; write somewhere writable';
    default: return e.message.replace(/^[A-Z]+: /, '');
  }
}

/** One line on stderr, `pagecheck: ...`; a stderr that cannot be written is ignored. */
export function reportError(message: string): void {
  try {
    process.stderr.write(`pagecheck: ${message}\n`);
  } catch {
    // Nothing left to tell it to.
  }
}

/** The one-line reason of a file system error, with the fix. */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code === undefined ? String(err.message ?? e) : `${err.code}: ${describe(err)}`;
}

/** `3.2 s`. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
