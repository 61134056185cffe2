// The slow clean weak rows of the matrix (slub-isolate-movable vlastimil-v2 and upstream-8b8817630ae8)
// explored under lkmm by one or more builds, one after the other, with CPU time (the shared machine's
// load makes wall time unreliable) and the number of distinct execution graphs among the executions
// (what each read reads from, each location's coherence order; graph events named by thread, step
// index and sub): node bench/weak-rows.mjs <budget seconds> <repo root> [<repo root> ...]
// VARIANTS=vlastimil-v2 picks rows. Each build must be built (packages/*/dist).
import { pathToFileURL } from 'node:url';
const [budgetS, ...roots] = process.argv.slice(2);
for (const root of roots) {
  const core = await import(pathToFileURL(`${root}/packages/core/dist/index.js`).href);
  const engine = await import(pathToFileURL(`${root}/packages/core/dist/engine.js`).href);
  const { scenarios } = await import(pathToFileURL(`${root}/packages/scenarios/dist/index.js`).href);
  const graphs = new Set();
  const end = engine.WeakMemory.prototype.end;
  engine.WeakMemory.prototype.end = function (exec) {
    end.call(this, exec);
    if (this.inconsistent !== undefined || exec.pruned) return;
    const g = this.graph;
    const name = (id) => `${g.events[id].tid}.${g.events[id].index}.${g.events[id].sub}`;
    const parts = g.events.filter((e) => e.kind === 0).map((e) => `${name(e.id)}<${e.rf >= 0 ? name(e.rf) : '?'}`).sort();
    for (const [loc, h] of [...g.co].sort((a, b) => a[0] - b[0])) parts.push(`${loc}:${h.map(name).join(',')}`);
    graphs.add(parts.join(';'));
  };
  const sc = scenarios.find((s) => s.id === 'slub-isolate-movable');
  for (const id of (process.env.VARIANTS ?? 'vlastimil-v2,upstream-8b8817630ae8').split(',')) {
    graphs.clear();
    const t0 = performance.now(); const c0 = process.cpuUsage();
    const r = core.explore(sc.variants[id].spec, { memoryModel: 'lkmm', stopOnFirst: false, shrink: false, maxSchedules: 1e7, timeBudgetMs: Number(budgetS) * 1000 });
    const cpu = process.cpuUsage(c0);
    console.log(JSON.stringify({ build: root, variant: id, complete: r.complete, executions: r.schedules, graphs: graphs.size, pruned: r.pruned, kinds: r.kinds, wallMs: Math.round(performance.now() - t0), cpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
  }
}
