// Benchmark 3: schedules/s exploring free-pages-speculative (the model's 462a8e08e0e6 __free_pages,
// order 2) with the random and pct strategies, a fixed number of schedules per exploration.
import { CORE, SCENARIOS, median, progress } from './lib.mjs';

const { explore, GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP } = await import(CORE);
const { speculativeRace, freePagesRevisions } = await import(SCENARIOS);

export const SPECULATIVE_CASES = [
  { name: 'compound (GFP_KERNEL|__GFP_COMP)', gfp: () => GFP_KERNEL | __GFP_COMP },
  { name: 'accounted non-compound (GFP_KERNEL_ACCOUNT)', gfp: () => GFP_KERNEL_ACCOUNT },
];

export function speculativeSpec(gfp) {
  return speculativeRace('bench', freePagesRevisions.fix462a8e08e0e6, gfp, 2);
}

function once(spec, strategy, seed, maxSchedules) {
  // stopOnFirst: false so the accounted case (which has the accepted memcg leak) runs every schedule too.
  const wall0 = performance.now();
  const r = explore(spec, { strategy, seed, maxSchedules, timeBudgetMs: 60_000, stopOnFirst: false, shrink: false });
  const wallMs = performance.now() - wall0;
  if (r.schedules !== maxSchedules) throw new Error(`explore ran ${r.schedules} of ${maxSchedules} schedules`);
  return { schedulesPerSec: (r.schedules / r.elapsedMs) * 1000, elapsedMs: r.elapsedMs, wallMs, kinds: r.kinds };
}

export function benchExplore({ reps = 5, maxSchedules = 20_000, strategies = ['random', 'pct'] } = {}) {
  const rows = [];
  for (const c of SPECULATIVE_CASES) {
    const spec = speculativeSpec(c.gfp());
    for (const strategy of strategies) {
      progress(`explore: ${c.name}, ${strategy}, ${reps} x ${maxSchedules} schedules`);
      once(spec, strategy, 99, 2_000); // warm up
      const samples = [];
      for (let r = 0; r < reps; r++) samples.push(once(spec, strategy, r + 1, maxSchedules));
      rows.push({
        case: c.name,
        strategy,
        maxSchedules,
        schedulesPerSec: median(samples.map((s) => s.schedulesPerSec)),
        elapsedMs: median(samples.map((s) => s.elapsedMs)),
        wallMs: median(samples.map((s) => s.wallMs)),
        kinds: samples[0].kinds,
        samples: samples.map((s) => s.schedulesPerSec),
      });
    }
  }
  return { revision: '462a8e08e0e6', order: 2, reps, maxSchedules, rows, target: 200_000 };
}
