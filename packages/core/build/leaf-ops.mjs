// One-step kernel functions called without a generator of their own, made when the code is built (with the sync twins).
//
// Many kernel functions take exactly one step: `*PageTail(page) { const v = yield this.ld(...); return (v & 1) !== 0; }`.
// Called from a thread (`yield this.PageTail$g(page)`, run by the thread's call stack, kernel/call-stack.ts),
// each call creates a generator, which the call stack pushes, resumes with the step's result and pops. For such a function `f` this transform adds
//   - `f$op(params)`:     the body up to its step, returning the step's op instead of yielding it;
//   - `f$ret(params, v)`: the body after the step, given the step's result `v` (only when there is such code);
// and rewrites each `yield* this.f(args)` in the generator bodies to yield `f$op`'s op itself and hand the
// result to `f$ret`: the same code, run in the same order, around the same single step, with no generator.
// A function whose only step is a call of such a function (`return yield* this.test_page_bit(page, PG_head, 'PageHead')`)
// is one too (`f$via` names the callee). The rewritten call is guarded by `this.f$fast`, true on the Kernel
// prototype; a kernel whose `f` (or a function `f` goes through) a variant replaces, or whose calls are
// wrapped to track frames, has it false and calls the generator `f$g`, as before (kernel/sync-call.ts).
//
// A function is one step when its body has exactly one `yield` (or one `yield*` of such a function), as a
// statement of the body itself: `return yield E;`, `yield E;` last, or `const x = yield E;` followed by code
// without steps. The code before the step must not return; when code follows the step it must declare
// nothing and assign no variable (the code after it sees the parameters as they were passed). No try, no
// `arguments`, no `var`, parameters plain names.
import ts from 'typescript';

export function isFunctionBoundary(n) {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)
    || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isClassDeclaration(n) || ts.isClassExpression(n);
}

/** `recv.name(args)` where recv is the kernel expression (`this` or `k`): the name, else undefined. */
export function kernelCallName(expr, self) {
  if (expr === undefined || !ts.isCallExpression(expr) || !ts.isPropertyAccessExpression(expr.expression)) return undefined;
  const recv = expr.expression.expression;
  const isSelf = self === 'this' ? recv.kind === ts.SyntaxKind.ThisKeyword : ts.isIdentifier(recv) && recv.text === self;
  return isSelf && ts.isIdentifier(expr.expression.name) ? expr.expression.name.text : undefined;
}

/** Nodes under `node` (not in nested functions) for which `pred` holds. */
function collect(node, pred) {
  const out = [];
  const visit = (n) => {
    if (isFunctionBoundary(n)) return;
    if (pred(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return out;
}

function unwrap(e) {
  while (e !== undefined && ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

const ASSIGN_OPS = new Set([
  ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.PercentEqualsToken, ts.SyntaxKind.AmpersandEqualsToken, ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.CaretEqualsToken, ts.SyntaxKind.LessThanLessThanEqualsToken, ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** True when `node` assigns a plain variable (`x = ...`, `x++`). */
function assignsVariable(node) {
  return collect(node, (n) => (ts.isBinaryExpression(n) && ASSIGN_OPS.has(n.operatorToken.kind) && ts.isIdentifier(unwrap(n.left)))
    || ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken))).length > 0;
}

function isDeclaration(st) {
  return ts.isVariableStatement(st) || ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st);
}

/** A literal: passed as it is, no temporary needed. */
function isLiteral(e) {
  e = unwrap(e);
  return ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || e.kind === ts.SyntaxKind.TrueKeyword
    || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword
    || (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand));
}

/** The names a module binds for good: its imports and its top-level `const`s. */
function moduleConstants(sf) {
  let names = constantsOf.get(sf);
  if (names !== undefined) return names;
  names = new Set();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause !== undefined) {
      const c = st.importClause;
      if (c.name !== undefined) names.add(c.name.text);
      if (c.namedBindings !== undefined && ts.isNamedImports(c.namedBindings)) for (const e of c.namedBindings.elements) names.add(e.name.text);
    } else if (ts.isVariableStatement(st) && (st.declarationList.flags & ts.NodeFlags.Const) !== 0) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    }
  }
  constantsOf.set(sf, names);
  return names;
}
const constantsOf = new WeakMap();

/** True when `name`, read anywhere in `body`, has the same value: a parameter the body never assigns, or a module constant it does not shadow. */
function isStable(name, parameters, body, sf) {
  const assigned = collect(body, (n) => (ts.isBinaryExpression(n) && ASSIGN_OPS.has(n.operatorToken.kind) && ts.isIdentifier(unwrap(n.left)) && unwrap(n.left).text === name)
    || ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(unwrap(n.operand)) && unwrap(n.operand).text === name)
    || (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name)).length > 0;
  if (assigned) return false;
  return parameters.some((p) => p.name.text === name) || moduleConstants(sf).has(name);
}

/**
 * The one-step form of generator method `method` (of file `sf`), or undefined: `{ kind, nParams, op, ret, via }`,
 * where kind is `raw` (the call's value is the step's result), `void` (undefined) or `ret` (what `f$ret` returns),
 * `op` and `ret` the bodies of `f$op` and `f$ret`. `table` has the forms found so far (for calls of one-step functions).
 */
export function oneStepForm(method, sf, table) {
  const body = method.body;
  // TypeScript's `this` parameter is no parameter at run time.
  const parameters = method.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
  if (body === undefined || parameters.some((p) => !ts.isIdentifier(p.name) || p.dotDotDotToken !== undefined)) return undefined;
  const yields = collect(body, ts.isYieldExpression);
  if (yields.length !== 1) return undefined;
  const hoisted = (n) => ts.isVariableDeclarationList(n) && (n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) === 0;
  if (collect(body, (n) => ts.isTryStatement(n) || hoisted(n) || (ts.isIdentifier(n) && n.text === 'arguments')).length > 0) return undefined;
  const y = yields[0];
  if (y.expression === undefined) return undefined;
  const stmts = body.statements;
  const last = stmts[stmts.length - 1];
  let at = -1;
  let form;
  let decl;
  if (last !== undefined && ts.isReturnStatement(last) && unwrap(last.expression) === y) [at, form] = [stmts.length - 1, 'return'];
  else if (last !== undefined && ts.isExpressionStatement(last) && unwrap(last.expression) === y) [at, form] = [stmts.length - 1, 'stmt'];
  else {
    for (let i = 0; i < stmts.length; i++) {
      const st = stmts[i];
      if (!ts.isVariableStatement(st) || st.declarationList.declarations.length !== 1) continue;
      const d = st.declarationList.declarations[0];
      if (ts.isIdentifier(d.name) && unwrap(d.initializer) === y) {
        [at, form, decl] = [i, 'decl', d];
        break;
      }
    }
  }
  if (at < 0) return undefined;
  const prefix = stmts.slice(0, at);
  if (prefix.some((st) => collect(st, ts.isReturnStatement).length > 0 || ts.isReturnStatement(st))) return undefined;
  const text = (n) => n.getText(sf);
  const prefixText = prefix.map(text).join(' ');
  const suffixText = stmts.slice(at + 1).map(text).join(' ');
  const declText = decl === undefined ? '' : `let ${decl.name.text}${decl.type === undefined ? '' : `: ${text(decl.type)}`}`;
  const nParams = parameters.length;
  let kind;
  let op;
  let ret = '';
  let via;
  if (y.asteriskToken === undefined) {
    op = `${prefixText} return ${text(y.expression)};`;
    if (form === 'return') kind = 'raw';
    else if (form === 'stmt') kind = 'void';
    else [kind, ret] = ['ret', `${declText} = $v; ${suffixText}`];
  } else {
    const callee = kernelCallName(y.expression, 'this');
    const g = callee === undefined ? undefined : table.get(callee);
    if (g === undefined) return undefined;
    const args = y.expression.arguments;
    if (args.length > g.nParams || args.some((a) => ts.isSpreadElement(a))) return undefined;
    const argsText = args.map(text).join(', ');
    const padded = [...args.map(text), ...Array(g.nParams - args.length).fill('undefined')].join(', ');
    op = `${prefixText} return this.${callee}$op(${argsText});`;
    via = callee;
    const value = g.kind === 'raw' ? '$v' : g.kind === 'void' ? 'undefined' : `this.${callee}$ret(${padded}, $v)`;
    // The code after the step evaluates the callee's arguments again: only literals and the parameters qualify.
    const pure = args.every((a) => isLiteral(a) || (ts.isIdentifier(unwrap(a)) && isStable(unwrap(a).text, parameters, body, sf)));
    if (g.kind === 'ret' && !pure) return undefined;
    if (form === 'return') [kind, ret] = g.kind === 'ret' ? ['ret', `return ${value};`] : [g.kind, ''];
    else if (form === 'stmt') [kind, ret] = g.kind === 'ret' ? ['ret', `${value};`] : ['void', ''];
    else [kind, ret] = ['ret', `${declText} = ${value}; ${suffixText}`];
  }
  // Code after the step runs in f$ret, which sees only the parameters: nothing declared or assigned before it.
  if (kind === 'ret' && (prefix.some(isDeclaration) || prefix.some(assignsVariable))) return undefined;
  return { kind, nParams, op, ret, via };
}

/** The one-step forms of every generator method of `methods` ({ method, sf }), found to a fixed point (a form may go through another). */
export function oneStepTable(methods) {
  const table = new Map();
  for (let changed = true; changed;) {
    changed = false;
    for (const { method, sf } of methods) {
      const name = method.name.getText(sf);
      if (table.has(name)) continue;
      const form = oneStepForm(method, sf, table);
      if (form !== undefined) {
        table.set(name, form);
        changed = true;
      }
    }
  }
  return table;
}

/** The methods `f$op`, `f$ret` and the property `f$via` of a one-step function, for its object literal. */
export function oneStepMembers(name, form, paramsText) {
  const out = [`${name}$op(${paramsText}) { ${form.op} }`];
  if (form.kind === 'ret') out.push(`${name}$ret(${paramsText}${paramsText === '' ? '' : ', '}$v) { ${form.ret} }`);
  if (form.via !== undefined) out.push(`${name}$via: ${JSON.stringify(form.via)}`);
  return out;
}

/**
 * The rewrite of `yield* self.f(args)` (node `n`, a call of one-step function `f`), or undefined when the call does
 * not qualify (a spread, more arguments than parameters, a step inside an argument). `temp()` names a fresh local.
 */
export function oneStepCall(n, self, name, form, sf, temp) {
  const call = n.expression;
  const args = call.arguments;
  if (args.length > form.nParams || args.some((a) => ts.isSpreadElement(a) || collect(a, ts.isYieldExpression).length > 0 || ts.isYieldExpression(a))) return undefined;
  const argsText = args.map((a) => a.getText(sf)).join(', ');
  const slow = `(yield ${self}.${name}$g(${argsText}))`;
  let fast;
  if (form.kind === 'raw') fast = `(yield ${self}.${name}$op(${argsText}))`;
  else if (form.kind === 'void') fast = `((yield ${self}.${name}$op(${argsText})), undefined)`;
  else {
    // Each argument is evaluated once, in order, before the step; f$op and f$ret get the same values.
    const assigns = [];
    const vals = args.map((a) => {
      if (isLiteral(a)) return a.getText(sf);
      const t = temp();
      assigns.push(`${t} = (${a.getText(sf)})`);
      return t;
    });
    const padded = [...vals, ...Array(form.nParams - args.length).fill('undefined')].join(', ');
    fast = `(${assigns.map((s) => `${s}, `).join('')}${self}.${name}$ret(${padded}, yield ${self}.${name}$op(${vals.join(', ')})))`;
  }
  return `(${self}.${name}$fast ? ${fast} : ${slow})`;
}
