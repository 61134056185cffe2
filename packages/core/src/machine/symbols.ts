import { SYMBOL_BASE } from './addresses.js';

/** What a symbol is: the type a word holding its address points to. */
export type SymbolKind = 'function' | 'kmem_cache' | 'movable_operations' | 'address_space' | 'mem_cgroup' | 'obj_cgroup' | 'object';

/** An object or function the model can point at. */
export interface SymbolInfo {
  readonly name: string;
  readonly kind: SymbolKind;
  /** The address, possibly with low bits set (function addresses under -Os). */
  readonly addr: number;
  /** Locations of the object's own words, if it has any (a page_counter, a refcount). */
  readonly words: Readonly<Record<string, number>>;
}

/**
 * The symbol table: tagged pointer values for the objects the model points at.
 * Objects are 64-byte aligned, so their addresses have clear low bits; a function
 * may be given low bits explicitly, as `-Os` builds can place functions at odd
 * or two-aligned addresses (CONFIG_CC_OPTIMIZE_FOR_SIZE).
 * @remarks Since 0.1.0
 */
export class SymbolTable {
  private next = SYMBOL_BASE;
  private readonly byAddr = new Map<number, SymbolInfo>();
  private readonly byName = new Map<string, SymbolInfo>();

  /** Adds a symbol; `lowBits` (0..63) are added to its aligned address. */
  add(name: string, kind: SymbolKind, options: { lowBits?: number; words?: Record<string, number> } = {}): SymbolInfo {
    if (this.byName.has(name)) throw new Error(`symbol ${name} is already defined`);
    const lowBits = options.lowBits ?? 0;
    if (!Number.isInteger(lowBits) || lowBits < 0 || lowBits > 63) {
      throw new RangeError(`symbol ${name}: lowBits must be an integer in 0..63, got ${lowBits}`);
    }
    const info: SymbolInfo = { name, kind, addr: this.next + lowBits, words: options.words ?? {} };
    this.next += 64;
    this.byAddr.set(info.addr, info);
    this.byName.set(name, info);
    return info;
  }

  /** The table this one is a copy of (clone). */
  private origin: SymbolTable | undefined;

  /** A copy that can grow on its own. */
  clone(): SymbolTable {
    const t = new SymbolTable();
    t.origin = this;
    t.next = this.next;
    for (const [a, s] of this.byAddr) t.byAddr.set(a, s);
    for (const [n, s] of this.byName) t.byName.set(n, s);
    return t;
  }

  /** This table is a copy of `table` with nothing added since (symbols are only ever added). */
  isCopyOf(table: SymbolTable): boolean {
    return this.origin === table && this.next === table.next;
  }

  /** The symbol at exactly this address. */
  at(addr: number): SymbolInfo | undefined {
    return this.byAddr.get(addr);
  }

  /** The symbol with this name; throws naming the known ones if there is none. */
  get(name: string): SymbolInfo {
    const s = this.byName.get(name);
    if (s === undefined) throw new Error(`no symbol named ${name}; known: ${[...this.byName.keys()].join(', ')}`);
    return s;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }
}
