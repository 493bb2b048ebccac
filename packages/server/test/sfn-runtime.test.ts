import type { ChainEvent } from '@stepwise/core';
import { type Emulator, startEmulator } from '@stepwise/emulator';
import { fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { parseJsonEventStream, readUIMessageStream, type UIMessage, uiMessageChunkSchema } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeChain, streamChain } from '../src/client/index';
import { qaChain } from './helpers/chains';
import { ANSWER, localRuntime } from './helpers/local-runtime';
import { startTestServer } from './helpers/start-test-server';

const DOCS = [
  { text: 'Stepwise runs prompt chains locally or on Step Functions.', source: 's3://docs/intro.md' },
  { text: 'Shipping is free over 50 euros.', source: 's3://docs/shipping.md' },
];

/** Events without timings and run ids, which differ between runs. */
const comparable = (events: ChainEvent[]) =>
  events.map((event) => {
    if (event.type === 'chain-start') return { ...event, runId: '' };
    if (event.type === 'step-end' || event.type === 'chain-end') return { ...event, ms: 0 };
    return event;
  });

// The server in front of the SFN runtime, which talks with the real AWS SDK clients to the loopback emulator
// (Step Functions StartSyncExecution + Bedrock ConverseStream).
describe('server over HTTP with the SFN runtime (emulator)', () => {
  let emulator: Emulator;
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    emulator = await startEmulator({
      models: fakeModels({ byStep: { relevant: 'true', answer: ANSWER } }),
      knowledgeBases: { 'kb-docs': memoryKnowledgeBase(DOCS) },
      retryDelayMs: 0,
    });
    const runtime = createSfnRuntime({
      endpoint: emulator.sfnEndpoint,
      bedrockEndpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      roleArn: 'arn:aws:iam::123456789012:role/stepwise-server-test',
    });
    server = await startTestServer({ runtime, chains: [qaChain] });
  });
  afterAll(async () => {
    await server?.close();
    await emulator?.close();
  });

  it('streams the same events as runtime-local, and invokes', async () => {
    const viaSfn: ChainEvent[] = [];
    for await (const event of streamChain(`${server.url}/v1/chains/qa`, { question: 'What is stepwise?' })) {
      viaSfn.push(event);
    }
    const local: ChainEvent[] = [];
    for await (const event of localRuntime().runtime.stream(qaChain, { question: 'What is stepwise?' }))
      local.push(event);
    expect(comparable(viaSfn)).toEqual(comparable(local));
    expect(viaSfn.at(-1)).toMatchObject({ type: 'chain-end', text: ANSWER });

    const result = await invokeChain(`${server.url}/v1/chains/qa`, { question: 'What is stepwise?' });
    expect(result.text).toBe(ANSWER);
    expect(result.output).toMatchObject({ text: 'true', value: true });
  });

  it('the AI SDK reads the stream into text, step parts and sources', async () => {
    const response = await fetch(`${server.url}/v1/chains/qa/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { question: 'What is stepwise?' } }),
    });
    const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
      new TransformStream({
        transform(result, controller) {
          if (result.success) controller.enqueue(result.value);
          else controller.error(result.error);
        },
      }),
    );
    let message: UIMessage | undefined;
    for await (const state of readUIMessageStream({ stream: chunks })) message = state;
    expect(message?.parts.find((part) => part.type === 'text')).toMatchObject({ text: ANSWER });
    expect(message?.parts.filter((part) => part.type === 'data-step').map((part: any) => part.data.status)).toEqual([
      'done',
      'done',
      'done',
    ]);
    expect(message?.parts.filter((part) => part.type === 'source-document')).toHaveLength(2);
  });

  it('answers 422 before running anything', async () => {
    const response = await fetch(`${server.url}/v1/chains/qa/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { question: '' } }),
    });
    expect(response.status).toBe(422);
  });
});
