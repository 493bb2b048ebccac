import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isLingering, lingeringClose } from './internal/close-gracefully';
import { serverControlOf } from './internal/server-control';

/** The answer to each error code of Node's HTTP parser; other codes are 400. */
const ANSWERS: Record<string, { status: number; name: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    name: 'RequestHeaderFieldsTooLargeError',
    message: 'The request headers are too large.',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    name: 'PayloadTooLargeError',
    message: 'The chunk extensions of the request body are too large.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    name: 'RequestTimeoutError',
    message: 'The request did not arrive in time.',
  },
  HPE_INVALID_CHUNK_SIZE: {
    status: 400,
    name: 'BadRequestError',
    message: 'The chunked encoding of the request body is malformed.',
  },
  HPE_UNEXPECTED_CONTENT_LENGTH: {
    status: 400,
    name: 'BadRequestError',
    message: 'The request has both Content-Length and Transfer-Encoding.',
  },
};

const BAD_REQUEST = { status: 400, name: 'BadRequestError', message: 'The request is malformed.' };

/**
 * The `clientError` listener of a Node HTTP server: answers what Node's HTTP parser rejects (a malformed request
 * line or headers, bad chunked encoding, `Content-Length` with `Transfer-Encoding`, 431 headers too large, 408
 * request timeout) with a JSON body in the same shape as every other error,
 * `{ "error": { "name", "message", "requestId" } }`, `Connection: close` and `x-request-id`, then closes the
 * connection gracefully. Given the app made by `createServer`, it logs each one with the app's logger.
 * `serve()` installs it; install it yourself when you listen with your own server (see the example).
 *
 * @example
 * ```ts
 * import { createServer as createHttpServer } from 'node:http';
 * import { createClientErrorHandler, createServer } from '@stepwise/server';
 *
 * const app = createServer({ runtime, chains: [qa] });
 * // requireHostHeader: false lets the app answer a missing Host with a JSON 400; checkExpectation, a JSON 417
 * const server = createHttpServer({ requireHostHeader: false }, app);
 * server.on('clientError', createClientErrorHandler(app));
 * server.on('checkExpectation', app);
 * server.listen(8080);
 * ```
 */
export function createClientErrorHandler(app?: object): (error: Error, socket: Duplex) => void {
  return (error, socket) => {
    const code = (error as { code?: unknown }).code;
    // a second parse error on a connection already answered and closing
    if (isLingering(socket)) return;
    const net = socket as Socket;
    if (code === 'ECONNRESET' || !socket.writable || (net.bytesWritten ?? 0) > 0) {
      // gone, or an answer has started: nothing can be said any more
      socket.destroy();
      return;
    }
    const answer = (typeof code === 'string' ? ANSWERS[code] : undefined) ?? BAD_REQUEST;
    const requestId = randomUUID();
    const body = JSON.stringify({ error: { name: answer.name, message: answer.message, requestId } });
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n` +
        'content-type: application/json; charset=utf-8\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        'connection: close\r\n' +
        `x-request-id: ${requestId}\r\n\r\n${body}`,
    );
    lingeringClose(socket);
    const logger = app === undefined ? undefined : serverControlOf(app)?.logger;
    logger?.warn(
      {
        reqId: requestId,
        status: answer.status,
        outcome: 'error',
        errorName: answer.name,
        err: { code, message: error.message },
      },
      'client error',
    );
  };
}
