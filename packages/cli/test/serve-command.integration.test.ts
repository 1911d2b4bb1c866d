import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSampleIndex } from '@squash/serve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/squash.mjs');
let dir = '';
let indexDir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squash-serve-cli-'));
  indexDir = (await buildSampleIndex(join(dir, 'mnist'))).dir;
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function processesUsing(path: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes(path) && !line.includes('ps -eo'));
}

describe('squash serve', () => {
  it('serves an index over HTTP and leaves no process behind on SIGTERM', async () => {
    const bundleDir = join(dir, 'bundles');
    const child = spawn(process.execPath, [BIN, 'serve', '--index', indexDir, '--port', '0'], {
      env: { ...process.env, SQUASH_BUNDLE_DIR: bundleDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no serving line: ${stdout}`)), 60_000);
      child.stdout.on('data', () => {
        const match = /at (http:\/\/127\.0\.0\.1:\d+)\/v1\/indexes\/mnist/.exec(stdout);
        if (match !== null) {
          clearTimeout(timer);
          resolveUrl(match[1]!);
        }
      });
    });
    const response = await fetch(`${url}/v1/indexes/mnist/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ vector: Array(784).fill(0), topK: 3, filter: { label: 1 } }),
    });
    const body = (await response.json()) as { matches: unknown[]; complete: boolean };
    expect(response.status).toBe(200);
    expect(body.matches).toHaveLength(3);
    expect(processesUsing(bundleDir).length).toBeGreaterThan(0);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(processesUsing(bundleDir)).toEqual([]);
  }, 120_000);

  it('rejects a missing --index with a usage error', () => {
    const result = spawnSync(process.execPath, [BIN, 'serve'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--index is required/);
  });
});
