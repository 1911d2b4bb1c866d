import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type ErrorBody, FUNCTION_NAMES, MAX_SYNC_PAYLOAD_BYTES } from '@squash/contracts';

export interface HttpFrontOptions {
  readonly host: string;
  readonly port: number;
  /** Base URL of the Lambda-compatible runtime that hosts the coordinator. */
  readonly runtimeUrl: string;
  readonly log: (line: string) => void;
  /**
   * Coordinator invocations in flight at once; further requests wait in a queue. Locally every
   * cold start competes for the same cores, so admitting 50 requests at once would mean 50
   * simultaneous coordinator cold starts. @default 8
   */
  readonly maxInFlight?: number;
  /** Requests allowed to wait; one more is answered 429 TOO_MANY_REQUESTS. @default 256 */
  readonly maxQueued?: number;
}

/** A counting semaphore with a bounded wait queue. */
class Admission {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly maxQueued: number,
  ) {}

  /** Resolves with a release function, or with undefined when the queue is full. */
  async enter(): Promise<(() => void) | undefined> {
    if (this.inFlight >= this.maxInFlight) {
      if (this.waiting.length >= this.maxQueued) return undefined;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.inFlight++;
    return () => {
      this.inFlight--;
      this.waiting.shift()?.();
    };
  }
}

/**
 * The API Gateway of `squash serve`: turns each HTTP request into an API Gateway HTTP API
 * (payload format 2.0) event, invokes the coordinator through the Lambda Invoke API, and writes
 * the function's result back as the HTTP response, as API Gateway does. Bodies over 6 MB are
 * refused with 413 before any invocation; a throttled coordinator becomes 429.
 */
export async function startHttpFront(options: HttpFrontOptions): Promise<{ server: Server; url: string }> {
  const admission = new Admission(options.maxInFlight ?? 8, options.maxQueued ?? 256);
  const server = createServer((request, response) => {
    handle(request, response, options, admission).catch((error: unknown) => {
      options.log(`http front error: ${(error as Error).message}`);
      if (!response.headersSent)
        sendError(response, 500, 'INTERNAL', 'internal error in the HTTP front', randomUUID());
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { server, url: `http://${options.host}:${port}` };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpFrontOptions,
  admission: Admission,
): Promise<void> {
  const requestId = randomUUID();
  const started = Date.now();
  const release = await admission.enter();
  if (release === undefined) {
    request.resume();
    sendError(response, 429, 'TOO_MANY_REQUESTS', 'too many requests are waiting; retry later', requestId);
    return;
  }
  try {
    await forward(request, response, options, requestId, started);
  } finally {
    release();
  }
}

async function forward(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpFrontOptions,
  requestId: string,
  started: number,
): Promise<void> {
  const body = await readBody(request, MAX_SYNC_PAYLOAD_BYTES);
  if (body === undefined) {
    sendError(
      response,
      413,
      'PAYLOAD_TOO_LARGE',
      `body is over ${MAX_SYNC_PAYLOAD_BYTES} bytes; allowed: at most 6 MB`,
      requestId,
    );
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    body: body.toString('utf8'),
    isBase64Encoded: false,
    requestContext: {
      requestId,
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '',
      },
    },
  };
  const invoked = await fetch(
    `${options.runtimeUrl}/2015-03-31/functions/${FUNCTION_NAMES.coordinator}/invocations`,
    {
      method: 'POST',
      body: JSON.stringify(event),
    },
  );
  const text = await invoked.text();
  if (invoked.status === 429) {
    sendError(
      response,
      429,
      'TOO_MANY_REQUESTS',
      'the coordinator is at its concurrency limit; retry later',
      requestId,
    );
  } else if (invoked.status !== 200 || invoked.headers.get('x-amz-function-error') !== null) {
    options.log(`coordinator failed for ${requestId}: ${text.slice(0, 300)}`);
    sendError(
      response,
      500,
      'INTERNAL',
      `internal error; quote request id ${requestId} when reporting it`,
      requestId,
    );
  } else {
    const result = JSON.parse(text) as {
      statusCode: number;
      headers?: Record<string, string>;
      body?: string;
    };
    response.writeHead(result.statusCode, result.headers ?? {});
    response.end(result.body ?? '');
  }
  options.log(
    `${request.method} ${url.pathname} ${response.statusCode} ${Date.now() - started}ms ${requestId}`,
  );
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function sendError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  requestId: string,
): void {
  const body: ErrorBody = { error: { code, message, ...(status >= 500 ? { requestId } : {}) } };
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId });
  response.end(JSON.stringify(body));
}
