import type { Kernel } from '../kernel/kernel.js';
import { num, truthy, type CFunction, type CType, type Externs, type Gen } from './context.js';

/** A return value as the model's functions give it: bool as boolean, a NULL pointer as null. */
export function returnValue(type: CType, v: unknown): unknown {
  switch (type.kind) {
    case 'void': return undefined;
    case 'int': return type.bool ? truthy(v) : num(v);
    default: return v === 0 || v === undefined ? null : v;
  }
}

/** Runs a compiled C function on a kernel with its arguments. */
export function* invoke(fn: CFunction, k: Kernel, args: readonly unknown[], ext: Externs = {}): Gen {
  const body = fn.body;
  if (body === undefined) throw new Error(`cfront: ${fn.name} called before it was compiled`);
  const v: unknown[] = new Array<unknown>(fn.slots ?? 0);
  for (let i = 0; i < args.length; i++) v[i] = args[i];
  const c = yield* body({ k, v, ext });
  return returnValue(fn.returns, c !== undefined && c.c === 'return' ? c.value : undefined);
}
