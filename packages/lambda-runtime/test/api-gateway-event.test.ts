import { describe, expect, it } from 'vitest';
import {
  fromFunctionResult,
  MAX_REQUEST_PAYLOAD_BYTES,
  serializeEvent,
  toApiGatewayEvent,
} from '../src/index.ts';

const request = (body: string | Uint8Array, contentType = 'application/json') => ({
  method: 'POST',
  rawPath: '/v1/indexes/mnist/query',
  rawQueryString: 'a=1&a=2',
  headers: { 'content-type': contentType, host: 'localhost:8080' },
  body: typeof body === 'string' ? Buffer.from(body) : body,
  sourceIp: '127.0.0.1',
  requestId: 'r-1',
  now: new Date(0),
});

describe('toApiGatewayEvent', () => {
  it('fills a payload-2.0 event as API Gateway does', () => {
    const event = toApiGatewayEvent(request('{"topK":1}'));
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/indexes/mnist/query',
      queryStringParameters: { a: '1,2' },
      body: '{"topK":1}',
      isBase64Encoded: false,
      requestContext: { requestId: 'r-1', http: { method: 'POST', sourceIp: '127.0.0.1' }, timeEpoch: 0 },
    });
  });

  it('passes a binary body as base64', () => {
    const event = toApiGatewayEvent(request(new Uint8Array([0, 255]), 'application/octet-stream'));
    expect(event).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
  });
});

describe('serializeEvent', () => {
  it('measures the event as JSON text, so a body that grows when escaped is over the limit', () => {
    const body = `"${'\u0001'.repeat(1_100_000)}"`;
    expect(body.length).toBeLessThan(MAX_REQUEST_PAYLOAD_BYTES);
    const serialized = serializeEvent(toApiGatewayEvent(request(body)));
    expect(serialized.ok).toBe(false);
    expect(serialized.bytes).toBeGreaterThan(6 * 1_100_000);
  });

  it('returns the payload when the event fits', () => {
    const serialized = serializeEvent(toApiGatewayEvent(request('{}')));
    expect(serialized.ok).toBe(true);
    if (serialized.ok) expect(JSON.parse(serialized.payload).body).toBe('{}');
  });
});

describe('fromFunctionResult', () => {
  it('maps a statusCode result to a response with lower-case headers and a decoded body', () => {
    const payload = JSON.stringify({
      statusCode: 201,
      headers: { 'X-Id': 7 },
      body: 'aGk=',
      isBase64Encoded: true,
    });
    expect(fromFunctionResult(payload, false)).toEqual({
      statusCode: 201,
      headers: { 'x-id': '7' },
      body: Buffer.from('hi'),
    });
  });

  it('wraps any other JSON value in a 200 and gives nothing for a function error or non-JSON', () => {
    expect(fromFunctionResult('[1]', false)).toMatchObject({ statusCode: 200, body: Buffer.from('[1]') });
    expect(fromFunctionResult('{"errorType":"x"}', true)).toBeUndefined();
    expect(fromFunctionResult('not json', false)).toBeUndefined();
  });
});
