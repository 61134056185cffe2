/**
 * The outcomes of a run's CHOICE steps (op.ts), named so that they mean the same
 * in every run of a program whatever the interleaving: "thread `tid`'s `index`-th
 * step chose `value`". Only outcomes other than 0 are listed; a CHOICE step not
 * listed chose 0.
 * @remarks Since 0.1.0
 */
export interface Decision {
  readonly tid: number;
  readonly index: number;
  readonly value: number;
}

/**
 * A run's choices, as exploration results, shrinking and replay tokens carry
 * them: absent when the run had no CHOICE step (a replay then needs none), the
 * outcomes other than 0 otherwise (possibly none).
 */
export function decisionsOf(exec: { readonly choiceSteps: number; readonly decisions: readonly Decision[] }): { decisions?: readonly Decision[] } {
  return exec.choiceSteps === 0 ? {} : { decisions: exec.decisions.slice() };
}
