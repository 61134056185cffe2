// Sync twins of the kernel's generator functions, made when the code is built (tsup) or loaded by Vitest.
//
// A kernel function is a generator method (`*page_count(this: Kernel, page) { ... }`): each `yield op`
// is a step a scheduler may preempt at. Where no other thread runs (setup, teardown, `k.run` on a
// standalone kernel), nothing can happen between two steps, and suspending the generator buys nothing.
// For every generator method `name` of a kernel module's object literal this transform adds a
// method `name$sync` with the same parameters and body, in which
//   - `yield op`             becomes `this.exec.stepSequential(op)`: the step performed at once, through
//                            the same checks and `perform` as the sequential driver (engine/execution.ts);
//   - `yield this.ld(args)`  (and st, st32, stRmw, rmw; `this.m.gld`, gst, grmw, glock, gunlock, ld, st32, lock, unlock) becomes
//                            `this.ld$s(args)`: the accessor's checks, then the op it makes performed
//                            at once without making it (kernel/access.ts, `exec.seqLoad` and friends);
//   - `yield* this.f(args)`  becomes `this.f$sync(args)` for a kernel function f (the variant's
//                            replacement when the kernel has one: kernel/sync-call.ts installs it);
//   - `yield* other`         becomes `this.exec.driveSync(other)`: any other generator, driven step by step.
// Module-level `function* helper(k, ...)` get a `helper$sync` the same way, with `k` for `this`.
// In the generator bodies themselves, `yield* this.f(args)` becomes `(yield this.f$g(args))`: the
// generator method itself, not the public entry `this.f` (a lazy call object, kernel/sync-call.ts),
// yielded to the call stack that runs the thread's kernel call (kernel/call-stack.ts), which resumes
// only the innermost call at each step; or, for a one-step function, its op itself (leaf-ops.mjs).
//
// The twins are appended at the end of each object literal and after each helper, so the lines of the
// original code keep their numbers (source maps, stack traces). The source files are not changed.
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isFunctionBoundary, kernelCallName, oneStepCall, oneStepMembers, oneStepTable } from './leaf-ops.mjs';

const SUFFIX_SYNC = '$sync';
const SUFFIX_GEN = '$g';

/** True for the files this transform applies to: the kernel modules of packages/core/src/kernel. */
export function isKernelModule(file) {
  const f = file.split('?')[0].replaceAll('\\', '/');
  return /\/packages\/core\/src\/kernel\/[^/]+\.ts$/.test(f) && !f.endsWith('.d.ts');
}

const knownByDir = new Map();

/**
 * The kernel modules in the folder of `file`: the names of every generator method of their object literals,
 * and the one-step forms among them (leaf-ops.mjs).
 */
function kernelGenerators(file) {
  const dir = path.dirname(file.split('?')[0]);
  let known = knownByDir.get(dir);
  if (known !== undefined) return known;
  const names = new Set();
  const all = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.ts') || f.endsWith('.d.ts')) continue;
    const sf = ts.createSourceFile(f, readFileSync(path.join(dir, f), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    for (const { method } of objectGeneratorMethods(sf)) {
      names.add(method.name.getText(sf));
      all.push({ method, sf });
    }
  }
  known = { names, oneStep: oneStepTable(all) };
  knownByDir.set(dir, known);
  return known;
}

/** Generator methods of object literals assigned by top-level `const` statements. */
function objectGeneratorMethods(sf) {
  const out = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      let init = d.initializer;
      while (init !== undefined && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      if (init === undefined || !ts.isObjectLiteralExpression(init)) continue;
      for (const p of init.properties) {
        if (ts.isMethodDeclaration(p) && p.asteriskToken !== undefined && p.body !== undefined && ts.isIdentifier(p.name)) out.push({ literal: init, method: p });
      }
    }
  }
  return out;
}

/** The kernel's accessors whose op a sync twin performs at once without making it (kernel/access.ts): `self.ld(...)` and so on. */
const SELF_ACCESSORS = new Set(['ld', 'st', 'st32', 'stRmw', 'rmw']);
/** The machine's ops, `self.m.gld(...)` and so on, and the kernel methods that perform them at once (`m.ld` is the unchecked load). */
const MACHINE_ACCESSORS = new Map([
  ['gld', 'gld$s'], ['gst', 'gst$s'], ['grmw', 'grmw$s'], ['glock', 'glock$s'], ['gunlock', 'gunlock$s'],
  ['ld', 'mld$s'], ['st32', 'mst32$s'], ['lock', 'mlock$s'], ['unlock', 'munlock$s'],
]);

/**
 * For `yield self.ld(args)` (and the other accessors above) and `yield self.m.gld(args)` (and the other
 * global-word ops): the kernel method that performs the op at once (`ld$s`, `gld$s`, `mld$s` for `m.ld`), else undefined.
 */
function accessorAtOnce(expr, self) {
  if (expr === undefined || !ts.isCallExpression(expr) || !ts.isPropertyAccessExpression(expr.expression) || !ts.isIdentifier(expr.expression.name)) return undefined;
  if (expr.arguments.some((a) => ts.isSpreadElement(a))) return undefined;
  const name = expr.expression.name.text;
  const recv = expr.expression.expression;
  const isSelf = (r) => (self === 'this' ? r.kind === ts.SyntaxKind.ThisKeyword : ts.isIdentifier(r) && r.text === self);
  if (isSelf(recv)) return SELF_ACCESSORS.has(name) ? `${name}$s` : undefined;
  if (ts.isPropertyAccessExpression(recv) && ts.isIdentifier(recv.name) && recv.name.text === 'm' && isSelf(recv.expression)) return MACHINE_ACCESSORS.get(name);
  return undefined;
}

/** Top-level `function* name(k, ...)`: helpers whose first parameter is the kernel. */
function helperGenerators(sf) {
  return sf.statements.filter((st) => ts.isFunctionDeclaration(st) && st.asteriskToken !== undefined && st.body !== undefined && st.name !== undefined
    && st.parameters.length > 0 && ts.isIdentifier(st.parameters[0].name) && st.parameters[0].name.text === 'k');
}

/** Applies edits ({ start, end, text }, not overlapping) to the text of [from, to). */
function applyEdits(text, from, to, edits) {
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = from;
  for (const e of edits) {
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos, to);
}

class Rewriter {
  constructor(sf, known, helpers, oneStep) {
    this.sf = sf;
    this.text = sf.text;
    this.known = known;
    this.helpers = helpers;
    this.oneStep = oneStep;
  }

  /** The text of `node` with every yield in it (not in nested functions) rewritten for the sync twin. */
  sync(node, self) {
    const edits = [];
    const visit = (n) => {
      if (isFunctionBoundary(n)) return;
      if (ts.isYieldExpression(n)) {
        edits.push({ start: n.getStart(this.sf), end: n.end, text: this.syncYield(n, self) });
        return;
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(node, visit);
    return applyEdits(this.text, node.getStart(this.sf), node.end, edits);
  }

  syncYield(n, self) {
    const e = n.expression;
    if (n.asteriskToken === undefined) {
      const direct = accessorAtOnce(e, self);
      if (direct !== undefined) return `(${self}.${direct}(${e.arguments.map((a) => this.sync(a, self)).join(', ')}))`;
      return `(${self}.exec.stepSequential(${e === undefined ? 'undefined' : this.sync(e, self)}))`;
    }
    const args = () => e.arguments.map((a) => this.sync(a, self)).join(', ');
    const name = kernelCallName(e, self);
    if (name !== undefined && this.known.has(name)) return `(${self}.${name}${SUFFIX_SYNC}(${args()}))`;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && this.helpers.has(e.expression.text)) return `(${e.expression.text}${SUFFIX_SYNC}(${args()}))`;
    return `(${self}.exec.driveSync(${this.sync(e, self)}))`;
  }

  /**
   * Edits of the generator body itself: `yield* this.f(...)` calls the generator method `f$g`, or, for a
   * one-step function, yields its op with no generator (leaf-ops.mjs; the temporaries it needs are declared
   * at the top of the body).
   */
  genEdits(body, self, edits) {
    let temps = 0;
    const temp = () => `$$${temps++}`;
    const visit = (n) => {
      if (isFunctionBoundary(n)) return;
      if (ts.isYieldExpression(n) && n.asteriskToken !== undefined) {
        const name = kernelCallName(n.expression, self);
        if (name !== undefined && this.known.has(name)) {
          const form = this.oneStep.get(name);
          const text = form === undefined ? undefined : oneStepCall(n, self, name, form, this.sf, temp);
          if (text !== undefined) {
            edits.push({ start: n.getStart(this.sf), end: n.end, text });
            return;
          }
          // `(yield this.f$g(args))`: the callee's generator, for the call stack (kernel/call-stack.ts). Three edits that leave the arguments' own alone.
          edits.push({ start: n.getStart(this.sf), end: n.expression.getStart(this.sf), text: '(yield ' });
          edits.push({ start: n.expression.expression.name.end, end: n.expression.expression.name.end, text: SUFFIX_GEN });
          edits.push({ start: n.end, end: n.end, text: ')' });
        }
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    if (temps > 0) {
      const at = body.getStart(this.sf) + 1;
      edits.push({ start: at, end: at, text: ` let ${Array.from({ length: temps }, (_, i) => `$$${i}`).join(', ')};` });
    }
  }

  params(fn) {
    return fn.parameters.map((p) => p.getText(this.sf)).join(', ');
  }
}

/**
 * Adds the sync twins to the source of one kernel module. Returns the new source, or undefined when
 * the file has no generator function to twin.
 */
export function addSyncTwins(source, file) {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const methods = objectGeneratorMethods(sf);
  const helpers = helperGenerators(sf);
  if (methods.length === 0 && helpers.length === 0) return undefined;
  const { names, oneStep } = kernelGenerators(file);
  const known = new Set(names);
  for (const { method } of methods) known.add(method.name.getText(sf));
  const rw = new Rewriter(sf, known, new Set(helpers.map((h) => h.name.text)), oneStep);
  const edits = [];
  const byLiteral = new Map();
  for (const { literal, method } of methods) {
    rw.genEdits(method.body, 'this', edits);
    const twin = `${method.name.text}${SUFFIX_SYNC}(${rw.params(method)}) ${rw.sync(method.body, 'this')}`;
    if (!byLiteral.has(literal)) byLiteral.set(literal, []);
    byLiteral.get(literal).push(twin);
    const form = oneStep.get(method.name.text);
    if (form !== undefined) byLiteral.get(literal).push(...oneStepMembers(method.name.text, form, rw.params(method)));
  }
  for (const [literal, twins] of byLiteral) {
    const close = literal.end - 1; // the closing brace
    const sep = literal.properties.hasTrailingComma ? ' ' : ', ';
    edits.push({ start: close, end: close, text: `${sep}${twins.join(', ')} ` });
  }
  for (const h of helpers) {
    rw.genEdits(h.body, 'k', edits);
    edits.push({ start: h.end, end: h.end, text: ` function ${h.name.text}${SUFFIX_SYNC}(${rw.params(h)}) ${rw.sync(h.body, 'k')}` });
  }
  return applyEdits(source, 0, source.length, edits);
}

/** An esbuild plugin (tsup's `esbuildPlugins`) that adds the twins to the kernel modules. */
export function syncTwinsEsbuild() {
  return {
    name: 'pagecheck-sync-twins',
    setup(build) {
      build.onLoad({ filter: /[\\/]packages[\\/]core[\\/]src[\\/]kernel[\\/][^\\/]+\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const out = addSyncTwins(source, args.path);
        return out === undefined ? undefined : { contents: out, loader: 'ts' };
      });
    },
  };
}

/** A Vite plugin (Vitest's `plugins`) that adds the twins to the kernel modules. */
export function syncTwinsVite() {
  return {
    name: 'pagecheck-sync-twins',
    enforce: 'pre',
    transform(code, id) {
      if (!isKernelModule(id)) return undefined;
      const out = addSyncTwins(code, id.split('?')[0]);
      return out === undefined ? undefined : { code: out, map: null };
    },
  };
}
