import { fileURLToPath } from 'node:url';

/** Absolute path of a handler module in `test/fixtures`. */
export function fixture(name: string, extension: 'ts' | 'mjs' = 'ts'): string {
  return fileURLToPath(new URL(`../fixtures/${name}.${extension}`, import.meta.url));
}

export interface InvokeCall {
  readonly invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  readonly logType?: 'None' | 'Tail';
  readonly qualifier?: string;
  /** Sent as is instead of `JSON.stringify(payload)`. */
  readonly rawBody?: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the request (the caller going away). */
  readonly signal?: AbortSignal;
}

export interface InvokeReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON. */
  readonly json: unknown;
}

/** One Invoke call with plain `fetch`, as the SDK would send it (path, headers, query). */
export async function invokeFunction(
  runtimeUrl: string,
  functionName: string,
  payload: unknown,
  call: InvokeCall = {},
): Promise<InvokeReply> {
  const query = call.qualifier === undefined ? '' : `?Qualifier=${encodeURIComponent(call.qualifier)}`;
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', ...call.headers };
  if (call.invocationType !== undefined) headers['x-amz-invocation-type'] = call.invocationType;
  if (call.logType !== undefined) headers['x-amz-log-type'] = call.logType;
  const response = await fetch(
    `${runtimeUrl}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations${query}`,
    {
      method: 'POST',
      headers,
      body: call.rawBody ?? JSON.stringify(payload),
      ...(call.signal === undefined ? {} : { signal: call.signal }),
    },
  );
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text === '' ? undefined : JSON.parse(text),
  };
}

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The decoded `X-Amz-Log-Result` header. */
export function decodeLogTail(reply: InvokeReply): string {
  return Buffer.from(reply.headers.get('x-amz-log-result') ?? '', 'base64').toString('utf8');
}
