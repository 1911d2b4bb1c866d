import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  type InvokeHead,
  type InvokeRejection,
  parseInvokeHead,
  parsePayload,
} from '../src/invoke-request.ts';

function request(path: string, headers: Record<string, string> = {}, method = 'POST'): IncomingMessage {
  return { url: path, method, headers } as unknown as IncomingMessage;
}

const invokePath = (reference: string, query = '') =>
  `/2015-03-31/functions/${encodeURIComponent(reference)}/invocations${query}`;

describe('parseInvokeHead', () => {
  it('reads a plain name with the AWS defaults for type and log type', () => {
    expect(parseInvokeHead(request(invokePath('search')))).toEqual({
      functionName: 'search',
      qualifier: undefined,
      invocationType: 'RequestResponse',
      logType: 'None',
      clientContext: undefined,
    });
  });

  it.each([
    ['search:$LATEST', 'search', '$LATEST'],
    ['123456789012:function:search', 'search', undefined],
    ['arn:aws:lambda:eu-west-1:123456789012:function:search', 'search', undefined],
    ['arn:aws:lambda:eu-west-1:123456789012:function:search:live', 'search', 'live'],
  ])('resolves the function reference %s', (reference, functionName, qualifier) => {
    const head = parseInvokeHead(request(invokePath(reference))) as InvokeHead;
    expect(head.functionName).toBe(functionName);
    expect(head.qualifier).toBe(qualifier);
  });

  it('takes the qualifier from the Qualifier query parameter', () => {
    const head = parseInvokeHead(request(invokePath('search', '?Qualifier=%24LATEST'))) as InvokeHead;
    expect(head.qualifier).toBe('$LATEST');
  });

  it('rejects a path qualifier that contradicts the query qualifier', () => {
    const head = parseInvokeHead(request(invokePath('search:one', '?Qualifier=two'))) as InvokeRejection;
    expect(head).toMatchObject({ status: 400, errorType: 'InvalidParameterValueException' });
  });

  it('rejects a malformed function reference', () => {
    const head = parseInvokeHead(request(invokePath('no spaces allowed'))) as InvokeRejection;
    expect(head).toMatchObject({ status: 400, errorType: 'InvalidParameterValueException' });
  });

  it('reads the invocation type, log type and base64 client context headers', () => {
    const clientContext = Buffer.from('{"custom":{"a":1}}').toString('base64');
    const head = parseInvokeHead(
      request(invokePath('search'), {
        'x-amz-invocation-type': 'Event',
        'x-amz-log-type': 'Tail',
        'x-amz-client-context': clientContext,
      }),
    ) as InvokeHead;
    expect(head).toMatchObject({
      invocationType: 'Event',
      logType: 'Tail',
      clientContext: '{"custom":{"a":1}}',
    });
  });

  it('rejects unknown header values and a client context that is not base64 JSON', () => {
    const cases: Record<string, string>[] = [
      { 'x-amz-invocation-type': 'Sometime' },
      { 'x-amz-log-type': 'Full' },
      { 'x-amz-client-context': Buffer.from('not json').toString('base64') },
    ];
    for (const headers of cases) {
      expect(parseInvokeHead(request(invokePath('search'), headers))).toHaveProperty('status', 400);
    }
  });

  it('does not claim other paths or methods', () => {
    expect(parseInvokeHead(request('/2015-03-31/functions/search'))).toBeUndefined();
    expect(parseInvokeHead(request(invokePath('search'), {}, 'GET'))).toBeUndefined();
    expect(parseInvokeHead(request('/2021-10-31/functions/search/url'))).toBeUndefined();
  });
});

describe('parsePayload', () => {
  it('turns an empty body into the event {}', () => {
    expect(parsePayload(Buffer.alloc(0))).toBe('{}');
  });

  it('passes valid JSON of any kind through unchanged', () => {
    for (const text of ['{"a":1}', '[1,2]', '"text"', '3', 'null'])
      expect(parsePayload(Buffer.from(text))).toBe(text);
  });

  it('rejects invalid JSON with InvalidRequestContentException', () => {
    expect(parsePayload(Buffer.from('{nope'))).toMatchObject({
      status: 400,
      errorType: 'InvalidRequestContentException',
    });
  });
});
