import type { IncomingMessage, RequestListener } from 'node:http';

/** Requests sent with `Expect: 100-continue` that have not been told to go on. */
const waiting = new WeakSet<IncomingMessage>();

/**
 * The `checkContinue` listener of a Node server: hands the request to the app without Node's automatic
 * `100 Continue`, which the app sends ({@link sendContinue}) only when it is about to read the body. Requests
 * answered before that (401, 404, 413 from `Content-Length`, 415...) never make the client send the body.
 * @internal
 */
export function continueListener(app: RequestListener): RequestListener {
  return (req, res) => {
    waiting.add(req);
    app(req, res);
  };
}

/** Sends `100 Continue` if the client waits for it. @internal */
export function sendContinue(req: IncomingMessage, res: { writeContinue(): void }): void {
  if (waiting.delete(req)) res.writeContinue();
}
