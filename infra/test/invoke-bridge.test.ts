import { MAX_SYNC_PAYLOAD_BYTES } from '@squash/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ApiGatewayEvent,
  type InvokeBridge,
  startInvokeBridge,
  toBridgeResponse,
} from '../../scripts/lib/invoke-bridge.ts';

const json = (value: unknown) => ({ payload: new TextEncoder().encode(JSON.stringify(value)) });

describe('invoke bridge', () => {
  let bridge: InvokeBridge | undefined;
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  it('hands the coordinator a payload-2.0 event and returns its HTTP response', async () => {
    const events: ApiGatewayEvent[] = [];
    bridge = await startInvokeBridge({
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

  it('hands requests no route matches to the coordinator as the $default route', async () => {
    const events: ApiGatewayEvent[] = [];
    bridge = await startInvokeBridge({
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
    bridge = await startInvokeBridge({
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
    bridge = await startInvokeBridge({ invoke: async () => json({}), maxBodyBytes: 10 });
    const response = await fetch(`${bridge.url}/v1/indexes/a/query`, {
      method: 'POST',
      body: 'x'.repeat(11),
    });
    expect(response.status).toBe(413);
  });
});

describe('toBridgeResponse', () => {
  it('maps a result without statusCode to a 200 JSON body, as API Gateway does', () => {
    const r = toBridgeResponse(json({ status: 'ok' }));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body.toString())).toEqual({ status: 'ok' });
  });

  it('decodes base64 bodies and maps function errors to 500', () => {
    const r = toBridgeResponse(
      json({ statusCode: 200, body: Buffer.from('hi').toString('base64'), isBase64Encoded: true }),
    );
    expect(r.body.toString()).toBe('hi');
    const failed = toBridgeResponse({ ...json({ errorMessage: 'boom' }), functionError: 'Unhandled' });
    expect(failed.statusCode).toBe(500);
    expect(JSON.parse(failed.body.toString())).toEqual({ message: 'Internal Server Error' });
  });
});
