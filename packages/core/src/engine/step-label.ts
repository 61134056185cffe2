import { CHOICE, LOAD, LOCK, RMW, STORE, UNLOCK, WAIT, YIELD, type Op } from './op.js';

/**
 * How the layer above names what the engine only knows as numbers: an op's
 * opaque argument, and a location. The engine stays page-agnostic: a kernel
 * names a word `P0->_refcount` or `zone->lock`, a litmus test `x`.
 */
export interface Namer {
  /** Names an op's opaque argument in a diagram. */
  describe?(arg: number): string;
  /** Names a location (a word index): `zone->lock`, `P0->memcg_data`, `x`. */
  locationName?(loc: number): string;
}

/** A location by the world's name for it, or `word N` when the world gives none. */
export function locationLabel(namer: Namer, loc: number): string {
  return namer.locationName?.(loc) ?? `word ${loc}`;
}

/** A kernel-style function name (`lock_page`, `READ_ONCE`): the diagram adds its argument. A label written otherwise is shown as written. */
const BARE_FN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A step as the race diagram labels it: `fn(arg) == shown`, the argument named
 * by the world (`lock_page(pfn:c)`, `READ_ONCE(x) == 1`, `WRITE_ONCE(x, 1)`).
 * A label that is not a bare function name (`nr_free = 2`,
 * `spin_lock(&zone->lock)`) is printed as written, followed by the argument it
 * is about when it has one (`free: page state (pfn:a)`).
 */
export function stepLabel(namer: Namer, o: Op, value: number): string {
  let text = o.fn === '' ? (o.loc >= 0 ? `access(${locationLabel(namer, o.loc)})` : 'step') : o.fn;
  if (o.fn !== '' && !BARE_FN.test(o.fn) && !o.fn.includes('(') && o.arg >= 0 && namer.describe !== undefined) {
    // A label as written, then what it is about, apart from it: `free: page state (pfn:a)`.
    text = `${o.fn} (${namer.describe(o.arg)})`;
  } else if (o.fn !== '' && BARE_FN.test(o.fn)) {
    if (o.locArg === true && o.loc >= 0) {
      const loc = namer.locationName?.(o.loc) ?? namer.describe?.(o.arg >= 0 ? o.arg : o.loc) ?? `word ${o.loc}`;
      text = `${o.fn}(${o.kind === STORE ? `${loc}, ${o.a}` : loc})`;
    } else if (o.arg < 0 && o.loc >= 0 && (o.kind === LOCK || o.kind === UNLOCK || o.kind === WAIT)) {
      // A lock or wait with no argument of its own: the word it is on.
      text = `${o.fn}(${locationLabel(namer, o.loc)})`;
    } else {
      const arg = o.arg >= 0 ? (namer.describe?.(o.arg) ?? String(o.arg)) : '';
      text = `${o.fn}(${arg})`;
    }
  }
  if (o.show !== undefined && (o.kind === LOAD || o.kind === RMW || o.kind === WAIT || o.kind === CHOICE || o.kind === YIELD)) text += ` == ${o.show(value)}`;
  return text;
}
