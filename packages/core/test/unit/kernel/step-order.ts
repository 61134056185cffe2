import type { Op } from '../../../src/engine/op.js';
import type { KGen } from '../../../src/kernel/kernel.js';
import { stepwise } from '../../../src/kernel/sync-call.js';

/** Runs kernel code and records the label of every step it takes, in order (stepwise: one step at a time, even in k.run). */
export function* recorded<R>(call: KGen<R>, out: string[]): KGen<R> {
  const gen = stepwise(call);
  let r = gen.next();
  while (r.done !== true) {
    out.push((r.value as Op).fn);
    r = gen.next(yield r.value);
  }
  return r.value;
}

/** True if `want` appears in `steps` in this order (other steps between them allowed). */
export function inOrder(steps: readonly string[], want: readonly string[]): boolean {
  let i = 0;
  for (const s of steps) if (i < want.length && s === want[i]) i++;
  return i === want.length;
}
