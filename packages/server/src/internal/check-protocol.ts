import type { IncomingMessage } from 'node:http';
import { HttpError } from '../client/http-error';

/**
 * What Node's HTTP server would otherwise answer itself, with empty bodies, when the handler gets the request: a
 * missing `Host` (HTTP/1.1; `serve()` creates the server with `requireHostHeader: false`) and an `Expect` other than
 * `100-continue` (`serve()` hands `checkExpectation` to the handler). Throws the JSON error to answer.
 * @internal
 */
export function checkProtocol(req: IncomingMessage): void {
  if (req.httpVersion === '1.1' && req.headers.host === undefined) {
    throw new HttpError('The Host header is required.', { status: 400, errorName: 'BadRequestError' });
  }
  const expect = req.headers.expect;
  if (expect !== undefined && expect.trim().toLowerCase() !== '100-continue') {
    throw new HttpError('Only "Expect: 100-continue" is supported.', {
      status: 417,
      errorName: 'ExpectationFailedError',
    });
  }
}
