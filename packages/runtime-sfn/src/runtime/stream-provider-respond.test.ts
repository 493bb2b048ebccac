import { createOpenAI } from '@ai-sdk/openai';
import { type ChainEvent, defineChain, invoke, respond, StepFailedError } from '@stepwise/core';
import {
  type Emulator,
  type OpenAiCompatibleFault,
  type OpenAiCompatibleServer,
  STEP_ID_HEADER,
  startEmulator,
  startOpenAiCompatible,
} from '@stepwise/emulator';
import { createLocalRuntime, type FakeReply, fakeModels } from '@stepwise/runtime-local';
import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderConnections } from '../compiler/provider-connections';
import { createSfnRuntime } from './create-sfn-runtime';

// A `respond` step on another provider's model streams in the process on both runtimes: runtime-sfn through
// aiSdkModels over the provider's API (here the emulator's loopback, through a real @ai-sdk/openai client),
// runtime-local through its ModelProvider. A stream cut before its first delta has answered 200 already: both name
// it Provider.StreamCut (retryable), never Provider.ServerError as an HTTP 5xx would be.

const ANSWER = 'Refunds take 14 days.';
const GATEWAY = 'https://gateway.example.com/v1';
const connection = (name: string) =>
  `arn:aws:events:us-east-1:123456789012:connection/${name}/4e0a2b34-0000-4000-8000-000000000000`;
const providers: ProviderConnections = {
  openai: { connectionArn: connection('openai') },
  compatible: { connectionArn: connection('gateway'), endpoint: `${GATEWAY}/chat/completions` },
};

const chainOf = (model: string) =>
  defineChain({
    name: `cut-${model.split(':')[0]}`,
    steps: [
      invoke('classify', { model, prompt: 'Topic of: {{input.q}}' }),
      respond('answer', { model, system: 'Topic: {{steps.classify.text}}', prompt: '{{input.q}}' }),
    ],
  });

/** What the fakes answer the respond step with, and the loopback's scripted fault for its stream. */
let reply: FakeReply = ANSWER;
let fault: OpenAiCompatibleFault | undefined;
const fakes = () => fakeModels({ respond: (request) => (request.stepId === 'answer' ? reply : 'refunds') });

let emulator: Emulator;
let servers: OpenAiCompatibleServer[];
let sfn: ReturnType<typeof createSfnRuntime>;

beforeAll(async () => {
  const models = fakes();
  servers = await Promise.all(
    (['openai', 'compatible'] as const).map((provider) =>
      startOpenAiCompatible({
        models,
        provider,
        faults: (call) => (call.stream && call.request.stepId === 'answer' ? fault : undefined),
      }),
    ),
  );
  const [openai, compatible] = servers as [OpenAiCompatibleServer, OpenAiCompatibleServer];
  emulator = await startEmulator({
    models,
    retryDelayMs: 0,
    httpEndpoints: { 'https://api.openai.com/v1': openai.baseUrl, [GATEWAY]: compatible.baseUrl },
  });
  const client = (server: OpenAiCompatibleServer) => createOpenAI({ baseURL: server.baseUrl, apiKey: 'test' });
  sfn = createSfnRuntime({
    endpoint: emulator.sfnEndpoint,
    bedrockEndpoint: emulator.bedrockEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    roleArn: 'arn:aws:iam::123456789012:role/stepwise',
    compileOptions: { providers },
    models: aiSdkModels(
      { openai: (id) => client(openai).chat(id), compatible: (id) => client(compatible).chat(id) },
      { stepIdHeader: STEP_ID_HEADER },
    ),
  });
});

afterAll(async () => {
  await emulator?.close();
  await Promise.all((servers ?? []).map((server) => server.close()));
});

async function events(runtime: { stream: typeof sfn.stream }, model: string): Promise<ChainEvent[]> {
  const out: ChainEvent[] = [];
  for await (const event of runtime.stream(chainOf(model), { q: 'How long do refunds take?' })) out.push(event);
  return out;
}

/** The run's failure as both runtimes report it: the error event's name, step, retryable flag, and the text streamed. */
function failureOf(seen: ChainEvent[]) {
  const last = seen.at(-1);
  const error = last?.type === 'error' ? last.error : undefined;
  return {
    error: (error as { error?: string } | undefined)?.error,
    stepId: error?.stepId,
    retryable: (error as { retryable?: boolean } | undefined)?.retryable,
    text: seen.map((event) => (event.type === 'text-delta' ? event.delta : '')).join(''),
    ended: seen.some((event) => event.type === 'chain-end' || (event.type === 'step-end' && event.stepId === 'answer')),
  };
}

describe('runtime-sfn: a respond stream on another provider cut before its first delta', () => {
  for (const model of ['openai:gpt-4o-mini', 'compatible:llama3']) {
    it(`${model}: a fake that fails after 0 deltas is Provider.StreamCut on both runtimes, not Provider.ServerError`, async () => {
      reply = { text: ANSWER, failAfterDeltas: 0 };
      fault = undefined;
      const expected = { error: 'Provider.StreamCut', stepId: 'answer', retryable: true, text: '', ended: false };
      expect(failureOf(await events(sfn, model))).toEqual(expected);
      expect(failureOf(await events(createLocalRuntime({ models: fakes() }), model))).toEqual(expected);
      const failure = await sfn.run(chainOf(model), { q: 'How long?' }).catch((error: unknown) => error);
      expect(StepFailedError.isInstance(failure)).toBe(true);
      expect(failure).toMatchObject({ error: 'Provider.StreamCut', stepId: 'answer', retryable: true });
    });
  }

  it('the loopback ends or resets the opened stream before, and after, some deltas: Provider.StreamCut each time', async () => {
    reply = ANSWER;
    for (const cut of [0, 2]) {
      for (const mode of ['end', 'destroy'] as const) {
        fault = { cutAfterDeltas: cut, mode };
        const got = failureOf(await events(sfn, 'openai:gpt-4o-mini'));
        expect(got, `${cut} ${mode}`).toMatchObject({ error: 'Provider.StreamCut', stepId: 'answer', ended: false });
        expect(ANSWER.startsWith(got.text) && (cut === 0 ? got.text === '' : got.text !== ''), `${cut} ${mode}`).toBe(
          true,
        );
      }
    }
    // Uncut, the same chain answers whole: the cuts above are the faults', not the setup's.
    fault = undefined;
    expect((await events(sfn, 'openai:gpt-4o-mini')).at(-1)).toMatchObject({ type: 'chain-end', text: ANSWER });
  });
});
