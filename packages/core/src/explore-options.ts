import { checkMemoryModel, type MemoryModel } from './engine/memory-model/choice.js';
import { SEARCH_STRATEGIES, isSearchStrategy, type SearchStrategy } from './engine/strategy-names.js';
import { decodeToken } from './engine/token.js';
import { safeString } from './engine/safe-string.js';
import { VIOLATION_KINDS, type ViolationKind } from './checkers/violation.js';
import { isFailAlloc, type FailAlloc } from './kernel/fail-page-alloc.js';

/**
 * How an option is set by a `PAGECHECK_*` environment variable: its name, and
 * how its text is read (`parse` throws an Error that says what it accepts).
 * @remarks Since 0.1.0
 */
export interface OptionSwitch<T> {
  readonly name: `PAGECHECK_${string}`;
  readonly parse: (text: string) => T;
}

/**
 * How an option is set by a flag of the `pagecheck` command: `--<name> <arg>`,
 * a help text, and how its text is read (`parse` throws an Error that says what
 * it accepts).
 * @remarks Since 0.1.0
 */
export interface OptionFlag<T> {
  readonly name: string;
  readonly arg: string;
  readonly help: string;
  readonly parse: (text: string) => T;
}

/**
 * One option of `explore`, defined once: the `ExploreOptions` type, its
 * defaults, its checks, the options raceTest forwards, the plugin's defaults,
 * the `PAGECHECK_*` switches and the command's flags all come from these.
 * @remarks Since 0.1.0
 */
export interface OptionDefinition<T> {
  /** True when a value is one the option takes. */
  readonly is: (value: unknown) => value is T;
  /** What is wrong with a value it does not take: `must be a positive integer, got 0`. */
  readonly complaint: (value: unknown) => string;
  /** Set for one run only, never as a project-wide default (the plugin does not take it). */
  readonly perRun?: true;
  /** The value explore uses when the option is not given, where explore itself picks one. */
  readonly default?: unknown;
  readonly env?: OptionSwitch<T>;
  readonly flag?: OptionFlag<T>;
}

/** A value as an error message shows it (never throwing: a BigInt, a cycle or an object without a prototype included). */
function shown(v: unknown): string {
  if (typeof v === 'string' || Array.isArray(v) || (typeof v === 'object' && v !== null)) {
    try {
      const json = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
      if (json !== undefined) return json;
    } catch {
      // a cycle: fall through to the plain form
    }
  }
  return typeof v === 'bigint' ? `${v}n` : safeString(v);
}

const mustBe = (what: string) => (v: unknown): string => `must be ${what}, got ${shown(v)}`;
const isInteger = (min: number) => (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isPositive = (v: unknown): v is number => typeof v === 'number' && v > 0 && Number.isFinite(v);
const strategyList = SEARCH_STRATEGIES.join(', ');

/** Types the definition of an option whose values are `T`. */
function option<T>() {
  return <const D extends OptionDefinition<T>>(d: D): D => d;
}

/**
 * The options of `explore`, defined once. Each entry says which values the
 * option takes and what is wrong with others, its default where explore picks
 * one, whether it is per run (not a project-wide default), and the
 * `PAGECHECK_*` switch and `pagecheck` flag that set it, where it has them.
 * @remarks Since 0.1.0
 */
export const EXPLORE_OPTIONS = {
  /** How schedules are chosen (default `exhaustive`). */
  strategy: option<SearchStrategy>()({
    is: isSearchStrategy,
    complaint: (v) => `unknown strategy ${typeof v === 'string' ? `'${v}'` : shown(v)}: use ${strategyList} (to replay one failure, pass replay: <token>)`,
    default: 'exhaustive',
    env: {
      name: 'PAGECHECK_STRATEGY',
      parse: (text) => {
        if (isSearchStrategy(text)) return text;
        throw new Error(`it accepts ${strategyList} (to replay one failure, set PAGECHECK_REPLAY=<token>)`);
      },
    },
  }),
  /** Seed for random, pct and pos (default 1). */
  seed: option<number>()({
    is: isInteger(0),
    complaint: mustBe('a non-negative integer'),
    env: {
      name: 'PAGECHECK_SEED',
      parse: (text) => {
        const n = Number(text);
        if (/^\d+$/.test(text) && Number.isSafeInteger(n)) return n;
        throw new Error(`it accepts a non-negative integer, like PAGECHECK_SEED=42`);
      },
    },
  }),
  /** Most schedules to run (default: 10 000 for random, pct and pos, 200 000 for exhaustive). */
  maxSchedules: option<number>()({
    is: isInteger(1),
    complaint: mustBe('a positive integer'),
    default: { exhaustive: 200_000, random: 10_000, pct: 10_000, pos: 10_000 } as const satisfies Readonly<Record<SearchStrategy, number>>,
  }),
  /** Wall-clock budget in ms (default 10 000). */
  timeBudgetMs: option<number>()({
    is: isPositive,
    complaint: mustBe('a positive number of milliseconds'),
    default: 10_000,
    flag: {
      name: 'budget',
      arg: 'SECONDS',
      help: "time budget of each exploration (default: the variant's own,\n10 s for most; raise it for the weak-model rows in a nightly run)",
      parse: (text) => {
        const seconds = Number(text);
        if (text.trim() !== '' && Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
        throw new Error('give the time budget of each exploration in seconds, a number above 0 (for example --budget 60)');
      },
    },
  }),
  /** PCT depth (default 3). */
  depth: option<number>()({ is: isInteger(1), complaint: mustBe('a positive integer') }),
  /** Exhaustive: at most this many preemptions per schedule (turns reduction off). */
  preemptionBound: option<number>()({ is: isInteger(0), complaint: mustBe('a non-negative integer') }),
  /** Exhaustive: partial-order reduction (default true). */
  reduction: option<boolean>()({ is: isBoolean, complaint: mustBe('true or false') }),
  /** Steps per run before `step-limit` (default 20 000). */
  maxSteps: option<number>()({ is: isInteger(1), complaint: mustBe('a positive integer') }),
  /** Stop at the first failing schedule (default true); false collects one failure per kind. */
  stopOnFirst: option<boolean>()({ is: isBoolean, complaint: mustBe('true or false') }),
  /** Stop once every one of these kinds has been found (overrides stopOnFirst). */
  until: option<readonly ViolationKind[]>()({
    is: (v): v is readonly ViolationKind[] => Array.isArray(v) && v.every((k) => (VIOLATION_KINDS as readonly unknown[]).includes(k)),
    complaint: mustBe(`a list of violation kinds (${VIOLATION_KINDS.join(', ')})`),
  }),
  /** Shrink failures to the fewest preemptions and steps (default true). */
  shrink: option<boolean>()({ is: isBoolean, complaint: mustBe('true or false') }),
  /** Replay this token instead of exploring. */
  replay: option<string>()({
    is: (v): v is string => typeof v === 'string',
    complaint: mustBe('a replay token as printed in a failure, like pc1.1udj9nr.2.a63b2'),
    perRun: true,
    env: {
      name: 'PAGECHECK_REPLAY',
      parse: (text) => {
        try {
          decodeToken(text);
        } catch (e) {
          throw new Error(`${e instanceof Error ? e.message : String(e)}. It accepts a replay token as printed in a failure, like pc1.1udj9nr.2.a63b2`);
        }
        return text;
      },
    },
    flag: { name: 'replay', arg: 'TOKEN', help: "replay one failure's token and print its run (exits 1\nwhen the run shows a violation)", parse: (text) => text },
  }),
  /** Split the exploration across shards: this shard's index (0-based) and the number of shards. */
  shard: option<{ readonly index: number; readonly count: number }>()({
    is: (v): v is { readonly index: number; readonly count: number } => {
      const s = v as { index?: unknown; count?: unknown } | null;
      return typeof s === 'object' && s !== null && isInteger(1)(s.count) && isInteger(0)(s.index) && s.index < s.count;
    },
    complaint: mustBe('{ index, count } with 0 <= index < count'),
    perRun: true,
    env: {
      name: 'PAGECHECK_SHARD',
      parse: (text) => {
        const m = /^(\d+)\/(\d+)$/.exec(text);
        const i = m === null ? NaN : Number(m[1]);
        const n = m === null ? NaN : Number(m[2]);
        if (m !== null && n >= 1 && i >= 1 && i <= n) return { index: i - 1, count: n };
        const why = m === null ? 'it accepts <index>/<count>' : n < 1 ? 'the count must be at least 1' : `the index must be from 1 to ${n}`;
        throw new Error(`${why}, 1-based like vitest --shard (PAGECHECK_SHARD=1/3, 2/3, 3/3)`);
      },
    },
  }),
  /**
   * Memory model (default: the spec's, else `sc`). `lkmm`: the Linux-kernel memory
   * model, where loads may read older stores and stores may land out of order as
   * LKMM allows; exhaustive exploration covers those choices too, and failures
   * shrink with their choices kept (docs/memory-model.md).
   */
  memoryModel: option<MemoryModel>()({
    is: (v): v is MemoryModel => v === 'sc' || v === 'lkmm',
    complaint: (v) => {
      try {
        checkMemoryModel(v);
      } catch (e) {
        return (e as Error).message;
      }
      return mustBe("'sc' or 'lkmm'")(v);
    },
  }),
  /**
   * Allocation failure injection (docs/guide/fault-injection.md), after the
   * kernel's fail_page_alloc: `'explore'` makes each allocation a thread makes
   * a choice of the exploration, succeed or fail (should_fail_alloc_page()), so
   * exhaustive search races every error path; `{ nth: N }` fails the N-th
   * allocation of each thread, as the kernel's fail-nth does. __GFP_NOFAIL
   * allocations, setup and teardown never fail. Default: off.
   * @remarks Since 0.1.0
   */
  failAlloc: option<FailAlloc>()({
    is: isFailAlloc,
    complaint: mustBe("'explore' (each allocation of a thread may fail, explored as a choice) or { nth: N } with N a positive integer (each thread's N-th allocation fails)"),
  }),
  /**
   * Accept an exploration that does not do what was asked (a time budget or
   * step limit hit, an exhaustive search not complete): matchers and raceTest
   * then pass a clean one, and print its coverage, instead of failing.
   * Recorded in `Exploration.allowIncomplete`; a matcher's own
   * `{ allowIncomplete }` argument wins over it. Default false.
   * @remarks Since 0.1.0
   */
  allowIncomplete: option<boolean>()({
    is: isBoolean,
    complaint: mustBe('true or false'),
  }),
};

type Definitions = typeof EXPLORE_OPTIONS;

/** The values an option's definition takes. */
type ValueOf<D> = D extends { readonly is: (value: unknown) => value is infer T } ? T : never;

/** Options of `explore`, derived from {@link EXPLORE_OPTIONS}. @remarks Since 0.1.0 */
export type ExploreOptions = { readonly [K in keyof Definitions]?: ValueOf<Definitions[K]> };

/** The name of an option of `explore`. @remarks Since 0.1.0 */
export type ExploreOptionName = keyof ExploreOptions;

/** The options that are set per run (a replay token, a shard), never as a project-wide default. @remarks Since 0.1.0 */
export type PerRunOptionName = { [K in ExploreOptionName]: Definitions[K] extends { readonly perRun: true } ? K : never }[ExploreOptionName];

/** The options a project may set as defaults for every exploration (the plugin's): all but the per-run ones. @remarks Since 0.1.0 */
export type ExploreDefaults = Omit<ExploreOptions, PerRunOptionName>;

/** Every option name of `explore`, in the definition's order. @remarks Since 0.1.0 */
export const EXPLORE_OPTION_NAMES: readonly ExploreOptionName[] = Object.keys(EXPLORE_OPTIONS) as ExploreOptionName[];

type DefaultedName = { [K in ExploreOptionName]: Definitions[K] extends { readonly default: unknown } ? K : never }[ExploreOptionName];

/** explore()'s defaults, for tools that scale them (a nightly budget); derived from {@link EXPLORE_OPTIONS}. @remarks Since 0.1.0 */
export const EXPLORE_DEFAULTS = Object.freeze(
  Object.fromEntries(Object.entries(EXPLORE_OPTIONS).flatMap(([name, d]) => ('default' in d ? [[name, d.default]] : []))),
) as { readonly [K in DefaultedName]: Definitions[K] extends { readonly default: infer V } ? V : never };

/**
 * Checks options against {@link EXPLORE_OPTIONS} and throws a TypeError naming
 * the first bad one, what it must be and the value given: `explore({ seed }): must
 * be a non-negative integer, got -1`. Names that are not options of explore are
 * left alone (raceTest's and the plugin's own ride along). `undefined` is absent.
 * @example
 * ```ts
 * checkExploreOptions('raceTest options', { maxSchedules: -1 });
 * // throws: raceTest options({ maxSchedules }): must be a positive integer, got -1
 * ```
 * @remarks Since 0.1.0
 */
export function checkExploreOptions(where: string, options: object): void {
  for (const name of EXPLORE_OPTION_NAMES) {
    const v = (options as Record<string, unknown>)[name];
    if (v === undefined) continue;
    const d: OptionDefinition<unknown> = EXPLORE_OPTIONS[name];
    if (!d.is(v)) throw new TypeError(`${where}({ ${name} }): ${d.complaint(v)}`);
  }
}

/**
 * The options among `options` that are explore's (every name of
 * {@link EXPLORE_OPTIONS}), without the undefined ones: what a wrapper of
 * explore forwards.
 * @example
 * ```ts
 * pickExploreOptions({ strategy: 'random', seed: 1, timeout: 5000 }); // { strategy: 'random', seed: 1 }
 * ```
 * @remarks Since 0.1.0
 */
export function pickExploreOptions(options: object): ExploreOptions {
  const out: Record<string, unknown> = {};
  for (const name of EXPLORE_OPTION_NAMES) {
    const v = (options as Record<string, unknown>)[name];
    if (v !== undefined) out[name] = v;
  }
  return out as ExploreOptions;
}

/**
 * The options among `options` that a project may set as defaults for every
 * exploration (every option of {@link EXPLORE_OPTIONS} but the per-run ones),
 * without the undefined ones.
 * @example
 * ```ts
 * pickExploreDefaults({ strategy: 'random', seed: 1, timeout: 5000 }); // { strategy: 'random', seed: 1 }
 * ```
 * @remarks Since 0.1.0
 */
export function pickExploreDefaults(options: object): ExploreDefaults {
  const out: Record<string, unknown> = { ...pickExploreOptions(options) };
  for (const name of EXPLORE_OPTION_NAMES) if ((EXPLORE_OPTIONS[name] as OptionDefinition<unknown>).perRun === true) delete out[name];
  return out as ExploreDefaults;
}
