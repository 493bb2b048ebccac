import { createOpenAI } from '@ai-sdk/openai';
import type { ModelProvider } from '@stepwise/core';
import { describeRuntimeConformance } from '@stepwise/core/testing';
import {
  type Emulator,
  type OpenAiCompatibleServer,
  STEP_ID_HEADER,
  startEmulator,
  startOpenAiCompatible,
} from '@stepwise/emulator';
import { fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';
import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';
import type { ProviderConnections } from '../compiler/provider-connections';
import { createSfnRuntime } from './create-sfn-runtime';

const emulators = new Map<string, Emulator>();
const loopbacks = new Map<string, OpenAiCompatibleServer[]>();

const connection = (name: string) =>
  `arn:aws:events:us-east-1:123456789012:connection/${name}/4e0a2b34-0000-4000-8000-000000000000`;
const GATEWAY = 'https://gateway.example.com/v1';
const providers: ProviderConnections = {
  openai: { connectionArn: connection('openai') },
  anthropic: { connectionArn: connection('anthropic') },
  compatible: { connectionArn: connection('gateway'), endpoint: `${GATEWAY}/chat/completions` },
};

/**
 * Other providers' APIs on loopback, answered by the case's fakes: the emulator's HTTP Tasks go there, and so does
 * the runtime's `respond` stream, through a real `@ai-sdk/openai` client in `aiSdkModels`.
 */
async function providerLoopbacks(models: ModelProvider) {
  const [openai, anthropic, compatible] = await Promise.all([
    startOpenAiCompatible({ models, provider: 'openai' }),
    startOpenAiCompatible({ models, provider: 'anthropic' }),
    startOpenAiCompatible({ models, provider: 'compatible' }),
  ]);
  const client = (server: OpenAiCompatibleServer) => createOpenAI({ baseURL: server.baseUrl, apiKey: 'test' });
  return {
    servers: [openai, anthropic, compatible],
    httpEndpoints: {
      'https://api.openai.com/v1': openai.baseUrl,
      'https://api.anthropic.com/v1': anthropic.baseUrl,
      [GATEWAY]: compatible.baseUrl,
    },
    models: aiSdkModels(
      { openai: (id) => client(openai).chat(id), compatible: (id) => client(compatible).chat(id) },
      { stepIdHeader: STEP_ID_HEADER },
    ),
  };
}

// Each case gets its own emulator (its own fakes), driven by the real SDK clients of the SFN runtime: the chain is
// compiled, deployed with CreateStateMachine and run with StartSyncExecution; `respond` streams over ConverseStream,
// or, on another provider's model, from the loopback API through aiSdkModels.
describeRuntimeConformance('runtime-sfn (emulator)', {
  async createRuntime({ case: testCase, models, knowledgeBases, handlers, random }) {
    const loopback = testCase.tags?.includes('provider') ? await providerLoopbacks(models) : undefined;
    if (loopback) loopbacks.set(testCase.name, loopback.servers);
    const emulator = await startEmulator({
      models,
      knowledgeBases,
      handlers,
      retryDelayMs: 0,
      ...(random ? { random } : {}),
      ...(loopback ? { httpEndpoints: loopback.httpEndpoints } : {}),
    });
    emulators.set(testCase.name, emulator);
    return createSfnRuntime({
      endpoint: emulator.sfnEndpoint,
      bedrockEndpoint: emulator.bedrockEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      roleArn: 'arn:aws:iam::123456789012:role/stepwise-conformance',
      compileOptions: { providers },
      ...(loopback ? { models: loopback.models } : {}),
    });
  },
  async cleanup({ case: testCase }) {
    await emulators.get(testCase.name)?.close();
    emulators.delete(testCase.name);
    await Promise.all((loopbacks.get(testCase.name) ?? []).map((server) => server.close()));
    loopbacks.delete(testCase.name);
  },
  fakeModels,
  memoryKnowledgeBase,
});
