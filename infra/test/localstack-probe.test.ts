import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasHttpApiSupport, LOCALSTACK_SKIP_LINE, probeLocalStack } from '../../scripts/lib/localstack.ts';
import { REPO_ROOT } from '../lib/project-paths.ts';

async function serve(status: number, body: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('LocalStack probe', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  it('reads services and edition from /_localstack/health', async () => {
    const s = await serve(
      200,
      JSON.stringify({ services: { s3: 'running', lambda: 'available' }, edition: 'community' }),
    );
    server = s.server;
    const health = await probeLocalStack(s.url);
    expect(health?.edition).toBe('community');
    expect(hasHttpApiSupport(health!)).toBe(false);
    expect(hasHttpApiSupport({ services: { apigatewayv2: 'available' } })).toBe(true);
    expect(hasHttpApiSupport({ services: { apigatewayv2: 'disabled' } })).toBe(false);
  });

  it('reports nothing reachable for a closed port, an error status or a non-LocalStack answer', async () => {
    expect(await probeLocalStack('http://127.0.0.1:9', 500)).toBeUndefined();
    const s = await serve(200, '{"hello":"world"}');
    server = s.server;
    expect(await probeLocalStack(s.url)).toBeUndefined();
  });

  it('makes npm run test:localstack print exactly one line and exit 0 when LocalStack is not running', async () => {
    if ((await probeLocalStack()) !== undefined) {
      console.warn(
        'LocalStack is running at 127.0.0.1:4566: not testing the skip path (npm run test:localstack runs the suite)',
      );
      return;
    }
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'scripts/test-localstack.ts')],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(child.status).toBe(0);
    expect(child.stdout).toBe(`${LOCALSTACK_SKIP_LINE}\n`);
    expect(LOCALSTACK_SKIP_LINE).toBe(
      'LocalStack not reachable at http://127.0.0.1:4566: skipping the LocalStack suite (start it with docker compose up -d)',
    );
  });
});
