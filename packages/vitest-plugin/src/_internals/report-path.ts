import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';

/** What a report's file name is made from: the test (and its file, when known). */
export interface ReportTask {
  readonly name: string;
  /** The test's name with its describe blocks (`suite > test`). */
  readonly fullTestName?: string;
  /** The test file, relative to Vitest's root. */
  readonly file?: { readonly name: string };
}

const MAX_SLUG = 80;

/**
 * The HTML failure timeline's path for a test: `<dir>/<file>--<test>.html`,
 * each part a slug (`races-race--a-racy-double-free-fails.html`); the test file's
 * name keeps tests of the same name in different files apart. A slug cut to
 * length ends with a hash of the whole name, so that long names stay distinct.
 */
export function reportPath(dir: string, task: ReportTask): string {
  const test = slug(task.fullTestName ?? task.name);
  const file = task.file === undefined ? '' : slug(basename(task.file.name).replace(/\.[cm]?[jt]sx?$/, ''));
  return join(dir, `${file === '' ? '' : `${file}--`}${test === '' ? 'race' : test}.html`);
}

function slug(text: string): string {
  const s = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (s.length <= MAX_SLUG) return s;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${s.slice(0, MAX_SLUG - 9).replace(/-+$/, '')}-${hash}`;
}
