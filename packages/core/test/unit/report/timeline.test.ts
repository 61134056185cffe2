import { describe, expect, it } from 'vitest';
import { ReplayTokenError } from '../../../src/engine/token.js';
import { explore } from '../../../src/explore.js';
import type { Failure } from '../../../src/failure.js';
import { runOnce } from '../../../src/run-once.js';
import { timeline } from '../../../src/report/timeline.js';
import { badSetup, checkThenFree, leak, lostUpdate, messagePassing, racingUncharges, spinner } from './specs.js';

const failure: Failure = explore(checkThenFree).failure!;
const t = timeline(checkThenFree, failure);

describe('timeline', () => {
  it('has one lane per thread, and the failing schedule as its steps', () => {
    expect(t.spec).toBe('check-then-free race');
    expect(t.threads.map((th) => [th.tid, th.name, th.daemon])).toEqual([[0, 'A', false], [1, 'B', false]]);
    expect(t.steps.map((s) => s.tid)).toEqual(failure.schedule);
    expect(t.steps.map((s) => s.index)).toEqual(failure.schedule.map((_x, i) => i));
    expect(t.threads.map((th) => th.steps)).toEqual([0, 1].map((tid) => failure.schedule.filter((x) => x === tid).length));
    expect(t.preemptions).toBe(failure.preemptions);
    expect(t.steps.filter((s) => s.preemption)).toHaveLength(failure.preemptions);
  });

  it('gives each step its kernel call, label, value and word by page and field', () => {
    const check = t.steps.find((s) => s.tid === 0 && s.label === 'page_count(P0) == 1')!;
    expect(check).toMatchObject({ op: 'load', fn: 'page_count', frames: ['page_count(P0)'], value: 1, shown: '1', write: false });
    expect(check.location).toMatchObject({ name: 'P0->_refcount', page: 'P0', field: '_refcount', pfn: expect.any(Number) });
    const set = t.steps.find((s) => s.tid === 0 && s.fn.startsWith('set_page_count'))!;
    expect(set).toMatchObject({ op: 'store', label: 'set_page_count(0)', frames: ['set_page_count(P0, 0)'], value: 0, write: true });
    expect(set.shown).toBeUndefined();
    const lock = t.steps.find((s) => s.op === 'lock')!;
    expect(lock.location).toEqual({ loc: expect.any(Number), name: 'zone->lock' });
    const poison = t.steps.find((s) => s.fn === 'kernel_poison_pages')!;
    expect(poison.location).toMatchObject({ name: 'P0 contents', field: 'data' });
  });

  it('links each racing access to the steps it races with: same word, other thread, one writes', () => {
    expect(t.races.length).toBeGreaterThan(0);
    for (const r of t.races) {
      const a = t.steps[r.a]!;
      const b = t.steps[r.b]!;
      expect(r.a).toBeLessThan(r.b);
      expect(a.tid).not.toBe(b.tid);
      expect(a.write || b.write).toBe(true);
      expect([a.location?.loc, a.location2?.loc]).toContain(r.location.loc);
      expect([b.location?.loc, b.location2?.loc]).toContain(r.location.loc);
      expect(a.races).toContain(r.b);
      expect(b.races).toContain(r.a);
    }
    // Every race a step lists is one of the pairs.
    const pairs = new Set(t.races.map((r) => `${r.a}:${r.b}`));
    for (const s of t.steps) for (const o of s.races) expect(pairs.has(`${Math.min(s.index, o)}:${Math.max(s.index, o)}`)).toBe(true);
    // The stale check: A's page_count(P0) == 1 races with B's set_page_count(P0, 0), on P0->_refcount.
    const aCheck = t.steps.find((s) => s.tid === 0 && s.label === 'page_count(P0) == 1')!;
    const bSet = t.steps.find((s) => s.tid === 1 && s.fn.startsWith('set_page_count'))!;
    expect(t.races).toContainEqual({ a: aCheck.index, b: bSet.index, location: expect.objectContaining({ name: 'P0->_refcount' }) });
  });

  it('does not mark steps that share no word with another thread\'s write', () => {
    const quiet = t.steps.filter((s) => s.races.length === 0 && s.location !== undefined && s.op !== 'lock' && s.op !== 'unlock');
    expect(quiet.length).toBeGreaterThan(0);
    for (const s of quiet) {
      const others = t.steps.filter((o) => o.tid !== s.tid && o.op !== 'lock' && o.op !== 'unlock' && o.location?.loc === s.location!.loc);
      for (const o of others) expect(s.write || o.write).toBe(false);
    }
  });

  it('places the violation after the step that exposed it, in its thread\'s lane', () => {
    expect(t.violation).toMatchObject({ kind: 'double-free', thread: failure.violation.thread, step: failure.violation.step, message: failure.violation.message });
    expect(t.violation.tid).toBe(t.threads.findIndex((th) => th.name === failure.violation.thread));
    expect(t.violation.after).toBe(t.steps.length - 1);
    expect(t.steps[t.violation.after]!.tid).toBe(t.violation.tid);
    expect(t.violations[0]).toEqual(t.violation);
  });

  it('carries the page history and the replay token', () => {
    expect(t.replay).toBe(failure.replay);
    expect(t.memoryModel).toBe('sc');
    expect(t.history).toMatchObject({ pfn: failure.violation.pfn, page: 'P0' });
    expect(t.history!.events).toEqual(failure.violation.history);
    expect(t.diagram).toBe(failure.diagram);
  });

  it('is plain data', () => {
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it('lays out a replayed failure the same way', () => {
    const replayed = runOnce(checkThenFree, { replay: failure.replay }).failure!;
    expect(timeline(checkThenFree, replayed)).toEqual(t);
  });

  it('replays a failure under lkmm with its memory-model choices', () => {
    const f = explore(messagePassing).failure!;
    const w = timeline(messagePassing, f);
    expect(w.memoryModel).toBe('lkmm');
    expect(w.violation.kind).toBe('thread-error');
    expect(w.violation.tid).toBe(1);
    const names = w.steps.map((s) => `${w.threads[s.tid]!.name} ${s.op} ${s.location?.name} ${s.value}`);
    // The consumer saw the flag set and the data not yet written.
    expect(names).toContain('consumer load flag 1');
    expect(names).toContain('consumer load buf 0');
    expect(w.races.map((r) => r.location.name).sort()).toEqual(['buf', 'flag']);
  });

  it('places a violation the kernel runs on after (a WARN) after the step that exposed it, not at the end', () => {
    const f = explore(racingUncharges).failure!;
    const w = timeline(racingUncharges, f);
    expect(w.violation.kind).toBe('memcg-underflow');
    expect(w.steps.length).toBeGreaterThan(f.violation.step);
    // Found after `step` steps were taken: after index step - 1, a step of the thread that found it.
    expect(w.violation.after).toBe(f.violation.step - 1);
    expect(w.steps[w.violation.after]!.tid).toBe(w.violation.tid);
  });

  it('places a lost update on the store that loses it', () => {
    const f = explore(lostUpdate).failure!;
    const w = timeline(lostUpdate, f);
    expect(w.violation.kind).toBe('lost-update');
    const store = w.steps[w.violation.after]!;
    expect(store).toMatchObject({ op: 'store', tid: w.violation.tid, location: { name: 'counter' } });
    expect(w.violation.after).toBe(w.steps.length - 1);
  });

  it('puts a violation found at teardown after the last step, across every lane', () => {
    const f = explore(leak).failure!;
    const w = timeline(leak, f);
    expect(w.violation).toMatchObject({ kind: 'page-leak', thread: 'teardown', tid: -1, after: w.steps.length - 1 });
  });

  it('puts a violation in setup before any step', () => {
    const f = explore(badSetup).failure!;
    const w = timeline(badSetup, f);
    expect(w.steps).toEqual([]);
    expect(w.violation).toMatchObject({ kind: 'thread-error', thread: 'setup', step: -1, tid: -1, after: -1 });
  });

  it('replays a step-limit failure up to its limit', () => {
    const f = explore(spinner, { maxSteps: 40 }).failure!;
    const w = timeline(spinner, f);
    expect(w.steps).toHaveLength(40);
    expect(w.violation).toMatchObject({ kind: 'step-limit', tid: 0, after: 39 });
    expect(w.steps[0]).toMatchObject({ op: 'yield', label: 'cpu_relax()', races: [] });
    expect(w.steps[0]!.location).toBeUndefined();
  });

  it('refuses a failure from another spec', () => {
    const other = { ...checkThenFree, name: 'another spec' };
    expect(() => timeline(other, failure)).toThrow(ReplayTokenError);
    expect(() => timeline(other, failure)).toThrow(/was made from a different spec than 'another spec'/);
  });
});
