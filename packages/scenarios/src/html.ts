import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeToken, specFingerprint, timeline, timelineHtml, type Failure, type RaceSpec } from '@pagecheck/core';
import type { VerdictRow } from './matrix.js';
import { scenarios } from './index.js';
import { findScenario, findVariant } from './select.js';
import { fsReason, reportError } from './terminal.js';

/**
 * Writes each failing row's HTML failure timeline (core's `timelineHtml`) to
 * a directory, `<scenario>--<variant>[--lkmm].html`. The directory is created
 * if missing; one that cannot be written is reported once on stderr, as one
 * line, and the run goes on (the exit status still tells the verdict).
 */
export class HtmlReports {
  readonly #dir: string;
  #broken = false;
  readonly written: string[] = [];

  constructor(dir: string) {
    this.#dir = dir;
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    } catch (e) {
      this.#fail(e);
    }
  }

  /** True when the directory could not be written. */
  get broken(): boolean {
    return this.#broken;
  }

  #fail(e: unknown): void {
    if (this.#broken) return;
    this.#broken = true;
    reportError(`cannot write the HTML failure timelines to ${this.#dir} (${fsReason(e)}); the verdicts are still decided and the exit status tells them`);
  }

  /** Writes the timelines of a finished verdict's failures (one page per model). */
  write(v: VerdictRow): void {
    this.#page(v, v.failures, '');
    this.#page(v, v.weakFailures ?? [], ' (lkmm)');
  }

  #page(v: VerdictRow, failures: readonly Failure[], model: string): void {
    if (this.#broken || failures.length === 0) return;
    const variant = findVariant(findScenario(scenarios, v.scenario), v.variant);
    const timelines = failures.map((f) => {
      const fingerprint = decodeToken(f.replay).fingerprint;
      const spec = variant.cases.find((s) => specFingerprint(s) === fingerprint) as RaceSpec<never>;
      return timeline(spec, f);
    });
    const name = `${v.scenario}--${v.variant}${model === '' ? '' : '--lkmm'}.html`.replace(/[^A-Za-z0-9._-]+/g, '-');
    const path = join(this.#dir, name);
    try {
      writeFileSync(path, timelineHtml(timelines, { title: `${v.scenario} / ${v.variant}${model}`, subtitle: 'pagecheck verdict matrix' }));
      this.written.push(path);
    } catch (e) {
      this.#fail(e);
    }
  }

  /** The footer line: where the timelines are, or that they could not be written. */
  footer(): string {
    return this.#broken
      ? `HTML failure timelines: not written to ${this.#dir} (see the error above)`
      : `HTML failure timelines: ${this.written.length} file(s) in ${this.#dir}`;
  }
}
