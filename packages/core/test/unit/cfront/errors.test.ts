import { describe, expect, it } from 'vitest';
import { CFrontError, cFunction, cVariant } from '../../../src/cfront/index.js';

/** Wraps a body in __free_pages(page, order), so line 2 is the body's first line. */
const inFree = (body: string) => `void __free_pages(struct page *page, unsigned int order) {\n${body}\n}`;

interface Bad { readonly what: string; readonly source: string; readonly line: number; readonly column: number; readonly message: RegExp }

const BAD: readonly Bad[] = [
  { what: 'a syntax error', source: inFree('\tif (put_page_testzero(page) free_the_page(page, order);'), line: 2, column: 29, message: /syntax error|missing/ },
  { what: 'an unknown function', source: inFree('\tfree_the_pages(page, order);'), line: 2, column: 2, message: /unknown function 'free_the_pages'/ },
  { what: 'an unknown struct page field', source: inFree('\tunsigned long x = page->memcg;'), line: 2, column: 26, message: /unknown field 'memcg' of struct page: the model has .*memcg_data/ },
  { what: 'a field of an integer', source: inFree('\tunsigned long x = order->memcg_data;'), line: 2, column: 20, message: /'->memcg_data' on an integer/ },
  { what: 'an unknown identifier', source: inFree('\tfree_the_page(pgae, order);'), line: 2, column: 16, message: /unknown identifier 'pgae'/ },
  { what: 'a switch statement', source: inFree('\tswitch (order) { case 0: break; }'), line: 2, column: 2, message: /switch is not supported/ },
  { what: 'sizeof', source: inFree('\tint n = sizeof(struct page);'), line: 2, column: 10, message: /sizeof is not supported/ },
  { what: 'address-of', source: inFree('\tunsigned long *p = &page->memcg_data;'), line: 2, column: 21, message: /address-of '&' is not supported/ },
  { what: 'a call through a function pointer', source: inFree('\tpage->mapping->a_ops->isolate_page(page, 0);'), line: 2, column: 2, message: /function pointers are not supported/ },
  { what: 'an unknown config option', source: inFree('#ifdef CONFIG_NOT_A_THING\n\tfree_the_page(page, order);\n#endif'), line: 2, column: 8, message: /unknown kernel config option 'CONFIG_NOT_A_THING': the model answers CONFIG_MEMCG/ },
  { what: 'a goto to a missing label', source: inFree('\tgoto out;'), line: 2, column: 2, message: /goto out: no label 'out'/ },
  { what: 'an array', source: inFree('\tint a[4];'), line: 2, column: 6, message: /arrays are not supported/ },
  { what: 'a read-modify-write of a field', source: inFree('\tpage->memcg_data |= 1;'), line: 2, column: 2, message: /'\|=' on a struct field is a read-modify-write/ },
  { what: 'a model argument count mismatch', source: inFree('\tfree_the_page(page);'), line: 2, column: 2, message: /the model's free_the_page\(\) takes 2 arguments, got 1/ },
  { what: 'a parameter the model does not pass', source: 'bool isolate_movable_page(struct page *page, isolate_mode_t mode) {\n\treturn mode;\n}', line: 2, column: 9, message: /parameter 'mode' is not passed by the model's isolate_movable_page\(\)/ },
  { what: 'no kernel function at all', source: 'static int helper(int x) {\n\treturn x;\n}', line: 1, column: 1, message: /no function here is a kernel function of the model \(helper\)/ },
  { what: 'a global variable', source: 'static int counter;\n' + inFree('\tfree_the_page(page, order);'), line: 1, column: 1, message: /top-level declaration/ },
  { what: 'a string literal', source: inFree('\tfree_the_page(page, "0");'), line: 2, column: 22, message: /a string literal is not supported/ },
  { what: 'an unknown macro (pr_info)', source: inFree('\tpr_info(order);'), line: 2, column: 2, message: /unknown function 'pr_info'/ },
  { what: 'a floating point local', source: inFree('\tdouble x = 1;'), line: 2, column: 2, message: /floating point type 'double'/ },
  { what: 'member access on a struct value', source: inFree('\tunsigned long x = page->lru.next;'), line: 2, column: 20, message: /member access '\.next' on a struct value is not supported/ },
  { what: 'a dereference of a struct pointer', source: inFree('\tunsigned long x = *page;'), line: 2, column: 20, message: /pointer dereference '\*' is only supported on an out-parameter/ },
  { what: 'break outside a loop', source: inFree('\tbreak;'), line: 2, column: 2, message: /'break' outside a loop/ },
];

describe('cVariant: errors name the construct, the line and the column', () => {
  for (const bad of BAD) {
    it(`rejects ${bad.what}`, () => {
      let err: unknown;
      try { cVariant(bad.source, { file: 'patch.c' }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(CFrontError);
      const e = err as CFrontError;
      expect(e.reason).toMatch(bad.message);
      expect([e.line, e.column]).toEqual([bad.line, bad.column]);
      expect(e.file).toBe('patch.c');
      // The message starts with file:line:column and quotes the line with a caret under the column.
      const [head, quoted, caret] = e.message.split('\n');
      expect(head).toBe(`patch.c:${bad.line}:${bad.column}: ${e.reason}`);
      expect(quoted?.trim()).toBe(bad.source.split('\n')[bad.line - 1]?.trim());
      expect(caret?.indexOf('^')).toBe(2 + bad.column - 1);
    });
  }

  it('cFunction() rejects kernel calls and struct page words (code outside a kernel makes no step)', () => {
    expect(() => cFunction('int f(struct page *page) {\n\treturn PageHead(page);\n}', 'f', { file: 'f.c' })).toThrow(/^f\.c:2:9: PageHead\(\) is a kernel function: cFunction\(\) code runs outside a kernel/);
    expect(() => cFunction('int f(struct page *page) {\n\treturn page->flags;\n}', 'f', { file: 'f.c' })).toThrow(/^f\.c:2:9: '->flags' of a struct page is a step on the model's memory/);
    expect(() => cFunction('int f(int x) {\n\treturn x;\n}', 'g', { file: 'f.c' })).toThrow(/^f\.c:1:1: no function 'g' here \(f\)/);
    expect(() => cFunction('int f(int *out) {\n\t*out = 1;\n\treturn 0;\n}', 'f', { file: 'f.c' })(5)).toThrow(/^f\.c:2:2: '\*out': 'out' is not an out-parameter the caller gave/);
  });

  it('rejects a source with no function definition, saying what to paste', () => {
    expect(() => cVariant('/* nothing */')).toThrow(/no function definition found: paste the patched kernel function/);
  });
});
