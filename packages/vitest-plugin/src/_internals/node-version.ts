/** What a Node.js version lacks for Vitest 5, if anything. */
export interface NodeVersionProblem {
  /** True where Vite 8 (under Vitest 5) cannot load at all: below 20.19, 21, 22.0 to 22.11. */
  readonly fatal: boolean;
  /** Names the version found, what is needed and how to get it. */
  readonly message: string;
}

/**
 * Checks a Node.js version (`process.versions.node`) against Vitest 5's
 * engines (^22.12, ^24, >= 26). Below them Vitest fails deep inside, with
 * errors that do not name the cause; on 20.19 and later 20.x releases, which
 * Vite 8 still supports, it may run, but unsupported.
 */
export function nodeVersionProblem(version: string): NodeVersionProblem | undefined {
  const [major = NaN, minor = NaN] = version.split('.').map(Number);
  if (!Number.isInteger(major) || !Number.isInteger(minor)) return undefined; // not Node's format: nothing to say
  if (major > 22 || (major === 22 && minor >= 12)) return undefined;
  const fatal = !(major === 20 && minor >= 19);
  const message =
    `@pagecheck/vitest-plugin: Vitest 5 needs Node.js 22.12 or later (^22.12, ^24 or >= 26), and this is Node.js ${version}. ` +
    'Upgrade Node.js, for instance with `nvm install 24` (or `node-version: 24` in actions/setup-node)' +
    (fatal ? '.' : '; on Node.js 20 Vitest may run, but it is not supported and may fail with errors that do not name the cause.');
  return { fatal, message };
}

let warned = false;

/**
 * Throws an Error naming the fix on a Node.js version where Vitest 5 cannot
 * run; on an unsupported one that may still run (20.19+), warns once.
 */
export function checkNodeVersion(version: string = process.versions.node, warn: (message: string) => void = console.warn): void {
  const problem = nodeVersionProblem(version);
  if (problem === undefined) return;
  if (problem.fatal) throw new Error(problem.message);
  if (!warned) {
    warned = true;
    warn(problem.message);
  }
}
