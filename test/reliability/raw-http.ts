import { connect, type Socket } from 'node:net';

/**
 * HTTP at the socket level, for what `fetch` cannot do: send headers and part of a body, then
 * stall, as a slow or hostile client does.
 */

/** Opens a connection to 127.0.0.1 and sends `head` plus `bodyStart` of a longer declared body. */
export function openStalledRequest(
  port: number,
  path: string,
  declaredBytes: number,
  bodyStart: string,
  extraHeaders = '',
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declaredBytes}\r\n${extraHeaders}\r\n${bodyStart}`,
      );
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Everything the server sends on `socket` until it closes the connection or `timeoutMs` pass. */
export function readUntilClose(
  socket: Socket,
  timeoutMs: number,
): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.on('error', () => {});
  });
}
