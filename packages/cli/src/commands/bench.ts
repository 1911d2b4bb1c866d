import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanFlag, integerFlag, stringFlag } from '../args.ts';
import type { CommandIo } from '../command-io.ts';
import { type CommandSpec, runCommand } from '../run-command.ts';

const HELP = `Usage: squash bench [--queries 300] [--datasets mnist,fashion-mnist,glove-100d] [--full]
                    [--skip-serve] [--skip-synthetic]

Runs the benchmark harness (the same as npm run bench): squash at three settings, exact brute
force (WebAssembly) and hnswlib-node on the datasets in ../shared/datasets and a seeded synthetic
set, unfiltered and filtered at 1%, 10% and 50%; then squash serve on Fashion-MNIST; then the cost
model and scale plan. Writes bench-results/*.json, the tables in docs/benchmarks.md and the SVG
plots in docs/plots/. Takes about 10 minutes on 2 cores (more with --full: 1,000,000 x 128).
Needs a clone of the repository with dev dependencies (hnswlib-node, vega-lite).

Options:
  --queries <n>       queries per dataset (default 300)
  --datasets <list>   comma-separated shared datasets (default all three)
  --full              also the 1,000,000 x 128 synthetic set
  --skip-serve        skip the squash serve benchmark
  --skip-synthetic    skip the synthetic set
  -h, --help          show this help
`;

const SPEC: CommandSpec = {
  name: 'bench',
  help: HELP,
  flags: {
    queries: { type: 'string' },
    datasets: { type: 'string' },
    full: { type: 'boolean' },
    'skip-serve': { type: 'boolean' },
    'skip-synthetic': { type: 'boolean' },
  },
  positionals: [],
};

const HARNESS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bench/src/run-all.ts');

/**
 * `squash bench`: runs `packages/bench/src/run-all.ts` in a child process (it measures one thread
 * per system, so it must not share this process's event loop) and returns its exit code.
 */
export function bench(argv: readonly string[], io: CommandIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (flags) => {
    const args: string[] = [];
    const queries = integerFlag(flags, 'queries', { min: 10, max: 100_000 });
    if (queries !== undefined) args.push('--queries', String(queries));
    const datasets = stringFlag(flags, 'datasets');
    if (datasets !== undefined) args.push('--datasets', datasets);
    for (const name of ['full', 'skip-serve', 'skip-synthetic'])
      if (booleanFlag(flags, name)) args.push(`--${name}`);
    if (!existsSync(HARNESS))
      throw new Error(
        `the benchmark harness is missing at ${HARNESS}; run squash bench from a clone of the repository`,
      );
    return new Promise<number>((done) => {
      const child = spawn(process.execPath, ['--import', 'tsx', HARNESS, ...args], {
        cwd: join(dirname(HARNESS), '../../..'),
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.once('exit', (code) => done(code ?? 1));
    });
  });
}
