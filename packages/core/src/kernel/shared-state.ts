import type { Kernel, MemCgroup, MethodsOf } from './context.js';
import { RMW_ADD, RMW_CMPXCHG, type Op } from '../engine/op.js';
import { globalAddr } from '../machine/addresses.js';
import { safeString } from '../engine/safe-string.js';

/**
 * A word of shared state that a race spec declared with `k.sharedWord()`: a lock,
 * a counter, a flag of an allocator variant's own. Threads access it in steps
 * (`k.readShared`, `k.writeShared`, `k.atomicAddShared`, ...), which the scheduler
 * may preempt at and the race detection sees like any kernel word.
 * @remarks Since 0.1.0
 */
export interface SharedWord {
  /** The name it was declared with; diagrams and messages show it. */
  readonly name: string;
  /** Its location in the machine's memory. */
  readonly loc: number;
  /** Its address, for a word that points at it. */
  readonly addr: number;
}

/** A declared word, or its name. @remarks Since 0.1.0 */
export type SharedRef = SharedWord | string;

function resolve(k: Kernel, w: SharedRef, what: string): SharedWord {
  if (typeof w === 'string') return k.shared(w);
  if (w === null || typeof w !== 'object' || typeof w.name !== 'string' || k.sharedWords.get(w.name) !== w) {
    throw new TypeError(`${what}: expected a shared word that k.sharedWord(name) returned in this spec's setup, or its name; got ${describe(w)}`);
  }
  return w;
}

function describe(v: unknown): string {
  if (typeof v === 'object' && v !== null) return `an object with name ${JSON.stringify((v as { name?: unknown }).name)} that this kernel did not declare`;
  return `${typeof v} ${safeString(v)}`;
}

function checkValue(v: number, what: string): void {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) throw new RangeError(`${what}: the value must be an integer that fits a 32-bit word, got ${safeString(v)}`);
}

function testMemcg(k: Kernel, what: string): MemCgroup {
  const mc = k.memcg;
  if (mc === undefined) throw new Error(`${what}: this kernel has no memory cgroup (kernel.memcg is false); leave kernel.memcg out to get the test cgroup`);
  return mc;
}

/**
 * Shared non-page state as API: words a spec declares in setup and threads race on,
 * and named readers of the memcg counters. Harness functions (camelCase), not
 * kernel functions: variants do not override them.
 */
export const sharedState = {
  /**
   * Declares a shared word named `name` holding `init` (default 0), and returns it.
   * Call it in setup: every run starts from the kernel setup left. Each name is
   * declared once. Locks have `k.spin_lock_init(name)`, list heads `k.object(name, 2)`.
   * @example
   * ```ts
   * const spec: RaceSpec = {
   *   name: 'nr_free bumped without a lock',
   *   setup(k) { k.sharedWord('nr_free'); },
   *   threads: {
   *     *A(k) { const v = yield k.readShared('nr_free'); yield k.writeSharedAfterRead('nr_free', v + 1); },
   *     *B(k) { const v = yield k.readShared('nr_free'); yield k.writeSharedAfterRead('nr_free', v + 1); },
   *   },
   * };
   * explore(spec).kinds; // ['lost-update']
   * ```
   * @remarks Since 0.1.0
   */
  sharedWord(this: Kernel, name: string, init = 0): SharedWord {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError(`k.sharedWord(name): the name must be a non-empty string, got ${typeof name === 'string' ? 'an empty string' : `${typeof name} ${safeString(name)}`}`);
    if (this.sharedWords.has(name)) throw new Error(`k.sharedWord('${name}'): a shared word named '${name}' is already declared in this kernel; give each shared word its own name, or use k.shared('${name}') to get the one declared`);
    checkValue(init, `k.sharedWord('${name}', init)`);
    if (this.exec.phase !== 'setup') throw new Error(`k.sharedWord('${name}') was called in ${this.exec.currentName}: declare shared words in the spec's setup, which every run starts from`);
    let loc: number;
    try {
      loc = this.m.allocGlobal(name);
    } catch {
      throw new RangeError(`k.sharedWord('${name}'): this kernel has no global word left for it; raise kernel.globals (default 64)`);
    }
    this.m.words[loc] = init | 0;
    const w: SharedWord = Object.freeze({ name, loc, addr: globalAddr(loc) });
    this.sharedWords.set(name, w);
    return w;
  },

  /** The shared word declared as `name`. @remarks Since 0.1.0 */
  shared(this: Kernel, name: string): SharedWord {
    if (typeof name !== 'string') throw new TypeError(`k.shared(name): the name must be a string, got ${typeof name} ${safeString(name)}`);
    const w = this.sharedWords.get(name);
    if (w === undefined) {
      const known = [...this.sharedWords.keys()];
      throw new Error(`k.shared('${name}'): no shared word named '${name}' is declared; ${known.length === 0 ? 'this kernel declares none' : `declared: ${known.join(', ')}`}. Declare it in setup with k.sharedWord('${name}')`);
    }
    return w;
  },

  /** A load of a shared word (READ_ONCE): one step whose value is the word. @remarks Since 0.1.0 */
  readShared(this: Kernel, w: SharedRef, label?: string): Op {
    const s = resolve(this, w, 'k.readShared');
    return this.m.gld(s.loc, label ?? `READ_ONCE(${s.name})`);
  },

  /** A store to a shared word (WRITE_ONCE): one step. @remarks Since 0.1.0 */
  writeShared(this: Kernel, w: SharedRef, value: number, label?: string): Op {
    const s = resolve(this, w, 'k.writeShared');
    checkValue(value, `k.writeShared('${s.name}')`);
    return this.m.gst(s.loc, value | 0, label ?? `WRITE_ONCE(${s.name}, ${value})`);
  },

  /**
   * A plain load of a shared word (`r = p->x`, no READ_ONCE): one step. Under
   * the weak memory model (`memoryModel: 'lkmm'`) a plain access that races
   * with another access to the word is a `data-race` (linux-kernel.cat's data-race flag).
   * @remarks Since 0.1.0
   */
  readSharedPlain(this: Kernel, w: SharedRef, label?: string): Op {
    const s = resolve(this, w, 'k.readSharedPlain');
    return { ...this.m.gld(s.loc, label ?? s.name), order: 'plain' };
  },

  /**
   * A plain store to a shared word (`p->x = v`, no WRITE_ONCE): one step; see
   * `readSharedPlain` for what the weak memory model checks.
   * @remarks Since 0.1.0
   */
  writeSharedPlain(this: Kernel, w: SharedRef, value: number, label?: string): Op {
    const s = resolve(this, w, 'k.writeSharedPlain');
    checkValue(value, `k.writeSharedPlain('${s.name}')`);
    return { ...this.m.gst(s.loc, value | 0, label ?? `${s.name} = ${value}`), order: 'plain' };
  },

  /**
   * The store half of a non-atomic read-modify-write (`counter++` as a load then a
   * store): the thread's previous step must be its load of the word. A store by
   * another thread in between is overwritten: a `lost-update`.
   * @remarks Since 0.1.0
   */
  writeSharedAfterRead(this: Kernel, w: SharedRef, value: number, label?: string): Op {
    const s = resolve(this, w, 'k.writeSharedAfterRead');
    checkValue(value, `k.writeSharedAfterRead('${s.name}')`);
    return { ...this.m.gst(s.loc, value | 0, label ?? `${s.name} = ${value}`), paired: true };
  },

  /** atomic_fetch_add on a shared word: one step whose value is the old word. @remarks Since 0.1.0 */
  atomicAddShared(this: Kernel, w: SharedRef, delta: number, label?: string): Op {
    const s = resolve(this, w, 'k.atomicAddShared');
    checkValue(delta, `k.atomicAddShared('${s.name}')`);
    return this.m.grmw(s.loc, RMW_ADD, delta | 0, 0, label ?? `atomic_add(${delta}, ${s.name})`);
  },

  /** cmpxchg on a shared word: one step whose value is the old word (the swap happened if it equals `old`). @remarks Since 0.1.0 */
  cmpxchgShared(this: Kernel, w: SharedRef, old: number, value: number, label?: string): Op {
    const s = resolve(this, w, 'k.cmpxchgShared');
    checkValue(old, `k.cmpxchgShared('${s.name}')`);
    checkValue(value, `k.cmpxchgShared('${s.name}')`);
    return this.m.grmw(s.loc, RMW_CMPXCHG, old | 0, value | 0, label ?? `cmpxchg(${s.name}, ${old}, ${value})`);
  },

  /** A shared word's value now, without a step: for invariants, teardown and tests. @remarks Since 0.1.0 */
  sharedValue(this: Kernel, w: SharedRef): number {
    return this.m.words[resolve(this, w, 'k.sharedValue').loc]!;
  },

  /**
   * The test cgroup's memory.usage (page_counter), in pages, without a step.
   * @example
   * ```ts
   * const k = createKernel({ pages: 16 });
   * k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 1));
   * k.memcgUsage(); // 2: the order-1 allocation is charged to the test cgroup
   * ```
   * @remarks Since 0.1.0
   */
  memcgUsage(this: Kernel): number {
    return this.m.words[testMemcg(this, 'k.memcgUsage()').usage]!;
  },

  /** The test cgroup's memory.max, in pages, without a step. @remarks Since 0.1.0 */
  memcgMax(this: Kernel): number {
    return this.m.words[testMemcg(this, 'k.memcgMax()').max]!;
  },

  /** The test cgroup's css reference count (its base reference is 1), without a step. @remarks Since 0.1.0 */
  cssRefs(this: Kernel): number {
    return this.m.words[testMemcg(this, 'k.cssRefs()').css]!;
  },
};

/** Puts the harness functions on a prototype (the Kernel class's): not kernel functions, so no variant replaces them. @internal */
export function defineSharedState(proto: object): void {
  for (const [name, fn] of Object.entries(sharedState)) Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
}

/** The harness functions as methods of a kernel. @remarks Since 0.1.0 */
export type SharedState = MethodsOf<typeof sharedState>;

declare module './context.js' {
  interface KernelContext extends MethodsOf<typeof sharedState> {
    /** Shared words declared with sharedWord(), by name. */
    readonly sharedWords: Map<string, SharedWord>;
  }
}
