import { parseArgs } from 'node:util';
import { EXPLORE_OPTIONS, EXPLORE_OPTION_NAMES, type ExploreOptions, type OptionFlag } from '@pagecheck/core';
import { padTo } from './table.js';

/** The options of explore that have a flag (core's EXPLORE_OPTIONS), with their flags: a new one is a flag here by construction. */
const FLAGS = EXPLORE_OPTION_NAMES.flatMap((option) => {
  const flag = (EXPLORE_OPTIONS[option] as { readonly flag?: OptionFlag<unknown> }).flag;
  return flag === undefined ? [] : [{ option, flag }];
});

const flagHelp = FLAGS.map(({ flag }) => {
  const [first, ...rest] = flag.help.split('\n');
  return [`  ${padTo(`--${flag.name} ${flag.arg}`, 18)}${first}`, ...rest.map((l) => `${' '.repeat(20)}${l}`)].join('\n');
}).join('\n');

/** The `pagecheck` command's help text. */
export const HELP = `pagecheck: run the LKML regression scenarios through the page allocator model

Usage: pagecheck [options]

  --scenario ID     only this scenario (repeatable)
  --variant ID      only this variant (needs --scenario)
  --variant FILE.c  your variant in kernel C: the patched function(s) as the patch
                    posts them, run in the scenario's cases in place of the model's
                    (needs one --scenario; exits 1 when the model finds a violation)
${flagHelp}
  --diagrams        print every failure's race diagram (default: one line and the
                    replay token each); --all is the same
  --html DIR        also write each failing row's HTML failure timeline to DIR
                    (created if missing)
  --width N         fit the tables to N columns, at least 80 (default: the
                    terminal's, else $COLUMNS, else 100)
  --json            print the verdicts as JSON (schemaVersion 1)
  --list            list scenarios and variants (with --json: as JSON)
  --version         print the version
  -h, --help        this text

Rows are printed as their verdicts are known; on a terminal a status line shows the
row running. Variants with a weak-model verdict are also explored under memoryModel
'lkmm' (rows '<variant> (lkmm)'). Colour on a terminal; NO_COLOR turns it off,
FORCE_COLOR on.

Exits 1 when a verdict (either model's) differs from the expected one or when --replay
reproduces a violation, 2 on bad arguments (and a token that fits no case); an output that cannot be written is reported on stderr and the exit
status still tells the verdict.`;

/** The narrowest layout: the matrix's columns at their narrowest fit 80 columns. */
export const MIN_WIDTH = 80;

/** The parsed command line. */
export interface CliArgs {
  readonly scenario?: readonly string[];
  readonly variant?: readonly string[];
  /** A variant in kernel C (--variant FILE.c): the file to compile with cVariant(). */
  readonly cFile?: string;
  /** A replay token (--replay): replay it instead of running the matrix. */
  readonly replay?: string;
  /** explore's options given as flags (--budget, ...), read as core's definition reads them. */
  readonly explore: ExploreOptions;
  readonly diagrams: boolean;
  readonly html?: string;
  readonly width?: number;
  readonly json: boolean;
  readonly list: boolean;
  readonly version: boolean;
  readonly help: boolean;
}

/** A command line that cannot be run; the message names what is wrong and the fix. */
export class ArgError extends Error {}

/** Parses the command line (without node and the script). */
export function parseCli(argv: readonly string[]): CliArgs {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        scenario: { type: 'string', multiple: true },
        variant: { type: 'string', multiple: true },
        ...Object.fromEntries(FLAGS.map(({ flag }) => [flag.name, { type: 'string' as const }])),
        diagrams: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        // The default since diagrams are folded; still accepted.
        'no-diagrams': { type: 'boolean', default: false },
        html: { type: 'string' },
        width: { type: 'string' },
        json: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        version: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new ArgError(`${(e as Error).message}\n\n${HELP}`);
  }
  if (values.variant !== undefined && values.scenario === undefined) throw new ArgError('--variant needs --scenario: give the scenario the variant belongs to (pagecheck --list shows them)');
  const cFiles = (values.variant ?? []).filter((v) => v.endsWith('.c'));
  if (cFiles.length > 0) {
    if (cFiles.length > 1 || (values.variant ?? []).length > 1) throw new ArgError(`--variant ${cFiles.join(' --variant ')}: give one C file, alone (pagecheck --scenario free-pages-speculative --variant patch.c)`);
    if ((values.scenario ?? []).length !== 1) throw new ArgError(`--variant ${cFiles[0]!} needs exactly one --scenario: the scenario whose cases run your C (pagecheck --list shows them)`);
  }
  const given: Record<string, unknown> = {};
  for (const { option, flag } of FLAGS) {
    const text = (values as Record<string, unknown>)[flag.name];
    if (typeof text !== 'string') continue;
    try {
      given[option] = flag.parse(text);
    } catch (e) {
      throw new ArgError(`--${flag.name} ${text}: ${(e as Error).message}`);
    }
  }
  const { replay, ...explore } = given as ExploreOptions;
  let width: number | undefined;
  if (values.width !== undefined) {
    width = Number(values.width);
    if (!Number.isInteger(width) || width < MIN_WIDTH) throw new ArgError(`--width ${values.width}: give the number of columns to fit, a whole number of at least ${MIN_WIDTH} (for example --width 100)`);
  }
  if (values.html === '') throw new ArgError('--html needs a directory (for example --html pagecheck-report)');
  return {
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
    ...(values.variant === undefined || cFiles.length > 0 ? {} : { variant: values.variant }),
    ...(cFiles.length > 0 ? { cFile: cFiles[0]! } : {}),
    ...(replay === undefined ? {} : { replay }),
    explore,
    ...(values.html === undefined ? {} : { html: values.html }),
    ...(width === undefined ? {} : { width }),
    diagrams: values.diagrams || values.all,
    json: values.json,
    list: values.list,
    version: values.version,
    help: values.help,
  };
}
