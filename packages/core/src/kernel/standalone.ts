import { Execution, type Program } from '../engine/execution.js';

const standaloneProgram: Program = {
  name: 'standalone',
  init() {
    throw new Error('a standalone kernel is not run by the engine');
  },
};

/** The execution of a kernel built outside a run (createKernel): `k.run()` drives its code with no other thread. */
export function standaloneExecution(): Execution {
  return new Execution(standaloneProgram);
}
