import { safeString } from '../safe-string.js';
/**
 * The choices the weak memory model adds to a run, named so that they mean the
 * same in every run of a program whatever the interleaving: a store is "the
 * store of thread `tid`'s `index`-th step" (thread -1: the initial value of
 * location `index`).
 * @remarks Since 0.1.0
 */

/** Which memory model a run uses: sequential consistency, or the Linux-kernel memory model. */
export type MemoryModel = 'sc' | 'lkmm';

/**
 * One alternative a step may take under the weak model: for a load, the store it
 * reads from; for a store, the store it is placed after in coherence order.
 */
export interface Alternative {
  /** Thread of the store, -1 for a location's initial value. */
  readonly tid: number;
  /** The store's step index within its thread (for an initial value: the location). */
  readonly index: number;
  /** The value that store writes. */
  readonly value: number;
}

/** The alternative thread `tid`'s `index`-th step took: one entry of a run's memory-model choices. */
export interface Pick {
  readonly tid: number;
  readonly index: number;
  readonly alt: Alternative;
}

/** True when two alternatives name the same store. */
export function sameStore(a: Alternative, b: Alternative): boolean {
  return a.tid === b.tid && a.index === b.index;
}

/** Checks a `memoryModel` option and says what is wrong. */
export function checkMemoryModel(m: unknown): MemoryModel {
  if (m === undefined) return 'sc';
  if (m !== 'sc' && m !== 'lkmm') throw new Error(`unknown memoryModel '${safeString(m)}': use 'sc' (sequential consistency, the default) or 'lkmm' (the Linux-kernel memory model)`);
  return m;
}
