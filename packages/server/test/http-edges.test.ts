import { spawn, spawnSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientErrorHandler } from '../src/create-client-error-handler';
import { createHandler } from '../src/create-handler';
import { createServer } from '../src/create-server';
import { qaChain } from './helpers/chains';
import { type RawExchange, rawExchange } from './helpers/raw-http';
import { scriptedRuntime } from './helpers/scripted-runtime';
import { ENTRIES, startTestServer } from './helpers/start-test-server';

const MiB = 1024 * 1024;
const HAS_CURL = spawnSync('curl', ['--version']).status === 0;

/** The answer is a JSON error `{error: {name, message, requestId}}` whose request id is also the header's. */
function expectJsonError(exchange: RawExchange, status: number, name: string) {
  expect(exchange.status).toBe(status);
  expect(exchange.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(exchange.body) as { error: Record<string, unknown> };
  expect(body).toEqual({ error: { name, message: expect.any(String), requestId: expect.any(String) } });
  expect(exchange.headers['x-request-id']).toBe(body.error.requestId);
  return body.error;
}

describe.each(ENTRIES)('%s', (entry) => {
  describe('HTTP edges over a raw socket', () => {
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let port: number;

    beforeAll(async () => {
      server = await startTestServer(
        {
          runtime: scriptedRuntime(),
          chains: [qaChain],
          auth: async (key, request) => key === 'k' || !request.url!.startsWith('/v1/chains/locked'),
        },
        { entry },
      );
      port = server.port;
    });
    afterAll(async () => {
      await server.close();
    });

    const post = (path: string, headers: string[]) =>
      [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Authorization: Bearer k', ...headers].join('\r\n');

    describe('a body over the limit (1 MiB) without Expect: 100-continue', () => {
      it('gets 413 and a graceful close, not a reset, while the client is still uploading 10 MB', async () => {
        const exchange = await rawExchange(port, {
          head: post('/v1/chains/qa/invoke', ['Content-Type: application/json', `Content-Length: ${10 * MiB}`]),
          uploadBytes: 10 * MiB,
        });
        expect(exchange.error).toBeUndefined();
        expectJsonError(exchange, 413, 'PayloadTooLargeError');
        expect(exchange.headers.connection).toBe('close');
        expect(exchange.serverEnded).toBe(true);
        // the client stopped at the answer, long before its 10 MB
        expect(exchange.bodyBytesSent).toBeLessThan(10 * MiB);
      });

      it('gets 413 when the chunked body passes the limit while it is read', async () => {
        const chunked = `${(2 * MiB).toString(16)}\r\n${'x'.repeat(2 * MiB)}\r\n`;
        const exchange = await rawExchange(port, {
          head: post('/v1/chains/qa/invoke', ['Content-Type: application/json', 'Transfer-Encoding: chunked']),
          body: chunked,
        });
        expect(exchange.error).toBeUndefined();
        expectJsonError(exchange, 413, 'PayloadTooLargeError');
        expect(exchange.headers.connection).toBe('close');
      });

      it.skipIf(!HAS_CURL)("curl -H 'Expect:' with a 10 MB body gets the 413", async () => {
        const curl = spawn('curl', [
          '-sS',
          '-o',
          '-',
          '-w',
          '\n%{http_code}',
          '-H',
          'Expect:',
          '-H',
          'Content-Type: application/json',
          '-H',
          'Authorization: Bearer k',
          '--data-binary',
          '@-',
          `http://127.0.0.1:${port}/v1/chains/qa/invoke`,
        ]);
        let stdout = '';
        let stderr = '';
        curl.stdout.on('data', (chunk) => {
          stdout += chunk;
        });
        curl.stderr.on('data', (chunk) => {
          stderr += chunk;
        });
        curl.stdin.on('error', () => {
          // curl stops reading its input once it has the answer
        });
        curl.stdin.end(Buffer.alloc(10 * MiB, 'x'));
        const code = await new Promise<number | null>((resolve) => curl.on('close', resolve));
        expect(stderr).toBe('');
        expect(code).toBe(0);
        const [body, status] = stdout.split('\n');
        expect(status).toBe('413');
        expect(JSON.parse(body!).error.name).toBe('PayloadTooLargeError');
      });

      it('with Expect: 100-continue and a Content-Length over the limit, gets 413 and no 100 Continue', async () => {
        const exchange = await rawExchange(port, {
          head: post('/v1/chains/qa/invoke', [
            'Content-Type: application/json',
            `Content-Length: ${10 * MiB}`,
            'Expect: 100-continue',
          ]),
          uploadBytes: 10 * MiB,
          awaitContinue: true,
        });
        expect(exchange.interim).toEqual([]);
        expectJsonError(exchange, 413, 'PayloadTooLargeError');
        expect(exchange.bodyBytesSent).toBe(0);
      });

      it('with Expect: 100-continue and a body within the limit, gets 100 Continue then the answer', async () => {
        const body = JSON.stringify({ input: { question: 'Hi' } });
        const exchange = await rawExchange(port, {
          head: post('/v1/chains/qa/invoke', [
            'Content-Type: application/json',
            `Content-Length: ${body.length}`,
            'Expect: 100-continue',
            'Connection: close',
          ]),
          body,
          awaitContinue: true,
        });
        expect(exchange.interim).toEqual([100]);
        expect(exchange.status).toBe(200);
        expect(JSON.parse(exchange.body).text).toBe('Hello, world!');
      });
    });

    describe('a POST with a JSON content type and no body', () => {
      it('gets 400 without Content-Length nor Transfer-Encoding, as with Content-Length: 0', async () => {
        for (const extra of [[], ['Content-Length: 0']]) {
          const exchange = await rawExchange(port, {
            head: post('/v1/chains/qa/stream', ['Content-Type: application/json', 'Connection: close', ...extra]),
          });
          const error = expectJsonError(exchange, 400, 'BadRequestError');
          expect(error.message).toBe('The request body is empty; send JSON.');
        }
      });
    });

    describe("errors Node's HTTP parser answers get a JSON body", () => {
      it('bad chunked encoding', async () => {
        const exchange = await rawExchange(port, {
          head: post('/v1/chains/qa/invoke', ['Content-Type: application/json', 'Transfer-Encoding: chunked']),
          body: 'zz\r\n{"input":{}}\r\n0\r\n\r\n',
        });
        const error = expectJsonError(exchange, 400, 'BadRequestError');
        expect(error.message).toBe('The chunked encoding of the request body is malformed.');
        expect(exchange.headers.connection).toBe('close');
        await sleep(20);
        expect(server.logs).toContainEqual(
          expect.objectContaining({ msg: 'client error', reqId: error.requestId, status: 400 }),
        );
      });

      it('Content-Length together with Transfer-Encoding', async () => {
        const exchange = await rawExchange(port, {
          head: post('/v1/chains/qa/invoke', [
            'Content-Type: application/json',
            'Content-Length: 5',
            'Transfer-Encoding: chunked',
          ]),
          body: '0\r\n\r\n',
        });
        expectJsonError(exchange, 400, 'BadRequestError');
      });

      it('a malformed request line', async () => {
        const exchange = await rawExchange(port, { head: 'GET /healthz HTTP/9.Z\r\nHost: x' });
        expectJsonError(exchange, 400, 'BadRequestError');
      });

      it('a missing Host (HTTP/1.1)', async () => {
        const exchange = await rawExchange(port, {
          head: 'POST /v1/chains/qa/invoke HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close',
          body: '{}',
        });
        const error = expectJsonError(exchange, 400, 'BadRequestError');
        expect(error.message).toBe('The Host header is required.');
      });

      it('431 headers too large', async () => {
        const exchange = await rawExchange(port, {
          head: ['GET /healthz HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(20_000)}`].join('\r\n'),
        });
        expectJsonError(exchange, 431, 'RequestHeaderFieldsTooLargeError');
      });

      it('417 an Expect other than 100-continue', async () => {
        const exchange = await rawExchange(port, {
          head: post('/v1/chains/qa/invoke', ['Content-Type: application/json', 'Content-Length: 2', 'Expect: later']),
          body: '{}',
        });
        expectJsonError(exchange, 417, 'ExpectationFailedError');
      });

      it('408 a request that does not arrive in time, on a server the caller made (createClientErrorHandler)', async () => {
        const create = entry === 'createHandler' ? createHandler : createServer;
        const app = create({ runtime: scriptedRuntime(), chains: [qaChain], logger: false });
        const own = createHttpServer(
          { requireHostHeader: false, headersTimeout: 200, requestTimeout: 300, connectionsCheckingInterval: 50 },
          app,
        );
        own.on('clientError', createClientErrorHandler(app));
        await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
        try {
          const exchange = await rawExchange((own.address() as AddressInfo).port, {
            head: 'POST /v1/chains/qa/invoke HTTP/1.1\r\nHost: x\r\nX-Slow: still',
            endHead: false,
            timeoutMs: 5000,
          });
          expectJsonError(exchange, 408, 'RequestTimeoutError');
        } finally {
          own.closeAllConnections();
          await new Promise((resolve) => own.close(resolve));
        }
      });
    });

    describe('401, 404 and 415 answer at once and close without reading a 50 MB upload', () => {
      const cases = [
        { what: '401', path: '/v1/chains/locked', auth: [], type: 'application/json', status: 401 },
        {
          what: '404',
          path: '/v1/chains/nope/invoke',
          auth: ['Authorization: Bearer k'],
          type: 'application/json',
          status: 404,
        },
        {
          what: '415',
          path: '/v1/chains/qa/invoke',
          auth: ['Authorization: Bearer k'],
          type: 'text/plain',
          status: 415,
        },
      ];
      for (const { what, path, auth, type, status } of cases) {
        it(`${what}: the answer arrives, then the server closes long before the client could send 50 MB`, async () => {
          const exchange = await rawExchange(port, {
            head: [
              `POST ${path} HTTP/1.1`,
              'Host: x',
              ...auth,
              `Content-Type: ${type}`,
              `Content-Length: ${50 * MiB}`,
            ].join('\r\n'),
            uploadBytes: 50 * MiB,
            // a client that does not look at answers while it uploads: only the server can end this
            stopOnAnswer: false,
          });
          expect(exchange.status).toBe(status);
          expect(exchange.headers.connection).toBe('close');
          expect(JSON.parse(exchange.body).error.requestId).toEqual(expect.any(String));
          expect(exchange.bodyBytesSent).toBeLessThan(50 * MiB);
        });
      }

      it('a client that stops at the answer, as curl does, sees a clean close', async () => {
        const exchange = await rawExchange(port, {
          head: [
            'POST /v1/chains/locked HTTP/1.1',
            'Host: x',
            'Content-Type: application/json',
            `Content-Length: ${50 * MiB}`,
          ].join('\r\n'),
          uploadBytes: 50 * MiB,
        });
        expect(exchange.error).toBeUndefined();
        expect(exchange.status).toBe(401);
        expect(exchange.serverEnded).toBe(true);
      });
    });
  });
});
