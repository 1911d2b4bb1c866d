import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { hasHttpApiSupport, probeLocalStack } from '../src/localstack.ts';

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
});
