import { MAX_SYNC_PAYLOAD_BYTES } from '@squash/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiGatewayBridge, startApiGatewayBridge } from '../src/api-gateway-bridge.ts';
import { type ApiGatewayEvent, type InvokeResult, toGatewayResponse } from '../src/api-gateway-event.ts';
import type { GatewayRoute } from '../src/api-gateway-routes.ts';
import { createFetchSigner } from '../src/sigv4-signer.ts';

const ROUTE_KEYS = [
  'POST /v1/indexes/{index}/query',
  'POST /v1/indexes/{index}/{operation}',
  'GET /v1/indexes',
  'GET /v1/indexes/{index}',
  'GET /health',
  '$default',
];
const open: GatewayRoute[] = ROUTE_KEYS.map((routeKey) => ({ routeKey, authorizationType: 'NONE' }));
const iam: GatewayRoute[] = ROUTE_KEYS.map((routeKey) => ({ routeKey, authorizationType: 'AWS_IAM' }));
const caller = { accessKeyId: 'test', secretAccessKey: 'test' };
const sigv4 = { credentials: new Map([['test', caller]]), region: 'us-east-1' };

const json = (value: unknown): InvokeResult => ({ payload: new TextEncoder().encode(JSON.stringify(value)) });

describe('API Gateway bridge', () => {
  let bridge: ApiGatewayBridge | undefined;
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  it('hands the integration a payload-2.0 event and returns its HTTP response', async () => {
    const events: ApiGatewayEvent[] = [];
    bridge = await startApiGatewayBridge({
      routes: open,
      invoke: async (event) => {
        events.push(event);
        return json({
          statusCode: 201,
          headers: { 'Content-Type': 'application/json', 'X-Id': '7' },
          body: '{"ok":true}',
        });
      },
    });
    const response = await fetch(`${bridge.url}/v1/indexes/mnist/query:batch?trace=1&trace=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: '{"queries":[]}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-id')).toBe('7');
    expect(await response.json()).toEqual({ ok: true });
    const event = events[0]!;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/indexes/{index}/{operation}',
      rawPath: '/v1/indexes/mnist/query:batch',
      rawQueryString: 'trace=1&trace=2',
      queryStringParameters: { trace: '1,2' },
      pathParameters: { index: 'mnist', operation: 'query:batch' },
      body: '{"queries":[]}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/v1/indexes/mnist/query:batch' }, stage: '$default' },
    });
    expect(event.headers['x-api-key']).toBe('k');
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hands requests no route matches to the integration as the $default route', async () => {
    const events: ApiGatewayEvent[] = [];
    bridge = await startApiGatewayBridge({
      routes: open,
      invoke: async (event) => {
        events.push(event);
        return json({ statusCode: 404, body: '{"error":{"code":"ROUTE_NOT_FOUND"}}' });
      },
    });
    const response = await fetch(`${bridge.url}/v2/anything`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND' } });
    expect(events[0]).toMatchObject({ routeKey: '$default', rawPath: '/v2/anything' });
    expect(events[0]?.pathParameters).toBeUndefined();
  });

  it('answers 413 without invoking when the event would exceed the Lambda payload limit', async () => {
    let invocations = 0;
    bridge = await startApiGatewayBridge({
      routes: open,
      invoke: async () => {
        invocations++;
        return json({});
      },
    });
    const body = JSON.stringify({ vector: 'x'.repeat(MAX_SYNC_PAYLOAD_BYTES) });
    const response = await fetch(`${bridge.url}/v1/indexes/a/query`, { method: 'POST', body });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(invocations).toBe(0);
  });

  it('rejects bodies above the limit with 413', async () => {
    bridge = await startApiGatewayBridge({ routes: open, invoke: async () => json({}), maxBodyBytes: 10 });
    const response = await fetch(`${bridge.url}/v1/indexes/a/query`, {
      method: 'POST',
      body: 'x'.repeat(11),
    });
    expect(response.status).toBe(413);
  });
});

describe('API Gateway bridge with AWS_IAM routes', () => {
  let bridge: ApiGatewayBridge | undefined;
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });
  const ok = async () => json({ statusCode: 200, body: '{"status":"ok"}' });

  it('passes a SigV4-signed request to the integration', async () => {
    let invocations = 0;
    bridge = await startApiGatewayBridge({
      routes: iam,
      sigv4,
      invoke: async () => {
        invocations++;
        return ok();
      },
    });
    const sign = createFetchSigner({ credentials: caller, region: 'us-east-1' });
    const url = `${bridge.url}/v1/indexes/mnist/query:batch?x=1`;
    const init = await sign(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const response = await fetch(url, init);
    expect(response.status).toBe(200);
    expect(invocations).toBe(1);
  });

  it('refuses unsigned and wrongly signed requests with 403 before invoking', async () => {
    let invocations = 0;
    bridge = await startApiGatewayBridge({
      routes: iam,
      sigv4,
      invoke: async () => {
        invocations++;
        return ok();
      },
    });
    const unsigned = await fetch(`${bridge.url}/health`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
    const wrongKey = createFetchSigner({
      credentials: { ...caller, secretAccessKey: 'other' },
      region: 'us-east-1',
    });
    const forged = await fetch(`${bridge.url}/health`, await wrongKey(`${bridge.url}/health`));
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { message: string }).message).toMatch(
      /signature we calculated does not match/,
    );
    expect(invocations).toBe(0);
  });

  it('refuses to start with routes it cannot serve faithfully', async () => {
    const start = (routes: GatewayRoute[], withSigv4: boolean) =>
      startApiGatewayBridge({ routes, invoke: ok, ...(withSigv4 ? { sigv4 } : {}) });
    await expect(start(iam, false)).rejects.toThrow(/give the bridge sigv4 options/);
    await expect(start([{ routeKey: 'GET /x', authorizationType: 'CUSTOM' }], true)).rejects.toThrow(
      /CUSTOM authorizer/,
    );
    await expect(start([], true)).rejects.toThrow(/at least one route/);
    await expect(start([{ routeKey: 'GET /a:b', authorizationType: 'NONE' }], true)).rejects.toThrow(/"a:b"/);
  });

  it('answers 404 Not Found itself when no route matches and there is no $default route', async () => {
    bridge = await startApiGatewayBridge({ routes: open.slice(0, 5), invoke: ok });
    const response = await fetch(`${bridge.url}/v2/else`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });
});

describe('toGatewayResponse', () => {
  it('maps a result without statusCode to a 200 JSON body, as API Gateway does', () => {
    const r = toGatewayResponse(json({ status: 'ok' }));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body.toString())).toEqual({ status: 'ok' });
  });

  it('decodes base64 bodies and maps function errors to 500', () => {
    const r = toGatewayResponse(
      json({ statusCode: 200, body: Buffer.from('hi').toString('base64'), isBase64Encoded: true }),
    );
    expect(r.body.toString()).toBe('hi');
    const failed = toGatewayResponse({ ...json({ errorMessage: 'boom' }), functionError: 'Unhandled' });
    expect(failed.statusCode).toBe(500);
    expect(JSON.parse(failed.body.toString())).toEqual({ message: 'Internal Server Error' });
  });
});
