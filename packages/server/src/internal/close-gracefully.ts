import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** How long a connection closed after an early answer still reads (and drops) what the client sends. */
const LINGER_MS = 3_000;
/** How much it reads at most. */
const LINGER_BYTES = 16 * 1024 * 1024;

const lingering = new WeakSet<object>();

/**
 * Whether the request has a body that has not arrived in full (or was not read). A request without
 * `Content-Length` or `Transfer-Encoding` has no body.
 * @internal
 */
export function hasUnreadBody(req: IncomingMessage): boolean {
  if (req.complete) return false;
  return hasBody(req);
}

/**
 * Whether the request announces a body: `Transfer-Encoding`, or a `Content-Length` above 0.
 * @internal
 */
export function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) > 0;
}

/**
 * Answers with `Connection: close` and then closes the connection gracefully, without waiting for the rest of
 * the upload. Node ends and destroys a connection as soon as a `Connection: close` answer is written; destroying it
 * while upload bytes are still arriving makes the kernel reset the connection, and a reset can wipe the answer
 * from the client's receive buffer before the client reads it (curl: `Send failure: Broken pipe`, status 000).
 * Instead, after the answer: half-close (FIN), keep reading and dropping what the client still sends, and close
 * when the client closes its side, or after 3 s or 16 MiB. Clients that read answers while uploading (curl does)
 * stop sending when they see the answer.
 * @internal
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
  const socket = req.socket;
  // Node's HTTP server calls `destroySoon()` once a `Connection: close` answer is written.
  socket.destroySoon = () => lingeringClose(socket);
}

/**
 * Half-closes the socket and drops what the client still sends, then closes it once the client closes its side,
 * or after the bounds. A second call does nothing.
 * @internal
 */
export function lingeringClose(socket: Duplex, bytes = LINGER_BYTES, ms = LINGER_MS): void {
  if (socket.destroyed || lingering.has(socket)) return;
  lingering.add(socket);
  let read = 0;
  const close = () => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read > bytes) close();
  };
  const timer = setTimeout(close, ms);
  timer.unref();
  socket.on('data', onData);
  socket.once('end', close);
  socket.once('close', () => clearTimeout(timer));
  socket.end();
  socket.resume();
}

/** Whether {@link lingeringClose} is closing the socket. @internal */
export function isLingering(socket: object): boolean {
  return lingering.has(socket);
}
