/** fast-check arbitraries of engine-level programs (the instruction language of programs.ts). */
import fc from 'fast-check';
import { stepsOf, type Instr } from './programs.js';

const arbLoc = fc.integer({ min: 0, max: 2 });
const arbSmall = fc.integer({ min: 0, max: 2 });
const arbSimple: fc.Arbitrary<Instr> = fc.oneof(
  fc.record({ k: fc.constant('load' as const), loc: arbLoc }),
  fc.record({ k: fc.constant('store' as const), loc: arbLoc, c: arbSmall }),
  fc.record({ k: fc.constant('add' as const), loc: arbLoc, c: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ k: fc.constant('cas' as const), loc: arbLoc, expect: arbSmall, c: arbSmall }),
  fc.record({ k: fc.constant('inc' as const), loc: arbLoc }),
  fc.record({ k: fc.constant('wait' as const), loc: arbLoc, value: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ k: fc.constant('throwIf' as const), value: fc.integer({ min: 1, max: 2 }) }),
);
const arbLocked = (body: fc.Arbitrary<Instr>): fc.Arbitrary<Instr> =>
  fc.record({ k: fc.constant('locked' as const), lock: fc.integer({ min: 0, max: 1 }), body: fc.array(body, { minLength: 0, maxLength: 1 }) });
/** Simple instructions, and sections under one or two (nested) locks. */
const arbInstr: fc.Arbitrary<Instr> = fc.oneof(
  { weight: 4, arbitrary: arbSimple },
  { weight: 2, arbitrary: arbLocked(fc.oneof({ weight: 2, arbitrary: arbSimple }, { weight: 1, arbitrary: arbLocked(arbSimple) })) },
);
const steps = (t: readonly Instr[]): number => 1 + t.reduce((n, i) => n + stepsOf(i), 0);
/** 2 threads of up to 5 steps, or 3 threads of up to 3 (the final private store included). */
export const arbProgram: fc.Arbitrary<Instr[][]> = fc.oneof(
  fc.array(fc.array(arbInstr, { minLength: 1, maxLength: 3 }).filter((t) => steps(t) <= 5), { minLength: 2, maxLength: 2 }),
  fc.array(fc.array(arbInstr, { minLength: 1, maxLength: 2 }).filter((t) => steps(t) <= 3), { minLength: 3, maxLength: 3 }),
);
/** Bigger: 3 threads of up to 5 steps, or 4 threads of up to 3. Plain DFS takes seconds on some. */
export const arbBigProgram: fc.Arbitrary<Instr[][]> = fc.oneof(
  fc.array(fc.array(arbInstr, { minLength: 1, maxLength: 3 }).filter((t) => steps(t) <= 5), { minLength: 3, maxLength: 3 }),
  fc.array(fc.array(arbInstr, { minLength: 1, maxLength: 2 }).filter((t) => steps(t) <= 3), { minLength: 4, maxLength: 4 }),
);

/**
 * 2 or 3 threads, each a load and then loads, stores and RMWs, where a thread
 * may skip its next instruction on the value it read last (`skipIf`): whether
 * its later stores come at all depends on what it read. `data`: stores write
 * the register plus a constant (values flow from loads to stores), else
 * constants. `four`: also 4 threads of at most 2 steps.
 */
export function arbBranchingProgram(data: boolean, four = false): fc.Arbitrary<Instr[][]> {
  const loc = fc.integer({ min: 0, max: 1 });
  const write: fc.Arbitrary<Instr> = data
    ? fc.record({ k: fc.constant('store' as const), loc, c: fc.integer({ min: 0, max: 1 }) })
    : fc.record({ k: fc.constant('storeC' as const), loc, c: fc.integer({ min: 1, max: 2 }) });
  const instr: fc.Arbitrary<Instr> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ k: fc.constant('load' as const), loc }) },
    { weight: 3, arbitrary: write },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('add' as const), loc: arbLoc, c: fc.integer({ min: 1, max: 2 }) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('skipIf' as const), value: fc.integer({ min: 0, max: 1 }) }) },
  );
  // Each thread loads first, so that its stores can come after a load of another thread's store (load buffering).
  const thread = (max: number): fc.Arbitrary<Instr[]> =>
    fc.tuple(loc, fc.array(instr, { minLength: 1, maxLength: max })).map(([l, rest]): Instr[] => [{ k: 'load', loc: l }, ...rest]).filter((t) => steps(t) <= max);
  const shapes = [fc.array(thread(5), { minLength: 2, maxLength: 2 }), fc.array(thread(3), { minLength: 3, maxLength: 3 })];
  if (four) shapes.push(fc.array(thread(2), { minLength: 4, maxLength: 4 }));
  return fc.oneof(...shapes);
}
