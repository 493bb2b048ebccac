import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ChainRuntime, defineChain, respond, retrieve, task } from '@stepwise/core';
import { type Emulator, startEmulator } from '@stepwise/emulator';
import { createLocalRuntime, fakeModels } from '@stepwise/runtime-local';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MODEL, qaChain } from './helpers/chains';
import { rawExchange } from './helpers/raw-http';
import { scriptedRuntime } from './helpers/scripted-runtime';
import { ENTRIES, sseParts, startTestServer } from './helpers/start-test-server';

const input = z.object({
  question: z.string(),
  history: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() })).default([]),
});
const answer = respond('answer', { model: MODEL, prompt: '{{input.question}}', messages: { from: 'input.history' } });
/** A task, then the answer. */
const lookupChain = defineChain({
  name: 'lookup',
  input,
  steps: [task('lookup', { handler: 'lookupOrder', input: { question: '{{input.question}}' } }), answer],
});
/** A knowledge-base search, then the answer. */
const searchChain = defineChain({
  name: 'search',
  input,
  steps: [retrieve('docs', { knowledgeBaseId: 'kb-internal', query: '{{input.question}}' }), answer],
});

class OrderLookupFailed extends Error {
  override name = 'OrderLookupFailed';
}

const PASSWORD = 'pg://orders:S3cr3t-Pa55@db-orders.prod.internal:5432';
const KB_HOST = 'kb-search.corp.internal:9200';
const LAMBDA_SECRET = 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:prod/orders-AbCdEf';
const SDK_ENDPOINT = 'sync-states.eu-west-1.vpce-0a1b2c3d.internal';
const SDK_REQUEST_ID = '5b8d2f1e-77aa-4e2b-9c1d-0f3e6a1b2c3d';
const STACK_PATH = '/srv/app/handlers/lookup-order.js:42:17';

/** One leaking failure: how to make it, what must not reach a client, and what the client sees. */
interface LeakCase {
  what: string;
  chain: string;
  /** Texts that must never reach a client and must be in the log. */
  secrets: string[];
  /** The status of `/invoke` (and of a text/plain stream that fails before its text). */
  status: number;
  /**
   * What the client of `/invoke` and of a stream's `error` part sees besides the message and the request id.
   */
  shown: { name: string; stepId?: string; error?: string };
  /** The run fails after text went out (text/plain then cuts the body). */
  afterText?: boolean;
  runtime: () => ChainRuntime;
}

describe('what reaches a client when a run fails (redaction)', () => {
  let emulator: Emulator;
  let awsErrors: Server;
  let closedPort: number;

  beforeAll(async () => {
    emulator = await startEmulator({
      models: fakeModels({ default: 'ok' }),
      handlers: {
        lookupOrder: () => {
          throw new OrderLookupFailed(`cannot read ${LAMBDA_SECRET}`);
        },
      },
      retryDelayMs: 0,
    });
    // Step Functions answering as AWS does when access is denied: an AWS SDK error naming an endpoint and a request id
    awsErrors = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': SDK_REQUEST_ID });
        res.end(
          JSON.stringify({
            __type: 'com.amazonaws.swf.service.v2.model#AccessDeniedException',
            message: `User is not authorized to perform states:StartSyncExecution on https://${SDK_ENDPOINT} (Request ID: ${SDK_REQUEST_ID})`,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => awsErrors.listen(0, '127.0.0.1', resolve));
    const probe = createHttpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(async () => {
    await emulator?.close();
    await new Promise((resolve) => awsErrors?.close(resolve));
  });

  const sfnRuntime = (endpoint: string) =>
    createSfnRuntime({
      endpoint,
      bedrockEndpoint: endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      stateMachines: { lookup: 'arn:aws:states:us-east-1:123456789012:stateMachine:lookup' },
    });

  const cases: LeakCase[] = [
    {
      what: 'a task handler with a password in its message (runtime-local)',
      chain: 'lookup',
      secrets: [PASSWORD],
      status: 502,
      shown: { name: 'StepFailedError', stepId: 'lookup', error: 'OrderLookupFailed' },
      runtime: () =>
        createLocalRuntime({
          models: fakeModels({ default: 'ok' }),
          handlers: {
            lookupOrder: () => {
              throw new OrderLookupFailed(`login failed for ${PASSWORD}`);
            },
          },
        }),
    },
    {
      what: 'a knowledge base naming an internal host (runtime-local)',
      chain: 'search',
      secrets: [KB_HOST],
      status: 502,
      shown: { name: 'StepFailedError', stepId: 'docs', error: 'Error' },
      runtime: () =>
        createLocalRuntime({
          models: fakeModels({ default: 'ok' }),
          knowledgeBases: {
            'kb-internal': {
              specificationVersion: 'v1',
              retrieve: async () => {
                throw new Error(`connect ETIMEDOUT ${KB_HOST}`);
              },
            },
          },
        }),
    },
    {
      what: 'a file path in a stack in a handler message (runtime-local)',
      chain: 'lookup',
      secrets: [STACK_PATH],
      status: 502,
      shown: { name: 'StepFailedError', stepId: 'lookup', error: 'TypeError' },
      runtime: () =>
        createLocalRuntime({
          models: fakeModels({ default: 'ok' }),
          handlers: {
            lookupOrder: () => {
              throw new TypeError(`Cannot read properties of undefined (reading 'id')\n    at lookup (${STACK_PATH})`);
            },
          },
        }),
    },
    {
      what: "a Lambda's errorMessage (runtime-sfn, emulator)",
      chain: 'lookup',
      secrets: [LAMBDA_SECRET],
      status: 502,
      shown: { name: 'StepFailedError', stepId: 'lookup', error: 'OrderLookupFailed' },
      runtime: () =>
        createSfnRuntime({
          endpoint: emulator.sfnEndpoint,
          bedrockEndpoint: emulator.bedrockEndpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
          maxAttempts: 1,
          roleArn: 'arn:aws:iam::123456789012:role/stepwise-redaction-test',
        }),
    },
    {
      what: 'an AWS SDK error naming an endpoint and a request id (runtime-sfn)',
      chain: 'lookup',
      secrets: [SDK_ENDPOINT, SDK_REQUEST_ID],
      status: 500,
      shown: { name: 'StepwiseError' },
      runtime: () => sfnRuntime(`http://127.0.0.1:${(awsErrors.address() as AddressInfo).port}`),
    },
    {
      what: 'ECONNREFUSED from a runtime pointed at a closed port (runtime-sfn)',
      chain: 'lookup',
      secrets: [`127.0.0.1:${'<port>'}`],
      status: 500,
      shown: { name: 'StepwiseError' },
      runtime: () => sfnRuntime(`http://127.0.0.1:${closedPort}`),
    },
    {
      what: 'an unexpected error with a password, after text went out (its stack names files)',
      chain: 'qa',
      secrets: ['hunter2', 'scripted-runtime.ts'],
      status: 500,
      shown: { name: 'InternalServerError' },
      afterText: true,
      runtime: () => scriptedRuntime({ throwAfterTokens: 2 }),
    },
  ];

  const secretsOf = (leak: LeakCase) => leak.secrets.map((secret) => secret.replace('<port>', String(closedPort)));

  describe.each(ENTRIES)('%s', (entry) => {
    describe.each([false, true])('exposeErrorDetails: %s', (expose) => {
      it.each(cases)('$what', async (leak) => {
        const server = await startTestServer(
          {
            runtime: leak.runtime(),
            chains: [lookupChain, searchChain, qaChain],
            ...(expose ? { exposeErrorDetails: true } : {}),
          },
          { entry },
        );
        const secrets = secretsOf(leak);
        const id = (route: string) => `leak-${expose ? 'shown' : 'hidden'}-${route}`;
        const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
          fetch(`${server.url}/v1/chains/${leak.chain}/${route}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-request-id': id(route), ...headers },
            body: JSON.stringify(body),
          });
        const { error: _asl, ...streamShown } = leak.shown;
        /** Whether the client saw the original message (or cause). */
        const saw = (text: string) => secrets.some((secret) => text.includes(secret));
        try {
          const seen: Record<string, string> = {};

          // /invoke: a JSON error
          const invoked = await post('invoke', { input: { question: 'Where is my order?' } });
          expect(invoked.status).toBe(leak.status);
          expect(invoked.headers.get('x-request-id')).toBe(id('invoke'));
          seen.invoke = await invoked.text();
          const error = (JSON.parse(seen.invoke) as { error: Record<string, unknown> }).error;
          expect(error).toMatchObject({ ...leak.shown, requestId: id('invoke') });
          if (!expose) {
            expect(Object.keys(error).sort()).toEqual(
              [
                'message',
                'requestId',
                ...Object.keys(leak.shown),
                ...('retryable' in error ? ['retryable'] : []),
              ].sort(),
            );
          }

          // /stream and /chat: SSE ending with an error part and [DONE]
          const chat = { id: 'c', messages: [{ id: 'm', role: 'user', parts: [{ type: 'text', text: 'Where?' }] }] };
          for (const [route, body] of [
            ['stream', { input: { question: 'Where is my order?' } }],
            ['chat', chat],
          ] as const) {
            const response = await post(route, body);
            expect(response.status).toBe(200);
            seen[route] = await response.text();
            const parts = sseParts(seen[route]!);
            expect(parts.at(-1)).toBe('[DONE]');
            expect(parts.at(-2)).toMatchObject({
              type: 'error',
              errorName: leak.shown.name,
              requestId: id(route),
              ...(leak.shown.stepId === undefined ? {} : { stepId: leak.shown.stepId }),
              ...(leak.shown.error === undefined ? {} : { error: leak.shown.error }),
            });
            expect((parts as Array<{ type?: string }>).map((part) => part.type)).not.toContain('finish');
          }

          // text/plain: a JSON error before any text; after text, a cut body (over a raw socket: every byte)
          const body = JSON.stringify({ input: { question: 'Where is my order?' } });
          const plain = await rawExchange(server.port, {
            head: [
              `POST /v1/chains/${leak.chain}/stream HTTP/1.1`,
              'Host: 127.0.0.1',
              'Accept: text/plain',
              'Content-Type: application/json',
              `Content-Length: ${body.length}`,
              `x-request-id: ${id('text')}`,
              'Connection: close',
            ].join('\r\n'),
            body,
          });
          seen.text = plain.raw;
          if (leak.afterText) {
            expect(plain.status).toBe(200);
            expect(plain.raw.endsWith('0\r\n\r\n')).toBe(false);
          } else {
            expect(plain.status).toBe(leak.status);
            expect(JSON.parse(plain.body).error).toMatchObject({ ...streamShown, requestId: id('text') });
          }

          if (expose) {
            // the original message (or cause) is shown where an error message goes
            expect(saw(seen.invoke!)).toBe(true);
            expect(saw(seen.stream!) && saw(seen.chat!)).toBe(true);
            if (!leak.afterText) expect(saw(seen.text!)).toBe(true);
          } else {
            for (const [route, text] of Object.entries(seen)) {
              for (const secret of secrets) expect(text, `${route} leaks ${secret}`).not.toContain(secret);
            }
          }

          // and the log has it, under the request id
          await sleep(30);
          for (const route of ['invoke', 'stream', 'chat', 'text']) {
            const line = server.logs.find((entry) => entry.reqId === id(route));
            expect(line, `log line of ${route}`).toMatchObject({ outcome: 'error', errorName: leak.shown.name });
            const logged = JSON.stringify(line?.err);
            for (const secret of secrets) {
              // a stream's runtime reports a message only; what was thrown (invoke, unexpected errors) has its stack too
              if (secret === 'scripted-runtime.ts' && route !== 'invoke' && !leak.afterText) continue;
              expect(logged, `log of ${route} has ${secret}`).toContain(secret);
            }
          }
        } finally {
          await server.close();
        }
      });
    });

    it('hides step-retry messages too, and keeps them in the log', async () => {
      const server = await startTestServer(
        { runtime: scriptedRuntime({ retryStep: 'relevant' }), chains: [qaChain] },
        { entry },
      );
      try {
        const response = await fetch(`${server.url}/v1/chains/qa/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': 'retry-1' },
          body: JSON.stringify({ input: { question: 'Hi' } }),
        });
        const parts = sseParts(await response.text());
        expect(parts).toContainEqual({
          type: 'data-step',
          id: 'relevant',
          data: {
            status: 'retrying',
            stepType: 'invoke',
            attempt: 2,
            error: {
              name: 'Bedrock.ThrottlingException',
              message: 'The model is receiving too many requests; trying again.',
            },
          },
        });
        expect(JSON.stringify(parts)).not.toContain('corp.internal');
        await sleep(30);
        const line = server.logs.find((entry) => entry.reqId === 'retry-1');
        expect(JSON.stringify(line?.retries)).toContain('corp.internal');
      } finally {
        await server.close();
      }
    });
  });
});
