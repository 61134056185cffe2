import type { Execution } from '../engine/execution.js';

/**
 * State that lives for one run of a kernel (a thread's irq nesting, a lookup's last slot): one value
 * per kernel object, made anew when the kernel starts another run (its `exec` changes). Keyed by the
 * kernel, which explorations reuse from run to run, not by the run's Execution: a weak map entry per
 * run, keyed by an object that dies with the run, is an ephemeron the garbage collector traces
 * specially, and at tens of thousands of runs per second that cost more than the state itself.
 */
export function perRun<T>(make: () => T): (k: { readonly exec: Execution }) => T {
  const byKernel = new WeakMap<object, { exec: Execution; value: T }>();
  return (k) => {
    let e = byKernel.get(k);
    if (e === undefined) byKernel.set(k, (e = { exec: k.exec, value: make() }));
    else if (e.exec !== k.exec) {
      e.exec = k.exec;
      e.value = make();
    }
    return e.value;
  };
}
