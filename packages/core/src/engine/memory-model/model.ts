import type { Execution, WeakModel } from '../execution.js';
import { checkMemoryModel, type MemoryModel, type Pick } from './choice.js';
import { WeakMemory } from './weak-memory.js';

/**
 * The `weak` option of an Execution for a memory model: undefined for
 * sequential consistency (runs take the engine's plain path), a fresh
 * WeakMemory per run for `lkmm`.
 * @remarks Since 0.1.0
 */
export function weakModelOf(model: MemoryModel | undefined): (() => WeakModel) | undefined {
  return checkMemoryModel(model) === 'lkmm' ? () => new WeakMemory() : undefined;
}

/** A run's memory-model choices (`{ picks }`), or nothing for a run under sequential consistency. */
export function picksOf(exec: Execution): { picks?: readonly Pick[] } {
  return exec.weak instanceof WeakMemory ? { picks: exec.weak.picks.slice() } : {};
}
