import { createOpenAI } from '@ai-sdk/openai';
import type { Chain, ChainRuntime } from '@stepwise/core';
import { type Emulator, STEP_ID_HEADER, startEmulator, startOpenAiCompatible } from '@stepwise/emulator';
import { collectEvents, expectGoldenAsl } from '@stepwise/example-testing';
import { createLocalRuntime } from '@stepwise/runtime-local';
import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';
import { createSfnRuntime } from '@stepwise/runtime-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyProvider, exampleConnections } from './chain';
import { anyProviderFakes } from './fakes';
import { realModels } from './real-models';

const providers = exampleConnections;

describe('any-provider', () => {
  let local: ChainRuntime;
  let sfn: ChainRuntime;
  let emulator: Emulator;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    local = createLocalRuntime(anyProviderFakes());
    // On Step Functions: both providers' APIs on loopback, answered by a second copy of the fakes. The classifier is
    // an HTTP Task the emulator forwards there; the answer streams from there through a real @ai-sdk/openai client.
    const fakes = anyProviderFakes();
    const [openai, compatible] = await Promise.all([
      startOpenAiCompatible({ models: fakes.models, provider: 'openai' }),
      startOpenAiCompatible({ models: fakes.models, provider: 'compatible' }),
    ]);
    emulator = await startEmulator({
      ...fakes,
      retryDelayMs: 0,
      httpEndpoints: {
        'https://api.openai.com/v1': openai.baseUrl,
        'https://gateway.example.com/v1': compatible.baseUrl,
      },
    });
    closers.push(
      () => openai.close(),
      () => compatible.close(),
      () => emulator.close(),
    );
    const client = (baseURL: string) => createOpenAI({ baseURL, apiKey: 'test' });
    sfn = createSfnRuntime({
      endpoint: emulator.sfnEndpoint,
      bedrockEndpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      roleArn: 'arn:aws:iam::123456789012:role/stepwise-examples',
      compileOptions: { providers },
      models: aiSdkModels(
        {
          openai: (id) => client(openai.baseUrl).chat(id),
          compatible: (id) => client(compatible.baseUrl).chat(id),
        },
        { stepIdHeader: STEP_ID_HEADER },
      ),
    });
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });

  async function sameEvents(chain: Chain, input: unknown) {
    const localEvents = await collectEvents(local.stream(chain, input));
    const sfnEvents = await collectEvents(sfn.stream(chain, input));
    expect(sfnEvents, 'the SFN runtime streams other events than runtime-local').toEqual(localEvents);
    return localEvents;
  }

  it('compiles to the golden ASL: the classifier is an HTTP Task on the gateway connection', () => {
    expectGoldenAsl(anyProvider, new URL('./__fixtures__/any-provider.asl.json', import.meta.url), { providers });
  });

  it('classifies on one provider and streams the answer from another, with the same events on both runtimes', async () => {
    const events = await sameEvents(anyProvider, {
      question: 'I was charged twice for my tent order, can you fix that?',
    });
    expect(events.filter((event) => event.type === 'step-start').map((event) => event.stepId)).toEqual([
      'topic',
      'brief',
      'billingBrief',
      'advise',
    ]);
    const end = events.at(-1) as { output: unknown; text: string; usage: { byModel: Record<string, unknown> } };
    expect(end.output).toEqual({ topic: 'billing', route: 'billing' });
    expect(end.text).toContain('refunds take 5 business days');
    expect(Object.keys(end.usage.byModel).sort()).toEqual(['compatible:llama3.2', 'openai:gpt-4o-mini']);
  });

  it('takes the technical route alike', async () => {
    const [a, b] = await Promise.all([
      local.run(anyProvider, { question: 'The zip of my sleeping bag keeps splitting, what can I do?' }),
      sfn.run(anyProvider, { question: 'The zip of my sleeping bag keeps splitting, what can I do?' }),
    ]);
    expect(b).toEqual(a);
    expect(a.output).toEqual({ topic: 'technical', route: 'technical' });
  });

  // With a real key: runtime-local on OpenAI (and on COMPATIBLE_BASE_URL for the classifier when set).
  it.skipIf(!process.env.OPENAI_API_KEY)(
    'runs on real models when OPENAI_API_KEY is set',
    async () => {
      const runtime = createLocalRuntime({ models: realModels() });
      const result = await runtime.run(anyProvider, {
        question: 'I was charged twice for my order. Can I get a refund?',
      });
      expect(result.output).toEqual({ topic: 'billing', route: 'billing' });
      expect(result.text?.length).toBeGreaterThan(0);
      expect(result.usage.totalTokens).toBeGreaterThan(0);
    },
    60_000,
  );
});
