import { pendingOf, type Node } from './dfs-path.js';

/**
 * Sharding: every shard runs the same first runs of the search (the probe), then
 * splits the branches still to explore at that point among the shards. The probe
 * ends once at least SPLIT_ITEMS_PER_SHARD branches per shard are pending, or
 * after PROBE_MAX_RUNS runs.
 */
const SPLIT_ITEMS_PER_SHARD = 8;
const PROBE_MAX_RUNS = 128;

/**
 * Ends the probe once enough branches are pending (or it ran long enough): the
 * pending branches, listed from the root down, go to the shards in turn. Every
 * shard computes the same list, since the probe is the same in all. A branch a
 * shard finds later is its own: it lies under one of its branches, or above
 * them, where each shard that finds it explores it. Returns true when it split.
 */
export function splitAmongShards(
  stack: readonly Node[],
  nThreads: number,
  shard: { readonly index: number; readonly count: number },
  probe: { readonly pendingPerShard?: number; readonly maxRuns?: number } | undefined,
  runs: number,
): boolean {
  const pending = pendingOf(stack, nThreads);
  const perShard = probe?.pendingPerShard ?? SPLIT_ITEMS_PER_SHARD;
  const maxRuns = probe?.maxRuns ?? PROBE_MAX_RUNS;
  if (pending.length < perShard * shard.count && runs < maxRuns) return false;
  pending.forEach((p, i) => {
    if (i % shard.count === shard.index) return;
    if (p.thread < 0) p.node.foreignAlts = true;
    else p.node.foreign |= 1 << p.thread;
  });
  return true;
}
