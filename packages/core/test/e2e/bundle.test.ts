import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A throwaway project whose node_modules links the built package, run with plain Node. */
function runAsUser(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pagecheck-core-user-'));
  mkdirSync(join(dir, 'node_modules', '@pagecheck'), { recursive: true });
  symlinkSync(pkg, join(dir, 'node_modules', '@pagecheck', 'core'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module', private: true }));
  writeFileSync(join(dir, 'main.js'), script);
  return execFileSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' });
}

describe('@pagecheck/core as a user imports it', () => {
  it('is built', () => {
    expect(existsSync(join(pkg, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'index.d.ts'))).toBe(true);
  });

  it('runs a race from the built package by its name', () => {
    const out = runAsUser(`
      import { explore, runOnce, createKernel, GFP_KERNEL, __GFP_COMP, VIOLATION_KINDS } from '@pagecheck/core';
      const k = createKernel({ pages: 16 });
      const p = k.run(k.alloc_pages(GFP_KERNEL, 1));
      k.run(k.__free_pages(p, 1));
      const spec = {
        name: 'user race',
        kernel: { pages: 8, overrides: { *__free_pages(k, page, order) {
          if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
          else if (!(yield* k.PageHead(page))) while (order-- > 0) yield* k.free_the_page(page + (1 << order), order);
        } } },
        *setup(k) { return { p: yield* k.alloc_pages(GFP_KERNEL | __GFP_COMP, 1) }; },
        threads: {
          *A(k, s) { if (yield* k.get_page_unless_zero(s.p)) yield* k.put_page(s.p); },
          *B(k, s) { yield* k.__free_pages(s.p, 1); },
        },
      };
      const r = explore(spec, { stopOnFirst: false });
      const again = runOnce(spec, { replay: r.failure.replay });
      console.log(JSON.stringify({ kinds: r.kinds, complete: r.complete, replayed: again.kinds, n: VIOLATION_KINDS.length, free: k.nrFreePages }));
    `);
    expect(JSON.parse(out)).toEqual({ kinds: ['double-free'], complete: true, replayed: ['double-free'], n: 18, free: 16 });
  });

  it('lays out a failure as an HTML timeline from the built package', () => {
    const out = runAsUser(`
      import { explore, timeline, timelineHtml, GFP_KERNEL } from '@pagecheck/core';
      function* freeIfLast(k, p) {
        if ((yield* k.page_count(p)) !== 1) return;
        yield* k.set_page_count(p, 0);
        yield* k.free_the_page(p, 0);
      }
      const spec = {
        name: 'user race',
        kernel: { pages: 8 },
        *setup(k) { return { p: yield* k.alloc_pages(GFP_KERNEL, 0) }; },
        threads: { *A(k, s) { yield* freeIfLast(k, s.p); }, *B(k, s) { yield* freeIfLast(k, s.p); } },
      };
      const t = timeline(spec, explore(spec).failure);
      const html = timelineHtml(t);
      console.log(JSON.stringify({ kind: t.violation.kind, lanes: t.threads.length, races: t.races.length > 0, html: html.startsWith('<!DOCTYPE html>') }));
    `);
    expect(JSON.parse(out)).toEqual({ kind: 'double-free', lanes: 2, races: true, html: true });
  });

  it('explores a bare engine program from the @pagecheck/core/engine subpath', () => {
    const out = runAsUser(`
      import { exploreProgram, runSchedule, Memory, op, LOAD, STORE } from '@pagecheck/core/engine';
      import * as core from '@pagecheck/core';
      // Two threads each read a word, then write it plus one: a lost update in some schedules.
      const program = {
        name: 'lost update',
        init(exec) {
          const memory = new Memory(1);
          exec.attach(memory);
          const inc = (name) => ({ name, *start() { const v = yield op(LOAD, { loc: 0 }); yield op(STORE, { loc: 0, a: v + 1 }); } });
          return { memory, threads: [inc('A'), inc('B')] };
        },
      };
      const seen = new Set();
      const r = exploreProgram(program, { strategy: 'exhaustive', stopOnFirst: false, onRun: (e) => seen.add(e.memory.words[0]) });
      const again = runSchedule(program, { schedule: [0, 1, 0, 1], lenient: false });
      console.log(JSON.stringify({ complete: r.complete, finals: [...seen].sort(), replayed: again.exec.memory.words[0], mainHasNoEngine: !('engine' in core) }));
    `);
    expect(JSON.parse(out)).toEqual({ complete: true, finals: [1, 2], replayed: 1, mainHasNoEngine: true });
  });

  it('ships the subpath\'s types, and no @internal names in any .d.ts', () => {
    expect(existsSync(join(pkg, 'dist', 'engine.js'))).toBe(true);
    for (const f of readdirSync(join(pkg, 'dist')).filter((x) => x.endsWith('.d.ts'))) {
      expect(readFileSync(join(pkg, 'dist', f), 'utf8'), f).not.toContain('@internal');
    }
  });
});
