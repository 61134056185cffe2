import { readFileSync } from 'node:fs';
import { explore, type Exploration, type KernelOverrides, type RaceSpec } from '@pagecheck/core';
import { cVariant } from '@pagecheck/core/cfront';

/**
 * Helpers of the C-twins test: each TypeScript variant of a scenario beside
 * the same revision written as kernel C (c-twins/<scenario>/<variant>.c), run
 * by the same exploration.
 */

/** The C source of a twin. */
export function twinSource(scenario: string, variant: string): string {
  return readFileSync(new URL(`./c-twins/${scenario}/${variant}.c`, import.meta.url), 'utf8');
}

/** The C twin's overrides. */
export function twinOverrides(scenario: string, variant: string): KernelOverrides {
  return cVariant(twinSource(scenario, variant), { file: `${variant}.c` });
}

/** A case with its kernel's overrides replaced. */
export function withOverrides<S>(spec: RaceSpec<S>, overrides: KernelOverrides): RaceSpec<S> {
  return { ...spec, kernel: { ...spec.kernel, overrides } };
}

/**
 * The labels a variant's own field accesses carry: the string literals of its
 * TypeScript functions, or the lines of its C. Names (smp_rmb,
 * __slab_clear_pfmemalloc) label steps alike on both sides and are not replaced.
 */
export function tsLabels(overrides: KernelOverrides): string[] {
  const text = Object.values(overrides as Record<string, unknown>).map((f) => String(f)).join('\n');
  return [...text.matchAll(/'([^'\n]+)'|"([^"\n]+)"/g)].map((m) => (m[1] ?? m[2]) as string).filter((l) => !/^\w+$/.test(l));
}
export function cLabels(source: string): string[] {
  return source.split('\n').map((l) => l.trim()).filter((l) => l.includes('->'));
}

/** A diagram with each cell trimmed and each of the variant's own labels replaced by <label>. */
export function normalizeDiagram(diagram: string, labels: readonly string[]): string {
  const sorted = [...new Set(labels)].sort((a, b) => b.length - a.length);
  return diagram.split('\n').filter((l) => !/^-+(\+-+)*$/.test(l)).map((line) => line.split('|').map((cell) => {
    const indent = /^\s*/.exec(cell)?.[0].length ?? 0;
    let text = cell.trim();
    const own = sorted.find((l) => text.startsWith(l));
    if (own !== undefined) text = `<label>${text.slice(own.length)}`;
    return `${' '.repeat(Math.min(indent, 8))}${text}`;
  }).join(' | ')).join('\n');
}

/** What the twin test compares of an exploration: verdict, schedule count, completeness, and each failure's schedule and diagram. */
export function summary(r: Exploration, labels: readonly string[]) {
  return {
    kinds: r.kinds,
    schedules: r.schedules,
    complete: r.complete,
    failures: r.failures.map((f) => ({ kind: f.violation.kind, schedule: f.schedule.join(','), diagram: normalizeDiagram(f.diagram, labels) })),
  };
}

export const EXHAUSTIVE = { strategy: 'exhaustive', stopOnFirst: false } as const;

export { explore };

import { cFunction } from '@pagecheck/core/cfront';
import { PAGE_SIZE, PTRS_PER_PTE, check_all_ptes_none, type FolioOrder, type VmFault } from '../src/anon/calc-order.js';

/** Where the C sees the PTE table: pte_t pointers are PTE_BASE + index (NULL, 0, is below every one). */
const PTE_BASE = 0x100000;

/**
 * A C calc_anonymous_folio_order() as the scenario's CalcOrder: the vm_fault
 * with vmf->pte pointing into the PTE table, the out-parameters as { value },
 * and the model's check_all_ptes_none() (the RFC's helper, not quoted in seed 004).
 */
export function calcOf(file: string, source: string): (vmf: VmFault, order_out: number) => FolioOrder {
  let ptes: readonly boolean[] = [];
  const fn = cFunction(source, 'calc_anonymous_folio_order', {
    file,
    externs: { check_all_ptes_none: (pte: number, nr: number) => check_all_ptes_none(ptes, pte - PTE_BASE, nr) },
  });
  return (vmf, order_out) => {
    ptes = vmf.ptes;
    const order = { value: order_out as unknown };
    const addr = { value: 0 as unknown };
    fn({ vma: vmf.vma, address: vmf.address, pte: PTE_BASE + (Math.floor(vmf.address / PAGE_SIZE) % PTRS_PER_PTE) }, order, addr);
    return { order: order.value as number, addr: addr.value as number };
  };
}
