/** The C litmus converter (scripts/litmus/): parsing, what it converts, what it skips and why, and the verdicts of what it converts. */
import { describe, expect, it } from 'vitest';
import { checkLitmus, parseExists, withDeps } from '../../src/engine/litmus/litmus.js';
import * as litmus from '../../src/engine/litmus/ops.js';
import { Val } from '../../src/engine/litmus/values.js';
import { convertLitmus, FEATURE, type ConvertedLitmus } from '../../../../scripts/litmus/convert.ts';
import { evalExpr, parseExpr } from '../../../../scripts/litmus/expr.ts';
import { LitmusSyntaxError, parseCLitmus } from '../../../../scripts/litmus/parse.ts';
import { matches, runConverted } from '../../../../scripts/litmus/run.ts';

const engine = { checkLitmus, parseExists, litmus, withDeps, Val };

function convert(text: string): ConvertedLitmus {
  const c = convertLitmus(parseCLitmus(text), 'test.litmus');
  if (!c.ok) throw new Error(`not converted: ${c.missing.join(', ')}`);
  return c.test;
}
const missing = (text: string): readonly string[] => {
  const c = convertLitmus(parseCLitmus(text), 'test.litmus');
  return c.ok ? [] : c.missing;
};

// tools/memory-model/litmus-tests/MP+pooncerelease+poacquireonce.litmus, as the kernel writes it.
const MP = `C MP+pooncerelease+poacquireonce

(*
 * Result: Never
 *
 * This litmus test demonstrates that smp_store_release() and
 * smp_load_acquire() provide sufficient ordering for the message-passing
 * pattern.
 *)

{}

P0(int *buf, int *flag) // Producer
{
	WRITE_ONCE(*buf, 1);
	smp_store_release(flag, 1);
}

P1(int *buf, int *flag) // Consumer
{
	int r0;
	int r1;

	r0 = smp_load_acquire(flag);
	r1 = READ_ONCE(*buf);
}

exists (1:r0=1 /\\ 1:r1=0) (* Bad outcome. *)
`;

describe('parseCLitmus', () => {
  it('reads the header, the Result line, the threads and the clause', () => {
    const p = parseCLitmus(MP);
    expect(p.name).toBe('MP+pooncerelease+poacquireonce');
    expect(p.result).toEqual({ verdict: 'Never', rest: '' });
    expect(p.threads.map((t) => t.params)).toEqual([['buf', 'flag'], ['buf', 'flag']]);
    expect(p.threads[1]!.statements).toEqual(['int r0', 'int r1', 'r0 = smp_load_acquire(flag)', 'r1 = READ_ONCE(*buf)']);
    expect(p.quantifier).toBe('exists');
    expect(p.condition).toBe('(1:r0=1 /\\ 1:r1=0)');
  });

  it('takes READ_ONCE(*v) and if (*r0) for C, not for the start of a (* comment *)', () => {
    const p = parseCLitmus('C t\n{}\nP0(int *v)\n{\n\tint r0;\n\tr0 = READ_ONCE(*v); // a *) lookalike\n\tif (*v) /* *) */\n\t\tr0 = 2;\n}\nexists (0:r0=0) (* a comment *)\n');
    expect(p.threads[0]!.statements).toEqual(['int r0', 'r0 = READ_ONCE(*v)', 'if (*v) r0 = 2']);
    expect(p.condition).toBe('(0:r0=0)');
  });

  it('names what is wrong with a test it cannot read', () => {
    expect(() => parseCLitmus('LISA t\n{}\n P0 ;\n')).toThrow(/not a C litmus test: its header names the LISA architecture/);
    expect(() => parseCLitmus('C t\n{ x=1;\n')).toThrow(LitmusSyntaxError);
    expect(() => parseCLitmus('C t\n{}\nexists (x=1)\n')).toThrow(/no thread/);
    expect(() => parseCLitmus('C t\n{}\nP1(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n')).toThrow(/P0, P1, \.\.\. in order/);
  });
});

describe('convertLitmus and runConverted', () => {
  it('converts the kernel MP test and finds its Never; made relaxed, the model finds Sometimes', () => {
    const t = convert(MP);
    expect(t.threads[0]).toEqual([{ fn: 'WRITE_ONCE', args: ['buf', 1] }, { fn: 'smp_store_release', args: ['flag', 1] }]);
    expect(runConverted(t, engine).verdict).toBe('Never');
    const relaxed = convert(MP.replace('smp_store_release(flag, 1)', 'WRITE_ONCE(*flag, 1)').replace('smp_load_acquire(flag)', 'READ_ONCE(*flag)'));
    expect(runConverted(relaxed, engine).verdict).toBe('Sometimes');
  });

  it('gives Always when every execution satisfies the proposition (forall)', () => {
    const t = convert('C t\n(* Result: Always *)\n{ x=1; }\nP0(int *x)\n{\n\tint r0 = READ_ONCE(*x);\n}\nforall (0:r0=1 /\\ x=1)\n');
    expect(t.init).toEqual({ x: 1 });
    expect(runConverted(t, engine).verdict).toBe('Always');
  });

  it('computes registers from registers (no memory event) and keeps RMW results', () => {
    const t = convert(`C t
(* Result: Always *)
{}
P0(int *x, atomic_t *v)
{
	int r0; int r1; int r2;
	r0 = READ_ONCE(*x);
	r1 = (r0 != 0);
	r2 = atomic_add_return(2, v);
}
exists (0:r1=0 /\\ 0:r2=2)
`);
    expect(t.threads[0]).toContainEqual({ let: 'r1', expr: '(r0 != 0)' });
    expect(runConverted(t, engine).verdict).toBe('Always');
  });

  it('runs an if on registers, with or without braces and else', () => {
    const t = convert(`C t
(* Result: Sometimes *)
{}
P0(int *x, int *y)
{
	int r0; int r1 = 5; int r2 = 0;
	if (r2 == 0) WRITE_ONCE(*y, 1); else WRITE_ONCE(*y, 2);
	r0 = READ_ONCE(*x);
	if (r0 == 1) {
		r1 = READ_ONCE(*y);
	} else
		r1 = 7;
}
P1(int *x, int *y)
{
	WRITE_ONCE(*y, 3);
	WRITE_ONCE(*x, 1);
}
exists (0:r0=1 /\\ 0:r1=1)
`);
    expect(t.threads[0]![2]).toEqual({ if: 'r2 == 0', then: [{ fn: 'WRITE_ONCE', args: ['y', 1] }], else: [{ fn: 'WRITE_ONCE', args: ['y', 2] }] });
    expect(t.threads[0]![4]).toEqual({ if: 'r0 == 1', then: [{ fn: 'READ_ONCE', args: ['y'], reg: 'r1' }], else: [{ set: 'r1', value: 7 }] });
    expect(runConverted(t, engine).verdict).toBe('Sometimes');
    const never = convert(`C t
(* Result: Never *)
{}
P0(int *x)
{
	int r0; int r1 = 5;
	r0 = READ_ONCE(*x);
	if (r0 == 0) r1 = 7;
}
exists (0:r0=0 /\\ 0:r1=5)
`);
    expect(runConverted(never, engine).verdict).toBe('Never');
  });

  it('gives a write inside an if on a read value a control dependency, and one after the if none (as herd7)', () => {
    const lb = (p0: string): string => `C t\n(* Result: Never *)\n{}\nP0(int *x, int *y)\n{\n\tint r1;\n\tr1 = READ_ONCE(*x);\n${p0}\n}\nP1(int *x, int *y)\n{\n\tint r1;\n\tr1 = READ_ONCE(*y);\n\tsmp_mb();\n\tWRITE_ONCE(*x, 1);\n}\nexists (0:r1=1 /\\ 1:r1=1)\n`;
    expect(runConverted(convert(lb('if (r1) WRITE_ONCE(*y, 1);')), engine).verdict).toBe('Never');
    expect(runConverted(convert(lb('int r2 = 0;\n\tif (r1) r2 = 2;\n\tWRITE_ONCE(*y, 1);')), engine).verdict).toBe('Sometimes');
    // Data and address dependencies carry through register arithmetic (herd7 computes them syntactically).
    expect(runConverted(convert(lb('WRITE_ONCE(*y, r1 - r1 + 1);')), engine).verdict).toBe('Never');
    expect(runConverted(convert(lb('int r2 = r1 + 1;\n\tWRITE_ONCE(*y, r2);')), engine).verdict).toBe('Never');
  });

  it('reads pointers from init and through registers (rcu_assign_pointer / rcu_dereference) and compares them in the clause', () => {
    const t = convert(`C t
(* Result: Never *)
{ int *y = &z; int z = 0; }
P0(int *x, int **y)
{
	WRITE_ONCE(*x, 1);
	rcu_assign_pointer(*y, x);
}
P1(int *x, int **y)
{
	int *r0; int r1;
	rcu_read_lock();
	r0 = rcu_dereference(*y);
	r1 = READ_ONCE(*r0);
	rcu_read_unlock();
}
exists (1:r0=x /\\ 1:r1=0)
`);
    expect(t.init).toEqual({ y: 'z', z: 0 });
    expect(t.threads[1]).toContainEqual({ fn: 'READ_ONCE', args: ['r0'], reg: 'r1' });
    expect(runConverted(t, engine).verdict).toBe('Never');
  });

  it('turns *x = v and r = *x into plain accesses and raises the data-race flag as herd7 does', () => {
    const race = convert(`C t
(* Result: Sometimes DATARACE *)
{}
P0(int *x) { *x = 1; }
P1(int *x) { int r0; r0 = *x; }
exists (1:r0=1)
`);
    expect(race.dataRace).toBe(true);
    expect(race.threads[0]).toEqual([{ fn: 'plain_store', args: ['x', 1] }]);
    expect(race.threads[1]).toContainEqual({ fn: 'plain_load', args: ['x'], reg: 'r0' });
    const v = runConverted(race, engine);
    expect(v).toMatchObject({ verdict: 'Sometimes', dataRace: true });
    expect(matches(race, v)).toBe(true);
    const ordered = convert(`C t
(* Result: Never *)
{}
P0(int *x, int *y) { *x = 1; smp_store_release(y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = smp_load_acquire(y); if (r0) r1 = *x; }
exists (1:r0=1 /\\ 1:r1=0)
`);
    expect(runConverted(ordered, engine)).toMatchObject({ verdict: 'Never', dataRace: false });
  });

  it('runs SRCU with the read-lock cookie passed to the unlock', () => {
    const t = convert(`C t
(* Result: Never *)
{}
P0(int *x, int *y, struct srcu_struct *s)
{
	int r0; int r1;
	r1 = srcu_read_lock(s);
	r0 = READ_ONCE(*x);
	WRITE_ONCE(*y, 1);
	srcu_read_unlock(s, r1);
}
P1(int *x, int *y, struct srcu_struct *s)
{
	int r0;
	r0 = READ_ONCE(*y);
	synchronize_srcu(s);
	WRITE_ONCE(*x, 1);
}
exists (0:r0=1 /\\ 1:r0=1)
`);
    expect(runConverted(t, engine).verdict).toBe('Never');
  });

  it('skips, naming the primitive or feature, what the model cannot express', () => {
    const body = (s: string): string => `C t\n{}\nP0(int *x, int *y)\n{\n\tint r0;\n\tr0 = READ_ONCE(*x);\n${s}\n}\nexists (x=1)\n`;
    expect(missing(body('smp_memb();'))).toContain('smp_memb');
    expect(missing(body('WRITE_ONCE(*y, READ_ONCE(*x));'))).toContain(FEATURE.nested);
    expect(missing(body('r0 = *x + *y;'))).toContain(FEATURE.plainNested);
    expect(missing(body('while (r0) r0 = READ_ONCE(*x);'))).toContain(FEATURE.loop);
    expect(missing(body('WRITE_ONCE(*y, q);'))).toContain("argument of WRITE_ONCE 'q' (names q, neither a parameter nor a register)");
    expect(missing('C t\n{ x=ATOMIC_INIT(0); }\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n')).toContain(`${FEATURE.pointerInit}: 'ATOMIC_INIT(0)'`);
    expect(missing('C t\n(* Result: Maybe *)\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n')).toContain('no herd verdict recorded (Result: Maybe)');
  });

  it('rejects a primitive called with the wrong number of arguments', () => {
    expect(() => convertLitmus(parseCLitmus('C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x);\n}\nexists (x=1)\n'), 't')).toThrow(/WRITE_ONCE takes 2 argument\(s\), found 1/);
  });
});

describe('register expressions', () => {
  it('evaluate with C int semantics', () => {
    expect(evalExpr(parseExpr('(r0 != 0) + r1 * 2'), { r0: 5, r1: 3 })).toBe(7);
    expect(evalExpr(parseExpr('!r0 && r1'), { r1: 1 })).toBe(1);
    expect(evalExpr(parseExpr('r0 ? 7 / 2 : -1'), { r0: 1 })).toBe(3);
    expect(() => parseExpr('r0 +')).toThrow(/expression 'r0 \+': unexpected end/);
  });
});
