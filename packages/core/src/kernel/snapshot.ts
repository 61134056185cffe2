import type { Machine } from '../machine/machine.js';
import type { SymbolTable } from '../machine/symbols.js';
import type { Shadow } from '../checkers/shadow.js';
import type { IsolatePage, RcuCallback } from './context.js';
import type { SharedWord } from './shared-state.js';

/** A kernel's state, saved after setup. */
export interface KernelSnapshot {
  readonly words: Int32Array;
  readonly shadow: ReturnType<Shadow['save']>;
  readonly names: ReadonlyMap<number, string>;
  readonly quarantined: ReadonlySet<number>;
  readonly globals: ReturnType<Machine['saveGlobals']>;
  readonly symbols: SymbolTable;
  readonly lockNames: ReadonlyMap<number, string>;
  readonly rcuCallbacks: ReadonlyMap<number, RcuCallback>;
  readonly movableOps: ReadonlyMap<number, IsolatePage>;
  /** Shared words declared in setup, by name. */
  readonly shared: ReadonlyMap<string, SharedWord>;
}

/** Everything a run changes: the words, the shadow and the per-run tables a snapshot puts back. */
export interface RunState {
  readonly m: Machine;
  readonly shadow: Shadow;
  readonly names: Map<number, string>;
  readonly quarantined: Set<number>;
  readonly lockNames: Map<number, string>;
  readonly lockOwner: Map<number, number>;
  readonly rcuNest: number[];
  readonly rcuQueue: number[];
  readonly rcuCallbacks: Map<number, RcuCallback>;
  readonly movableOps: Map<number, IsolatePage>;
  /** Per thread (index tid + 1): how deep it is inside the allocator. */
  readonly allocDepth: number[];
  /** Per thread (index tid + 1): its call frames, in recorded runs. */
  readonly frames: string[][];
  /** Shared words declared with sharedWord(), by name. */
  readonly sharedWords: Map<string, SharedWord>;
}

/** The kernel's state after setup, to start later runs from without running setup again. */
export function saveSnapshot(s: RunState, symbols: SymbolTable): KernelSnapshot {
  return {
    words: s.m.words.slice(), shadow: s.shadow.save(), names: new Map(s.names), quarantined: new Set(s.quarantined),
    globals: s.m.saveGlobals(), symbols: symbols.clone(), lockNames: new Map(s.lockNames), rcuCallbacks: new Map(s.rcuCallbacks), movableOps: new Map(s.movableOps),
    shared: new Map(s.sharedWords),
  };
}

/**
 * Puts the words, the shadow and every per-run table back as they were in the snapshot; returns the symbol
 * table to use (`current` again when the run that ends added no symbol to the snapshot's). A table the run
 * did not change is left as it is: most runs change few of them, and refilling a map each run makes garbage.
 */
export function restoreSnapshot(s: RunState, from: KernelSnapshot, current?: SymbolTable): SymbolTable {
  s.m.words.set(from.words);
  s.m.restoreGlobals(from.globals);
  s.shadow.restore(from.shadow);
  refill(s.names, from.names);
  if (!sameSet(s.quarantined, from.quarantined)) {
    s.quarantined.clear();
    for (const p of from.quarantined) s.quarantined.add(p);
  }
  refill(s.lockNames, from.lockNames);
  if (s.lockOwner.size !== 0) s.lockOwner.clear();
  s.rcuNest.length = 0;
  s.rcuQueue.length = 0;
  refill(s.rcuCallbacks, from.rcuCallbacks);
  refill(s.movableOps, from.movableOps);
  refill(s.sharedWords, from.shared);
  s.allocDepth.length = 1;
  s.allocDepth[0] = 0;
  s.frames.length = 0;
  return current !== undefined && current.isCopyOf(from.symbols) ? current : from.symbols.clone();
}

/** Makes `to` hold the entries of `from`, in its order; leaves it alone when it does already. */
function refill<K, V>(to: Map<K, V>, from: ReadonlyMap<K, V>): void {
  if (sameMap(to, from)) return;
  to.clear();
  for (const [k, v] of from) to.set(k, v);
}

function sameMap<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  // Same entries in the same order: iteration order (a diagram's names, a report's lists) stays the snapshot's.
  const ia = a.entries();
  for (const [k, v] of b) {
    const e = ia.next().value as [K, V];
    if (e[0] !== k || e[1] !== v) return false;
  }
  return true;
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  const ia = a.values();
  for (const x of b) if (ia.next().value !== x) return false;
  return true;
}
