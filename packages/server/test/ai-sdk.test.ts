import {
  DefaultChatTransport,
  parseJsonEventStream,
  readUIMessageStream,
  type UIMessage,
  uiMessageChunkSchema,
} from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qaChain } from './helpers/chains';
import { ANSWER, localRuntime } from './helpers/local-runtime';
import { scriptedRuntime } from './helpers/scripted-runtime';
import { startTestServer } from './helpers/start-test-server';

/** The last message state the AI SDK builds from a stream of parts. */
async function lastMessage(stream: ReadableStream<any>, errors: unknown[] = []): Promise<UIMessage> {
  let message: UIMessage | undefined;
  for await (const state of readUIMessageStream({ stream, onError: (error) => errors.push(error) })) message = state;
  return message!;
}

describe('AI SDK compatibility', () => {
  const { runtime, models } = localRuntime();
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ runtime, chains: [qaChain] });
  });
  afterAll(async () => {
    await server.close();
  });

  it('readUIMessageStream builds the message: text, one data-step part per step, source documents, usage', async () => {
    const response = await fetch(`${server.url}/v1/chains/qa/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { question: 'What is stepwise?' } }),
    });
    const invalid: unknown[] = [];
    const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
      new TransformStream({
        transform(result, controller) {
          if (result.success) controller.enqueue(result.value);
          else invalid.push(result.error);
        },
      }),
    );
    const errors: unknown[] = [];
    const message = await lastMessage(chunks, errors);
    expect(invalid).toEqual([]);
    expect(errors).toEqual([]);
    expect(message.role).toBe('assistant');
    expect(message.metadata).toMatchObject({ chain: 'qa', runId: expect.any(String), ms: expect.any(Number) });
    const text = message.parts.filter((part) => part.type === 'text');
    expect(text).toEqual([expect.objectContaining({ type: 'text', text: ANSWER, state: 'done' })]);
    const steps = message.parts.filter((part) => part.type === 'data-step') as Array<{ id: string; data: any }>;
    expect(steps.map((part) => [part.id, part.data.status])).toEqual([
      ['docs', 'done'],
      ['relevant', 'done'],
      ['answer', 'done'],
    ]);
    expect(steps[2]!.data.output.text).toBe(ANSWER);
    const sources = message.parts.filter((part) => part.type === 'source-document');
    expect(sources).toEqual([
      expect.objectContaining({ sourceId: 'docs-0', mediaType: 'text/plain', title: 's3://docs/shipping.md' }),
      expect.objectContaining({ sourceId: 'docs-1', mediaType: 'text/plain', title: 's3://docs/intro.md' }),
    ]);
    const usage = message.parts.find((part) => part.type === 'data-usage') as { data: any } | undefined;
    expect(usage?.data.totalTokens).toBeGreaterThan(0);
    expect(usage?.data.totalTokens).toBe(usage?.data.inputTokens + usage?.data.outputTokens);
  });

  it('/chat speaks to the useChat default transport: last user text -> question, earlier turns -> history', async () => {
    const transport = new DefaultChatTransport({ api: `${server.url}/v1/chains/qa/chat` });
    const stream = await transport.sendMessages({
      chatId: 'chat-1',
      trigger: 'submit-message',
      messageId: undefined,
      abortSignal: undefined,
      messages: [
        { id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Hello' }] },
        {
          id: 'm2',
          role: 'assistant',
          parts: [
            { type: 'text', text: 'Hi! ' },
            { type: 'text', text: 'Ask me.' },
          ],
        },
        { id: 'm3', role: 'user', parts: [{ type: 'text', text: 'What is stepwise?' }] },
      ],
    });
    const message = await lastMessage(stream);
    // the respond step sent the history first, then the prompt (the question)
    expect(models.calls.at(-1)?.messages).toEqual([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi! Ask me.' },
      { role: 'user', content: 'What is stepwise?' },
    ]);
    expect(message.parts.find((part) => part.type === 'text')).toMatchObject({ text: ANSWER });
  });

  it('/chat answers 400 without a user message and 422 when the mapped input fails the schema', async () => {
    const chat = (body: unknown) =>
      fetch(`${server.url}/v1/chains/qa/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await chat({ id: 'c', messages: [] })).status).toBe(400);
    expect((await chat({ id: 'c', messages: 'nope' })).status).toBe(400);
    const empty = await chat({ id: 'c', messages: [{ id: 'm', role: 'user', parts: [{ type: 'text', text: '' }] }] });
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as any).error.issues[0].path).toEqual(['question']);
  });
});

describe('AI SDK and failures', () => {
  it('the AI SDK reports a failed run through onError and the step part says failed', async () => {
    const runtime = scriptedRuntime({ failStep: 'relevant' });
    const server = await startTestServer({ runtime, chains: [qaChain] });
    try {
      const response = await fetch(`${server.url}/v1/chains/qa/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: { question: 'Hi' } }),
      });
      const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
        new TransformStream({
          transform(result, controller) {
            if (result.success) controller.enqueue(result.value);
          },
        }),
      );
      const errors: Error[] = [];
      const message = await lastMessage(chunks, errors);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain('relevant');
      const relevant = message.parts.find((part) => part.type === 'data-step' && part.id === 'relevant') as any;
      expect(relevant.data.status).toBe('failed');
    } finally {
      await server.close();
    }
  });
});

describe('/chat with a custom mapping', () => {
  it('uses the chain’s chatInput', async () => {
    const runtime = scriptedRuntime();
    const server = await startTestServer({
      runtime,
      chains: [qaChain],
      chatInput: { qa: (request) => ({ question: `[${request.id}] ${request.messages.length} messages` }) },
    });
    try {
      const transport = new DefaultChatTransport({ api: `${server.url}/v1/chains/qa/chat` });
      const stream = await transport.sendMessages({
        chatId: 'chat-9',
        trigger: 'submit-message',
        messageId: undefined,
        abortSignal: undefined,
        messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
      });
      await lastMessage(stream);
      expect(runtime.counters.lastInput).toEqual({ question: '[chat-9] 1 messages', history: [] });
    } finally {
      await server.close();
    }
  });
});
