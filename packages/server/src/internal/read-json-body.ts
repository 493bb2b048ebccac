import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from '../client/http-error';
import { sendContinue } from './expect-continue';

/**
 * Reads a request body as UTF-8 JSON, up to `limit` bytes: 413 past the limit (from `Content-Length` before
 * reading, or while reading), 415 for a charset other than UTF-8 or a compressed body, 400 for a body that is
 * empty, not JSON or could not be read. Sends `100 Continue` first to a client waiting for it. A body that a
 * middleware before the handler already read (Express's `express.json()`) is taken from `req.body` when it parsed
 * it as JSON.
 * @internal
 */
export function readJsonBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<unknown> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return Promise.reject(
      new HttpError('Compressed request bodies are not supported.', {
        status: 415,
        errorName: 'UnsupportedMediaTypeError',
      }),
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return Promise.reject(
      new HttpError(`The charset "${charset}" is not supported; send UTF-8.`, {
        status: 415,
        errorName: 'UnsupportedMediaTypeError',
      }),
    );
  }
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  if (req.readableEnded) return readAlready(req);
  sendContinue(req, res);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: HttpError) => {
      if (settled) return;
      settled = true;
      cleanup();
      req.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(tooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      settled = true;
      cleanup();
      if (size === 0) {
        reject(emptyBody());
        return;
      }
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new HttpError('The request body is not valid JSON.', { status: 400, errorName: 'BadRequestError' }));
      }
    };
    const onError = () =>
      fail(new HttpError('The request body could not be read.', { status: 400, errorName: 'BadRequestError' }));
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

/** The body a middleware read before: its JSON value, or a 400 when it left none. */
function readAlready(req: IncomingMessage): Promise<unknown> {
  const body = (req as { body?: unknown }).body;
  if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) return Promise.resolve(body);
  return Promise.reject(
    new HttpError('The request body was read before it reached stepwise.', {
      status: 400,
      errorName: 'BadRequestError',
    }),
  );
}

function tooLarge(limit: number): HttpError {
  return new HttpError(`The request body is larger than ${limit} bytes.`, {
    status: 413,
    errorName: 'PayloadTooLargeError',
  });
}

/** The 400 for a request without a body (no `Content-Length` nor `Transfer-Encoding`, or a length of 0). @internal */
export function emptyBody(): HttpError {
  return new HttpError('The request body is empty; send JSON.', { status: 400, errorName: 'BadRequestError' });
}
