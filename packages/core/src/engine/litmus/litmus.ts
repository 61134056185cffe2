import type { Execution, Program, ThreadBody, ThreadGen } from '../execution.js';
import { exploreProgram } from '../explore-program.js';
import { Memory } from '../memory.js';
import type { Op } from '../op.js';
import { runSchedule } from '../run-schedule.js';
import { renderDiagram } from '../diagram.js';
import type { MemoryModel, Pick } from '../memory-model/choice.js';
import { picksOf } from '../memory-model/model.js';
import { renderWitness } from '../memory-model/witness.js';
import { WeakMemory } from '../memory-model/weak-memory.js';
import { num, withValues, type Val, type Value } from './values.js';

/** herd7's verdict on a litmus test's `exists` clause. */
export type LitmusVerdict = 'Never' | 'Sometimes';

/**
 * A thread of a litmus test, P0, P1, ...: `loc` maps each location's name to its
 * word, and the thread keeps its registers in `r` (`r.r0 = yield READ_ONCE(loc.x)`).
 */
export type LitmusThread = (loc: Readonly<Record<string, number>>, r: Record<string, number>) => Generator<Op, void, number>;

/**
 * A litmus thread written with values (values.ts): every read yields a `Val`
 * that carries the read, so the ops it flows into get LKMM's address, data and
 * control (`when`) dependencies; registers may hold `Val`s.
 */
export type LitmusValueThread = (loc: Readonly<Record<string, number>>, r: Record<string, Value>) => Generator<Op, void, Val>;

/**
 * A thread written with values, as a LitmusThread (dependencies tracked).
 * @remarks Since 0.1.0
 */
export function withDeps(body: LitmusValueThread): LitmusThread {
  return (loc, r) => withValues(body(loc, r as Record<string, Value>));
}

/**
 * A litmus test in the style of tools/memory-model/litmus-tests: named
 * locations (initially 0 unless `init` says otherwise), threads, and an
 * `exists` clause over registers (`1:r0=1`) and final values (`x=2`), joined
 * by `/\` and `\/`, possibly negated with `~`.
 * @remarks Since 0.1.0
 */
export interface LitmusTest {
  readonly name: string;
  /** Where the test comes from (a path in the kernel tree). */
  readonly source?: string;
  /** herd7's verdict, from the test's `Result:` line. */
  readonly result: LitmusVerdict;
  readonly locations: readonly string[];
  /** Initial values: a number, or a location's name for a pointer to it (`y=x` in herd's init block). */
  readonly init?: Readonly<Record<string, number | string>>;
  readonly threads: readonly LitmusThread[];
  readonly exists: string;
  /** herd's `filter`: executions that do not satisfy it are left out, of the outcomes and of the flags alike. */
  readonly filter?: string;
  /** herd7 flags a data race (`Flag data-race` after the verdict); absent: no flag. */
  readonly dataRace?: boolean;
}

/** What exploring a litmus test found. */
export interface LitmusResult {
  readonly verdict: LitmusVerdict;
  /** Every final state seen, as `1:r0=1 1:r1=0 x=1`, sorted. */
  readonly outcomes: readonly string[];
  /** The exploration covered every execution. */
  readonly complete: boolean;
  readonly schedules: number;
  /** Runs abandoned: redundant schedules and inconsistent executions. */
  readonly pruned: number;
  /** For Sometimes: an execution that satisfies `exists` (its graph, then its interleaving). */
  readonly witness?: string;
  /** For Sometimes: the witness's schedule and memory-model choices (they replay it). */
  readonly replay?: { readonly schedule: readonly number[]; readonly picks?: readonly Pick[] };
  /** linux-kernel.cat's flags raised by some execution (`data-race`), with the first racing accesses. */
  readonly flags: readonly string[];
  readonly race?: string;
}

type Condition = (regs: readonly Record<string, Value>[], final: (name: string) => number) => boolean;

/**
 * Parses an `exists` clause. A value may name a location (`1:r0=x`: r0 points
 * to x), given `locations` (a pointer is the location's index there).
 */
export function parseExists(text: string, locations: readonly string[] = []): Condition {
  const src = text.replace(/\s+/g, '');
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`exists clause '${text}': ${what} at position ${pos}`);
  };
  const primary = (): Condition => {
    if (src[pos] === '~') {
      pos++;
      const c = primary();
      return (r, f) => !c(r, f);
    }
    if (src[pos] === '(') {
      pos++;
      const c = disjunction();
      if (src[pos] !== ')') fail('expected )');
      pos++;
      return c;
    }
    const m = /^(?:(\d+):)?([A-Za-z_][A-Za-z0-9_]*)=(-?\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(pos));
    if (m === null) return fail('expected thread:register=value or location=value');
    pos += m[0].length;
    let value = Number(m[3]);
    if (Number.isNaN(value)) {
      value = locations.indexOf(m[3]!);
      if (value < 0) fail(`'${m[3]!}' is neither a number nor a location (locations: ${locations.join(', ')})`);
    }
    const name = m[2]!;
    if (m[1] !== undefined) {
      const tid = Number(m[1]);
      return (r) => num(r[tid]?.[name] ?? 0) === value;
    }
    return (_r, f) => f(name) === value;
  };
  const conjunction = (): Condition => {
    let c = primary();
    while (src.startsWith('/\\', pos)) {
      pos += 2;
      const a = c;
      const b = primary();
      c = (r, f) => a(r, f) && b(r, f);
    }
    return c;
  };
  const disjunction = (): Condition => {
    let c = conjunction();
    while (src.startsWith('\\/', pos)) {
      pos += 2;
      const a = c;
      const b = conjunction();
      c = (r, f) => a(r, f) || b(r, f);
    }
    return c;
  };
  const c = disjunction();
  if (pos !== src.length) fail('unexpected text');
  return c;
}

/** A litmus test as an engine program; `registersOf` gives a finished run's registers. */
export function litmusProgram(test: LitmusTest): Program & { registersOf(exec: Execution): readonly Record<string, Value>[] } {
  const loc: Record<string, number> = {};
  test.locations.forEach((name, i) => (loc[name] = i));
  for (const name of Object.keys(test.init ?? {})) if (loc[name] === undefined) throw new Error(`litmus test ${test.name}: init names unknown location ${name}`);
  const registers = new WeakMap<Execution, Record<string, number>[]>();
  const initial = (name: string, v: number | string): number => {
    if (typeof v === 'number') return v;
    if (loc[v] === undefined) throw new Error(`litmus test ${test.name}: init gives ${name} the address of unknown location ${v} (declare it in locations)`);
    return loc[v];
  };
  Object.freeze(loc);
  return {
    name: test.name,
    registersOf(exec: Execution): readonly Record<string, number>[] {
      return registers.get(exec) ?? [];
    },
    init(exec: Execution) {
      const memory = new Memory(Math.max(1, test.locations.length));
      exec.attach(memory);
      for (const [name, v] of Object.entries(test.init ?? {})) memory.words[loc[name]!] = initial(name, v);
      const regs = test.threads.map(() => ({}) as Record<string, number>);
      registers.set(exec, regs);
      const threads: ThreadBody[] = test.threads.map((body, i) => ({ name: `P${i}`, start: (): ThreadGen => body(loc, regs[i]!) }));
      return { memory, threads, describe: (arg: number) => test.locations[arg] ?? String(arg), locationName: (loc: number) => test.locations[loc] ?? `@${loc}` };
    },
  };
}

/**
 * Explores every execution of a litmus test under a memory model (default
 * `lkmm`) and says whether one satisfies its `exists` clause: Sometimes, with
 * the first such execution rendered, or Never. `timeBudgetMs` (default none)
 * stops an exploration that runs past it; `complete` then says so.
 * @remarks Since 0.1.0
 */
export function checkLitmus(
  test: LitmusTest,
  options: { readonly memoryModel?: MemoryModel; readonly reduction?: boolean; readonly maxSchedules?: number; readonly timeBudgetMs?: number } = {},
): LitmusResult {
  const program = litmusProgram(test);
  const exists = parseExists(test.exists, test.locations);
  const filter = test.filter === undefined ? undefined : parseExists(test.filter, test.locations);
  let race: string | undefined;
  const memoryModel = options.memoryModel ?? 'lkmm';
  const outcomes = new Set<string>();
  const names = new Set<string>();
  for (const m of test.exists.matchAll(/(?:(\d+):)?([A-Za-z_][A-Za-z0-9_]*)=/g)) names.add(m[1] === undefined ? m[2]! : `${m[1]}:${m[2]}`);
  let replay: { schedule: readonly number[]; picks?: readonly Pick[] } | undefined;
  const result = exploreProgram(program, {
    strategy: 'exhaustive',
    memoryModel,
    stopOnFirst: false,
    reduction: options.reduction,
    maxSchedules: options.maxSchedules ?? 1_000_000,
    ...(options.timeBudgetMs === undefined ? {} : { timeBudgetMs: options.timeBudgetMs }),
    onRun(exec) {
      const regs = program.registersOf(exec);
      const final = (name: string): number => exec.memory.words[test.locations.indexOf(name)] ?? 0;
      if (filter !== undefined && !filter(regs, final)) return;
      // herd7 drops an execution its filter rejects before the model's flags are raised on it.
      if (race === undefined && exec.weak instanceof WeakMemory && exec.weak.races.length > 0) {
        const g = exec.weak.graph;
        const [a, b] = exec.weak.races[0]!;
        const show = (id: number): string => `P${g.events[id]!.tid} ${g.events[id]!.fn}(${test.locations[g.events[id]!.loc] ?? '?'})`;
        race = `${show(a)} races with ${show(b)}`;
      }
      outcomes.add([...names].sort().map((n) => {
        const m = /^(\d+):(.*)$/.exec(n);
        return `${n}=${m === null ? final(n) : num(regs[Number(m[1])]?.[m[2]!] ?? 0)}`;
      }).join(' '));
      if (replay === undefined && exists(regs, final)) replay = { schedule: exec.schedule.slice(), ...picksOf(exec) };
    },
  });
  const flags = race === undefined ? [] : ['data-race'];
  const base = { outcomes: [...outcomes].sort(), complete: result.complete, schedules: result.schedules, pruned: result.pruned, flags, ...(race === undefined ? {} : { race }) };
  if (replay === undefined) return { verdict: 'Never', ...base };
  const { exec } = runSchedule(program, { schedule: replay.schedule, picks: replay.picks, lenient: false, record: true, memoryModel });
  const graph = memoryModel === 'lkmm' ? `${renderWitness(exec, (l) => test.locations[l] ?? `@${l}`)}\n\n` : '';
  const witness = `${graph}${renderDiagram(exec, { full: true })}`;
  return { verdict: 'Sometimes', ...base, witness, replay };
}
