import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'squash.mjs');

/** Runs the real binary (tsx loader, process exit code) in a child process. */
async function squashBin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, SQUASH_DEBUG: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bin/squash.mjs', () => {
  it('runs the TypeScript entry through tsx: --help exits 0', async () => {
    const result = await squashBin(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: squash <command>/);
  });

  it('sets the process exit code: 2 for a usage error, 1 for a failure', async () => {
    const usage = await squashBin(['search', '--k', 'x']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^squash search: --index is required/);
    const failure = await squashBin(['inspect', join(dirname(BIN), 'no-such-index')]);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/^squash: no index here/m);
    expect(failure.stderr).not.toMatch(/\n\s+at /);
  });
});
