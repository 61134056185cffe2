import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The API reference as TypeDoc builds it from TSDoc: every public function has an
// example and a "Since" that a release could have given it.

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRIES = ['packages/core/src/index.ts', 'packages/vitest-plugin/src/index.ts'].map((p) => join(ROOT, p));

/** The version the next release gets: the packages' version bumped by the pending changesets (the packages are released together). */
function nextVersion(): string {
  const version = (JSON.parse(readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8')) as { version: string }).version;
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const dir = join(ROOT, '.changeset');
  const bumps = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^"@pagecheck\/[^"]+":\s*(major|minor|patch)\s*$/gm)].map((m) => m[1]!));
  if (bumps.includes('major')) return major === 0 ? `0.${minor + 1}.0` : `${major + 1}.0.0`;
  if (bumps.includes('minor')) return `${major}.${minor + 1}.0`;
  return bumps.includes('patch') ? `${major}.${minor}.${patch + 1}` : version;
}

const newer = (a: string, b: string): boolean => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! > y![i]!;
  return false;
};

/** Each public function (and exported const holding one) of the entries, with its TSDoc. */
function publicFunctions(): { name: string; doc: string }[] {
  const program = ts.createProgram(ENTRIES, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023, noEmit: true });
  const checker = program.getTypeChecker();
  const out: { name: string; doc: string }[] = [];
  for (const entry of ENTRIES) {
    const mod = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    for (const exported of checker.getExportsOfModule(mod)) {
      const sym = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decl = sym.declarations?.[0];
      if (decl === undefined) continue;
      const isFn = (sym.flags & ts.SymbolFlags.Function) !== 0 || ((sym.flags & ts.SymbolFlags.Variable) !== 0 && checker.getTypeOfSymbolAtLocation(sym, decl).getCallSignatures().length > 0);
      if (!isFn) continue;
      out.push({ name: exported.getName(), doc: ts.getJSDocCommentsAndTags(decl).map((d) => d.getText()).join('\n') });
    }
  }
  return out;
}

describe('the API reference', () => {
  const fns = publicFunctions();
  const next = nextVersion();

  it('finds the public functions users call', () => {
    expect(fns.map((f) => f.name)).toEqual(expect.arrayContaining(['explore', 'runOnce', 'createKernel', 'raceTest', 'pagecheck', 'toNotDoubleFree', 'toViolate']));
  });

  it('gives every public function an example', () => {
    expect(fns.filter((f) => !f.doc.includes('@example')).map((f) => f.name)).toEqual([]);
  });

  it(`gives every public function a Since no later than the next release`, () => {
    expect(fns.filter((f) => !/@remarks Since \d+\.\d+\.\d+/.test(f.doc)).map((f) => f.name)).toEqual([]);
    const late = fns.map((f) => ({ name: f.name, since: /Since (\d+\.\d+\.\d+)/.exec(f.doc)?.[1] ?? '' })).filter((f) => newer(f.since, next));
    expect(late).toEqual([]);
  });

  it('never names a version later than the next release in a Since of the sources', () => {
    const files = ['core', 'vitest-plugin', 'scenarios'].flatMap((pkg) => readdirSync(join(ROOT, 'packages', pkg, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, 'packages', pkg, 'src', f)));
    const late = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/[Ss]ince (\d+\.\d+\.\d+)/g)].filter((m) => newer(m[1]!, next)).map((m) => `${f.slice(ROOT.length + 1)}: ${m[0]}`));
    expect(late).toEqual([]);
  });
});
